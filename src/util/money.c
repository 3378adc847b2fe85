/* Decimal amounts <-> integer minor units. */
#include "fbreview/money.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static const struct { const char code[4]; int exp; const char *symbol; } currencies[] = {
    {"USD", 2, "$"}, {"EUR", 2, "€"}, {"GBP", 2, "£"}, {"JPY", 0, "¥"}, {"KRW", 0, "₩"},
    {"INR", 2, "₹"}, {"BHD", 3, NULL}, {"KWD", 3, NULL}, {"JOD", 3, NULL}, {"TND", 3, NULL},
};

static int lookup(const char *cur)
{
    for (size_t i = 0; cur && i < sizeof currencies / sizeof currencies[0]; i++)
        if (strcmp(currencies[i].code, cur) == 0)
            return (int)i;
    return -1;
}

int fb_money_exponent(const char *currency)
{
    int i = lookup(currency);
    return i >= 0 ? currencies[i].exp : 2;
}

int fb_currency_valid(const char *c)
{
    return c && strlen(c) == 3 && isupper((unsigned char)c[0]) && isupper((unsigned char)c[1]) &&
           isupper((unsigned char)c[2]);
}

int fb_money_parse(const char *s, const char *currency, int64_t *out)
{
    if (!s || !*s)
        return -1;
    if (*s == '-')
        return -2;
    int exp = fb_money_exponent(currency);
    int64_t whole = 0, frac = 0;
    int nfrac = 0, nwhole = 0;
    const char *p = s;
    for (; isdigit((unsigned char)*p); p++, nwhole++) {
        if (whole > (INT64_MAX / 10000) / 10)
            return -4;
        whole = whole * 10 + (*p - '0');
    }
    if (*p == '.') {
        p++;
        for (; isdigit((unsigned char)*p); p++, nfrac++) {
            if (nfrac >= exp) {
                if (*p != '0')
                    return -3;
                continue;   /* trailing zeros beyond the exponent are harmless */
            }
            frac = frac * 10 + (*p - '0');
        }
        if (nfrac == 0)
            return -1;
    }
    if (*p != '\0' || nwhole == 0)
        return -1;
    for (int i = nfrac < exp ? nfrac : exp; i < exp; i++)
        frac *= 10;
    int64_t scale = 1;
    for (int i = 0; i < exp; i++)
        scale *= 10;
    *out = whole * scale + frac;
    return 0;
}

char *fb_money_decimal(int64_t minor, const char *currency, char *buf, size_t n)
{
    int exp = fb_money_exponent(currency);
    int64_t scale = 1;
    for (int i = 0; i < exp; i++)
        scale *= 10;
    if (exp == 0)
        snprintf(buf, n, "%lld", (long long)minor);
    else
        snprintf(buf, n, "%lld.%0*lld", (long long)(minor / scale), exp, (long long)(minor % scale));
    return buf;
}

char *fb_money_format(int64_t minor, const char *currency, char *buf, size_t n)
{
    char dec[32];
    fb_money_decimal(minor, currency, dec, sizeof dec);
    int i = lookup(currency);
    if (i >= 0 && currencies[i].symbol)
        snprintf(buf, n, "%s%s", currencies[i].symbol, dec);
    else
        snprintf(buf, n, "%s %s", dec, currency && *currency ? currency : "");
    return buf;
}
