#!/usr/bin/env bash
# scripts/demo-code.sh - ./dllb demo code: index the C library of newlib
# (Debian package newlib-source: about 2,400 files, 3,600 functions) into
# database "code" of the ./dllb run cluster, then print how to query it.
# Running it again re-indexes nothing (the files have not changed).
# doc/codeintel.md shows the showcase queries on this database.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ensure_packages newlib-source
choose_state_dir
tree=$DLLB_STATE/demo/newlib
if [ ! -d "$tree/newlib/libc" ]; then
	tarball=$(dpkg -L newlib-source | grep -E '\.tar\.(xz|gz|bz2)$' | head -n 1)
	[ -n "$tarball" ] || die "no source tarball in package newlib-source"
	log "unpacking newlib/libc from $tarball"
	rm -rf "$tree.tmp"
	mkdir -p "$tree.tmp"
	tar -xf "$tarball" -C "$tree.tmp" --wildcards '*/newlib/libc/*'
	mv "$tree.tmp"/* "$tree"
	rmdir "$tree.tmp"
fi

rc=0
bash "$DLLB_ROOT/scripts/index-code.sh" "$tree/newlib/libc" --db code --quiet "$@" || rc=$?
# 3: some files were left out (reported above); the rest is indexed
[ $rc -eq 0 ] || [ $rc -eq 3 ] || exit $rc
cat <<'TXT'

Database "code" holds newlib's libc as MetaAST nodes and edges.  Try:

  ./dllb psql -d code
  SELECT kind, count(*) FROM ast_node GROUP BY kind ORDER BY 2 DESC;
  SELECT * FROM dllb.query($$SELECT name, file_path FROM ast_node
    WHERE kind = 'function' AND ->calls->ast_node[WHERE name = '__sinit'] LIMIT 5$$);

and the two showcase queries of doc/codeintel.md ("The demo").
TXT
