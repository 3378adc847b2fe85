/* Every question the local judge (lifecycle_may) can be asked, with its answer, one a line,
 * for tests/sync/test_judge_table.sh to ask upstream's fb_lc_may the same and compare:
 *
 *   status event same held appeal_separation approver_role verdict to
 *
 * same: 1 when the one acting is the who-rule's subject (proposer, appealed reviewer,
 * owner); held: the roles the one acting holds (reviewer, or lead: every role); to: where
 * the case goes when allowed (an undo's status before is "escalated"), "-" otherwise. */
#include <stdio.h>

#include "fbreview/lifecycle.h"

static const char *verdict_str(lc_verdict v)
{
    return v == LC_OK ? "ok" : v == LC_NOT_IN_STATUS ? "not_in_status" : v == LC_NOT_WHO ? "not_who" : "not_role";
}

int main(void)
{
    static const char *const approver[] = {"lead", "reviewer"};
    for (int st = 0; st < FB_CS_COUNT; st++)
        for (int ev = 0; ev < LC_EV_COUNT; ev++)
            for (int same = 0; same < 2; same++)
                for (int lead = 0; lead < 2; lead++)
                    for (int sep = 0; sep < 2; sep++)
                        for (int ar = 0; ar < 2; ar++) {
                            const char *me = lead ? "carol" : "alice", *subject = same ? me : "zed";
                            lc_actor a = {.reviewer = me,
                                          .roles = lead ? LC_ROLES_ALL : 1 << LC_ROLE_REVIEWER,
                                          .proposer = subject, .appealed = subject, .owner = subject,
                                          .appeal_separation = sep, .approver_role = approver[ar]};
                            lc_verdict v = lifecycle_may((fb_case_status)st, (lc_event)ev, &a, NULL);
                            fb_case_status to = lifecycle_next((fb_case_status)st, (lc_event)ev, FB_CS_ESCALATED);
                            printf("%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\n", fb_case_status_str((fb_case_status)st),
                                   lifecycle_event_str((lc_event)ev), same, lead ? "lead" : "reviewer",
                                   sep ? "true" : "false", approver[ar], verdict_str(v),
                                   v == LC_OK ? fb_case_status_str(to) : "-");
                        }
    return 0;
}
