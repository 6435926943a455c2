#!/usr/bin/env bash
# scripts/run.sh - the README's run command (./dllb run).
#
# Installs what is missing, builds, installs dllb (into the system when
# allowed, and always into the private install tree), starts a private
# cluster under the project folder (unix socket only; set DLLB_LISTEN to
# also listen on TCP, DLLB_PORT to change the port), creates database dllb
# with the extension and the demo data, then opens psql - or, when stdin is
# not a terminal, runs stdin through psql.  Running it again is quick: make
# rebuilds nothing, the cluster is already up, the demo is already loaded.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ensure_packages $DLLB_BUILD_PACKAGES
choose_state_dir
pg_paths
cluster_paths

build
# Also install into the system so any cluster of this machine can use dllb.
if [ -w "$("$PG_CONFIG" --pkglibdir)" ]; then
	make -C "$DLLB_ROOT" -s PG_CONFIG="$PG_CONFIG" install >/dev/null
fi

if [ ! -f "$PGDATA_DIR/PG_VERSION" ]; then
	log "creating cluster in $PGDATA_DIR"
	server_dir "$CLUSTER_DIR"
	as_server "$PGBIN/initdb" -D "$PGDATA_DIR" --auth=trust --encoding=UTF8 \
		--locale=C.UTF-8 -U "$(server_user)" >/dev/null
	as_server mkdir -p "$SOCKET_DIR"
	cat "$DLLB_ROOT/scripts/cluster.conf" | as_server tee -a "$PGDATA_DIR/postgresql.conf" >/dev/null
fi

listen=${DLLB_LISTEN:-}
settings="-c port=$DLLB_PORT -c listen_addresses='$listen' -c unix_socket_directories='$SOCKET_DIR'"

# A rebuilt library needs a fresh server to be picked up by every backend:
# restart when the installed library differs from the one the server
# started with.
libsum=$(cat "$DLLB_STATE/install$("$PG_CONFIG" --pkglibdir)/dllb.so" \
	"$DLLB_STATE/install$("$PG_CONFIG" --sharedir)"/extension/dllb* | md5sum | cut -c1-32)
if cluster_running && [ "$(cat "$CLUSTER_DIR/library.md5" 2>/dev/null)" != "$libsum" ]; then
	log "library changed: restarting the cluster"
	as_server "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -m fast -w stop >/dev/null
fi
if ! cluster_running; then
	log "starting cluster (socket $SOCKET_DIR, port $DLLB_PORT${listen:+, listening on $listen})"
	as_server "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -l "$CLUSTER_LOG" -o "$settings" -w start >/dev/null ||
		die "the server did not start; see $CLUSTER_LOG"
	echo "$libsum" | as_server tee "$CLUSTER_DIR/library.md5" >/dev/null
fi

if [ "$(cluster_psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'dllb'")" != 1 ]; then
	cluster_psql -d postgres -qc "CREATE DATABASE dllb"
fi
# A new build may carry a new install script: recreate the extension when
# the installed version differs (the demo is then reloaded).
have=$(cluster_psql -d dllb -tAc "SELECT extversion FROM pg_extension WHERE extname = 'dllb'")
want=$(awk -F"'" '/^default_version/ {print $2}' "$DLLB_ROOT/dllb.control")
if [ -n "$have" ] && [ "$have" != "$want" ]; then
	cluster_psql -d dllb -qc "DROP EXTENSION dllb CASCADE"
	have=
fi
# Before 1.0 the install script of one version still changes between
# builds; CREATE EXTENSION IF NOT EXISTS then keeps the old objects.  Say
# so, and recreate on request (DROP ... CASCADE drops dllb's tables too).
scriptsum=$(md5sum "$DLLB_STATE/install$("$PG_CONFIG" --sharedir)/extension/dllb--$want.sql" | cut -c1-32)
if [ -n "$have" ] && [ "$(cat "$CLUSTER_DIR/extension.md5" 2>/dev/null)" != "$scriptsum" ]; then
	if [ "${DLLB_RECREATE:-0}" = 1 ]; then
		log "recreating extension dllb in database dllb (its tables are dropped)"
		cluster_psql -d dllb -qc "DROP EXTENSION dllb CASCADE"
		have=
	else
		log "warning: the install script of dllb $want changed since database dllb created the extension;"
		log "         new objects are missing there. DLLB_RECREATE=1 ./dllb run drops and recreates it"
		log "         (with everything that depends on it, dllb tables included)."
	fi
fi
if [ -z "$have" ]; then
	echo "$scriptsum" | as_server tee "$CLUSTER_DIR/extension.md5" >/dev/null
fi
for f in "$DLLB_ROOT"/demo/[0-9]*.sql; do
	cluster_psql -d dllb -v ON_ERROR_STOP=1 -q -f "$f" >/dev/null
done

if [ -t 0 ]; then
	log "connected to database dllb; \\q to leave, './dllb stop' to stop the server"
	exec "$PGBIN/psql" -X -h "$SOCKET_DIR" -p "$DLLB_PORT" -U "$(server_user)" -d dllb
else
	exec "$PGBIN/psql" -X -h "$SOCKET_DIR" -p "$DLLB_PORT" -U "$(server_user)" -d dllb -v ON_ERROR_STOP=1
fi
