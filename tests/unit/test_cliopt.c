/* The subcommands' option parser (src/cli/cliopt.c) on its own: every kind of option, the
 * `=` and the space forms, `--`, repeats, and each usage error with its words. */
#include "testlib.h"

#include <unistd.h>

#include "fbreview/cliopt.h"

/* What one parse left behind. */
struct result {
    int flag, quiet;
    const char *text, *out, *keys;
    long long num, any;
};

static char err_text[4096];

/* cliopt_parse with what it says on stderr kept in err_text. */
static int parse_quietly(cliopt_spec *spec, int argc, char **argv, int *nargs)
{
    fflush(stderr);
    FILE *tmp = tmpfile();
    assert_non_null(tmp);
    int saved = dup(2);
    dup2(fileno(tmp), 2);
    *nargs = cliopt_parse(spec, argc, argv);
    int rc = *nargs < 0 ? 2 : 0;
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    rewind(tmp);
    size_t got = fread(err_text, 1, sizeof err_text - 1, tmp);
    err_text[got] = '\0';
    fclose(tmp);
    return rc;
}

/* Parses the words of line (split on spaces) against a test table; the usage error, if
 * any, lands in err_text. Positionals come back in argv[1..*nargs] of the static argv. */
static char *args[32];
static int parse(const char *line, struct result *r, int min_args, int max_args, int options_first, int *nargs)
{
    static char buf[1024];
    memset(r, 0, sizeof *r);
    r->num = -1;
    cliopt opts[] = {
        {.name = "flag", .kind = CLIOPT_FLAG, .dest = &r->flag},
        {.name = "quiet", .short_name = 'q', .kind = CLIOPT_FLAG, .dest = &r->quiet, .flags = CLIOPT_REPEAT},
        {.name = "text", .short_name = 't', .kind = CLIOPT_STRING, .dest = &r->text, .value_name = "T"},
        {.name = "output", .short_name = 'o', .kind = CLIOPT_STRING, .dest = &r->out, .value_name = "FILE",
         .flags = CLIOPT_NONEMPTY | CLIOPT_REPEAT, .needs = "a file name"},
        {.name = "num", .short_name = 'n', .kind = CLIOPT_INT, .dest = &r->num, .value_name = "N", .min = -5,
         .max = 10},
        {.name = "any", .kind = CLIOPT_INT, .dest = &r->any, .value_name = "N"},
        {.name = "keys", .kind = CLIOPT_STRING, .dest = &r->keys, .value_name = "man", .flags = CLIOPT_OPTARG},
        {0},
    };
    cliopt_spec spec = {.cmd = "test", .opts = opts, .min_args = min_args, .max_args = max_args,
                        .arg_name = "case", .options_first = options_first};
    snprintf(buf, sizeof buf, "%s", line);
    int argc = 0;
    args[argc++] = (char *)"test";
    for (char *w = strtok(buf, " "); w && argc < 31; w = strtok(NULL, " "))
        args[argc++] = w;
    args[argc] = NULL;

    int rc = parse_quietly(&spec, argc, args, nargs);
    if (rc == 0)
        assert_int_equal(cliopt_find(&spec, "flag")->seen, r->flag);
    return rc;
}

static void expect_error(const char *line, int min_args, int max_args, const char *want)
{
    struct result r;
    int n = -1;
    assert_int_equal(parse(line, &r, min_args, max_args, 0, &n), 2);
    if (!strstr(err_text, want)) {
        print_error("for \"%s\" expected:\n  %s\ngot:\n%s\n", line, want, err_text);
        fail();
    }
    assert_non_null(strstr(err_text, "usage: fbreview test"));
}

static void test_kinds_and_forms(void **state)
{
    (void)state;
    struct result r;
    int n = -1;
    assert_int_equal(parse("--flag --text=hello --num 7 -o out.csv --any=123456789012", &r, 0, -1, 0, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(r.flag, 1);
    assert_string_equal(r.text, "hello");
    assert_int_equal(r.num, 7);
    assert_string_equal(r.out, "out.csv");
    assert_true(r.any == 123456789012LL);
    assert_null(r.keys);
    assert_string_equal(err_text, "");
    /* Space forms, short forms, attached short values, negative numbers as values. */
    assert_int_equal(parse("--text hi -t there -n -5 -oa.csv", &r, 0, -1, 0, &n), 2);
    assert_non_null(strstr(err_text, "fbreview test: -t given twice"));
    assert_int_equal(parse("-t there -n -5 -oa.csv --output=b.csv", &r, 0, -1, 0, &n), 0);
    assert_string_equal(r.text, "there");
    assert_int_equal(r.num, -5);
    assert_string_equal(r.out, "b.csv");   /* repeatable: the last wins */
    assert_int_equal(parse("-o=c.csv -n10", &r, 0, -1, 0, &n), 0);
    assert_string_equal(r.out, "c.csv");
    assert_int_equal(r.num, 10);
    /* A repeatable flag counts; a value may start with a dash. */
    assert_int_equal(parse("-q --quiet -q --text -x", &r, 0, -1, 0, &n), 0);
    assert_int_equal(r.quiet, 3);
    assert_string_equal(r.text, "-x");
    /* An optional value comes only after `=`. */
    assert_int_equal(parse("--keys", &r, 0, -1, 0, &n), 0);
    assert_string_equal(r.keys, "");
    assert_int_equal(parse("--keys=man", &r, 0, -1, 0, &n), 0);
    assert_string_equal(r.keys, "man");
    assert_int_equal(parse("--keys man", &r, 0, -1, 0, &n), 0);
    assert_string_equal(r.keys, "");
    assert_int_equal(n, 1);
    assert_string_equal(args[1], "man");
}

static void test_positionals(void **state)
{
    (void)state;
    struct result r;
    int n = -1;
    /* Options and positionals mix; the positionals come back in order. */
    assert_int_equal(parse("C-1 --flag C-2 - -n 3 C-3", &r, 1, -1, 0, &n), 0);
    assert_int_equal(n, 4);
    assert_string_equal(args[1], "C-1");
    assert_string_equal(args[2], "C-2");
    assert_string_equal(args[3], "-");   /* `-` alone is an argument (stdin) */
    assert_string_equal(args[4], "C-3");
    assert_int_equal(r.flag, 1);
    assert_int_equal(r.num, 3);
    /* `--` ends the options. */
    assert_int_equal(parse("--flag -- --text -q", &r, 0, -1, 0, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(args[1], "--text");
    assert_string_equal(args[2], "-q");
    assert_null(r.text);
    assert_int_equal(r.quiet, 0);
    /* options_first: the first argument ends the options (`note CASE words --like this`). */
    assert_int_equal(parse("--flag C-1 --text x", &r, 0, -1, 1, &n), 0);
    assert_int_equal(n, 3);
    assert_string_equal(args[2], "--text");
    assert_null(r.text);
    /* Too few, too many. */
    expect_error("--flag", 1, 1, "fbreview test: name the case\n");
    expect_error("C-1", 2, -1, "fbreview test: name the case\n");
    expect_error("C-1 C-2", 0, 1, "fbreview test: one case at a time (got C-1 and C-2)\n");
    expect_error("C-1", 0, 0, "fbreview test: takes no arguments (got \"C-1\")\n");
    expect_error("A B C", 0, 2, "fbreview test: at most 2 arguments (\"C\" is one too many)\n");
    assert_int_equal(parse("A B", &r, 0, 2, 0, &n), 0);
    assert_int_equal(n, 2);
}

static void test_usage_errors(void **state)
{
    (void)state;
    expect_error("--bogus", 0, -1,
                 "fbreview test: unknown option \"--bogus\" (test takes --flag, -q/--quiet, -t/--text T, "
                 "-o/--output FILE, -n/--num N, --any N or --keys[=man])\n");
    expect_error("-x", 0, -1, "unknown option \"-x\"");
    expect_error("--flagged", 0, -1, "unknown option \"--flagged\"");
    expect_error("-qq", 0, -1, "unknown option \"-qq\"");
    expect_error("--text", 0, -1, "fbreview test: --text needs a value\n");
    expect_error("-t", 0, -1, "fbreview test: -t needs a value\n");
    expect_error("-o", 0, -1, "fbreview test: -o needs a file name\n");
    expect_error("--output=", 0, -1, "fbreview test: --output needs a file name\n");
    expect_error("--num", 0, -1, "--num needs a value");
    expect_error("--num 11", 0, -1, "fbreview test: --num needs a whole number from -5 to 10, not \"11\"\n");
    expect_error("-n -6", 0, -1, "-n needs a whole number from -5 to 10, not \"-6\"");
    expect_error("--num=ten", 0, -1, "--num needs a whole number from -5 to 10, not \"ten\"");
    expect_error("--num=", 0, -1, "--num needs a whole number from -5 to 10, not \"\"");
    expect_error("--num= 3", 0, -1, "not \"\"");
    expect_error("--num +3", 0, -1, "not \"+3\"");
    expect_error("--num 3x", 0, -1, "not \"3x\"");
    expect_error("--any -1", 0, -1, "fbreview test: --any needs a whole number, not \"-1\"\n");
    expect_error("--any 99999999999999999999", 0, -1, "--any needs a whole number, not");
    expect_error("--flag=1", 0, -1, "fbreview test: --flag takes no value (got \"1\")\n");
    expect_error("--flag --flag", 0, -1, "fbreview test: --flag given twice\n");
    expect_error("-n 1 --num=2", 0, -1, "--num given twice");
}

/* A command without options says so. */
static void test_no_options(void **state)
{
    (void)state;
    cliopt_spec spec = {.cmd = "bare", .max_args = 0};
    char *argv[] = {(char *)"bare", (char *)"--x", NULL};
    int n = -1;
    int rc = parse_quietly(&spec, 2, argv, &n);
    assert_int_equal(rc, 2);
    assert_non_null(strstr(err_text, "fbreview bare: unknown option \"--x\" (bare takes no options)\n"));
    char *none[] = {(char *)"bare", NULL};
    assert_int_equal(parse_quietly(&spec, 1, none, &n), 0);
    assert_int_equal(n, 0);
    assert_null(cliopt_find(&spec, "x"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kinds_and_forms),
        cmocka_unit_test(test_positionals),
        cmocka_unit_test(test_usage_errors),
        cmocka_unit_test(test_no_options),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
