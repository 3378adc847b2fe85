#ifndef FBREVIEW_ERR_H
#define FBREVIEW_ERR_H
/* One error idiom for every module: functions return an fb_status and, on failure,
 * fill an fb_err with a sentence a person can act on ("what failed; what to do"). */

#include <stddef.h>

/* X-macro: status, exit code, short name. The one table of error codes. Every status
 * exits 1: exit status 2 is the command line's usage error, which only the CLI's parser
 * gives (cli_usage, src/cli/commands.c), never a module below it. */
#define FB_STATUS_TABLE(X)                                   \
    X(FB_OK,        0, "ok")                                 \
    X(FB_ECONFIG,   1, "configuration error")                \
    X(FB_EINPUT,    1, "bad input")                          \
    X(FB_ENOTFOUND, 1, "not found")                          \
    X(FB_ESTORE,    1, "store error")                        \
    X(FB_EIO,       1, "i/o error")                          \
    X(FB_EPOLICY,   1, "refused by policy")                  \
    X(FB_ECONFLICT, 1, "conflict")                           \
    X(FB_EUPSTREAM, 1, "upstream error")                     \
    X(FB_ENOMEM,    1, "out of memory")                      \
    X(FB_EINTERNAL, 1, "internal error")

typedef enum fb_status {
#define FB_X_ENUM(s, exitc, name) s,
    FB_STATUS_TABLE(FB_X_ENUM)
#undef FB_X_ENUM
    FB_STATUS_COUNT
} fb_status;

/* What a person can do about a refusal. Modules say what was refused; each front end
 * says how to go on in its own terms (the CLI names commands, the console its keys). */
typedef enum fb_remedy {
    FB_REMEDY_NONE,
    FB_REMEDY_APPEAL_OR_UNDO,   /* a decided case: appeal its decision (ref), or undo your own */
    FB_REMEDY_APPROVE,          /* a block waits for a second reviewer: approve or send back (ref) */
    FB_REMEDY_VIOLATION,        /* name a violation code */
    FB_REMEDY_RATIONALE,        /* give a rationale */
    FB_REMEDY_TEXT,             /* give the appeal's text */
    FB_REMEDY_CLAIM,            /* another reviewer's claim: decide anyway (recorded), or pick another case */
} fb_remedy;

typedef struct fb_err {
    fb_status status;
    char msg[1024];
    fb_remedy remedy;           /* FB_REMEDY_NONE unless fb_err_remedy set one */
    char ref[64];               /* the decision the remedy acts on */
} fb_err;

/* Adds what to do next to an error fb_err_set just filled (it clears any earlier one). */
void fb_err_remedy(fb_err *err, fb_remedy remedy, const char *ref);

/* Sets status and a printf-style message; returns status so callers can `return fb_err_set(...)`. */
fb_status fb_err_set(fb_err *err,            /* OUT: may be NULL */
                     fb_status status,
                     const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Prefixes the existing message with context ("import x.jsonl: ..."). */
fb_status fb_err_wrap(fb_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void fb_err_clear(fb_err *err);
const char *fb_status_name(fb_status s);
int fb_status_exit_code(fb_status s);

#endif
