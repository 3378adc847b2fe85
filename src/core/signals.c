/* Signals — placeholder until the signals work lands: computes nothing. */
#include <stdlib.h>

#include "fbreview/signals.h"

struct fb_rules {
    int unused;
};

fb_status signals_rules_default(fb_rules **out, fb_err *err)
{
    (void)err;
    *out = calloc(1, sizeof **out);
    return FB_OK;
}

fb_status signals_rules_parse(const char *name, const char *tsv, fb_rules **out, fb_err *err)
{
    (void)name;
    (void)tsv;
    return signals_rules_default(out, err);
}

void signals_rules_free(fb_rules **r)
{
    if (r) {
        free(*r);
        *r = NULL;
    }
}

fb_status signals_compute(fb_case *c, const fb_rules *rules, fb_err *err)
{
    (void)rules;
    (void)err;
    fb_case_clear_derived(c);
    return FB_OK;
}
