#!/usr/bin/env python3
"""Live queries seen from a real client (psycopg2), run by test/t/100_reactive_live_client.pl.

A subscriber session starts live queries with dllb.query('LIVE SELECT ...')
(which LISTENs for it), other sessions write, and the subscriber checks that
exactly the expected notifications arrive, in commit order.

"Nothing else arrived" is checked without waiting for time to pass: after
the writes of a step, a writer changes a fence table that a live query of
the subscriber watches.  Notifications come in commit order, so once the
fence's notification is in, every notification of the step's writes is in
too; whatever came before the fence is all there is.

Connection: libpq environment (PGHOST, PGPORT, PGDATABASE) as a superuser,
who sets up roles and tables; the sessions then log in as those roles.
Prints "ok N - what" lines and exits 1 on the first failure.
"""
import json
import os
import select
import sys
import threading
import time

import psycopg2
import psycopg2.extensions

CHECKS = 0
FENCES = 0


def ok(cond, what, detail=None):
    global CHECKS
    CHECKS += 1
    if not cond:
        print("not ok %d - %s" % (CHECKS, what))
        if detail is not None:
            print("# " + str(detail).replace("\n", "\n# "))
        sys.exit(1)
    print("ok %d - %s" % (CHECKS, what))


def connect(user=None, autocommit=True):
    kw = {}
    if user:
        kw["user"] = user
    c = psycopg2.connect(**kw)
    c.autocommit = autocommit
    return c


def run(conn, sql, params=None):
    with conn.cursor() as cur:
        cur.execute(sql, params)
        try:
            return cur.fetchall()
        except psycopg2.ProgrammingError:
            return None


def dialect(conn, q, params=None):
    """the results of dllb.query, one JSON value per row"""
    rows = run(conn, "SELECT result FROM dllb.query(%s, %s)", (q, json.dumps(params or {})))
    return [r[0] for r in rows]


def error_of(conn, sql, params=None):
    """the SQLSTATE an SQL statement fails with (None when it succeeds)"""
    try:
        run(conn, sql, params)
    except psycopg2.Error as e:
        if not conn.autocommit:
            conn.rollback()
        return e.pgcode
    return None


class Subscriber:
    """a session that starts live queries and collects their notifications"""

    def __init__(self, user, setup=None):
        self.conn = connect(user)
        if setup:
            run(self.conn, setup)
        self.got = []
        self.fence_id = self.live("LIVE SELECT * FROM fence")

    def live(self, q, params=None):
        return dialect(self.conn, q, params)[0]

    def drain(self, timeout=30.0):
        """notifications up to this drain's fence (excluded)"""
        global FENCES
        FENCES += 1
        with writer() as w:
            run(w, "INSERT INTO fence (id, data) VALUES (dllb.record('fence', %s::bigint), '{}')",
                (FENCES,))
        fence = "fence:%d" % FENCES
        deadline = time.monotonic() + timeout
        out = []
        while True:
            self.conn.poll()
            while self.conn.notifies:
                n = self.conn.notifies.pop(0)
                p = json.loads(n.payload)
                if n.channel != "dllb_live_" + p["id"]:
                    ok(False, "the channel names the live query", (n.channel, p))
                if p["id"] == self.fence_id:
                    if p["record"] == fence:
                        return out
                    continue        # another subscriber's fence
                out.append(p)
            left = deadline - time.monotonic()
            if left <= 0:
                ok(False, "the fence's notification arrives", out)
            select.select([self.conn], [], [], left)

    def close(self):
        self.conn.close()


class writer:
    """a short-lived writing session (as live_writer)"""

    def __enter__(self):
        self.conn = connect("live_writer")
        return self.conn

    def __exit__(self, *exc):
        self.conn.close()


def shape(notes):
    """(live query, action, record, result) of each notification"""
    return [(n["id"], n["action"], n["record"], n.get("result")) for n in notes]


def main():
    admin = connect()
    run(admin, """
        DROP ROLE IF EXISTS live_reader, live_writer, live_tenant;
        CREATE ROLE live_reader LOGIN;
        CREATE ROLE live_writer LOGIN;
        CREATE ROLE live_tenant LOGIN;
        SELECT dllb.create_table('item');
        SELECT dllb.create_table('fence');
        SELECT dllb.create_table('secret');
        SELECT dllb.create_table('open');
        SELECT dllb.create_table('guarded');
        SELECT dllb.define_field('secret'::regclass, 'code', 'text');
        GRANT USAGE ON SCHEMA public TO live_reader, live_writer, live_tenant;
        GRANT ALL ON item, fence, secret, open, guarded TO live_writer;
        GRANT SELECT ON item, fence, open, guarded TO live_reader, live_tenant;
        GRANT SELECT (id, data) ON secret TO live_reader;
        ALTER TABLE item ENABLE ROW LEVEL SECURITY;
        -- the reader sees its own items; the tenant role those of the
        -- tenant its session names; the writer everything
        CREATE POLICY mine ON item FOR SELECT TO live_reader USING (data ->> 'owner' = current_user);
        CREATE POLICY tenant ON item FOR SELECT TO live_tenant
            USING (data ->> 'tenant' = current_setting('app.tenant', true));
        CREATE POLICY everything ON item TO live_writer USING (true) WITH CHECK (true);
        -- row-level security that lets everyone see everything: live
        -- queries of guarded are evaluated on the table, those of open on
        -- the statement's transition tables; they must agree
        ALTER TABLE guarded ENABLE ROW LEVEL SECURITY;
        CREATE POLICY all_rows ON guarded USING (true) WITH CHECK (true);
    """)

    sub = Subscriber("live_reader")
    lq = sub.live("LIVE SELECT * FROM item WHERE n > $min", {"min": 1})
    ok(len(lq) == 36, "LIVE SELECT returns the live query's id", lq)
    ok(sub.drain() == [], "nothing before any write")

    # CREATE, UPDATE, DELETE of visible records; the writer's own rows under RLS
    with writer() as w:
        dialect(w, "CREATE item:a SET n = 5, owner = 'live_reader'")
        dialect(w, "CREATE item:b SET n = 5, owner = 'someone_else'")
        dialect(w, "UPDATE item:a SET n = 7")
        dialect(w, "UPDATE item:b SET n = 8")
    got = shape(sub.drain())
    ok(got == [(lq, "CREATE", "item:a", {"id": "item:a", "n": 5, "owner": "live_reader"}),
               (lq, "UPDATE", "item:a", {"id": "item:a", "n": 7, "owner": "live_reader"})],
       "a create and an update of a visible record; nothing of one row-level security hides", got)

    # a record leaving the condition is still notified (it matched before);
    # one that never matched is not
    with writer() as w:
        dialect(w, "UPDATE item:a SET n = 0")
        dialect(w, "CREATE item:z SET n = 0, owner = 'live_reader'")
        dialect(w, "UPDATE item:z SET n = -1")
    got = shape(sub.drain())
    ok(got == [(lq, "UPDATE", "item:a", {"id": "item:a", "n": 0, "owner": "live_reader"})],
       "an update out of the condition notifies; changes that never match do not", got)

    # rolled back: nothing; a savepoint rolled back: nothing of it
    w = connect("live_writer", autocommit=False)
    dialect(w, "CREATE item:c SET n = 3, owner = 'live_reader'")
    w.rollback()
    run(w, "SAVEPOINT s")
    dialect(w, "CREATE item:d SET n = 3, owner = 'live_reader'")
    run(w, "ROLLBACK TO SAVEPOINT s")
    dialect(w, "CREATE item:e SET n = 3, owner = 'live_reader'")
    w.commit()
    w.close()
    got = shape(sub.drain())
    ok(got == [(lq, "CREATE", "item:e", {"id": "item:e", "n": 3, "owner": "live_reader"})],
       "a rolled-back transaction and savepoint notify nothing", got)

    # commit order: the transaction that wrote first commits second
    w1 = connect("live_writer", autocommit=False)
    w2 = connect("live_writer", autocommit=False)
    dialect(w1, "CREATE item:first SET n = 2, owner = 'live_reader'")
    dialect(w2, "CREATE item:second SET n = 2, owner = 'live_reader'")
    w2.commit()
    w1.commit()
    w1.close()
    w2.close()
    got = [n["record"] for n in sub.drain()]
    ok(got == ["item:second", "item:first"], "notifications come in commit order", got)

    # two identical changes in one transaction are two notifications
    w = connect("live_writer", autocommit=False)
    dialect(w, "UPDATE item:e SET n = 4")
    dialect(w, "UPDATE item:e SET n = 4")
    w.commit()
    w.close()
    got = sub.drain()
    ok([(n["action"], n["record"]) for n in got] == [("UPDATE", "item:e")] * 2 and
       got[0]["n"] != got[1]["n"],
       "each change of a transaction is one notification, even two alike", got)

    # plain SQL writes notify too; a delete of a matching record
    with writer() as w:
        run(w, """INSERT INTO item (id, data) VALUES ('item:sql', '{"n": 9, "owner": "live_reader"}')""")
        run(w, "DELETE FROM item WHERE id = 'item:e'")
    got = shape(sub.drain())
    ok(got == [(lq, "CREATE", "item:sql", {"id": "item:sql", "n": 9, "owner": "live_reader"}),
               (lq, "DELETE", "item:e", {"id": "item:e", "n": 4, "owner": "live_reader"})],
       "plain SQL INSERT and DELETE notify as dialect writes do", got)

    # a record the subscriber stops seeing: a DELETE for it
    with writer() as w:
        dialect(w, "UPDATE item:sql SET owner = 'someone_else'")
    got = shape(sub.drain())
    ok(got == [(lq, "DELETE", "item:sql", {"id": "item:sql", "n": 9, "owner": "live_reader"})],
       "a record that row-level security hides after an update is a DELETE, with nothing of after", got)

    # a payload longer than NOTIFY takes: fetched whole
    big = "x" * 20000
    with writer() as w:
        dialect(w, "CREATE item:big SET n = 2, owner = 'live_reader', text = $t", {"t": big})
    got = sub.drain()
    ok(len(got) == 1 and "fetch" in got[0] and "result" not in got[0],
       "a notification over 8000 bytes names the change", got)
    full = run(sub.conn, "SELECT dllb.live_fetch(%s)", (json.dumps(got[0]),))[0][0]
    ok(full["result"] == {"id": "item:big", "n": 2, "owner": "live_reader", "text": big} and
       full["action"] == "CREATE" and full["id"] == lq,
       "dllb.live_fetch hands over the whole notification")
    ok(error_of(sub.conn, "SELECT dllb.live_fetch(%s)", (json.dumps(got[0]),)) == "42704",
       "a notification is fetched once")

    # fields, VALUE and DIFF
    lq_fields = sub.live("LIVE SELECT n, n * 2 AS twice FROM item WHERE id = item:f")
    lq_value = sub.live("LIVE SELECT VALUE n FROM item WHERE id = item:f")
    lq_diff = sub.live("LIVE SELECT DIFF FROM item WHERE id = item:f")
    with writer() as w:
        dialect(w, "CREATE item:f SET n = 1, owner = 'live_reader'")
        dialect(w, "UPDATE item:f SET n = 2, tag = 'new'")
        dialect(w, "DELETE item:f")
    got = {}
    for n in sub.drain():
        got.setdefault(n["id"], []).append((n["action"], n["result"]))
    ok(got.get(lq_fields) == [("CREATE", {"n": 1, "twice": 2}), ("UPDATE", {"n": 2, "twice": 4}),
                              ("DELETE", {"n": 2, "twice": 4})],
       "results have the shape of the SELECT's fields", got.get(lq_fields))
    ok(got.get(lq_value) == [("CREATE", 1), ("UPDATE", 2), ("DELETE", 2)],
       "SELECT VALUE sends the value", got.get(lq_value))
    ok(got.get(lq_diff) == [
        ("CREATE", [{"op": "add", "path": "/id", "value": "item:f"}, {"op": "add", "path": "/n", "value": 1},
                    {"op": "add", "path": "/owner", "value": "live_reader"}]),
        ("UPDATE", [{"op": "replace", "path": "/n", "value": 2}, {"op": "add", "path": "/tag", "value": "new"}]),
        ("DELETE", [{"op": "remove", "path": "/id"}, {"op": "remove", "path": "/n"},
                    {"op": "remove", "path": "/owner"}, {"op": "remove", "path": "/tag"}])],
       "DIFF sends JSON Patch", got.get(lq_diff))
    ok(got.get(lq) == [("UPDATE", {"id": "item:f", "n": 2, "owner": "live_reader", "tag": "new"}),
                       ("DELETE", {"id": "item:f", "n": 2, "owner": "live_reader", "tag": "new"})],
       "the first live query (n > 1) saw the update into its condition and the delete", got.get(lq))

    # the same writes to a table read from its transition tables (open) and
    # to one read under row-level security (guarded) notify alike, bulk
    # statements and a change of id included
    def writes(t):
        with writer() as w:
            dialect(w, "CREATE type::thing($t, 'a') SET n = 2".replace("type::thing($t, 'a')", t + ":a"))
            dialect(w, "UPDATE %s:a SET n = 0" % t)
            dialect(w, "UPDATE %s:a SET n = 1, extra = true" % t)
            run(w, "UPDATE %s SET id = '%s:b' WHERE id = '%s:a'" % (t, t, t))
            run(w, "DELETE FROM %s WHERE id = '%s:b'" % (t, t))
            run(w, "INSERT INTO %s (id, data) SELECT dllb.record('%s', g::bigint), jsonb_build_object('n', g) "
                   "FROM generate_series(1, 100) g" % (t, t))
            run(w, "UPDATE %s SET data = data || '{\"n\": 3}' WHERE (data->>'n')::int %% 2 = 0" % t)
            run(w, "UPDATE %s SET data = pg_catalog.jsonb_set(data, '{n}', "
                   "pg_catalog.to_jsonb((data->>'n')::int %% 7))" % t)
            run(w, "DELETE FROM %s WHERE (data->>'n')::int < 50" % t)

    def seen(t):
        lqs = {sub.live("LIVE SELECT * FROM %s WHERE n > 1" % t): "where",
               sub.live("LIVE SELECT DIFF FROM %s" % t): "diff",
               sub.live("LIVE SELECT VALUE n FROM %s WHERE n = 3" % t): "value"}
        writes(t)
        got = sorted((lqs[n["id"]], n["action"], n["record"].replace(t + ":", ""),
                      json.dumps(n["result"], sort_keys=True).replace(t + ":", ""))
                     for n in sub.drain())
        for q in lqs:
            dialect(sub.conn, "KILL $id", {"id": q})
        return got

    via_images = seen("open")
    via_table = seen("guarded")
    ok(len(via_images) > 300, "bulk writes notify each record (%d notifications)" % len(via_images))
    ok(via_images == via_table, "live queries read from transition tables and from the table agree",
       [x for x in via_images if x not in via_table][:5])
    ok(("diff", "DELETE", "a", json.dumps([{"op": "remove", "path": "/extra"}, {"op": "remove", "path": "/id"},
                                           {"op": "remove", "path": "/n"}], sort_keys=True)) in via_images and
       ("diff", "CREATE", "b", json.dumps([{"op": "add", "path": "/extra", "value": True},
                                           {"op": "add", "path": "/id", "value": "b"},
                                           {"op": "add", "path": "/n", "value": 1}], sort_keys=True)) in via_images,
       "a change of id is the old record deleted and the new one created")
    ok([x for x in via_images if x[0] == "where" and x[2] == "a"] ==
       [("where", "CREATE", "a", json.dumps({"id": "a", "n": 2})),
        ("where", "UPDATE", "a", json.dumps({"id": "a", "n": 0}))],
       "a record that leaves the condition is notified once more, then no longer",
       [x for x in via_images if x[0] == "where" and x[2] == "a"])

    # FETCH: the record a field points to, read as the subscriber, on both paths
    for t in ("open", "guarded"):
        with writer() as w:
            dialect(w, "CREATE %s:pal SET name = 'Pal'" % t)
        q = sub.live("LIVE SELECT name, pal FROM %s WHERE name = 'x' FETCH pal" % t)
        with writer() as w:
            dialect(w, "CREATE %s:x SET name = 'x', pal = %s:pal" % (t, t))
        got = shape(sub.drain())
        ok(got == [(q, "CREATE", t + ":x", {"name": "x", "pal": {"id": t + ":pal", "name": "Pal"}})],
           "FETCH in a live query (%s)" % t, got)
        dialect(sub.conn, "KILL $id", {"id": q})

    # KILL: no more notifications; errors for unknown and others' live queries
    for q in (lq_fields, lq_value, lq_diff):
        dialect(sub.conn, "KILL $id", {"id": q})
    with writer() as w:
        dialect(w, "CREATE item:g SET n = 1, owner = 'live_reader'")
    ok(shape(sub.drain()) == [], "a killed live query sends nothing")
    ok(error_of(sub.conn, "SELECT * FROM dllb.query('KILL ''6c5e0e0e-0000-4000-8000-000000000000''')") == "42704",
       "KILL of an unknown live query: 42704")
    other = connect("live_tenant")
    ok(error_of(other, "SELECT * FROM dllb.query('KILL $id', %s)", (json.dumps({"id": lq}),)) == "42501",
       "KILL of another role's live query: 42501")

    # live queries of a session with custom settings see what its policies
    # allow under those settings, whoever writes
    ten = Subscriber("live_tenant", setup="SET app.tenant = 'acme'")
    lq_t = ten.live("LIVE SELECT id FROM item")
    with writer() as w:
        dialect(w, "CREATE item:t1 SET tenant = 'acme'")
        dialect(w, "CREATE item:t2 SET tenant = 'other'")
    got = shape(ten.drain())
    ok(got == [(lq_t, "CREATE", "item:t1", {"id": "item:t1"})],
       "row-level security reads the subscriber's settings, not the writer's", got)
    ten.close()

    # column privileges: a field the subscriber may not read never leaks
    ok(error_of(sub.conn, "SELECT * FROM dllb.query('LIVE SELECT * FROM secret')") == "42501",
       "LIVE SELECT of a column the subscriber may not read: 42501")
    lq_s = sub.live("LIVE SELECT id, label FROM secret")
    with writer() as w:
        dialect(w, "CREATE secret:1 SET label = 'l', code = 'hidden'")
    got = shape(sub.drain())
    ok(got == [(lq_s, "CREATE", "secret:1", {"id": "secret:1", "label": "l"})],
       "only what the subscriber may read is sent", got)

    # a failing condition or a revoked privilege drops that live query's
    # notifications, never the writer's write nor the session's other
    # live queries
    lq_bad = sub.live("LIVE SELECT * FROM item WHERE math::abs(owner) > 1")
    run(admin, "REVOKE SELECT (id, data) ON secret FROM live_reader")
    with writer() as w:
        dialect(w, "CREATE item:h SET n = 6, owner = 'live_reader'")
        dialect(w, "CREATE secret:2 SET label = 'm'")
        ok(len(dialect(w, "SELECT id FROM item:h")) == 1 and len(dialect(w, "SELECT id FROM secret:2")) == 1,
           "the writes went through")
    got = shape(sub.drain())
    ok(got == [(lq, "CREATE", "item:h", {"id": "item:h", "n": 6, "owner": "live_reader"})],
       "a failing condition and a revoked privilege send nothing; the other live query still notifies", got)
    dialect(sub.conn, "KILL $id", {"id": lq_bad})

    # bad input
    ok(error_of(sub.conn, "SELECT * FROM dllb.query('LIVE SELECT * FROM nosuch')") == "42P01",
       "LIVE SELECT of a missing table: 42P01")
    ok(error_of(other, "SELECT * FROM dllb.query('LIVE SELECT * FROM secret')") == "42501",
       "LIVE SELECT of a table the caller cannot read: 42501")
    ok(error_of(sub.conn, "SELECT * FROM dllb.query('LIVE SELECT * FROM item ORDER BY n')") == "0A000",
       "LIVE SELECT ... ORDER BY: 0A000")
    other.close()

    ok(True, "every notification came on its live query's channel")

    # the session ends: its live queries go with it
    pid = run(sub.conn, "SELECT pg_backend_pid()")[0][0]
    ok(run(admin, "SELECT count(*) FROM dllb.live_queries WHERE pid = %s", (pid,))[0][0] == 3,
       "the subscriber has its live queries (item, fence, secret)")
    sub.close()
    deadline = time.monotonic() + 30
    while run(admin, "SELECT count(*) FROM pg_stat_activity WHERE pid = %s", (pid,))[0][0] > 0:
        ok(time.monotonic() < deadline, "the subscriber's session ends")
        time.sleep(0.05)
    ok(run(admin, "SELECT count(*) FROM dllb.live_queries WHERE pid = %s", (pid,))[0][0] == 0,
       "a session that ends leaves no live query behind")
    with writer() as w:
        dialect(w, "CREATE item:after SET n = 5, owner = 'live_reader'")
    ok(True, "writes go on after the subscriber left")

    run(admin, """
        DROP TABLE item, fence, secret;
        DROP OWNED BY live_reader, live_writer, live_tenant;
        DROP ROLE live_reader, live_writer, live_tenant;
    """)
    print("1..%d" % CHECKS)


if __name__ == "__main__":
    main()
