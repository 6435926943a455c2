#!/usr/bin/env bash
# test/bench/dialect/run.sh - dllb.query against hand-written SQL (not a test).
#
# Loads 20,000 people with a 16-dimensional embedding (an HNSW index on it)
# and 60,000 knows edges into the ./dllb run cluster (schema bench_dialect),
# then measures through one driver connection (pgbench, prepared
# statements; three alternating 4 s runs of each side, medians) four
# queries written both ways: a point lookup by
# record id, a filtered select, a 2-hop traversal and a filtered KNN.  It
# prints queries per second of each and the dialect's overhead.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../.." && pwd)
source "$root/scripts/common.sh"
choose_state_dir
pg_paths
cluster_paths
echo | "$root/dllb" run >/dev/null
psql_b() { cluster_psql -d dllb -v ON_ERROR_STOP=1 -q "$@"; }

echo "== loading 20,000 people and 60,000 edges"
psql_b <<'SQL'
DROP SCHEMA IF EXISTS bench_dialect CASCADE;
CREATE SCHEMA bench_dialect;
SET search_path = bench_dialect, dllb;
SELECT dllb.create_table('person');
SELECT dllb.define_field('person', 'emb', 'dllb.vector(16)');
INSERT INTO person
SELECT dllb.record('person', g),
       jsonb_build_object('name', 'p' || g, 'age', g % 90, 'city', 'c' || (g % 100)),
       (SELECT array_agg((hashint4(g * 16 + k) % 1000) / 1000.0)::real[] FROM generate_series(1, 16) k)::dllb.vector
FROM generate_series(1, 20000) g;
CREATE INDEX ON person USING dllb_hnsw (emb);
SELECT dllb.create_edge_table('knows');
INSERT INTO knows (id, "in", out, data)
SELECT dllb.record('knows', g), dllb.record('person', 1 + g % 20000),
       dllb.record('person', 1 + (hashint4(g) & 1048575) % 20000), '{}'
FROM generate_series(1, 60000) g;
VACUUM ANALYZE person;
VACUUM ANALYZE knows;
SQL

run() {	# run NAME SQL
	local f
	f=$(mktemp)
	chmod 644 "$f"
	printf '%s\n' '\set i random(1, 20000)' 'SET search_path = bench_dialect, dllb;' "$2" > "$f"
	as_server "$PGBIN/pgbench" -h "$SOCKET_DIR" -p "$DLLB_PORT" -U "$(server_user)" -n -M prepared \
		-T 4 -f "$f" dllb 2>&1 | awk '/^tps/ {print int($3)}'
	rm -f "$f"
}

printf '%-22s %10s %10s %10s\n' query sql_qps dllb_qps overhead
median() { sort -n | sed -n 2p; }
bench() {	# bench NAME SQL DIALECT: three alternating 4 s runs a side, medians
	local a b r as="" bs=""
	for r in 1 2 3; do
		as="$as$(run "$1" "$2")"$'\n'
		bs="$bs$(run "$1" "$3")"$'\n'
	done
	a=$(printf '%s' "$as" | median)
	b=$(printf '%s' "$bs" | median)
	printf '%-22s %10s %10s %9s%%\n' "$1" "$a" "$b" "$(( (a - b) * 100 / (a > 0 ? a : 1) ))"
}
bench "point lookup" \
	"SELECT data || jsonb_build_object('id', id::text) FROM person WHERE id = dllb.record('person', :i::bigint);" \
	"SELECT result FROM dllb.query('SELECT * FROM \$r', jsonb_build_object('r', 'person:' || :i));"
bench "filtered select" \
	"SELECT data->'name' FROM person WHERE data->'city' = to_jsonb('c' || (:i % 100)) AND (data->'age')::numeric > 80 ORDER BY id;" \
	"SELECT result FROM dllb.query('SELECT VALUE name FROM person WHERE city = \$c AND age > 80', jsonb_build_object('c', 'c' || (:i % 100)));"
bench "2-hop traversal" \
	"SELECT count(DISTINCT k2.out) FROM knows k1 JOIN knows k2 ON k2.\"in\" = k1.out WHERE k1.\"in\" = dllb.record('person', :i::bigint);" \
	"SELECT result FROM dllb.query('SELECT count(->knows->person->knows->person) AS n FROM \$r', jsonb_build_object('r', 'person:' || :i));"
bench "filtered knn" \
	"SELECT id FROM person WHERE (data->'age')::numeric < 45 ORDER BY emb <-> (SELECT emb FROM person WHERE id = dllb.record('person', :i::bigint)) LIMIT 10;" \
	"SELECT result FROM dllb.query('SELECT VALUE id FROM person WHERE age < 45 AND emb <|10|> \$v', jsonb_build_object('v', (SELECT emb FROM person WHERE id = dllb.record('person', :i::bigint))::real[]));"
