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

-- migration 4
-- Identity, roles and the audit (issue 11). A reviewer is their PostgreSQL login
-- (session_user); the group roles say what a login may do. Logins have no direct table
-- writes: every write goes through the functions below, owned by the schema owner
-- (SECURITY DEFINER, fixed search_path), which record session_user, check the role and the
-- rules, and append one row per call to fb_audit, a hash chain. Only the owner (who ran
-- `fbreview upstream init`) can change a table directly.
--
-- Roles are cluster-wide: the owner needs CREATEROLE (or is a superuser) to run init.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'fbreview_reviewer') THEN
        CREATE ROLE fbreview_reviewer NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'fbreview_lead') THEN
        CREATE ROLE fbreview_lead NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'fbreview_admin') THEN
        CREATE ROLE fbreview_admin NOLOGIN;
    END IF;
END $$;
-- A lead is a reviewer too; an admin (policy, case import) is neither unless granted.
GRANT fbreview_reviewer TO fbreview_lead;
-- Whoever sets the schema up is its first admin (imports cases, publishes the policy).
GRANT fbreview_admin TO CURRENT_USER;

ALTER TABLE fb_decision ADD COLUMN IF NOT EXISTS policy_version integer;
-- The login whose live claim this decision overrode (NULL: none).
ALTER TABLE fb_decision ADD COLUMN IF NOT EXISTS claim_overrode text;
-- Who recorded the appeal (the login).
ALTER TABLE fb_appeal ADD COLUMN IF NOT EXISTS by_reviewer text;

-- The team's policy in versions: the [policy] and [ladder] settings (and optionally the
-- phrase rules and notice templates) in the config's own format, published by an admin.
-- approver_role is read from body by fbreview before publishing, so SQL can enforce it.
CREATE TABLE IF NOT EXISTS fb_policy (
    version        integer PRIMARY KEY,
    body           text NOT NULL,
    approver_role  text NOT NULL DEFAULT 'lead' CHECK (approver_role IN ('lead', 'reviewer')),
    published_by   text NOT NULL,
    published_at   bigint NOT NULL,
    xid            xid8 NOT NULL DEFAULT pg_current_xact_id()
);

-- The upstream audit: one row per write call (who, what, when, policy version), chained:
-- hash = sha256(prev || fb_audit_text(row)), prev of the first row 32 zero bytes.
-- `fbreview upstream verify` recomputes the chain and names the first bad row.
CREATE TABLE IF NOT EXISTS fb_audit (
    id              bigint PRIMARY KEY,
    at              bigint NOT NULL,
    who             text NOT NULL,
    kind            text NOT NULL,
    what            jsonb NOT NULL,
    policy_version  integer,
    prev            bytea NOT NULL,
    hash            bytea NOT NULL
);

-- The text a row's hash covers; fbreview's verify builds the same text on its side.
CREATE OR REPLACE FUNCTION fb_audit_text(p_id bigint, p_at bigint, p_who text, p_kind text, p_what jsonb,
                                         p_pv integer) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT p_id || '|' || p_at || '|' || p_who || '|' || p_kind || '|' || p_what::text || '|'
           || coalesce(p_pv::text, '')
$$;

-- Every write function takes this lock first and holds it to its commit: writes are
-- chained in commit order, and one lock order everywhere (this lock, then rows) cannot
-- deadlock.
CREATE OR REPLACE FUNCTION fb_write_begin() RETURNS void
LANGUAGE sql AS $$ SELECT pg_advisory_xact_lock(4642525602) $$;

CREATE OR REPLACE FUNCTION fb_audit_append(p_kind text, p_what jsonb) RETURNS void
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    v_id bigint;
    v_prev bytea;
    v_pv integer;
    v_at bigint := (extract(epoch FROM statement_timestamp()) * 1000)::bigint;
BEGIN
    IF p_what IS NULL THEN
        RETURN;
    END IF;
    PERFORM fb_write_begin();
    SELECT a.id, a.hash INTO v_id, v_prev FROM fb_audit a ORDER BY a.id DESC LIMIT 1;
    SELECT max(version) INTO v_pv FROM fb_policy;
    v_id := coalesce(v_id, 0) + 1;
    v_prev := coalesce(v_prev, decode(repeat('00', 32), 'hex'));
    INSERT INTO fb_audit (id, at, who, kind, what, policy_version, prev, hash)
    VALUES (v_id, v_at, session_user, p_kind, p_what, v_pv, v_prev,
            sha256(v_prev || convert_to(fb_audit_text(v_id, v_at, session_user, p_kind, p_what, v_pv), 'UTF8')));
END $$;

-- Raises unless the login is in p_role; the message says what the owner runs to grant it.
CREATE OR REPLACE FUNCTION fb_require(p_role text, p_doing text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT pg_has_role(session_user, p_role, 'MEMBER') THEN
        RAISE EXCEPTION 'login % may not %: it is not in role % (the schema owner runs `fbreview upstream grant % %`)',
            session_user, p_doing, p_role, session_user, replace(p_role, 'fbreview_', '')
            USING ERRCODE = 'insufficient_privilege';
    END IF;
END $$;

CREATE OR REPLACE FUNCTION fb_is_lead() RETURNS boolean
LANGUAGE sql STABLE AS $$ SELECT pg_has_role(session_user, 'fbreview_lead', 'MEMBER') $$;

CREATE OR REPLACE FUNCTION fb_uuid(p text) RETURNS uuid
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN p ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN p::uuid END
$$;

-- A decision batch as the console stages it (COPY into a temp table of this shape, then
-- the rows are passed as one array parameter: the function never reads a table the caller
-- controls).
CREATE TYPE fb_push_row AS (
    seq bigint, id uuid, case_id text, reviewer text, action text, violation text, days int,
    decided_at bigint, supersedes uuid, approval text, claim_override boolean, policy_version int,
    payload json
);

-- Judges a decision batch set-based with the lifecycle table (migration 3: fb_lc_event says
-- which event a decision is, fb_lc_transition whether the case's status takes it, where it
-- leads, who may and which role). A decision is rejected when the login does not push it
-- under its own name, its case is not upstream, the row's role is lead and the login is
-- not in fbreview_lead, or the row's who-rule refuses the login (not_appealed: the appealed
-- decision is its own); a status that does not take the event is a conflict naming the
-- standing decision (winner), another login's live claim a conflict too (unless
-- claim_override, which records whose claim was overridden). Each decision is recorded
-- once (keyed by its UUID) under session_user: a re-push reads the first outcome back.
CREATE OR REPLACE FUNCTION fb_push_decisions(p_rows fb_push_row[])
RETURNS TABLE (seq bigint, outcome text, reason text, winner text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_login text := session_user;
    v_lead boolean := fb_is_lead();
BEGIN
    PERFORM fb_require('fbreview_reviewer', 'push decisions');
    PERFORM fb_write_begin();
    RETURN QUERY
    WITH t AS (SELECT (extract(epoch FROM statement_timestamp()) * 1000)::bigint AS now),
    f AS (SELECT * FROM unnest(p_rows)),
    -- Lock the batch's cases in id order (see migration 1).
    c AS MATERIALIZED (SELECT id, status, decision_id FROM fb_case
                        WHERE id IN (SELECT case_id FROM f) ORDER BY id FOR UPDATE),
    judged AS (
        SELECT f.*, c.status AS cstatus, c.decision_id AS standing, tr.to_status, tr.who, tr.role,
               cl.reviewer AS claim_by, cl.until_ms AS claim_until,
               CASE WHEN f.reviewer IS DISTINCT FROM v_login THEN 'rejected'
                    WHEN c.id IS NULL THEN 'rejected'
                    WHEN tr.event IS NULL THEN 'conflict'
                    WHEN tr.role = 'lead' AND NOT v_lead THEN 'rejected'
                    WHEN tr.who = 'not_appealed' AND v_login =
                         (SELECT w.reviewer FROM fb_decision w WHERE w.id = c.decision_id) THEN 'rejected'
                    WHEN tr.who NOT IN ('any', 'not_appealed') THEN 'rejected'
                    WHEN cl.reviewer IS NOT NULL AND NOT f.claim_override THEN 'conflict'
                    ELSE 'accepted' END AS verdict
          FROM f CROSS JOIN t
          LEFT JOIN c ON c.id = f.case_id
          LEFT JOIN fb_lc_event ev ON ev.action = f.action AND ev.pending = (f.approval = 'pending')
          LEFT JOIN fb_lc_transition tr ON tr.from_status = c.status AND tr.event = ev.event
          LEFT JOIN fb_live_claim cl ON cl.case_id = f.case_id AND cl.reviewer <> v_login),
    ins AS (
        INSERT INTO fb_decision (id, case_id, reviewer, action, violation, days, decided_at, supersedes,
                                 approval, claim_override, payload, outcome, reason, winner, received_at,
                                 policy_version, claim_overrode)
        SELECT id, case_id, v_login, action, violation, days, decided_at, supersedes, approval,
               claim_override, payload, verdict,
               CASE WHEN verdict = 'rejected' AND reviewer IS DISTINCT FROM v_login THEN
                      format('decision by %s pushed by login %s: upstream records every decision under the '
                             'login that pushes it (set the console''s reviewer name to %s)',
                             coalesce(reviewer, '(none)'), v_login, v_login)
                    WHEN verdict = 'rejected' AND cstatus IS NULL THEN format('case %s is not upstream', case_id)
                    WHEN verdict = 'rejected' AND role = 'lead' AND NOT v_lead THEN
                      format('case %s is %s: only a lead decides it, and login %s is not in fbreview_lead',
                             case_id, replace(cstatus, '_', ' '), v_login)
                    WHEN verdict = 'rejected' THEN
                      format('case %s: the appeal is against %s''s own decision %s; another reviewer decides it',
                             case_id, v_login, standing)
                    WHEN verdict = 'conflict' AND to_status IS NULL THEN
                      format('case %s is already %s: decision %s (%s) by %s wins', case_id,
                             replace(cstatus, '_', ' '), coalesce(standing::text, 'none'),
                             coalesce((SELECT w.action FROM fb_decision w WHERE w.id = standing), 'just now'),
                             coalesce((SELECT w.reviewer FROM fb_decision w WHERE w.id = standing),
                                      'another reviewer'))
                    WHEN verdict = 'conflict' THEN
                      format('case %s is claimed by %s until %s', case_id, claim_by,
                             to_char(to_timestamp(claim_until / 1000.0) AT TIME ZONE 'UTC',
                                     'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
               END,
               CASE WHEN verdict = 'conflict' AND to_status IS NULL THEN standing END, (SELECT now FROM t),
               policy_version,
               CASE WHEN verdict = 'accepted' AND claim_override THEN claim_by END
          FROM judged
        ON CONFLICT (id) DO NOTHING
        RETURNING id, case_id, outcome, reason, winner, action, policy_version, claim_overrode),
    -- The accepted cases move where the table says.
    upd AS (
        UPDATE fb_case c SET status = j.to_status,
                             decision_id = i.id, updated_at = (SELECT now FROM t), xid = pg_current_xact_id()
          FROM ins i JOIN judged j ON j.id = i.id WHERE i.outcome = 'accepted' AND c.id = i.case_id RETURNING c.id),
    rel AS (UPDATE fb_claim cl SET until_ms = (SELECT now FROM t), xid = pg_current_xact_id()
              FROM ins i WHERE i.outcome = 'accepted' AND cl.case_id = i.case_id AND cl.until_ms > (SELECT now FROM t)
            RETURNING cl.case_id),
    -- One audit row for the batch: "id case action outcome policy_version [claim_overrode]"
    -- per decision, as one string (a jsonb object per row would cost more than the judging).
    aud AS (SELECT fb_audit_append('decisions',
                     (SELECT jsonb_build_object('n', count(*), 'rows', string_agg(
                                 concat_ws(' ', i.id, i.case_id, i.action, i.outcome,
                                           coalesce(i.policy_version::text, '-'), i.claim_overrode), ';'))
                        FROM ins i HAVING count(*) > 0)) AS done)
    SELECT s.seq, coalesce(i.outcome, (SELECT d.outcome FROM fb_decision d WHERE d.id = s.id)),
           coalesce(i.reason, (SELECT d.reason FROM fb_decision d WHERE d.id = s.id AND i.id IS NULL), ''),
           coalesce(i.winner, (SELECT d.winner FROM fb_decision d WHERE d.id = s.id AND i.id IS NULL))::text
      FROM f s
      LEFT JOIN ins i ON i.id = s.id
      CROSS JOIN aud
     ORDER BY s.seq;
END $$;

-- The other outbox kinds, applied in order inside the caller's transaction: approval (and
-- send-back), appeal, note; 'undo' carries nothing upstream needs. Answers each item.
CREATE OR REPLACE FUNCTION fb_push_items(p_kinds text[], p_payloads jsonb[])
RETURNS TABLE (i integer, outcome text, reason text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_variable
DECLARE
    v_login text := session_user;
    v_lead boolean := fb_is_lead();
    v_role text;
    k integer;
    p jsonb;
    d record;
    tr record;
    v_n integer;
    v_audit jsonb := '[]'::jsonb;
    v_now bigint := (extract(epoch FROM statement_timestamp()) * 1000)::bigint;
BEGIN
    PERFORM fb_require('fbreview_reviewer', 'push approvals, appeals and notes');
    PERFORM fb_write_begin();
    SELECT coalesce((SELECT approver_role FROM fb_policy ORDER BY version DESC LIMIT 1), 'lead') INTO v_role;
    FOR k IN 1 .. coalesce(array_length(p_kinds, 1), 0) LOOP
        p := p_payloads[k];
        i := k;
        outcome := 'accepted';
        reason := NULL;
        IF p_kinds[k] = 'approval' THEN
            SELECT x.id, x.case_id, x.reviewer, x.approval INTO d FROM fb_decision x
             WHERE x.id = fb_uuid(p->>'decision_id') AND x.outcome = 'accepted';
            IF NOT FOUND THEN
                outcome := 'rejected';
                reason := format('approval %s: its decision is not accepted upstream', p->>'decision_id');
            ELSIF (p->>'by') IS DISTINCT FROM v_login THEN
                outcome := 'rejected';
                reason := format('approval by %s pushed by login %s: upstream records every approval under the '
                                 'login that pushes it', coalesce(p->>'by', '(none)'), v_login);
            ELSIF EXISTS (SELECT FROM fb_approval a WHERE a.decision_id = d.id) THEN
                -- a re-push, or another approver answered first: the first answer stands
                outcome := CASE WHEN EXISTS (SELECT FROM fb_approval a WHERE a.decision_id = d.id
                                                AND a.by_reviewer = v_login) THEN 'accepted' ELSE 'conflict' END;
                IF outcome = 'conflict' THEN
                    reason := format('block %s was already answered by %s', d.id,
                                     (SELECT a.by_reviewer FROM fb_approval a WHERE a.decision_id = d.id));
                END IF;
            ELSE
                -- The case must be in a status that takes the event (fb_lc_transition); the
                -- row's who and role say who may (approver_role = reviewer relaxes role lead).
                SELECT t.to_status, t.who, t.role INTO tr
                  FROM fb_case c JOIN fb_lc_transition t ON t.from_status = c.status
                       AND t.event = CASE WHEN p->>'approval' = 'approved' THEN 'approve' ELSE 'send_back' END
                 WHERE c.id = d.case_id AND c.decision_id = d.id FOR UPDATE OF c;
                IF NOT FOUND THEN
                    outcome := 'rejected';
                    reason := format('decision %s is not a block waiting for approval', d.id);
                ELSIF tr.who = 'other' AND d.reviewer = v_login THEN
                    outcome := 'rejected';
                    reason := format('four eyes: %s proposed block %s; a block needs a reviewer other than its proposer',
                                     v_login, d.id);
                ELSIF tr.who NOT IN ('any', 'other') THEN
                    outcome := 'rejected';
                    reason := format('block %s: login %s may not answer it', d.id, v_login);
                ELSIF tr.role = 'lead' AND v_role <> 'reviewer' AND NOT v_lead THEN
                    outcome := 'rejected';
                    reason := format('only a lead approves or sends back a block (policy approver_role = lead); '
                                     'login %s is not in fbreview_lead', v_login);
                ELSE
                    INSERT INTO fb_approval (decision_id, approval, by_reviewer, rationale, at)
                    VALUES (d.id, p->>'approval', v_login, p->>'rationale', (p->>'at')::bigint);
                    UPDATE fb_decision x SET approval = p->>'approval' WHERE x.id = d.id;
                    -- Back to open, a case has no standing decision.
                    UPDATE fb_case c SET status = tr.to_status,
                                         decision_id = CASE WHEN tr.to_status = 'open' THEN NULL ELSE c.decision_id END,
                                         updated_at = v_now
                     WHERE c.id = d.case_id AND c.decision_id = d.id;
                END IF;
            END IF;
        ELSIF p_kinds[k] = 'appeal' THEN
            SELECT x.id, x.case_id INTO d FROM fb_decision x
             WHERE x.id = fb_uuid(p->>'decision_id') AND x.outcome = 'accepted';
            IF NOT FOUND OR fb_uuid(p->>'appeal_id') IS NULL THEN
                outcome := 'rejected';
                reason := format('appeal %s: its decision is not accepted upstream', p->>'decision_id');
            ELSIF EXISTS (SELECT FROM fb_appeal a WHERE a.id = fb_uuid(p->>'appeal_id')) THEN
                NULL;   -- a re-push: the first answer stands
            ELSE
                SELECT t.to_status, t.who, t.role INTO tr
                  FROM fb_case c JOIN fb_lc_transition t ON t.from_status = c.status AND t.event = 'appeal'
                 WHERE c.id = d.case_id AND c.decision_id = d.id FOR UPDATE OF c;
                IF NOT FOUND OR tr.who <> 'any' OR (tr.role = 'lead' AND NOT v_lead) THEN
                    outcome := 'rejected';
                    reason := format('appeal %s: case %s is %s; only the standing decision of a decided case can be '
                                     'appealed', p->>'appeal_id', d.case_id,
                                     coalesce((SELECT replace(c.status, '_', ' ') FROM fb_case c WHERE c.id = d.case_id),
                                              'gone'));
                ELSE
                    INSERT INTO fb_appeal (id, decision_id, case_id, text, received_at, by_reviewer)
                    VALUES (fb_uuid(p->>'appeal_id'), d.id, d.case_id, p->>'text', (p->>'at')::bigint, v_login)
                    ON CONFLICT (id) DO NOTHING;
                    GET DIAGNOSTICS v_n = ROW_COUNT;
                    IF v_n > 0 THEN
                        UPDATE fb_case c SET status = tr.to_status, updated_at = v_now
                         WHERE c.id = d.case_id AND c.decision_id = d.id;
                    END IF;
                END IF;
            END IF;
        ELSIF p_kinds[k] = 'note' THEN
            IF (p->>'reviewer') IS DISTINCT FROM v_login THEN
                outcome := 'rejected';
                reason := format('note by %s pushed by login %s: upstream records every note under the login '
                                 'that pushes it', coalesce(p->>'reviewer', '(none)'), v_login);
            ELSE
                INSERT INTO fb_note (case_id, reviewer, at, text)
                VALUES (p->>'case_id', v_login, (p->>'at')::bigint, p->>'text')
                ON CONFLICT DO NOTHING;
            END IF;
        ELSIF p_kinds[k] = 'undo' THEN
            NULL;
        ELSE
            outcome := 'rejected';
            reason := format('unknown outbox kind %s', p_kinds[k]);
        END IF;
        v_audit := v_audit || jsonb_build_array(jsonb_strip_nulls(jsonb_build_object(
                       'kind', p_kinds[k], 'payload', p, 'outcome', outcome, 'reason', reason)));
        RETURN NEXT;
    END LOOP;
    IF jsonb_array_length(v_audit) > 0 THEN
        PERFORM fb_audit_append('items', v_audit);
    END IF;
END $$;

-- Takes or renews a lease for the login with one conditional upsert (migration 1's rules).
CREATE OR REPLACE FUNCTION fb_claim_take(p_case text, p_lease_ms bigint)
RETURNS TABLE (granted boolean, holder text, until_ms bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_login text := session_user;
    v_now bigint := (extract(epoch FROM statement_timestamp()) * 1000)::bigint;
BEGIN
    PERFORM fb_require('fbreview_reviewer', 'claim cases');
    PERFORM fb_write_begin();
    RETURN QUERY
    WITH take AS (
        INSERT INTO fb_claim AS cl (case_id, reviewer, until_ms) VALUES (p_case, v_login, v_now + p_lease_ms)
        ON CONFLICT (case_id) DO UPDATE SET reviewer = EXCLUDED.reviewer, until_ms = EXCLUDED.until_ms
         WHERE cl.until_ms <= v_now OR cl.reviewer = EXCLUDED.reviewer
        RETURNING cl.reviewer, cl.until_ms),
    aud AS (SELECT fb_audit_append('claim', (SELECT jsonb_build_object('case', p_case, 'until_ms', t.until_ms)
                                               FROM take t)) AS done)
    SELECT true, t.reviewer, t.until_ms FROM take t CROSS JOIN aud
    UNION ALL
    SELECT false, cl.reviewer, cl.until_ms FROM fb_claim cl CROSS JOIN aud
     WHERE cl.case_id = p_case AND NOT EXISTS (SELECT FROM take);
END $$;

CREATE OR REPLACE FUNCTION fb_claim_release(p_case text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    v_now bigint := (extract(epoch FROM statement_timestamp()) * 1000)::bigint;
    v_n integer;
BEGIN
    PERFORM fb_require('fbreview_reviewer', 'release claims');
    PERFORM fb_write_begin();
    UPDATE fb_claim SET until_ms = v_now WHERE case_id = p_case AND reviewer = session_user AND until_ms > v_now;
    GET DIAGNOSTICS v_n = ROW_COUNT;
    IF v_n > 0 THEN
        PERFORM fb_audit_append('release', jsonb_build_object('case', p_case));
    END IF;
END $$;

-- Cases (and their accounts' prior actions) put upstream by an admin: the last line wins
-- for a case given twice; a case with an accepted decision keeps its evidence.
CREATE TYPE fb_case_row AS (line bigint, id text, doc jsonb);
CREATE OR REPLACE FUNCTION fb_import_cases(p_rows fb_case_row[])
RETURNS TABLE (added bigint, updated bigint, kept bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
BEGIN
    PERFORM fb_require('fbreview_admin', 'import cases');
    PERFORM fb_write_begin();
    RETURN QUERY
    WITH s0 AS (SELECT * FROM unnest(p_rows)),
    src AS (SELECT DISTINCT ON (id) id, doc FROM s0 ORDER BY id, line DESC),
    kept AS (SELECT s.id FROM src s JOIN fb_case c ON c.id = s.id
              WHERE c.decision_id IS NOT NULL
                 OR EXISTS (SELECT 1 FROM fb_decision d WHERE d.case_id = c.id AND d.outcome = 'accepted')),
    up AS (INSERT INTO fb_case AS c (id, doc, updated_at)
           SELECT id, doc, (extract(epoch FROM statement_timestamp()) * 1000)::bigint FROM src
            WHERE id NOT IN (SELECT id FROM kept)
           ON CONFLICT (id) DO UPDATE SET doc = EXCLUDED.doc, updated_at = EXCLUDED.updated_at
           RETURNING c.id, (xmax = 0) AS new),
    pri AS (INSERT INTO fb_prior_action (account_id, action, violation, at)
            SELECT DISTINCT a->>'id', pr->>'action', coalesce(pr->>'violation', ''),
                   (extract(epoch FROM (pr->>'at')::timestamptz) * 1000)::bigint
              FROM s0 s, jsonb_array_elements(s.doc->'accounts') a,
                   jsonb_array_elements(coalesce(a->'prior', '[]'::jsonb)) pr
            ON CONFLICT DO NOTHING RETURNING 1),
    aud AS (SELECT fb_audit_append('import', jsonb_build_object(
                       'cases', (SELECT jsonb_agg(u.id ORDER BY u.id) FROM up u),
                       'prior_actions', (SELECT count(*) FROM pri))) AS done)
    SELECT (SELECT count(*) FROM up WHERE new), (SELECT count(*) FROM up WHERE NOT new),
           (SELECT count(*) FROM kept) FROM aud;
END $$;

-- A new policy version (admin): returns its number.
CREATE OR REPLACE FUNCTION fb_policy_publish(p_body text, p_approver_role text) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    v integer;
BEGIN
    PERFORM fb_require('fbreview_admin', 'publish the policy');
    PERFORM fb_write_begin();
    SELECT coalesce(max(version), 0) + 1 INTO v FROM fb_policy;
    INSERT INTO fb_policy (version, body, approver_role, published_by, published_at)
    VALUES (v, p_body, p_approver_role, session_user, (extract(epoch FROM statement_timestamp()) * 1000)::bigint);
    PERFORM fb_audit_append('policy', jsonb_build_object('version', v, 'approver_role', p_approver_role,
                                                         'sha256', encode(sha256(convert_to(p_body, 'UTF8')), 'hex')));
    RETURN v;
END $$;

-- Privileges: nobody but the owner writes a table; the roles read and call the functions.
REVOKE ALL ON fb_schema_version, fb_case, fb_decision, fb_appeal, fb_approval, fb_claim, fb_prior_action,
              fb_note, fb_policy, fb_audit, fb_lc_transition, fb_lc_event, fb_live_claim FROM PUBLIC;
GRANT SELECT ON fb_schema_version, fb_case, fb_decision, fb_appeal, fb_approval, fb_claim, fb_prior_action,
                fb_note, fb_policy, fb_audit, fb_lc_transition, fb_lc_event, fb_live_claim
   TO fbreview_reviewer, fbreview_admin;
REVOKE ALL ON FUNCTION fb_audit_append(text, jsonb), fb_write_begin(), fb_push_decisions(fb_push_row[]),
                       fb_push_items(text[], jsonb[]), fb_claim_take(text, bigint), fb_claim_release(text),
                       fb_import_cases(fb_case_row[]), fb_policy_publish(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION fb_push_decisions(fb_push_row[]), fb_push_items(text[], jsonb[]),
                          fb_claim_take(text, bigint), fb_claim_release(text) TO fbreview_reviewer;
GRANT EXECUTE ON FUNCTION fb_import_cases(fb_case_row[]), fb_policy_publish(text, text) TO fbreview_admin;
-- Any login may read the schema version, so a login without a role is told what it lacks.
GRANT SELECT ON fb_schema_version TO PUBLIC;

-- migration 5
-- One judge. Every write is judged by fb_lc_may, which reads only rows `fbreview upstream
-- init` writes from the binary's lifecycle table (core/lifecycle.h) after the migrations,
-- in the same transaction: the statuses (fb_lc_status), the transitions and events, the
-- meaning of each who value (fb_lc_who) and role (fb_lc_role), and the defaults of the
-- [policy] settings the judge reads (fb_lc_setting), which the published policy's
-- settings override. fb_lc_claim_live (what a live claim is) is written by init from the
-- same header. Nothing below spells a status, a who value or a role out.
CREATE TABLE IF NOT EXISTS fb_lc_status (
    status   text PRIMARY KEY,
    initial  boolean NOT NULL DEFAULT false     -- a new case's status; no decision stands in it
);
-- who: the one acting must (must_be) or must not be the subject (proposer, appealed,
-- owner; none: anyone), unless the [policy] setting named by switch is false.
CREATE TABLE IF NOT EXISTS fb_lc_who (
    who      text PRIMARY KEY,
    subject  text NOT NULL,
    must_be  boolean NOT NULL,
    switch   text,
    words    text NOT NULL
);
-- role: held by membership of grp; a role without grp is the role its [policy] setting names.
CREATE TABLE IF NOT EXISTS fb_lc_role (
    role     text PRIMARY KEY,
    grp      text,
    setting  text,
    words    text NOT NULL
);
CREATE TABLE IF NOT EXISTS fb_lc_setting (
    key      text PRIMARY KEY,
    value    jsonb NOT NULL
);
-- Every event now (decisions and the rest), with its words and the approval answer it records.
ALTER TABLE fb_lc_event ALTER COLUMN action DROP NOT NULL;
ALTER TABLE fb_lc_event ADD COLUMN IF NOT EXISTS approval text;
ALTER TABLE fb_lc_event ADD COLUMN IF NOT EXISTS words text;

-- The statuses a case may have are the rows of fb_lc_status: migration 1's hand-written
-- CHECK goes, and init writes fb_case_status_lc from the rows (fb_lc_status_constrain),
-- in the same transaction. A CHECK costs nothing per row, where a foreign key would cost
-- a lookup and a row lock for every case a push moves.
ALTER TABLE fb_case DROP CONSTRAINT IF EXISTS fb_case_status_check;
CREATE OR REPLACE FUNCTION fb_lc_status_constrain() RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_list text := (SELECT array_agg(status ORDER BY status)::text FROM fb_lc_status);
    v_oid oid := (SELECT k.oid FROM pg_constraint k
                   WHERE k.conname = 'fb_case_status_lc' AND k.conrelid = 'fb_case'::regclass);
BEGIN
    -- Rewritten (and every case checked) only when the list changed.
    IF v_list IS DISTINCT FROM obj_description(v_oid, 'pg_constraint') THEN
        IF v_oid IS NOT NULL THEN
            ALTER TABLE fb_case DROP CONSTRAINT fb_case_status_lc;
        END IF;
        EXECUTE format('ALTER TABLE fb_case ADD CONSTRAINT fb_case_status_lc CHECK (status = ANY (%L::text[]))',
                       v_list);
        EXECUTE format('COMMENT ON CONSTRAINT fb_case_status_lc ON fb_case IS %L', v_list);
    END IF;
END $$;
-- A new case starts in the table's initial status.
CREATE OR REPLACE FUNCTION fb_lc_initial() RETURNS text
LANGUAGE sql STABLE AS $$ SELECT status FROM fb_lc_status WHERE initial $$;
ALTER TABLE fb_case ALTER COLUMN status SET DEFAULT fb_lc_initial();

-- What an undo needs: the status and standing decision the decision replaced; and when it
-- was undone (by its owner: the judge allows no one else; the audit names the login).
ALTER TABLE fb_decision ADD COLUMN IF NOT EXISTS from_status text;
ALTER TABLE fb_decision ADD COLUMN IF NOT EXISTS prev_decision uuid;
ALTER TABLE fb_decision ADD COLUMN IF NOT EXISTS undone_at bigint;

-- A policy version carries the settings the judge reads (checked and extracted by
-- fbreview from the body when it publishes), not one column per setting.
ALTER TABLE fb_policy ADD COLUMN IF NOT EXISTS settings jsonb NOT NULL DEFAULT '{}';
UPDATE fb_policy SET settings = jsonb_build_object('approver_role', approver_role);
ALTER TABLE fb_policy DROP COLUMN approver_role;
-- The message analyser's phrase rules (data/lexicon.tsv, data/frames.tsv formats), checked
-- by fbreview before publishing; NULL: the version carries none (consoles keep their own).
ALTER TABLE fb_policy ADD COLUMN IF NOT EXISTS lexicon text;
ALTER TABLE fb_policy ADD COLUMN IF NOT EXISTS frames text;
ALTER TABLE fb_policy ADD CONSTRAINT fb_policy_rules_both CHECK ((lexicon IS NULL) = (frames IS NULL));

-- The judge's settings: the defaults, then the current policy's.
CREATE OR REPLACE FUNCTION fb_lc_settings() RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT coalesce((SELECT jsonb_object_agg(key, value) FROM fb_lc_setting), '{}'::jsonb)
           || coalesce((SELECT settings FROM fb_policy ORDER BY version DESC LIMIT 1), '{}'::jsonb)
$$;

-- May p_login take p_event in a case that is p_status? verdict: ok | not_in_status |
-- not_role | not_who (lifecycle.h's lc_verdict; the who-rule is asked before the role, as
-- lifecycle_may does); to_status: where the case goes (same and prev resolved: prev is
-- p_prev, the status before the decision an undo reverses); reason: why not, in words.
-- The subjects the who-rule compares with: p_proposer (of the block), p_appealed (whose
-- decision is appealed), p_owner (of the decision or claim). One SQL statement, so it is
-- inlined into set-based callers.
CREATE OR REPLACE FUNCTION fb_lc_may(p_status text, p_event text, p_login text, p_proposer text, p_appealed text,
                                     p_owner text, p_prev text, p_settings jsonb)
RETURNS TABLE (verdict text, to_status text, reason text)
LANGUAGE sql STABLE AS $$
    SELECT v.verdict,
           CASE WHEN v.verdict = 'ok' THEN
               CASE t.to_status WHEN 'same' THEN p_status WHEN 'prev' THEN p_prev ELSE t.to_status END END,
           CASE v.verdict
               WHEN 'not_in_status' THEN
                   format('%s is not allowed in a case that is %s', coalesce(e.words, p_event, 'this'),
                          replace(coalesce(p_status, 'not upstream'), '_', ' '))
               WHEN 'not_role' THEN
                   format('only %s may %s (the case is %s), and login %s is not in %s%s', coalesce(nr.words, '?'),
                          e.words, replace(p_status, '_', ' '), p_login, coalesce(nr.grp, '?'),
                          CASE WHEN r.setting IS NOT NULL THEN
                               format(' (policy %s = %s)', r.setting, p_settings->>r.setting) ELSE '' END)
               WHEN 'not_who' THEN
                   format('only %s may %s, which login %s is not (%s: %s)', coalesce(w.words, t.who), e.words,
                          p_login, w.subject, coalesce(s.subj, 'none'))
           END
      FROM (SELECT 1) one
      LEFT JOIN fb_lc_transition t ON t.from_status = p_status AND t.event = p_event
      LEFT JOIN fb_lc_event e ON e.event = p_event
      LEFT JOIN fb_lc_role r ON r.role = t.role
      LEFT JOIN fb_lc_role nr ON nr.role = CASE WHEN r.setting IS NULL THEN r.role ELSE p_settings->>r.setting END
                             AND nr.setting IS NULL
      LEFT JOIN fb_lc_who w ON w.who = t.who
      CROSS JOIN LATERAL (SELECT CASE w.subject WHEN 'proposer' THEN p_proposer WHEN 'appealed' THEN p_appealed
                                                WHEN 'owner' THEN p_owner END AS subj) s
      CROSS JOIN LATERAL (SELECT CASE
              WHEN t.event IS NULL THEN 'not_in_status'
              WHEN w.who IS NULL THEN 'not_who'
              WHEN w.subject IS DISTINCT FROM 'none'
                   AND coalesce((p_settings->>w.switch)::boolean, true)
                   AND coalesce(p_login = s.subj, false) IS DISTINCT FROM w.must_be THEN 'not_who'
              WHEN nr.grp IS NULL OR NOT pg_has_role(p_login, nr.grp, 'MEMBER') THEN 'not_role'
              ELSE 'ok' END AS verdict) v
$$;

-- A live claim (fb_lc_claim_live: written by init from lifecycle.h).
CREATE OR REPLACE VIEW fb_live_claim AS
    SELECT case_id, reviewer, until_ms FROM fb_claim
     WHERE fb_lc_claim_live(reviewer, until_ms, (extract(epoch FROM statement_timestamp()) * 1000)::bigint);

-- The functions' role gates are their EXECUTE grants (below); a lifecycle write's role is
-- the judge's.
DROP FUNCTION IF EXISTS fb_is_lead();

-- Decisions: judged set-based by fb_lc_may. A decision is rejected when the login does not
-- push it under its own name, its case is not upstream, or the judge refuses the login
-- (role or who); a status that does not take the event is a conflict naming the standing
-- decision (winner); another login's live claim is a conflict, unless the decision
-- overrides it and the judge allows claim_override (the overridden login is recorded).
CREATE OR REPLACE FUNCTION fb_push_decisions(p_rows fb_push_row[])
RETURNS TABLE (seq bigint, outcome text, reason text, winner text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_login text := session_user;
    v_settings jsonb := fb_lc_settings();
BEGIN
    PERFORM fb_write_begin();
    RETURN QUERY
    WITH t AS (SELECT (extract(epoch FROM statement_timestamp()) * 1000)::bigint AS now),
    f AS (SELECT * FROM unnest(p_rows)),
    -- Lock the batch's cases in id order (see migration 1).
    c AS MATERIALIZED (SELECT id, status, decision_id FROM fb_case
                        WHERE id IN (SELECT case_id FROM f) ORDER BY id FOR UPDATE),
    -- What the judge needs of each row: the case's status, the event, whose decision
    -- stands (by its key: a plain join would hash all of fb_decision), another's live claim.
    asks AS (
        SELECT f.*, c.id AS cid, c.status AS cstatus, c.decision_id AS standing, ev.event AS cevent,
               sd.reviewer AS appealed, cl.reviewer AS claim_by, cl.until_ms AS claim_until,
               jsonb_build_array(c.status, ev.event, sd.reviewer, cl.reviewer) AS question
          FROM f
          LEFT JOIN c ON c.id = f.case_id
          LEFT JOIN fb_lc_event ev ON ev.action = f.action AND ev.pending = (f.approval = 'pending')
          LEFT JOIN LATERAL (SELECT sd.reviewer FROM fb_decision sd WHERE sd.id = c.decision_id) sd ON true
          LEFT JOIN fb_live_claim cl ON cl.case_id = f.case_id AND cl.reviewer <> v_login),
    -- The judge, once per distinct question (a batch asks a handful, not one per row).
    verdicts AS MATERIALIZED (
        SELECT k.*, m.verdict, m.to_status, m.reason, o.verdict AS overdict, o.reason AS owhy
          FROM (SELECT DISTINCT ON (question) question, cstatus, cevent, appealed, claim_by FROM asks) k
          CROSS JOIN LATERAL fb_lc_may(k.cstatus, k.cevent, v_login, NULL, k.appealed, NULL, NULL, v_settings) m
          LEFT JOIN LATERAL fb_lc_may(k.cstatus, 'claim_override', v_login, NULL, NULL, k.claim_by, NULL,
                                      v_settings) o ON k.claim_by IS NOT NULL),
    judged AS (
        SELECT a.*, v.verdict AS may, v.to_status, v.reason AS why, v.owhy,
               CASE WHEN a.reviewer IS DISTINCT FROM v_login THEN 'rejected'
                    WHEN a.cid IS NULL THEN 'rejected'
                    WHEN v.verdict = 'not_in_status' THEN 'conflict'
                    WHEN v.verdict <> 'ok' THEN 'rejected'
                    WHEN a.claim_by IS NOT NULL AND NOT a.claim_override THEN 'conflict'
                    WHEN a.claim_by IS NOT NULL AND v.overdict <> 'ok' THEN 'rejected'
                    ELSE 'accepted' END AS verdict
          FROM asks a
          -- one equality (hashable, and estimated as such: four IS NOT DISTINCT FROMs made the
          -- planner expect one row and then scan fb_case once per decision)
          JOIN verdicts v ON v.question = a.question),
    ins AS (
        INSERT INTO fb_decision (id, case_id, reviewer, action, violation, days, decided_at, supersedes,
                                 approval, claim_override, payload, outcome, reason, winner, received_at,
                                 policy_version, claim_overrode, from_status, prev_decision)
        SELECT id, case_id, v_login, action, violation, days, decided_at, supersedes, approval,
               claim_override, payload, verdict,
               CASE WHEN verdict = 'rejected' AND reviewer IS DISTINCT FROM v_login THEN
                      format('decision by %s pushed by login %s: upstream records every decision under the '
                             'login that pushes it (set the console''s reviewer name to %s)',
                             coalesce(reviewer, '(none)'), v_login, v_login)
                    WHEN verdict = 'rejected' AND cstatus IS NULL THEN format('case %s is not upstream', case_id)
                    WHEN verdict = 'rejected' AND may <> 'ok' THEN format('case %s: %s', case_id, why)
                    WHEN verdict = 'rejected' THEN format('case %s: %s', case_id, owhy)
                    WHEN verdict = 'conflict' AND may = 'not_in_status' THEN
                      format('case %s is already %s: decision %s (%s) by %s wins', case_id,
                             replace(cstatus, '_', ' '), coalesce(standing::text, 'none'),
                             coalesce((SELECT w.action FROM fb_decision w WHERE w.id = standing), 'just now'),
                             coalesce((SELECT w.reviewer FROM fb_decision w WHERE w.id = standing),
                                      'another reviewer'))
                    WHEN verdict = 'conflict' THEN
                      format('case %s is claimed by %s until %s', case_id, claim_by,
                             to_char(to_timestamp(claim_until / 1000.0) AT TIME ZONE 'UTC',
                                     'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
               END,
               CASE WHEN verdict = 'conflict' AND may = 'not_in_status' THEN standing END, (SELECT now FROM t),
               policy_version,
               CASE WHEN verdict = 'accepted' AND claim_override THEN claim_by END,
               CASE WHEN verdict = 'accepted' THEN cstatus END,
               CASE WHEN verdict = 'accepted' THEN standing END
          FROM judged
        ON CONFLICT (id) DO NOTHING
        RETURNING id, case_id, outcome, reason, winner, action, policy_version, claim_overrode),
    -- The accepted cases move where the judge says.
    upd AS (
        UPDATE fb_case c SET status = j.to_status,
                             decision_id = i.id, updated_at = (SELECT now FROM t), xid = pg_current_xact_id()
          FROM ins i JOIN judged j ON j.id = i.id WHERE i.outcome = 'accepted' AND c.id = i.case_id RETURNING c.id),
    rel AS (UPDATE fb_claim cl SET until_ms = (SELECT now FROM t), xid = pg_current_xact_id()
              FROM ins i WHERE i.outcome = 'accepted' AND cl.case_id = i.case_id
               AND fb_lc_claim_live(cl.reviewer, cl.until_ms, (SELECT now FROM t))
            RETURNING cl.case_id),
    -- One audit row for the batch: "id case action outcome policy_version [claim_overrode]"
    -- per decision, as one string (a jsonb object per row would cost more than the judging).
    aud AS (SELECT fb_audit_append('decisions',
                     (SELECT jsonb_build_object('n', count(*), 'rows', string_agg(
                                 concat_ws(' ', i.id, i.case_id, i.action, i.outcome,
                                           coalesce(i.policy_version::text, '-'), i.claim_overrode), ';'))
                        FROM ins i HAVING count(*) > 0)) AS done)
    SELECT s.seq, coalesce(i.outcome, (SELECT d.outcome FROM fb_decision d WHERE d.id = s.id)),
           coalesce(i.reason, (SELECT d.reason FROM fb_decision d WHERE d.id = s.id AND i.id IS NULL), ''),
           coalesce(i.winner, (SELECT d.winner FROM fb_decision d WHERE d.id = s.id AND i.id IS NULL))::text
      FROM f s
      LEFT JOIN ins i ON i.id = s.id
      CROSS JOIN aud
     ORDER BY s.seq;
END $$;

-- The other kinds, applied in order inside the caller's transaction, each judged by
-- fb_lc_may: approval (the event is the fb_lc_event row recording that answer), appeal,
-- undo (of an accepted decision still standing: back to the status and standing decision
-- it replaced); note (no lifecycle event: recorded under the login). Answers each item.
CREATE OR REPLACE FUNCTION fb_push_items(p_kinds text[], p_payloads jsonb[])
RETURNS TABLE (i integer, outcome text, reason text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_variable
DECLARE
    v_login text := session_user;
    v_settings jsonb := fb_lc_settings();
    k integer;
    p jsonb;
    d record;
    m record;
    v_event text;
    v_status text;
    v_n integer;
    v_audit jsonb := '[]'::jsonb;
    v_now bigint := (extract(epoch FROM statement_timestamp()) * 1000)::bigint;
BEGIN
    PERFORM fb_write_begin();
    FOR k IN 1 .. coalesce(array_length(p_kinds, 1), 0) LOOP
        p := p_payloads[k];
        i := k;
        outcome := 'accepted';
        reason := NULL;
        v_status := NULL;
        IF p_kinds[k] IN ('approval', 'appeal', 'undo') THEN
            SELECT x.id, x.case_id, x.reviewer, x.from_status, x.prev_decision, x.undone_at INTO d FROM fb_decision x
             WHERE x.id = fb_uuid(p->>'decision_id') AND x.outcome = 'accepted';
            IF FOUND THEN
                SELECT c.status INTO v_status FROM fb_case c WHERE c.id = d.case_id AND c.decision_id = d.id
                   FOR UPDATE;
            END IF;
        END IF;
        IF p_kinds[k] = 'approval' THEN
            SELECT e.event INTO v_event FROM fb_lc_event e WHERE e.approval = p->>'approval';
            IF d.id IS NULL THEN
                outcome := 'rejected';
                reason := format('approval %s: its decision is not accepted upstream', p->>'decision_id');
            ELSIF (p->>'by') IS DISTINCT FROM v_login THEN
                outcome := 'rejected';
                reason := format('approval by %s pushed by login %s: upstream records every approval under the '
                                 'login that pushes it', coalesce(p->>'by', '(none)'), v_login);
            ELSIF EXISTS (SELECT FROM fb_approval a WHERE a.decision_id = d.id) THEN
                -- a re-push, or another approver answered first: the first answer stands
                outcome := CASE WHEN EXISTS (SELECT FROM fb_approval a WHERE a.decision_id = d.id
                                                AND a.by_reviewer = v_login) THEN 'accepted' ELSE 'conflict' END;
                IF outcome = 'conflict' THEN
                    reason := format('block %s was already answered by %s', d.id,
                                     (SELECT a.by_reviewer FROM fb_approval a WHERE a.decision_id = d.id));
                END IF;
            ELSE
                SELECT * INTO m FROM fb_lc_may(v_status, v_event, v_login, d.reviewer, NULL, NULL, NULL, v_settings);
                IF v_event IS NULL THEN
                    outcome := 'rejected';
                    reason := format('approval of %s: "%s" is not an answer upstream knows', d.id, p->>'approval');
                ELSIF m.verdict = 'not_in_status' THEN
                    outcome := 'rejected';
                    reason := format('decision %s is not a block waiting for approval', d.id);
                ELSIF m.verdict <> 'ok' THEN
                    outcome := 'rejected';
                    reason := format('block %s: %s', d.id, m.reason);
                ELSE
                    INSERT INTO fb_approval (decision_id, approval, by_reviewer, rationale, at)
                    VALUES (d.id, p->>'approval', v_login, p->>'rationale', (p->>'at')::bigint);
                    UPDATE fb_decision x SET approval = p->>'approval' WHERE x.id = d.id;
                    -- In a status where no decision stands (fb_lc_status.initial), the case has none.
                    UPDATE fb_case c SET status = m.to_status,
                                         decision_id = CASE WHEN (SELECT s.initial FROM fb_lc_status s
                                                                   WHERE s.status = m.to_status)
                                                            THEN NULL ELSE c.decision_id END,
                                         updated_at = v_now
                     WHERE c.id = d.case_id AND c.decision_id = d.id;
                END IF;
            END IF;
        ELSIF p_kinds[k] = 'appeal' THEN
            IF d.id IS NULL OR fb_uuid(p->>'appeal_id') IS NULL THEN
                outcome := 'rejected';
                reason := format('appeal %s: its decision is not accepted upstream', p->>'decision_id');
            ELSIF EXISTS (SELECT FROM fb_appeal a WHERE a.id = fb_uuid(p->>'appeal_id')) THEN
                NULL;   -- a re-push: the first answer stands
            ELSE
                SELECT * INTO m FROM fb_lc_may(v_status, 'appeal', v_login, NULL, NULL, d.reviewer, NULL, v_settings);
                IF m.verdict = 'not_in_status' THEN
                    outcome := 'rejected';
                    reason := format('appeal %s: case %s is %s; only the standing decision of a case that takes an '
                                     'appeal can be appealed', p->>'appeal_id', d.case_id,
                                     coalesce((SELECT replace(c.status, '_', ' ') FROM fb_case c WHERE c.id = d.case_id),
                                              'gone'));
                ELSIF m.verdict <> 'ok' THEN
                    outcome := 'rejected';
                    reason := format('appeal %s: %s', p->>'appeal_id', m.reason);
                ELSE
                    INSERT INTO fb_appeal (id, decision_id, case_id, text, received_at, by_reviewer)
                    VALUES (fb_uuid(p->>'appeal_id'), d.id, d.case_id, p->>'text', (p->>'at')::bigint, v_login)
                    ON CONFLICT (id) DO NOTHING;
                    GET DIAGNOSTICS v_n = ROW_COUNT;
                    IF v_n > 0 THEN
                        UPDATE fb_case c SET status = m.to_status, updated_at = v_now
                         WHERE c.id = d.case_id AND c.decision_id = d.id;
                    END IF;
                END IF;
            END IF;
        ELSIF p_kinds[k] = 'undo' THEN
            IF d.id IS NULL THEN
                outcome := 'rejected';
                reason := format('undo of %s: the decision is not accepted upstream', p->>'decision_id');
            ELSIF d.undone_at IS NOT NULL THEN
                -- a re-push of the owner's undo answers the same; anyone else is told it is gone
                IF d.reviewer IS DISTINCT FROM v_login THEN
                    outcome := 'rejected';
                    reason := format('undo of %s: it was already undone', d.id);
                END IF;
            ELSIF v_status IS NULL THEN
                outcome := 'rejected';
                reason := format('undo of %s: it no longer stands on case %s', d.id, d.case_id);
            ELSE
                SELECT * INTO m FROM fb_lc_may(v_status, 'undo', v_login, NULL, NULL, d.reviewer, d.from_status,
                                               v_settings);
                IF m.verdict <> 'ok' THEN
                    outcome := 'rejected';
                    reason := format('undo of %s: %s', d.id, m.reason);
                ELSIF m.to_status IS NULL THEN
                    outcome := 'rejected';
                    reason := format('undo of %s: upstream did not record the status before it', d.id);
                ELSE
                    UPDATE fb_case c SET status = m.to_status, decision_id = d.prev_decision, updated_at = v_now
                     WHERE c.id = d.case_id AND c.decision_id = d.id;
                    UPDATE fb_decision x SET undone_at = v_now WHERE x.id = d.id;
                END IF;
            END IF;
        ELSIF p_kinds[k] = 'note' THEN
            IF (p->>'reviewer') IS DISTINCT FROM v_login THEN
                outcome := 'rejected';
                reason := format('note by %s pushed by login %s: upstream records every note under the login '
                                 'that pushes it', coalesce(p->>'reviewer', '(none)'), v_login);
            ELSE
                INSERT INTO fb_note (case_id, reviewer, at, text)
                VALUES (p->>'case_id', v_login, (p->>'at')::bigint, p->>'text')
                ON CONFLICT DO NOTHING;
            END IF;
        ELSE
            outcome := 'rejected';
            reason := format('unknown outbox kind %s', p_kinds[k]);
        END IF;
        v_audit := v_audit || jsonb_build_array(jsonb_strip_nulls(jsonb_build_object(
                       'kind', p_kinds[k], 'payload', p, 'outcome', outcome, 'reason', reason)));
        RETURN NEXT;
    END LOOP;
    IF jsonb_array_length(v_audit) > 0 THEN
        PERFORM fb_audit_append('items', v_audit);
    END IF;
END $$;

-- Claims: judged by the table's claim rows (a case in a status without one is not
-- claimed), then one conditional upsert: taken when the old lease is not live
-- (fb_lc_claim_live) or is the login's own. reason says why the judge refused a claim
-- (holder then names a live lease, if any); NULL when another login's live lease is the
-- reason (holder names it).
DROP FUNCTION IF EXISTS fb_claim_take(text, bigint);
CREATE FUNCTION fb_claim_take(p_case text, p_lease_ms bigint)
RETURNS TABLE (granted boolean, holder text, until_ms bigint, reason text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_login text := session_user;
    v_now bigint := (extract(epoch FROM statement_timestamp()) * 1000)::bigint;
    v_status text;
    m record;
BEGIN
    PERFORM fb_write_begin();
    SELECT c.status INTO v_status FROM fb_case c WHERE c.id = p_case FOR UPDATE;
    SELECT * INTO m FROM fb_lc_may(v_status, 'claim', v_login, NULL, NULL, NULL, NULL, fb_lc_settings());
    IF v_status IS NULL OR m.verdict <> 'ok' THEN
        RETURN QUERY
        SELECT false, cl.reviewer, cl.until_ms,
               CASE WHEN v_status IS NULL THEN format('case %s is not upstream', p_case)
                    ELSE format('case %s: %s', p_case, m.reason) END
          FROM (SELECT 1) one LEFT JOIN fb_live_claim cl ON cl.case_id = p_case;
        RETURN;
    END IF;
    RETURN QUERY
    WITH take AS (
        INSERT INTO fb_claim AS cl (case_id, reviewer, until_ms) VALUES (p_case, v_login, v_now + p_lease_ms)
        ON CONFLICT (case_id) DO UPDATE SET reviewer = EXCLUDED.reviewer, until_ms = EXCLUDED.until_ms
         WHERE NOT fb_lc_claim_live(cl.reviewer, cl.until_ms, v_now) OR cl.reviewer = EXCLUDED.reviewer
        RETURNING cl.reviewer, cl.until_ms),
    aud AS (SELECT fb_audit_append('claim', (SELECT jsonb_build_object('case', p_case, 'until_ms', t.until_ms)
                                               FROM take t)) AS done)
    SELECT true, t.reviewer, t.until_ms, NULL::text FROM take t CROSS JOIN aud
    UNION ALL
    SELECT false, cl.reviewer, cl.until_ms, NULL::text FROM fb_claim cl CROSS JOIN aud
     WHERE cl.case_id = p_case AND NOT EXISTS (SELECT FROM take);
END $$;

CREATE OR REPLACE FUNCTION fb_claim_release(p_case text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    v_now bigint := (extract(epoch FROM statement_timestamp()) * 1000)::bigint;
    v_n integer;
BEGIN
    PERFORM fb_write_begin();
    UPDATE fb_claim SET until_ms = v_now
     WHERE case_id = p_case AND reviewer = session_user AND fb_lc_claim_live(reviewer, until_ms, v_now);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    IF v_n > 0 THEN
        PERFORM fb_audit_append('release', jsonb_build_object('case', p_case));
    END IF;
END $$;

-- Cases put upstream by an admin start in the table's initial status (as fb_case's default).
CREATE OR REPLACE FUNCTION fb_import_cases(p_rows fb_case_row[])
RETURNS TABLE (added bigint, updated bigint, kept bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
BEGIN
    PERFORM fb_write_begin();
    RETURN QUERY
    WITH s0 AS (SELECT * FROM unnest(p_rows)),
    src AS (SELECT DISTINCT ON (id) id, doc FROM s0 ORDER BY id, line DESC),
    kept AS (SELECT s.id FROM src s JOIN fb_case c ON c.id = s.id
              WHERE c.decision_id IS NOT NULL
                 OR EXISTS (SELECT 1 FROM fb_decision d WHERE d.case_id = c.id AND d.outcome = 'accepted')),
    up AS (INSERT INTO fb_case AS c (id, doc, status, updated_at)
           SELECT id, doc, fb_lc_initial(), (extract(epoch FROM statement_timestamp()) * 1000)::bigint FROM src
            WHERE id NOT IN (SELECT id FROM kept)
           ON CONFLICT (id) DO UPDATE SET doc = EXCLUDED.doc, updated_at = EXCLUDED.updated_at
           RETURNING c.id, (xmax = 0) AS new),
    pri AS (INSERT INTO fb_prior_action (account_id, action, violation, at)
            SELECT DISTINCT a->>'id', pr->>'action', coalesce(pr->>'violation', ''),
                   (extract(epoch FROM (pr->>'at')::timestamptz) * 1000)::bigint
              FROM s0 s, jsonb_array_elements(s.doc->'accounts') a,
                   jsonb_array_elements(coalesce(a->'prior', '[]'::jsonb)) pr
            ON CONFLICT DO NOTHING RETURNING 1),
    aud AS (SELECT fb_audit_append('import', jsonb_build_object(
                       'cases', (SELECT jsonb_agg(u.id ORDER BY u.id) FROM up u),
                       'prior_actions', (SELECT count(*) FROM pri))) AS done)
    SELECT (SELECT count(*) FROM up WHERE new), (SELECT count(*) FROM up WHERE NOT new),
           (SELECT count(*) FROM kept) FROM aud;
END $$;

-- A new policy version (admin): the body as published, the settings the judge reads and
-- optionally the phrase rules.
DROP FUNCTION IF EXISTS fb_policy_publish(text, text);
CREATE FUNCTION fb_policy_publish(p_body text, p_settings jsonb, p_lexicon text, p_frames text) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    v integer;
BEGIN
    PERFORM fb_write_begin();
    SELECT coalesce(max(version), 0) + 1 INTO v FROM fb_policy;
    INSERT INTO fb_policy (version, body, settings, lexicon, frames, published_by, published_at)
    VALUES (v, p_body, coalesce(p_settings, '{}'::jsonb), p_lexicon, p_frames, session_user,
            (extract(epoch FROM statement_timestamp()) * 1000)::bigint);
    PERFORM fb_audit_append('policy', jsonb_strip_nulls(jsonb_build_object(
        'version', v, 'settings', p_settings,
        'sha256', encode(sha256(convert_to(p_body, 'UTF8')), 'hex'),
        'lexicon_sha256', encode(sha256(convert_to(p_lexicon, 'UTF8')), 'hex'),
        'frames_sha256', encode(sha256(convert_to(p_frames, 'UTF8')), 'hex'))));
    RETURN v;
END $$;
DROP FUNCTION IF EXISTS fb_require(text, text);

REVOKE ALL ON fb_lc_status, fb_lc_who, fb_lc_role, fb_lc_setting FROM PUBLIC;
GRANT SELECT ON fb_lc_status, fb_lc_who, fb_lc_role, fb_lc_setting TO fbreview_reviewer, fbreview_admin;
REVOKE ALL ON FUNCTION fb_claim_take(text, bigint), fb_policy_publish(text, jsonb, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION fb_claim_take(text, bigint) TO fbreview_reviewer;
GRANT EXECUTE ON FUNCTION fb_policy_publish(text, jsonb, text, text) TO fbreview_admin;

-- migration 6
-- The answers an approval records are the approval column of fb_lc_event (init writes it
-- from lifecycle.h's event table): migration 1's hand-written CHECK on fb_approval goes,
-- and init writes fb_approval_lc from the rows (fb_lc_approval_constrain), as it writes
-- fb_case_status_lc from fb_lc_status. Both come from one function, fb_lc_check.
ALTER TABLE fb_approval DROP CONSTRAINT IF EXISTS fb_approval_approval_check;
-- CHECK (p_column = ANY (p_values)) named p_name on p_table, its list kept as the
-- constraint's comment: rewritten (and every row checked) only when the list changed. No
-- values allow nothing (never NULL, which would allow anything). A value a row still
-- holds but the list no longer has fails the ALTER, and init stops rather than strand it.
CREATE OR REPLACE FUNCTION fb_lc_check(p_table regclass, p_name text, p_column text, p_values text[])
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    v_list text := coalesce((SELECT array_agg(DISTINCT v ORDER BY v) FROM unnest(p_values) v), '{}')::text;
    v_oid oid := (SELECT k.oid FROM pg_constraint k WHERE k.conname = p_name AND k.conrelid = p_table);
BEGIN
    IF v_list IS DISTINCT FROM obj_description(v_oid, 'pg_constraint') THEN
        IF v_oid IS NOT NULL THEN
            EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', p_table, p_name);
        END IF;
        EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I CHECK (%I = ANY (%L::text[]))',
                       p_table, p_name, p_column, v_list);
        EXECUTE format('COMMENT ON CONSTRAINT %I ON %s IS %L', p_name, p_table, v_list);
    END IF;
END $$;
-- The statuses a case may have (migration 5's body, now through fb_lc_check: the same
-- list text, so an upgraded upstream keeps its constraint unless the statuses changed).
CREATE OR REPLACE FUNCTION fb_lc_status_constrain() RETURNS void
LANGUAGE sql AS $$
    SELECT fb_lc_check('fb_case', 'fb_case_status_lc', 'status', (SELECT array_agg(status) FROM fb_lc_status))
$$;
-- The answers an approval may record: those the approval events record.
CREATE OR REPLACE FUNCTION fb_lc_approval_constrain() RETURNS void
LANGUAGE sql AS $$
    SELECT fb_lc_check('fb_approval', 'fb_approval_lc', 'approval',
                       (SELECT array_agg(approval) FROM fb_lc_event WHERE approval IS NOT NULL))
$$;
REVOKE ALL ON FUNCTION fb_lc_check(regclass, text, text, text[]), fb_lc_status_constrain(),
                       fb_lc_approval_constrain() FROM PUBLIC;
