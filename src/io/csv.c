/* RFC 4180 writer with formula neutralisation: see include/fbreview/csv.h. */
#include "fbreview/csv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define CSV_BUF 65536

struct csv_writer {
    FILE *out;
    int raw;
    int col;          /* cells written in the current record */
    int err;          /* errno of the first failed write */
    size_t n;         /* bytes waiting in buf */
    char buf[CSV_BUF];
};

/* Bytes that force a field into quotes. A table beats four memchr passes on short cells. */
static const unsigned char needs_quote[256] = {[','] = 1, ['"'] = 1, ['\r'] = 1, ['\n'] = 1};

csv_writer *csv_new(FILE *out, int raw)
{
    csv_writer *w = malloc(sizeof *w);
    if (!w)
        return NULL;
    w->out = out;
    w->raw = raw;
    w->col = 0;
    w->err = 0;
    w->n = 0;
    return w;
}

void csv_free(csv_writer **w)
{
    if (w && *w) {
        free(*w);
        *w = NULL;
    }
}

static void drain(csv_writer *w)
{
    if (w->n && !w->err) {
        errno = 0;
        if (fwrite(w->buf, 1, w->n, w->out) != w->n)
            w->err = errno ? errno : EIO;
    }
    w->n = 0;
}

static void put(csv_writer *w, const char *p, size_t len)
{
    if (len > CSV_BUF - w->n) {
        drain(w);
        if (len > CSV_BUF) {
            /* A cell bigger than the buffer goes straight through. */
            errno = 0;
            if (!w->err && fwrite(p, 1, len, w->out) != len)
                w->err = errno ? errno : EIO;
            return;
        }
    }
    memcpy(w->buf + w->n, p, len);
    w->n += len;
}

static void put_c(csv_writer *w, char c)
{
    if (w->n == CSV_BUF)
        drain(w);
    w->buf[w->n++] = c;
}

static void cell(csv_writer *w, const char *s, size_t len, int neutralise)
{
    if (w->col++)
        put_c(w, ',');
    if (!s)
        return;
    int quote = 0;
    for (size_t i = 0; i < len; i++) {
        if (needs_quote[(unsigned char)s[i]]) {
            quote = 1;
            break;
        }
    }
    if (quote)
        put_c(w, '"');
    if (neutralise && len > 0 && s[0] != '\0' && strchr("=+-@\t\r", s[0]))
        put_c(w, '\'');
    if (!quote) {
        put(w, s, len);
        return;
    }
    /* Copy runs between quotes, doubling each quote. */
    const char *p = s, *end = s + len;
    while (p < end) {
        const char *q = memchr(p, '"', (size_t)(end - p));
        if (!q) {
            put(w, p, (size_t)(end - p));
            break;
        }
        put(w, p, (size_t)(q - p) + 1);
        put_c(w, '"');
        p = q + 1;
    }
    put_c(w, '"');
}

void csv_text(csv_writer *w, const char *s, size_t len) { cell(w, s, len, !w->raw); }
void csv_plain(csv_writer *w, const char *s, size_t len) { cell(w, s, len, 0); }
void csv_empty(csv_writer *w) { cell(w, NULL, 0, 0); }

void csv_int(csv_writer *w, int64_t v)
{
    char b[24];
    int n = snprintf(b, sizeof b, "%lld", (long long)v);
    cell(w, b, (size_t)n, 0);
}

void csv_end_row(csv_writer *w)
{
    put(w, "\r\n", 2);
    w->col = 0;
}

int csv_flush(csv_writer *w)
{
    drain(w);
    errno = 0;
    if (!w->err && fflush(w->out) != 0)
        w->err = errno ? errno : EIO;
    if (!w->err && ferror(w->out))
        w->err = EIO;
    return w->err;
}

int csv_error(const csv_writer *w) { return w->err; }
