/* libFuzzer target: the CSV writer (src/io/csv.c), round trip through a strict RFC 4180
 * reader written here (Debian has no well-kept C CSV reader; tests/export_check.py reads
 * real exports with Python's csv module). The input describes a table: byte 0 holds the
 * number of columns (1..8) and whether the writer is raw; then cells separated by 0x1F,
 * each cell's first byte choosing its kind (text, plain, integer, empty). Every record
 * the reader gets back must equal what was written, with text cells neutralised exactly
 * when they start with = + - @ TAB or CR and the writer is not raw. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fbreview/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct buf {
    char *p;
    size_t n, cap;
} buf;

static void buf_put(buf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        b->cap = (b->n + n + 1) * 2;
        b->p = realloc(b->p, b->cap);
        if (!b->p)
            abort();
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
}

/* The expected cells, each as the bytes a reader must return, joined with their lengths. */
typedef struct cellv {
    char *s;
    size_t n;
} cellv;

/* Reads one field at *pos of the CSV text; returns 1 and the field, 2 at the end of a
 * record (CRLF consumed), 0 at the end of input. Aborts on anything RFC 4180 forbids. */
static int read_field(const char *t, size_t len, size_t *pos, buf *out, int *last)
{
    size_t i = *pos;
    out->n = 0;
    if (i < len && t[i] == '"') {
        i++;
        for (;;) {
            if (i >= len)
                abort();   /* unterminated quote */
            if (t[i] == '"') {
                if (i + 1 < len && t[i + 1] == '"') {
                    buf_put(out, "\"", 1);
                    i += 2;
                    continue;
                }
                i++;
                break;
            }
            buf_put(out, t + i, 1);
            i++;
        }
    } else {
        while (i < len && t[i] != ',' && t[i] != '\r') {
            if (t[i] == '"' || t[i] == '\n')
                abort();   /* a quote or LF in an unquoted field */
            buf_put(out, t + i, 1);
            i++;
        }
    }
    if (i < len && t[i] == ',') {
        *pos = i + 1;
        *last = 0;
        return 1;
    }
    if (i + 1 < len && t[i] == '\r' && t[i + 1] == '\n') {
        *pos = i + 2;
        *last = 1;
        return 1;
    }
    abort();   /* every record ends with CRLF; nothing else may follow a field */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    int ncols = 1 + data[0] % 8;
    int raw = (data[0] >> 3) & 1;
    data++;
    size--;

    char *text = NULL;
    size_t text_len = 0;
    FILE *f = open_memstream(&text, &text_len);
    if (!f)
        abort();
    csv_writer *w = csv_new(f, raw);
    if (!w)
        abort();

    cellv *want = NULL;
    size_t n_want = 0;
    const uint8_t *p = data, *end = data + size;
    int col = 0;
    while (p < end) {
        const uint8_t *q = memchr(p, 0x1f, (size_t)(end - p));
        if (!q)
            q = end;
        int kind = 0;
        const char *s = (const char *)p;
        size_t n = (size_t)(q - p);
        if (n > 0) {
            kind = p[0] % 4;
            s++;
            n--;
        }
        want = realloc(want, (n_want + 1) * sizeof *want);
        if (!want)
            abort();
        cellv *e = &want[n_want++];
        buf exp = {0};
        switch (kind) {
        case 0:
            csv_text(w, s, n);
            if (!raw && n > 0 && s[0] != '\0' && strchr("=+-@\t\r", s[0]))
                buf_put(&exp, "'", 1);
            buf_put(&exp, s, n);
            break;
        case 1:
            csv_plain(w, s, n);
            buf_put(&exp, s, n);
            break;
        case 2: {
            int64_t v = 0;
            for (size_t i = 0; i < n && i < 8; i++)
                v = (int64_t)((uint64_t)v << 8 | (uint8_t)s[i]);
            csv_int(w, v);
            char b[24];
            int k = snprintf(b, sizeof b, "%lld", (long long)v);
            buf_put(&exp, b, (size_t)k);
            break;
        }
        default:
            csv_empty(w);
            break;
        }
        e->s = exp.p;
        e->n = exp.n;
        if (++col == ncols) {
            csv_end_row(w);
            col = 0;
        }
        p = q + 1;
    }
    /* Pad the last record to a full row. */
    while (col != 0) {
        csv_empty(w);
        want = realloc(want, (n_want + 1) * sizeof *want);
        if (!want)
            abort();
        want[n_want++] = (cellv){NULL, 0};
        if (++col == ncols) {
            csv_end_row(w);
            col = 0;
        }
    }
    if (csv_flush(w) != 0)
        abort();
    csv_free(&w);
    fclose(f);

    /* Read it back: exactly n_want fields, ncols per record, each as written. */
    size_t pos = 0, got = 0;
    buf field = {0};
    int last = 0;
    while (pos < text_len) {
        if (!read_field(text, text_len, &pos, &field, &last))
            break;
        if (got >= n_want)
            abort();
        if (field.n != want[got].n || (field.n && memcmp(field.p, want[got].s, field.n) != 0))
            abort();
        got++;
        if (last != (got % (size_t)ncols == 0))
            abort();
    }
    if (got != n_want)
        abort();
    for (size_t i = 0; i < n_want; i++)
        free(want[i].s);
    free(want);
    free(field.p);
    free(text);
    return 0;
}
