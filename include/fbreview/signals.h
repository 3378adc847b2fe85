#ifndef FBREVIEW_SIGNALS_H
#define FBREVIEW_SIGNALS_H
/* Signals: why a case was flagged, computed from its evidence (DESIGN.md §5).
 * Each signal has a code, the violation it supports, a weight and a sentence.
 * Message phrase rules are data (data/phrases.tsv, loaded into the phrase_rule table). */

#include "fbreview/err.h"
#include "fbreview/model.h"

typedef struct fb_rules fb_rules;

/* The built-in phrase rules (data/phrases.tsv). */
fb_status signals_rules_default(fb_rules **out, fb_err *err);
/* Rules from TSV text: pattern<TAB>violation<TAB>weight<TAB>sentence; name is for errors. */
fb_status signals_rules_parse(const char *name, const char *tsv, fb_rules **out, fb_err *err);
void signals_rules_free(fb_rules **r);
/* The built-in rules file's text (data/phrases.tsv, embedded in the binary). */
const char *signals_rules_default_text(void);
/* An empty rule set, and one rule added to it (rules kept elsewhere: the phrase_rule table).
 * where names the rule in errors ("phrase_rule 7" -> "phrase_rule 7: weight: ..."). */
fb_status signals_rules_new(fb_rules **out, fb_err *err);
fb_status signals_rules_add(fb_rules *r, const char *where, const char *pattern, const char *violation,
                            int weight, const char *sentence, fb_err *err);
/* The rules in order, as given (to seed the phrase_rule table from the file). */
size_t signals_rules_count(const fb_rules *r);
void signals_rules_get(const fb_rules *r, size_t i,
                       const char **pattern,       /* OUT */
                       fb_violation *violation,    /* OUT */
                       int *weight,                /* OUT */
                       const char **sentence);     /* OUT */

/* Fills c->signals, c->matches, c->risk (0..100) and c->suggested from the evidence.
 * Pure: reads only the case and the rules (call ingest_derive_parties first: the reciprocal
 * and prior-violation signals look at c->subject and c->counterparty). */
fb_status signals_compute(fb_case *c, const fb_rules *rules, fb_err *err);

/* Replaces c's cross-case signals (rings, clusters: the STRUCTURE_SIGNAL_TABLE rows) with
 * those st supports, then re-sorts and re-scores (risk, suggested). The other signals stay
 * as they are, so c needs only its signals, accounts, subject and counterparty.
 * *changed says whether the cross-case signals differ from what c had. */
fb_status signals_structure(fb_case *c, const fb_structure *st,
                            int *changed,          /* OUT */
                            fb_err *err);

#endif
