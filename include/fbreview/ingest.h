#ifndef FBREVIEW_INGEST_H
#define FBREVIEW_INGEST_H
/* Ingest: how a case enters the store (import, demo, upstream pull all come through here):
 * derive subject and counterparty, compute signals and risk, save. The recommendation is
 * not made here: it depends on the subject's history at decision time (workflow_recommend). */

#include "fbreview/err.h"
#include "fbreview/model.h"
#include "fbreview/store.h"

typedef struct fb_ingest fb_ingest;

fb_status ingest_open(fb_store *s, fb_ingest **out, fb_err *err);
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
/* Brings a store's analysis up to date before its signals are shown or used (the console,
 * show and the decision commands call it; ingest_open does the same): when the built-in
 * rules changed since the store's analyser tables were seeded from them and the tables
 * hold that seed unedited, the tables take the new rules; when the tables' rules or the
 * analyser's version (FB_ANALYSER_VERSION) differ from those the cases were analysed with,
 * every case without a decision is analysed again. Cheap when nothing changed (the rows
 * are read and hashed, nothing compiled). A read-only store is left as it is. Outside any
 * transaction. *reanalysed (may be NULL) counts the cases analysed again. */
fb_status ingest_refresh(fb_store *s, long *reanalysed, fb_err *err);
/* 1 when the store's cases were not analysed with this fbreview's analyser and rules (a
 * read-only store stays so: its readers say the signals may be older), 0 when they were,
 * -1 when the store cannot be read. */
int ingest_stale(fb_store *s);
/* Subject (whose feedback is being built) and counterparty, from roles and feedback. */
void ingest_derive_parties(fb_case *c);

#endif
