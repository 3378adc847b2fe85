#ifndef FBREVIEW_SIGNALS_H
#define FBREVIEW_SIGNALS_H
/* Signals: why a case was flagged, computed from its evidence (DESIGN.md §6).
 * Each signal has a code, the violation it supports, a weight and a sentence. Message
 * signals come from the message analyser (core/analyse: data/lexicon.tsv, data/frames.tsv,
 * loaded into the lexicon_term and frame_rule tables). */

#include "fbreview/analyse.h"
#include "fbreview/err.h"
#include "fbreview/model.h"

/* Fills c->signals, c->matches, c->risk (0..100) and c->suggested from the evidence.
 * Pure: reads only the case and the analyser (NULL: no message analysis). Call
 * ingest_derive_parties first: the reciprocal and prior-violation signals look at
 * c->subject and c->counterparty. */
fb_status signals_compute(fb_case *c, const fb_analyser *analyser, fb_err *err);

/* What the messages say about the grounds for no_violation, from the analyser's "read"
 * and "ok" frames (their signals' codes start with these prefixes; weight 0). */
#define SIGNALS_READ_PREFIX "read_"
#define SIGNALS_OK_PREFIX "ok_"
typedef enum fb_stance {
    FB_STANCE_SILENT,   /* no frame spoke: no talk of reviews, no lever the analyser knows */
    FB_STANCE_OK,       /* only plain patterns (a request, thanks, a rating given, a refusal),
                           each in a sentence free of levers: positive grounds */
    FB_STANCE_READ,     /* talk of reviews no plain pattern explains, or a lever: undecided */
} fb_stance;
fb_stance signals_stance(const fb_case *c);
/* The sentence of the first "read" signal (why the analyser is unsure), or NULL. */
const char *signals_read_reason(const fb_case *c);

/* Replaces c's cross-case signals (rings, clusters: the STRUCTURE_SIGNAL_TABLE rows) with
 * those st supports, then re-sorts and re-scores (risk, suggested). The other signals stay
 * as they are, so c needs only its signals, accounts, subject and counterparty.
 * *changed says whether the cross-case signals differ from what c had. */
fb_status signals_structure(fb_case *c, const fb_structure *st,
                            int *changed,          /* OUT */
                            fb_err *err);

#endif
