/* Memory helpers; out of memory ends the process through one path (fb_oom). */
#include "fbreview/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void (*oom_hook)(void);

void fb_oom_hook(void (*fn)(void)) { oom_hook = fn; }

_Noreturn void fb_oom(void)
{
    void (*fn)(void) = oom_hook;
    oom_hook = NULL;            /* once, even if the hook itself runs out of memory */
    if (fn)
        fn();
    fputs("fbreview: out of memory\n", stderr);
    exit(1);
}

void *fb_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        fb_oom();
    return p;
}

void *fb_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        fb_oom();
    return p;
}

void *fb_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        fb_oom();
    return q;
}

char *fb_strdup(const char *s)
{
    if (!s)
        return NULL;
    char *d = strdup(s);
    if (!d)
        fb_oom();
    return d;
}

void *fb_grow(void **arr, size_t *n, size_t elem_size)
{
    /* Capacity is implicit: the smallest power of two >= max(n, 4); grow when full. */
    size_t cap = 4;
    while (cap < *n)
        cap <<= 1;
    if (*n == 0 || *n == cap) {
        size_t ncap = *n == 0 ? 4 : cap * 2;
        void *p = realloc(*arr, ncap * elem_size);
        if (!p)
            return NULL;
        *arr = p;
    }
    char *elem = (char *)*arr + (*n) * elem_size;
    memset(elem, 0, elem_size);
    (*n)++;
    return elem;
}

void *fb_xgrow(void **arr, size_t *n, size_t elem_size)
{
    void *e = fb_grow(arr, n, elem_size);
    if (!e)
        fb_oom();
    return e;
}
