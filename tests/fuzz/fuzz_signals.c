/* libFuzzer target: message analysis — the word-pattern compiler and matcher
 * (src/core/pattern.c) and the analyser over them. The analyser is reached through the most
 * public path, the one every imported or pulled case takes: ingest_prepare on a case whose
 * messages are the input (the store's lexicon and frames, seeded from the built-in ones).
 * When the input holds a NUL, the part before it is also compiled, one word pattern a line,
 * and scanned over every message; and read as a lexicon file (TSV) with the built-in
 * frames. Messages are separated by 0x1E. Matches must lie inside their text, risk within
 * 0..100. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fbreview/analyse.h"
#include "fbreview/ingest.h"
#include "fbreview/model.h"
#include "fbreview/pattern.h"
#include "fbreview/signals.h"
#include "fbreview/store.h"

static fb_store *store;
static fb_ingest *ingest;
static char dir[4096], path[4200];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void cleanup(void)
{
    ingest_close(&ingest);
    store_close(&store);
    char p[4300];
    static const char *const sfx[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof sfx / sizeof *sfx; i++) {
        snprintf(p, sizeof p, "%s%s", path, sfx[i]);
        unlink(p);
    }
    rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fb_err err = {0};
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/fbfuzz.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir))
        abort();
    snprintf(path, sizeof path, "%s/fuzz.db", dir);
    if (store_open(path, STORE_CREATE, &store, &err) != FB_OK || ingest_open(store, &ingest, &err) != FB_OK) {
        fprintf(stderr, "fuzz_signals: %s\n", err.msg);
        abort();
    }
    atexit(cleanup);
    return 0;
}

static char *dup_n(const uint8_t *p, size_t n)
{
    char *s = malloc(n + 1);
    if (!s)
        abort();
    memcpy(s, p, n);
    s[n] = '\0';
    return s;
}

static void add_account(fb_case *c, const char *id, fb_role role)
{
    fb_account *a = fb_grow((void **)&c->accounts, &c->n_accounts, sizeof *a);
    a->id = fb_strdup(id);
    a->role = role;
    a->name = fb_strdup(id);
}

static void check(const fb_case *c)
{
    if (c->risk < 0 || c->risk > 100)
        abort();
    for (size_t i = 0; i < c->n_matches; i++) {
        const fb_match *m = &c->matches[i];
        if (m->message >= c->n_messages || m->len == 0 ||
            m->start + m->len > strlen(c->messages[m->message].body))
            abort();
    }
}

static int on_match(void *ctx, size_t pattern, int tag, size_t start, size_t end)
{
    const size_t *limits = ctx;   /* {text length, patterns} */
    if (start > end || end > limits[0] || pattern >= limits[1] || tag != (int)pattern)
        abort();
    return 0;
}

/* Input text as word patterns (one a line) compiled and scanned over each message, and as
 * a lexicon file with the built-in frames, analysing the case. */
static void own_rules(fb_case *c, const char *tsv)
{
    fb_err err = {0};
    fb_patterns *p = NULL;
    if (patterns_new(&p, &err) != FB_OK)
        abort();
    char *copy = fb_strdup(tsv), *save = NULL;
    int line = 0;
    for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        char where[32];
        snprintf(where, sizeof where, "fuzz:%d", ++line);
        fb_err_clear(&err);
        if (patterns_add(p, where, "term", l, (int)patterns_count(p), &err) != FB_OK && err.msg[0] == '\0')
            abort();
    }
    free(copy);
    for (size_t i = 0; i < c->n_messages; i++) {
        size_t limits[2] = {strlen(c->messages[i].body), patterns_count(p)};
        patterns_scan(p, c->messages[i].body, limits[0], on_match, limits);
    }
    patterns_free(&p);

    fb_analyser *a = NULL;
    fb_err_clear(&err);
    if (analyser_parse("fuzz.tsv", tsv, "frames.tsv", analyser_default_frames(), &a, &err) != FB_OK) {
        if (err.msg[0] == '\0' || a)
            abort();
        return;
    }
    fb_case_clear_derived(c);
    if (signals_compute(c, a, &err) != FB_OK)
        abort();
    check(c);
    analyser_free(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fb_err err = {0};
    char *tsv = NULL;
    const uint8_t *nul = memchr(data, '\0', size);
    if (nul) {
        tsv = dup_n(data, (size_t)(nul - data));
        size -= (size_t)(nul - data) + 1;
        data = nul + 1;
    }

    fb_case *c = fb_case_new();
    c->id = fb_strdup("C-FUZZ");
    c->opened_at = 1764000000000;
    add_account(c, "u-1", FB_ROLE_CLIENT);
    add_account(c, "u-2", FB_ROLE_FREELANCER);
    const uint8_t *p = data, *end = data + size;
    int k = 0;
    while (p <= end) {
        const uint8_t *q = memchr(p, 0x1e, (size_t)(end - p));
        if (!q)
            q = end;
        fb_message *m = fb_grow((void **)&c->messages, &c->n_messages, sizeof *m);
        m->from = fb_strdup(k % 2 ? "u-2" : "u-1");
        m->to = fb_strdup(k % 2 ? "u-1" : "u-2");
        m->at = c->opened_at - 1000 * k;
        m->body = dup_n(p, (size_t)(q - p));
        k++;
        p = q + 1;
    }
    if (ingest_prepare(ingest, c, &err) != FB_OK)
        abort();
    check(c);
    if (tsv)
        own_rules(c, tsv);
    fb_case_free(&c);
    free(tsv);
    return 0;
}
