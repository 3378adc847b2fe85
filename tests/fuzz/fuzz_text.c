/* libFuzzer target: the safe renderer (src/util/text.c) on arbitrary bytes. Checks what
 * text.h promises: units cover the source exactly, in order; what a unit draws is valid
 * UTF-8 with no C0/C1 control, DEL or ESC; widths are sane; text_clip fits its columns,
 * and its output, rendered again, takes exactly the columns it reported.
 * The first byte picks the clip width; the input is not NUL-terminated. */
#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fbreview/text.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    setlocale(LC_ALL, "C.UTF-8");
    return 0;
}

/* Bytes a terminal would act on: C0, DEL, and C1 as UTF-8 (C2 80..C2 9F). */
static void check_safe(const char *s, size_t n)
{
    if (!text_utf8_valid(s, n))
        abort();
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < 0x20 || ch == 0x7f)
            abort();
        if (ch == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 && (unsigned char)s[i + 1] <= 0x9f)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    int cols = data[0] % 64;
    const char *src = (const char *)data + 1;
    size_t len = size - 1;

    text_iter it;
    text_unit u;
    text_iter_init(&it, src, len);
    size_t pos = 0, units = 0;
    while (text_next(&it, &u)) {
        if (u.src_off != pos || u.src_len == 0 || u.src_off + u.src_len > len)
            abort();
        pos += u.src_len;
        size_t n = strnlen(u.s, sizeof u.s);
        if (n == sizeof u.s)
            abort();
        check_safe(u.s, n);
        switch (u.kind) {
        case TEXT_NEWLINE:
        case TEXT_TAB:
            if (n != 0 || u.width != 0)
                abort();
            break;
        case TEXT_PLAIN:
        case TEXT_ESCAPED:
            if (n == 0 || u.width < 0 || u.width > (int)n)
                abort();
            break;
        default:
            abort();
        }
        if (++units > len)
            abort();
    }
    if (pos != len)
        abort();
    (void)text_width(src, len);

    char out[1024];
    int used = text_clip(src, len, cols, data[0] & 0x40, out, sizeof out);
    if (used < 0 || used > cols)
        abort();
    check_safe(out, strlen(out));
    /* What text_clip drew is safe text already: read again, it takes the columns it said. */
    if (text_width(out, strlen(out)) != (size_t)used)
        abort();
    /* A buffer too small for the columns must still come back NUL-terminated and safe. */
    char tiny[8];
    text_clip(src, len, cols, 1, tiny, sizeof tiny);
    if (!memchr(tiny, '\0', sizeof tiny))
        abort();
    check_safe(tiny, strlen(tiny));
    return 0;
}
