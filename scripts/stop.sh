#!/usr/bin/env bash
# scripts/stop.sh - stop the run command's cluster (./dllb stop).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

choose_state_dir
pg_paths
cluster_paths
if cluster_running; then
	as_server "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -m fast -w stop >/dev/null
	log "cluster stopped"
else
	log "no cluster running"
fi
