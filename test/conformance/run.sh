#!/usr/bin/env bash
# test/conformance/run.sh SUITE [AREA ...] [-v] - SurrealDB's language tests
# through dllb.query (not a test of ./dllb test: the suite is not ours).
#
# SUITE is the language-tests/tests folder of a copy of surrealdb/surrealdb
# made outside this repository (DEVELOPERS.md there says how to get one).
# Starts the ./dllb run cluster and runs test/conformance/conformance.py
# against it; prints passed tests and statements per area.  Areas: see
# AREAS in conformance.py.  -v lists each statement that fails.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
source "$root/scripts/common.sh"
[ $# -ge 1 ] || die "usage: test/conformance/run.sh SUITE [AREA ...] [-v]"
ensure_packages python3-psycopg2
choose_state_dir
pg_paths
cluster_paths
echo | "$root/dllb" run >/dev/null
exec /usr/bin/python3 "$here/conformance.py" --host "$SOCKET_DIR" --port "$DLLB_PORT" \
	--user "$(server_user)" "$@"
