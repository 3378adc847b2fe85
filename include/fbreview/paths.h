#ifndef FBREVIEW_PATHS_H
#define FBREVIEW_PATHS_H
/* XDG base directories. Each returns a malloc'd path; NULL only when neither the XDG
 * variable nor HOME is set. */
char *paths_default_db(void);        /* $XDG_DATA_HOME/fbreview/fbreview.db */
char *paths_default_config(void);    /* $XDG_CONFIG_HOME/fbreview/config */
char *paths_history(void);           /* $XDG_STATE_HOME/fbreview/history */
/* The login name: $USER, then getpwuid; never NULL. */
char *paths_login_name(void);
#endif
