#!/usr/bin/env bash
# scripts/test.sh - the README's test command (./dllb test); .ci/run calls it.
#
# Installs what is missing, builds from clean (warnings are errors), installs
# into the private install tree, then runs, each against throwaway clusters
# it starts itself:
#   symbols    every exported symbol of dllb.so carries the dllb_ prefix
#   regress    pg_regress over sql/*.sql        (expected/), as role dllb_app
#   doc        every SQL example of README.md and doc/*.md, as role dllb_app
#   isolation  pg_isolation_regress over test/isolation/specs/*.spec
#   tap        prove over test/t/*.pl           (PostgreSQL::Test::Cluster)
#   fuzz       every target in test/fuzz, for a bounded time (scripts/fuzz.sh)
# and ends with one line: "N passed, N failed".  Exit status 1 on any failure.
#
# Arguments limit what runs: ./dllb test regress tap   (default: everything).
# DLLB_FUZZ_SECONDS sets each fuzz target's time (default 15).
# DLLB_ONLY='pattern ...' keeps only the regress tests, isolation specs and
# TAP tests whose names match one of the shell patterns (for example
# DLLB_ONLY='vector_* 01[0-9]_*' ./dllb test regress tap); the summary says so.
# (DLLB_DOC_PAGES does the same for doc pages; ./dllb fuzz NAME for fuzz.)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

suites=${*:-symbols regress doc isolation tap fuzz}

ensure_packages $DLLB_BUILD_PACKAGES $DLLB_TEST_PACKAGES $DLLB_CODEINTEL_PACKAGES
choose_state_dir
pg_paths

T=$DLLB_STATE/test
rm -rf "$T"
server_dir "$T"

passed=0
failed=0
failures=()
pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); failures+=("$1"); }

# only NAME - true when DLLB_ONLY is unset or NAME matches one of its patterns
only() {
	local p
	[ -z "${DLLB_ONLY:-}" ] && return 0
	# the patterns split on blanks but are not expanded as file names
	# (run in sql/, surql_* would become the .sql files' names)
	set -f
	for p in $DLLB_ONLY; do
		# shellcheck disable=SC2254
		case "$1" in $p) set +f; return 0 ;; esac
	done
	set +f
	return 1
}

# only_names - filter names read one a line on stdin through only()
only_names() {
	local n
	while read -r n; do only "$n" && echo "$n"; done
	return 0
}

summary() {
	echo
	[ -n "${DLLB_ONLY:-}" ] && echo "(only tests matching DLLB_ONLY='$DLLB_ONLY' ran)"
	if [ ${#failures[@]} -gt 0 ]; then
		echo "failed tests:"
		printf '  %s\n' "${failures[@]}"
	fi
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}

echo "== build (from clean)"
if ! build clean || ! make -C "$DLLB_ROOT/codeintel" -s clean all >/dev/null; then
	fail "build"
	summary
	exit 1
fi

# count_regress LOG PREFIX RC - tally pg_regress/pg_isolation_regress result
# lines ("test foo ... ok", "     foo ... FAILED"); a harness that exits
# non-zero without naming a failed test counts as one failure itself.
count_regress() {
	local name status before=$failed
	while read -r name status; do
		if [ "$status" = ok ]; then pass; else fail "$2/$name"; fi
	done < <(sed -nE 's/^(test +| +)([A-Za-z0-9_.-]+) +\.\.\. +(ok|FAILED|failed).*/\2 \3/p' "$1")
	if [ "$3" -ne 0 ] && [ "$failed" -eq "$before" ]; then
		fail "$2 (the harness itself failed, exit $3)"
	fi
}

run_symbols() {
	echo "== symbols"
	local bad
	bad=$(nm -D --defined-only "$DLLB_ROOT/dllb.so" | awk '{print $3}' |
		grep -vE '^(dllb_|pg_finfo_dllb_|Pg_magic_func$|_PG_init$)' || true)
	if [ -n "$bad" ]; then
		echo "exported symbols without the dllb_ prefix:"
		echo "$bad" | sed 's/^/  /'
		fail "symbols/prefix"
	else
		echo "every exported symbol carries the dllb_ prefix"
		pass
	fi
}

# start_cluster DIR PORT - initdb (trust auth, test/regress.conf) and start a
# throwaway cluster in DIR listening only on a unix socket in DIR/run.
start_cluster() {
	local dir=$1 port=$2
	server_dir "$dir"
	as_server "$PGBIN/initdb" -D "$dir/data" --auth=trust --encoding=UTF8 --no-locale \
		-U "$(server_user)" >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log"; return 1; }
	as_server mkdir -p "$dir/run"
	cat "$DLLB_ROOT/test/regress.conf" | as_server tee -a "$dir/data/postgresql.conf" >/dev/null
	as_server "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
		-o "-c port=$port -c listen_addresses='' -c unix_socket_directories='$dir/run'" \
		start >/dev/null || { cat "$dir/server.log"; return 1; }
}

stop_cluster() {
	as_server "$PGBIN/pg_ctl" -D "$1/data" -m immediate -w stop >/dev/null 2>&1 || true
}

# The pg_regress suite runs the way users run dllb: as the ordinary role
# dllb_app, in a database where a superuser ran only CREATE EXTENSION dllb,
# with the default search_path, beside a hostile role whose traps in
# schema public must never be called (test/regress_setup.sql).
# (The doc suite runs the SQL examples of the docs the same way.)
run_regress() {
	echo "== regress (pg_regress, as role dllb_app)"
	local tests rc=0 dir=$T/regress port=$((DLLB_PORT + 2000)) calls
	tests=$(cd "$DLLB_ROOT/sql" && ls *.sql 2>/dev/null | sed 's/\.sql$//' | sort | only_names)
	[ -n "$tests" ] || return 0
	server_dir "$dir"
	if ! start_cluster "$dir/instance" "$port"; then
		fail "regress (the cluster did not start)"
		return 0
	fi
	local psql_admin=("$PGBIN/psql" -X -q -h "$dir/instance/run" -p "$port" -U "$(server_user)")
	if ! as_server "${psql_admin[@]}" -d postgres -v ON_ERROR_STOP=1 \
		-f "$DLLB_ROOT/test/regress_setup.sql" >"$dir/setup.log" 2>&1; then
		cat "$dir/setup.log"
		fail "regress (setup)"
		stop_cluster "$dir/instance"
		return 0
	fi
	# (from the output folder: tests write client-side files there with \copy)
	cd "$dir"
	as_server "$PGXS_DIR/src/test/regress/pg_regress" --use-existing \
		--host="$dir/instance/run" --port="$port" --user=dllb_app --dbname=dllb_regress \
		--bindir="$PGBIN" --inputdir="$DLLB_ROOT" --outputdir="$dir" \
		$tests 2>&1 | tee "$T/regress.log" || rc=$?
	cd "$DLLB_ROOT"
	count_regress "$T/regress.log" regress "$rc"
	[ -s "$dir/regression.diffs" ] && echo "diffs: $dir/regression.diffs"

	# the hostile role's traps: never called, never escalated
	calls=$(as_server "${psql_admin[@]}" -d dllb_regress -tA -c \
		"SELECT string_agg(DISTINCT trap || ' by ' || caller, ', ') FROM dllb_hostile.calls" 2>&1)
	calls=$calls$(as_server "${psql_admin[@]}" -d dllb_regress -tA -c \
		"SELECT ' dllb_hostile became a superuser' FROM pg_roles WHERE rolname = 'dllb_hostile' AND rolsuper" 2>&1)
	if [ -n "$calls" ]; then
		echo "hostile traps were called: $calls"
		as_server "${psql_admin[@]}" -d dllb_regress -c \
			"SELECT trap, caller, context FROM dllb_hostile.calls ORDER BY at" >"$dir/hostile_calls.txt" 2>&1
		echo "   where: $dir/hostile_calls.txt"
		fail "regress/hostile_traps"
	else
		echo "no hostile trap was called"
		pass
	fi
	stop_cluster "$dir/instance"
	return 0
}

# Every SQL example of README.md and doc/*.md, page by page, each in a
# fresh database as the ordinary role dllb_app (test/doc/run_doc_examples.py).
# DLLB_DOC_UPDATE=1 writes what psql prints into the pages instead (for
# authors: review the diff); DLLB_DOC_PAGES limits the pages.
run_doc() {
	echo "== doc (every SQL example of README.md and doc/*.md, as role dllb_app)"
	local dir=$T/doc port=$((DLLB_PORT + 2001)) line pages
	server_dir "$dir"
	if ! start_cluster "$dir/instance" "$port"; then
		fail "doc (the cluster did not start)"
		return 0
	fi
	as_server "$PGBIN/psql" -X -q -h "$dir/instance/run" -p "$port" -U "$(server_user)" -d postgres \
		-c "CREATE ROLE dllb_app LOGIN" >/dev/null
	pages=${DLLB_DOC_PAGES:-"$DLLB_ROOT/README.md $DLLB_ROOT/doc/*.md"}
	while read -r line; do
		echo "$line"
		case "$line" in
		"doc ok "*) pass ;;
		"doc FAILED "*) fail "doc:${line#doc FAILED }" ;;
		esac
	done < <(python3 "$DLLB_ROOT/test/doc/run_doc_examples.py" \
		--psql "$PGBIN/psql" --host "$dir/instance/run" --port "$port" \
		--admin "$(server_user)" --user dllb_app --out "$dir/out" --root "$DLLB_ROOT" \
		${DLLB_DOC_UPDATE:+--update} $pages 2>&1 || echo "doc FAILED harness")
	stop_cluster "$dir/instance"
	return 0
}

run_isolation() {
	echo "== isolation (pg_isolation_regress)"
	local specs rc=0
	specs=$(cd "$DLLB_ROOT/test/isolation/specs" && ls *.spec 2>/dev/null | sed 's/\.spec$//' | sort | only_names)
	[ -n "$specs" ] || return 0
	server_dir "$T/isolation"
	as_server "$PGXS_DIR/src/test/isolation/pg_isolation_regress" \
		--temp-instance="$T/isolation/instance" --temp-config="$DLLB_ROOT/test/regress.conf" \
		--bindir="$PGBIN" --inputdir="$DLLB_ROOT/test/isolation" --outputdir="$T/isolation" \
		--load-extension=dllb --encoding=UTF8 --no-locale \
		$specs 2>&1 | tee "$T/isolation.log" || rc=$?
	count_regress "$T/isolation.log" isolation "$rc"
	[ -s "$T/isolation/regression.diffs" ] && echo "diffs: $T/isolation/regression.diffs"
	return 0
}

run_tap() {
	echo "== tap (prove)"
	local t name rc
	server_dir "$T/tap"
	for t in "$DLLB_ROOT"/test/t/*.pl; do
		[ -e "$t" ] || continue
		name=$(basename "$t" .pl)
		only "$name" || continue
		server_dir "$T/tap/$name"
		rc=0
		(cd "$T/tap/$name" && as_server env \
			PATH="$PGBIN:$PATH" TESTDIR="$T/tap/$name" PGPORT=$((DLLB_PORT + 1000)) \
			PG_REGRESS="$PGXS_DIR/src/test/regress/pg_regress" \
			DLLB_ROOT="$DLLB_ROOT" \
			timeout "${DLLB_TAP_TIMEOUT:-900}" \
			prove -I "$PGXS_DIR/src/test/perl" -I "$DLLB_ROOT/test/perl" "$t") || rc=$?
		if [ $rc -eq 0 ]; then pass; else
			fail "tap/$name"
			echo "   logs: $T/tap/$name/tmp_check/log"
		fi
	done
}

run_fuzz() {
	echo "== fuzz (libFuzzer, ${DLLB_FUZZ_SECONDS:-15} s a target)"
	local line
	while read -r line; do
		case "$line" in
		"fuzz ok "*) pass ;;
		"fuzz FAILED "*) fail "fuzz/${line#fuzz FAILED }" ;;
		esac
		echo "$line"
	done < <("$DLLB_ROOT/scripts/fuzz.sh" 2>&1 || echo "fuzz FAILED harness")
}

for s in $suites; do
	case "$s" in
	symbols) run_symbols ;;
	regress) run_regress ;;
	doc) run_doc ;;
	isolation) run_isolation ;;
	tap) run_tap ;;
	fuzz) run_fuzz ;;
	*) die "unknown suite '$s' (symbols, regress, doc, isolation, tap, fuzz)" ;;
	esac
done

summary
