/* Ingest: every case enters the store through ingest_case. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fbreview/analyse.h"
#include "fbreview/ingest.h"
#include "fbreview/lifecycle.h"
#include "fbreview/progress.h"
#include "fbreview/signals.h"
#include "fbreview/store_case.h"
#include "fbreview/store_rules.h"
#include "fbreview/store_structure.h"

struct fb_ingest {
    fb_store *store;
    fb_analyser *analyser;   /* NULL until a case needs it (ingest_open_lazy), or the rules changed */
    uint64_t fp;             /* the analysis the store's rules make now: what cases are marked with */
    uint64_t built;          /* the analysis analyser was built for */
    uint64_t unmarked;       /* KEY_ANALYSIS: what cases written before store version 9 carry */
};

/* ---- which rules, and which analysis, a store holds ----
 * sync_state keys: KEY_SEED, the built-in rules (and analyser version) the tables were
 * last seeded from; KEY_SEED_ROWS, the rows that seed wrote (so an operator's edit shows);
 * KEY_ANALYSIS, the rows and analyser version the undecided cases were analysed with. */
#define KEY_SEED "rules_seed"
#define KEY_SEED_ROWS "rules_rows"
#define KEY_ANALYSIS "analysis"
/* The team policy's phrase rules (ingest_team_rules_set): while the store holds some, they
 * are the analyser's rules, and the analysis fingerprint is theirs. */
#define TEAM_RULES_VERSION "policy_rules_version"
#define TEAM_RULES_LEXICON "policy_lexicon"
#define TEAM_RULES_FRAMES "policy_frames"

#define FNV_BASIS 1469598103934665603ULL
#define FNV_PRIME 1099511628211ULL

static void fp_mix(uint64_t *h, const char *s)
{
    for (; s && *s; s++)
        *h = (*h ^ (unsigned char)*s) * FNV_PRIME;
    *h = (*h ^ 0x1f) * FNV_PRIME;   /* a field separator: ("ab","c") != ("a","bc") */
}

static void fp_hex(uint64_t h, char out[17]) { snprintf(out, 17, "%016" PRIx64, h); }

/* The built-in rules as shipped, and the analyser's version. */
static void builtin_fingerprint(char out[17])
{
    uint64_t h = FNV_BASIS;
    char v[24];
    snprintf(v, sizeof v, "%d", FB_ANALYSER_VERSION);
    fp_mix(&h, v);
    fp_mix(&h, analyser_default_lexicon());
    fp_mix(&h, analyser_default_frames());
    fp_hex(h, out);
}

static fb_status fp_term(void *ctx, int64_t id, const fb_term_row *row, fb_err *err)
{
    (void)id;
    (void)err;
    fp_mix(ctx, row->cls);
    fp_mix(ctx, row->term);
    return FB_OK;
}

static fb_status fp_frame(void *ctx, int64_t id, const fb_frame_row *row, fb_err *err)
{
    (void)id;
    (void)err;
    char w[24];
    snprintf(w, sizeof w, "%d", row->weight);
    fp_mix(ctx, "frame");
    fp_mix(ctx, row->name);
    fp_mix(ctx, row->outcome);
    fp_mix(ctx, w);
    fp_mix(ctx, row->scope);
    fp_mix(ctx, row->needs);
    fp_mix(ctx, row->sentence);
    return FB_OK;
}

/* The rows in the store's tables, in order (rows: their own; analysis: with the analyser's
 * version, and the team's phrase rules when the store holds some, since those are then
 * what the cases are analysed with). Reads the rows, compiles nothing: cheap enough for
 * every open. */
static fb_status tables_fingerprint(fb_store *s, char rows[17], char analysis[17], fb_err *err)
{
    uint64_t h = FNV_BASIS;
    if (store_rules_each(s, fp_term, fp_frame, &h, err) != FB_OK)
        return err->status;
    fp_hex(h, rows);
    char v[24];
    snprintf(v, sizeof v, "%d", FB_ANALYSER_VERSION);
    fp_mix(&h, v);
    char *lex = store_state_get(s, TEAM_RULES_LEXICON), *fr = store_state_get(s, TEAM_RULES_FRAMES);
    if (lex && *lex && fr && *fr) {
        fp_mix(&h, "team");
        fp_mix(&h, lex);
        fp_mix(&h, fr);
    }
    free(lex);
    free(fr);
    fp_hex(h, analysis);
    return FB_OK;
}

static uint64_t hex_fp(const char *hex)
{
    char *end = NULL;
    uint64_t v = hex && *hex ? strtoull(hex, &end, 16) : 0;
    return end && *end == '\0' ? v : 0;
}

/* The analysis the store's rules make now, and the one recorded for the whole store
 * (KEY_ANALYSIS, 0 when none): written once every case carried it, so it is also what
 * a case written before store version 9 (no fingerprint of its own) was analysed with. */
static fb_status analysis_now(fb_store *s, uint64_t *now, uint64_t *recorded, fb_err *err)
{
    char rows[17], analysis[17];
    if (tables_fingerprint(s, rows, analysis, err) != FB_OK)
        return err->status;
    *now = hex_fp(analysis);
    char *rec = store_state_get(s, KEY_ANALYSIS);
    *recorded = hex_fp(rec);
    free(rec);
    return FB_OK;
}

static int state_is(fb_store *s, const char *key, const char *want)
{
    char *v = store_state_get(s, key);
    int same = v && strcmp(v, want) == 0;
    free(v);
    return same;
}

/* The built-in rules as table rows; *def owns the strings. */
static fb_status builtin_rows(fb_analyser **def, fb_term_row **tr, size_t *nt, fb_frame_row **fr, size_t *nf,
                              fb_err *err)
{
    *tr = NULL;
    *fr = NULL;
    if (analyser_default(def, err) != FB_OK)
        return err->status;
    *nt = analyser_term_count(*def);
    *nf = analyser_frame_count(*def);
    *tr = calloc(*nt ? *nt : 1, sizeof **tr);
    *fr = calloc(*nf ? *nf : 1, sizeof **fr);
    if (!*tr || !*fr) {
        free(*tr);
        free(*fr);
        *tr = NULL;
        *fr = NULL;
        analyser_free(def);
        return fb_err_set(err, FB_ENOMEM, "out of memory reading the message analyser's built-in rules");
    }
    for (size_t i = 0; i < *nt; i++)
        analyser_term_get(*def, i, &(*tr)[i].cls, &(*tr)[i].term);
    for (size_t i = 0; i < *nf; i++)
        analyser_frame_get(*def, i, &(*fr)[i]);
    return FB_OK;
}

/* Writes the built-in rules into the analyser's tables (replace: over what they hold;
 * else each table only when it is empty) and records the seed, in one transaction. */
static fb_status write_seed(fb_store *s, int replace, fb_err *err)
{
    fb_analyser *def = NULL;
    fb_term_row *tr = NULL;
    fb_frame_row *fr = NULL;
    size_t nt = 0, nf = 0;
    if (builtin_rows(&def, &tr, &nt, &fr, &nf, err) != FB_OK)
        return err->status;
    char builtin[17], rows[17], analysis[17];
    builtin_fingerprint(builtin);
    fb_status st = store_begin(s, err);
    if (st == FB_OK)
        st = replace ? store_rules_replace(s, tr, nt, fr, nf, err) : store_rules_seed(s, tr, nt, fr, nf, NULL, err);
    if (st == FB_OK)
        st = tables_fingerprint(s, rows, analysis, err);
    if (st == FB_OK)
        st = store_state_set(s, KEY_SEED, builtin, err);
    if (st == FB_OK)
        st = store_state_set(s, KEY_SEED_ROWS, rows, err);
    if (st == FB_OK)
        st = store_commit(s, err);
    else
        store_rollback(s);
    free(tr);
    free(fr);
    analyser_free(&def);
    return st;
}

/* Seeds the analyser's tables from the built-in data/lexicon.tsv and data/frames.tsv (each
 * table only when it is empty). When the built-in rules changed since the tables were
 * seeded and the tables still hold that seed as written, they take the new built-in rules;
 * an operator's edits are kept. A store seeded before the seed was recorded is taken to
 * hold an earlier built-in seed. A read-only store is left as it is. */
static fb_status seed_rules(fb_store *s, fb_err *err)
{
    if (store_readonly(s))
        return FB_OK;
    int64_t terms = 0, frames = 0;
    if (store_rules_count(s, &terms, &frames, err) != FB_OK)
        return err->status;
    if (terms == 0 || frames == 0)
        return write_seed(s, 0, err);
    char builtin[17], rows[17], analysis[17];
    builtin_fingerprint(builtin);
    if (state_is(s, KEY_SEED, builtin))
        return FB_OK;
    if (tables_fingerprint(s, rows, analysis, err) != FB_OK)
        return err->status;
    char *seeded = store_state_get(s, KEY_SEED_ROWS);
    int edited = seeded && strcmp(seeded, rows) != 0;
    free(seeded);
    if (!edited)
        return write_seed(s, 1, err);
    /* edited by an operator: theirs stand; the newer built-in rules are not checked again */
    return store_state_set(s, KEY_SEED, builtin, err);
}

static fb_status add_term_row(void *ctx, int64_t id, const fb_term_row *row, fb_err *err)
{
    char where[64];
    snprintf(where, sizeof where, "lexicon_term %lld", (long long)id);
    return analyser_add_term(ctx, where, row->cls, row->term, err);
}

static fb_status add_frame_row(void *ctx, int64_t id, const fb_frame_row *row, fb_err *err)
{
    char where[64];
    snprintf(where, sizeof where, "frame_rule %lld", (long long)id);
    return analyser_add_frame(ctx, where, row, err);
}

fb_status ingest_team_rules_set(fb_store *s, int version, const char *lexicon, const char *frames, fb_err *err)
{
    char v[16];
    snprintf(v, sizeof v, "%d", lexicon && frames ? version : 0);
    fb_status rc = store_state_set(s, TEAM_RULES_LEXICON, lexicon && frames ? lexicon : "", err);
    if (rc == FB_OK)
        rc = store_state_set(s, TEAM_RULES_FRAMES, lexicon && frames ? frames : "", err);
    if (rc == FB_OK)
        rc = store_state_set(s, TEAM_RULES_VERSION, v, err);
    return rc;
}

/* The team policy's phrase rules, when the store holds some: 1 and *out built, 0 when
 * none, -1 on error (a bad rule is named "team policy v3 lexicon.tsv:12: term: ..."). */
static int load_team_rules(fb_store *s, fb_analyser **out, fb_err *err)
{
    char *lex = store_state_get(s, TEAM_RULES_LEXICON), *fr = store_state_get(s, TEAM_RULES_FRAMES),
         *v = store_state_get(s, TEAM_RULES_VERSION);
    int got = 0;
    if (lex && *lex && fr && *fr && v) {
        char ln[64], fn[64];
        snprintf(ln, sizeof ln, "team policy v%d lexicon.tsv", atoi(v));
        snprintf(fn, sizeof fn, "team policy v%d frames.tsv", atoi(v));
        got = analyser_parse(ln, lex, fn, fr, out, err) == FB_OK ? 1 : -1;
        if (got < 0 && err->status == FB_EINPUT) {
            char msg[sizeof err->msg];
            memcpy(msg, err->msg, sizeof msg);
            fb_err_set(err, FB_EINPUT,
                       "%s (this fbreview cannot use the team's phrase rules: an admin publishes a version it "
                       "accepts, checked with `fbreview upstream policy publish`)", msg);
        }
    }
    free(lex);
    free(fr);
    free(v);
    return got;
}

/* The analyser's rules come from the team policy (ingest_team_rules_set), or else from the
 * store's tables, so operators can edit them; a bad row is reported by its table and id
 * ("frame_rule 7: needs: ..."). */
static fb_status load_rules(fb_store *s, fb_analyser **out, fb_err *err)
{
    int team = load_team_rules(s, out, err);
    if (team != 0)
        return team > 0 ? FB_OK : err->status;
    if (analyser_new(out, err) != FB_OK)
        return err->status;
    if (store_rules_each(s, add_term_row, add_frame_row, *out, err) != FB_OK) {
        analyser_free(out);
        if (err->status != FB_EINPUT)
            return err->status;
        char msg[sizeof err->msg];
        memcpy(msg, err->msg, sizeof msg);
        return fb_err_set(err, FB_EINPUT,
                          "store %s: %s (edit or delete that row; an emptied table is seeded again from the "
                          "built-in rules)", store_path(s), msg);
    }
    return FB_OK;
}

static fb_status rebuild_structure(fb_ingest *in, fb_err *err);

/* The analyser for the rules the store holds now, and the fingerprint of exactly those
 * rules: read again when another connection changed them while they were compiled. */
static fb_status build(fb_ingest *in, int seed, fb_err *err)
{
    if (seed && seed_rules(in->store, err) != FB_OK)
        return err->status;
    for (int tries = 0; tries < 4; tries++) {
        analyser_free(&in->analyser);
        uint64_t before = 0, after = 0, rec = 0;
        if (analysis_now(in->store, &before, &rec, err) != FB_OK || load_rules(in->store, &in->analyser, err) != FB_OK ||
            analysis_now(in->store, &after, &in->unmarked, err) != FB_OK)
            return err->status;
        if (after == before) {
            in->fp = in->built = after;
            return FB_OK;
        }
    }
    analyser_free(&in->analyser);
    return fb_err_set(err, FB_ESTORE, "store %s: the analyser's rules kept changing while they were read; try again",
                      store_path(in->store));
}

static fb_status open_with(fb_store *s, int lazy, fb_ingest **out, fb_err *err)
{
    *out = NULL;
    fb_ingest *in = calloc(1, sizeof *in);
    if (!in)
        return fb_err_set(err, FB_ENOMEM, "out of memory");
    in->store = s;
    /* Every store with cases holds the lifecycle rows its views read. */
    fb_status rc = lifecycle_seed(s, err);
    if (rc == FB_OK && !lazy)
        rc = build(in, 1, err);
    if (rc == FB_OK && lazy)
        rc = seed_rules(s, err);
    if (rc == FB_OK && lazy)
        rc = analysis_now(s, &in->fp, &in->unmarked, err);
    if (rc == FB_OK && !store_readonly(s))
        rc = rebuild_structure(in, err);
    /* A store without cases is current whatever its rules: recorded now, the cases written
     * with these rules need no walk later. */
    if (rc == FB_OK && !store_readonly(s) && in->unmarked != in->fp && store_case_none(s) == 1) {
        char hex[17];
        fp_hex(in->fp, hex);
        if ((rc = store_state_set(s, KEY_ANALYSIS, hex, err)) == FB_OK)
            in->unmarked = in->fp;
    }
    if (rc != FB_OK) {
        ingest_close(&in);
        return err->status;
    }
    *out = in;
    return FB_OK;
}

fb_status ingest_open(fb_store *s, fb_ingest **out, fb_err *err) { return open_with(s, 0, out, err); }

fb_status ingest_open_lazy(fb_store *s, fb_ingest **out, fb_err *err) { return open_with(s, 1, out, err); }

void ingest_close(fb_ingest **inp)
{
    fb_ingest *in = inp ? *inp : NULL;
    if (!in)
        return;
    analyser_free(&in->analyser);
    free(in);
    *inp = NULL;
}

fb_status ingest_recheck(fb_ingest *in, fb_err *err)
{
    if (analysis_now(in->store, &in->fp, &in->unmarked, err) != FB_OK)
        return err->status;
    if (in->analyser && in->built != in->fp)
        analyser_free(&in->analyser);   /* the rules changed: built again when next needed */
    return FB_OK;
}

uint64_t ingest_analysis(const fb_ingest *in) { return in->fp; }

int ingest_pending(fb_ingest *in, fb_err *err)
{
    if (ingest_recheck(in, err) != FB_OK)
        return -1;
    return in->unmarked != in->fp;
}

int ingest_case_stale(const fb_ingest *in, const fb_case *c)
{
    return !c->has_decision && (c->analysis ? c->analysis : in->unmarked) != in->fp;
}

/* The subject is the account whose reputation the feedback builds: the receiver of the
 * best feedback, else the freelancer, else the first account. The counterparty is the
 * other side of the contract, else the other account. */
void ingest_derive_parties(fb_case *c)
{
    free(c->subject);
    free(c->counterparty);
    c->subject = c->counterparty = NULL;
    const char *subject = NULL;
    int best = 0;
    for (size_t i = 0; i < c->n_feedback; i++)
        if (c->feedback[i].rating > best && fb_case_account(c, c->feedback[i].to)) {
            best = c->feedback[i].rating;
            subject = c->feedback[i].to;
        }
    for (size_t i = 0; !subject && i < c->n_accounts; i++)
        if (c->accounts[i].role == FB_ROLE_FREELANCER)
            subject = c->accounts[i].id;
    if (!subject && c->n_accounts)
        subject = c->accounts[0].id;
    const char *other = NULL;
    if (c->has_contract && subject) {
        if (c->contract.client && strcmp(c->contract.client, subject) != 0)
            other = c->contract.client;
        else if (c->contract.freelancer && strcmp(c->contract.freelancer, subject) != 0)
            other = c->contract.freelancer;
    }
    for (size_t i = 0; !other && i < c->n_accounts; i++)
        if (!subject || strcmp(c->accounts[i].id, subject) != 0)
            other = c->accounts[i].id;
    c->subject = fb_strdup(subject);
    c->counterparty = fb_strdup(other);
}

fb_status ingest_prepare(const fb_ingest *in, fb_case *c, fb_err *err)
{
    ingest_derive_parties(c);
    c->analysis = in->built;
    return signals_compute(c, in->analyser, err);   /* pure: reads the rules, never the store */
}

fb_status ingest_case(fb_ingest *in, fb_case *c, const char *origin, fb_err *err)
{
    if (!in->analyser && build(in, 0, err) != FB_OK)
        return err->status;
    if (ingest_prepare(in, c, err) != FB_OK)
        return err->status;
    return ingest_save(in, c, origin, NULL, err);
}

/* Weighs c's cross-case signals from the store and saves them when they changed. */
static fb_status weigh(fb_ingest *in, fb_case *c, long *reweighed, fb_err *err)
{
    fb_structure st;
    int changed = 0;
    fb_status rc = store_structure_facts(in->store, c, &st, err);
    if (rc == FB_OK)
        rc = signals_structure(c, &st, &changed, err);
    if (rc == FB_OK && changed) {
        rc = store_case_set_signals(in->store, c, err);
        *reweighed += rc == FB_OK;
    }
    fb_structure_clear(&st);
    return rc;
}

/* The case being saved, weighed while it is in memory (store_case_put_weighed): its
 * cross-case signals join the others before its evidence row is written. */
static fb_status weigh_saving(void *ctx, fb_store *s, fb_case *c, fb_err *err)
{
    (void)ctx;
    fb_structure st;
    int changed = 0;
    fb_status rc = store_structure_facts(s, c, &st, err);
    if (rc == FB_OK)
        rc = signals_structure(c, &st, &changed, err);
    fb_structure_clear(&st);
    return rc;
}

fb_status ingest_save(fb_ingest *in, fb_case *c, const char *origin, int *replaced, fb_err *err)
{
    /* A later case may mark this one again; the flush sees to that. */
    return store_case_put_weighed(in->store, c, origin, replaced, weigh_saving, in, err);
}

/* Cases weighed per round: the pending table is read in slices, so memory stays flat. */
#define FLUSH_SLICE 256

/* One pending case: its cross-case facts, then its signals again if they changed. A case
 * with a decision keeps the signals the reviewer saw (the console still lists its rings
 * and clusters, which it reads live). */
static fb_status flush_one(fb_ingest *in, const char *id, long *reweighed, fb_err *err)
{
    int decided = store_case_has_decision(in->store, id);
    if (decided < 0)
        return fb_err_set(err, FB_ESTORE, "store %s: reading case %s's decisions failed", store_path(in->store), id);
    if (decided)
        return FB_OK;
    fb_case *c = NULL;
    fb_status rc = store_case_load_brief(in->store, id, &c, err);
    if (rc == FB_ENOTFOUND) {   /* marked by a case that named it, never written: nothing to weigh */
        fb_err_clear(err);
        return FB_OK;
    }
    if (rc == FB_OK)
        rc = weigh(in, c, reweighed, err);
    fb_case_free(&c);
    return rc;
}

/* A store upgraded from before cross-case structure: its cases are added to the structure
 * and weighed, a slice per transaction so a console saving decisions beside it never waits
 * long; a rebuild cut off goes on at the next open. Outside any transaction. */
#define REBUILD_SLICE 2000

static fb_status rebuild_structure(fb_ingest *in, fb_err *err)
{
    int done = !store_structure_needs_rebuild(in->store);
    while (!done) {
        if (store_begin(in->store, err) != FB_OK)
            return err->status;
        if (store_structure_rebuild(in->store, REBUILD_SLICE, &done, err) != FB_OK ||
            ingest_flush(in, NULL, err) != FB_OK || store_commit(in->store, err) != FB_OK) {
            store_rollback(in->store);
            return err->status;
        }
    }
    return FB_OK;
}

/* ---- stale cases: analysed with other rules than the store holds now ---- */

/* c (loaded whole) analysed again from its evidence with the rules at hand: signals,
 * cross-case signals, risk, highlights, and the fingerprint they come from. Inside the
 * caller's transaction. */
static fb_status reanalyse_loaded(fb_ingest *in, fb_case *c, fb_err *err)
{
    if (!in->analyser && build(in, 0, err) != FB_OK)
        return err->status;
    fb_status rc = ingest_prepare(in, c, err);
    if (rc == FB_OK) {
        fb_structure st;
        int changed = 0;
        rc = store_structure_facts(in->store, c, &st, err);
        if (rc == FB_OK)
            rc = signals_structure(c, &st, &changed, err);
        fb_structure_clear(&st);
    }
    if (rc == FB_OK)
        rc = store_case_set_analysis(in->store, c, err);
    return rc;
}

/* Inside a write transaction: the case as the store holds it now, analysed again when stale. */
static fb_status current_in_txn(fb_ingest *in, const char *case_id, fb_case **out, int *redone, fb_err *err)
{
    if (ingest_recheck(in, err) != FB_OK || store_case_load(in->store, case_id, out, err) != FB_OK)
        return err->status;
    if (!ingest_case_stale(in, *out))
        return FB_OK;
    if (reanalyse_loaded(in, *out, err) != FB_OK) {
        fb_case_free(out);
        return err->status;
    }
    *redone = 1;
    return FB_OK;
}

fb_status ingest_current(fb_ingest *in, const char *case_id, fb_case **out, int *redone, fb_err *err)
{
    fb_store *s = in->store;
    int dummy = 0;
    if (!redone)
        redone = &dummy;
    *redone = 0;
    *out = NULL;
    /* Inside a transaction (a decision) the rules are read again: what is decided is
     * checked against the rules as they are, not as this connection last saw them. */
    if (store_in_transaction(s) && !store_readonly(s))
        return current_in_txn(in, case_id, out, redone, err);
    if (store_case_load(s, case_id, out, err) != FB_OK)
        return err->status;
    if (!ingest_case_stale(in, *out) || store_readonly(s))
        return FB_OK;   /* current as far as this connection knew; a read-only store cannot change */
    fb_case_free(out);
    if (store_begin(s, err) != FB_OK)
        return err->status;
    if (current_in_txn(in, case_id, out, redone, err) != FB_OK || store_commit(s, err) != FB_OK) {
        store_rollback(s);
        fb_case_free(out);
        *redone = 0;
        return err->status;
    }
    return FB_OK;
}

fb_status ingest_reanalyse_step(fb_ingest *in, fb_reanalysis *r, size_t max, fb_err *err)
{
    fb_store *s = in->store;
    if (store_readonly(s))
        return fb_err_set(err, FB_ESTORE, "store %s is read-only here: its cases cannot be analysed again",
                          store_path(s));
    if (r->finished)
        return FB_OK;
    /* Counting is a scan: done before the write transaction, so it holds nobody up. */
    if (r->total < 0 || !r->after) {
        int64_t left = 0;
        if (ingest_recheck(in, err) != FB_OK ||
            store_case_stale_count(s, "", in->fp, in->unmarked, &left, err) != FB_OK)
            return err->status;
        r->fp = in->fp;
        r->total = r->done + left;
        free(r->after);
        if (!(r->after = fb_strdup("")))
            return fb_err_set(err, FB_ENOMEM, "out of memory");
    }
    if (store_begin(s, err) != FB_OK)
        return err->status;
    char **ids = NULL;
    size_t n = 0;
    fb_status rc = ingest_recheck(in, err);
    if (rc == FB_OK && in->fp != r->fp) {
        /* the rules changed again under the walk: count afresh and start over */
        r->total = -1;
        store_rollback(s);
        return FB_OK;
    }
    if (rc == FB_OK)
        rc = store_case_stale_after(s, r->after, in->fp, in->unmarked, max, &ids, &n, err);
    for (size_t i = 0; rc == FB_OK && i < n; i++) {
        fb_case *c = NULL;
        if ((rc = store_case_load(s, ids[i], &c, err)) == FB_OK && (rc = reanalyse_loaded(in, c, err)) == FB_OK)
            r->batch_done++;
        fb_case_free(&c);
    }
    if (rc == FB_OK && n) {
        free(r->after);
        if (!(r->after = fb_strdup(ids[n - 1])))
            rc = fb_err_set(err, FB_ENOMEM, "out of memory");
    }
    int64_t left = -1;
    if (rc == FB_OK && n < max) {
        /* The end of the walk: a case written behind it meanwhile (an import that began
         * under the old rules) sends it round again; else the store is current. */
        rc = store_case_stale_count(s, "", in->fp, in->unmarked, &left, err);
        if (rc == FB_OK && left == 0) {
            char hex[17];
            fp_hex(in->fp, hex);
            rc = store_state_set(s, KEY_ANALYSIS, hex, err);
        }
    }
    if (rc == FB_OK)
        rc = store_commit(s, err);
    else
        store_rollback(s);
    for (size_t i = 0; i < n; i++)
        free(ids[i]);
    free(ids);
    if (rc != FB_OK) {
        r->batch_done = 0;
        return rc;
    }
    r->done += r->batch_done;
    r->batch_done = 0;
    if (left == 0) {
        r->finished = 1;
        in->unmarked = in->fp;
    } else if (left > 0) {
        r->total = r->done + left;
        free(r->after);
        r->after = fb_strdup("");
    }
    return FB_OK;
}

void ingest_reanalysis_clear(fb_reanalysis *r)
{
    free(r->after);
    memset(r, 0, sizeof *r);
    r->total = -1;
}

fb_status ingest_reanalyse_all(fb_ingest *in, fb_reanalyse_fn progress, void *ctx, int64_t *done, fb_err *err)
{
    fb_reanalysis r;
    memset(&r, 0, sizeof r);
    r.total = -1;
    fb_status rc = FB_OK;
    while (rc == FB_OK && !r.finished) {
        rc = ingest_reanalyse_step(in, &r, INGEST_REANALYSE_BATCH, err);
        if (rc == FB_OK && progress)
            progress(ctx, r.done, r.total);
        /* a gap between batches: a writer in another process (a console saving a
         * decision) gets the lock at its next look (store.c looks every millisecond) */
        struct timespec gap = {0, INGEST_REANALYSE_GAP_MS * 1000 * 1000};
        if (rc == FB_OK && !r.finished)
            nanosleep(&gap, NULL);
    }
    if (done)
        *done = r.done;
    ingest_reanalysis_clear(&r);
    return rc;
}

int ingest_stale(fb_store *s)
{
    fb_err err = {0};
    char builtin[17], rows[17], analysis[17];
    builtin_fingerprint(builtin);
    if (tables_fingerprint(s, rows, analysis, &err) != FB_OK)
        return -1;
    return !(state_is(s, KEY_SEED, builtin) && state_is(s, KEY_ANALYSIS, analysis));
}

fb_status ingest_refresh(fb_store *s, fb_err *err)
{
    if (store_readonly(s))
        return FB_OK;
    char builtin[17];
    builtin_fingerprint(builtin);
    if (state_is(s, KEY_SEED, builtin) && !store_structure_needs_rebuild(s))
        return FB_OK;
    fb_ingest *in = NULL;
    if (open_with(s, 1, &in, err) != FB_OK)
        return err->status;
    ingest_close(&in);
    return FB_OK;
}

fb_status ingest_flush(fb_ingest *in, long *reweighed, fb_err *err)
{
    long dummy = 0;
    if (!reweighed)
        reweighed = &dummy;
    for (;;) {
        char **ids = NULL;
        size_t n = 0;
        fb_status rc = store_structure_pending_take(in->store, FLUSH_SLICE, &ids, &n, err);
        for (size_t i = 0; i < n; i++) {
            if (rc == FB_OK)
                rc = flush_one(in, ids[i], reweighed, err);
            free(ids[i]);
        }
        free(ids);
        if (rc != FB_OK || n == 0)
            return rc;
    }
}
