/* fbreview import [--skip-bad] FILE|- — add cases from JSON Lines (DESIGN.md §4).
 *
 * One transaction for the whole file. By default the file is all-or-nothing: every bad
 * line is reported, then the transaction is rolled back and the exit status is 1, so the
 * store is exactly as before. With --skip-bad the good lines are kept and the bad ones
 * reported; the exit status is 0 when at least one case was kept (or the file had no bad
 * line), 1 when bad lines left nothing to keep. A case that already has a decision is
 * not replaced: that is a warning, not a bad line. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fbreview/cli.h"
#include "fbreview/cliopt.h"
#include "fbreview/import.h"
#include "fbreview/ingest.h"
#include "fbreview/progress.h"
#include "fbreview/store_case.h"

struct import_ctx {
    fb_store *store;
    fb_ingest *ingest;
    const char *shown;        /* the file as messages name it */
    int skip_bad;
    long bad;
    long kept, updated, decided;
    fb_progress progress;
};

static void on_bad(void *vctx, const char *message)
{
    struct import_ctx *ctx = vctx;
    ctx->bad++;
    if (ctx->progress.active)
        fputc('\n', stderr);   /* leave the progress line intact above the message */
    fprintf(stderr, "%s\n", message);
}

static fb_status on_case(void *vctx, fb_case *c, long line, fb_err *err)
{
    struct import_ctx *ctx = vctx;
    progress_add(&ctx->progress, 1);
    /* All-or-nothing and already doomed: keep reading to report every bad line, but do
     * not spend time writing what will be rolled back. */
    if (ctx->bad && !ctx->skip_bad)
        return FB_OK;
    fb_err cerr = {0};
    int existed = 0;
    /* ingest_prepare already ran in the reader thread (prepare_case). */
    fb_status st = ingest_save(ctx->ingest, c, "local", &existed, &cerr);
    if (st == FB_ECONFLICT) {
        fprintf(stderr, "%s:%ld: warning: %s\n", ctx->shown, line, cerr.msg);
        ctx->decided++;
        return FB_OK;
    }
    if (st != FB_OK) {
        *err = cerr;
        return fb_err_wrap(err, "%s:%ld", ctx->shown, line);
    }
    ctx->kept++;
    ctx->updated += existed;
    return FB_OK;
}

/* Parties and signals, in the reader thread: pure, so it runs beside the store writes. */
static fb_status prepare_case(const void *in, fb_case *c, fb_err *err) { return ingest_prepare(in, c, err); }

int cli_import(fb_app *app, int argc, char **argv)
{
    struct import_ctx ctx = {0};
    cliopt opts[] = {
        {.name = "skip-bad", .kind = CLIOPT_FLAG, .dest = &ctx.skip_bad,
         .help = "keep the good lines of a file with bad ones (each bad one is reported)"},
        {0},
    };
    cliopt_spec spec = {.cmd = "import", .opts = opts, .min_args = 1, .max_args = 1, .arg_name = "file",
                        .missing = "which file? give a JSON Lines file, or - for standard input"};
    if (cliopt_parse(&spec, argc, argv) < 0)
        return spec.exit_status;
    const char *path = argv[1];
    int is_stdin = strcmp(path, "-") == 0;
    ctx.shown = is_stdin ? "<stdin>" : path;
    /* Check the input before creating a store for it. */
    struct stat sb;
    errno = 0;
    if (!is_stdin && (access(path, R_OK) != 0 || stat(path, &sb) != 0 || S_ISDIR(sb.st_mode))) {
        fb_err err = {0};
        fb_err_set(&err, FB_EIO, "import: cannot read %s: %s", path, errno ? strerror(errno) : "is a directory");
        return cli_fail(&err);
    }

    fb_store *s = NULL;
    int rc = cli_open_store(app, STORE_CREATE, &s);
    if (rc)
        return rc;
    ctx.store = s;
    fb_err err = {0};
    /* Foreign keys off for the import's transaction (about 10% of the store time): every
     * case is written parents first (store_case_put), so nothing can dangle; `fbreview
     * verify` checks the keys. synchronous stays FULL: the commit is durable. */
    if (ingest_open(s, &ctx.ingest, &err) != FB_OK || store_set_foreign_keys(s, 0, &err) != FB_OK ||
        store_begin(s, &err) != FB_OK) {
        rc = cli_fail(&err);
        ingest_close(&ctx.ingest);
        store_close(&s);
        return rc;
    }

    progress_start(&ctx.progress, "importing", 0);
    import_report rep = {0, 0, 0};
    fb_status st = import_stream_prepared(path, prepare_case, ctx.ingest, on_case, on_bad, &ctx, &rep, &err);
    progress_end(&ctx.progress);

    if (st != FB_OK && st != FB_EINPUT) {
        /* The store or the input failed part-way: keep nothing. */
        store_rollback(s);
        rc = cli_fail(&err);
        fprintf(stderr, "fbreview import: %s: nothing imported; the store is unchanged\n", ctx.shown);
    } else if (rep.bad && !ctx.skip_bad) {
        store_rollback(s);
        fprintf(stderr,
                "fbreview import: %s: %ld bad line%s of %ld; nothing imported, the store is unchanged "
                "(fix the lines above, or use --skip-bad to keep the good ones)\n",
                ctx.shown, rep.bad, rep.bad == 1 ? "" : "s", rep.lines);
        rc = 1;
    } else if (ingest_flush(ctx.ingest, NULL, &err) != FB_OK || store_commit(s, &err) != FB_OK) {
        store_rollback(s);
        rc = cli_fail(&err);
    } else {
        fprintf(stderr, "fbreview import: %s: imported %ld case%s (%ld updated), %ld skipped", ctx.shown, ctx.kept,
                ctx.kept == 1 ? "" : "s", ctx.updated, rep.bad + ctx.decided);
        if (rep.bad + ctx.decided)
            fprintf(stderr, " (%ld bad line%s, %ld already decided)", rep.bad, rep.bad == 1 ? "" : "s", ctx.decided);
        if (rep.bad && ctx.kept)
            fputs("; --skip-bad kept the good lines", stderr);
        else if (rep.bad)
            fputs("; no good line to keep", stderr);
        fputc('\n', stderr);
        rc = rep.bad && !ctx.kept ? 1 : 0;
    }
    store_set_foreign_keys(s, 1, NULL);
    ingest_close(&ctx.ingest);
    store_close(&s);
    return rc;
}
