#ifndef FBREVIEW_MONEY_H
#define FBREVIEW_MONEY_H
/* Money as integer minor units plus an ISO 4217 currency. */
#include <stddef.h>
#include <stdint.h>

/* Digits after the decimal point for a currency (2 unless the table says otherwise). */
int fb_money_exponent(const char *currency);
/* Parses a non-negative decimal string ("5", "5.00", "1234.5") for the currency.
 * 0 on success; -1 malformed, -2 negative, -3 more decimals than the currency has, -4 too large. */
int fb_money_parse(const char *s, const char *currency, int64_t *out_minor);
/* "$5.00", "€12.50", "1,200 JPY"-style text for people. buf >= 48. */
char *fb_money_format(int64_t minor, const char *currency, char *buf, size_t n);
/* Plain decimal ("5.00") for machines. buf >= 32. */
char *fb_money_decimal(int64_t minor, const char *currency, char *buf, size_t n);
/* 1 if the 3-letter upper-case code looks like ISO 4217. */
int fb_currency_valid(const char *currency);

#endif
