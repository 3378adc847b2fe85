#!/usr/bin/env python3
"""Checks an `fbreview export` CSV against the store it came from, independently of the
C code: Python's sqlite3 reads the decisions, Python filters, sorts and formats them the
way DESIGN.md section 7 says, and Python's csv module parses the export. Every cell must
match byte for byte after the round trip; every record must end in CRLF.

usage: export_check.py DB CSV [--raw] [--no-bom] [--since MS] [--until MS] [--action A]
                       [--reviewer R] [--rows N]
The file starts with a UTF-8 byte order mark unless --no-bom (then it must have none).
Times are UTC, ISO 8601 without a zone suffix, in columns named *_utc.
Exit 0 when the file is right; otherwise prints the first difference and exits 1."""

import argparse
import csv
import datetime
import io
import sqlite3
import sys

BOM = b"\xef\xbb\xbf"
COLUMNS = ["decision_id", "case_id", "decided_at_utc", "reviewer", "action", "violation",
           "suspension_days", "subject_account", "counterparty_account", "contract_id",
           "recommended_action", "overridden", "approval", "approved_by", "approval_by",
           "approval_rationale", "supersedes", "rationale", "policy_version", "sync_state", "synced_at_utc"]
# Generated cells (times, numbers, booleans, the approval word) are never neutralised;
# text cells are.
NOT_TEXT = {"decided_at_utc", "suspension_days", "overridden", "approval", "policy_version", "synced_at_utc"}
# DESIGN.md section 8: the stored approval and the word the export writes.
APPROVAL_WORD = {b"none": "none", b"pending": "pending", b"approved": "approved", b"rejected": "sent_back"}


def utc_time(ms):
    """2026-11-19T09:19:00 or 2026-11-19T09:19:00.123: UTC, no zone suffix."""
    if ms is None:
        return ""
    secs, frac = divmod(ms, 1000)
    t = datetime.datetime.fromtimestamp(secs, datetime.timezone.utc)
    s = t.strftime("%Y-%m-%dT%H:%M:%S")
    return s + (".%03d" % frac if frac else "")


def neutral(v, raw):
    if not raw and v and v[0] in "=+-@\t\r":
        return "'" + v
    return v


def expected(db, args):
    con = sqlite3.connect(db)
    con.text_factory = bytes   # compare bytes, not whatever Python would decode
    q = ('SELECT d.id, d.case_id, d.decided_at, d.reviewer, d.action, d.violation, d.days,'
         ' c.subject, c.counterparty, c.contract_id, d.rec_action, d.overridden,'
         ' d.approved_by, d.supersedes, d.rationale, d.sync_state, d.synced_at, d.undone_at,'
         ' d.approval, d.approval_rationale, d.policy_version'
         ' FROM decision d LEFT JOIN "case" c ON c.id = d.case_id')
    rows = []
    for r in con.execute(q):
        r = list(r)
        if r[17] is not None:
            continue
        if args.since is not None and r[2] < args.since:
            continue
        if args.until is not None and r[2] >= args.until:
            continue
        if args.action is not None and r[4] != args.action.encode():
            continue
        if args.reviewer is not None and r[3] != args.reviewer.encode():
            continue
        rows.append(r)
    rows.sort(key=lambda r: (r[2], r[0]))
    out = []
    for r in rows:
        dec = lambda b: "" if b is None else b.decode("utf-8")
        word = APPROVAL_WORD[r[18]]
        answered = word in ("approved", "sent_back")
        cells = dict(zip(COLUMNS, [dec(r[0]), dec(r[1]), utc_time(r[2]), dec(r[3]), dec(r[4]),
                                   dec(r[5]), "" if r[6] is None else str(r[6]), dec(r[7]),
                                   dec(r[8]), dec(r[9]), dec(r[10]),
                                   "true" if r[11] else "false", word,
                                   dec(r[12]) if word == "approved" else "",
                                   dec(r[12]) if answered else "",
                                   dec(r[19]) if answered else "",
                                   dec(r[13]), dec(r[14]), "" if r[20] is None else str(r[20]),
                                   dec(r[15]), utc_time(r[16])]))
        out.append([cells[c] if c in NOT_TEXT else neutral(cells[c], args.raw) for c in COLUMNS])
    return out


def check_line_ends(data):
    """Outside quoted fields every CR is followed by LF and every LF preceded by CR.
    Returns the number of records."""
    inq = False
    records = 0
    for i, b in enumerate(data):
        if b == 0x22:
            inq = not inq        # a doubled quote toggles twice
        elif not inq and b == 0x0A:
            if i == 0 or data[i - 1] != 0x0D:
                sys.exit("bare LF ending a record at byte %d" % i)
            records += 1
        elif not inq and b == 0x0D and (i + 1 >= len(data) or data[i + 1] != 0x0A):
            sys.exit("bare CR outside quotes at byte %d" % i)
    if inq:
        sys.exit("file ends inside a quoted field")
    if data and not data.endswith(b"\r\n"):
        sys.exit("the last record does not end in CRLF")
    return records


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("db")
    ap.add_argument("csv")
    ap.add_argument("--raw", action="store_true")
    ap.add_argument("--no-bom", action="store_true")
    ap.add_argument("--since", type=int)
    ap.add_argument("--until", type=int)
    ap.add_argument("--action")
    ap.add_argument("--reviewer")
    ap.add_argument("--rows", type=int)
    args = ap.parse_args()

    with open(args.csv, "rb") as f:
        data = f.read()
    if args.no_bom:
        if data.startswith(BOM):
            sys.exit("a byte order mark, though --no-bom")
    elif not data.startswith(BOM):
        sys.exit("no UTF-8 byte order mark at the start: %r" % data[:8])
    else:
        data = data[len(BOM):]
    header = (",".join(COLUMNS) + "\r\n").encode()
    if not data.startswith(header):
        sys.exit("header differs: %r" % data[:len(header) + 10])
    records = check_line_ends(data)

    got = list(csv.reader(io.StringIO(data.decode("utf-8", errors="strict"), newline=""), strict=True))
    if got[0] != COLUMNS:
        sys.exit("parsed header differs: %r" % got[0])
    got = got[1:]
    if records != len(got) + 1:
        sys.exit("%d CRLF record ends but %d records parsed" % (records, len(got) + 1))
    want = expected(args.db, args)
    if args.rows is not None and len(want) != args.rows:
        sys.exit("the store gives %d rows for this filter, the test expects %d" % (len(want), args.rows))
    if len(got) != len(want):
        sys.exit("%d rows exported, %d expected" % (len(got), len(want)))
    for i, (g, w) in enumerate(zip(got, want)):
        if g != w:
            for c, gv, wv in zip(COLUMNS, g, w):
                if gv != wv:
                    sys.exit("row %d column %s: got %r want %r" % (i + 1, c, gv, wv))
            sys.exit("row %d: got %r want %r" % (i + 1, g, w))
    print("ok: %d rows" % len(got))


if __name__ == "__main__":
    main()
