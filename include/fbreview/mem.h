#ifndef FBREVIEW_MEM_H
#define FBREVIEW_MEM_H
/* Small memory helpers for every layer. Out of memory is fatal: fb_oom runs the hook a
 * front end registered (the console restores the terminal there), says so on stderr and
 * exits with status 1 — never a bare abort() that leaves the terminal in raw mode. */

#include <stddef.h>

/* The one hook run before the process exits on out of memory (NULL to clear). */
void fb_oom_hook(void (*fn)(void));
/* Out of memory: the hook, a message, exit(1). */
_Noreturn void fb_oom(void);

/* Allocations that never return NULL (fb_oom on failure). */
void *fb_xmalloc(size_t n);
void *fb_xcalloc(size_t n, size_t size);
void *fb_xrealloc(void *p, size_t n);
char *fb_strdup(const char *s);    /* NULL-safe strdup; fb_oom on out of memory */

/* Growable arrays: append one zeroed element, return it (NULL on out of memory). */
void *fb_grow(void **arr, size_t *n, size_t elem_size);
/* The same, fb_oom instead of NULL. */
void *fb_xgrow(void **arr, size_t *n, size_t elem_size);

#endif
