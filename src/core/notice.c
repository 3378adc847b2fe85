/* Notices: templates from data/notices.txt (built into the binary), filled per decision. */
#include "fbreview/notice.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data_files.h"

static const char first_sentence[] = "This is the first violation on record for your account. ";
static const char coercion_sentence[] =
    "If anyone pressures you about feedback, you are not expected to go along with it: report it. "
    "We take reports of threats and coercion seriously.\n";

/* The template body for an action: the text between "== ACTION ==" and the next "== ". */
static int template_for(const char *action, const char **start, size_t *len)
{
    const char *text = NULL;
    for (const struct fb_data_file *f = fb_data_files; f->name; f++)
        if (strcmp(f->name, "notices.txt") == 0)
            text = f->text;
    if (!text)
        return -1;
    char header[64];
    snprintf(header, sizeof header, "== %s ==\n", action);
    const char *h = strstr(text, header);
    if (!h)
        return -1;
    *start = h + strlen(header);
    const char *end = strstr(*start, "\n== ");
    *len = end ? (size_t)(end - *start) + 1 : strlen(*start);
    return 0;
}

/* Appends s to a growing buffer (NULL-safe). */
static void put(char **buf, size_t *n, size_t *cap, const char *s, size_t len)
{
    if (!*buf)
        return;
    if (*n + len + 1 > *cap) {
        size_t ncap = (*cap + len + 1) * 2;
        char *p = realloc(*buf, ncap);
        if (!p) {
            free(*buf);
            *buf = NULL;
            return;
        }
        *buf = p;
        *cap = ncap;
    }
    memcpy(*buf + *n, s, len);
    *n += len;
    (*buf)[*n] = '\0';
}

char *notice_render(fb_action action, fb_violation violation, int days, int earlier_violations)
{
    if (action != FB_A_EDUCATION && action != FB_A_SUSPENSION && action != FB_A_BLOCK)
        return NULL;
    const char *tpl;
    size_t tlen;
    if (template_for(fb_action_str(action), &tpl, &tlen) != 0)
        return NULL;
    size_t cap = tlen + 512, n = 0;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    out[0] = '\0';
    char num[16];
    snprintf(num, sizeof num, "%d", days);
    const char *rule = violation == FB_V_NONE ? "a violation of our feedback rules" : fb_violation_words(violation);
    for (size_t i = 0; i < tlen && out;) {
        static const struct { const char *name; int which; } holders[] = {
            {"{rule}", 0}, {"{days}", 1}, {"{first}", 2}, {"{coercion}", 3},
        };
        size_t k;
        for (k = 0; k < sizeof holders / sizeof holders[0]; k++)
            if (strncmp(tpl + i, holders[k].name, strlen(holders[k].name)) == 0)
                break;
        if (k == sizeof holders / sizeof holders[0]) {
            /* Comment lines inside a template are skipped. */
            if ((i == 0 || tpl[i - 1] == '\n') && tpl[i] == '#') {
                while (i < tlen && tpl[i] != '\n')
                    i++;
                i++;
                continue;
            }
            put(&out, &n, &cap, tpl + i, 1);
            i++;
            continue;
        }
        const char *v = "";
        switch (holders[k].which) {
        case 0: v = rule; break;
        case 1: v = num; break;
        case 2: v = earlier_violations == 0 ? first_sentence : ""; break;
        default: v = violation == FB_V_FEEDBACK_EXTORTION ? coercion_sentence : ""; break;
        }
        put(&out, &n, &cap, v, strlen(v));
        i += strlen(holders[k].name);
    }
    return out;
}
