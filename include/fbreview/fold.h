#ifndef FBREVIEW_FOLD_H
#define FBREVIEW_FOLD_H
/* Folding text for matching: Unicode NFKC case folding (fullwidth "ＲＥＦＵＮＤ" and "Refund"
 * both become "refund"), accents removed ("révïew" -> "review"), done by ICU. Bytes that are
 * not valid UTF-8 are kept as they are. The folded text keeps a map back to the original's
 * byte offsets, so a match found in it highlights the right bytes of the original. */

#include <stddef.h>

#include "fbreview/err.h"

typedef struct fb_folded {
    char *t;          /* folded text, NUL-terminated */
    size_t n;         /* its length */
    size_t *map;      /* map[i]: offset in the original of the character folded byte i came
                       * from; map[n] = the original's length. Used only when mapped. */
    int mapped;       /* 0: the fold kept every byte's offset (ASCII text), map unused */
    size_t cap, map_cap;
} fb_folded;

/* Folds s[0..n) into f (its buffers are reused from call to call). */
fb_status text_fold(const char *s, size_t n, fb_folded *f, fb_err *err);
/* The original offset of folded offset i (i may be f->n). */
size_t text_fold_orig(const fb_folded *f, size_t i);
void text_fold_free(fb_folded *f);

#endif
