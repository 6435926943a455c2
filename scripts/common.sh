# scripts/common.sh - shared by run.sh, stop.sh, test.sh, fuzz.sh and the
# benchmarks.  Sourced, never run.
#
# What lives where:
#   $DLLB_STATE/install   private copy of the PostgreSQL 15 install tree with
#                         the freshly built dllb installed into it (DESTDIR);
#                         PostgreSQL finds its share/ and lib/ relative to
#                         the binary, so this tree works on its own
#   $DLLB_STATE/cluster   the run command's cluster (data/, log, socket in run/)
#   $DLLB_STATE/test      output of the test harnesses
#   $DLLB_STATE/fuzz      fuzz binaries and their working corpora
#
# $DLLB_STATE is .dllb/ in the project folder when the server user can use
# it, otherwise a folder under /tmp (a clone inside /root, say, is not
# reachable by the postgres user).
#
# PostgreSQL refuses to run as root.  When these scripts run as root, every
# server and test harness runs as the Debian "postgres" user; otherwise as
# the calling user.

set -euo pipefail

DLLB_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PG_MAJOR=15
# DLLB_PORT given by the caller wins; otherwise the run command's cluster
# keeps the port it was started with (cluster_paths reads it back)
DLLB_PORT_GIVEN=${DLLB_PORT:+1}
DLLB_PORT=${DLLB_PORT:-5488}

# Packages each command needs (Debian bookworm names).
DLLB_BUILD_PACKAGES="postgresql-$PG_MAJOR postgresql-server-dev-$PG_MAJOR make gcc libc6-dev"
DLLB_TEST_PACKAGES="libipc-run-perl clang libclang-rt-14-dev python3"
# The code intelligence loader (codeintel/): its C extractor on libclang,
# libpq, the default embedding (fastText), python3 for Python sources.
DLLB_CODEINTEL_PACKAGES="gcc make libc6-dev libclang-dev libpq-dev postgresql-client-$PG_MAJOR fasttext python3"

log() { printf 'dllb: %s\n' "$*" >&2; }
die() { printf 'dllb: error: %s\n' "$*" >&2; exit 1; }

is_root() { [ "$(id -u)" -eq 0 ]; }

# ensure_packages PKG... - apt-get install the ones that are not installed.
# Nothing already present is reinstalled; apt lists are refreshed only when
# an install fails without them (a fresh machine has none).
ensure_packages() {
	local missing=() p sudo=""
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if ! is_root; then
		command -v sudo >/dev/null 2>&1 ||
			die "missing packages: ${missing[*]} (run as root, or install them)"
		sudo="sudo"
	fi
	log "installing with apt-get: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	if ! $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
		$sudo apt-get update -q >/dev/null
		$sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
	fi
}

# The user that owns servers and test output.
server_user() {
	if is_root; then
		id -u postgres >/dev/null 2>&1 || die "no 'postgres' user (is postgresql-common installed?)"
		echo postgres
	else
		id -un
	fi
}

# as_server CMD... - run CMD as the server user, keeping the environment.
as_server() {
	if is_root; then
		runuser -u postgres -- env PATH="$PATH" "$@"
	else
		"$@"
	fi
}

# choose_state_dir - set DLLB_STATE (see the header).
choose_state_dir() {
	if [ -n "${DLLB_STATE:-}" ]; then
		:
	elif ! is_root || runuser -u postgres -- test -x "$DLLB_ROOT" -a -r "$DLLB_ROOT" 2>/dev/null; then
		DLLB_STATE=$DLLB_ROOT/.dllb
	else
		DLLB_STATE=/tmp/dllb-$(printf '%s' "$DLLB_ROOT" | md5sum | cut -c1-12)
		log "the postgres user cannot reach $DLLB_ROOT; keeping state in $DLLB_STATE"
	fi
	mkdir -p "$DLLB_STATE"
	chmod 755 "$DLLB_STATE"
	export DLLB_STATE
}

# server_dir DIR - create DIR (if needed) owned by the server user.
server_dir() {
	mkdir -p "$1"
	is_root && chown -R postgres: "$1"
	return 0
}

# pg_paths - set PGBIN (private install's bin dir) and PGXS_DIR.
pg_paths() {
	PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/$PG_MAJOR/bin/pg_config}
	[ -x "$PG_CONFIG" ] || PG_CONFIG=$(command -v pg_config)
	PGBIN=$DLLB_STATE/install$("$PG_CONFIG" --bindir)
	PGXS_DIR=$(dirname "$("$PG_CONFIG" --pgxs)")/../..
	PGXS_DIR=$(cd "$PGXS_DIR" && pwd)
	export PG_CONFIG PGBIN PGXS_DIR
}

# build [clean] - compile dllb (warnings are errors), then install it into
# the private install tree, copying PostgreSQL's tree there first if needed.
build() {
	local jobs
	jobs=$(nproc 2>/dev/null || echo 2)
	if [ "${1:-}" = clean ]; then
		make -C "$DLLB_ROOT" -s PG_CONFIG="$PG_CONFIG" clean >/dev/null
	fi
	make -C "$DLLB_ROOT" -s -j"$jobs" PG_CONFIG="$PG_CONFIG"
	private_install_tree
	make -C "$DLLB_ROOT" -s PG_CONFIG="$PG_CONFIG" install DESTDIR="$DLLB_STATE/install" >/dev/null
}

# private_install_tree - copy bindir, pkglibdir and sharedir of the system
# PostgreSQL under $DLLB_STATE/install: whole once per PostgreSQL version,
# then only what is newer, so extensions installed into the system later
# (RUM or pgvector for the benchmarks, say) show up in the private tree too.
private_install_tree() {
	local dest=$DLLB_STATE/install stamp version d
	stamp=$dest/.pg_version
	version=$("$PG_CONFIG" --version)
	if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$version" ]; then
		rm -rf "$dest"
	fi
	for d in "$("$PG_CONFIG" --bindir)" "$("$PG_CONFIG" --pkglibdir)" "$("$PG_CONFIG" --sharedir)"; do
		mkdir -p "$dest$(dirname "$d")"
		# --remove-destination: a new file, never rewritten in place, so a
		# running server of this tree keeps its mapped copy of a library
		cp -a -u --remove-destination "$d" "$dest$(dirname "$d")/"
	done
	echo "$version" >"$stamp"
}

# cluster_paths - where the run command's cluster lives.
cluster_paths() {
	CLUSTER_DIR=$DLLB_STATE/cluster
	PGDATA_DIR=$CLUSTER_DIR/data
	SOCKET_DIR=$CLUSTER_DIR/run
	CLUSTER_LOG=$CLUSTER_DIR/server.log
	if [ -z "$DLLB_PORT_GIVEN" ] && [ -f "$CLUSTER_DIR/port" ]; then
		DLLB_PORT=$(cat "$CLUSTER_DIR/port")
	fi
}

# connection_info - how psql and drivers reach the run command's cluster
connection_info() {
	log "connect with:  psql \"host=$SOCKET_DIR port=$DLLB_PORT user=$(server_user) dbname=dllb\""
	log "a driver's URL: postgresql://$(server_user)@/dllb?host=$SOCKET_DIR&port=$DLLB_PORT"
}

# cluster_psql ARGS... - psql into the run cluster as its superuser.
cluster_psql() {
	"$PGBIN/psql" -X -h "$SOCKET_DIR" -p "$DLLB_PORT" -U "$(server_user)" "$@"
}

cluster_running() {
	[ -f "$PGDATA_DIR/postmaster.pid" ] &&
		as_server "$PGBIN/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1
}
