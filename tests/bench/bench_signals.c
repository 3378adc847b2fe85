/* Bench: signals_compute alone, in cases per second, over 4,096 prebuilt demo cases
 * (seed 1: honest ones and every violation, as the demo generator mixes them), computed
 * round and round. Generation is outside the timed loop. Not a test. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fbreview/demo.h"
#include "fbreview/ingest.h"
#include "fbreview/model.h"
#include "fbreview/signals.h"

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 1000000;
    enum { K = 4096 };
    fb_analyser *rules = NULL;
    fb_err err = {0};
    if (analyser_default(&rules, &err) != FB_OK) {
        fprintf(stderr, "bench_signals: %s\n", err.msg);
        return 1;
    }
    fb_case **cases = malloc(K * sizeof *cases);
    size_t msgs = 0, bytes = 0;
    for (int i = 0; i < K; i++) {
        if (demo_case(1, i + 1, &cases[i], NULL, &err) != FB_OK) {
            fprintf(stderr, "bench_signals: %s\n", err.msg);
            return 1;
        }
        ingest_derive_parties(cases[i]);
        msgs += cases[i]->n_messages;
        for (size_t m = 0; m < cases[i]->n_messages; m++)
            bytes += cases[i]->messages[m].body ? strlen(cases[i]->messages[m].body) : 0;
    }
    /* CPU time as well as wall time: on a shared machine the wall clock includes waiting. */
    struct timespec a, b, ca, cb;
    long signals = 0;
    clock_gettime(CLOCK_MONOTONIC, &a);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ca);
    for (long i = 0; i < n; i++) {
        fb_case *c = cases[i % K];
        if (signals_compute(c, rules, &err) != FB_OK) {
            fprintf(stderr, "bench_signals: %s\n", err.msg);
            return 1;
        }
        signals += (long)c->n_signals;
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cb);
    double secs = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
    double cpu = (double)(cb.tv_sec - ca.tv_sec) + (double)(cb.tv_nsec - ca.tv_nsec) / 1e9;
    printf("signals_compute on demo cases: %ld cases in %.3f s wall (%.0f cases/s), %.3f s CPU (%.0f cases/s, %.2f us/case)\n"
           "  %zu frames, %.1f messages/case, %.0f bytes/message, %.2f signals/case\n",
           n, secs, (double)n / secs, cpu, (double)n / cpu, cpu * 1e6 / (double)n, analyser_frame_count(rules),
           (double)msgs / K, (double)bytes / (double)msgs, (double)signals / (double)n);
    for (int i = 0; i < K; i++)
        fb_case_free(&cases[i]);
    free(cases);
    analyser_free(&rules);
    return 0;
}
