#ifndef FBREVIEW_TUI_H
#define FBREVIEW_TUI_H
/* The curses console (DESIGN.md §6). Only src/tui/ includes curses and readline. */

#include "fbreview/app.h"

typedef struct tui_options {
    const char *script;      /* --script FILE or FBREVIEW_SCRIPT: keys and :commands, no display */
    const char *timing;      /* FBREVIEW_TIMING: write first-paint and per-key times to this file */
} tui_options;

/* Runs the console on the app's store until the reviewer quits; returns the exit status.
 * The terminal is restored on every path out. */
int tui_run(fb_app *app, const tui_options *opt);

#endif
