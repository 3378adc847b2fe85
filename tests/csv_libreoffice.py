#!/usr/bin/env python3
"""The exported CSV as a spreadsheet reads it (tests/check-csv-libreoffice.sh runs this).

usage: csv_libreoffice.py FBREVIEW TMPDIR

Makes a store with non-ASCII names and a formula-looking rationale, exports it (default,
--no-bom and --raw), converts each file with LibreOffice Calc headless using the import
settings of its Text Import dialog as it opens (comma, character set left for Calc to
decide, formulas evaluated, special-number detection off) and reads the cells back from
the flat ODS: the header's first cell is "decision_id" (the byte order mark is taken as
one, not shown), non-ASCII text arrives whole, times are date-time cells of the right
instant, and the formula-looking cell is text unless --raw (where Calc runs it: proof the
check can see a formula)."""

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

NS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
}
OFFICE = "{%s}" % NS["office"]
TABLE = "{%s}" % NS["table"]
# Field separator, text delimiter, character set (0: Calc decides), first line, column
# types, language, quoted as text, detect special numbers, and at 13 evaluate formulas.
INFILTER = "CSV:44,34,0,1,,0,false,false,false,false,false,0,true"

REVIEWER = "Zoë 山田"
NAME = "山田太郎 Ünal"
FORMULA = '=HYPERLINK("http://evil.example","click")'


def fail(msg):
    sys.exit("FAIL: " + msg)


def run(cmd, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        fail("%s exited %d:\n%s%s" % (" ".join(cmd), r.returncode, r.stdout, r.stderr))
    return r.stdout


def cells(fods):
    """Rows of (value-type, value, formula, text) from the first sheet."""
    rows = []
    for row in ET.parse(fods).getroot().iter(TABLE + "table-row"):
        out = []
        for c in row.findall("table:table-cell", NS):
            rep = int(c.get(TABLE + "number-columns-repeated", "1"))
            if rep > 1000:
                break      # the rest of the row: empty
            vt = c.get(OFFICE + "value-type")
            val = c.get(OFFICE + "date-value") or c.get(OFFICE + "value")
            text = "\n".join("".join(p.itertext()) for p in c)
            out.extend([(vt, val, c.get(TABLE + "formula"), text)] * rep)
        while out and out[-1][0] is None:
            out.pop()
        if out:
            rows.append(out)
    return rows


def convert(csv, tmp):
    outdir = os.path.join(tmp, "out-" + os.path.basename(csv))
    profile = "file://" + os.path.join(tmp, "lo-profile")
    run(["soffice", "-env:UserInstallation=" + profile, "--headless", "--norestore",
         "--infilter=" + INFILTER, "--convert-to", "fods", "--outdir", outdir, csv], timeout=300)
    fods = os.path.join(outdir, os.path.basename(csv)[:-4] + ".fods")
    if not os.path.exists(fods):
        fail("LibreOffice wrote no %s" % fods)
    return cells(fods)


def main():
    fb, tmp = sys.argv[1], sys.argv[2]
    db = os.path.join(tmp, "sheet.db")
    case = {"case_id": "C-ü1", "opened_at": "2026-11-20T10:00:00Z", "alleged": "self_hire",
            "accounts": [{"id": "u-1", "role": "client", "name": NAME},
                         {"id": "u-2", "role": "freelancer", "name": "J. Doe"}],
            "messages": [{"from": "u-1", "to": "u-2", "body": "hello"}]}
    jsonl = os.path.join(tmp, "cases.jsonl")
    with open(jsonl, "w", encoding="utf-8") as f:
        f.write(json.dumps(case, ensure_ascii=False) + "\n")
    run([fb, "--db", db, "import", jsonl])
    run([fb, "--db", db, "--reviewer", REVIEWER, "decide", "C-ü1", "escalate", "--rationale", FORMULA])

    exports = {}
    for name, extra in (("default", []), ("nobom", ["--no-bom"]), ("raw", ["--raw"])):
        path = os.path.join(tmp, name + ".csv")
        run([fb, "--db", db, "export", "-o", path] + extra)
        with open(path, "rb") as f:
            exports[name] = f.read()
    if not exports["default"].startswith(b"\xef\xbb\xbf"):
        fail("the default export has no byte order mark")
    if exports["nobom"].startswith(b"\xef\xbb\xbf") or exports["nobom"] != exports["default"][3:]:
        fail("--no-bom is not the default export less its byte order mark")

    import sqlite3
    con = sqlite3.connect(db)
    decided_ms = con.execute("SELECT decided_at FROM decision").fetchone()[0]
    con.close()

    for name in ("default", "raw"):
        rows = convert(os.path.join(tmp, name + ".csv"), tmp)
        if len(rows) != 2:
            fail("%s: %d rows in the sheet, want the header and one decision: %r" % (name, len(rows), rows))
        header = [c[3] for c in rows[0]]
        if header[0] != "decision_id":
            fail("%s: cell A1 is %r, not 'decision_id' (a byte order mark shown as text?)" % (name, header[0]))
        col = {h: i for i, h in enumerate(header)}
        row = rows[1]

        def cell(h):
            return row[col[h]] if col[h] < len(row) else (None, None, None, "")

        for h, want in (("reviewer", REVIEWER), ("case_id", "C-ü1"), ("action", "escalate")):
            if cell(h)[3] != want:
                fail("%s: %s reads %r, want %r" % (name, h, cell(h)[3], want))
        vt, val, _, text = cell("decided_at_utc")
        if vt != "date":
            fail("%s: decided_at_utc %r is a %s cell, not a date-time" % (name, text, vt))
        import datetime
        want = datetime.datetime.fromtimestamp(decided_ms / 1000, datetime.timezone.utc).replace(tzinfo=None)
        got = datetime.datetime.fromisoformat(val)
        if abs((got - want).total_seconds()) > 0.01:
            fail("%s: decided_at_utc is %s in the sheet, the store says %s UTC" % (name, got, want))
        vt, val, formula, text = cell("rationale")
        if name == "default":
            if formula or vt != "string" or text != "'" + FORMULA:
                fail("default: the formula-looking rationale became %r (type %s, formula %r)" % (text, vt, formula))
        elif not formula or "HYPERLINK" not in formula:
            fail("raw: Calc did not see the formula, so this check could not tell: %r" % (cell("rationale"),))
    print("ok: BOM, non-ASCII text, UTC date-times and formula neutralising as LibreOffice reads them")


if __name__ == "__main__":
    main()
