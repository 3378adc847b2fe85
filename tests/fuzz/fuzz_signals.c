/* libFuzzer target: the phrase pattern compiler and matcher (src/core/signals.c), through
 * the public API: analyse a case whose messages are the input. When the input holds a NUL,
 * the part before it is a phrase-rule file (TSV) compiled first and used instead of the
 * built-in rules; the rest is message text, one message per 0x1E byte. Matches must lie
 * inside their message. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fbreview/ingest.h"
#include "fbreview/model.h"
#include "fbreview/signals.h"

static fb_rules *builtin;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fb_err err = {0};
    if (signals_rules_default(&builtin, &err) != FB_OK)
        abort();
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fb_err err = {0};
    fb_rules *own = NULL;
    const fb_rules *rules = builtin;
    const uint8_t *nul = memchr(data, '\0', size);
    if (nul) {
        char *tsv = dup_n(data, (size_t)(nul - data));
        if (signals_rules_parse("fuzz.tsv", tsv, &own, &err) == FB_OK)
            rules = own;
        else if (err.msg[0] == '\0' || own)
            abort();
        free(tsv);
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
    ingest_derive_parties(c);
    if (signals_compute(c, rules, &err) != FB_OK)
        abort();
    if (c->risk < 0 || c->risk > 100)
        abort();
    for (size_t i = 0; i < c->n_matches; i++) {
        const fb_match *m = &c->matches[i];
        if (m->message >= c->n_messages || m->len == 0 ||
            m->start + m->len > strlen(c->messages[m->message].body))
            abort();
    }
    fb_case_free(&c);
    signals_rules_free(&own);
    return 0;
}
