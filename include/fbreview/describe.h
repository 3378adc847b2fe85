#ifndef FBREVIEW_DESCRIBE_H
#define FBREVIEW_DESCRIBE_H
/* Decisions and history rows in words. An action is worded by decision_describe
 * (decision.h); these build on it for whole decisions and history rows. The console and
 * `show` call them; nothing parses their output. */

#include <stddef.h>

#include "fbreview/model.h"
#include "fbreview/store_decision.h"
#include "fbreview/store_queue.h"

/* A decision's action in words (decision_describe of its fields). */
const char *describe_decision(const fb_decision_row *d, char *buf, size_t n);
/* One history row: its label ("decision", "appeal", "audit: undo", ...) and what it says,
 * e.g. "education (fake_job) (overrides the recommendation) · approved by bob · synced —
 * rationale". Untrusted text is copied as it is: callers render it safely. */
const char *describe_history_label(const fb_history_row *r, char *buf, size_t n);
/* 0 for an audit entry whose event has a row of its own (a decision, a note, an appeal):
 * History shows each event once. */
int describe_history_shown(const fb_history_row *r);
const char *describe_history(const fb_history_row *r, char *buf, size_t n);

#endif
