-- fbreview local store, newest schema (FB_SCHEMA_VERSION, include/fbreview/store.h). The single
-- source: built into the binary. Older stores are brought forward by the upgrades in src/store/store.c.
-- Times are integer milliseconds since the epoch, UTC. Money is integer minor units.

CREATE TABLE account (
    id          TEXT PRIMARY KEY,
    name        TEXT,
    country     TEXT,
    created_at  INTEGER
) STRICT;

-- The accounts a case involves, with their role in it.
CREATE TABLE case_account (
    case_id     TEXT NOT NULL REFERENCES "case"(id) ON DELETE CASCADE,
    account_id  TEXT NOT NULL REFERENCES account(id),
    role        TEXT NOT NULL CHECK (role IN ('client','freelancer','agency')),
    ord         INTEGER NOT NULL,
    PRIMARY KEY (case_id, account_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX case_account_by_account ON case_account(account_id);

CREATE TABLE account_link (
    id          INTEGER PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES "case"(id) ON DELETE CASCADE,
    a           TEXT NOT NULL,
    b           TEXT NOT NULL,
    kind        TEXT NOT NULL,
    detail      TEXT
) STRICT;
CREATE INDEX account_link_by_case ON account_link(case_id);
CREATE INDEX account_link_by_a ON account_link(a);
CREATE INDEX account_link_by_b ON account_link(b);

CREATE TABLE "case" (
    id            TEXT PRIMARY KEY,
    opened_at     INTEGER NOT NULL,
    source        TEXT,
    alleged       TEXT,
    risk          INTEGER NOT NULL DEFAULT 0,
    suggested     TEXT,
    -- The statuses and how a case moves between them: core/lifecycle.h (rows in lc_*).
    status        TEXT NOT NULL DEFAULT 'open'
                  CHECK (status IN ('open','decided','pending_approval','escalated','appealed')),
    -- upstream's status as last pulled (NULL: never pulled); the local status follows it
    -- whenever no local decision on the case waits for upstream's answer
    upstream_status TEXT,
    claim_by      TEXT,                           -- a lease; live while claim_until is ahead (view live_claim)
    claim_until   INTEGER,
    subject       TEXT,
    counterparty  TEXT,
    contract_id   TEXT,
    origin        TEXT NOT NULL DEFAULT 'local',   -- 'local' (imported here) or 'upstream' (pulled)
    -- The fingerprint of the rules and analyser its signals, risk and highlights come from
    -- (core/ingest.c). A case without a decision whose fingerprint is not the current one
    -- is stale: analysed again in the background, or at once when shown or decided. NULL:
    -- written before store version 9, analysed with sync_state 'analysis'.
    analysis      INTEGER,
    updated_at    INTEGER NOT NULL
) STRICT;
-- Queue paging is keyset on (status, risk, id) and (status, opened_at, id); under a code
-- filter on (status, alleged, risk, id) and (status, alleged, opened_at, id). A risk filter
-- is a range of the risk orders; the age orders carry risk so it is tested in the index,
-- and the risk orders carry opened_at so a narrow risk filter's few rows are sorted by age
-- from the index (store_queue.c: a filter's page and count never read case rows to skip them).
CREATE INDEX case_queue_risk ON "case"(status, risk DESC, id, opened_at);
CREATE INDEX case_queue_age ON "case"(status, opened_at, id, risk);
CREATE INDEX case_queue_code_risk ON "case"(status, alleged, risk DESC, id, opened_at);
CREATE INDEX case_queue_code_age ON "case"(status, alleged, opened_at, id, risk);
CREATE INDEX case_by_subject ON "case"(subject);
CREATE INDEX case_by_claim ON "case"(claim_by) WHERE claim_by IS NOT NULL;

CREATE TABLE message (
    id          INTEGER PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES "case"(id) ON DELETE CASCADE,
    ord         INTEGER NOT NULL,
    from_acct   TEXT,
    to_acct     TEXT,
    at          INTEGER,
    body        TEXT NOT NULL
) STRICT;
CREATE INDEX message_by_case ON message(case_id, ord);

-- Full-text search over message bodies (external content). store_case_put indexes each
-- message it inserts itself: an AFTER INSERT trigger would give every message insert a
-- statement savepoint, and FTS5 flushes its pending index at each savepoint, which made
-- writing cases five times slower. Deletes stay with a trigger (rare: re-imports).
CREATE VIRTUAL TABLE message_fts USING fts5(body, content='message', content_rowid='id');
CREATE TRIGGER message_ad AFTER DELETE ON message BEGIN
    INSERT INTO message_fts(message_fts, rowid, body) VALUES ('delete', old.id, old.body);
END;

-- Account names by substring (FTS5 trigram; case-insensitive): LIKE '%term%' over the
-- account table was a scan, up to a second on a million cases. store_case_put writes a
-- row beside each new named account and replaces it when an import renames one. The
-- account id travels in the row (not as its rowid, which VACUUM may renumber).
CREATE VIRTUAL TABLE account_name_fts USING fts5(name, account_id UNINDEXED, tokenize='trigram');

-- The evidence nothing searches by column, one JSON object per case (store_case_put writes
-- it in one insert; a row per item cost about a dozen inserts per case). Each item is an
-- array of its columns, in the order the views below name them (no member names: they
-- would double the row); null for NULL, and for a time of 0:
--   {"c":[contract],                   -- absent when the case has no contract
--    "p":[[payment],...], "f":[[feedback],...],
--    "s":[[signal],...],                -- why the case was flagged (core/signals)
--    "m":[[message_match],...]}         -- analyser matches in message bodies (byte offsets)
-- An empty list is left out. The views read it back as the rows it replaces.
-- A rowid table, not WITHOUT ROWID: a row of 1-2 KB fits a 4 KB table page, while in a
-- WITHOUT ROWID b-tree anything over ~1 KB spills to an overflow page.
CREATE TABLE case_evidence (
    id          INTEGER PRIMARY KEY,
    case_id     TEXT NOT NULL UNIQUE REFERENCES "case"(id) ON DELETE CASCADE,
    data        TEXT NOT NULL
) STRICT;

CREATE VIEW contract AS
    SELECT e.case_id AS case_id, k.value->>0 AS id, k.value->>1 AS client, k.value->>2 AS freelancer,
           k.value->>3 AS title, k.value->>4 AS created_at, k.value->>5 AS started_at, k.value->>6 AS ended_at,
           k.value->>7 AS budget, k.value->>8 AS currency
    FROM case_evidence e, json_each(e.data) k WHERE k.key = 'c';
CREATE VIEW payment AS
    SELECT e.case_id AS case_id, j.key AS ord, j.value->>0 AS id, j.value->>1 AS from_acct, j.value->>2 AS to_acct,
           j.value->>3 AS kind, j.value->>4 AS amount, j.value->>5 AS currency, j.value->>6 AS at
    FROM case_evidence e, json_each(e.data, '$.p') j;
CREATE VIEW feedback AS
    SELECT e.case_id AS case_id, j.key AS ord, j.value->>0 AS from_acct, j.value->>1 AS to_acct,
           j.value->>2 AS rating, j.value->>3 AS text, j.value->>4 AS at
    FROM case_evidence e, json_each(e.data, '$.f') j;
CREATE VIEW signal AS
    SELECT e.case_id AS case_id, j.key AS ord, j.value->>0 AS code, j.value->>1 AS violation,
           j.value->>2 AS weight, j.value->>3 AS sentence
    FROM case_evidence e, json_each(e.data, '$.s') j;
CREATE VIEW message_match AS
    SELECT e.case_id AS case_id, j.value->>0 AS message_ord, j.value->>1 AS start, j.value->>2 AS len,
           j.value->>3 AS violation, j.value->>4 AS why
    FROM case_evidence e, json_each(e.data, '$.m') j;

-- Cross-case structure (store_structure.c, maintained by store_case_put; DESIGN.md §6).
-- A 5-star review from the side that hired to the side hired (fb_feedback_hire_praise),
-- one row per case: the edges of feedback rings ("I hire you, you hire me").
CREATE TABLE hire_praise (
    from_acct   TEXT NOT NULL,
    to_acct     TEXT NOT NULL,
    case_id     TEXT NOT NULL,          -- no REFERENCES: cases are never deleted, and a
    PRIMARY KEY (from_acct, to_acct, case_id)   -- cascade would need an index by case
) STRICT, WITHOUT ROWID;
-- Accounts joined by a trait that identifies one person (fb_link_joins: device, IP,
-- payment method, address) in any case: a union-find kept as a label per account (only
-- accounts with such a link have a row) and a size per cluster. Merging relabels the
-- smaller cluster, so an account is relabelled at most log2(n) times.
CREATE TABLE account_cluster (
    account_id  TEXT PRIMARY KEY,
    cluster     INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX account_cluster_members ON account_cluster(cluster);
CREATE TABLE cluster (
    id          INTEGER PRIMARY KEY,
    size        INTEGER NOT NULL
) STRICT;
-- Cases whose cross-case signals may have changed since they were last weighed: written in
-- the transaction that changed the structure, emptied by ingest_flush before it commits.
CREATE TABLE structure_pending (
    case_id     TEXT PRIMARY KEY
) STRICT, WITHOUT ROWID;

-- An account's earlier enforcement: imported history, pulled from upstream, or our decisions.
CREATE TABLE prior_action (
    id          INTEGER PRIMARY KEY,
    account_id  TEXT NOT NULL,
    action      TEXT NOT NULL,
    violation   TEXT,
    at          INTEGER NOT NULL,
    source      TEXT NOT NULL DEFAULT 'import',   -- 'import' | 'upstream'
    UNIQUE (account_id, action, violation, at)
) STRICT;

CREATE TABLE decision (
    id            TEXT PRIMARY KEY,               -- UUID
    case_id       TEXT NOT NULL REFERENCES "case"(id),
    reviewer      TEXT NOT NULL,
    action        TEXT NOT NULL CHECK (action IN ('no_violation','education','suspension','block','escalate')),
    violation     TEXT,
    days          INTEGER,
    rationale     TEXT,
    rec_action    TEXT,
    rec_violation TEXT,
    rec_days      INTEGER,
    overridden    INTEGER NOT NULL DEFAULT 0,
    notice        TEXT,
    decided_at    INTEGER NOT NULL,
    supersedes    TEXT REFERENCES decision(id),
    prior_status  TEXT,                           -- the case's status before this decision (undo and refusals restore it; version 5)
    approval      TEXT NOT NULL DEFAULT 'none' CHECK (approval IN ('none','pending','approved','rejected')),
    approved_by   TEXT,                           -- who approved or sent back
    approved_at   INTEGER,
    approval_rationale TEXT,                      -- their reason (schema version 2)
    claim_override INTEGER NOT NULL DEFAULT 0,
    undone_at     INTEGER,                        -- set when undone before sync; the row stays
    sync_state    TEXT NOT NULL DEFAULT 'pending' CHECK (sync_state IN ('pending','synced','conflict','rejected')),
    synced_at     INTEGER,
    upstream_note TEXT,                           -- upstream's answer on conflict/reject
    conflict_winner TEXT,                         -- conflict: the id of the decision that won (upstream's field; version 5)
    -- The reviewer's answer to a conflict (the decision row itself stays as it was):
    -- 'accepted' the winning decision, or 'appealed' it internally (an appeal row).
    conflict_resolved_at INTEGER,
    conflict_resolution  TEXT CHECK (conflict_resolution IN ('accepted','appealed')),
    -- The reviewer's answer to a rejection (schema version 5): 'discarded', or 'redecided'
    -- (a new decision on the case); both set together (store_decision_resolve_rejection).
    rejection_answered_at INTEGER,
    rejection_answer      TEXT CHECK (rejection_answer IN ('discarded','redecided')),
    -- The team policy version it was recommended under; NULL: the local config (version 6).
    policy_version INTEGER,
    CHECK ((conflict_resolved_at IS NULL) = (conflict_resolution IS NULL))
) STRICT;
CREATE INDEX decision_by_case ON decision(case_id, decided_at);
CREATE INDEX decision_conflicts ON decision(reviewer, case_id)
    WHERE sync_state='conflict' AND conflict_resolved_at IS NULL AND undone_at IS NULL;
-- (decided_at, id) is the export's order: it streams in index order with no sort, even
-- when many decisions share a millisecond.
CREATE INDEX decision_by_time ON decision(decided_at, id);
CREATE INDEX decision_by_sync ON decision(sync_state);
CREATE INDEX decision_rejections ON decision(reviewer, case_id)
    WHERE sync_state='rejected' AND rejection_answered_at IS NULL AND undone_at IS NULL;
-- The same WHERE as the view awaiting_upstream: its count and its per-case test are index reads.
CREATE INDEX decision_awaiting ON decision(case_id)
    WHERE sync_state='pending' AND undone_at IS NULL;
CREATE INDEX decision_by_reviewer ON decision(reviewer, decided_at);
CREATE INDEX decision_by_supersedes ON decision(supersedes) WHERE supersedes IS NOT NULL;

CREATE TABLE appeal (
    id           TEXT PRIMARY KEY,
    decision_id  TEXT NOT NULL REFERENCES decision(id),
    case_id      TEXT NOT NULL REFERENCES "case"(id),
    text         TEXT NOT NULL,
    received_at  INTEGER NOT NULL,
    resolved_by  TEXT REFERENCES decision(id)
) STRICT;
CREATE INDEX appeal_by_case ON appeal(case_id);

-- Internal notes: part of the case's history, never part of a notice.
CREATE TABLE note (
    id          INTEGER PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES "case"(id),
    reviewer    TEXT NOT NULL,
    at          INTEGER NOT NULL,
    text        TEXT NOT NULL
) STRICT;
CREATE INDEX note_by_case ON note(case_id);

-- What waits to go upstream, in order. The payload is JSON; times are integer ms UTC.
--   decision: {"decision_id","case_id","reviewer","action","violation","days","rationale",
--              "rec_action","rec_violation","rec_days","overridden","notice","decided_at",
--              "supersedes","approval","claim_override","policy_version"}
--   approval: {"decision_id","approval":"approved"|"rejected","by","rationale","at"}
--   note:     {"case_id","reviewer","text","at"}
--   appeal:   {"appeal_id","decision_id","case_id","text","at"}
-- Protocol: the sync engine first marks rows in flight (sent_at set) in a local
-- transaction, pushes, and after upstream commits marks the decision synced/conflict/
-- rejected and deletes the outbox row. Rows with sent_at set are re-pushed after a crash
-- (upstream is idempotent by id). Undo refuses a decision whose outbox row is in flight,
-- and otherwise deletes its unsent outbox row in the undo transaction. An unsent row goes
-- no sooner than the later of its undo window's end and held_until (a console's hold while
-- its undo box is open; renewed while open, so a crashed console's hold lapses).
CREATE TABLE outbox (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT NOT NULL,                    -- 'decision' | 'approval' | 'undo' | 'note' | 'appeal'
    ref         TEXT NOT NULL,
    payload     TEXT NOT NULL,                    -- JSON
    created_at  INTEGER NOT NULL,
    sent_at     INTEGER,
    held_until  INTEGER                           -- ms UTC; NULL: no hold
) STRICT;
CREATE INDEX outbox_unsent ON outbox(sent_at, seq);

-- Append-only, hash-chained: hash = SHA-256(prev_hash || canonical content).
CREATE TABLE audit (
    seq         INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,
    actor       TEXT NOT NULL,
    kind        TEXT NOT NULL,
    case_id     TEXT,
    ref         TEXT,
    detail      TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
) STRICT;
CREATE INDEX audit_by_case ON audit(case_id);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN
    SELECT RAISE(ABORT, 'audit is append-only');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN
    SELECT RAISE(ABORT, 'audit is append-only');
END;

CREATE TABLE sync_state (
    key         TEXT PRIMARY KEY,
    value       TEXT
) STRICT;

-- The message analyser's data (core/analyse; seeded from data/lexicon.tsv and
-- data/frames.tsv when empty; editable: the next ingest uses the rows).
CREATE TABLE lexicon_term (
    id          INTEGER PRIMARY KEY,
    class       TEXT NOT NULL,
    term        TEXT NOT NULL,                    -- a word pattern (data/lexicon.tsv explains)
    UNIQUE (class, term)
) STRICT;
CREATE TABLE frame_rule (
    id          INTEGER PRIMARY KEY,              -- the order frames are tried in
    name        TEXT NOT NULL UNIQUE,
    outcome     TEXT NOT NULL,                    -- a violation code, read or ok
    weight      INTEGER NOT NULL,
    scope       TEXT NOT NULL,                    -- sentence or message
    needs       TEXT NOT NULL,
    sentence    TEXT NOT NULL
) STRICT;


-- ---- The lifecycle (core/lifecycle.h owns it; lifecycle_seed writes these rows) ----
-- Never edited here: core rewrites them when the binary's table differs.
CREATE TABLE lc_transition (
    from_status TEXT NOT NULL,
    event       TEXT NOT NULL,
    to_status   TEXT NOT NULL,                    -- a status, 'same' or 'prev' (before the undone decision)
    who         TEXT NOT NULL,                    -- any | other | not_appealed | own
    role        TEXT NOT NULL,                    -- reviewer | lead
    PRIMARY KEY (from_status, event)
) STRICT, WITHOUT ROWID;
CREATE TABLE lc_event (
    event       TEXT PRIMARY KEY,
    action      TEXT,                             -- the decision's action; NULL: not a decision
    pending     INTEGER NOT NULL                  -- the decision waits for approval
) STRICT, WITHOUT ROWID;
CREATE TABLE lc_queue (
    status      TEXT PRIMARY KEY,
    queue       TEXT NOT NULL                     -- the console queue that shows the status
) STRICT, WITHOUT ROWID;
CREATE TABLE lc_action (
    action      TEXT PRIMARY KEY,
    counts      INTEGER NOT NULL                  -- counts as an earlier violation on the ladder
) STRICT, WITHOUT ROWID;

-- The lifecycle's predicates, each defined once. Store code reads these views and never
-- repeats their conditions.
-- A live claim: a lease someone holds that has not run out. lifecycle_seed writes this view
-- from lifecycle.h's LC_CLAIM_LIVE_SQL (store_lifecycle.c), the text upstream's
-- fb_lc_claim_live is written from; until the first writer seeds the store it holds no row.
CREATE VIEW live_claim AS
    SELECT id AS case_id, claim_by AS reviewer, claim_until FROM "case" WHERE 0;
-- Decisions on record: not undone and not refused upstream (a block sent back included).
-- (The unary + keeps the planner on the case or reviewer index: nearly every decision is
-- synced, so the sync_state index would read them all.)
CREATE VIEW recorded_decision AS
    SELECT rowid AS rid, * FROM decision WHERE undone_at IS NULL AND +sync_state IN ('pending','synced');
-- Decisions that still count: recorded, and not a block sent back.
CREATE VIEW live_decision AS
    SELECT * FROM recorded_decision WHERE +approval <> 'rejected';
-- A case's standing decision: its newest live decision.
CREATE VIEW standing_decision AS
    SELECT * FROM live_decision d
     WHERE NOT EXISTS (SELECT 1 FROM live_decision n WHERE n.case_id = d.case_id
                        AND (n.decided_at, n.rid) > (d.decided_at, d.rid));
-- Upstream refused a decision because another won; its reviewer has not answered yet.
CREATE VIEW open_conflict AS
    SELECT * FROM decision WHERE sync_state='conflict' AND conflict_resolved_at IS NULL AND undone_at IS NULL;
-- Upstream rejected a decision; its reviewer has not discarded it or decided again.
CREATE VIEW open_rejection AS
    SELECT * FROM decision WHERE sync_state='rejected' AND rejection_answered_at IS NULL AND undone_at IS NULL;
-- A local decision still waiting for upstream's answer: the case's local status wins
-- over upstream's until it is answered.
CREATE VIEW awaiting_upstream AS
    SELECT * FROM decision WHERE sync_state='pending' AND undone_at IS NULL;
-- The reviewer's own queues: what they hold or did, whatever the case's status. A case
-- may appear twice (readers ask IN or count DISTINCT); UNION ALL lets SQLite push a
-- reviewer's filter into each branch's index.
CREATE VIEW reviewer_queue(queue, reviewer, case_id) AS
    SELECT 'mine', reviewer, case_id FROM live_claim
    UNION ALL SELECT 'mine', reviewer, case_id FROM standing_decision
    UNION ALL SELECT 'conflicts', reviewer, case_id FROM open_conflict
    UNION ALL SELECT 'rejected', reviewer, case_id FROM open_rejection;
-- Decisions that count as earlier violations on the ladder: standing, final (not a block
-- waiting for approval) and of an action that counts.
CREATE VIEW counted_violation AS
    SELECT d.* FROM live_decision d JOIN lc_action a ON a.action = d.action AND a.counts
     WHERE d.approval <> 'pending'
       AND NOT EXISTS (SELECT 1 FROM live_decision s WHERE s.supersedes = d.id);
