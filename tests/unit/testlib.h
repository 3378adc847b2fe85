#ifndef FBREVIEW_TESTLIB_H
#define FBREVIEW_TESTLIB_H
/* Helpers shared by the cmocka tests: temp paths, running the real binary, reading files.
 * Include it instead of <cmocka.h> (which needs these system headers first). Everything is static so each test binary stays self-contained. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <cmocka.h>

/* A fresh path under the per-test temp dir ($FB_TEST_TMP, set by tests/run-unit.sh). */
static inline const char *t_path(const char *name)
{
    static char buf[8][4096];
    static int k;
    const char *dir = getenv("FB_TEST_TMP");
    char *b = buf[k++ % 8];
    snprintf(b, sizeof buf[0], "%s/%s", dir ? dir : "/tmp", name);
    return b;
}

/* Writes text to a file under the temp dir and returns its path. */
static inline const char *t_write(const char *name, const char *text)
{
    const char *p = t_path(name);
    FILE *f = fopen(p, "wb");
    if (!f)
        abort();
    fputs(text, f);
    fclose(f);
    return p;
}

/* Reads a whole file (malloc'd, NUL-terminated), NULL if missing. */
static inline char *t_read(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    size_t got = fread(b, 1, (size_t)n, f);
    b[got] = '\0';
    fclose(f);
    return b;
}

/* Runs `$FB_BIN ARGS` through the shell with stdout+stderr captured into *out (malloc'd);
 * returns the exit status. args is a printf format (quote paths yourself). */
static inline int t_run(char **out, const char *fmt, ...)
{
    char args[8192], cmd[9000];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    const char *bin = getenv("FB_BIN");
    const char *cap = t_path("run.out");
    snprintf(cmd, sizeof cmd, "%s %s >'%s' 2>&1", bin ? bin : "build/fbreview", args, cap);
    int st = system(cmd);
    if (out)
        *out = t_read(cap);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

#endif
