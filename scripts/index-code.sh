#!/usr/bin/env bash
# scripts/index-code.sh - ./dllb index-code PATH [--db NAME] [--embed CMD] [options]
#
# Loads a C/Python source tree into database NAME (default: code) of the
# private cluster that ./dllb run starts (started here when it is not
# running), creating the database with the dllb extension when missing.
# Installs what the loader needs (libclang-dev, fasttext, ...) and builds
# its C extractor first.  Every other option goes to codeintel/dllb-index-code
# (doc/codeintel.md); that program also works on its own against any
# PostgreSQL with dllb.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

db=code
args=()
while [ $# -gt 0 ]; do
	case "$1" in
	--db) db=${2:?--db needs a name}; shift 2 ;;
	--db=*) db=${1#--db=}; shift ;;
	-h | --help) exec python3 "$DLLB_ROOT/codeintel/dllb-index-code" --help ;;
	*) args+=("$1"); shift ;;
	esac
done
[ ${#args[@]} -gt 0 ] || die "usage: ./dllb index-code PATH [--db NAME] [--embed CMD] (see doc/codeintel.md)"
[[ $db =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || die "--db: '$db' is not a plain database name"

ensure_packages $DLLB_BUILD_PACKAGES $DLLB_CODEINTEL_PACKAGES
choose_state_dir
pg_paths
cluster_paths
make -C "$DLLB_ROOT/codeintel" -s >/dev/null || die "building codeintel/dllb-extract-c failed"

echo | "$DLLB_ROOT/dllb" run >/dev/null
if [ "$(cluster_psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'")" != 1 ]; then
	log "creating database $db with the dllb extension"
	cluster_psql -d postgres -qc "CREATE DATABASE $db"
fi
cluster_psql -d "$db" -qc "SET client_min_messages = warning" -c "CREATE EXTENSION IF NOT EXISTS dllb"

# relative paths are the caller's, not the project's
exec env PGHOST="$SOCKET_DIR" PGPORT="$DLLB_PORT" PGUSER="$(server_user)" PGDATABASE="$db" \
	PSQL="$PGBIN/psql" python3 "$DLLB_ROOT/codeintel/dllb-index-code" "${args[@]}"
