/* RFC 3339 parsing and formatting, durations in words. */
#include "fbreview/timeutil.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

int64_t fb_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (H. Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int days_in_month(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 ? 28 + leap : dm[m - 1];
}

static int digits(const char **p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)**p))
            return -1;
        v = v * 10 + (**p - '0');
        (*p)++;
    }
    *out = v;
    return 0;
}

int fb_time_parse(const char *s, int64_t *out_ms)
{
    if (!s)
        return -1;
    const char *p = s;
    int y, mo, d, h, mi, se, ms = 0;
    if (digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &mo) || *p++ != '-' || digits(&p, 2, &d))
        return -1;
    if (*p != 'T' && *p != 't' && *p != ' ')
        return -1;
    p++;
    if (digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &mi) || *p++ != ':' || digits(&p, 2, &se))
        return -1;
    if (*p == '.') {
        p++;
        int n = 0, frac = 0;
        while (isdigit((unsigned char)*p)) {
            if (n < 3)
                frac = frac * 10 + (*p - '0');
            n++;
            p++;
        }
        if (n == 0)
            return -1;
        for (int i = n; i < 3; i++)
            frac *= 10;
        ms = frac;
    }
    int off_min = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int sign = *p == '-' ? -1 : 1, oh, om;
        p++;
        if (digits(&p, 2, &oh) || *p++ != ':' || digits(&p, 2, &om) || oh > 23 || om > 59)
            return -1;
        off_min = sign * (oh * 60 + om);
    } else {
        return -1;
    }
    if (*p != '\0')
        return -1;
    if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 ||
        mi > 59 || se > 60)
        return -1;
    if (se == 60)
        se = 59;   /* leap second: clamp rather than refuse */
    int64_t secs = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - (int64_t)off_min * 60;
    *out_ms = secs * 1000 + ms;
    return 0;
}

char *fb_time_format_utc(int64_t ms, char *buf, size_t n)
{
    time_t t = (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
    int frac = (int)(ms - (int64_t)t * 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    size_t k = strftime(buf, n, "%Y-%m-%dT%H:%M:%S", &tm);
    if (frac)
        snprintf(buf + k, n - k, ".%03dZ", frac);
    else
        snprintf(buf + k, n - k, "Z");
    return buf;
}

char *fb_time_format_local(int64_t ms, char *buf, size_t n)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    localtime_r(&t, &tm);
    /* The zone is named (TZ honoured): a time read off the screen is compared with the
     * CSV's UTC and with colleagues' screens elsewhere. */
    strftime(buf, n, "%Y-%m-%d %H:%M %Z", &tm);
    return buf;
}

/* One unit table for both forms. A unit is used from `from` of it up (so 45 days stay
 * days and read "45 days", 60 days and more read in months, a year and more in years);
 * months and years are the calendar's averages, as an age needs no more. */
static const struct duration_unit {
    int64_t secs, from;
    const char *word, *tag;
} duration_units[] = {
    {31557600, 31557600, "year", "y"},     /* 365.25 days */
    {2629800, 2 * 2629800, "month", "mo"}, /* a twelfth of that */
    {86400, 86400, "day", "d"},
    {3600, 3600, "hour", "h"},
    {60, 60, "minute", "m"},
    {1, 0, "second", "s"},
};

static const struct duration_unit *duration_unit_for(int64_t s, int short_form)
{
    size_t n = sizeof duration_units / sizeof duration_units[0];
    for (size_t i = 0; i < n; i++) {
        int64_t from = duration_units[i].from;
        /* Tables keep hours up to two days ("36h" says more than "1d"). */
        if (short_form && duration_units[i].secs == 86400)
            from = 2 * 86400;
        if (s >= from)
            return &duration_units[i];
    }
    return &duration_units[n - 1];
}

char *fb_duration_words(int64_t ms, char *buf, size_t n)
{
    int64_t s = (ms < 0 ? -ms : ms) / 1000;
    const struct duration_unit *u = duration_unit_for(s, 0);
    int64_t v = s / u->secs;
    snprintf(buf, n, "%lld %s%s", (long long)v, u->word, v == 1 ? "" : "s");
    return buf;
}

char *fb_duration_short(int64_t ms, char *buf, size_t n)
{
    int64_t s = (ms < 0 ? 0 : ms) / 1000;
    const struct duration_unit *u = duration_unit_for(s, 1);
    snprintf(buf, n, "%lld%s", (long long)(s / u->secs), u->tag);
    return buf;
}
