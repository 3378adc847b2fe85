/* The colour table and the arithmetic that checks it (WCAG 2 relative luminance). */
#include "fbreview/theme.h"

#include <math.h>

/* Black text only on light backgrounds and never bold; white text on dark ones. */
const fb_theme_role fb_theme[AT_COUNT] = {
    [AT_NORMAL] = {"normal", TH_DEFAULT, TH_DEFAULT, TH_DEFAULT, TH_DEFAULT, 0, 0},
    [AT_HEADER] = {"header", 0, 6, 16, 152, 0, TH_REVERSE},
    [AT_SELECTED] = {"selected", 0, 7, 16, 252, 0, TH_REVERSE},
    [AT_FOCUS] = {"focus", 7, 4, 231, 25, TH_BOLD, TH_REVERSE | TH_BOLD},
    [AT_MATCH] = {"match", 0, 3, 16, 220, 0, TH_UNDERLINE | TH_BOLD},
    [AT_ESCAPED] = {"escaped", 0, 2, 16, 156, TH_UNDERLINE, TH_UNDERLINE},
    [AT_MARK] = {"mark", 0, 3, 16, 220, 0, TH_BOLD},
    [AT_HIGH] = {"high", 7, 1, 231, 124, TH_BOLD, TH_BOLD},
    [AT_DIM] = {"dim", TH_DEFAULT, TH_DEFAULT, TH_DEFAULT, TH_DEFAULT, 0, 0},
    [AT_BOLD] = {"bold", TH_DEFAULT, TH_DEFAULT, TH_DEFAULT, TH_DEFAULT, TH_BOLD, TH_BOLD},
    [AT_ERROR] = {"error", 7, 1, 231, 124, TH_BOLD, TH_REVERSE | TH_BOLD},
    [AT_TAB] = {"tab", TH_DEFAULT, TH_DEFAULT, TH_DEFAULT, TH_DEFAULT, 0, 0},
    [AT_TAB_ON] = {"tab-on", 7, 4, 231, 25, TH_BOLD, TH_REVERSE | TH_BOLD},
};

uint32_t theme_rgb(int n)
{
    /* xterm's defaults (XTerm's charClass-free resources: color0..color15). */
    static const uint32_t base[16] = {0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd, 0x00cdcd,
                                      0xe5e5e5, 0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00, 0x5c5cff, 0xff00ff,
                                      0x00ffff, 0xffffff};
    if (n < 0)
        return 0;
    if (n < 16)
        return base[n];
    if (n < 232) {
        static const int level[6] = {0, 95, 135, 175, 215, 255};
        int i = n - 16;
        return (uint32_t)(level[i / 36] << 16 | level[i / 6 % 6] << 8 | level[i % 6]);
    }
    if (n < 256) {
        int g = 8 + 10 * (n - 232);
        return (uint32_t)(g << 16 | g << 8 | g);
    }
    return 0;
}

static double channel(uint32_t v)
{
    double c = (double)(v & 0xff) / 255.0;
    return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double luminance(uint32_t rgb)
{
    return 0.2126 * channel(rgb >> 16) + 0.7152 * channel(rgb >> 8) + 0.0722 * channel(rgb);
}

double theme_contrast(uint32_t a, uint32_t b)
{
    double la = luminance(a), lb = luminance(b);
    return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}
