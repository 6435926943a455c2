#!/usr/bin/env python3
"""A change feed under concurrent writers, read by a polling reader; run by
test/t/101_reactive_changefeed_readers.pl.

Four writer threads run transactions of one to three changes each on a
table with a change feed: creates of new records, increments of shared
counters (UPDATE ... SET v = v + 1, which queue on the row lock), deletes
of their own records.  Each transaction sleeps a little before it commits,
so transactions commit out of the order they started in, and one in ten
rolls back (as do the few that deadlock on two counters).  Meanwhile a reader polls SHOW CHANGES FOR TABLE ... SINCE
<last versionstamp read + 1> LIMIT 50, as a consumer resuming from its
cursor does.  At the end the reader must have seen:

  - every change of every committed transaction, exactly once, and nothing
    of a rolled-back one;
  - versionstamps that only grow;
  - each counter's values in order, 1, 2, 3, ... (commit order: a counter's
    next increment waits for the previous one's commit);
  - the transactions' changes together, in the order they were made.

It also checks that commits really came out of start order (a reader that
resumed from the last transaction id it saw would have missed changes).
Connection: libpq environment, as a superuser.  Prints "ok N - what".
"""
import json
import random
import sys
import threading
import time

import psycopg2

WRITERS = 4
TRANSACTIONS = 500
COUNTERS = 8
CHECKS = 0


def ok(cond, what, detail=None):
    global CHECKS
    CHECKS += 1
    if not cond:
        print("not ok %d - %s" % (CHECKS, what))
        if detail is not None:
            print("# " + str(detail)[:4000].replace("\n", "\n# "))
        sys.exit(1)
    print("ok %d - %s" % (CHECKS, what))


def connect(autocommit=True):
    c = psycopg2.connect()
    c.autocommit = autocommit
    return c


def dialect(cur, q, params=None):
    cur.execute("SELECT result FROM dllb.query(%s, %s)", (q, json.dumps(params or {})))
    return [r[0] for r in cur.fetchall()]


committed = []          # per committed transaction: (xid, [expected changes])
committed_lock = threading.Lock()
failures = []


def writer(w):
    rnd = random.Random(w)
    conn = connect(autocommit=False)
    cur = conn.cursor()
    mine = []
    try:
        for t in range(TRANSACTIONS):
            changes = []
            before = list(mine)
            try:
                cur.execute("SELECT pg_current_xact_id()::text::bigint")
                xid = cur.fetchone()[0]
                for _ in range(rnd.randint(1, 3)):
                    op = rnd.random()
                    if op < 0.5 or not mine:
                        rid = "feed:w%d_%d_%d" % (w, t, len(changes))
                        dialect(cur, "INSERT INTO feed {id: $k, xid: $xid, w: $w}",
                                {"k": rid.split(":")[1], "xid": xid, "w": w})
                        changes.append(("create", rid, None))
                        mine.append(rid)
                    elif op < 0.85:
                        c = "feed:c%d" % rnd.randrange(COUNTERS)
                        v = dialect(cur, "UPDATE $r SET v = v + 1 RETURN AFTER", {"r": c})[0]["v"]
                        changes.append(("update", c, v))
                    else:
                        rid = mine.pop(rnd.randrange(len(mine)))
                        dialect(cur, "DELETE $r", {"r": rid})
                        changes.append(("delete", rid, None))
                time.sleep(rnd.random() * 0.004)
                rollback = rnd.random() < 0.1
            except psycopg2.errors.DeadlockDetected:
                # two writers took two counters in opposite orders
                rollback = True
            if rollback:
                conn.rollback()
                mine = before       # as if nothing happened
            else:
                conn.commit()
                with committed_lock:
                    committed.append((xid, changes))
    except Exception as e:          # a failure is reported by the main thread
        failures.append("writer %d: %r" % (w, e))
    finally:
        conn.close()


def main():
    admin = connect()
    cur = admin.cursor()
    dialect(cur, "DEFINE TABLE feed CHANGEFEED 1d")
    for i in range(COUNTERS):
        dialect(cur, "INSERT INTO feed {id: $k, v: 0}", {"k": "c%d" % i})
    cur.execute("SELECT last_value FROM dllb.changefeed_versionstamp")
    start = cur.fetchone()[0] + 1

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(WRITERS)]
    for t in threads:
        t.start()

    reader = connect()
    rcur = reader.cursor()
    sets = []
    last = start - 1
    polls = 0
    while True:
        running = any(t.is_alive() for t in threads)
        got = dialect(rcur, "SHOW CHANGES FOR TABLE feed SINCE $since LIMIT 50", {"since": last + 1})
        polls += 1
        sets.extend(got)
        if got:
            last = got[-1]["versionstamp"]
        elif not running:
            break
    for t in threads:
        t.join()
    ok(not failures, "the writers ran", failures)

    stamps = [s["versionstamp"] for s in sets]
    ok(all(a < b for a, b in zip(stamps, stamps[1:])), "versionstamps grow")
    ok(polls > 10, "the reader read while the writers wrote (%d polls)" % polls)

    def flat(change):
        (action, rec), = [(k, v) for k, v in change.items() if k in ("create", "update", "delete")]
        return (action, rec["id"], rec.get("v") if action == "update" else None)

    seen = [tuple(flat(c) for c in s["changes"]) for s in sets]
    expected = [tuple(ch) for _, ch in committed]
    ok(len(seen) == len(expected), "one change set per committed transaction (%d)" % len(expected),
       (len(seen), len(expected)))
    ok(sorted(seen) == sorted(expected), "each committed transaction's changes, exactly once, in their order")
    total = sum(len(s) for s in seen)
    ok(total > 3000, "thousands of changes (%d)" % total)

    # commit order: a counter's values come in order
    values = {}
    for s in seen:
        for action, rid, v in s:
            if action == "update":
                values.setdefault(rid, []).append(v)
    ok(all(vs == list(range(1, len(vs) + 1)) for vs in values.values()) and len(values) == COUNTERS,
       "each counter's increments come in commit order, 1, 2, 3, ...", values)

    # commits came out of start order: transaction ids do not grow with versionstamps
    xids = [c["create"]["xid"] for s in sets for c in s["changes"][:1] if "create" in c]
    late = sum(1 for a, b in zip(xids, xids[1:]) if b < a)
    ok(late > 0, "transactions committed out of start order (%d times)" % late)

    # a fresh reader from the start sees the same; one from the middle the rest
    again = dialect(rcur, "SHOW CHANGES FOR TABLE feed SINCE $since LIMIT 100000", {"since": start})
    ok(again == sets, "reading again from the start gives the same change sets")
    mid = stamps[len(stamps) // 2]
    rest = dialect(rcur, "SHOW CHANGES FOR TABLE feed SINCE $since LIMIT 100000", {"since": mid})
    ok(rest == [s for s in sets if s["versionstamp"] >= mid], "resuming from a versionstamp gives the rest")

    dialect(cur, "REMOVE TABLE feed")
    print("1..%d" % CHECKS)


if __name__ == "__main__":
    main()
