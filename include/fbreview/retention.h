#ifndef FBREVIEW_RETENTION_H
#define FBREVIEW_RETENTION_H
/* Local retention: the evidence of cases decided and synced more than N days ago is
 * purged from this store ([retention] evidence_days, 0 = off, the default). The decision,
 * its audit trail and a pointer stay (the case row, and "purged" in its evidence row);
 * the evidence itself stays upstream. Runs after each sync round (sync_once) and on
 * demand (`fbreview purge`); every purge is an audit row, so `verify` still passes. */

#include <stdint.h>

#include "fbreview/config.h"
#include "fbreview/err.h"
#include "fbreview/store.h"

/* [retention] evidence_days (the options table: 0, off, the default; loading checked it). */
int retention_days(const fb_config *cfg);

/* Purges up to limit cases whose last decision synced more than days before now, in one
 * transaction, each with an audit row by actor. dry_run counts without changing
 * anything. *purged (may be NULL) receives the number of cases. */
fb_status retention_purge(fb_store *s, const char *actor, int days, int64_t now_ms, long limit, int dry_run,
                          long *purged, fb_err *err);

#endif
