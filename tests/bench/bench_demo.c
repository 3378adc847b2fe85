/* Bench: where a demo fill's time goes. demo_fill saves on the calling thread while a
 * second thread generates cases and computes their signals; the saving thread's CPU time
 * is the critical path, i.e. the wall time on two otherwise idle cores. Prints figures;
 * never fails on time. Usage: bench_demo CASES STORE */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include "fbreview/config.h"
#include "fbreview/demo.h"
#include "fbreview/store.h"

static double tv(struct timeval t) { return (double)t.tv_sec + (double)t.tv_usec / 1e6; }

int main(int argc, char **argv)
{
    if (argc != 3) {
        fputs("usage: bench_demo CASES STORE\n", stderr);
        return 2;
    }
    long long n = atoll(argv[1]);
    fb_store *s = NULL;
    fb_err err = {0};
    fb_config *cfg = config_defaults();
    if (store_open(argv[2], STORE_CREATE, &s, &err) != FB_OK) {
        fprintf(stderr, "bench_demo: %s\n", err.msg);
        return 1;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (demo_fill(s, n, 1, &err) != FB_OK) {
        fprintf(stderr, "bench_demo: %s\n", err.msg);
        return 1;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    struct rusage self, main_thread;
    getrusage(RUSAGE_SELF, &self);
    getrusage(RUSAGE_THREAD, &main_thread);   /* the saving thread */
    store_close(&s);
    config_free(&cfg);
    double wall = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    double total = tv(self.ru_utime) + tv(self.ru_stime);
    double saver = tv(main_thread.ru_utime) + tv(main_thread.ru_stime);
    double producer = total - saver;
    double critical = saver > producer ? saver : producer;
    printf("demo_fill: %lld cases in %.1f s wall; cpu: saving thread %.1f s, generating+signals thread %.1f s\n",
           n, wall, saver, producer);
    printf("demo_fill: on two idle cores ~%.1f s = ~%.0f cases/s (critical path: the busier thread); peak RSS %.1f MB\n",
           critical, (double)n / (critical > 0 ? critical : 1), (double)self.ru_maxrss / 1024);
    return 0;
}
