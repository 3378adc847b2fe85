/* The command line through the real binary: --help, --version, unknown commands, stats,
 * verify on a good and on a damaged store, and where the store is by default. */
#include "testlib.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include "fbreview/cli.h"

#define CASE(id)                                                                                    \
    "{\"case_id\":\"" id "\",\"opened_at\":\"2026-11-20T10:00:00Z\",\"alleged\":\"self_hire\","     \
    "\"accounts\":[{\"id\":\"u-1\",\"role\":\"client\"},{\"id\":\"u-2\",\"role\":\"freelancer\"}],"  \
    "\"messages\":[{\"from\":\"u-1\",\"to\":\"u-2\",\"body\":\"hello there\"}],"                     \
    "\"payments\":[{\"from\":\"u-1\",\"to\":\"u-2\",\"kind\":\"payment\",\"amount\":\"5.00\",\"currency\":\"USD\"}]}\n"

/* t_path and t_write reuse a few static buffers; keep a path beyond the next calls. */
static const char *keep(const char *path)
{
    static char pool[32][4096];
    static int k;
    char *b = pool[k++ % 32];
    snprintf(b, sizeof pool[0], "%s", path);
    return b;
}

static void assert_contains(const char *out, const char *want)
{
    if (!out || !strstr(out, want)) {
        print_error("expected output to contain:\n  %s\ngot:\n%s\n", want, out ? out : "(null)");
        fail();
    }
}

static int exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

/* A store with three imported cases. */
static const char *good_store(const char *name)
{
    const char *db = keep(t_path(name));
    const char *in = keep(t_write("cases.jsonl", CASE("C-1") CASE("C-2") CASE("C-3")));
    char *out = NULL;
    assert_int_equal(t_run(&out, "--db '%s' import '%s'", db, in), 0);
    free(out);
    return db;
}

static int setup(void **state)
{
    (void)state;
    /* Nothing from the person running the tests: no config, no default store. */
    setenv("XDG_CONFIG_HOME", t_path("config-home"), 1);
    setenv("HOME", t_path("home"), 1);
    unsetenv("XDG_DATA_HOME");
    unsetenv("FBREVIEW_DB");
    return 0;
}

static void test_help(void **state)
{
    (void)state;
    char *out = NULL;
    assert_int_equal(t_run(&out, "--help"), 0);
    assert_contains(out, "usage: fbreview [--db PATH]");
    /* every command of the table is listed */
    static const char *const cmds[] = {"console", "demo", "import", "export", "show", "decide", "approve",
                                       "appeal", "sync", "upstream", "stats", "verify"};
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        char want[64];
        snprintf(want, sizeof want, "  %s ", cmds[i]);
        assert_contains(out, want);
    }
    assert_contains(out, "[--skip-bad] FILE|-");
    free(out);
    assert_int_equal(t_run(&out, "-h"), 0);
    assert_contains(out, "usage: fbreview");
    free(out);
}

/* `fbreview CMD --help` and `-h`, for every command of the table: exit 0, the usage on
 * stdout, every option the usage line names listed with its help, and no store made. */
static void test_command_help(void **state)
{
    (void)state;
    const char *db = keep(t_path("never-made.db"));
    for (const cli_command *c = cli_commands; c->name; c++) {
        for (int k = 0; k < 2; k++) {
            char *out = NULL;
            const char *flag = k ? "-h" : "--help";
            if (t_run(&out, "--db '%s' %s %s", db, c->name, flag) != 0) {
                print_error("fbreview %s %s did not exit 0:\n%s\n", c->name, flag, out ? out : "");
                fail();
            }
            char want[128];
            snprintf(want, sizeof want, "usage: fbreview %s", c->name);
            assert_true(strncmp(out, want, strlen(want)) == 0);
            assert_contains(out, c->summary);
            assert_contains(out, "  -h, --help ");
            /* each --option of the usage line has a line of its own under options: */
            const char *opts = strstr(out, "\noptions:\n");
            assert_non_null(opts);
            for (const char *p = strstr(c->args, "--"); p; p = strstr(p + 2, "--")) {
                size_t n = strspn(p + 2, "abcdefghijklmnopqrstuvwxyz-");
                char line[64];
                snprintf(line, sizeof line, "--%.*s", (int)n, p + 2);
                int listed = 0;
                for (const char *l = opts; l && !listed; l = strchr(l + 1, '\n')) {
                    const char *o = l + 1 + strspn(l + 1, " ");
                    if (o[0] == '-' && o[1] != '-' && o[2] == ',')
                        o += 3 + strspn(o + 3, " ");
                    listed = strncmp(o, line, strlen(line)) == 0 && o[strlen(line)] &&
                             strchr(" [", o[strlen(line)]);
                }
                if (!listed) {
                    print_error("fbreview %s --help does not list %s:\n%s\n", c->name, line, out);
                    fail();
                }
            }
            free(out);
        }
        assert_false(exists(db));
    }
    /* help wins over other arguments, and is not taken as an option's value by mistake */
    char *out = NULL;
    assert_int_equal(t_run(&out, "--db '%s' show C-1 --help", db), 0);
    assert_contains(out, "usage: fbreview show");
    free(out);
    assert_int_equal(t_run(&out, "--db '%s' upstream claim --help", db), 0);
    assert_contains(out, "--lease-ms MS");
    free(out);
    assert_int_equal(t_run(&out, "--db '%s' import --skip-bad -h", db), 0);
    assert_contains(out, "--skip-bad");
    free(out);
    assert_false(exists(db));
}

static void test_version(void **state)
{
    (void)state;
    char *out = NULL;
    assert_int_equal(t_run(&out, "--version"), 0);
    assert_string_equal(out, "fbreview " FB_VERSION "\n");
    free(out);
}

static void test_unknown_command_and_usage(void **state)
{
    (void)state;
    char *out = NULL;
    assert_int_equal(t_run(&out, "frobnicate"), 2);
    assert_contains(out, "unknown command \"frobnicate\"; see `fbreview --help`");
    free(out);
    assert_int_equal(t_run(&out, "--db"), 2);
    assert_contains(out, "--db needs a value");
    free(out);
    assert_int_equal(t_run(&out, "--db '%s' stats extra", t_path("x.db")), 2);
    assert_contains(out, "fbreview stats: takes no arguments");
    free(out);
    assert_int_equal(t_run(&out, "--db '%s' verify extra", t_path("x.db")), 2);
    assert_contains(out, "fbreview verify: takes no arguments");
    free(out);
    /* Every command's options go through one parser (src/cli/cliopt.c): the same words. */
    static const struct {
        const char *args, *want;
    } usage[] = {
        {"show --bogus", "fbreview show: unknown option \"--bogus\" (show takes --json)"},
        {"show C-1 C-2", "fbreview show: one case at a time (got C-1 and C-2)"},
        {"show", "fbreview show: name the case to show"},
        {"appeal D-1 --text", "fbreview appeal: --text needs a value"},
        {"approve D-1 --reject --reject", "fbreview approve: --reject given twice"},
        {"note C-1", "fbreview note: name the case and give the note's text"},
        {"decide --undo --accept", "fbreview decide: --undo takes at most one decision id and no other option"},
        {"decide C-1 suspension --days=0", "fbreview decide: --days needs a whole number from 1 to 365, not \"0\""},
        {"demo --cases=0", "fbreview demo: --cases needs a whole number from 1 to 100000000, not \"0\""},
        {"--script", "fbreview console: --script needs a value"},
        {"--keys=html", "fbreview console: --keys takes no value or =man, not \"html\""},
        {"--frobnicate", "fbreview console: unknown option \"--frobnicate\" (console takes --script FILE or --keys[=man])"},
        {"stats --json", "fbreview stats: unknown option \"--json\" (stats takes --charts)"},
        {"sync --interval 0", "fbreview sync: --interval needs a whole number from 1 to 86400, not \"0\""},
        {"sync --once --watch", "fbreview sync: --once and --watch exclude each other"},
        {"sync --bogus", "fbreview sync: unknown option \"--bogus\""},
        {"upstream init extra", "fbreview upstream: takes no arguments (got \"extra\")"},
        {"upstream import", "fbreview upstream: import needs one FILE (or - for stdin)"},
        {"upstream claim", "fbreview upstream: name the case"},
        {"upstream claim C-1 --lease-ms soon", "fbreview upstream: --lease-ms needs a whole number"},
        {"upstream frob", "fbreview upstream: unknown subcommand \"frob\""},
    };
    for (size_t i = 0; i < sizeof usage / sizeof usage[0]; i++) {
        assert_int_equal(t_run(&out, "--db '%s' %s", t_path("x.db"), usage[i].args), 2);
        assert_contains(out, usage[i].want);
        assert_contains(out, "\nusage: fbreview ");
        free(out);
    }
}

/* One rule (DESIGN.md §3): 2 only for a usage error, which the command line alone shows;
 * 1 for everything else: runtime, configuration, refused input. */
static void test_exit_codes(void **state)
{
    (void)state;
    const char *db = good_store("exit.db");
    static const struct {
        const char *args, *want;
        int rc;
    } runs[] = {
        /* --days: the same rule (fb_days_valid) for every value out of range */
        {"decide C-1 suspension --days 0", "--days needs a whole number from 1 to 365, not \"0\"", 2},
        {"decide C-1 suspension --days -3", "--days needs a whole number from 1 to 365, not \"-3\"", 2},
        {"decide C-1 suspension --days=366", "--days needs a whole number from 1 to 365, not \"366\"", 2},
        {"decide C-1 education --days 5", "--days applies only to a suspension, not to education", 2},
        {"decide C-1 no_violation --violation self_hire", "no_violation carries no violation code", 2},
        /* configuration and runtime: 1 */
        {"sync --once", "no upstream: set FBREVIEW_UPSTREAM", 1},
        {"sync --watch", "no upstream: set FBREVIEW_UPSTREAM", 1},
        {"upstream init", "no upstream: set FBREVIEW_UPSTREAM", 1},
        {"show C-404", "C-404", 1},
        {"console </dev/null", "the console needs a terminal", 1},
    };
    unsetenv("FBREVIEW_UPSTREAM");
    for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++) {
        char *out = NULL;
        int rc = t_run(&out, "--db '%s' --reviewer ann %s", db, runs[i].args);
        if (rc != runs[i].rc) {
            print_error("fbreview %s: exit %d, expected %d:\n%s\n", runs[i].args, rc, runs[i].rc, out);
            fail();
        }
        assert_contains(out, runs[i].want);
        free(out);
    }
    /* a suspension of 1 day and of 365 days are both fine */
    char *out = NULL;
    assert_int_equal(t_run(&out, "--db '%s' --reviewer ann decide C-1 suspension --days 1 --violation self_hire "
                                 "--rationale edge", db), 0);
    free(out);
    assert_int_equal(t_run(&out, "--db '%s' --reviewer ann decide C-2 suspension --days 365 --violation self_hire "
                                 "--rationale edge", db), 0);
    free(out);
    /* a missing store is not a usage error; neither is nowhere to put one */
    assert_int_equal(t_run(&out, "--db '%s' stats", t_path("missing.db")), 1);
    free(out);
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "env -u HOME -u XDG_DATA_HOME -u FBREVIEW_DB '%s' stats >'%s' 2>&1",
             getenv("FB_BIN") ? getenv("FB_BIN") : "build/fbreview", t_path("nohome.out"));
    int st = system(cmd);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 1);
    out = t_read(t_path("nohome.out"));
    assert_contains(out, "no store path");
    free(out);
}

static void test_stats(void **state)
{
    (void)state;
    const char *db = good_store("stats.db");
    t_sql(db, "INSERT INTO decision(id, case_id, reviewer, action, violation, days, decided_at)"
                 " VALUES ('7d1c0c8e-0000-4000-8000-000000000001','C-2','rev','suspension','self_hire',14,1);"
                 "UPDATE \"case\" SET status='decided' WHERE id='C-2';");
    char *out = NULL, line[128];
    assert_int_equal(t_run(&out, "--db '%s' stats", db), 0);
    snprintf(line, sizeof line, "store: %s\n", db);
    assert_contains(out, line);
    assert_contains(out, "cases by status:\n");
    snprintf(line, sizeof line, "  %-24s %12d\n", "decided", 1);
    assert_contains(out, line);
    snprintf(line, sizeof line, "  %-24s %12d\n", "open", 2);
    assert_contains(out, line);
    assert_contains(out, "cases by alleged code:\n");
    snprintf(line, sizeof line, "  %-24s %12d\n", "self_hire", 3);
    assert_contains(out, line);
    assert_contains(out, "decisions by action:\n");
    snprintf(line, sizeof line, "  %-24s %12d\n", "suspension", 1);
    assert_contains(out, line);
    assert_contains(out, "decisions by sync state:\n");
    snprintf(line, sizeof line, "  %-24s %12d\n", "pending", 1);
    assert_contains(out, line);
    snprintf(line, sizeof line, "  %-24s %12s\n", "last sync", "never");
    assert_contains(out, line);
    free(out);
    /* no store: a failure that says how to make one, and nothing is created */
    const char *absent = keep(t_path("absent.db"));
    assert_int_equal(t_run(&out, "--db '%s' stats", absent), 1);
    assert_contains(out, "no store at");
    assert_contains(out, "fbreview import FILE");
    free(out);
    assert_false(exists(absent));
}

static void test_verify_good(void **state)
{
    (void)state;
    const char *db = good_store("good.db");
    char *out = NULL, want[4200];
    assert_int_equal(t_run(&out, "--db '%s' verify", db), 0);
    snprintf(want, sizeof want, "verify: %s: integrity ok, foreign keys ok", db);
    assert_contains(out, want);
    free(out);
}

static void test_verify_dangling_foreign_key(void **state)
{
    (void)state;
    const char *db = good_store("fk.db");
    t_sql(db, "PRAGMA foreign_keys=OFF;"
                 "INSERT INTO note(case_id, reviewer, at, text) VALUES ('C-404','rev',1,'orphan');");
    char *out = NULL;
    assert_int_equal(t_run(&out, "--db '%s' verify", db), 1);
    assert_contains(out, "foreign_key_check: table note row 1 refers to a missing row in case");
    free(out);
}

static void test_verify_corrupted_page(void **state)
{
    (void)state;
    const char *db = good_store("corrupt.db");
    int root = t_sql_int(db, "SELECT rootpage FROM sqlite_schema WHERE name='case_evidence'");
    int page_size = t_sql_int(db, "PRAGMA page_size");
    assert_true(root > 1);
    /* Overwrite the case_evidence table's root page header with garbage. */
    FILE *f = fopen(db, "r+b");
    assert_non_null(f);
    assert_int_equal(fseek(f, (long)(root - 1) * page_size, SEEK_SET), 0);
    for (int i = 0; i < 64; i++)
        fputs("\x0d\xff\xff\xff", f);
    fclose(f);
    char *out = NULL;
    assert_int_equal(t_run(&out, "--db '%s' verify", db), 1);
    assert_contains(out, "integrity_check:");
    char want[64];
    snprintf(want, sizeof want, "Page %d", root);
    assert_contains(out, want);
    free(out);
}

/* Long work reports progress on stderr when it is a terminal (script(1) gives it one) and
 * stays quiet when it is not. */
static void test_progress_only_on_a_terminal(void **state)
{
    (void)state;
    const char *in = keep(t_write("progress.jsonl", CASE("C-1") CASE("C-2")));
    char *out = NULL;
    assert_int_equal(t_run(&out, "--db '%s' import '%s'", t_path("quiet.db"), in), 0);
    assert_null(strstr(out, "importing:"));
    free(out);
    const char *bin = getenv("FB_BIN") ? getenv("FB_BIN") : "build/fbreview";
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "script -qec \"'%s' --db '%s' import '%s'\" /dev/null >'%s' 2>&1", bin,
             t_path("tty.db"), in, t_path("tty.out"));
    assert_int_equal(system(cmd), 0);
    out = t_read(t_path("tty.out"));
    assert_non_null(out);
    assert_non_null(strstr(out, "importing: 2"));
    free(out);
    snprintf(cmd, sizeof cmd, "script -qec \"'%s' --db '%s' demo --cases 50 --no-ui\" /dev/null >'%s' 2>&1", bin,
             t_path("tty-demo.db"), t_path("tty-demo.out"));
    assert_int_equal(system(cmd), 0);
    out = t_read(t_path("tty-demo.out"));
    assert_non_null(strstr(out, "\rdemo: 50  "));   /* the progress line, not the summary */
    free(out);
}

static void test_default_store_paths(void **state)
{
    (void)state;
    const char *in = keep(t_write("one.jsonl", CASE("C-1")));
    char *out = NULL;

    /* FBREVIEW_DB, like --db, names a store whose folder must exist: a typo is an error
     * (exit 1) that creates nothing. */
    const char *env_db = keep(t_path("env/store.db"));
    setenv("FBREVIEW_DB", env_db, 1);
    assert_int_equal(t_run(&out, "import '%s'", in), 1);
    assert_contains(out, "does not exist");
    free(out);
    assert_false(exists(t_path("env")));
    assert_int_equal(t_run(&out, "--db '%s' import '%s'", t_path("env2/deeper/x.db"), in), 1);
    assert_contains(out, "env2/deeper");
    free(out);
    assert_false(exists(t_path("env2")));
    assert_int_equal(mkdir(t_path("env"), 0755), 0);
    assert_int_equal(t_run(&out, "import '%s'", in), 0);
    free(out);
    assert_true(exists(env_db));
    assert_int_equal(t_run(&out, "stats"), 0);
    char want[4200];
    snprintf(want, sizeof want, "store: %s\n", env_db);
    assert_contains(out, want);
    free(out);
    /* --db wins over FBREVIEW_DB */
    const char *flag_db = keep(t_path("flag.db"));
    assert_int_equal(t_run(&out, "--db '%s' import '%s'", flag_db, in), 0);
    free(out);
    assert_true(exists(flag_db));
    assert_int_equal(t_sql_int(flag_db, "SELECT count(*) FROM \"case\""), 1);

    /* XDG_DATA_HOME */
    unsetenv("FBREVIEW_DB");
    const char *xdg = keep(t_path("xdg-data"));
    setenv("XDG_DATA_HOME", xdg, 1);
    assert_int_equal(t_run(&out, "import '%s'", in), 0);
    free(out);
    char xdg_db[4200];
    snprintf(xdg_db, sizeof xdg_db, "%s/fbreview/fbreview.db", xdg);
    assert_true(exists(xdg_db));
    assert_int_equal(t_run(&out, "verify"), 0);
    assert_contains(out, xdg_db);
    free(out);

    /* neither: $HOME/.local/share */
    unsetenv("XDG_DATA_HOME");
    assert_int_equal(t_run(&out, "import '%s'", in), 0);
    free(out);
    char home_db[4200];
    snprintf(home_db, sizeof home_db, "%s/.local/share/fbreview/fbreview.db", t_path("home"));
    assert_true(exists(home_db));
    /* The default location is created, for the user only: folders 0700, the store 0600. */
    struct stat sb;
    assert_int_equal(stat(home_db, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    snprintf(home_db, sizeof home_db, "%s/.local/share/fbreview", t_path("home"));
    assert_int_equal(stat(home_db, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0700);
    assert_int_equal(stat(env_db, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_help, setup),
        cmocka_unit_test_setup(test_command_help, setup),
        cmocka_unit_test_setup(test_version, setup),
        cmocka_unit_test_setup(test_unknown_command_and_usage, setup),
        cmocka_unit_test_setup(test_exit_codes, setup),
        cmocka_unit_test_setup(test_stats, setup),
        cmocka_unit_test_setup(test_verify_good, setup),
        cmocka_unit_test_setup(test_verify_dangling_foreign_key, setup),
        cmocka_unit_test_setup(test_verify_corrupted_page, setup),
        cmocka_unit_test_setup(test_progress_only_on_a_terminal, setup),
        cmocka_unit_test_setup(test_default_store_paths, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
