/* Decisions and history rows in words (describe.h). */
#include "fbreview/describe.h"

#include "fbreview/decision.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Appends to buf (always terminated, cut when full). */
static void add(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void add(char *buf, size_t n, const char *fmt, ...)
{
    size_t len = strlen(buf);
    if (len + 1 >= n)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + len, n - len, fmt, ap);
    va_end(ap);
}

const char *describe_decision(const fb_decision_row *d, char *buf, size_t n)
{
    return decision_describe(d->action, d->violation, d->days, buf, n);
}

/* What the audit records, as History shows it: the kinds whose event has a row of its own
 * (the decision, the note, the appeal) are not shown twice; the others are events in
 * words (their label, and which of the detail's fields say what happened). */
#define FB_AUDIT_WORDS_TABLE(X)                                        \
    X("decision", NULL)          /* the decision's own row */           \
    X("note", NULL)              /* the note's own row */               \
    X("appeal", NULL)            /* the appeal's own row */             \
    X("approval", "approval")                                         \
    X("undo", "undo")                                                 \
    X("conflict", "conflict answered")                                \
    X("discard", "discarded")                                         \
    X("purge", "evidence purged")
static const struct {
    const char *kind, *label;
} audit_words[] = {
#define FB_X(kind, label) {kind, label},
    FB_AUDIT_WORDS_TABLE(FB_X)
#undef FB_X
};

/* The table's entry for an audit kind; NULL for a kind it does not know (shown as recorded). */
static const char *const *audit_entry(const char *kind)
{
    for (size_t i = 0; kind && i < sizeof audit_words / sizeof audit_words[0]; i++)
        if (strcmp(audit_words[i].kind, kind) == 0)
            return &audit_words[i].label;
    return NULL;
}

int describe_history_shown(const fb_history_row *r)
{
    if (r->kind != FB_HIST_AUDIT)
        return 1;
    const char *const *label = audit_entry(r->audit_kind);
    return !label || *label;
}

const char *describe_history_label(const fb_history_row *r, char *buf, size_t n)
{
    buf[0] = '\0';
    const char *const *label = r->kind == FB_HIST_AUDIT ? audit_entry(r->audit_kind) : NULL;
    if (label && *label)
        add(buf, n, "%s", *label);
    else if (r->kind == FB_HIST_AUDIT)
        add(buf, n, "audit: %s", r->audit_kind ? r->audit_kind : "?");
    else
        add(buf, n, "%s", fb_hist_str(r->kind));
    return buf;
}

/* A string field of an audit detail (JSON written by core), or NULL. */
static const char *jfield(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* The known audit events in words from their detail's fields; 0 when the detail is not
 * what core writes (then the fields are listed as recorded). */
static int audit_words_of(const char *kind, const char *detail, char *buf, size_t n)
{
    json_t *o = detail ? json_loads(detail, 0, NULL) : NULL;
    int done = 1;
    const char *a;
    if (!json_is_object(o)) {
        done = 0;
    } else if (strcmp(kind, "approval") == 0 && (a = jfield(o, "approval"))) {
        const char *why = jfield(o, "rationale");
        add(buf, n, "%s the block proposed by %s", strcmp(a, "approved") == 0 ? "approved" : "sent back",
            jfield(o, "proposer") ? jfield(o, "proposer") : "?");
        if (why)
            add(buf, n, " — %s", why);
    } else if (strcmp(kind, "undo") == 0 && (a = jfield(o, "action"))) {
        add(buf, n, "undid the decision (%s); the case went back to %s", a,
            jfield(o, "to") ? jfield(o, "to") : "?");
    } else if (strcmp(kind, "conflict") == 0 && (a = jfield(o, "resolution"))) {
        add(buf, n, "%s the decision that won (%.8s)", strcmp(a, "accepted") == 0 ? "accepted" : "appealed",
            jfield(o, "winner") ? jfield(o, "winner") : "?");
    } else if (strcmp(kind, "discard") == 0) {
        add(buf, n, "discarded the decision upstream rejected");
        if ((a = jfield(o, "upstream_note")))
            add(buf, n, ": %s", a);
    } else {
        done = 0;
    }
    json_decref(o);
    return done;
}

/* An audit entry's detail (JSON written by core) as its fields, nulls left out. */
static void audit_fields(const char *detail, char *buf, size_t n)
{
    json_t *o = detail ? json_loads(detail, 0, NULL) : NULL;
    if (!json_is_object(o)) {
        add(buf, n, "%s", detail ? detail : "");
        json_decref(o);
        return;
    }
    const char *key;
    json_t *v;
    int first = 1;
    json_object_foreach(o, key, v) {
        char num[32];
        const char *val = NULL;
        if (json_is_string(v))
            val = json_string_value(v);
        else if (json_is_integer(v))
            snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v)), val = num;
        else if (json_is_boolean(v))
            val = json_is_true(v) ? "yes" : "no";
        if (!val)
            continue;
        add(buf, n, "%s%s %s", first ? "" : " · ", key, val);
        first = 0;
    }
    json_decref(o);
}

const char *describe_history(const fb_history_row *r, char *buf, size_t n)
{
    char w[128];
    buf[0] = '\0';
    switch (r->kind) {
    case FB_HIST_DECISION:
        add(buf, n, "%s", decision_describe(r->action, r->violation, r->days, w, sizeof w));
        if (r->overridden)
            add(buf, n, " (overrides the recommendation)");
        if (r->approval == FB_APPR_PENDING)
            add(buf, n, " · awaiting approval");
        else if (r->approval == FB_APPR_APPROVED)
            add(buf, n, " · approved by %s", r->approved_by ? r->approved_by : "?");
        else if (r->approval == FB_APPR_REJECTED)
            add(buf, n, " · sent back by %s", r->approved_by ? r->approved_by : "?");
        if (r->undone)
            add(buf, n, " · undone");
        else
            add(buf, n, " · %s", fb_sync_str(r->sync_state) ? fb_sync_str(r->sync_state) : "?");
        if (r->resolution)
            add(buf, n, " (%s)", r->resolution);
        if ((r->sync_state == FB_SYNC_CONFLICT || r->sync_state == FB_SYNC_REJECTED) && r->upstream_note)
            add(buf, n, ": %s", r->upstream_note);
        if (r->winner && r->sync_state == FB_SYNC_CONFLICT)
            add(buf, n, " (winner %.8s)", r->winner);
        if (r->text)
            add(buf, n, " — %s", r->text);
        break;
    case FB_HIST_APPEAL:
    case FB_HIST_NOTE:
        add(buf, n, "%s", r->text ? r->text : "");
        break;
    case FB_HIST_AUDIT:
        if (r->audit_kind && strcmp(r->audit_kind, "purge") == 0) {
            /* retention.c writes "retention: {\"evidence_days\":N}". */
            int days = 0;
            if (r->text && sscanf(r->text, "retention: {\"evidence_days\":%d}", &days) == 1)
                add(buf, n, "the evidence was dropped by local retention ([retention] evidence_days %d)", days);
            else
                add(buf, n, "the evidence was dropped by local retention");
        } else if (!r->audit_kind || !audit_words_of(r->audit_kind, r->text, buf, n))
            audit_fields(r->text, buf, n);
        break;
    case FB_HIST_PRIOR:
        add(buf, n, "%s (%s)", decision_describe(r->action, r->violation, -1, w, sizeof w),
            r->source ? r->source : "?");
        break;
    case FB_HIST_EARLIER:
        add(buf, n, "%s on %s", decision_describe(r->action, r->violation, r->days, w, sizeof w),
            r->other_case ? r->other_case : "?");
        break;
    default:
        break;
    }
    return buf;
}
