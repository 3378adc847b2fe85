#ifndef FBREVIEW_CLIOPT_H
#define FBREVIEW_CLIOPT_H

#include <stdio.h>
/* One option parser for every subcommand (src/cli/cliopt.c). A command declares a table
 * of its options and the rule for its positional arguments; cliopt_parse does the rest:
 * `--name=VALUE`, `--name VALUE`, `-n VALUE` (and `-nVALUE`), flags, `--` ending the
 * options, repeats where the table allows them, and every usage error (through
 * cli_usage, exit status 2) in the same words for every command; an unknown option is
 * answered with the list of known ones, made from the table. `-h`/`--help` prints the
 * command's usage (from the command table, src/cli/commands.c) and its options with their
 * help (from this table) on stdout, and the command exits 0. */

enum cliopt_kind {
    CLIOPT_FLAG,     /* int *dest: set to 1 (counts up with CLIOPT_REPEAT) */
    CLIOPT_STRING,   /* const char **dest: the value as given */
    CLIOPT_INT,      /* long long *dest: a whole number from min to max */
};

enum cliopt_flags {
    CLIOPT_REPEAT = 1 << 0,     /* may be given more than once (the last value wins) */
    CLIOPT_NONEMPTY = 1 << 1,   /* an empty value counts as a missing one */
    CLIOPT_OPTARG = 1 << 2,     /* STRING: `--name` alone gives "", a value only after `=` */
};

typedef struct cliopt {
    const char *name;           /* long name without the dashes; NULL ends the table */
    char short_name;            /* `-x`, or 0 */
    enum cliopt_kind kind;
    void *dest;                 /* see enum cliopt_kind */
    const char *value_name;     /* "FILE", "N": in the list of options an unknown one gets */
    unsigned flags;             /* enum cliopt_flags */
    long long min, max;         /* CLIOPT_INT range; 0 and 0 mean any value from 0 up */
    const char *needs;          /* "a file name": said when the value is missing; NULL: "a value" */
    const char *help;           /* one line for `CMD --help` */
    int seen;                   /* OUT: how many times it was given */
} cliopt;

typedef struct cliopt_spec {
    const char *cmd;            /* the command, for cli_usage */
    cliopt *opts;               /* NULL-name terminated; NULL for none */
    int min_args;               /* positional arguments: at least this many */
    int max_args;               /* at most this many; -1 for any number */
    const char *arg_name;       /* "case": "one case at a time (got A and B)" */
    const char *missing;        /* said when fewer than min_args; NULL: "name the ARG_NAME" */
    const char *hint;           /* added to an unexpected-argument error */
    int options_first;          /* options end at the first positional argument */
    int exit_status;            /* OUT: after a -1 from cliopt_parse, 0 (help was printed) or 2 */
} cliopt_spec;

/* Parses argv[1..argc-1] against spec: fills the destinations of the options given,
 * moves the positional arguments to argv[1..n] in order and returns n. On a usage error
 * prints it (cli_usage) and returns -1 with spec->exit_status 2; on -h/--help prints the
 * help and returns -1 with spec->exit_status 0. The command then returns
 * spec->exit_status. */
int cliopt_parse(cliopt_spec *spec, int argc, char **argv);

/* The entry for the long name in a parsed table (NULL if none): its `seen` says whether
 * it was given. */
const cliopt *cliopt_find(const cliopt_spec *spec, const char *name);

/* `fbreview CMD --help` for spec->cmd: the usage line and summary from the command table,
 * then spec's options with their help. */
void cliopt_help(const cliopt_spec *spec, FILE *out);

#endif
