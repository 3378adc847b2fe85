/* The error idiom: see include/fbreview/err.h. */
#include "fbreview/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const struct {
    const char *name;
    int exit_code;
} status_info[FB_STATUS_COUNT] = {
#define FB_X_INFO(s, exitc, nm) [s] = {nm, exitc},
    FB_STATUS_TABLE(FB_X_INFO)
#undef FB_X_INFO
};

fb_status fb_err_set(fb_err *err, fb_status status, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        err->status = status;
        err->remedy = FB_REMEDY_NONE;
        err->ref[0] = '\0';
    }
    return status;
}

void fb_err_remedy(fb_err *err, fb_remedy remedy, const char *ref)
{
    if (!err)
        return;
    err->remedy = remedy;
    snprintf(err->ref, sizeof err->ref, "%s", ref ? ref : "");
}

fb_status fb_err_wrap(fb_err *err, const char *fmt, ...)
{
    if (!err)
        return FB_EINTERNAL;
    char prefix[512], old[sizeof err->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    memcpy(old, err->msg, sizeof old);
    snprintf(err->msg, sizeof err->msg, "%s: %s", prefix, old);
    return err->status;
}

void fb_err_clear(fb_err *err)
{
    if (err) {
        err->status = FB_OK;
        err->msg[0] = '\0';
        err->remedy = FB_REMEDY_NONE;
        err->ref[0] = '\0';
    }
}

const char *fb_status_name(fb_status s)
{
    return (s >= 0 && s < FB_STATUS_COUNT) ? status_info[s].name : "unknown";
}

int fb_status_exit_code(fb_status s)
{
    return (s >= 0 && s < FB_STATUS_COUNT) ? status_info[s].exit_code : 1;
}
