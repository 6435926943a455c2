#!/usr/bin/env bash
# test/bench/vector/run.sh [N] - nearest-neighbour benchmark (not a test).
#
# Data: 300,000 100-dimensional fastText vectors (word and sentence vectors
# trained on text Debian installs) with 1,000 held-out queries and exact
# top-10 ground truth, made by make_word_vectors.sh beside this script and
# cached under .dllb/bench/vector (5-10 minutes the first time).  N, when
# given, loads only the first N base vectors (ground truth is recomputed).
#
# Prints, measured in one run on the ./dllb run cluster (schema
# bench_vector): build time, index size against the raw vector bytes,
# recall@10 and queries per second from one client (pgbench, prepared) for
# ef_search 10..400, exact search by sequential scan (plain PostgreSQL),
# single-row insert rate, and filtered search at 1% selectivity (rows
# returned, recall, median latency against the unfiltered query's).  When
# the pgvector extension ("vector") is available in the cluster the same is
# measured for its hnsw index with the same m and ef_construction, and the
# ratios printed; this script never installs pgvector.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../.." && pwd)
source "$root/scripts/common.sh"
limit=${1:-}

choose_state_dir
pg_paths
cluster_paths
ensure_packages fasttext wordnet-base python3 gcc
data=$DLLB_STATE/bench/vector/words
if [ ! -s "$data/gt.tsv" ]; then
	apt-cache dumpavail | grep -q '^Package:' || { is_root && apt-get update -q >&2; }
	log "making the word-vector data set in $data (5-10 minutes)"
	bash "$here/make_word_vectors.sh" "$data" 100 300000 > "$DLLB_STATE/bench/vector/make.log" 2>&1
fi

echo | "$root/dllb" run >/dev/null
psql_b() { cluster_psql -d dllb -v ON_ERROR_STOP=1 -q "$@"; }
pgbench_q() {
	as_server "$PGBIN/pgbench" -h "$SOCKET_DIR" -p "$DLLB_PORT" -U "$(server_user)" -n -M prepared "$@" dllb 2>&1
}

has_pgvector=$(psql_b -Atc "SELECT count(*) FROM pg_available_extensions WHERE name = 'vector'")

echo "== loading $(wc -l < "$data/base.tsv") vectors, 1000 queries"
psql_b <<SQL
DROP SCHEMA IF EXISTS bench_vector CASCADE;
CREATE SCHEMA bench_vector;
SET search_path = bench_vector, public, dllb;
CREATE TABLE raw_base (id int, v text);
CREATE TABLE raw_queries (qid int, q text);
CREATE TABLE gt (qid int, rank int, id int, d float8);
\copy raw_base FROM '$data/base.tsv'
\copy raw_queries FROM '$data/queries.tsv'
\copy gt FROM '$data/gt.tsv'
CREATE TABLE base (id int PRIMARY KEY, cat int NOT NULL, v dllb.vector(100));
INSERT INTO base SELECT id, id % 100, v::dllb.vector FROM raw_base ${limit:+WHERE id <= $limit};
CREATE TABLE queries (qid int PRIMARY KEY, q dllb.vector(100));
INSERT INTO queries SELECT qid, q::dllb.vector FROM raw_queries;
VACUUM ANALYZE base;
VACUUM ANALYZE queries;
SQL
if [ -n "$limit" ] && [ -s "$data/gt_$limit.tsv" ]; then
	psql_b -c "TRUNCATE bench_vector.gt" -c "\copy bench_vector.gt FROM '$data/gt_$limit.tsv'"
elif [ -n "$limit" ]; then
	echo "== exact ground truth for the first $limit vectors (kept in $data/gt_$limit.tsv)"
	psql_b -c "SET search_path = bench_vector, public, dllb; TRUNCATE gt; SET max_parallel_workers_per_gather = 2;
		INSERT INTO gt SELECT qid, r, id, d FROM queries, LATERAL (SELECT id, (v <-> q)^2 AS d, row_number() OVER (ORDER BY v <-> q) AS r FROM base ORDER BY v <-> q LIMIT 10) s;"
	psql_b -c "\copy (SELECT qid, rank, id, d FROM bench_vector.gt ORDER BY qid, rank) TO '$data/gt_$limit.tsv'"
fi
if [ "$has_pgvector" = 1 ]; then
	psql_b <<'SQL'
SET search_path = bench_vector, public, dllb;
CREATE EXTENSION IF NOT EXISTS vector SCHEMA public;
CREATE TABLE pgv_base (id int PRIMARY KEY, cat int NOT NULL, v public.vector(100));
INSERT INTO pgv_base SELECT id, cat, v::text::public.vector FROM base;
CREATE TABLE pgv_queries (qid int PRIMARY KEY, q public.vector(100));
INSERT INTO pgv_queries SELECT qid, q::text::public.vector FROM queries;
VACUUM ANALYZE pgv_base;
SQL
fi

# DLLB_BENCH_ROUNDS (default 1): builds (dllb none and pgvector) and every
# queries-per-second measurement are repeated this many times, the rounds
# interleaved, and the best of each kept, so a burst of load from other
# jobs on a shared machine does not decide a ratio
rounds=${DLLB_BENCH_ROUNDS:-1}
psql_b -f "$here/bench.sql" -v has_pgvector="$has_pgvector" -v rebuild="$([ "$rounds" -gt 1 ] && echo on || echo off)"

secs=${DLLB_BENCH_SECONDS:-15}
echo
echo "== queries per second, one client (pgbench -M prepared, $secs s each, best of $rounds)"
echo "   method    ef_search  qps"
qps() {	# qps NAME GUC EF TABLE QTABLE
	local f
	f=$(mktemp)
	chmod 644 "$f"
	cat > "$f" <<SQL
\\set qid random(1, 1000)
SET $2 = $3;
SELECT id FROM bench_vector.$4 ORDER BY v <-> (SELECT q FROM bench_vector.$5 WHERE qid = :qid) LIMIT 10;
SQL
	local tps
	tps=$(pgbench_q -T "$secs" -f "$f" | awk '/^tps/ {print int($3)}')
	rm -f "$f"
	printf '   %-9s %9s  %s\n' "$1" "$3" "$tps"
	psql_b -c "INSERT INTO bench_vector.qps_runs VALUES ('$1', $3, $tps)"
}
psql_b -c "CREATE TABLE bench_vector.qps_runs (method text, ef int, qps float8)"
for round in $(seq "$rounds"); do
	for ef in 10 20 40 80 120 200 400; do
		qps dllb dllb.hnsw_ef_search $ef base queries
		qps dllb_sq8 dllb.hnsw_ef_search $ef base_sq8 queries
		[ "$has_pgvector" = 1 ] && qps pgvector hnsw.ef_search $ef pgv_base pgv_queries
	done
done
psql_b -c "CREATE TABLE bench_vector.qps AS SELECT method, ef, max(qps) AS qps FROM bench_vector.qps_runs GROUP BY 1, 2"

# the first query of a new session, and the same query next, 5 sessions each
echo "== first query of a new session (ms)"
first_query() {	# first_query NAME TABLE QTABLE GUC
	local i t
	for i in 1 2 3 4 5; do
		t=$(psql_b -c "SET $4 = 40" -c '\timing on' \
			-c "SELECT count(*) FROM (SELECT id FROM bench_vector.$2 ORDER BY v <-> (SELECT q FROM bench_vector.$3 WHERE qid = $((i * 37))) LIMIT 10) s" \
			-c "SELECT count(*) FROM (SELECT id FROM bench_vector.$2 ORDER BY v <-> (SELECT q FROM bench_vector.$3 WHERE qid = $((i * 37 + 1))) LIMIT 10) s" |
			awk '/^Time:/ {printf "%s ", $2}')
		psql_b -c "INSERT INTO bench_vector.results VALUES ('first query ms', '$1', $(echo "$t" | awk '{print $1}')), ('second query ms', '$1', $(echo "$t" | awk '{print $2}'))"
	done
}
first_query dllb base queries dllb.hnsw_ef_search
first_query dllb_sq8 base_sq8 queries dllb.hnsw_ef_search
[ "$has_pgvector" = 1 ] && first_query pgvector pgv_base pgv_queries hnsw.ef_search

psql_b -f "$here/after.sql" -v has_pgvector="$has_pgvector"
psql_b -f "$here/report.sql" -v has_pgvector="$has_pgvector"
