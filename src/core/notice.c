/* Notices: templates and parts from data/notices.txt (built into the binary), filled per
 * decision (include/fbreview/notice.h). The wording is all data; this file only picks the
 * template and fills its placeholders. */
#include "fbreview/notice.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data_files.h"

/* The text of "== NAME ==" up to the next "== " line (with its last newline), or NULL. */
static const char *template_for(const char *name, size_t *len)
{
    const char *text = NULL;
    for (const struct fb_data_file *f = fb_data_files; f->name; f++)
        if (strcmp(f->name, "notices.txt") == 0)
            text = f->text;
    if (!text)
        return NULL;
    char header[96];
    snprintf(header, sizeof header, "\n== %s ==\n", name);
    const char *h = strstr(text, header);
    if (!h)
        return NULL;
    const char *start = h + strlen(header);
    const char *end = strstr(start, "\n== ");
    *len = end ? (size_t)(end - start) + 1 : strlen(start);
    return start;
}

/* A growing string; NULL after a failed allocation. */
struct buf {
    char *s;
    size_t n, cap;
};

static void put(struct buf *b, const char *s, size_t len)
{
    if (!b->s)
        return;
    if (b->n + len + 1 > b->cap) {
        size_t ncap = (b->cap + len + 1) * 2;
        char *p = realloc(b->s, ncap);
        if (!p) {
            free(b->s);
            b->s = NULL;
            return;
        }
        b->s = p;
        b->cap = ncap;
    }
    memcpy(b->s + b->n, s, len);
    b->n += len;
    b->s[b->n] = '\0';
}

/* Appends a template's lines, comment lines left out, placeholders filled. */
static void fill(struct buf *b, const char *tpl, size_t tlen, const notice_facts *f, fb_violation finding)
{
    char duration[32];
    fb_days_words(f->days, duration, sizeof duration);
    const char *part = NULL;
    if (f->appeal) {
        int same = f->appealed_action == f->action && f->appealed_violation == f->violation &&
                   (f->action != FB_A_SUSPENSION || f->appealed_days == f->days);
        part = same ? "appeal upheld" : "appeal changed";
    }
    const struct {
        const char *name;
        const char *value;   /* text, or NULL: the part named by `part` */
        const char *part;
    } holders[] = {
        {"{finding}", finding == FB_V_NONE ? "your account broke our rules on feedback" : fb_violation_words(finding),
         NULL},
        {"{duration}", duration, NULL},
        {"{first}", NULL, f->earlier_violations == 0 ? "first" : NULL},
        {"{coercion}", NULL, f->violation == FB_V_FEEDBACK_EXTORTION ? "coercion" : NULL},
        {"{appeal}", NULL, part},
    };
    size_t nh = sizeof holders / sizeof holders[0];
    for (size_t i = 0; i < tlen && b->s;) {
        if ((i == 0 || tpl[i - 1] == '\n') && tpl[i] == '#') {
            while (i < tlen && tpl[i] != '\n')
                i++;
            i++;
            continue;
        }
        size_t k;
        for (k = 0; k < nh; k++)
            if (strncmp(tpl + i, holders[k].name, strlen(holders[k].name)) == 0)
                break;
        if (k == nh) {
            put(b, tpl + i, 1);
            i++;
            continue;
        }
        i += strlen(holders[k].name);
        if (holders[k].value) {
            put(b, holders[k].value, strlen(holders[k].value));
        } else if (holders[k].part) {
            size_t plen = 0;
            const char *p = template_for(holders[k].part, &plen);
            if (p)
                put(b, p, plen);
        }
    }
}

char *notice_render(const notice_facts *f)
{
    char name[64];
    fb_violation finding = f->violation;
    if (f->action == FB_A_EDUCATION || f->action == FB_A_SUSPENSION || f->action == FB_A_BLOCK) {
        snprintf(name, sizeof name, "%s", fb_action_str(f->action));
    } else if (f->appeal && f->action == FB_A_NO_VIOLATION && fb_action_counts_as_violation(f->appealed_action)) {
        snprintf(name, sizeof name, "overturned %s", fb_action_str(f->appealed_action));
        finding = f->appealed_violation;
    } else {
        return NULL;
    }
    size_t tlen = 0;
    const char *tpl = template_for(name, &tlen);
    if (!tpl)
        return NULL;
    struct buf b = {malloc(tlen + 1024), 0, tlen + 1024};
    if (b.s)
        b.s[0] = '\0';
    fill(&b, tpl, tlen, f, finding);
    return b.s;
}
