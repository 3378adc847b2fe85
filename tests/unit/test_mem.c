/* Memory helpers: out of memory runs the front end's hook (the console gives the terminal
 * back there) before the message, and exits 1 instead of aborting. */
#include "testlib.h"

#include <unistd.h>

#include "fbreview/mem.h"

static int hook_fd = -1;
static void write_marker(void)
{
    /* The hook must run before the message: the order on the shared pipe shows it. */
    (void)!write(hook_fd, "hook\n", 5);
}

static void test_oom_runs_hook_then_exits_1(void **state)
{
    (void)state;
    int p[2];
    assert_int_equal(pipe(p), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(p[0]);
        dup2(p[1], STDERR_FILENO);
        hook_fd = p[1];
        fb_oom_hook(write_marker);
        fb_oom();
    }
    close(p[1]);
    char buf[256] = {0};
    size_t got = 0;
    ssize_t r;
    while (got < sizeof buf - 1 && (r = read(p[0], buf + got, sizeof buf - 1 - got)) > 0)
        got += (size_t)r;
    close(p[0]);
    int st = 0;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFEXITED(st));             /* not killed by SIGABRT */
    assert_int_equal(WEXITSTATUS(st), 1);
    assert_string_equal(buf, "hook\nfbreview: out of memory\n");
}

static void test_grow_and_strdup(void **state)
{
    (void)state;
    int *a = NULL;
    size_t n = 0;
    for (int i = 0; i < 1000; i++)
        *(int *)fb_xgrow((void **)&a, &n, sizeof *a) = i;
    assert_int_equal(n, 1000);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(a[i], i);
    free(a);
    assert_null(fb_strdup(NULL));
    char *s = fb_strdup("x");
    assert_string_equal(s, "x");
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_oom_runs_hook_then_exits_1),
        cmocka_unit_test(test_grow_and_strdup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
