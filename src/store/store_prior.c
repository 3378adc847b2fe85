/* Earlier violations of an account (the ladder's input). */
#include "store_private.h"

#include "fbreview/model.h"
#include "fbreview/store_prior.h"

/* Imported or pulled history, plus the decisions on other cases of this subject that count
 * (the view counted_violation: standing, final, an action the lifecycle counts). */
static const char sql_history[] =
    "SELECT count(*), coalesce(sum(action='block'),0) FROM ("
    "  SELECT action FROM prior_action WHERE account_id=?1"
    "    AND action IN (SELECT action FROM lc_action WHERE counts)"
    "  UNION ALL"
    "  SELECT d.action FROM counted_violation d JOIN \"case\" c ON c.id=d.case_id"
    "   WHERE c.subject=?1 AND d.case_id IS NOT ?2)";

fb_status store_prior_history(fb_store *s, const char *account_id, const char *exclude_case,
                              fb_history *out, fb_err *err)
{
    out->violations = out->blocks = 0;
    if (!account_id)
        return FB_OK;
    sqlite3_stmt *st = store_stmt(s, sql_history, err);
    if (!st)
        return err->status;
    store_bind_text(st, 1, account_id);
    store_bind_text(st, 2, exclude_case);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out->violations = sqlite3_column_int(st, 0);
        out->blocks = sqlite3_column_int(st, 1);
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? FB_OK : store_fail(s, err, "counting earlier violations");
}
