/* fbreview reanalyse — analyses again, now, every case without a decision whose analysis
 * came from other rules or another analyser (a new fbreview, an operator's edit of the
 * rules, the team policy's rules pulled by sync). The console does the same in the
 * background and any command that shows or decides a case does it for that case; this
 * finishes the store at once, in short transactions, with progress on stderr when it is a
 * terminal. Safe to interrupt: it goes on from the cases still stale. */
#include <stdio.h>

#include "fbreview/cli.h"
#include "fbreview/cliopt.h"
#include "fbreview/ingest.h"
#include "fbreview/progress.h"

typedef struct {
    fb_progress prog;
    int started;
} reanalyse_ctx;

static void on_batch(void *arg, int64_t done, int64_t total)
{
    reanalyse_ctx *x = arg;
    if (!x->started) {
        progress_start(&x->prog, "analysing cases again with the current rules", total > 0 ? total : 0);
        x->started = 1;
    }
    x->prog.total = total > 0 ? total : 0;
    /* one at a time: progress_add draws on whole thousands */
    while (x->prog.done < done)
        progress_add(&x->prog, 1);
}

int cli_reanalyse(fb_app *app, int argc, char **argv)
{
    cliopt opts[] = {{0}};
    cliopt_spec spec = {.cmd = "reanalyse", .opts = opts, .max_args = 0};
    if (cliopt_parse(&spec, argc, argv) < 0)
        return spec.exit_status;
    fb_store *s = NULL;
    int rc = cli_open_store(app, STORE_BACKGROUND, &s);
    if (rc)
        return rc;
    fb_err err = {0};
    fb_ingest *in = NULL;
    reanalyse_ctx x = {0};
    int64_t done = 0;
    if (ingest_refresh(s, &err) != FB_OK || ingest_open_lazy(s, &in, &err) != FB_OK ||
        ingest_reanalyse_all(in, on_batch, &x, &done, &err) != FB_OK)
        rc = cli_fail(&err);
    if (x.started)
        progress_end(&x.prog);
    if (!rc)
        printf("reanalyse: %lld case%s analysed again; every case without a decision carries the current "
               "rules' analysis\n", (long long)done, done == 1 ? "" : "s");
    ingest_close(&in);
    store_close(&s);
    return rc;
}
