#ifndef FBREVIEW_IMPORT_H
#define FBREVIEW_IMPORT_H
/* JSON Lines case import (DESIGN.md §4), shared by `fbreview import` and
 * `fbreview upstream import`. Errors read "FILE:LINE: field: problem". */

#include <stddef.h>

#include "fbreview/err.h"
#include "fbreview/model.h"

/* Parses and validates one line. On failure err->msg is "field: problem" (no file/line). */
fb_status import_parse_line(const char *line, size_t len,
                            fb_case **out,      /* OUT: fb_case_free() it */
                            fb_err *err);

/* import_parse_line, and the line as it should be kept (upstream's evidence document):
 * *doc is NULL when that is the line itself, else a malloc'd JSON text in which cut
 * fields hold their kept start and a "cut" member lists them (free() it). */
fb_status import_parse_line_doc(const char *line, size_t len,
                                fb_case **out,  /* OUT: fb_case_free() it */
                                char **doc,     /* OUT: NULL or free() it */
                                fb_err *err);

typedef struct import_report {
    long lines;        /* non-blank lines read */
    long cases;        /* cases handed to the callback */
    long bad;          /* lines refused */
} import_report;

/* Called for each good case, in file order; a non-OK return stops the stream (and is
 * returned). The case is freed when the callback returns. */
typedef fb_status (*import_case_fn)(void *ctx, fb_case *c, long line, fb_err *err);
/* Called for each bad line with its "FILE:LINE: field: problem" message. */
typedef void (*import_bad_fn)(void *ctx, const char *message);

/* Reads path ("-" for stdin) line by line. Every bad line is reported through bad_fn;
 * the return is FB_EINPUT when any line was bad (the caller decides all-or-nothing). */
fb_status import_stream(const char *path, import_case_fn case_fn, import_bad_fn bad_fn, void *ctx,
                        import_report *report, fb_err *err);

/* import_stream, with prep run on each good case in the reader thread (ahead of case_fn,
 * in parallel with it), e.g. ingest_prepare. prep must not touch what case_fn uses
 * (the store). When prep fails, the stream stops there and returns its error as
 * "FILE:LINE: ..." (case_fn is not called for that case). */
typedef fb_status (*import_prep_fn)(const void *prep_ctx, fb_case *c, fb_err *err);
fb_status import_stream_prepared(const char *path, import_prep_fn prep, const void *prep_ctx,
                                 import_case_fn case_fn, import_bad_fn bad_fn, void *ctx,
                                 import_report *report, fb_err *err);

#endif
