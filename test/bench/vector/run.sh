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
if [ -n "$limit" ]; then
	echo "== exact ground truth for the first $limit vectors"
	psql_b -c "SET search_path = bench_vector, public, dllb; TRUNCATE gt; SET max_parallel_workers_per_gather = 2;
		INSERT INTO gt SELECT qid, r, id, d FROM queries, LATERAL (SELECT id, (v <-> q)^2 AS d, row_number() OVER (ORDER BY v <-> q) AS r FROM base ORDER BY v <-> q LIMIT 10) s;"
fi
if [ "$has_pgvector" = 1 ]; then
	psql_b <<'SQL'
SET search_path = bench_vector, public, dllb;
CREATE EXTENSION IF NOT EXISTS vector;
CREATE TABLE pgv_base (id int PRIMARY KEY, cat int NOT NULL, v public.vector(100));
INSERT INTO pgv_base SELECT id, cat, v::text::public.vector FROM base;
CREATE TABLE pgv_queries (qid int PRIMARY KEY, q public.vector(100));
INSERT INTO pgv_queries SELECT qid, q::text::public.vector FROM queries;
VACUUM ANALYZE pgv_base;
SQL
fi

psql_b -f "$here/bench.sql" -v has_pgvector="$has_pgvector"

echo
echo "== queries per second, one client (pgbench -M prepared, 15 s each)"
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
	tps=$(pgbench_q -T 15 -f "$f" | awk '/^tps/ {print int($3)}')
	rm -f "$f"
	printf '   %-9s %9s  %s\n' "$1" "$3" "$tps"
	psql_b -c "INSERT INTO bench_vector.qps VALUES ('$1', $3, $tps)"
}
psql_b -c "CREATE TABLE bench_vector.qps (method text, ef int, qps float8)"
for ef in 10 20 40 80 120 200 400; do
	qps dllb dllb.hnsw_ef_search $ef base queries
	[ "$has_pgvector" = 1 ] && qps pgvector hnsw.ef_search $ef pgv_base pgv_queries
done
psql_b -f "$here/report.sql" -v has_pgvector="$has_pgvector"
