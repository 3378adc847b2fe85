#ifndef FBREVIEW_FOLD_H
#define FBREVIEW_FOLD_H
/* Folding text for matching: Unicode NFKC case folding (fullwidth "ＲＥＦＵＮＤ" and "Refund"
 * both become "refund"), accents removed ("révïew" -> "review"), done by ICU. Bytes that are
 * not valid UTF-8 are kept as they are. The folded text keeps a map back to the original's
 * byte offsets, so a match found in it highlights the right bytes of the original.
 *
 * Folding also sees through disguises of single characters, and says where it did:
 * - look-alike letters (ICU's confusables skeleton, uspoof.h): "rеvіew" with Cyrillic е
 *   and і becomes "review". Only in a word that mixes Latin letters with look-alikes, or
 *   a word wholly of look-alikes in a message mostly in Latin letters: a message in
 *   Russian or Greek stays as it is;
 * - styled letters (mathematical bold or script, circled, superscript, small forms: their
 *   compatibility forms, which NFKC reads as plain letters) are read so, and marked;
 *   fullwidth forms are ordinary East Asian typing and are not marked;
 * - hidden characters (zero-width, soft hyphen, bidi controls, BOM: the default-ignorable
 *   code points) between two letters or digits: "re\u200Bview" is "review".
 * The other disguises (letters spaced out, digits for letters) need the words the rules
 * know and are read by the analyser (analyse.c), which records them with the same kinds. */

#include <stddef.h>

#include "fbreview/err.h"

/* The kinds of disguise: name (in a finding's code) and how the reviewer is told. */
#define FB_DISGUISE_TABLE(X)                                                   \
    X(LOOKALIKE, "lookalike", "look-alike letters of another script")          \
    X(STYLED,    "styled",    "letters in a styled or enclosed form")          \
    X(HIDDEN,    "hidden",    "invisible characters inside the word")          \
    X(SPACED,    "spaced",    "letters spaced, dotted or cut apart")           \
    X(LEET,      "leet",      "digits or symbols written for letters")

enum {
#define X(id, name, what) FB_DISGUISE_BIT_##id,
    FB_DISGUISE_TABLE(X)
#undef X
    FB_DISGUISE_COUNT
};
#define FB_DISGUISE(id) (1u << FB_DISGUISE_BIT_##id)

/* The kind's name ("lookalike") and its words for the reviewer, by bit index. */
const char *text_disguise_name(int bit);
const char *text_disguise_what(int bit);

typedef struct fb_folded {
    char *t;          /* folded text, NUL-terminated */
    size_t n;         /* its length */
    size_t *map;      /* map[i]: offset in the original of the character folded byte i came
                       * from; map[n] = the original's length. Used only when mapped. */
    int mapped;       /* 0: the fold kept every byte's offset (ASCII text), map unused */
    unsigned char *kind; /* kind[i]: FB_DISGUISE bits of folded byte i; used only when disguised */
    int disguised;    /* 0: nothing was seen through, kind unused */
    size_t cap, map_cap, kind_cap;
} fb_folded;

/* Folds s[0..n) into f (its buffers are reused from call to call). */
fb_status text_fold(const char *s, size_t n, fb_folded *f, fb_err *err);
/* The original offset of folded offset i (i may be f->n). */
size_t text_fold_orig(const fb_folded *f, size_t i);
/* The disguise bits of folded byte i (0 when none). */
unsigned text_fold_kind(const fb_folded *f, size_t i);
void text_fold_free(fb_folded *f);

#endif
