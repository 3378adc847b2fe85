#ifndef FBREVIEW_TIMEUTIL_H
#define FBREVIEW_TIMEUTIL_H
/* Time: stored as int64 milliseconds since the epoch, UTC; read and written as RFC 3339. */
#include <stddef.h>
#include <stdint.h>

int64_t fb_now_ms(void);
/* Parses RFC 3339 ("2026-11-20T10:00:00Z", "...T10:00:00.250+02:00"); 0 on success, -1 if malformed
 * or out of range (the date must exist: 2026-02-30 is refused). */
int fb_time_parse(const char *s, int64_t *out_ms);
/* "2026-11-20T10:00:00Z" (milliseconds only when non-zero). buf >= 32. */
char *fb_time_format_utc(int64_t ms, char *buf, size_t n);
/* Local time for people, with its zone (TZ honoured): "2026-11-20 11:00 UTC". buf >= 32. */
char *fb_time_format_local(int64_t ms, char *buf, size_t n);
/* A duration for people: "16 minutes", "2 hours", "3 days", "3 months", "7 years". buf >= 32. */
char *fb_duration_words(int64_t ms, char *buf, size_t n);
/* Compact age for tables: "45s" "16m" "36h" "3d" "3mo" "7y". buf >= 16. */
char *fb_duration_short(int64_t ms, char *buf, size_t n);

#endif
