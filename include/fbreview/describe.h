#ifndef FBREVIEW_DESCRIBE_H
#define FBREVIEW_DESCRIBE_H
/* Decisions and history rows in words: the one place English is made from them. The
 * console, `show` and the workflow's messages call these; nothing parses their output. */

#include <stddef.h>

#include "fbreview/model.h"
#include "fbreview/store_decision.h"
#include "fbreview/store_queue.h"

/* "suspension 30 days (self_hire)", "block (paid_feedback)", "no_violation" (days < 0:
 * a suspension of unknown length). */
const char *describe_action(fb_action a, fb_violation v, int days, char *buf, size_t n);
/* A decision's action in words (describe_action of its fields). */
const char *describe_decision(const fb_decision_row *d, char *buf, size_t n);
/* One history row: its label ("decision", "appeal", "audit: undo", ...) and what it says,
 * e.g. "education (fake_job) (overrides the recommendation) · approved by bob · synced —
 * rationale". Untrusted text is copied as it is: callers render it safely. */
const char *describe_history_label(const fb_history_row *r, char *buf, size_t n);
const char *describe_history(const fb_history_row *r, char *buf, size_t n);

#endif
