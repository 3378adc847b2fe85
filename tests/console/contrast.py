#!/usr/bin/env python3
"""Measures, from a screenshot of a real xterm, the WCAG contrast ratio of one text row's
glyphs against its background.

    contrast.py SHOT.ppm ROW COL0 COL1 CELL_W CELL_H BORDER

SHOT is a binary PPM (P6) of the root window with the xterm at +0+0. The band is screen row
ROW, columns COL0..COL1-1. The background is the band's most common colour, the text its
second most common. Prints "ratio fg bg textpixels" or exits 2 when the band holds no text
yet (the caller polls again)."""
import sys
from collections import Counter


def read_ppm(path):
    with open(path, "rb") as f:
        data = f.read()
    # Header: P6, width, height, maxval, each separated by whitespace (comments skipped).
    fields, pos = [], 0
    while len(fields) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            pos = data.index(b"\n", pos) + 1
            continue
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    pos += 1
    if fields[0] != b"P6" or int(fields[3]) != 255:
        sys.exit("contrast.py: %s is not an 8-bit P6 PPM" % path)
    return int(fields[1]), int(fields[2]), data[pos:]


def channel(c):
    c /= 255.0
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(rgb):
    r, g, b = rgb
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a, b):
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def main():
    path = sys.argv[1]
    row, c0, c1, cw, ch, border = (int(v) for v in sys.argv[2:8])
    w, h, px = read_ppm(path)
    x0, x1 = border + c0 * cw, border + c1 * cw
    y0, y1 = border + row * ch, border + (row + 1) * ch
    if x1 > w or y1 > h:
        sys.exit("contrast.py: the band lies outside the %dx%d screenshot" % (w, h))
    seen = Counter()
    for y in range(y0, y1):
        base = (y * w) * 3
        for x in range(x0, x1):
            i = base + x * 3
            seen[(px[i], px[i + 1], px[i + 2])] += 1
    common = seen.most_common(2)
    if len(common) < 2 or common[1][1] < 20:
        sys.exit(2)
    bg, fg = common[0][0], common[1][0]
    print("%.2f #%02x%02x%02x #%02x%02x%02x %d" % (contrast(fg, bg), *fg, *bg, common[1][1]))


main()
