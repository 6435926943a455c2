#!/usr/bin/env python3
"""The reactivity benchmark's measurements (test/bench/reactivity/run.sh runs it).

Write cost: one session updates random records of a 10,000-record table,
one autocommit UPDATE per write, for a few seconds, under each setup (all
on the same table, whose other setups' triggers are disabled meanwhile,
so that every setup writes a table in the same state):

  plain        no reactivity
  live 0       the live triggers, no live query (the table had some)
  live 1       1 live query (LIVE SELECT * FROM t WHERE n >= 0: every write matches)
  live 10/1    10 such live queries in one subscriber session
  live 10/10   10 live queries in 10 sessions
  live 100     100 live queries in 10 sessions
  live 10 sel  10 live queries in 10 sessions that each match a tenth of the writes
  event        DEFINE EVENT ... THEN CREATE a log record (a second write)
  changefeed   DEFINE TABLE ... CHANGEFEED 1d

For each it reports writes per second and, more robust on a shared machine,
the CPU time the writer's backend spent per write (from /proc): the least
of the rounds (other work on the machine only adds to it) and the median;
and the CPU time the subscribers' backends spent per notification.  The
setups run in rounds, in a different order each round, with each setup's
ratio to plain.

Latency: a writer paced at 1,000 writes per second for a few seconds, one
subscriber with one live query; for each notification, the time from the
write's commit (when the writer's COMMIT returned) to its arrival at the
subscriber (a notification may arrive before the writer hears its commit
back: that counts as 0), median and 99th percentile; and from the time the
writer sent the write.

Arguments: host port database seconds rounds.
"""
import json
import os
import random
import select
import statistics
import sys
import threading
import time

import psycopg2

HOST, PORT, DB = sys.argv[1], sys.argv[2], sys.argv[3]
SECONDS = float(sys.argv[4]) if len(sys.argv) > 4 else 2.0
ROUNDS = int(sys.argv[5]) if len(sys.argv) > 5 else 7
ROWS = 10000


def connect():
    c = psycopg2.connect(host=HOST, port=PORT, dbname=DB, user=os.environ.get("PGUSER", "postgres"))
    c.autocommit = True
    return c


def run(conn, sql, params=None):
    with conn.cursor() as cur:
        cur.execute(sql, params)
        try:
            return cur.fetchall()
        except psycopg2.ProgrammingError:
            return None


def cpu_seconds(pid):
    """user + system CPU time of a process, in seconds"""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Subscribers:
    """sessions holding live queries, draining their notifications"""

    def __init__(self, table, sessions, per, cond="n >= 0", cond_of=None):
        self.conns = []
        for s in range(sessions):
            c = connect()
            run(c, "SET search_path = bench_reactive")
            for q in range(per):
                where = cond_of(s * per + q) if cond_of else cond
                run(c, "SELECT result FROM dllb.query(%s)", ("LIVE SELECT * FROM %s WHERE %s" % (table, where),))
            self.conns.append(c)
        self.pids = [run(c, "SELECT pg_backend_pid()")[0][0] for c in self.conns]
        self.count = 0
        self.stop = False
        self.thread = threading.Thread(target=self.drain)
        self.thread.start()

    def drain(self):
        while not self.stop:
            r, _, _ = select.select(self.conns, [], [], 0.1)
            for c in r:
                c.poll()
                self.count += len(c.notifies)
                c.notifies.clear()

    def cpu(self):
        return sum(cpu_seconds(p) for p in self.pids)

    def close(self):
        self.stop = True
        self.thread.join()
        for c in self.conns:
            c.close()


def writes(table, seconds, subs=None, sync="off"):
    """(writes per second, writer CPU µs per write, subscriber CPU µs per notification)"""
    w = connect()
    run(w, "SET synchronous_commit = %s" % sync)
    run(w, "PREPARE w(bigint, int) AS UPDATE bench_reactive.%s SET data = data || "
           "pg_catalog.jsonb_build_object('n', $2) WHERE id = dllb.record('%s', $1)" % (table, table))
    pid = run(w, "SELECT pg_backend_pid()")[0][0]
    i = 0
    cur = w.cursor()
    if subs:
        time.sleep(0.2)
        sub_cpu0, notes0 = subs.cpu(), subs.count
    cpu0 = cpu_seconds(pid)
    start = time.monotonic()
    end = start + seconds
    while time.monotonic() < end:
        i += 1
        cur.execute("EXECUTE w(%s, %s)", ((i * 7919) % ROWS + 1, i))
    elapsed = time.monotonic() - start
    cpu = cpu_seconds(pid) - cpu0
    per_note = None
    if subs:
        time.sleep(0.3)         # the last notifications arrive
        notes = subs.count - notes0
        if notes:
            per_note = (subs.cpu() - sub_cpu0) / notes * 1e6
    w.close()
    return i / elapsed, cpu / i * 1e6, per_note


TRIGGERS = {
    "live": ["dllb_live_insert", "dllb_live_update", "dllb_live_delete"],
    "event": ['"audit EVENT"'],
    "feed": ["dllb_changefeed_insert", "dllb_changefeed_update", "dllb_changefeed_delete",
             "dllb_changefeed_truncate", "dllb_changefeed_commit"],
}


def setup(admin):
    run(admin, """
        DROP SCHEMA IF EXISTS bench_reactive CASCADE;
        CREATE SCHEMA bench_reactive;
        SET search_path = bench_reactive;
    """)
    run(admin, "SELECT dllb.create_table('t')")
    run(admin, "INSERT INTO bench_reactive.t SELECT dllb.record('t', g::bigint), "
               "pg_catalog.jsonb_build_object('n', g, 'grp', g %% 10) FROM generate_series(1, %d) g" % ROWS)
    run(admin, "SELECT dllb.create_table('eventlog')")
    run(admin, "SELECT * FROM dllb.query($$DEFINE EVENT audit ON t THEN CREATE eventlog SET "
               "what = $event, who = $after.id, n = $after.n$$)")
    run(admin, "SELECT dllb.define_changefeed('bench_reactive.t', '1 day')")
    # the live triggers (made by the first LIVE SELECT of the table)
    Subscribers("t", 1, 1).close()
    run(admin, "VACUUM ANALYZE bench_reactive.t")


def only(admin, kind):
    """every setup writes the same table: only kind's triggers enabled (None: none)"""
    for k, names in TRIGGERS.items():
        for name in names:
            run(admin, "ALTER TABLE bench_reactive.t %s TRIGGER %s" % ("ENABLE" if k == kind else "DISABLE", name))


def main():
    admin = connect()
    setup(admin)
    configs = [
        ("plain", None, None),
        ("live 0", "live", None),
        ("live 1", "live", (1, 1, None)),
        ("live 10/1", "live", (1, 10, None)),
        ("live 10/10", "live", (10, 1, None)),
        ("live 100", "live", (10, 10, None)),
        ("live 10 sel", "live", (10, 1, lambda k: "grp = %d" % k)),
        ("event", "event", None),
        ("changefeed", "feed", None),
    ]
    results = {name: [] for name, _, _ in configs}
    # warm up: a pass over the table first (hint bits, pruning, caches)
    only(admin, None)
    writes("t", 1.0)
    order = random.Random(15)
    for r in range(ROUNDS):
        # a different order each round, so that no setup always follows the same one
        for name, kind, subs_cfg in order.sample(configs, len(configs)):
            only(admin, kind)
            subs = None
            if subs_cfg:
                subs = Subscribers("t", subs_cfg[0], subs_cfg[1], cond_of=subs_cfg[2])
            results[name].append(writes("t", SECONDS, subs))
            if subs:
                subs.close()
    only(admin, "live")
    print("== write cost (one writer, autocommit UPDATEs of one table, synchronous_commit off; "
          "%d rounds of %g s)" % (ROUNDS, SECONDS))
    print("   writer CPU per write: the least of the rounds (interference only adds) and the median")
    print("%-12s %10s %8s %10s %8s %10s %8s %16s" % ("setup", "writes/s", "ratio", "cpu us min", "ratio",
                                                   "cpu us med", "ratio", "sub cpu us/note"))
    base_w = statistics.median(x[0] for x in results["plain"])
    base_min = min(x[1] for x in results["plain"])
    base_med = statistics.median(x[1] for x in results["plain"])
    for name, _, _ in configs:
        w = statistics.median(x[0] for x in results[name])
        cmin = min(x[1] for x in results[name])
        cmed = statistics.median(x[1] for x in results[name])
        notes = [x[2] for x in results[name] if x[2] is not None]
        print("%-12s %10.0f %7.2fx %10.1f %7.2fx %10.1f %7.2fx %16s" % (
            name, w, base_w / w, cmin, cmin / base_min, cmed, cmed / base_med,
            "%.1f" % statistics.median(notes) if notes else "-"))
    # with the default synchronous_commit = on, a write waits for its WAL
    # flush, which the reactive features do not change
    synced = {name: [] for name in ("plain", "live 10/1", "live 10/10")}
    for r in range(3):
        for name, kind, subs_cfg in configs:
            if name not in synced:
                continue
            only(admin, kind)
            subs = Subscribers("t", subs_cfg[0], subs_cfg[1]) if subs_cfg else None
            synced[name].append(writes("t", SECONDS, subs, sync="on")[0])
            if subs:
                subs.close()
    only(admin, "live")
    print("== the same with synchronous_commit on (the default): writes/s, medians of 3 rounds")
    for name in synced:
        w = statistics.median(synced[name])
        print("%-12s %10.0f %7.2fx" % (name, w, statistics.median(synced["plain"]) / w))
    if os.environ.get("DLLB_BENCH_ROUNDS"):
        for name, _, _ in configs:
            print("%-12s cpu us/write by round: %s" % (name, ", ".join("%.1f" % x[1] for x in results[name])))
    sys.stdout.flush()
    latency()
    run(admin, "DROP SCHEMA bench_reactive CASCADE")


def latency(rate=1000, seconds=5.0):
    """notification latency at a paced write rate, one live query"""
    sub = connect()
    run(sub, "SET search_path = bench_reactive")
    run(sub, "SELECT result FROM dllb.query('LIVE SELECT n FROM t WHERE n >= 0')")
    w = connect()
    run(w, "SET synchronous_commit = off")
    run(w, "PREPARE w(bigint, int) AS UPDATE bench_reactive.t SET data = data || "
           "pg_catalog.jsonb_build_object('n', $2) WHERE id = dllb.record('t', $1)")
    n = int(rate * seconds)
    sent = [0.0] * (n + 1)
    acked = [0.0] * (n + 1)
    arrived = {}

    def listen():
        deadline = time.monotonic() + seconds + 5
        while len(arrived) < n and time.monotonic() < deadline:
            r, _, _ = select.select([sub], [], [], 0.1)
            if r:
                sub.poll()
                now = time.monotonic()
                for note in sub.notifies:
                    arrived[json.loads(note.payload)["result"]["n"]] = now
                sub.notifies.clear()

    t = threading.Thread(target=listen)
    t.start()
    cur = w.cursor()
    start = time.monotonic()
    for i in range(1, n + 1):
        due = start + (i - 1) / rate
        while True:
            left = due - time.monotonic()
            if left <= 0:
                break
            time.sleep(min(left, 0.0005))
        sent[i] = time.monotonic()
        cur.execute("EXECUTE w(%s, %s)", ((i * 7919) % ROWS + 1, i))
        acked[i] = time.monotonic()
    achieved = n / (time.monotonic() - start)
    t.join()
    lat = sorted(max(0.0, arrived[i] - acked[i]) * 1000 for i in range(1, n + 1) if i in arrived)
    lat_sent = sorted((arrived[i] - sent[i]) * 1000 for i in range(1, n + 1) if i in arrived)

    def pct(xs, p):
        return xs[min(len(xs) - 1, int(len(xs) * p))]

    print("== notification latency at %d writes/s (achieved %.0f), one live query, %d writes, %d received"
          % (rate, achieved, n, len(lat)))
    print("from commit:      median %.2f ms, p99 %.2f ms" % (statistics.median(lat), pct(lat, 0.99)))
    print("from the write:   median %.2f ms, p99 %.2f ms" % (statistics.median(lat_sent), pct(lat_sent, 0.99)))
    w.close()
    sub.close()


if __name__ == "__main__":
    main()
