#ifndef FBREVIEW_THEME_H
#define FBREVIEW_THEME_H
/* The console's colours: one table (as htop's CRT.c), by role. Every role that sets a
 * colour sets its background too, so its contrast is the table's, not the terminal's; the
 * defaults keep WCAG AA (4.5:1) in xterm's 8-colour palette and in the 256-colour cube,
 * and no role draws bold black on a colour (many terminals turn it grey). Without colours
 * (NO_COLOR, a monochrome terminal) each role has its attributes instead. No curses here:
 * tests check the table. */

#include <stdint.h>

/* Roles a piece of the screen is drawn in. */
enum tui_attr_role {
    AT_NORMAL, AT_HEADER, AT_SELECTED, AT_FOCUS, AT_MATCH, AT_ESCAPED, AT_MARK, AT_HIGH,
    AT_DIM, AT_BOLD, AT_ERROR, AT_TAB, AT_TAB_ON, AT_COUNT
};

/* Attributes, mapped to curses' by the console. */
enum { TH_BOLD = 1, TH_UNDERLINE = 2, TH_REVERSE = 4 };
#define TH_DEFAULT (-1)   /* the terminal's own colour */

typedef struct fb_theme_role {
    const char *name;
    short fg8, bg8;       /* colours 0-7 (xterm's numbering) */
    short fg256, bg256;   /* colours of the 256-colour cube (16-255: the same in every terminal) */
    unsigned attr;        /* TH_* with colours */
    unsigned mono;        /* TH_* without colours */
} fb_theme_role;

extern const fb_theme_role fb_theme[AT_COUNT];

/* The sRGB value (0xRRGGBB) of colour n in xterm's default palette (0-15) or the
 * 256-colour cube and grey ramp (16-255). */
uint32_t theme_rgb(int n);
/* WCAG 2 contrast ratio of two sRGB colours (1 to 21). */
double theme_contrast(uint32_t a, uint32_t b);

#endif
