/* Notices — placeholder until the notice templates land. */
#include "fbreview/notice.h"

char *notice_render(fb_action action, fb_violation violation, int days, int earlier_violations)
{
    (void)action;
    (void)violation;
    (void)days;
    (void)earlier_violations;
    return NULL;
}
