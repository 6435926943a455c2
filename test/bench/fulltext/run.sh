#!/usr/bin/env bash
# test/bench/fulltext/run.sh [N] - full-text search benchmark (not a test).
#
# Data: about 295,000 real documents from what Debian installs (package
# descriptions, WordNet glosses, man-page sections, changelog entries) and
# 200 queries in six bands (rare1, mid1, common1: one word of low, middle,
# high document frequency; multi2..multi4: 2-4 consecutive words of a
# document), made by make_text_corpus.sh beside this script and cached
# under .dllb/bench/fulltext (a few minutes the first time).  N, when
# given, loads only the first N documents (the query set stays the same).
#
# Compares, on the same text (title || ' ' || body) in three tables of the
# ./dllb run cluster (database bench_fulltext, made afresh each run):
#   dllb  dllb_bm25 index WITH (analyzer = 'english'),
#         ORDER BY doc <@> q::dllb.bm25query LIMIT 10
#   gin   GIN on to_tsvector('english', doc), WHERE ... @@ q
#         ORDER BY ts_rank(...) DESC LIMIT 10, q the OR of the lexemes
#   rum   RUM (rum_tsvector_ops) on the same expression, WHERE ... @@ q
#         ORDER BY ... <=> q LIMIT 10 (installed with apt-get when it can be)
# and prints top-10 latency per band (median, p95), queries per second over
# the 200 queries, build time, index size, single-row UPDATE rate, the
# writer's rate under 16 concurrent readers, and a 1%-selective filtered
# query against the unfiltered one; then one summary table with the
# targets of the issue beside the ratios (printed, not asserted).  Any
# engine that is missing is skipped with a message; a dllb statement that
# fails is reported with its error and the rest of the bench goes on.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../.." && pwd)
source "$root/scripts/common.sh"
limit=${1:-0}
[[ $limit =~ ^[0-9]+$ ]] || die "usage: ./dllb bench fulltext [N]"
secs=${DLLB_BENCH_SECONDS:-15}	# length of each pgbench run

choose_state_dir
pg_paths
cluster_paths
ensure_packages python3 wordnet-base
# RUM first: its package adds a changelog the corpus would then include,
# so installing it later would change the corpus of a fresh machine
if ! (ensure_packages postgresql-$PG_MAJOR-rum) 2>/dev/null; then
	log "postgresql-$PG_MAJOR-rum could not be installed; RUM will be skipped"
fi
data=$DLLB_STATE/bench/fulltext/text
if [ ! -s "$data/queries.tsv" ]; then
	apt-cache dumpavail | grep -q '^Package:' || { is_root && apt-get update -q >&2; }
	log "making the text corpus in $data (a few minutes)"
	mkdir -p "$data"
	STOPWORDS=$("$PG_CONFIG" --sharedir)/tsearch_data/english.stop \
		bash "$here/make_text_corpus.sh" "$data" > "$DLLB_STATE/bench/fulltext/make.log" 2>&1 ||
		die "making the corpus failed; see $DLLB_STATE/bench/fulltext/make.log"
fi

echo | "$root/dllb" run >/dev/null
db=bench_fulltext
cluster_psql -d postgres -q -v ON_ERROR_STOP=1 <<SQL
SET client_min_messages = warning;
DROP DATABASE IF EXISTS $db;
CREATE DATABASE $db;
ALTER DATABASE $db SET search_path = bench_fulltext, public, dllb;
SQL
psql_b() { cluster_psql -d $db -v ON_ERROR_STOP=1 -q "$@"; }
psql_b -c "CREATE EXTENSION dllb"
has_rum=$(psql_b -Atc "SELECT count(*) FROM pg_available_extensions WHERE name = 'rum'")
[ "$has_rum" = 1 ] && psql_b -c "CREATE EXTENSION rum"
has_dllb=$(psql_b -Atc "SELECT count(*) FROM pg_am WHERE amname = 'dllb_bm25'")
engines=gin
[ "$has_dllb" = 1 ] && engines="dllb $engines"
[ "$has_rum" = 1 ] && engines="$engines rum"

work=$DLLB_STATE/bench/fulltext/pgbench
rm -rf "$work"
mkdir -p "$work"
chmod 755 "$work"
pgbench_q() {
	as_server "$PGBIN/pgbench" -h "$SOCKET_DIR" -p "$DLLB_PORT" -U "$(server_user)" -n -M prepared \
		--random-seed=20261130 "$@" $db 2>&1
}
calc() { awk "BEGIN { print $* }"; }
# record WHAT ENGINE VALUE
record() {
	psql_b -c "INSERT INTO bench_fulltext.results VALUES ('$1', '$2', $3)
		ON CONFLICT (what, engine) DO UPDATE SET value = excluded.value"
}
# try ENGINE STEP SQL... - run SQL; on failure print and keep the error
try() {
	local engine=$1 step=$2 out
	shift 2
	if ! out=$(psql_b -c "SET search_path = bench_fulltext, public, dllb" "$@" 2>&1); then
		printf '   %s: %s failed:\n%s\n' "$engine" "$step" "$out" | sed 's/^/   /'
		# after a crash the server restarts: wait until it is back
		for _ in $(seq 60); do psql_b -c "SELECT 1" >/dev/null 2>&1 && break; sleep 1; done
		psql_b -c "INSERT INTO bench_fulltext.errors VALUES (\$q\$$engine\$q\$, \$q\$$step\$q\$, \$q\$$out\$q\$)" ||
			true
		return 1
	fi
	[ -z "$out" ] || printf '%s\n' "$out"
}

echo "== loading $([ "$limit" = 0 ] && echo all || echo "the first $limit") of $(wc -l < "$data/corpus.tsv") documents, $(wc -l < "$data/queries.tsv") queries"
psql_b -v data="$data" -v limit="$limit" -f "$here/load.sql"
ndocs=$(psql_b -Atc "SELECT count(*) FROM bench_fulltext.src")
if [ "$has_dllb" != 1 ]; then
	echo "   dllb_bm25 does not exist in this build: dllb is skipped"
fi
if [ "$has_rum" != 1 ]; then
	echo "   the rum extension is not available: RUM is skipped"
fi

# build INDEX ENGINE WHAT SQL - time one CREATE INDEX, record its time and size
build() {
	local name=$1 engine=$2 what=$3 sql=$4 t
	echo "   $engine: $sql"
	if try "$engine" "$what" -c "SET maintenance_work_mem = '1GB'" -c "\\timing on" -c "$sql" > "$work/build.out"; then
		t=$(awk '/^Time:/ {print $2}' "$work/build.out")
		record "build s$what" "$engine" "$t / 1000.0"
		record "index MB$what" "$engine" "pg_relation_size('bench_fulltext.$name') / 1048576.0"
	else
		cat "$work/build.out"
		return 1
	fi
}
echo "== building the indexes (maintenance_work_mem = 1GB, one worker)"
if [ "$has_dllb" = 1 ]; then
	# positions off first (compared with GIN, which keeps none), then the
	# index the queries use, positions on (compared with RUM, which keeps them)
	if build ft_dllb_nopos dllb " nopos" \
		"CREATE INDEX ft_dllb_nopos ON ft_dllb USING dllb_bm25 (doc) WITH (analyzer = 'english', positions = off)"; then
		psql_b -c "DROP INDEX bench_fulltext.ft_dllb_nopos"
	fi
	build ft_dllb_doc dllb "" \
		"CREATE INDEX ft_dllb_doc ON ft_dllb USING dllb_bm25 (doc) WITH (analyzer = 'english')" ||
		engines=${engines/dllb /}
fi
build ft_gin_doc gin "" "CREATE INDEX ft_gin_doc ON ft_gin USING gin (to_tsvector('english', doc))"
if [ "$has_rum" = 1 ]; then
	build ft_rum_doc rum "" \
		"CREATE INDEX ft_rum_doc ON ft_rum USING rum (to_tsvector('english', doc) rum_tsvector_ops)" ||
		engines=${engines/ rum/}
fi
psql_b -c "ANALYZE bench_fulltext.ft_dllb; ANALYZE bench_fulltext.ft_gin; ANALYZE bench_fulltext.ft_rum"
psql_b -c "CHECKPOINT"

# one pgbench script per engine with the 200 queries in order (queries/s
# over the whole set), and one file per query (the readers pick at random)
for e in $engines; do
	case $e in
	dllb) fmt="SELECT id FROM bench_fulltext.ft_dllb WHERE doc @@@ %1\$L::dllb.bm25query ORDER BY doc <@> %1\$L::dllb.bm25query LIMIT 10;" ;;
	gin) fmt="SELECT id FROM bench_fulltext.ft_gin WHERE to_tsvector('english', doc) @@ %2\$L::tsquery ORDER BY ts_rank(to_tsvector('english', doc), %2\$L::tsquery) DESC LIMIT 10;" ;;
	rum) fmt="SELECT id FROM bench_fulltext.ft_rum WHERE to_tsvector('english', doc) @@ %2\$L::tsquery ORDER BY to_tsvector('english', doc) <=> %2\$L::tsquery LIMIT 10;" ;;
	esac
	mkdir -p "$work/$e"
	psql_b -Atc "SELECT format(\$f\$$fmt\$f\$, qtext, tsq::text) FROM bench_fulltext.queries ORDER BY qid" > "$work/$e/all.sql"
	# readers: one query of the set at random (pgbench takes at most 128
	# script files, so one script that branches on a random number)
	awk -v n="$(wc -l < "$work/$e/all.sql")" '
		BEGIN { print "\\set qid random(1, " n ")" }
		{ print (NR == 1 ? "\\if" : "\\elif") " :qid = " NR; print }
		END { print "\\endif" }' "$work/$e/all.sql" > "$work/$e/random.sql"
	chmod -R a+rX "$work/$e"
done

cq=$(psql_b -Atc "SELECT qid FROM bench_fulltext.queries WHERE band = 'common1' ORDER BY qid LIMIT 1")
echo "== plans of the first common word (query $cq)"
for e in $engines; do
	echo "   $e"
	try "$e" "explain" -c "EXPLAIN (COSTS OFF) $(sed -n "${cq}p" "$work/$e/all.sql")" | sed 's/^/      /' || true
done

echo "== top-10 latency: each query once to warm up, then 3 timed runs (one session, one statement a query)"
# time_queries ENGINE [CAT]: a psql script with one time_query call a line
time_queries() {
	local e=$1 cat=${2:-}
	psql_b -Atc "SELECT format('SELECT time_query(%L, %s%s);', '$e', qid, '${cat:+, $cat}')
		FROM bench_fulltext.queries ${cat:+WHERE band = 'common1'} ORDER BY qid" > "$work/time_$e$cat.sql"
	try "$e" "latency${cat:+ cat = $cat}" -f "$work/time_$e$cat.sql" >/dev/null
}
for e in $engines; do
	echo "   $e"
	time_queries "$e" || engines=${engines/$e/}
done
if [[ " $engines " == *" dllb "* ]]; then
	echo "   dllb, WHERE cat = 7 (1%, btree) and a common word"
	time_queries dllb 7 || true
fi
echo "   gin, WHERE cat = 7 (1%, btree) and a common word"
time_queries gin 7 || true

echo "== queries per second over all $(wc -l < "$data/queries.tsv") queries, one client (pgbench -M prepared)"
nq=$(wc -l < "$data/queries.tsv")
for e in $engines; do
	# enough passes over the set for about $secs seconds, from the latencies
	passes=$(psql_b -Atc "SELECT greatest(1, least(100, ceil($secs * 1000.0 / sum(ms))))::int FROM bench_fulltext.lat WHERE engine = '$e'")
	if out=$(pgbench_q -c 1 -t "$passes" -f "$work/$e/all.sql"); then
		tps=$(awk '/^tps/ {print $3}' <<<"$out")
		record "qps" "$e" "$tps * $nq"
		printf '   %-5s %s passes  %.0f queries/s\n' "$e" "$passes" "$(calc "$tps * $nq")"
	else
		printf '   %s: pgbench failed:\n%s\n' "$e" "$out"
	fi
done

# writes: single-row UPDATEs that replace the indexed text of a random row
# with the text of another random row, one transaction each
for e in dllb gin; do
	[[ " $engines " == *" $e "* ]] || continue
	cat > "$work/update_$e.sql" <<SQL
\\set id random(1, $ndocs)
\\set from random(1, $ndocs)
UPDATE bench_fulltext.ft_$e SET doc = (SELECT doc FROM bench_fulltext.src WHERE id = :from) WHERE id = :id;
SQL
	chmod 644 "$work/update_$e.sql"
done
echo "== single-row UPDATEs of the indexed text, one client, $secs s; then the same with 16 readers (top-10, random queries)"
for e in dllb gin; do
	[[ " $engines " == *" $e "* ]] || continue
	if ! out=$(pgbench_q -c 1 -T "$secs" -f "$work/update_$e.sql"); then
		printf '   %s: UPDATE failed:\n%s\n' "$e" "$out"
		continue
	fi
	alone=$(awk '/^tps/ {print $3}' <<<"$out")
	record "update/s" "$e" "$alone"
	pgbench_q -c 16 -j 2 -T $((secs + 4)) -f "$work/$e/random.sql" > "$work/readers_$e.out" &
	rpid=$!
	sleep 2
	if ! out=$(pgbench_q -c 1 -T "$secs" -f "$work/update_$e.sql"); then
		printf '   %s: UPDATE under readers failed:\n%s\n' "$e" "$out"
		wait "$rpid" || true
		continue
	fi
	wait "$rpid" || { printf '   %s: readers failed:\n' "$e"; tail -5 "$work/readers_$e.out"; }
	busy=$(awk '/^tps/ {print $3}' <<<"$out")
	rtps=$(awk '/^tps/ {print $3}' "$work/readers_$e.out")
	record "update/s with readers" "$e" "$busy"
	record "reader qps" "$e" "${rtps:-0}"
	printf '   %-5s alone %.0f/s, with 16 readers %.0f/s (%.0f%%), readers %.0f queries/s\n' \
		"$e" "$alone" "$busy" "$(calc "100 * $busy / $alone")" "${rtps:-0}"
done

psql_b -f "$here/report.sql"
