-- fbreview upstream schema (PostgreSQL >= 13). Built into the binary and applied by
-- `fbreview upstream init`. The file is a list of migrations, each introduced by a line
-- `-- migration N`; init runs, in one transaction each, every migration whose number is
-- above the highest row of fb_schema_version, so running init again changes nothing and
-- a newer binary upgrades an older schema. Never edit a released migration: append one.
--
-- Pull cursor: every row carries xid (the xid8 of the transaction that last wrote it).
-- A pull reads, inside one REPEATABLE READ snapshot, the rows with
-- cursor <= xid < pg_snapshot_xmin(snapshot) and then remembers that xmin as the next
-- cursor. Every transaction below xmin has finished, so a transaction that commits late
-- (it began before others that committed earlier) keeps its rows above the old cursor and
-- is pulled once it ends; a plain sequence or timestamp would skip it.
--
-- Times are integer milliseconds since the epoch, UTC, as in the local store.

-- migration 1
CREATE TABLE IF NOT EXISTS fb_schema_version (
    version     integer PRIMARY KEY,
    applied_at  timestamptz NOT NULL DEFAULT now()
);

-- A case and its evidence: doc is the case's JSON Lines object (DESIGN.md §4).
-- status follows the accepted decisions; decision_id is the standing (winning) one.
CREATE TABLE IF NOT EXISTS fb_case (
    id           text PRIMARY KEY,
    doc          jsonb NOT NULL,
    status       text NOT NULL DEFAULT 'open'
                 CHECK (status IN ('open','decided','pending_approval','escalated','appealed')),
    decision_id  uuid,
    updated_at   bigint NOT NULL,
    xid          xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE INDEX IF NOT EXISTS fb_case_by_xid ON fb_case (xid);

-- Every decision pushed by any console, with the outcome upstream gave it the first time
-- it arrived (a re-push answers the same): accepted, conflict (winner names the standing
-- decision, or NULL for a claim conflict) or rejected; reason says why in words.
CREATE TABLE IF NOT EXISTS fb_decision (
    id              uuid PRIMARY KEY,
    case_id         text NOT NULL,
    reviewer        text NOT NULL,
    action          text NOT NULL,
    violation       text,
    days            integer,
    decided_at      bigint NOT NULL,
    supersedes      uuid,
    approval        text NOT NULL DEFAULT 'none',
    claim_override  boolean NOT NULL DEFAULT false,
    payload         json NOT NULL,       -- the outbox payload as sent (json: kept verbatim, cheap to take in)
    outcome         text NOT NULL CHECK (outcome IN ('accepted','conflict','rejected')),
    reason          text,
    winner          uuid,
    received_at     bigint NOT NULL,
    xid             xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE INDEX IF NOT EXISTS fb_decision_by_case ON fb_decision (case_id);
CREATE INDEX IF NOT EXISTS fb_decision_by_xid ON fb_decision (xid);

CREATE TABLE IF NOT EXISTS fb_appeal (
    id           uuid PRIMARY KEY,
    decision_id  uuid NOT NULL,
    case_id      text NOT NULL,
    text         text NOT NULL,
    received_at  bigint NOT NULL,
    xid          xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE INDEX IF NOT EXISTS fb_appeal_by_xid ON fb_appeal (xid);

-- A second reviewer's answer to a proposed block (one per decision).
CREATE TABLE IF NOT EXISTS fb_approval (
    decision_id  uuid PRIMARY KEY,
    approval     text NOT NULL CHECK (approval IN ('approved','rejected')),
    by_reviewer  text NOT NULL,
    rationale    text,
    at           bigint NOT NULL,
    xid          xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE INDEX IF NOT EXISTS fb_approval_by_xid ON fb_approval (xid);

-- Leases: taken and renewed by one conditional upsert (expired, or the same reviewer).
-- until_ms is server time so consoles' clocks do not matter.
CREATE TABLE IF NOT EXISTS fb_claim (
    case_id   text PRIMARY KEY,
    reviewer  text NOT NULL,
    until_ms  bigint NOT NULL,
    xid       xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE INDEX IF NOT EXISTS fb_claim_by_xid ON fb_claim (xid);

CREATE TABLE IF NOT EXISTS fb_prior_action (
    account_id  text NOT NULL,
    action      text NOT NULL,
    violation   text NOT NULL DEFAULT '',
    at          bigint NOT NULL,
    xid         xid8 NOT NULL DEFAULT pg_current_xact_id(),
    PRIMARY KEY (account_id, action, violation, at)
);
CREATE INDEX IF NOT EXISTS fb_prior_action_by_xid ON fb_prior_action (xid);

CREATE TABLE IF NOT EXISTS fb_note (
    case_id   text NOT NULL,
    reviewer  text NOT NULL,
    at        bigint NOT NULL,
    text      text NOT NULL,
    xid       xid8 NOT NULL DEFAULT pg_current_xact_id(),
    PRIMARY KEY (case_id, reviewer, at)
);

-- Every UPDATE moves the row's xid forward, so a changed row is pulled again. Bulk
-- statements set xid themselves; the WHEN clause then skips the per-row function call.
CREATE OR REPLACE FUNCTION fb_touch_xid() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.xid := pg_current_xact_id();
    RETURN NEW;
END $$;
CREATE OR REPLACE TRIGGER fb_case_touch BEFORE UPDATE ON fb_case
    FOR EACH ROW WHEN (NEW.xid = OLD.xid) EXECUTE FUNCTION fb_touch_xid();
CREATE OR REPLACE TRIGGER fb_decision_touch BEFORE UPDATE ON fb_decision
    FOR EACH ROW WHEN (NEW.xid = OLD.xid) EXECUTE FUNCTION fb_touch_xid();
CREATE OR REPLACE TRIGGER fb_approval_touch BEFORE UPDATE ON fb_approval
    FOR EACH ROW WHEN (NEW.xid = OLD.xid) EXECUTE FUNCTION fb_touch_xid();
CREATE OR REPLACE TRIGGER fb_claim_touch BEFORE UPDATE ON fb_claim
    FOR EACH ROW WHEN (NEW.xid = OLD.xid) EXECUTE FUNCTION fb_touch_xid();

-- migration 2
-- Notes travel both ways. A note has no id of its own (the local store numbers its notes
-- privately), so its key is what it says: (case_id, reviewer, at, text) — the same note
-- pushed again (a re-push after a crash) or pulled back by the console that wrote it is
-- the same row; two different notes by one reviewer in the same millisecond both stay.
-- The text is keyed by its md5 so a long note cannot exceed a btree entry's size.
ALTER TABLE fb_note DROP CONSTRAINT IF EXISTS fb_note_pkey;
CREATE UNIQUE INDEX IF NOT EXISTS fb_note_key ON fb_note (case_id, reviewer, at, md5(text));
CREATE INDEX IF NOT EXISTS fb_note_by_xid ON fb_note (xid);

-- migration 3
-- The lifecycle table (core/lifecycle.h). `upstream init` rewrites these rows from the
-- binary's table after the migrations; the judging statements join them and never spell a
-- rule out themselves. to_status is a status, 'same' or 'prev'; who is any | other |
-- not_appealed | own; role is reviewer | lead (enforced with the roles of issue 11).
CREATE TABLE IF NOT EXISTS fb_lc_transition (
    from_status  text NOT NULL,
    event        text NOT NULL,
    to_status    text NOT NULL,
    who          text NOT NULL,
    role         text NOT NULL,
    PRIMARY KEY (from_status, event)
);
-- The decision events: a decision of action, waiting for approval or not, is event.
CREATE TABLE IF NOT EXISTS fb_lc_event (
    event    text PRIMARY KEY,
    action   text NOT NULL,
    pending  boolean NOT NULL,
    UNIQUE (action, pending)
);
-- A live claim: a lease that has not run out on upstream's clock.
CREATE OR REPLACE VIEW fb_live_claim AS
    SELECT case_id, reviewer, until_ms FROM fb_claim
     WHERE until_ms > (extract(epoch FROM statement_timestamp()) * 1000)::bigint;
