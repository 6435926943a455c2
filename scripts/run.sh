#!/usr/bin/env bash
# scripts/run.sh - the README's run command (./dllb run).
#
# Installs what is missing, builds, installs dllb (into the system when
# allowed, and always into the private install tree), starts a private
# cluster under the project folder (unix socket only; set DLLB_LISTEN to
# also listen on TCP, DLLB_PORT to change the port), creates database dllb
# with the extension and the demo data, then opens psql - or, when stdin is
# not a terminal, runs stdin through psql.  Running it again is quick: make
# rebuilds nothing, the cluster is already up.  The demo is loaded once,
# when the extension is created in database dllb; later runs keep your
# changes.  The cluster remembers its port (a later DLLB_PORT restarts it
# on the new one).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ensure_packages $DLLB_BUILD_PACKAGES
choose_state_dir
pg_paths
cluster_paths

if [ ! -f "$DLLB_ROOT/dllb.so" ]; then
	log "building dllb (the first build takes a minute or two)"
fi
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
elif cluster_running && [ "$(cat "$CLUSTER_DIR/port" 2>/dev/null)" != "$DLLB_PORT" ]; then
	log "the cluster runs on port $(cat "$CLUSTER_DIR/port" 2>/dev/null); restarting it on port $DLLB_PORT"
	as_server "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -m fast -w stop >/dev/null
fi
if ! cluster_running; then
	log "starting cluster (socket $SOCKET_DIR, port $DLLB_PORT${listen:+, listening on $listen})"
	if ! as_server "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -l "$CLUSTER_LOG" -o "$settings" -w start >/dev/null; then
		log "the server did not start; the end of $CLUSTER_LOG says:"
		tail -n 5 "$CLUSTER_LOG" | sed 's/^/    /' >&2
		grep -q "could not bind\|already in use" "$CLUSTER_LOG" 2>/dev/null &&
			log "port $DLLB_PORT is taken: choose another with DLLB_PORT=NNNN ./dllb run"
		exit 1
	fi
	echo "$libsum" | as_server tee "$CLUSTER_DIR/library.md5" >/dev/null
	echo "$DLLB_PORT" | as_server tee "$CLUSTER_DIR/port" >/dev/null
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
# so, and recreate on request (DROP ... CASCADE drops dllb's tables too,
# and whatever else uses a dllb type: say what, first).
scriptsum=$(md5sum "$DLLB_STATE/install$("$PG_CONFIG" --sharedir)/extension/dllb--$want.sql" | cut -c1-32)
if [ -n "$have" ] && [ "$(cat "$CLUSTER_DIR/extension.md5" 2>/dev/null)" != "$scriptsum" ]; then
	if [ "${DLLB_RECREATE:-0}" = 1 ] || [ "${DLLB_RECREATE:-0}" = force ]; then
		# what DROP EXTENSION ... CASCADE would take along, beside dllb's own
		# tables: ask PostgreSQL (a drop that is rolled back lists them)
		dllb_tables=$(cluster_psql -d dllb -tA -c "SELECT 'table ' || tbl::text FROM dllb.tables" 2>/dev/null || true)
		others=$(cluster_psql -d dllb -q -c "BEGIN; SET LOCAL client_min_messages = notice;
			DROP EXTENSION dllb CASCADE; ROLLBACK;" 2>&1 |
			sed -nE 's/^(NOTICE|DETAIL): +//; s/^drop cascades to //p' |
			grep -vxF -f <(printf '%s\n' "$dllb_tables" "") | grep -vE '^[0-9]+ other objects$' || true)
		log "recreating extension dllb in database dllb: its tables are dropped"
		if [ -n "$others" ]; then
			log "and so are these, which use dllb's types or functions:"
			echo "$others" | sed 's/^/    /' >&2
			if [ "${DLLB_RECREATE}" != force ]; then
				die "nothing was dropped; DLLB_RECREATE=force ./dllb run drops them too"
			fi
		fi
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
	# a new extension in database dllb: load the demo (once)
	log "loading the demo data into database dllb"
	for f in "$DLLB_ROOT"/demo/[0-9]*.sql; do
		cluster_psql -d dllb -v ON_ERROR_STOP=1 -q -f "$f" >/dev/null
	done
fi
connection_info

if [ -t 0 ]; then
	log "connected to database dllb; \\q to leave, './dllb stop' to stop the server"
	exec "$PGBIN/psql" -X -h "$SOCKET_DIR" -p "$DLLB_PORT" -U "$(server_user)" -d dllb
else
	exec "$PGBIN/psql" -X -h "$SOCKET_DIR" -p "$DLLB_PORT" -U "$(server_user)" -d dllb -v ON_ERROR_STOP=1
fi
