#!/bin/sh
# Import throughput (DESIGN.md §9: import >= 50,000 cases/s). Prints a figure; never fails
# on time. BENCH_IMPORT_CASES (default 200000) realistic cases: 2 accounts, a link, a
# contract, 2 payments, 1 feedback, 3 messages. Run from the repository root.
# BENCH_IMPORT_POOL=M draws the accounts from M accounts instead of two new ones per case,
# so cases share accounts: clusters and feedback rings form across cases and the import
# keeps them (default: no sharing, as before).
set -eu
n=${BENCH_IMPORT_CASES:-200000}
pool=${BENCH_IMPORT_POOL:-0}
bin=${FB_BIN:-build/fbreview}
dir=$(mktemp -d "${TMPDIR:-/tmp}/fbbench.XXXXXX")
trap 'rm -rf "$dir"' EXIT INT TERM

python3 - "$n" "$pool" > "$dir/cases.jsonl" <<'PY'
import json, random, sys
n, pool = int(sys.argv[1]), int(sys.argv[2])
rnd = random.Random(7)
kinds = ["same_device", "same_ip", "same_payment_method", "same_team", "same_address", "same_email_pattern"]
bodies = ["Hi, thanks for the quick start on this project.",
          "I'll refund you after the 5 stars, just leave a great review please.",
          "Delivered the files, let me know if anything needs changing.",
          "Can you leave honest feedback when you have a moment? Thank you!",
          "Leave 5 stars or I'll leave you 1 star too."]
def t(day, h, m):
    return "2026-%02d-%02dT%02d:%02d:00Z" % (1 + day // 28 % 12, 1 + day % 28, h, m)
w = sys.stdout.write
for i in range(n):
    d = rnd.randrange(330)
    c, f = "u-%d" % (2 * i), "u-%d" % (2 * i + 1)
    if pool > 1:
        a = rnd.randrange(pool)
        c, f = "u-%d" % a, "u-%d" % ((a + 1 + rnd.randrange(pool - 1)) % pool)
    cents = rnd.choice([0, 100, 500, 2500, 12000])
    amt = "%d.%02d" % divmod(cents, 100)
    case = {
        "case_id": "C-%07d" % i, "opened_at": t(d, 12, 0), "source": "rule:fast_feedback",
        "alleged": rnd.choice(["self_hire", "paid_feedback", "fake_job", "feedback_extortion"]),
        "accounts": [
            {"id": c, "role": "client", "name": "Client %d LLC" % i, "country": "US", "created_at": t(d, 1, 0)},
            {"id": f, "role": "freelancer", "name": "Freelancer %d" % i, "country": "DE", "created_at": t(d, 2, 0)}],
        "links": [{"a": c, "b": f, "kind": rnd.choice(kinds), "detail": "card ending %04d" % rnd.randrange(10000)}],
        "contract": {"id": "J-%d" % i, "client": c, "freelancer": f, "title": "Logo design %d" % i,
                     "created_at": t(d, 9, 0), "started_at": t(d, 9, 5), "ended_at": t(d, 9, 20),
                     "budget": amt, "currency": "USD"},
        "payments": [
            {"id": "P-%d-1" % i, "from": c, "to": f, "kind": "payment", "amount": amt, "currency": "USD", "at": t(d, 9, 19)},
            {"id": "P-%d-2" % i, "from": f, "to": c, "kind": "refund", "amount": amt, "currency": "USD", "at": t(d, 9, 40)}],
        "feedback": [{"from": c, "to": f, "rating": 5, "text": "Amazing work, highly recommended!", "at": t(d, 9, 21)}],
        "messages": [{"from": f, "to": c, "at": t(d, 9, 2 + k), "body": rnd.choice(bodies)} for k in range(3)],
    }
    w(json.dumps(case, separators=(",", ":")))
    w("\n")
PY

# Wall time, and CPU time of the import (both threads): on a shared machine the wall
# figure includes waiting for a CPU, the CPU figure does not.
python3 - "$bin" "$dir" "$n" <<'PY'
import os, resource, subprocess, sys, time
bin, d, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
size = os.path.getsize(d + "/cases.jsonl")
t = time.monotonic()
r = subprocess.run([bin, "--db", d + "/bench.db", "import", d + "/cases.jsonl"], stderr=subprocess.PIPE, text=True)
wall = time.monotonic() - t
if r.returncode != 0:
    sys.stderr.write(r.stderr)
    sys.exit(1)
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = ru.ru_utime + ru.ru_stime
pool = os.environ.get("BENCH_IMPORT_POOL", "0")
if pool not in ("", "0"):
    print("import: accounts drawn from a pool of %s (clusters and rings across cases)" % pool)
print("import: %d cases (%.0f MB of JSON) in %.2f s wall = %.0f cases/s (budget >= 50000); "
      "CPU %.2f s user+sys, peak RSS %d MB" % (n, size / 1e6, wall, n / wall, cpu, ru.ru_maxrss // 1024))
PY
