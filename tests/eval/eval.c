/* make eval: the analyser and the recommendation measured on the labelled message corpus
 * (tests/data/messages.tsv). Prints precision and recall per code, the share of violating
 * messages recommended no_violation and the share of hard negatives recommended
 * no_violation, for the tuning part, the held-out part and all. --misses lists the tuning
 * part's misses (never the held-out part's); --all-misses every miss (for tests/data/dev/ files). Not a test: test_corpus keeps the floors. */
#include "corpus.h"

int main(int argc, char **argv)
{
    const char *path = "tests/data/messages.tsv";
    int show_misses = 0, all_misses = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--misses") == 0)
            show_misses = 1;
        else if (strcmp(argv[i], "--all-misses") == 0)
            show_misses = all_misses = 1;
        else
            path = argv[i];
    }
    fb_err err = {0};
    fb_analyser *an = NULL;
    fb_config *cfg = config_defaults();
    fb_policy *pol = NULL;
    if (!cfg || analyser_default(&an, &err) != FB_OK || policy_load(cfg, &pol, &err) != FB_OK) {
        fprintf(stderr, "eval: %s\n", err.msg);
        return 1;
    }
    corpus_stats st[PART_COUNT];
    int rc = corpus_eval(path, an, pol, st, show_misses ? stdout : NULL, all_misses);
    if (rc == 0)
        corpus_print(stdout, st);
    policy_free(&pol);
    analyser_free(&an);
    config_free(&cfg);
    return rc == 0 ? 0 : 1;
}
