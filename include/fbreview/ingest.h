#ifndef FBREVIEW_INGEST_H
#define FBREVIEW_INGEST_H
/* Ingest: how a case enters the store (import, demo, upstream pull all come through here):
 * derive subject and counterparty, compute signals and risk, save. The recommendation is
 * not made here: it depends on the subject's history at decision time (workflow_recommend). */

#include <stddef.h>
#include <stdint.h>

#include "fbreview/err.h"
#include "fbreview/model.h"
#include "fbreview/store.h"

typedef struct fb_ingest fb_ingest;

/* The analyser's rules: the team policy's phrase rules when the store holds some (pulled
 * from upstream: ingest_team_rules_set), else the store's lexicon_term and frame_rule
 * tables (seeded from the built-in files). */
fb_status ingest_open(fb_store *s, fb_ingest **out, fb_err *err);
/* The same, but the rules are compiled only when a case is first analysed (ingest_current
 * on a stale case, ingest_reanalyse_step): for readers that mostly find cases current. */
fb_status ingest_open_lazy(fb_store *s, fb_ingest **out, fb_err *err);
/* Keeps the phrase rules of team policy `version` in the store (inside the caller's
 * transaction): lexicon and frames in the formats of data/lexicon.tsv and data/frames.tsv,
 * or both NULL when that version carries none (the store's own tables apply again). The
 * cases without a decision are then stale (below): nothing is analysed here. */
fb_status ingest_team_rules_set(fb_store *s, int version, const char *lexicon, const char *frames, fb_err *err);
void ingest_close(fb_ingest **in);
/* Inside the caller's transaction; call ingest_flush before committing it. FB_ECONFLICT
 * when the case already has a decision. */
fb_status ingest_case(fb_ingest *in, fb_case *c, const char *origin, fb_err *err);
/* ingest_case in two halves, for pipelines (demo): prepare derives the parties and computes
 * the signals without touching the store, so it may run on another thread, alongside save
 * of an earlier case; save (inside the caller's transaction) writes; *replaced (may be
 * NULL) says whether an existing case's evidence was replaced.
 * ingest_case(c) is exactly ingest_prepare(c) then ingest_save(c). */
fb_status ingest_prepare(const fb_ingest *in, fb_case *c, fb_err *err);
fb_status ingest_save(fb_ingest *in, fb_case *c, const char *origin, int *replaced, fb_err *err);
/* Weighs again the cross-case signals (rings, clusters) of the cases the saves since the
 * last flush may have changed: the saved cases themselves and the other cases they reach.
 * Call inside the transaction, before committing it (import, pull and demo do). A case
 * with a decision keeps its signals. *reweighed (may be NULL) counts cases whose signals
 * changed. */
fb_status ingest_flush(fb_ingest *in, long *reweighed, fb_err *err);
/* ---- stale cases ----
 * Each case records the fingerprint of the rules and analyser its signals, risk and
 * highlights came from (fb_case.analysis). When the rules in the store's tables, the team
 * policy's phrase rules or FB_ANALYSER_VERSION change, the fingerprint changes, and every
 * case without a decision is stale (a decided case keeps the signals its reviewer saw):
 * analysed again at once when it is shown or decided (ingest_current), the rest in the
 * background in short transactions (ingest_reanalyse_step; the console's worker, `fbreview
 * reanalyse`). Nothing is analysed again on open. Once no stale case is left the store's
 * fingerprint is recorded (sync_state 'analysis'), so a walk cut off goes on from the
 * cases still stale. */

/* Seeds the analyser's tables when the built-in rules changed since they were seeded from
 * them and the tables hold that seed unedited (an operator's edits stand), and builds the
 * cross-case structure of a store upgraded from before it. Cheap when nothing changed.
 * Analyses no case. A read-only store is left as it is. Outside any transaction. */
fb_status ingest_refresh(fb_store *s, fb_err *err);
/* 1 when the store has not recorded that all its cases carry the analysis of this
 * fbreview's analyser and the store's rules (cases may be stale; a read-only store stays
 * so: its readers say the signals may be older), 0 when it has, -1 when it cannot be read. */
int ingest_stale(fb_store *s);
/* Reads the rules' fingerprint again (another connection may have changed the rules). */
fb_status ingest_recheck(fb_ingest *in, fb_err *err);
/* The fingerprint of the rules at the last open or recheck: what current cases carry. */
uint64_t ingest_analysis(const fb_ingest *in);
/* Reads the rules again: 1 when the store has not recorded that every case carries their
 * fingerprint (a walk is due), 0 when it has, -1 on error. */
int ingest_pending(fb_ingest *in, fb_err *err);
/* 1 when c (as loaded) has no decision and was analysed with other rules. */
int ingest_case_stale(const fb_ingest *in, const fb_case *c);
/* The case as the store holds it, analysed again first when it is stale (in its own
 * transaction, or inside the caller's when one is open): what is shown or decided is never
 * the old rules' analysis. *redone (may be NULL) is 1 when it was analysed again. A
 * read-only store gives the case as it is. */
fb_status ingest_current(fb_ingest *in, const char *case_id,
                         fb_case **out,      /* OUT: fb_case_free() it */
                         int *redone,        /* OUT: may be NULL */
                         fb_err *err);

/* A walk over the stale cases, batch by batch. Start it zeroed with total = -1 (or after
 * ingest_reanalysis_clear). */
typedef struct fb_reanalysis {
    char *after;         /* the last case id the walk passed */
    uint64_t fp;         /* the fingerprint the walk brings cases to */
    int64_t done;        /* cases analysed again */
    int64_t total;       /* done + the stale cases left at the last count; -1: not counted */
    int64_t batch_done;
    int finished;        /* no stale case left; the store's fingerprint is recorded */
} fb_reanalysis;
/* Cases per batch: one write transaction each (tens of ms), so a decision saved beside the
 * walk waits at most that long. */
#define INGEST_REANALYSE_BATCH 200
/* The pause between batches (ms): long enough for a waiting writer's next look. */
#define INGEST_REANALYSE_GAP_MS 3
/* One batch of up to max stale cases, analysed again and marked in one write transaction
 * (outside any transaction; a count of what is left comes before it, as a read). When the
 * walk reaches the end with nothing stale left it records the store's fingerprint in the
 * same transaction and sets finished. When the rules change under the walk it starts over. */
fb_status ingest_reanalyse_step(fb_ingest *in, fb_reanalysis *r, size_t max, fb_err *err);
void ingest_reanalysis_clear(fb_reanalysis *r);
/* Every stale case, batch by batch, calling progress (may be NULL) after each batch. */
typedef void (*fb_reanalyse_fn)(void *ctx, int64_t done, int64_t total);
fb_status ingest_reanalyse_all(fb_ingest *in, fb_reanalyse_fn progress, void *ctx,
                               int64_t *done,      /* OUT: may be NULL */
                               fb_err *err);
/* Subject (whose feedback is being built) and counterparty, from roles and feedback. */
void ingest_derive_parties(fb_case *c);

#endif
