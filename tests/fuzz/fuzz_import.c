/* libFuzzer target: one JSON Lines case through the parser and validator
 * (import_parse_line), then through what ingest does with a good case (parties, signals),
 * and every account name and message body through the safe renderer. The input is not
 * NUL-terminated: any read past len is a finding. */
#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fbreview/analyse.h"
#include "fbreview/import.h"
#include "fbreview/ingest.h"
#include "fbreview/signals.h"
#include "fbreview/text.h"

static fb_analyser *analyser;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    setlocale(LC_ALL, "C.UTF-8");
    fb_err err = {0};
    if (analyser_default(&analyser, &err) != FB_OK)
        abort();
    return 0;
}

static void render(const char *s)
{
    if (!s)
        return;
    char out[256];
    text_clip(s, strlen(s), 40, 1, out, sizeof out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fb_case *c = NULL;
    fb_err err = {0};
    fb_status st = import_parse_line((const char *)data, size, &c, &err);
    if (st != FB_OK) {
        /* Refused: no case, and a message saying which field and why. */
        if (c || err.msg[0] == '\0')
            abort();
        return 0;
    }
    if (!c || !c->id || !c->id[0])
        abort();
    ingest_derive_parties(c);
    if (signals_compute(c, analyser, &err) != FB_OK)
        abort();
    if (c->risk < 0 || c->risk > 100)
        abort();
    for (size_t i = 0; i < c->n_matches; i++) {
        const fb_match *m = &c->matches[i];
        if (m->message >= c->n_messages || m->start + m->len > strlen(c->messages[m->message].body))
            abort();
    }
    for (size_t i = 0; i < c->n_accounts; i++)
        render(c->accounts[i].name);
    for (size_t i = 0; i < c->n_messages; i++)
        render(c->messages[i].body);
    fb_case_free(&c);
    return 0;
}
