/* Decisions as CSV: see include/fbreview/export.h. */
#include "fbreview/export.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fbreview/csv.h"
#include "fbreview/store_decision.h"
#include "fbreview/timeutil.h"

/* DESIGN.md §8's order. approval says where a block stands (none, pending, approved,
 * sent_back); approved_by is filled only for an approved block, so nobody acting on the
 * file blocks an account the second reviewer refused; approval_by and
 * approval_rationale say who approved or sent back, and why. */
const char *const export_columns[] = {
    "decision_id", "case_id", "decided_at_utc", "reviewer", "action", "violation",
    "suspension_days", "subject_account", "counterparty_account", "contract_id",
    "recommended_action", "overridden", "approval", "approved_by", "approval_by",
    "approval_rationale", "supersedes", "rationale", "policy_version", "sync_state", "synced_at_utc", NULL,
};

/* Every text column is neutralised, ids included: case and account ids come from
 * imported data, so "=cmd|..." can arrive in any of them. */
static void text(csv_writer *w, store_text t) { csv_text(w, t.p, t.len); }

/* RFC 3339 UTC less its "Z": see export.h for why. */
static void time_cell(csv_writer *w, int64_t ms)
{
    char b[40];
    size_t n = strlen(fb_time_format_utc(ms, b, sizeof b));
    if (n && b[n - 1] == 'Z')
        n--;
    csv_plain(w, b, n);
}

fb_status export_stream(fb_store *s, const export_filter *f, unsigned flags, FILE *out, fb_progress *progress,
                        long *rows, fb_err *err)
{
    long n = 0;
    fb_status rc = FB_OK;
    store_export_cursor *cur = NULL;
    if (rows)
        *rows = 0;
    if (!(flags & EXPORT_NO_BOM))
        fputs("\xEF\xBB\xBF", out);   /* before the writer buffers anything */
    csv_writer *w = csv_new(out, (flags & EXPORT_RAW) != 0);
    if (!w)
        return fb_err_set(err, FB_ENOMEM, "out of memory starting the export");
    for (const char *const *c = export_columns; *c; c++)
        csv_plain(w, *c, strlen(*c));
    csv_end_row(w);

    if ((rc = store_export_open(s, f, &cur, err)) != FB_OK)
        goto done;
    store_export_row r;
    int got;
    while ((got = store_export_next(cur, &r, err)) == 1) {
        text(w, r.decision_id);
        text(w, r.case_id);
        time_cell(w, r.decided_at);
        text(w, r.reviewer);
        text(w, r.action);
        text(w, r.violation);
        if (r.has_days)
            csv_int(w, r.days);
        else
            csv_empty(w);
        text(w, r.subject);
        text(w, r.counterparty);
        text(w, r.contract_id);
        text(w, r.rec_action);
        csv_plain(w, r.overridden ? "true" : "false", r.overridden ? 4 : 5);
        fb_approval a = fb_approval_from_str(r.approval.p);
        const char *word = fb_approval_word(a);
        csv_plain(w, word, strlen(word));
        if (a == FB_APPR_APPROVED)
            text(w, r.approval_by);
        else
            csv_empty(w);
        if (a == FB_APPR_APPROVED || a == FB_APPR_REJECTED) {
            text(w, r.approval_by);
            text(w, r.approval_rationale);
        } else {
            csv_empty(w);
            csv_empty(w);
        }
        text(w, r.supersedes);
        text(w, r.rationale);
        if (r.policy_version > 0)
            csv_int(w, r.policy_version);
        else
            csv_empty(w);
        text(w, r.sync_state);
        if (r.has_synced_at)
            time_cell(w, r.synced_at);
        else
            csv_empty(w);
        csv_end_row(w);
        n++;
        if (progress)
            progress_add(progress, 1);
        /* Stop early on a full disk or a closed pipe instead of reading on for nothing. */
        if ((n & 4095) == 0 && csv_error(w))
            break;
    }
    if (got < 0) {
        rc = err->status;
        goto done;
    }
    int e = csv_flush(w);
    if (e) {
        rc = fb_err_set(err, FB_EIO, "writing the export failed after %ld decisions: %s", n, strerror(e));
        goto done;
    }
    if (rows)
        *rows = n;
done:
    store_export_close(&cur);
    csv_free(&w);
    return rc;
}

fb_status export_run(fb_store *s, const export_filter *f, unsigned flags, FILE *out, long *rows, fb_err *err)
{
    return export_stream(s, f, flags, out, NULL, rows, err);
}

/* The process umask without changing it even for a moment (umask() is process-wide and
 * the console runs sync beside it). Linux reports it in /proc/self/status. */
static mode_t current_umask(void)
{
    mode_t m = 077;   /* when we cannot tell, err on the private side */
    FILE *f = fopen("/proc/self/status", "re");
    if (!f)
        return m;
    char line[256];
    while (fgets(line, sizeof line, f)) {
        unsigned v;
        if (sscanf(line, "Umask: %o", &v) == 1) {
            m = (mode_t)v;
            break;
        }
    }
    fclose(f);
    return m;
}

/* Writes in place: for targets that cannot be renamed over (devices, FIFOs). */
static fb_status export_in_place(fb_store *s, const export_filter *f, unsigned flags, const char *path,
                                 fb_progress *progress, long *rows, fb_err *err)
{
    FILE *out = fopen(path, "we");
    if (!out)
        return fb_err_set(err, FB_EIO, "export to %s: cannot open it: %s", path, strerror(errno));
    fb_status rc = export_stream(s, f, flags, out, progress, rows, err);
    if (fclose(out) != 0 && rc == FB_OK)
        rc = fb_err_set(err, FB_EIO, "export to %s: closing it: %s", path, strerror(errno));
    else if (rc != FB_OK)
        fb_err_wrap(err, "export to %s", path);
    return rc;
}

/* A slip of the keyboard must not replace the store or its write-ahead log (and the
 * unsynced decisions in them). */
static int is_store_file(fb_store *s, const struct stat *target)
{
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    char p[4096];
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        struct stat sst;
        snprintf(p, sizeof p, "%s%s", store_path(s), suffixes[i]);
        if (stat(p, &sst) == 0 && sst.st_dev == target->st_dev && sst.st_ino == target->st_ino)
            return 1;
    }
    return 0;
}

fb_status export_to_path(fb_store *s, const export_filter *f, unsigned flags, const char *path,
                         fb_progress *progress, long *rows, fb_err *err)
{
    fb_status rc = FB_OK;
    char *target = NULL, *tmp = NULL;
    FILE *out = NULL;
    int fd = -1;
    if (rows)
        *rows = 0;
    if (!path || !*path)
        return fb_err_set(err, FB_EINPUT, "export: no file name given");

    struct stat st;
    mode_t mode = 0666 & ~current_umask();
    if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
        /* Replace the file the link names, not the link. */
        target = realpath(path, NULL);
        if (!target)
            return fb_err_set(err, FB_EIO, "export to %s: the link points nowhere usable: %s", path,
                              strerror(errno));
    } else {
        target = strdup(path);
        if (!target)
            return fb_err_set(err, FB_ENOMEM, "out of memory");
    }
    if (stat(target, &st) == 0) {
        if (is_store_file(s, &st)) {
            rc = fb_err_set(err, FB_EINPUT, "export to %s: that is the store itself; choose another file name",
                            path);
            goto done;
        }
        if (S_ISDIR(st.st_mode)) {
            rc = fb_err_set(err, FB_EIO, "export to %s: it is a folder; give a file name", path);
            goto done;
        }
        if (!S_ISREG(st.st_mode)) {
            rc = export_in_place(s, f, flags, target, progress, rows, err);
            goto done;
        }
        mode = st.st_mode & 07777;
    }

    /* The temporary sits beside the target so rename() stays within one file system. */
    const char *slash = strrchr(target, '/');
    size_t dirlen = slash ? (size_t)(slash - target) + 1 : 0;
    size_t need = strlen(target) + 16;
    tmp = malloc(need);
    if (!tmp) {
        rc = fb_err_set(err, FB_ENOMEM, "out of memory");
        goto done;
    }
    snprintf(tmp, need, "%.*s.%s.XXXXXX", (int)dirlen, target, target + dirlen);
    fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        rc = fb_err_set(err, FB_EIO, "export to %s: cannot create a file in %.*s: %s; choose a folder you can write to",
                        path, dirlen ? (int)dirlen : 1, dirlen ? target : ".", strerror(e));
        free(tmp);
        tmp = NULL;   /* nothing to remove */
        goto done;
    }
    if (fchmod(fd, mode) != 0) {
        rc = fb_err_set(err, FB_EIO, "export to %s: setting permissions: %s", path, strerror(errno));
        goto done;
    }
    out = fdopen(fd, "w");
    if (!out) {
        rc = fb_err_set(err, FB_EIO, "export to %s: %s", path, strerror(errno));
        goto done;
    }
    fd = -1;   /* out owns it now */
    if ((rc = export_stream(s, f, flags, out, progress, rows, err)) != FB_OK) {
        fb_err_wrap(err, "export to %s", path);
        goto done;
    }
    /* Durable before it becomes visible under the real name. */
    if (fsync(fileno(out)) != 0) {
        rc = fb_err_set(err, FB_EIO, "export to %s: fsync: %s", path, strerror(errno));
        goto done;
    }
    int closed = fclose(out);
    out = NULL;
    if (closed != 0) {
        rc = fb_err_set(err, FB_EIO, "export to %s: closing: %s", path, strerror(errno));
        goto done;
    }
    if (rename(tmp, target) != 0) {
        rc = fb_err_set(err, FB_EIO, "export to %s: replacing it: %s", path, strerror(errno));
        goto done;
    }
    free(tmp);
    tmp = NULL;   /* renamed: nothing to remove */
    /* Make the rename itself durable. The export is complete either way, so a folder
     * that cannot be fsynced (some file systems refuse) is not an error. */
    char *dir = strndup(target, dirlen ? dirlen : 0);
    int dfd = open(dirlen ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        (void)fsync(dfd);
        close(dfd);
    }
    free(dir);
done:
    if (out)
        fclose(out);
    if (fd >= 0)
        close(fd);
    if (tmp) {
        unlink(tmp);
        free(tmp);
        if (rows)
            *rows = 0;
    }
    free(target);
    return rc;
}
