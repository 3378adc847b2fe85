/* XDG paths and the login name. */
#include "fbreview/paths.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fbreview/mem.h"

static char *xdg(const char *var, const char *fallback, const char *leaf)
{
    const char *base = getenv(var);
    char buf[4096];
    if (base && base[0] == '/') {
        snprintf(buf, sizeof buf, "%s/fbreview/%s", base, leaf);
    } else {
        const char *home = getenv("HOME");
        if (!home || !*home)
            return NULL;
        snprintf(buf, sizeof buf, "%s/%s/fbreview/%s", home, fallback, leaf);
    }
    return fb_strdup(buf);
}

char *paths_default_db(void) { return xdg("XDG_DATA_HOME", ".local/share", "fbreview.db"); }
char *paths_default_config(void) { return xdg("XDG_CONFIG_HOME", ".config", "config"); }
char *paths_history(void) { return xdg("XDG_STATE_HOME", ".local/state", "history"); }

char *paths_login_name(void)
{
    const char *u = getenv("USER");
    if (u && *u)
        return fb_strdup(u);
    struct passwd *pw = getpwuid(getuid());
    return fb_strdup(pw && pw->pw_name ? pw->pw_name : "reviewer");
}
