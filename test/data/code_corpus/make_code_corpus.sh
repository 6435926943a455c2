#!/usr/bin/env bash
# make_code_corpus.sh OUTDIR [SIZE]
#   SIZE = small (default): newlib C library (newlib/libc + newlib/libm) from
#                           Debian package newlib-source, ~5k functions
#          large          : Linux kernel from Debian package linux-source-6.1,
#                           every .c/.h outside drivers/, ~246k functions
#          full           : the whole Linux kernel tree, ~655k functions
# Writes OUTDIR/{documents,edges}.{jsonl,csv}, functions.tok, stats.json,
# manifest.json. Needs universal-ctags and python3; installs them and the
# source package with apt-get when they are missing and we are root.
# (dllb's copy of the team's shared generator, so that test/bench/graph
# runs from a clone alone; used by `./dllb bench graph calls-small|large`.)
set -euo pipefail
export LC_ALL=C PYTHONHASHSEED=0 PYTHONDONTWRITEBYTECODE=1
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=${1:?usage: make_code_corpus.sh OUTDIR [small|large|full]}
size=${2:-small}

case "$size" in
  small) pkg=newlib-source ;;
  large|full) pkg=linux-source-6.1 ;;
  *) echo "unknown SIZE '$size' (small|large|full)" >&2; exit 2 ;;
esac

need_pkg() {
  if ! dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; then
    if [ "$(id -u)" = 0 ]; then
      echo "installing $1 with apt-get" >&2
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$1" >&2 \
        || { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$1" >&2; }
    else
      echo "package $1 is not installed (run: apt-get install $1)" >&2; exit 1
    fi
  fi
}
need_pkg "$pkg"
command -v python3 >/dev/null || need_pkg python3
command -v ctags >/dev/null || need_pkg universal-ctags
ctags --version | grep -q 'Universal Ctags' || { echo "ctags is not universal-ctags" >&2; exit 1; }

tarball=$(dpkg -L "$pkg" | grep -E '\.tar\.(xz|gz|bz2)$' | head -n 1)
[ -n "$tarball" ] && [ -f "$tarball" ] || { echo "no source tarball found in package $pkg" >&2; exit 1; }

mkdir -p "$out"
out=$(cd "$out" && pwd)
work="$out/.work"
rm -rf "$work"; mkdir -p "$work/src"

t0=$(date +%s)
case "$size" in
  small) tar -xf "$tarball" -C "$work/src" --wildcards '*/newlib/libc/*' '*/newlib/libm/*' ;;
  large) tar -xf "$tarball" -C "$work/src" --exclude='*/drivers/*' --exclude='*/Documentation/*' ;;
  full)  tar -xf "$tarball" -C "$work/src" --exclude='*/Documentation/*' ;;
esac
top=$(ls "$work/src")
[ "$(printf '%s\n' "$top" | wc -l)" = 1 ] || { echo "unexpected tarball layout" >&2; exit 1; }
t1=$(date +%s)

(
  cd "$work/src"
  find "$top" -type f \( -name '*.c' -o -name '*.h' \) | grep -v '/\.pc/' |
  case "$size" in
    small) grep -E "^$top/newlib/(libc|libm)/" ;;
    *) cat ;;
  esac | sort > "$work/files.txt"
  # two ctags processes, one per half of the list (the extractor re-sorts)
  n=$(wc -l < "$work/files.txt"); half=$(( (n + 1) / 2 ))
  head -n "$half" "$work/files.txt" > "$work/files.1"
  tail -n +"$((half + 1))" "$work/files.txt" > "$work/files.2"
  for i in 1 2; do
    ctags -L "$work/files.$i" --sort=no --languages=C --langmap=C:.c.h --kinds-C=fsu \
      --fields=+neS --fields-C=+{properties} --output-format=json -f "$work/tags.$i.json" &
  done
  wait
  cat "$work/tags.1.json" "$work/tags.2.json" > "$work/tags.json"
)
t2=$(date +%s)

python3 "$here/extract_corpus.py" "$work/src" "$work/files.txt" "$work/tags.json" "$out"
t3=$(date +%s)

python3 - "$out" "$pkg" "$(dpkg-query -W -f='${Version}' "$pkg")" "$(basename "$tarball")" \
  "$(sha256sum "$tarball" | cut -d' ' -f1)" "$size" "$(ctags --version | head -n 1)" <<'PY'
import json, sys
out, pkg, ver, tb, sha, size, ctv = sys.argv[1:8]
stats = json.load(open(out + "/stats.json"))
m = {"size": size, "debian_package": pkg, "package_version": ver, "tarball": tb,
     "tarball_sha256": sha, "ctags": ctv, "stats": stats}
json.dump(m, open(out + "/manifest.json", "w"), indent=1, sort_keys=True)
PY
[ "${KEEP_WORK:-0}" = 1 ] || rm -rf "$work"
echo "corpus $size: extract $((t1 - t0))s, ctags $((t2 - t1))s, python $((t3 - t2))s" >&2
