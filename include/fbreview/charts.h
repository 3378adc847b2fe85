#ifndef FBREVIEW_CHARTS_H
#define FBREVIEW_CHARTS_H
/* The lead's view drawn with terminal characters: bars and a sparkline, one line at a
 * time, fitting `width` columns (80 and up; at least 40). UTF-8 block characters, or
 * ASCII when the terminal's locale is not UTF-8. Names go through the safe renderer. */
#include "fbreview/store_lead.h"

typedef enum charts_role { CH_TITLE, CH_TEXT, CH_BAR, CH_DIM } charts_role;
/* One line of the chart (UTF-8, no newline), split into pieces of one role each. */
typedef void (*charts_piece_fn)(void *ctx, charts_role role, const char *text);
typedef void (*charts_eol_fn)(void *ctx);

void charts_render(const fb_lead_stats *st, int width, int utf8, charts_piece_fn piece, charts_eol_fn eol,
                   void *ctx);

#endif
