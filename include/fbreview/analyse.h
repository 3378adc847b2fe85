#ifndef FBREVIEW_ANALYSE_H
#define FBREVIEW_ANALYSE_H
/* The message analyser (DESIGN.md §6, issue 13). Data, not code:
 *   word classes (data/lexicon.tsv, the lexicon_term table): class<TAB>term, each term a word
 *     pattern (pattern.h); the class "spelling" holds variant=canonical rewrites (u=you);
 *   frames (data/frames.tsv, the frame_rule table): which classes together mean what, over a
 *     sentence or a whole message, in any order, first matching frame wins.
 * Text is folded first (fold.h: case, NFKC, accents; look-alike, styled and hidden
 * characters seen through), disguised words read (letters spaced, dotted or cut apart,
 * digits and symbols for letters: only where the reading is a word of the lexicon), chat
 * spelling rewritten and near misspellings of the lexicon's own words corrected, then the
 * classes are found and the frames tried. Every frame that fires is explained in one
 * sentence naming the words. A disguised word the rules know is itself a finding
 * ("read_disguise_<kind>", one per kind of fold.h's FB_DISGUISE_TABLE): the message is never
 * one to dismiss unread.
 * Hits of "ignore" (another sense of a word) and "courtesy" (a polite condition) take out
 * the other classes' words inside them; the analyser itself sets the classes unread,
 * ok_ground and unexplained (frames.tsv's header says when). */

#include <stddef.h>

#include "fbreview/err.h"
#include "fbreview/model.h"

/* What a frame says when it fires: a violation, "read this case" (the words are about
 * reviews in a way no frame recognised as plain, or carry a lever nothing decides), or "no
 * pressure" (a positive ground for no_violation: a request, thanks, a rating already given,
 * a refusal, each in a sentence free of every lever). */
typedef enum fb_outcome { FB_OUT_VIOLATION, FB_OUT_READ, FB_OUT_OK } fb_outcome;

typedef struct fb_analyser fb_analyser;

/* The analyser's version: raise it with every change to the code (analyse.c, pattern.c,
 * fold.c, the message part of signals.c) that can change what a message yields. With the
 * rules' rows it makes the fingerprint a store's cases were analysed with: a store opened
 * by a newer analyser is analysed again (ingest_refresh). */
#define FB_ANALYSER_VERSION 9


fb_status analyser_new(fb_analyser **out, fb_err *err);
void analyser_free(fb_analyser **a);
/* One term of a word class; where names it in errors ("lexicon_term 7: term: ..."). */
fb_status analyser_add_term(fb_analyser *a, const char *where, const char *cls, const char *term, fb_err *err);
/* One frame; its classes must have terms already. */
fb_status analyser_add_frame(fb_analyser *a, const char *where, const fb_frame_row *row, fb_err *err);
/* From TSV text (the built-in files or an operator's): lexicon first, then frames. */
fb_status analyser_parse(const char *lex_name, const char *lex_tsv, const char *frames_name,
                         const char *frames_tsv, fb_analyser **out, fb_err *err);
/* The built-in data/lexicon.tsv and data/frames.tsv. */
fb_status analyser_default(fb_analyser **out, fb_err *err);
const char *analyser_default_lexicon(void);
const char *analyser_default_frames(void);

/* The rows as given, in order (to seed the store's tables). */
size_t analyser_term_count(const fb_analyser *a);
void analyser_term_get(const fb_analyser *a, size_t i, const char **cls /* OUT */, const char **term /* OUT */);
size_t analyser_frame_count(const fb_analyser *a);
void analyser_frame_get(const fb_analyser *a, size_t i, fb_frame_row *row /* OUT */);

/* What one frame found in a case: the first place it fired, explained. */
typedef struct fb_finding {
    char code[40];           /* "msg_" / "read_" / "ok_" + the frame's name */
    fb_outcome outcome;
    fb_violation violation;  /* FB_V_NONE unless outcome is FB_OUT_VIOLATION */
    int weight;
    char *sentence;          /* owned */
} fb_finding;

/* Analyses the case's messages: appends a fb_match to c->matches for every word that
 * made a frame fire (the first of each firing carries its explanation in why) and for every
 * disguised word (with its sentence), and returns one finding per frame that fired, in
 * frame order, then one per kind of disguise met. */
fb_status analyser_run(const fb_analyser *a, fb_case *c,
                       fb_finding **out,       /* OUT: free with analyser_findings_free */
                       size_t *n_out,          /* OUT */
                       fb_err *err);
void analyser_findings_free(fb_finding **f, size_t n);

#endif
