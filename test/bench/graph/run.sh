#!/usr/bin/env bash
# test/bench/graph/run.sh [package|calls-small|calls-large] - graph traversal
# benchmark (not a test).  Builds the graph (cached under .dllb/bench/graph),
# loads it into the ./dllb run cluster (schema bench_graph, rebuilt each run)
# and prints, measured in one session:
#   - 1-, 2- and 3-hop expansion out and in from 200 start vertices, and
#     shortest paths between 200 pairs: dllb.traverse / dllb.shortest_path
#     against a recursive CTE and a plpgsql BFS keeping its visited set in
#     arrays, over plain heap tables with btree indexes; answers compared;
#   - the named hubs of the package graph (gnome out, libssl3 and libc6 in),
#     at work_mem 4MB;
#   - placement: heap pages read to expand one vertex (Bitmap Heap Scan
#     "Heap Blocks") on the dllb edge table against the same table on heap.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../.." && pwd)
source "$root/scripts/common.sh"
graph=${1:-package}

choose_state_dir
pg_paths
cluster_paths
data=$DLLB_STATE/bench/graph/$graph
mkdir -p "$data"

case "$graph" in
package)
	if [ ! -s "$data/depends.tsv" ]; then
		apt-cache dumpavail | grep -q '^Package:' || { is_root && apt-get update -q >&2; }
		bash "$here/make_package_graph.sh" "$data"
	fi
	edges=$data/depends.tsv
	;;
calls-small | calls-large)
	size=${graph#calls-}
	if [ ! -s "$data/calls.tsv" ]; then
		bash "$root/test/data/code_corpus/make_code_corpus.sh" "$data/corpus" "$size"
		# calls edges: caller id -> callee id (documents are numbered)
		awk -F, 'NR > 1 && $2 == "calls" { print $3 "\t" $4 }' "$data/corpus/edges.csv" | sort -u > "$data/calls.tsv"
	fi
	edges=$data/calls.tsv
	;;
*) die "unknown graph '$graph' (package, calls-small, calls-large)" ;;
esac

echo | "$root/dllb" run >/dev/null
psql_b() { cluster_psql -d dllb -v ON_ERROR_STOP=1 -q "$@"; }

echo "== loading $graph graph ($(wc -l < "$edges") edges)"
psql_b -c 'DROP SCHEMA IF EXISTS bench_graph CASCADE' -c 'CREATE SCHEMA bench_graph' \
	-c 'CREATE TABLE bench_graph.edges_raw (src text, dst text)'
psql_b -c "\\copy bench_graph.edges_raw FROM '$edges'"
psql_b -f "$here/load.sql"

starts="SELECT node FROM (SELECT src AS node FROM bench_graph.heap_edge UNION SELECT dst FROM bench_graph.heap_edge) s ORDER BY md5(node) LIMIT 200"
psql_b -v starts="$starts" -f "$here/bench.sql"

if [ "$graph" = package ]; then
	echo
	echo "== hubs of the package graph, 3 hops (ms, one run each after one warm-up)"
	psql_b <<'SQL'
SET search_path = bench_graph, public, dllb;
SET work_mem = '4MB';   -- PostgreSQL's default: dllb must answer the hubs within it
SELECT run_expansions(ARRAY['gnome', 'libssl3', 'libc6']);   -- warm-up
TRUNCATE results;
SELECT run_expansions(ARRAY['gnome', 'libssl3', 'libc6']);
SELECT vertex, what,
       max(answer) FILTER (WHERE method = 'dllb') AS reached,
       round(max(ms) FILTER (WHERE method = 'dllb')::numeric, 2) AS dllb_ms,
       round(max(ms) FILTER (WHERE method = 'cte')::numeric, 2) AS cte_ms,
       round(max(ms) FILTER (WHERE method = 'plpgsql')::numeric, 2) AS plpgsql_ms,
       round((max(ms) FILTER (WHERE method = 'cte') / max(ms) FILTER (WHERE method = 'dllb'))::numeric, 1) AS x_vs_cte,
       bool_and(answer = (SELECT answer FROM results d WHERE d.method = 'dllb' AND d.what = r.what AND d.vertex = r.vertex)) AS same_answers
FROM results r
WHERE (vertex = 'gnome' AND what = '3-hop out') OR (vertex IN ('libssl3', 'libc6') AND what = '3-hop in')
GROUP BY 1, 2 ORDER BY 3;
SQL
fi

echo
echo "== placement: heap pages read to expand one vertex (Bitmap Heap Scan, sum over 200 vertices)"
psql_b <<'SQL'
SET search_path = bench_graph, public, dllb;
SET enable_indexscan = off; SET enable_indexonlyscan = off; SET enable_seqscan = off;
CREATE OR REPLACE FUNCTION heap_blocks(tbl text, v text) RETURNS int LANGUAGE plpgsql AS $$
DECLARE line text; n int := 0;
BEGIN
	FOR line IN EXECUTE format('EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, COSTS OFF) SELECT * FROM %I WHERE "in" = dllb.record(''v'', %L)', tbl, v) LOOP
		IF line ~ 'Heap Blocks:' THEN
			n := n + coalesce(substring(line FROM 'exact=(\d+)')::int, 0) + coalesce(substring(line FROM 'lossy=(\d+)')::int, 0);
		END IF;
	END LOOP;
	RETURN n;
END $$;
WITH s AS (SELECT src FROM heap_edge GROUP BY src ORDER BY md5(src) LIMIT 200)
SELECT sum(heap_blocks('bench_e_heap', src)) AS heap_pages,
       sum(heap_blocks('bench_e', src)) AS dllb_pages,
       round(sum(heap_blocks('bench_e_heap', src))::numeric / nullif(sum(heap_blocks('bench_e', src)), 0), 2) AS x_fewer_pages,
       (SELECT count(*) FROM heap_edge) AS edges
FROM s;
SQL
