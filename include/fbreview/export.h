#ifndef FBREVIEW_EXPORT_H
#define FBREVIEW_EXPORT_H
/* Decisions as CSV (DESIGN.md §8), shared by `fbreview export` and the console's
 * `:export FILE`, made to open right in a spreadsheet: RFC 4180, UTF-8 with a byte order
 * mark (without one, Excel and many imports read UTF-8 as a legacy code page) unless
 * EXPORT_NO_BOM, a header row, one row per decision that was not undone, in
 * (decided_at, id) order; empty cells for NULL; overridden as true/false. Times are UTC
 * in ISO 8601 without a zone suffix ("2026-11-19T09:19:00", ".123" when there are
 * milliseconds) in columns named *_utc: LibreOffice reads that form as a date-time
 * under any import setting, while RFC 3339's "Z" makes it text; the column name keeps
 * the zone unambiguous. Text cells a spreadsheet would run as a formula get a leading
 * "'" unless EXPORT_RAW (see csv.h). Streams: memory does not grow with the rows. */

#include <stdio.h>

#include "fbreview/err.h"
#include "fbreview/progress.h"
#include "fbreview/store.h"
#include "fbreview/store_export.h"

/* The header, in column order; NULL-terminated. */
extern const char *const export_columns[];

/* flags of the functions below (0: neutralised cells, with a byte order mark) */
enum export_flags {
    EXPORT_RAW = 1 << 0,      /* cells as they are: no formula neutralising */
    EXPORT_NO_BOM = 1 << 1,   /* no UTF-8 byte order mark, for tools that do not want it */
};

/* Writes the CSV to out (which stays open). f may be NULL for every decision.
 * *rows (may be NULL) gets the decisions written. */
fb_status export_run(fb_store *s, const export_filter *f, unsigned flags, FILE *out,
                     long *rows,              /* OUT */
                     fb_err *err);
/* The same, counting into progress (may be NULL; see progress.h) as rows go out. */
fb_status export_stream(fb_store *s, const export_filter *f, unsigned flags, FILE *out,
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
fb_status export_to_path(fb_store *s, const export_filter *f, unsigned flags, const char *path,
                         fb_progress *progress,
                         long *rows,          /* OUT */
                         fb_err *err);

#endif
