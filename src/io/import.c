/* JSON Lines case import (DESIGN.md §4): one jansson parse per line, strict validation,
 * every error "field: problem" with the JSON path as the field.
 *
 * Decisions taken here (for the manual):
 * - Amounts are decimal strings ("5.00"); a JSON number is refused, because a binary
 *   float cannot carry every decimal amount exactly.
 * - A JSON null counts as an absent optional field; unknown keys are ignored; duplicate
 *   keys inside one object are refused (which value was meant is ambiguous).
 * - Required inside the optional parts: link a, b, kind; contract id; payment kind,
 *   amount, currency; feedback from, to, rating; message from, to, body; prior action,
 *   at, and a violation code when the action needs one. A contract budget needs a currency.
 * - Ids (case, account, contract, payment) are non-empty and hold no control characters,
 *   since they end up on command lines and in CSV. Text fields are stored exactly as
 *   given, escape sequences included: the console's renderer makes them harmless.
 * - No case is refused for its size (DESIGN.md §5): a text field (name, title, source,
 *   link detail, message body, feedback text) is kept whole up to LIM_FIELD bytes, a line
 *   up to LIM_LINE. Past them the field is cut on a character boundary and the case keeps
 *   an fb_cut record with the original's length and SHA-256 (of its UTF-8 bytes). Such
 *   a line is read by cut_long_strings before jansson, so jansson never holds more than
 *   what is kept. A line may carry these records itself in a "cut" member
 *   ([{"field","length","sha256"}]): that is how a cut case travels upstream and back.
 * - Values echoed in error messages are escaped (non-ASCII as \uXXXX, controls as \xNN)
 *   and shortened, so a hostile file cannot drive the terminal that reads the errors. */
#include "fbreview/import.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/sha2.h>

#include "fbreview/money.h"
#include "fbreview/timeutil.h"

/* Size limits: one table, so they are documented (and tested) together. Only ids and
 * the number of accounts refuse a line; the text caps cut, never refuse. */
#define IMPORT_LIMIT_TABLE(X)                                                             \
    X(LIM_ID, 128, "bytes in an id, a country or a currency (longer is refused)")       \
    X(LIM_FIELD, 16 << 20, "bytes a text field keeps whole (past it: cut and marked)")   \
    X(LIM_LINE, 64 << 20, "bytes of text a line keeps whole (past it: see LIM_PREVIEW)") \
    X(LIM_PREVIEW, 64 << 10, "bytes each further long field keeps once a line is past LIM_LINE") \
    X(LIM_ACCOUNTS, 256, "accounts in one case (more is refused)")
enum {
#define X(name, value, what) name = value,
    IMPORT_LIMIT_TABLE(X)
#undef X
};

/* The vocabularies' stable ids, indexed by enum value (the model's X-macro tables). */
static const char *const role_ids[] = {
#define FB_X(e, s) s,
    FB_ROLE_TABLE(FB_X)
#undef FB_X
    NULL};
static const char *const link_ids[] = {
#define FB_X(e, s, w, j) s,
    FB_LINK_TABLE(FB_X)
#undef FB_X
    NULL};
static const char *const pay_ids[] = {
#define FB_X(e, s) s,
    FB_PAY_TABLE(FB_X)
#undef FB_X
    NULL};
static const char *const violation_ids[] = {
#define FB_X(e, s, serious, words) s,
    FB_VIOLATION_TABLE(FB_X)
#undef FB_X
    NULL};
static const char *const action_ids[] = {
#define FB_X(e, s, needs, counts) s,
    FB_ACTION_TABLE(FB_X)
#undef FB_X
    NULL};

/* ---- where a value sits in the line, formatted only when there is an error ---- */

typedef struct where {
    const struct where *up;
    const char *key;        /* the member name in the parent object */
    long index;             /* >= 0: element `index` of the array `key` */
} where;

static size_t where_format(const where *w, char *buf, size_t n)
{
    size_t len = 0;
    if (!w)
        return 0;
    if (w->up)
        len = where_format(w->up, buf, n);
    int k = snprintf(buf + len, len < n ? n - len : 0, "%s%s", len ? "." : "", w->key);
    len += k > 0 ? (size_t)k : 0;
    if (w->index >= 0) {
        k = snprintf(buf + len, len < n ? n - len : 0, "[%ld]", w->index);
        len += k > 0 ? (size_t)k : 0;
    }
    return len < n ? len : n - 1;
}

static fb_status bad(fb_err *err, const where *w, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static fb_status bad(fb_err *err, const where *w, const char *field, const char *fmt, ...)
{
    char path[256] = "";
    size_t len = where_format(w, path, sizeof path);
    if (field)
        snprintf(path + len, sizeof path - len, "%s%s", len ? "." : "", field);
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return fb_err_set(err, FB_EINPUT, "%s: %s", path[0] ? path : "line", msg);
}

/* Escapes untrusted bytes for an error message: printable ASCII stays, other characters
 * become \uXXXX (or \xNN for bytes that are not UTF-8), and long values are shortened. */
static void escape_into(const char *s, size_t len, char *buf, size_t n, size_t max_chars, int in_quotes)
{
    size_t o = 0, chars = 0;
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    buf[0] = '\0';
    while (p < end && o + 16 < n) {
        if (chars++ >= max_chars) {
            o += (size_t)snprintf(buf + o, n - o, "...");
            break;
        }
        unsigned c = *p;
        if (c >= 0x20 && c < 0x7f) {
            if (in_quotes && (c == '"' || c == '\\'))
                buf[o++] = '\\';
            buf[o++] = (char)c;
            p++;
            continue;
        }
        int extra = c >= 0xf0 && c < 0xf5 ? 3 : c >= 0xe0 && c < 0xf0 ? 2 : c >= 0xc2 && c < 0xe0 ? 1 : -1;
        uint32_t cp = extra == 3 ? c & 0x07 : extra == 2 ? c & 0x0f : c & 0x1f;
        for (int i = 1; extra > 0 && i <= extra; i++) {
            if (p + i >= end || (p[i] & 0xc0) != 0x80) {
                extra = -1;
                break;
            }
            cp = (cp << 6) | (p[i] & 0x3f);
        }
        if (c < 0x80 || extra < 0) {
            o += (size_t)snprintf(buf + o, n - o, "\\x%02x", c);
            p++;
        } else {
            o += (size_t)snprintf(buf + o, n - o, cp > 0xffff ? "\\U%08x" : "\\u%04x", (unsigned)cp);
            p += extra + 1;
        }
    }
    buf[o < n ? o : n - 1] = '\0';
}

/* A quoted, escaped copy of a value for a message; each call site passes its own buffer. */
static const char *quote(const char *s, char *buf, size_t n)
{
    char tmp[256];
    escape_into(s, strlen(s), tmp, sizeof tmp, 60, 1);
    snprintf(buf, n, "\"%s\"", tmp);
    return buf;
}

static const char *jtype(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "object";
    case JSON_ARRAY: return "array";
    case JSON_STRING: return "string";
    case JSON_INTEGER:
    case JSON_REAL: return "number";
    case JSON_TRUE:
    case JSON_FALSE: return "boolean";
    case JSON_NULL: return "null";
    }
    return "value";
}

/* "a, b or c" from a NULL-terminated list. */
static const char *one_of(const char *const *ids, char *buf, size_t n)
{
    size_t o = 0, count = 0;
    while (ids[count])
        count++;
    buf[0] = '\0';
    for (size_t i = 0; i < count && o < n; i++)
        o += (size_t)snprintf(buf + o, n - o, "%s%s", i == 0 ? "" : i + 1 == count ? " or " : ", ", ids[i]);
    return buf;
}

/* ---- typed members ---- */

enum str_kind { S_ID, S_SHORT, S_TEXT };

static const struct { size_t max; int strict; } str_kinds[] = {
    [S_ID] = {LIM_ID, 1},       /* ids: non-empty, no control characters */
    [S_SHORT] = {LIM_ID, 0},
    [S_TEXT] = {0, 0},          /* evidence text: never refused for its length */
};

/* ---- fields cut before parsing (cut_long_strings) ----
 * A cut string reaches jansson as its kept start, a \u0000 and the index of its record
 * here: jansson then holds only what is kept, and get_str finds the record again. A real
 * \u0000 in the input is refused by cut_long_strings, as jansson refuses it elsewhere. */
typedef struct cut_rec {
    uint64_t length;
    uint8_t sha[SHA256_DIGEST_SIZE];
} cut_rec;
typedef struct cut_scan {
    char *buf;
    size_t len, cap;
    cut_rec *rec;
    size_t n_rec, cap_rec;
    uint64_t kept_total;
} cut_scan;
static _Thread_local const cut_scan *line_scan;   /* this line's records while it is parsed */
static _Thread_local fb_case *line_case;          /* the case they are recorded on */

static void hex_of(const uint8_t *d, size_t n, char *out)
{
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hex[d[i] >> 4];
        out[2 * i + 1] = hex[d[i] & 15];
    }
    out[2 * n] = '\0';
}

/* Adds (or updates) the case's record for a field. */
static fb_cut *cut_add(fb_case *c, const char *field)
{
    for (size_t i = 0; i < c->n_cuts; i++)
        if (strcmp(c->cuts[i].field, field) == 0)
            return &c->cuts[i];
    fb_cut *k = fb_grow((void **)&c->cuts, &c->n_cuts, sizeof *k);
    if (k)
        snprintf(k->field, sizeof k->field, "%s", field);
    return k;
}

/* A string member; *out is NULL when it is absent (or null) and optional. The pointer
 * belongs to the JSON value. */
static fb_status get_str(const json_t *obj, const where *w, const char *key, int required, enum str_kind kind,
                         const char **out, fb_err *err)
{
    *out = NULL;
    const json_t *v = json_object_get(obj, key);
    if (!v)
        return required ? bad(err, w, key, "missing") : FB_OK;
    if (json_is_null(v) && !required)
        return FB_OK;
    if (!json_is_string(v))
        return bad(err, w, key, "expected a string, got %s", jtype(v));
    size_t len = json_string_length(v);
    const char *s = json_string_value(v);
    const cut_rec *cut = NULL;
    if (line_scan && line_scan->n_rec) {
        const char *nul = memchr(s, '\0', len);
        if (nul) {
            size_t idx = (size_t)strtoull(nul + 1, NULL, 10);
            if (idx >= line_scan->n_rec)
                return fb_err_set(err, FB_EINTERNAL, "import: lost the record of a cut field");
            cut = &line_scan->rec[idx];
            len = (size_t)(nul - s);
        }
    }
    if (str_kinds[kind].max && (cut ? cut->length : len) > str_kinds[kind].max)
        return bad(err, w, key, "longer than %zu bytes", str_kinds[kind].max);
    if (cut) {
        char path[FB_FIELD_PATH_MAX];
        size_t n = where_format(w, path, sizeof path);
        snprintf(path + n, sizeof path - n, "%s%s", n ? "." : "", key);
        fb_cut *k = cut_add(line_case, path);
        if (!k)
            return fb_err_set(err, FB_ENOMEM, "out of memory");
        k->kept = len;
        k->length = cut->length;
        hex_of(cut->sha, sizeof cut->sha, k->sha256);
    }
    if (str_kinds[kind].strict) {
        if (len == 0)
            return bad(err, w, key, "empty");
        for (size_t i = 0; i < len; i++) {
            unsigned char ch = (unsigned char)s[i];
            if (ch < 0x20 || ch == 0x7f) {
                char q[320];
                return bad(err, w, key, "control character 0x%02x in %s (ids must be printable)", ch,
                           quote(s, q, sizeof q));
            }
        }
    }
    *out = s;
    return FB_OK;
}

static fb_status get_dup(const json_t *obj, const where *w, const char *key, int required, enum str_kind kind,
                         char **out, fb_err *err)
{
    const char *s;
    if (get_str(obj, w, key, required, kind, &s, err) != FB_OK)
        return err->status;
    *out = fb_strdup(s);
    return FB_OK;
}

static fb_status get_time(const json_t *obj, const where *w, const char *key, int required, int64_t *out,
                          fb_err *err)
{
    const char *s;
    *out = 0;
    if (get_str(obj, w, key, required, S_SHORT, &s, err) != FB_OK)
        return err->status;
    if (s && fb_time_parse(s, out) != 0) {
        char q[320];
        return bad(err, w, key, "not an RFC 3339 time: %s", quote(s, q, sizeof q));
    }
    return FB_OK;
}

/* A member from a closed vocabulary; *out is the index (the enum value), -1 when absent. */
static fb_status get_enum(const json_t *obj, const where *w, const char *key, int required, const char *noun,
                          const char *const *ids, int *out, fb_err *err)
{
    const char *s;
    *out = -1;
    if (get_str(obj, w, key, required, S_SHORT, &s, err) != FB_OK)
        return err->status;
    if (!s)
        return FB_OK;
    for (int i = 0; ids[i]; i++)
        if (strcmp(ids[i], s) == 0) {
            *out = i;
            return FB_OK;
        }
    char q[320], list[512];
    return bad(err, w, key, "unknown %s %s (expected %s)", noun, quote(s, q, sizeof q),
               one_of(ids, list, sizeof list));
}

/* A reference to an account: must be one the case declares. */
static fb_status get_ref(const json_t *obj, const where *w, const char *key, int required, const fb_case *c,
                         char **out, fb_err *err)
{
    const char *s;
    *out = NULL;
    if (get_str(obj, w, key, required, S_ID, &s, err) != FB_OK)
        return err->status;
    if (!s)
        return FB_OK;
    if (!fb_case_account(c, s)) {
        char q[320];
        return bad(err, w, key, "account %s is not declared in accounts", quote(s, q, sizeof q));
    }
    *out = fb_strdup(s);
    return FB_OK;
}

static fb_status get_currency(const json_t *obj, const where *w, const char *key, int required, char out[4],
                              fb_err *err)
{
    const char *s;
    out[0] = '\0';
    if (get_str(obj, w, key, required, S_SHORT, &s, err) != FB_OK)
        return err->status;
    if (!s)
        return FB_OK;
    if (!fb_currency_valid(s)) {
        char q[320];
        return bad(err, w, key, "not a 3-letter ISO 4217 currency code: %s", quote(s, q, sizeof q));
    }
    memcpy(out, s, 4);
    return FB_OK;
}

/* A decimal string in the currency's minor units; *has is 0 when absent. */
static fb_status get_amount(const json_t *obj, const where *w, const char *key, int required, const char *currency,
                            int64_t *out, int *has, fb_err *err)
{
    *out = 0;
    *has = 0;
    const json_t *v = json_object_get(obj, key);
    if (v && json_is_number(v))
        return bad(err, w, key, "expected a decimal string such as \"5.00\", got number %g "
                   "(write amounts as strings so no precision is lost)", json_number_value(v));
    const char *s;
    if (get_str(obj, w, key, required, S_SHORT, &s, err) != FB_OK)
        return err->status;
    if (!s)
        return FB_OK;
    char q[320];
    switch (fb_money_parse(s, currency, out)) {
    case 0:
        *has = 1;
        return FB_OK;
    case -2:
        return bad(err, w, key, "negative amount %s", quote(s, q, sizeof q));
    case -3:
        return bad(err, w, key, "%s has more decimals than %s allows (%d)", quote(s, q, sizeof q), currency,
                   fb_money_exponent(currency));
    case -4:
        return bad(err, w, key, "amount %s is too large", quote(s, q, sizeof q));
    default:
        return bad(err, w, key, "not a decimal amount: %s (expected digits with an optional fraction, e.g. \"5.00\")",
                   quote(s, q, sizeof q));
    }
}

/* An optional array member; *out is NULL when absent or null. */
static fb_status get_array(const json_t *obj, const where *w, const char *key, int required, const json_t **out,
                           fb_err *err)
{
    *out = NULL;
    const json_t *v = json_object_get(obj, key);
    if (!v)
        return required ? bad(err, w, key, "missing") : FB_OK;
    if (json_is_null(v) && !required)
        return FB_OK;
    if (!json_is_array(v))
        return bad(err, w, key, "expected an array, got %s", jtype(v));
    *out = v;
    return FB_OK;
}

/* Element i of an array must be an object. */
static fb_status element(const json_t *arr, const where *el, const json_t **out, fb_err *err)
{
    *out = json_array_get(arr, (size_t)el->index);
    if (!json_is_object(*out))
        return bad(err, el, NULL, "expected an object, got %s", jtype(*out));
    return FB_OK;
}

#define TRY(x)                        \
    do {                              \
        if ((x) != FB_OK)             \
            return err->status;       \
    } while (0)

/* ---- the parts of a case ---- */

static fb_status parse_prior(const json_t *o, const where *w, fb_prior *p, fb_err *err)
{
    int action, violation;
    TRY(get_enum(o, w, "action", 1, "action", action_ids, &action, err));
    TRY(get_enum(o, w, "violation", 0, "violation code", violation_ids, &violation, err));
    TRY(get_time(o, w, "at", 1, &p->at, err));
    p->action = (fb_action)action;
    p->violation = (fb_violation)violation;
    if (violation < 0 && fb_action_needs_violation(p->action))
        return bad(err, w, "violation", "missing (a prior %s needs a violation code)", action_ids[action]);
    return FB_OK;
}

static fb_status parse_account(const json_t *o, const where *w, fb_case *c, fb_account *a, fb_err *err)
{
    int role;
    TRY(get_dup(o, w, "id", 1, S_ID, &a->id, err));
    for (fb_account *b = c->accounts; b < a; b++)
        if (strcmp(b->id, a->id) == 0) {
            char q[320];
            return bad(err, w, "id", "duplicate account %s (also accounts[%ld])", quote(a->id, q, sizeof q),
                       (long)(b - c->accounts));
        }
    TRY(get_enum(o, w, "role", 1, "role", role_ids, &role, err));
    a->role = (fb_role)role;
    TRY(get_dup(o, w, "name", 0, S_TEXT, &a->name, err));
    TRY(get_dup(o, w, "country", 0, S_SHORT, &a->country, err));
    TRY(get_time(o, w, "created_at", 0, &a->created_at, err));
    const json_t *arr;
    TRY(get_array(o, w, "prior", 0, &arr, err));
    for (size_t i = 0; arr && i < json_array_size(arr); i++) {
        where el = {w, "prior", (long)i};
        const json_t *po;
        TRY(element(arr, &el, &po, err));
        fb_prior *p = fb_grow((void **)&a->prior, &a->n_prior, sizeof *p);
        if (!p)
            return fb_err_set(err, FB_ENOMEM, "out of memory");
        TRY(parse_prior(po, &el, p, err));
    }
    return FB_OK;
}

static fb_status parse_link(const json_t *o, const where *w, const fb_case *c, fb_link *l, fb_err *err)
{
    int kind;
    TRY(get_ref(o, w, "a", 1, c, &l->a, err));
    TRY(get_ref(o, w, "b", 1, c, &l->b, err));
    if (strcmp(l->a, l->b) == 0) {
        char q[320];
        return bad(err, w, "b", "same account as a (%s); a link joins two accounts", quote(l->b, q, sizeof q));
    }
    TRY(get_enum(o, w, "kind", 1, "link kind", link_ids, &kind, err));
    l->kind = (fb_link_kind)kind;
    return get_dup(o, w, "detail", 0, S_TEXT, &l->detail, err);
}

static fb_status parse_contract(const json_t *o, const where *w, const fb_case *c, fb_contract *k, fb_err *err)
{
    TRY(get_dup(o, w, "id", 1, S_ID, &k->id, err));
    TRY(get_ref(o, w, "client", 0, c, &k->client, err));
    TRY(get_ref(o, w, "freelancer", 0, c, &k->freelancer, err));
    TRY(get_dup(o, w, "title", 0, S_TEXT, &k->title, err));
    TRY(get_time(o, w, "created_at", 0, &k->created_at, err));
    TRY(get_time(o, w, "started_at", 0, &k->started_at, err));
    TRY(get_time(o, w, "ended_at", 0, &k->ended_at, err));
    int has_budget = json_object_get(o, "budget") && !json_is_null(json_object_get(o, "budget"));
    TRY(get_currency(o, w, "currency", has_budget, k->currency, err));
    return get_amount(o, w, "budget", 0, k->currency, &k->budget_minor, &k->has_budget, err);
}

static fb_status parse_payment(const json_t *o, const where *w, const fb_case *c, fb_payment *p, fb_err *err)
{
    int kind, has;
    TRY(get_dup(o, w, "id", 0, S_ID, &p->id, err));
    TRY(get_ref(o, w, "from", 0, c, &p->from, err));
    TRY(get_ref(o, w, "to", 0, c, &p->to, err));
    TRY(get_enum(o, w, "kind", 1, "payment kind", pay_ids, &kind, err));
    p->kind = (fb_pay_kind)kind;
    TRY(get_currency(o, w, "currency", 1, p->currency, err));
    TRY(get_amount(o, w, "amount", 1, p->currency, &p->amount_minor, &has, err));
    return get_time(o, w, "at", 0, &p->at, err);
}

static fb_status parse_feedback(const json_t *o, const where *w, const fb_case *c, fb_feedback *f, fb_err *err)
{
    TRY(get_ref(o, w, "from", 1, c, &f->from, err));
    TRY(get_ref(o, w, "to", 1, c, &f->to, err));
    const json_t *r = json_object_get(o, "rating");
    if (!r)
        return bad(err, w, "rating", "missing");
    if (json_is_real(r))
        return bad(err, w, "rating", "expected an integer 1-5, got %g", json_real_value(r));
    if (!json_is_integer(r))
        return bad(err, w, "rating", "expected an integer 1-5, got %s", jtype(r));
    json_int_t v = json_integer_value(r);
    if (v < 1 || v > 5)
        return bad(err, w, "rating", "%" JSON_INTEGER_FORMAT " is out of range 1-5", v);
    f->rating = (int)v;
    TRY(get_dup(o, w, "text", 0, S_TEXT, &f->text, err));
    return get_time(o, w, "at", 0, &f->at, err);
}

static fb_status parse_message(const json_t *o, const where *w, const fb_case *c, fb_message *m, fb_err *err)
{
    TRY(get_ref(o, w, "from", 1, c, &m->from, err));
    TRY(get_ref(o, w, "to", 1, c, &m->to, err));
    TRY(get_time(o, w, "at", 0, &m->at, err));
    return get_dup(o, w, "body", 1, S_TEXT, &m->body, err);
}

/* Parses each object of an optional array member with fn, appending to (*arr, *n). */
#define PARSE_LIST(root, key, arr, n, fn)                                        \
    do {                                                                         \
        const json_t *a_;                                                        \
        TRY(get_array((root), NULL, (key), 0, &a_, err));                        \
        for (size_t i_ = 0; a_ && i_ < json_array_size(a_); i_++) {              \
            where el_ = {NULL, (key), (long)i_};                                 \
            const json_t *o_;                                                    \
            TRY(element(a_, &el_, &o_, err));                                    \
            void *e_ = fb_grow((void **)&(arr), &(n), sizeof *(arr));            \
            if (!e_)                                                             \
                return fb_err_set(err, FB_ENOMEM, "out of memory");              \
            TRY(fn(o_, &el_, c, e_, err));                                       \
        }                                                                        \
    } while (0)

static fb_status parse_case(const json_t *root, fb_case *c, fb_err *err)
{
    int alleged;
    TRY(get_dup(root, NULL, "case_id", 1, S_ID, &c->id, err));
    TRY(get_time(root, NULL, "opened_at", 1, &c->opened_at, err));
    TRY(get_dup(root, NULL, "source", 0, S_TEXT, &c->source, err));
    TRY(get_enum(root, NULL, "alleged", 0, "violation code", violation_ids, &alleged, err));
    c->alleged = (fb_violation)alleged;

    const json_t *accts;
    TRY(get_array(root, NULL, "accounts", 1, &accts, err));
    size_t na = json_array_size(accts);
    if (na == 0)
        return bad(err, NULL, "accounts", "empty (a case needs at least one account)");
    if (na > LIM_ACCOUNTS)
        return bad(err, NULL, "accounts", "%zu accounts; at most %d in one case", na, LIM_ACCOUNTS);
    for (size_t i = 0; i < na; i++) {
        where el = {NULL, "accounts", (long)i};
        const json_t *o;
        TRY(element(accts, &el, &o, err));
        fb_account *a = fb_grow((void **)&c->accounts, &c->n_accounts, sizeof *a);
        if (!a)
            return fb_err_set(err, FB_ENOMEM, "out of memory");
        a->role = FB_ROLE_NONE;
        TRY(parse_account(o, &el, c, a, err));
    }

    PARSE_LIST(root, "links", c->links, c->n_links, parse_link);
    const json_t *ct = json_object_get(root, "contract");
    if (ct && !json_is_null(ct)) {
        if (!json_is_object(ct))
            return bad(err, NULL, "contract", "expected an object, got %s", jtype(ct));
        where w = {NULL, "contract", -1};
        c->has_contract = 1;
        TRY(parse_contract(ct, &w, c, &c->contract, err));
    }
    PARSE_LIST(root, "payments", c->payments, c->n_payments, parse_payment);
    PARSE_LIST(root, "feedback", c->feedback, c->n_feedback, parse_feedback);
    PARSE_LIST(root, "messages", c->messages, c->n_messages, parse_message);
    return FB_OK;
}

/* The text field a cut record names ("messages[3].body"): a pointer to the case's string
 * (which may be NULL when the line left the field out), or NULL when no such field. */
static char **text_field(fb_case *c, const char *field)
{
    static const struct { const char *list, *member; } fields[] = {
        {"accounts", "name"}, {"links", "detail"}, {"feedback", "text"}, {"messages", "body"},
    };
    if (strcmp(field, "source") == 0)
        return &c->source;
    if (strcmp(field, "contract.title") == 0)
        return c->has_contract ? &c->contract.title : NULL;
    for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++) {
        size_t n = strlen(fields[f].list);
        if (strncmp(field, fields[f].list, n) != 0 || field[n] != '[')
            continue;
        char *end;
        errno = 0;
        unsigned long long i = strtoull(field + n + 1, &end, 10);
        if (errno || end == field + n + 1 || field[n + 1] == '-' || end[0] != ']' || end[1] != '.' ||
            strcmp(end + 2, fields[f].member) != 0)
            return NULL;
        switch (f) {
        case 0: return i < c->n_accounts ? &c->accounts[i].name : NULL;
        case 1: return i < c->n_links ? &c->links[i].detail : NULL;
        case 2: return i < c->n_feedback ? &c->feedback[i].text : NULL;
        default: return i < c->n_messages ? &c->messages[i].body : NULL;
        }
    }
    return NULL;
}

/* "cut": fields cut before this line was written (by us, on the way upstream, or by the
 * system that exported it). Each names a text field of this case and the original's
 * length and SHA-256. Such a record wins over one made while reading this line: it
 * describes the older original. */
static fb_status parse_cut_list(const json_t *root, fb_case *c, fb_err *err)
{
    const json_t *arr;
    TRY(get_array(root, NULL, "cut", 0, &arr, err));
    for (size_t i = 0; arr && i < json_array_size(arr); i++) {
        where el = {NULL, "cut", (long)i};
        const json_t *o;
        TRY(element(arr, &el, &o, err));
        const char *field, *sha;
        char q[320];
        TRY(get_str(o, &el, "field", 1, S_SHORT, &field, err));
        char **text = text_field(c, field);
        if (!text)
            return bad(err, &el, "field", "%s is not a text field of this case (source, contract.title, "
                       "accounts[N].name, links[N].detail, feedback[N].text or messages[N].body)",
                       quote(field, q, sizeof q));
        const json_t *lv = json_object_get(o, "length");
        if (!lv)
            return bad(err, &el, "length", "missing");
        if (!json_is_integer(lv) || json_integer_value(lv) < 0)
            return bad(err, &el, "length", "expected a whole number of bytes, got %s", jtype(lv));
        TRY(get_str(o, &el, "sha256", 1, S_SHORT, &sha, err));
        size_t hn = strlen(sha), ok = hn == 64;
        for (size_t k = 0; ok && k < hn; k++)
            ok = (sha[k] >= '0' && sha[k] <= '9') || (sha[k] >= 'a' && sha[k] <= 'f') ||
                 (sha[k] >= 'A' && sha[k] <= 'F');
        if (!ok)
            return bad(err, &el, "sha256", "expected 64 hexadecimal digits, got %s", quote(sha, q, sizeof q));
        uint64_t length = (uint64_t)json_integer_value(lv);
        size_t kept = *text ? strlen(*text) : 0;
        if (length < kept)
            return bad(err, &el, "length", "%" PRIu64 " is less than the %zu bytes %s holds", length, kept, field);
        fb_cut *k = cut_add(c, field);
        if (!k)
            return fb_err_set(err, FB_ENOMEM, "out of memory");
        k->kept = kept;
        k->length = length;
        for (size_t j = 0; j <= hn; j++)
            k->sha256[j] = (char)(sha[j] >= 'A' && sha[j] <= 'F' ? sha[j] - 'A' + 'a' : sha[j]);
    }
    return FB_OK;
}

/* ---- lines past the caps: long strings cut before jansson reads them ---- */

static int scan_reserve(cut_scan *o, size_t more)
{
    if (o->len + more <= o->cap)
        return 0;
    size_t ncap = o->cap ? o->cap : 1 << 16;
    while (ncap < o->len + more)
        ncap *= 2;
    char *nb = realloc(o->buf, ncap);
    if (!nb)
        return -1;
    o->buf = nb;
    o->cap = ncap;
    return 0;
}

static int scan_put(cut_scan *o, const char *s, size_t n)
{
    if (scan_reserve(o, n) != 0)
        return -1;
    memcpy(o->buf + o->len, s, n);
    o->len += n;
    return 0;
}

static int hexval(int ch)
{
    return ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
         : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
}

static long hex4(const char *p, const char *end)
{
    if (end - p < 4)
        return -1;
    long v = 0;
    for (int i = 0; i < 4; i++) {
        int h = hexval((unsigned char)p[i]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

/* Decodes one character of a JSON string body at *pp (not at its closing quote) into
 * out (1-4 UTF-8 bytes); returns their count, or -1 with *why set. */
static int decode_char(const char **pp, const char *end, unsigned char out[4], const char **why)
{
    const unsigned char *p = (const unsigned char *)*pp;
    uint32_t cp;
    if (*p == '\\') {
        if ((const char *)p + 1 >= end)
            return *why = "unterminated escape", -1;
        static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
        const char *simple = p[1] ? strchr(from, p[1]) : NULL;
        if (simple) {
            out[0] = (unsigned char)to[simple - from];
            *pp += 2;
            return 1;
        }
        if (p[1] != 'u')
            return *why = "invalid escape", -1;
        long v = hex4((const char *)p + 2, end);
        if (v < 0)
            return *why = "invalid \\u escape", -1;
        if (v == 0)
            return *why = "\\u0000 (NUL) is not allowed in strings", -1;
        cp = (uint32_t)v;
        int used = 6;
        if (cp >= 0xd800 && cp <= 0xdbff) {
            long lo = (const char *)p + 12 <= end && p[6] == '\\' && p[7] == 'u' ? hex4((const char *)p + 8, end) : -1;
            if (lo < 0xdc00 || lo > 0xdfff)
                return *why = "invalid Unicode surrogate pair", -1;
            cp = 0x10000 + ((cp - 0xd800) << 10) + ((uint32_t)lo - 0xdc00);
            used = 12;
        } else if (cp >= 0xdc00 && cp <= 0xdfff) {
            return *why = "invalid Unicode surrogate pair", -1;
        }
        *pp += used;
        if (cp < 0x80) {
            out[0] = (unsigned char)cp;
            return 1;
        }
        if (cp < 0x800) {
            out[0] = (unsigned char)(0xc0 | cp >> 6);
            out[1] = (unsigned char)(0x80 | (cp & 0x3f));
            return 2;
        }
        if (cp < 0x10000) {
            out[0] = (unsigned char)(0xe0 | cp >> 12);
            out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
            out[2] = (unsigned char)(0x80 | (cp & 0x3f));
            return 3;
        }
        out[0] = (unsigned char)(0xf0 | cp >> 18);
        out[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
        out[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
        out[3] = (unsigned char)(0x80 | (cp & 0x3f));
        return 4;
    }
    if (*p < 0x20)
        return *why = "control character in a string (escape it)", -1;
    int n = *p < 0x80 ? 1 : *p >= 0xc2 && *p <= 0xdf ? 2 : *p >= 0xe0 && *p <= 0xef ? 3 : *p >= 0xf0 && *p <= 0xf4 ? 4 : 0;
    if (!n || (const char *)p + n > end)
        return *why = "invalid UTF-8 (the file must be UTF-8)", -1;
    for (int i = 1; i < n; i++)
        if ((p[i] & 0xc0) != 0x80)
            return *why = "invalid UTF-8 (the file must be UTF-8)", -1;
    if ((*p == 0xe0 && p[1] < 0xa0) || (*p == 0xed && p[1] >= 0xa0) || (*p == 0xf0 && p[1] < 0x90) ||
        (*p == 0xf4 && p[1] >= 0x90))
        return *why = "invalid UTF-8 (the file must be UTF-8)", -1;
    memcpy(out, p, (size_t)n);
    *pp += n;
    return n;
}

/* Copies a line longer than LIM_FIELD into o, cutting every string value that decodes to
 * more than its cap: LIM_FIELD, or, once the line has kept LIM_LINE bytes of text,
 * LIM_PREVIEW. A cut string keeps its start (whole characters), then \u0000 and its
 * record's index; the record holds the original's length and SHA-256. Object keys are
 * never cut (a cut key could collide with another). Malformed strings are refused here
 * ("json: byte N: problem") where jansson would not see them. */
static fb_status cut_long_strings(const char *line, size_t len, cut_scan *o, fb_err *err)
{
    enum { MAX_DEPTH = 4096 };
    char stack[MAX_DEPTH];
    int depth = 0, expect_key = 0, whole_fits = len <= LIM_LINE;
    const char *p = line, *end = line + len;
    while (p < end) {
        const char *run = p;
        while (p < end && *p != '"') {   /* structure up to the next string */
            switch (*p) {
            case '{':
            case '[':
                if (depth < MAX_DEPTH)
                    stack[depth] = *p;
                depth++;
                expect_key = *p == '{';
                break;
            case '}':
            case ']':
                depth -= depth > 0;
                expect_key = 0;
                break;
            case ',':
                expect_key = depth > 0 && depth <= MAX_DEPTH && stack[depth - 1] == '{';
                break;
            case ':':
                expect_key = 0;
                break;
            default:
                break;
            }
            p++;
        }
        if (scan_put(o, run, (size_t)(p - run)) != 0)
            goto oom;
        if (p >= end)
            break;
        /* A string: find its end, decoding only when it may be over its cap. */
        const char *s = p + 1, *q = s;
        int is_key = expect_key;
        expect_key = 0;
        uint64_t cap = LIM_FIELD;
        if (!whole_fits) {
            uint64_t left = o->kept_total < (uint64_t)LIM_LINE ? (uint64_t)LIM_LINE - o->kept_total : 0;
            cap = left < (uint64_t)LIM_FIELD ? left : (uint64_t)LIM_FIELD;
            if (cap < (uint64_t)LIM_PREVIEW)
                cap = LIM_PREVIEW;
        }
        while (q < end && *q != '"') {
            if (*q == '\\' && q + 1 < end) {
                if (q[1] == 'u' && hex4(q + 2, end) == 0)
                    return fb_err_set(err, FB_EINPUT, "json: byte %zu: \\u0000 (NUL) is not allowed in strings",
                                      (size_t)(q - line) + 1);
                q += 2;
            } else {
                q++;
            }
        }
        if (q >= end) {   /* unterminated: jansson names the problem */
            if (scan_put(o, p, (size_t)(end - p)) != 0)
                goto oom;
            break;
        }
        if (is_key || (uint64_t)(q - s) <= cap) {
            o->kept_total += is_key ? 0 : (uint64_t)(q - s);
            if (scan_put(o, p, (size_t)(q + 1 - p)) != 0)
                goto oom;
            p = q + 1;
            continue;
        }
        struct sha256_ctx sha;
        sha256_init(&sha);
        unsigned char dec[4096 + 4];
        size_t nd = 0;
        uint64_t total = 0, kept = 0;
        const char *cut_at = NULL, *r = s;
        while (r < q) {
            const char *at = r, *why = NULL;
            int n = decode_char(&r, q, dec + nd, &why);
            if (n < 0)
                return fb_err_set(err, FB_EINPUT, "json: byte %zu: %s", (size_t)(at - line) + 1, why);
            if (!cut_at && total + (uint64_t)n > cap) {
                cut_at = at;
                kept = total;
            }
            total += (uint64_t)n;
            nd += (size_t)n;
            if (nd >= 4096) {
                sha256_update(&sha, nd, dec);
                nd = 0;
            }
        }
        if (!cut_at) {   /* escapes made it longer raw than decoded: it fits */
            o->kept_total += total;
            if (scan_put(o, p, (size_t)(q + 1 - p)) != 0)
                goto oom;
            p = q + 1;
            continue;
        }
        sha256_update(&sha, nd, dec);
        if (o->n_rec == o->cap_rec) {
            size_t nc = o->cap_rec ? o->cap_rec * 2 : 16;
            cut_rec *nr = realloc(o->rec, nc * sizeof *nr);
            if (!nr)
                goto oom;
            o->rec = nr;
            o->cap_rec = nc;
        }
        cut_rec *rec = &o->rec[o->n_rec];
        rec->length = total;
        sha256_digest(&sha, sizeof rec->sha, rec->sha);
        char tail[32];
        int tn = snprintf(tail, sizeof tail, "\\u0000%zu\"", o->n_rec++);
        o->kept_total += kept;
        if (scan_put(o, p, (size_t)(cut_at - p)) != 0 || scan_put(o, tail, (size_t)tn) != 0)
            goto oom;
        p = q + 1;
    }
    return FB_OK;
oom:
    return fb_err_set(err, FB_ENOMEM, "out of memory");
}

/* Replaces each cut string of the tree by its kept start, and puts the case's cut records
 * in its "cut" member: the line as it goes upstream (sentinels cannot: PostgreSQL's jsonb
 * refuses \u0000). */
static void strip_sentinels(json_t *v)
{
    if (json_is_object(v)) {
        const char *key;
        json_t *m;
        json_object_foreach(v, key, m)
            strip_sentinels(m);
    } else if (json_is_array(v)) {
        for (size_t i = 0; i < json_array_size(v); i++)
            strip_sentinels(json_array_get(v, i));
    } else if (json_is_string(v)) {
        const char *s = json_string_value(v);
        if (memchr(s, '\0', json_string_length(v)))
            json_string_setn(v, s, strlen(s));
    }
}

/* ---- an arena for the parse tree ----
 * jansson allocates every value, key and hash table of a line separately, and the tree
 * lives only while its line is validated: a bump allocator, reset after each line,
 * replaces about a hundred malloc/free pairs per case. Only the import reader thread has
 * an arena (arena_mine); only its json_loadb .. json_decref window allocates from it
 * (arena_base). Everything else, and whatever does not fit, is plain malloc, and free
 * tells the two apart by address. */
enum { ARENA_SIZE = 256 * 1024 };
static _Thread_local char *arena_mine;   /* this thread's arena buffer, if it has one */
static _Thread_local char *arena_base;   /* arena_mine while a line's tree is alive */
static _Thread_local size_t arena_used;
static pthread_once_t arena_once = PTHREAD_ONCE_INIT;

static void *arena_malloc(size_t n)
{
    if (arena_base) {
        size_t at = (arena_used + 15) & ~(size_t)15;
        if (n <= ARENA_SIZE && at <= ARENA_SIZE - n) {
            arena_used = at + n;
            return arena_base + at;
        }
    }
    return malloc(n);
}

static void arena_free(void *p)
{
    if (arena_base && (char *)p >= arena_base && (char *)p < arena_base + ARENA_SIZE)
        return;   /* released with the whole arena at the end of the line */
    free(p);
}

static void arena_install(void) { json_set_alloc_funcs(arena_malloc, arena_free); }

/* Gives the calling thread an arena (the reader thread, for its whole life). */
static void arena_open(void)
{
    pthread_once(&arena_once, arena_install);
    arena_mine = malloc(ARENA_SIZE);   /* NULL: no arena, plain malloc */
}

static void arena_close(void)
{
    free(arena_mine);
    arena_mine = NULL;
}

static char *normalised_doc(json_t *root, const fb_case *c)
{
    strip_sentinels(root);
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < c->n_cuts; i++)
        json_array_append_new(arr, json_pack("{s:s, s:I, s:s}", "field", c->cuts[i].field, "length",
                                             (json_int_t)c->cuts[i].length, "sha256", c->cuts[i].sha256));
    if (!arr || json_object_set_new(root, "cut", arr) != 0)
        return NULL;
    /* The text outlives the line's arena: plain malloc while it is written. */
    char *saved = arena_base;
    arena_base = NULL;
    char *doc = json_dumps(root, JSON_COMPACT);
    arena_base = saved;
    return doc;
}

static fb_status parse_line(const char *line, size_t len, fb_case **out, char **doc, fb_err *err)
{
    *out = NULL;
    if (doc)
        *doc = NULL;
    cut_scan scan = {0};
    size_t flags = JSON_REJECT_DUPLICATES;
    fb_status st = FB_OK;
    json_t *root = NULL;
    fb_case *c = NULL;
    if (len > LIM_FIELD) {
        if ((st = cut_long_strings(line, len, &scan, err)) != FB_OK)
            goto done;
        if (scan.n_rec) {
            line = scan.buf;
            len = scan.len;
            flags |= JSON_ALLOW_NUL;   /* only our own markers: cut_long_strings refused the input's */
        }
    }
    json_error_t je;
    arena_base = arena_mine;
    arena_used = 0;
    root = json_loadb(line, len, flags, &je);
    if (!root) {
        char text[512];
        escape_into(je.text, strlen(je.text), text, sizeof text, 200, 0);
        if (json_error_code(&je) == json_error_invalid_utf8)
            st = fb_err_set(err, FB_EINPUT, "json: invalid UTF-8 at column %d (%s); the file must be UTF-8",
                            je.column, text);
        else if (json_error_code(&je) == json_error_null_character)   /* jansson names its own flag */
            st = fb_err_set(err, FB_EINPUT, "json: column %d: \\u0000 (NUL) is not allowed in strings", je.column);
        else
            st = fb_err_set(err, FB_EINPUT, "json: column %d: %s", je.column, text);
        goto done;
    }
    if (!json_is_object(root)) {
        st = fb_err_set(err, FB_EINPUT, "line: expected a JSON object (one case), got %s", jtype(root));
        goto done;
    }
    if (!(c = fb_case_new())) {
        st = fb_err_set(err, FB_ENOMEM, "out of memory");
        goto done;
    }
    line_scan = &scan;
    line_case = c;
    st = parse_case(root, c, err);
    if (st == FB_OK)
        st = parse_cut_list(root, c, err);
    line_scan = NULL;
    line_case = NULL;
    if (st == FB_OK && doc && scan.n_rec && !(*doc = normalised_doc(root, c)))
        st = fb_err_set(err, FB_ENOMEM, "out of memory");
done:
    json_decref(root);
    arena_base = NULL;
    free(scan.buf);
    free(scan.rec);
    if (st != FB_OK)
        fb_case_free(&c);
    *out = c;
    return st;
}

fb_status import_parse_line(const char *line, size_t len, fb_case **out, fb_err *err)
{
    return parse_line(line, len, out, NULL, err);
}

fb_status import_parse_line_doc(const char *line, size_t len, fb_case **out, char **doc, fb_err *err)
{
    return parse_line(line, len, out, doc, err);
}

/* ---- the stream ---- */

/* Case ids seen in this file (open addressing over an arena of the ids), so a second
 * line with the same id is refused: which of the two was meant is unknowable. */
typedef struct seen_slot {
    size_t off;      /* 0 = empty; else arena offset + 1 */
    long line;
} seen_slot;
typedef struct seen_set {
    seen_slot *slot;
    size_t cap, used;
    char *arena;
    size_t alen, acap;
} seen_set;

static uint64_t hash_str(const char *s)
{
    uint64_t h = 0xcbf29ce484222325u;   /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3u;
    return h ^ (h >> 29);
}

/* Returns the line an id was first seen on, or 0 after recording it; -1 out of memory. */
static long seen_add(seen_set *ss, const char *id, long line)
{
    if (ss->used * 2 >= ss->cap) {
        size_t ncap = ss->cap ? ss->cap * 2 : 1024;
        seen_slot *ns = calloc(ncap, sizeof *ns);
        if (!ns)
            return -1;
        for (size_t i = 0; i < ss->cap; i++) {
            if (!ss->slot[i].off)
                continue;
            size_t j = hash_str(ss->arena + ss->slot[i].off - 1) & (ncap - 1);
            while (ns[j].off)
                j = (j + 1) & (ncap - 1);
            ns[j] = ss->slot[i];
        }
        free(ss->slot);
        ss->slot = ns;
        ss->cap = ncap;
    }
    size_t j = hash_str(id) & (ss->cap - 1);
    for (; ss->slot[j].off; j = (j + 1) & (ss->cap - 1))
        if (strcmp(ss->arena + ss->slot[j].off - 1, id) == 0)
            return ss->slot[j].line;
    size_t n = strlen(id) + 1;
    if (ss->alen + n > ss->acap) {
        size_t ncap = ss->acap ? ss->acap * 2 : 65536;
        while (ncap < ss->alen + n)
            ncap *= 2;
        char *na = realloc(ss->arena, ncap);
        if (!na)
            return -1;
        ss->arena = na;
        ss->acap = ncap;
    }
    memcpy(ss->arena + ss->alen, id, n);
    ss->slot[j].off = ss->alen + 1;
    ss->slot[j].line = line;
    ss->alen += n;
    ss->used++;
    return 0;
}

static void seen_free(seen_set *ss)
{
    free(ss->slot);
    free(ss->arena);
}

static int blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return 0;
    return 1;
}

/* Reading and parsing run in a thread of their own, ahead of the caller's callbacks
 * (which write the store on the calling thread): jansson costs about as much per case as
 * the store does, so on two cores the pipeline roughly doubles the import rate. Items
 * go through a bounded queue in file order, so reports stay in line order.
 *
 * Two things keep the hand-over cheap for the consumer, which is the slower side:
 * - a full queue wakes the reader only once it is half empty, not at every item (a
 *   wake-up per case cost a futex call and a context switch each);
 * - consumed cases go back to the reader thread to be freed: they were allocated there,
 *   and glibc frees another thread's chunks under that thread's arena lock, which the
 *   reader holds while it allocates the next cases. */
enum { QUEUE_CAP = 512 };

typedef struct item {
    fb_case *c;          /* a good case, or */
    char *bad;           /* a "FILE:LINE: field: problem" message, or */
    fb_err *failed;      /* the prepare callback's failure on a good case */
    long line;
} item;

typedef struct reader {
    FILE *f;
    const char *shown;
    pthread_mutex_t mu;
    pthread_cond_t not_empty, not_full;
    item q[QUEUE_CAP];
    size_t head, count;
    int done;            /* the reader has finished (EOF, error or stop) */
    int stop;            /* the consumer wants no more */
    long lines, bad;     /* written by the reader, read after join */
    fb_err err;          /* the reader's own failure (I/O, memory) */
    import_prep_fn prep; /* run on each good case in the reader thread */
    const void *prep_ctx;
    fb_case *used[QUEUE_CAP];   /* consumed cases for the reader to free */
    size_t n_used;
} reader;

static void item_free(item *it)
{
    fb_case_free(&it->c);
    free(it->bad);
    it->bad = NULL;
    free(it->failed);
    it->failed = NULL;
}

/* Queues an item; 0 when the consumer has stopped (the item is then freed). Frees the
 * cases the consumer has handed back. */
static int reader_put(reader *r, item *it)
{
    fb_case *used[QUEUE_CAP];
    pthread_mutex_lock(&r->mu);
    while (r->count == QUEUE_CAP && !r->stop)
        pthread_cond_wait(&r->not_full, &r->mu);
    int ok = !r->stop;
    if (ok) {
        r->q[(r->head + r->count) % QUEUE_CAP] = *it;
        if (r->count++ == 0)
            pthread_cond_signal(&r->not_empty);   /* the consumer waits only on an empty queue */
    }
    size_t n_used = r->n_used;
    memcpy(used, r->used, n_used * sizeof used[0]);
    r->n_used = 0;
    pthread_mutex_unlock(&r->mu);
    for (size_t i = 0; i < n_used; i++)
        fb_case_free(&used[i]);
    if (!ok)
        item_free(it);
    return ok;
}

/* Takes the next item; 0 when the reader is done and the queue empty. *give_back (the
 * case of the previous item, if any) goes to the reader thread to be freed. */
static int reader_get(reader *r, item *out, fb_case **give_back)
{
    pthread_mutex_lock(&r->mu);
    if (*give_back && r->n_used < QUEUE_CAP) {
        r->used[r->n_used++] = *give_back;
        *give_back = NULL;
    }
    while (r->count == 0 && !r->done)
        pthread_cond_wait(&r->not_empty, &r->mu);
    int ok = r->count > 0;
    if (ok) {
        *out = r->q[r->head];
        r->head = (r->head + 1) % QUEUE_CAP;
        if (r->count-- == QUEUE_CAP / 2 + 1)
            pthread_cond_signal(&r->not_full);    /* the reader waits only on a full queue */
    }
    pthread_mutex_unlock(&r->mu);
    fb_case_free(give_back);   /* no room to hand it back */
    return ok;
}

static void *reader_main(void *arg)
{
    reader *r = arg;
    char *buf = NULL;
    size_t cap = 0;
    ssize_t got;
    long lineno = 0;
    seen_set seen = {0};
    arena_open();
    while ((got = getline(&buf, &cap, r->f)) >= 0) {
        lineno++;
        size_t len = (size_t)got;
        char *line = buf;
        if (len && line[len - 1] == '\n')
            len--;
        if (len && line[len - 1] == '\r')   /* CRLF files from other systems */
            len--;
        if (lineno == 1 && len >= 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0) {   /* a UTF-8 byte order mark */
            line += 3;
            len -= 3;
        }
        if (blank(line, len))
            continue;
        r->lines++;
        item it = {NULL, NULL, NULL, lineno};
        fb_err lerr = {0};
        fb_status pst = import_parse_line(line, len, &it.c, &lerr);
        if (pst == FB_OK) {
            long first = seen_add(&seen, it.c->id, lineno);
            if (first < 0)
                pst = fb_err_set(&lerr, FB_ENOMEM, "out of memory");
            else if (first > 0) {
                char q[320];
                pst = fb_err_set(&lerr, FB_EINPUT, "case_id: duplicate case %s (first on line %ld)",
                                 quote(it.c->id, q, sizeof q), first);
            }
            if (pst != FB_OK)
                fb_case_free(&it.c);
        }
        if (pst == FB_ENOMEM) {
            fb_err_set(&r->err, FB_ENOMEM, "%s:%ld: out of memory", r->shown, lineno);
            break;
        }
        if (pst != FB_OK) {
            r->bad++;
            size_t n = strlen(r->shown) + strlen(lerr.msg) + 32;
            it.bad = malloc(n);
            if (!it.bad) {
                fb_err_set(&r->err, FB_ENOMEM, "%s:%ld: out of memory", r->shown, lineno);
                break;
            }
            snprintf(it.bad, n, "%s:%ld: %s", r->shown, lineno, lerr.msg);
        } else if (r->prep) {
            fb_err perr = {0};
            if (r->prep(r->prep_ctx, it.c, &perr) != FB_OK) {
                it.failed = malloc(sizeof *it.failed);
                if (!it.failed) {
                    fb_case_free(&it.c);
                    fb_err_set(&r->err, FB_ENOMEM, "%s:%ld: out of memory", r->shown, lineno);
                    break;
                }
                *it.failed = perr;
            }
        }
        if (!reader_put(r, &it))
            break;
    }
    if (r->err.status == FB_OK && ferror(r->f))
        fb_err_set(&r->err, FB_EIO, "reading %s: %s", r->shown, strerror(errno));
    free(buf);
    seen_free(&seen);
    arena_close();
    pthread_mutex_lock(&r->mu);
    r->done = 1;
    pthread_cond_signal(&r->not_empty);
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

fb_status import_stream(const char *path, import_case_fn case_fn, import_bad_fn bad_fn, void *ctx,
                        import_report *report, fb_err *err)
{
    return import_stream_prepared(path, NULL, NULL, case_fn, bad_fn, ctx, report, err);
}

fb_status import_stream_prepared(const char *path, import_prep_fn prep, const void *prep_ctx,
                                 import_case_fn case_fn, import_bad_fn bad_fn, void *ctx,
                                 import_report *report, fb_err *err)
{
    int is_stdin = strcmp(path, "-") == 0;
    reader *r = calloc(1, sizeof *r);
    if (!r)
        return fb_err_set(err, FB_ENOMEM, "out of memory");
    r->shown = is_stdin ? "<stdin>" : path;
    r->prep = prep;
    r->prep_ctx = prep_ctx;
    r->f = is_stdin ? stdin : fopen(path, "rb");
    if (!r->f) {
        free(r);
        return fb_err_set(err, FB_EIO, "cannot open %s: %s", path, strerror(errno));
    }
    pthread_mutex_init(&r->mu, NULL);
    pthread_cond_init(&r->not_empty, NULL);
    pthread_cond_init(&r->not_full, NULL);
    pthread_t th;
    fb_status st = FB_OK;
    long cases = 0;
    if (pthread_create(&th, NULL, reader_main, r) != 0) {
        st = fb_err_set(err, FB_EINTERNAL, "cannot start the import reader thread");
        goto done;
    }
    item it;
    fb_case *used = NULL;
    while (reader_get(r, &it, &used)) {
        if (it.bad) {
            if (bad_fn)
                bad_fn(ctx, it.bad);
        } else if (it.failed) {
            cases++;
            *err = *it.failed;
            st = fb_err_wrap(err, "%s:%ld", r->shown, it.line);
        } else {
            cases++;
            st = case_fn ? case_fn(ctx, it.c, it.line, err) : FB_OK;
        }
        used = it.c;   /* freed by the reader thread */
        it.c = NULL;
        item_free(&it);
        if (st != FB_OK)
            break;
    }
    fb_case_free(&used);
    /* Stop the reader (it may be waiting for room), then drop what it queued. */
    pthread_mutex_lock(&r->mu);
    r->stop = 1;
    pthread_cond_broadcast(&r->not_full);
    pthread_mutex_unlock(&r->mu);
    pthread_join(th, NULL);
    for (size_t i = 0; i < r->n_used; i++)
        fb_case_free(&r->used[i]);
    while (r->count) {
        item_free(&r->q[r->head]);
        r->head = (r->head + 1) % QUEUE_CAP;
        r->count--;
    }
    if (st == FB_OK && r->err.status != FB_OK) {
        *err = r->err;
        st = err->status;
    }
    if (st == FB_OK && r->bad)
        st = fb_err_set(err, FB_EINPUT, "%s: %ld bad line%s", r->shown, r->bad, r->bad == 1 ? "" : "s");
done:
    if (report) {
        report->lines = r->lines;
        report->cases = cases;
        report->bad = r->bad;
    }
    if (!is_stdin)
        fclose(r->f);
    pthread_cond_destroy(&r->not_full);
    pthread_cond_destroy(&r->not_empty);
    pthread_mutex_destroy(&r->mu);
    free(r);
    return st;
}
