#ifndef FBREVIEW_OUTBOX_H
#define FBREVIEW_OUTBOX_H
/* The outbox contract: what a console sends upstream, one kind per row, each a JSON
 * object of typed fields. The kinds and their fields are declared once here; encode and
 * decode (and the struct of each kind) come from these tables, and core, the store, sync
 * and the upstream code all use them. A kind not in the table is refused loudly, never
 * taken as done. Vocabulary layer: the store may use it. */

#include <stdint.h>

#include "fbreview/err.h"

/* kind, stable name */
#define FB_OUTBOX_KIND_TABLE(X)          \
    X(OUTBOX_DECISION, "decision")       \
    X(OUTBOX_APPROVAL, "approval")       \
    X(OUTBOX_APPEAL, "appeal")           \
    X(OUTBOX_NOTE, "note")
typedef enum outbox_kind {
    OUTBOX_UNKNOWN = -1,
#define FB_X(e, s) e,
    FB_OUTBOX_KIND_TABLE(FB_X)
#undef FB_X
    OUTBOX_KIND_COUNT
} outbox_kind;

/* Field types: STR (text, null when NULL or ""), INT (integer), NINT (integer, null when
 * negative), BOOL (true/false; 0/1 read too). Each field: name, type, required on decode. */
#define OUTBOX_CTYPE_STR const char *
#define OUTBOX_CTYPE_INT int64_t
#define OUTBOX_CTYPE_NINT int64_t
#define OUTBOX_CTYPE_BOOL int

#define FB_OUTBOX_DECISION_FIELDS(X)  \
    X(decision_id, STR, 1)            \
    X(case_id, STR, 1)                \
    X(reviewer, STR, 1)               \
    X(action, STR, 1)                 \
    X(violation, STR, 0)              \
    X(days, NINT, 0)                  \
    X(rationale, STR, 0)              \
    X(rec_action, STR, 0)             \
    X(rec_violation, STR, 0)          \
    X(rec_days, NINT, 0)              \
    X(overridden, BOOL, 0)            \
    X(notice, STR, 0)                 \
    X(decided_at, INT, 1)             \
    X(supersedes, STR, 0)             \
    X(approval, STR, 0)               \
    X(claim_override, BOOL, 0)        \
    X(policy_version, NINT, 0)
#define FB_OUTBOX_APPROVAL_FIELDS(X)  \
    X(decision_id, STR, 1)            \
    X(approval, STR, 1)               \
    X(by, STR, 1)                     \
    X(rationale, STR, 0)              \
    X(at, INT, 1)
#define FB_OUTBOX_APPEAL_FIELDS(X)    \
    X(appeal_id, STR, 1)              \
    X(decision_id, STR, 1)            \
    X(case_id, STR, 1)                \
    X(text, STR, 1)                   \
    X(at, INT, 1)
#define FB_OUTBOX_NOTE_FIELDS(X)      \
    X(case_id, STR, 1)                \
    X(reviewer, STR, 1)               \
    X(text, STR, 1)                   \
    X(at, INT, 1)

#define FB_OUTBOX_FIELD(name, type, req) OUTBOX_CTYPE_##type name;
typedef struct outbox_decision { FB_OUTBOX_DECISION_FIELDS(FB_OUTBOX_FIELD) } outbox_decision;
typedef struct outbox_approval { FB_OUTBOX_APPROVAL_FIELDS(FB_OUTBOX_FIELD) } outbox_approval;
typedef struct outbox_appeal { FB_OUTBOX_APPEAL_FIELDS(FB_OUTBOX_FIELD) } outbox_appeal;
typedef struct outbox_note { FB_OUTBOX_NOTE_FIELDS(FB_OUTBOX_FIELD) } outbox_note;
#undef FB_OUTBOX_FIELD

/* One message. Decoded strings point into json (owned; outbox_msg_clear frees it). */
typedef struct outbox_msg {
    outbox_kind kind;
    union {
        outbox_decision decision;
        outbox_approval approval;
        outbox_appeal appeal;
        outbox_note note;
    } u;
    void *json;
} outbox_msg;

const char *outbox_kind_str(outbox_kind k);         /* NULL for an unknown kind */
outbox_kind outbox_kind_from_str(const char *s);    /* OUTBOX_UNKNOWN when not in the table */

/* The payload text of m (compact JSON, keys sorted), malloc'd; NULL when out of memory
 * or the kind is unknown. */
char *outbox_encode(const outbox_msg *m);
/* Reads a payload of the named kind into out. FB_EINPUT with "outbox KIND: FIELD: problem"
 * for an unknown kind, text that is not a JSON object, a missing required field or a
 * field of the wrong type; out is then cleared. */
fb_status outbox_decode(const char *kind, const char *payload, outbox_msg *out, fb_err *err);
void outbox_msg_clear(outbox_msg *m);

#endif
