#ifndef FBREVIEW_EXPORT_H
#define FBREVIEW_EXPORT_H
/* Decisions as CSV (DESIGN.md §7), shared by `fbreview export` and the console's
 * `:export FILE`. RFC 4180, UTF-8, a header row, one row per decision that was not
 * undone, in (decided_at, id) order; times RFC 3339 UTC; empty cells for NULL;
 * overridden as true/false. Text cells a spreadsheet would run as a formula get a
 * leading "'" unless raw (see csv.h). Streams: memory does not grow with the rows. */

#include <stdio.h>

#include "fbreview/err.h"
#include "fbreview/progress.h"
#include "fbreview/store.h"
#include "fbreview/store_export.h"

/* The header, in column order; NULL-terminated. */
extern const char *const export_columns[];

/* Writes the CSV to out (which stays open). f may be NULL for every decision.
 * *rows (may be NULL) gets the decisions written. */
fb_status export_run(fb_store *s, const export_filter *f, int raw, FILE *out,
                     long *rows,              /* OUT */
                     fb_err *err);
/* The same, counting into progress (may be NULL; see progress.h) as rows go out. */
fb_status export_stream(fb_store *s, const export_filter *f, int raw, FILE *out,
                        fb_progress *progress,
                        long *rows,           /* OUT */
                        fb_err *err);

/* Writes the CSV to path atomically: a temporary file in the same folder, flushed and
 * fsynced, then renamed over path (a symlink is followed to the file it names). On any
 * failure the temporary file is removed and an existing file at path is left as it was.
 * A new file gets 0666 minus the umask; a replaced one keeps its mode. When path names
 * something that is not a regular file (a device such as /dev/null, a FIFO), it is
 * written in place, since it cannot be replaced. A path naming the store itself is
 * refused (FB_EINPUT), as are its -wal, -shm and -journal files. progress may be NULL. */
fb_status export_to_path(fb_store *s, const export_filter *f, int raw, const char *path,
                         fb_progress *progress,
                         long *rows,          /* OUT */
                         fb_err *err);

#endif
