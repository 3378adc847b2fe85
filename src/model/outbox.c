/* The outbox contract (outbox.h): encode and decode from the field tables. */
#include "fbreview/outbox.h"

#include <jansson.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

enum ftype { F_STR, F_INT, F_NINT, F_BOOL };

typedef struct field {
    const char *name;
    enum ftype type;
    int required;
    size_t offset;
} field;

#define FIELD_ROW(st, name, type, req) {#name, F_##type, req, offsetof(st, name)},
#define DEC_ROW(name, type, req) FIELD_ROW(outbox_decision, name, type, req)
#define APR_ROW(name, type, req) FIELD_ROW(outbox_approval, name, type, req)
#define APL_ROW(name, type, req) FIELD_ROW(outbox_appeal, name, type, req)
#define NOTE_ROW(name, type, req) FIELD_ROW(outbox_note, name, type, req)
static const field decision_fields[] = {FB_OUTBOX_DECISION_FIELDS(DEC_ROW)};
static const field approval_fields[] = {FB_OUTBOX_APPROVAL_FIELDS(APR_ROW)};
static const field appeal_fields[] = {FB_OUTBOX_APPEAL_FIELDS(APL_ROW)};
static const field note_fields[] = {FB_OUTBOX_NOTE_FIELDS(NOTE_ROW)};

#define FIELDS(arr) {arr, sizeof arr / sizeof arr[0]}
static const struct {
    const field *fields;
    size_t n;
} kinds[] = {
    [OUTBOX_DECISION] = FIELDS(decision_fields),
    [OUTBOX_APPROVAL] = FIELDS(approval_fields),
    [OUTBOX_APPEAL] = FIELDS(appeal_fields),
    [OUTBOX_NOTE] = FIELDS(note_fields),
};

static const char *const kind_names[] = {
#define FB_X(e, s) [e] = s,
    FB_OUTBOX_KIND_TABLE(FB_X)
#undef FB_X
};
_Static_assert(sizeof kinds / sizeof kinds[0] == OUTBOX_KIND_COUNT, "a kind without fields");

const char *outbox_kind_str(outbox_kind k) { return k >= 0 && k < OUTBOX_KIND_COUNT ? kind_names[k] : NULL; }

outbox_kind outbox_kind_from_str(const char *s)
{
    for (int i = 0; s && i < OUTBOX_KIND_COUNT; i++)
        if (strcmp(kind_names[i], s) == 0)
            return (outbox_kind)i;
    return OUTBOX_UNKNOWN;
}

char *outbox_encode(const outbox_msg *m)
{
    if (m->kind < 0 || m->kind >= OUTBOX_KIND_COUNT)
        return NULL;
    const char *base = (const char *)&m->u;
    json_t *o = json_object();
    if (!o)
        return NULL;
    for (size_t i = 0; i < kinds[m->kind].n; i++) {
        const field *f = &kinds[m->kind].fields[i];
        const void *p = base + f->offset;
        json_t *v = NULL;
        switch (f->type) {
        case F_STR: {
            const char *sv = *(const char *const *)p;
            v = sv && sv[0] ? json_string(sv) : json_null();
            break;
        }
        case F_INT: v = json_integer(*(const int64_t *)p); break;
        case F_NINT: v = *(const int64_t *)p >= 0 ? json_integer(*(const int64_t *)p) : json_null(); break;
        case F_BOOL: v = json_boolean(*(const int *)p); break;
        }
        if (!v || json_object_set_new(o, f->name, v) != 0) {
            json_decref(o);
            return NULL;
        }
    }
    char *s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(o);
    return s;
}

void outbox_msg_clear(outbox_msg *m)
{
    json_decref((json_t *)m->json);
    memset(m, 0, sizeof *m);
    m->kind = OUTBOX_UNKNOWN;
}

fb_status outbox_decode(const char *kind, const char *payload, outbox_msg *out, fb_err *err)
{
    memset(out, 0, sizeof *out);
    out->kind = outbox_kind_from_str(kind);
    if (out->kind == OUTBOX_UNKNOWN)
        return fb_err_set(err, FB_EINPUT, "outbox %s: unknown kind (this fbreview knows decision, approval, "
                                          "appeal and note)", kind ? kind : "(none)");
    json_error_t je;
    json_t *o = payload ? json_loads(payload, JSON_REJECT_DUPLICATES, &je) : NULL;
    if (!json_is_object(o)) {
        json_decref(o);
        out->kind = OUTBOX_UNKNOWN;
        return fb_err_set(err, FB_EINPUT, "outbox %s: payload is not a JSON object", kind);
    }
    out->json = o;
    char *base = (char *)&out->u;
    for (size_t i = 0; i < kinds[out->kind].n; i++) {
        const field *f = &kinds[out->kind].fields[i];
        json_t *v = json_object_get(o, f->name);
        void *p = base + f->offset;
        const char *problem = NULL;
        if (!v || json_is_null(v)) {
            if (f->required)
                problem = "missing";
            else if (f->type == F_NINT)
                *(int64_t *)p = -1;
        } else {
            switch (f->type) {
            case F_STR:
                if (json_is_string(v))
                    *(const char **)p = json_string_value(v);
                else
                    problem = "not a string";
                break;
            case F_INT: case F_NINT:
                if (json_is_integer(v) && (f->type == F_INT || json_integer_value(v) >= 0))
                    *(int64_t *)p = json_integer_value(v);
                else
                    problem = f->type == F_INT ? "not an integer" : "not a whole number or null";
                break;
            case F_BOOL:
                /* 0 and 1 too: SQLite's json_object has no booleans */
                if (json_is_boolean(v))
                    *(int *)p = json_is_true(v);
                else if (json_is_integer(v) && (json_integer_value(v) == 0 || json_integer_value(v) == 1))
                    *(int *)p = (int)json_integer_value(v);
                else
                    problem = "not true or false";
                break;
            }
        }
        if (problem) {
            outbox_msg_clear(out);
            return fb_err_set(err, FB_EINPUT, "outbox %s: %s: %s", kind, f->name, problem);
        }
    }
    return FB_OK;
}
