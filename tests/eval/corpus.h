/* The labelled message corpus (tests/data/messages.tsv) measured: each message alone in an
 * otherwise unremarkable case (a real $400 contract over three weeks, paid in full), the
 * analyser and the recommendation run as ingest and the console run them. Shared by
 * `make eval` (tests/eval/eval.c: prints the figures) and the unit test that keeps floors
 * (tests/unit/test_corpus.c). Every 4th data line is held out: its misses are never printed. */
#ifndef FB_TESTS_CORPUS_H
#define FB_TESTS_CORPUS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fbreview/analyse.h"
#include "fbreview/config.h"
#include "fbreview/ingest.h"
#include "fbreview/model.h"
#include "fbreview/policy.h"
#include "fbreview/signals.h"

enum { PART_TUNING, PART_HELD_OUT, PART_ALL, PART_COUNT };
static const char *const corpus_part_names[PART_COUNT] = {"tuning (3 of 4 lines)", "held out (every 4th line)", "all"};

typedef struct corpus_stats {
    int truth[FB_V_COUNT], pred[FB_V_COUNT], tp[FB_V_COUNT];
    int violating, violating_nv;      /* violating messages, of which recommended no_violation */
    int violating_read;               /* ... of which "read this case" */
    int negatives, negatives_nv;      /* hard negatives, of which recommended no_violation */
    int negatives_read;
    int reads, reads_not_nv;          /* "read" lines, of which not recommended no_violation */
    int lines;
} corpus_stats;

/* The case the message is judged in. */
static fb_case *corpus_case(const char *text)
{
    fb_case *c = fb_case_new();
    c->id = fb_strdup("EVAL-1");
    c->opened_at = 1795500000000LL;
    fb_account *a = fb_grow((void **)&c->accounts, &c->n_accounts, sizeof *a);
    a->id = fb_strdup("u-1");
    a->role = FB_ROLE_CLIENT;
    a = fb_grow((void **)&c->accounts, &c->n_accounts, sizeof *a);
    a->id = fb_strdup("u-2");
    a->role = FB_ROLE_FREELANCER;
    c->has_contract = 1;
    c->contract.id = fb_strdup("J-1");
    c->contract.client = fb_strdup("u-1");
    c->contract.freelancer = fb_strdup("u-2");
    c->contract.created_at = 1793000000000LL;
    c->contract.started_at = 1793000000000LL + 3600000LL;
    c->contract.ended_at = 1793000000000LL + 21LL * 86400000LL;
    c->contract.has_budget = 1;
    c->contract.budget_minor = 40000;
    memcpy(c->contract.currency, "USD", 4);
    fb_payment *p = fb_grow((void **)&c->payments, &c->n_payments, sizeof *p);
    p->id = fb_strdup("P-1");
    p->from = fb_strdup("u-1");
    p->to = fb_strdup("u-2");
    p->kind = FB_PAY_PAYMENT;
    p->amount_minor = 40000;
    memcpy(p->currency, "USD", 4);
    p->at = c->contract.ended_at;
    fb_message *m = fb_grow((void **)&c->messages, &c->n_messages, sizeof *m);
    m->from = fb_strdup("u-2");
    m->to = fb_strdup("u-1");
    m->at = c->contract.ended_at - 3600000LL;
    m->body = fb_strdup(text);
    return c;
}

static const char *corpus_outcome_name(const fb_rec *r)
{
    if (r->action == FB_A_NONE)
        return "read this case";
    if (r->action == FB_A_NO_VIOLATION)
        return "no_violation";
    return fb_violation_str(r->violation) ? fb_violation_str(r->violation) : "?";
}

/* Reads and measures the corpus; misses in the tuning part go to misses (may be NULL), and
 * also those of the held-out part when all_misses (a development file, tests/data/dev/).
 * Returns 0, or -1 with a message on stderr (file, line, field). */
static int corpus_eval(const char *path, const fb_analyser *an, const fb_policy *pol, corpus_stats st[PART_COUNT],
                       FILE *misses, int all_misses)
{
    memset(st, 0, PART_COUNT * sizeof *st);
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "%s: cannot open\n", path);
        return -1;
    }
    char line[8192];
    int lineno = 0, index = 0, rc = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        size_t len = strlen(line);
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (len == 0 || line[0] == '#')
            continue;
        char *t1 = strchr(line, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
        if (!t1 || !t2 || strchr(t2 + 1, '\t')) {
            fprintf(stderr, "%s:%d: expected label<TAB>source<TAB>text\n", path, lineno);
            rc = -1;
            break;
        }
        *t1 = *t2 = '\0';
        const char *label = line, *source = t1 + 1, *text = t2 + 1;
        fb_violation truth = fb_violation_from_str(label);
        int is_none = strcmp(label, "none") == 0, is_read = strcmp(label, "read") == 0;
        if (truth == FB_V_NONE && !is_none && !is_read) {
            fprintf(stderr, "%s:%d: label: unknown \"%s\"\n", path, lineno, label);
            rc = -1;
            break;
        }
        if (strcmp(source, "us") != 0 && strncmp(source, "https://", 8) != 0 && strncmp(source, "http://", 7) != 0) {
            fprintf(stderr, "%s:%d: source: \"%s\" is neither us nor a URL\n", path, lineno, source);
            rc = -1;
            break;
        }
        index++;
        int part = index % 4 == 0 ? PART_HELD_OUT : PART_TUNING;
        fb_case *c = corpus_case(text);
        fb_err err = {0};
        ingest_derive_parties(c);
        if (signals_compute(c, an, &err) != FB_OK) {
            fprintf(stderr, "%s:%d: %s\n", path, lineno, err.msg);
            fb_case_free(&c);
            rc = -1;
            break;
        }
        fb_history h = {0, 0};
        fb_rec r = policy_recommend(pol, c, &h);
        int is_code = r.action != FB_A_NONE && r.action != FB_A_NO_VIOLATION && r.violation != FB_V_NONE;
        int ok;
        for (int k = 0; k < 2; k++) {
            corpus_stats *s = &st[k == 0 ? part : PART_ALL];
            s->lines++;
            if (is_code)
                s->pred[r.violation]++;
            if (truth != FB_V_NONE) {
                s->truth[truth]++;
                s->violating++;
                s->tp[truth] += is_code && r.violation == truth;
                s->violating_nv += r.action == FB_A_NO_VIOLATION;
                s->violating_read += r.action == FB_A_NONE;
            } else if (is_none) {
                s->negatives++;
                s->negatives_nv += r.action == FB_A_NO_VIOLATION;
                s->negatives_read += r.action == FB_A_NONE;
            } else {
                s->reads++;
                s->reads_not_nv += r.action != FB_A_NO_VIOLATION;
            }
        }
        ok = truth != FB_V_NONE ? is_code && r.violation == truth
             : is_none          ? r.action == FB_A_NO_VIOLATION
                                : r.action != FB_A_NO_VIOLATION;
        if (!ok && misses && (part == PART_TUNING || all_misses)) {
            fprintf(misses, "  %s:%d  want %s, got %s: %s\n", path, lineno, label, corpus_outcome_name(&r), text);
            for (size_t i = 0; i < c->n_signals; i++)
                fprintf(misses, "      %s: %s\n", c->signals[i].code, c->signals[i].sentence);
        }
        fb_case_free(&c);
    }
    fclose(f);
    return rc;
}

static double corpus_pct(int a, int b) { return b ? 100.0 * a / b : 0.0; }

static void corpus_print(FILE *out, const corpus_stats st[PART_COUNT])
{
    for (int p = 0; p < PART_COUNT; p++) {
        const corpus_stats *s = &st[p];
        fprintf(out, "message corpus, %s: %d messages\n", corpus_part_names[p], s->lines);
        fprintf(out, "  %-22s %6s %10s %7s\n", "code", "truth", "precision", "recall");
        for (int v = 0; v < FB_V_COUNT; v++)
            fprintf(out, "  %-22s %6d %9.1f%% %6.1f%%\n", fb_violation_str((fb_violation)v), s->truth[v],
                    corpus_pct(s->tp[v], s->pred[v]), corpus_pct(s->tp[v], s->truth[v]));
        fprintf(out, "  violating messages recommended no_violation: %d of %d (%.1f%%); read this case: %d\n",
                s->violating_nv, s->violating, corpus_pct(s->violating_nv, s->violating), s->violating_read);
        fprintf(out, "  hard negatives recommended no_violation: %d of %d (%.1f%%); read this case: %d\n",
                s->negatives_nv, s->negatives, corpus_pct(s->negatives_nv, s->negatives), s->negatives_read);
        fprintf(out, "  messages to read (reported, vague) not dismissed: %d of %d (%.1f%%)\n", s->reads_not_nv,
                s->reads, corpus_pct(s->reads_not_nv, s->reads));
    }
}

#endif
