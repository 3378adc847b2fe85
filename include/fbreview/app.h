#ifndef FBREVIEW_APP_H
#define FBREVIEW_APP_H
/* What main resolved for this run (store, reviewer, config, upstream), handed to the
 * subcommands (cli) and the console (tui). It lives below both so neither includes the
 * other's header. */

#include "fbreview/config.h"

typedef struct fb_app {
    char *db_path;          /* --db, FBREVIEW_DB, or the XDG default */
    /* store_open flags every opening of db_path adds (set once, in main.c): STORE_MKDIR
     * for the default location only (a folder the user named is never created), and
     * STORE_READONLY for --read-only. */
    int store_flags;
    char *reviewer;         /* --reviewer, FBREVIEW_REVIEWER, or the login name */
    char *config_path;
    const char *upstream;   /* FBREVIEW_UPSTREAM or config [sync] upstream; never printed */
    fb_config *cfg;
} fb_app;

/* Frees what the app owns (not the struct itself, which main keeps on its stack). */
void app_free(fb_app *app);

#endif
