#!/usr/bin/env bash
# test/bench/reactivity/run.sh - the cost of live queries, events and change
# feeds on writes, and notification latency (not a test).
#
# Runs test/bench/reactivity/bench.py (python3 with psycopg2) against the
# ./dllb run cluster, in a schema of its own (bench_reactive, dropped at
# the end): see that file for what is measured and how.
#   ./dllb bench reactivity [SECONDS [ROUNDS]]    (default 2 s, 7 rounds)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../.." && pwd)
source "$root/scripts/common.sh"
ensure_packages python3 python3-psycopg2
choose_state_dir
pg_paths
cluster_paths
echo | "$root/dllb" run >/dev/null
echo "== load: $(uptime | sed 's/.*load average/load average/') on $(nproc) cores"
PGUSER=$(server_user) /usr/bin/python3 "$here/bench.py" "$SOCKET_DIR" "$DLLB_PORT" dllb "${1:-2}" "${2:-7}"
