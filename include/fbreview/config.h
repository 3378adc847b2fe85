#ifndef FBREVIEW_CONFIG_H
#define FBREVIEW_CONFIG_H
/* INI configuration (libinih) with a schema: every setting is one row of FB_OPTION_TABLE
 * (as tmux's options-table.c): section, key, type, range, default and help. Loading
 * checks each line against it (an unknown section or key, a value of the wrong type or
 * out of range is FB_EINPUT naming FILE:LINE); the getters take defaults and ranges from
 * it; data/default.conf and the manual's CONFIGURATION section are printed from it
 * (config_print_defaults; checked by tests/check-man.sh). */

#include <stdio.h>

#include "fbreview/err.h"

typedef enum fb_option_type {
    OPT_INT,       /* a whole number in [min, max] */
    OPT_BOOL,      /* true|false (also yes|no, on|off, 1|0) */
    OPT_STRING,    /* any text */
    OPT_CHOICE,    /* one of the |-separated forms in `choices`; a form "word N" takes a
                      whole number in [min, max] after the word */
    OPT_BIND,      /* repeatable `KEY ACTION`; the console's keymap checks it */
} fb_option_type;

/* id, section, key, type, min, max, default (NULL: unset), choices, help (one sentence or more) */
#define FB_OPTION_TABLE(X)                                                                          \
    X(OPT_POLICY_NO_VIOLATION_BELOW, "policy", "no_violation_below", OPT_INT, 0, 101, "30", NULL,     \
      "Below this risk (0-100) the recommendation is no_violation (honest, pressure-free requests); " \
      "101 never recommends it on risk alone.")                                                     \
    X(OPT_POLICY_HIGH_RISK, "policy", "high_risk", OPT_INT, 0, 101, "60", NULL,                       \
      "A dismissal against a risk at or above this needs a rationale.")                             \
    X(OPT_POLICY_BLOCK_NEEDS_APPROVAL, "policy", "block_needs_approval", OPT_BOOL, 0, 1, "true", NULL, \
      "Blocks wait for a second reviewer's approval before they count.")                            \
    X(OPT_POLICY_APPEAL_SEPARATION, "policy", "appeal_separation", OPT_BOOL, 0, 1, "true", NULL,      \
      "The reviewer whose decision is appealed may not decide the appeal.")                         \
    X(OPT_POLICY_APPROVER_ROLE, "policy", "approver_role", OPT_CHOICE, 0, 0, "lead", "lead|reviewer",  \
      "Who approves or sends back a proposed block, never its proposer: a lead, or any reviewer "    \
      "(upstream enforces it with the logins' roles).")                                             \
    X(OPT_POLICY_VERSION, "policy", "version", OPT_INT, 0, 1000000000, "0", NULL,                    \
      "The version of the team policy these settings come from: set by the policy pulled from "     \
      "upstream (fbreview upstream policy publish), never by hand; 0 = the local config.")          \
    /* [ladder] days: 1 to 365 as FB_DAYS_MIN/MAX in model.h (checked by test_policy) */       \
    X(OPT_LADDER_MINOR_0, "ladder", "minor.0", OPT_CHOICE, 1, 365, "education", FB_RUNG_CHOICES,       \
      "The action for a minor code (conflict_of_interest, free_work_for_review, fake_job) with no "  \
      "earlier violation.")                                                                         \
    X(OPT_LADDER_MINOR_1, "ladder", "minor.1", OPT_CHOICE, 1, 365, "suspension 14", FB_RUNG_CHOICES,   \
      "The action for a minor code with one earlier violation.")                                    \
    X(OPT_LADDER_MINOR_2, "ladder", "minor.2", OPT_CHOICE, 1, 365, "block", FB_RUNG_CHOICES,           \
      "The action for a minor code with two or more earlier violations (any earlier block always "  \
      "recommends block).")                                                                         \
    X(OPT_LADDER_SERIOUS_0, "ladder", "serious.0", OPT_CHOICE, 1, 365, "suspension 14", FB_RUNG_CHOICES, \
      "The action for a serious code (self_hire, paid_feedback, feedback_extortion) with no "        \
      "earlier violation.")                                                                         \
    X(OPT_LADDER_SERIOUS_1, "ladder", "serious.1", OPT_CHOICE, 1, 365, "suspension 30", FB_RUNG_CHOICES, \
      "The action for a serious code with one earlier violation.")                                  \
    X(OPT_LADDER_SERIOUS_2, "ladder", "serious.2", OPT_CHOICE, 1, 365, "block", FB_RUNG_CHOICES,       \
      "The action for a serious code with two or more earlier violations.")                         \
    X(OPT_SYNC_UPSTREAM, "sync", "upstream", OPT_STRING, 0, 0, NULL, NULL,                            \
      "The upstream database: a libpq connection string or service=NAME (FBREVIEW_UPSTREAM wins). "  \
      "Passwords only through libpq's .pgpass or PGPASSFILE, never here.")                          \
    X(OPT_SYNC_INTERVAL, "sync", "interval", OPT_INT, 1, 3600, "5", NULL,                             \
      "Seconds between sync rounds while the console runs.")                                        \
    X(OPT_SYNC_BATCH, "sync", "batch", OPT_INT, 1, 100000, "3000", NULL,                              \
      "Outbox rows per push transaction (also capped at 2 MB of text); FBREVIEW_SYNC_BATCH wins.")   \
    X(OPT_SYNC_UNDO_WINDOW, "sync", "undo_window", OPT_INT, 0, 3600, "15", NULL,                     \
      "Seconds a saved decision waits in the outbox before the console's sync pushes it, so u can "  \
      "undo it even when online (0 pushes at once); while u's box is open it waits for the answer. " \
      "fbreview sync --once does not wait for the window.")                                         \
    X(OPT_SYNC_STATEMENT_TIMEOUT, "sync", "statement_timeout", OPT_INT, 1, 86400000, "60000", NULL,   \
      "Milliseconds an upstream statement may run (SET LOCAL in every transaction, so it holds "     \
      "through pgbouncer).")                                                                        \
    X(OPT_SYNC_LOCK_TIMEOUT, "sync", "lock_timeout", OPT_INT, 1, 86400000, "10000", NULL,             \
      "Milliseconds an upstream statement may wait for a lock.")                                    \
    X(OPT_SYNC_IDLE_TIMEOUT, "sync", "idle_in_transaction_timeout", OPT_INT, 1, 86400000, "60000",    \
      NULL, "Milliseconds an upstream transaction may stay idle before the server ends it.")        \
    X(OPT_CONSOLE_SLA_HOURS, "console", "sla_hours", OPT_INT, 1, 8760, "48", NULL,                    \
      "Hours a case may wait before the console marks it as past its service level.")               \
    X(OPT_RETENTION_EVIDENCE_DAYS, "retention", "evidence_days", OPT_INT, 0, 3650, "0", NULL,         \
      "Days after a case's decision synced upstream before its evidence (messages, payments, "      \
      "feedback, links) is purged from this store; the decision, its audit trail and the case row " \
      "stay, and the evidence stays upstream. 0 keeps everything. Purging runs after each sync "    \
      "round (the console's, fbreview sync) and with fbreview purge.")                              \
    X(OPT_KEYS_BIND, "keys", "bind", OPT_BIND, 0, 0, NULL, NULL,                                      \
      "bind = KEY ACTION adds a key (repeat the line for more); bind = KEY none unbinds it. Key "     \
      "names: a character, <Up> <Down> <Left> <Right> <PgUp> <PgDn> <Home> <End> <Enter> <Tab> "    \
      "<BackTab> <Esc> <Space> <Backspace> <F1>..<F12>, <C-x>. Actions: see KEYS or "               \
      "`fbreview console --keys`.")

/* The ladder's value forms (POLICY.md actions that a rung may name). */
#define FB_RUNG_CHOICES "education|suspension N|block"

typedef enum fb_option_id {
#define FB_X(id, sec, key, type, min, max, def, choices, help) id,
    FB_OPTION_TABLE(FB_X)
#undef FB_X
    OPT_COUNT
} fb_option_id;

typedef struct fb_option {
    const char *section, *key;
    fb_option_type type;
    long min, max;
    const char *def;          /* NULL: unset unless configured */
    const char *choices;      /* OPT_CHOICE only */
    const char *help;
} fb_option;

typedef struct fb_config fb_config;

typedef struct fb_config_entry {
    char *section, *key, *value;
    const char *file;     /* where it came from, for error messages */
    int line;
    fb_option_id opt;
} fb_config_entry;

/* The table's row for an id. */
const fb_option *config_option(fb_option_id id);

/* The file at path (a missing file is fine unless required), every line checked. */
fb_status config_load(const char *path, int required,
                      fb_config **out,       /* OUT */
                      fb_err *err);
/* No file: every setting at its default. */
fb_config *config_defaults(void);
/* Applies more config text on top, checked like a file (tests, built-in keys). name is
 * used in error messages; on error nothing of the text is kept. */
fb_status config_apply_text(fb_config *cfg, const char *name, const char *text, fb_err *err);
void config_free(fb_config **cfg);

/* Values (the last line that set them, else the table's default). Loading checked them. */
long config_int(const fb_config *cfg, fb_option_id id);
int config_bool(const fb_config *cfg, fb_option_id id);
const char *config_str(const fb_config *cfg, fb_option_id id);   /* NULL when unset */
/* The line that set it (for messages), NULL when it is the default. */
const fb_config_entry *config_entry(const fb_config *cfg, fb_option_id id);

/* Every entry of a section, in order. */
typedef fb_status (*config_each_fn)(void *ctx, const fb_config_entry *e, fb_err *err);
fb_status config_each(const fb_config *cfg, const char *section, config_each_fn fn, void *ctx, fb_err *err);

/* Every setting with its help and default: as a config file (data/default.conf, with the
 * built-in bindings of data/keys.conf) or as roff for the manual's CONFIGURATION section. */
void config_print_defaults(FILE *out, int roff);

#endif
