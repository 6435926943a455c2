#!/usr/bin/env bash
# make_package_graph.sh OUTDIR - Debian's package dependency graph, from
# `apt-cache dumpavail` of this machine (needs apt lists: run apt-get update
# first on a fresh machine).  Writes
#   OUTDIR/packages.tsv   one package name a line
#   OUTDIR/depends.tsv    package <TAB> dependency, one line per distinct
#                         pair, from Depends and Pre-Depends, every
#                         alternative of "a | b", version and architecture
#                         qualifiers dropped, only dependencies that are
#                         packages themselves (not virtual ones)
set -euo pipefail
out=${1:?usage: make_package_graph.sh OUTDIR}
mkdir -p "$out"
export LC_ALL=C
apt-cache dumpavail | awk -v pk="$out/packages.raw" -v dp="$out/depends.raw" '
	/^Package: / { pkg = $2; print pkg > pk; next }
	/^(Depends|Pre-Depends): / {
		line = $0
		sub(/^[A-Za-z-]+: /, "", line)
		n = split(line, deps, /[,|]/)
		for (i = 1; i <= n; i++) {
			d = deps[i]
			gsub(/\([^)]*\)/, "", d)
			gsub(/\[[^]]*\]/, "", d)
			gsub(/<[^>]*>/, "", d)
			gsub(/[ \t]/, "", d)
			sub(/:.*/, "", d)
			if (d != "" && d != pkg)
				print pkg "\t" d > dp
		}
	}'
sort -u "$out/packages.raw" > "$out/packages.tsv"
sort -u "$out/depends.raw" | awk -F'\t' 'NR == FNR { known[$1] = 1; next } ($2 in known) && ($1 in known)' \
	"$out/packages.tsv" - > "$out/depends.tsv"
rm -f "$out/packages.raw" "$out/depends.raw"
echo "package graph: $(wc -l < "$out/packages.tsv") packages, $(wc -l < "$out/depends.tsv") edges" >&2
