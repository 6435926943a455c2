#!/usr/bin/env bash
# scripts/fuzz.sh - build and run the libFuzzer targets in test/fuzz.
#
#   scripts/fuzz.sh [--seconds N] [TARGET...]
#
# Each target is test/fuzz/fuzz_<name>.c.  A line in it of the form
#   fuzz-sources: src/layer/file.c ...
# names the dllb sources it links; those are compiled frontend-style
# (-DFRONTEND, palloc from libpgcommon) with clang, AddressSanitizer and
# UBSan.  Seeds come from test/fuzz/corpus/<name>/; the working corpus and
# any crash file go to $DLLB_STATE/fuzz/<name>/.  Prints "fuzz ok NAME" or
# "fuzz FAILED NAME" per target and exits 1 when any failed.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

seconds=${DLLB_FUZZ_SECONDS:-15}
if [ "${1:-}" = --seconds ]; then
	seconds=$2
	shift 2
fi

ensure_packages $DLLB_BUILD_PACKAGES $DLLB_TEST_PACKAGES
choose_state_dir
pg_paths

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
	for f in "$DLLB_ROOT"/test/fuzz/fuzz_*.c; do
		[ -e "$f" ] && targets+=("$(basename "$f" .c | sed 's/^fuzz_//')")
	done
fi
if [ ${#targets[@]} -eq 0 ]; then
	echo "no fuzz targets"
	exit 0
fi

INC=$("$PG_CONFIG" --includedir-server)
LIBDIR=$("$PG_CONFIG" --pkglibdir)
# -Wno-ignored-attributes: clang does not know the gnu_printf format PG headers use
CFLAGS="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -Wno-ignored-attributes -DFRONTEND -I$DLLB_ROOT/src -I$INC -I$("$PG_CONFIG" --includedir)"
LIBS="$LIBDIR/libpgcommon.a $LIBDIR/libpgport.a -lm"

status=0
for name in "${targets[@]}"; do
	src=$DLLB_ROOT/test/fuzz/fuzz_$name.c
	[ -f "$src" ] || die "no fuzz target $src"
	out=$DLLB_STATE/fuzz/$name
	mkdir -p "$out/corpus" "$out/artifacts"
	sources=$(sed -n 's/.*fuzz-sources:\(.*\)/\1/p' "$src" | head -1)
	srcs=()
	for s in $sources; do srcs+=("$DLLB_ROOT/$s"); done
	if ! clang $CFLAGS -o "$out/fuzz_$name" "$src" "${srcs[@]}" $LIBS >"$out/build.log" 2>&1; then
		cat "$out/build.log"
		echo "fuzz FAILED $name (build)"
		status=1
		continue
	fi
	seeds=$DLLB_ROOT/test/fuzz/corpus/$name
	[ -d "$seeds" ] || seeds=
	if "$out/fuzz_$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$out/artifacts/" -print_final_stats=1 \
		"$out/corpus" $seeds >"$out/run.log" 2>&1; then
		echo "fuzz ok $name ($(grep -o 'stat::number_of_executed_units: *[0-9]*' "$out/run.log" | grep -o '[0-9]*$') runs in ${seconds}s)"
	else
		tail -40 "$out/run.log"
		echo "fuzz FAILED $name (see $out/run.log and $out/artifacts)"
		status=1
	fi
done
exit $status
