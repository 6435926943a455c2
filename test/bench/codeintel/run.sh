#!/usr/bin/env bash
# test/bench/codeintel/run.sh [--headers] [--sample N] - code intelligence
# benchmark (not a test).
#
# Indexes the Linux 6.1 tree without drivers/ and Documentation/ (Debian
# package linux-source-6.1, unpacked once under .dllb/bench/codeintel) into
# a fresh database bench_codeintel of the ./dllb run cluster with
# ./dllb index-code, and prints:
#   - the load: each phase's time (scan, extract, train, embed, load) and
#     functions/s over extraction + load and over the whole run;
#   - each index build's time (BM25 source_text, BM25 doc_comment, HNSW);
#   - both showcase queries of doc/codeintel.md through dllb.query, for 100
#     start functions: median and p95 latency, rows, against the same
#     question in hand-written SQL over the same indexes, and against the
#     exact answer (no HNSW) for recall.
# The C extractor runs in --fast mode (no #include opened) unless --headers
# is given: with headers, extraction of this tree takes about an hour on 2
# cores.  --sample N indexes only every Nth file (a quick run);
# --queries-only runs the queries on the database the last run left;
# --no-sql leaves out the hand-written SQL (dllb.query and exact only).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../.." && pwd)
source "$root/scripts/common.sh"

mode=--fast
sample=1
load=1
hows=dialect,sql,dialect,sql,exact
while [ $# -gt 0 ]; do
	case "$1" in
	--headers) mode=; shift ;;
	--queries-only) load=0; shift ;;
	--sample) sample=$2; shift 2 ;;
	--no-sql) hows=dialect,dialect,exact; shift ;;
	*) die "usage: ./dllb bench codeintel [--headers] [--sample N] [--queries-only] [--no-sql]" ;;
	esac
done

ensure_packages linux-source-6.1 $DLLB_CODEINTEL_PACKAGES
choose_state_dir
pg_paths
cluster_paths
data=$DLLB_STATE/bench/codeintel
tree=$data/linux
if [ ! -d "$tree/kernel" ]; then
	tarball=$(dpkg -L linux-source-6.1 | grep -E '\.tar\.(xz|gz|bz2)$' | head -n 1)
	log "unpacking $tarball without drivers/ and Documentation/ (a minute)"
	rm -rf "$data/unpack"
	mkdir -p "$data/unpack"
	tar -xf "$tarball" -C "$data/unpack" --exclude='*/drivers/*' --exclude='*/Documentation/*'
	rm -rf "$tree"
	mv "$data/unpack"/* "$tree"
	rmdir "$data/unpack"
fi
src=$tree
if [ "$sample" != 1 ]; then
	# every Nth source file, copied with its folders (the include folders whole)
	src=$data/sample-$sample
	if [ ! -d "$src" ]; then
		(cd "$tree" && { find . -type d -name include -prune -o -type f \( -name '*.c' -o -name '*.h' \) -print | sort | awk -v n="$sample" 'NR % n == 0'; find . -path '*/include/*' -type f -name '*.h'; } |
			sort -u) > "$data/sample.list"
		mkdir -p "$src"
		tar -C "$tree" -cf - -T "$data/sample.list" | tar -C "$src" -xf -
	fi
fi

db=bench_codeintel
echo | "$root/dllb" run >/dev/null
if [ $load = 1 ]; then
cluster_psql -d postgres -q -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db"
echo "== indexing $(find "$src" -name '*.[ch]' | wc -l) files of $src${mode:+ (--fast)}, 2 extractor processes"
uptime
rc=0
bash "$root/scripts/index-code.sh" "$src" --db $db $mode --jobs 2 2>"$data/load.log" || rc=$?
grep -v ': error: ' "$data/load.log" | sed 's/^dllb-index-code: /  /'
[ $rc -eq 0 ] || [ $rc -eq 3 ] || die "indexing failed (exit $rc); see $data/load.log"
echo "  parse errors reported: $(grep -c ': error: ' "$data/load.log" || true)"
python3 - "$data/load.log" <<'PY'
import re, sys
t, f = {}, 0
for line in open(sys.argv[1]):
    m = re.match(r"dllb-index-code: (\w+) +([0-9.]+) s", line)
    if m:
        t[m.group(1)] = t.get(m.group(1), 0) + float(m.group(2))
    m = re.search(r"; ([0-9]+) functions, ([0-9]+) functions/s", line)
    if m:
        f = int(m.group(1))
el = t.get("extract", 0) + t.get("load", 0)
if f and el:
    print("  functions/s over extract + load: %.0f (%d functions in %.1f s)" % (f / el, f, el))
    print("  functions/s over the whole run (with fastText training, embedding, index builds): %.0f"
          % (f / sum(v for k, v in t.items())))
# by CPU, for a busy machine: the extractors' CPU over 2 cores, then the
# first load's server backend (the loader's own CPU runs beside it)
text = open(sys.argv[1]).read()
m1 = re.search(r"extract .*; ([0-9.]+) s of CPU", text)
m2 = re.search(r"bulk .*CPU: server ([0-9.]+) s, loader ([0-9.]+) s", text)
if f and m1 and m2:
    est = float(m1.group(1)) / 2 + max(float(m2.group(1)), float(m2.group(2)))
    print("  by CPU: extractors %s s, server backend %s s (without parallel workers), loader %s s:"
          % (m1.group(1), m2.group(1), m2.group(2)))
    print("    about %.0f functions/s over extract + load on 2 idle cores (%.0f s)" % (f / est, est))
PY
fi

cluster_psql -d $db -v ON_ERROR_STOP=1 -v hows=$hows -q -f "$here/bench.sql"
