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

const char *describe_history_label(const fb_history_row *r, char *buf, size_t n)
{
    buf[0] = '\0';
    if (r->kind == FB_HIST_AUDIT)
        add(buf, n, "audit: %s", r->audit_kind ? r->audit_kind : "?");
    else
        add(buf, n, "%s", fb_hist_str(r->kind));
    return buf;
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
