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

/* Fills c->signals, c->matches, c->risk (0..100) and c->suggested from the evidence. */
fb_status signals_compute(fb_case *c, const fb_rules *rules, fb_err *err);

#endif
