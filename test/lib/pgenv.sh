# test/lib/pgenv.sh: a throwaway PostgreSQL 15 for the tests, the demo and
# the benchmark.  Source it, then call the functions in order:
#
#   csm_ensure_packages postgresql-server-dev-15 ...  # apt-get what is missing
#   csm_setup                # private copy of the server, csmetrics built (with
#                            # COPT=$CSM_COPT, default -Werror) and installed into it
#   csm_start                # initdb + start; exports PGHOST, PGPORT, PGUSER
#   ...                      # psql, make installcheck, ...
#   (csm_stop and the cleanup run from an EXIT trap, also on failure)
#
# The server binaries are copied into a temporary directory and csmetrics is
# installed there with "make install DESTDIR=...", so a run never touches
# the system installation and several checkouts can test at the same time.
# The server listens only on a Unix socket in that directory (no TCP port
# can clash).  initdb refuses to run as root, so as root the server runs as
# the "postgres" user.

CSM_PG_MAJOR=${CSM_PG_MAJOR:-15}
CSM_PORT=${CSM_PORT:-54321}

csm_log() { printf '== %s\n' "$*" >&2; }

# Install the Debian packages that are not installed yet
csm_ensure_packages() {
	local missing=() pkg
	for pkg in "$@"; do
		dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' ||
			missing+=("$pkg")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" -ne 0 ]; then
		echo "missing Debian packages: ${missing[*]} (run as root to install them)" >&2
		return 1
	fi
	csm_log "installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null &&
		apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Run a command as the user that owns the cluster
csm_as_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

csm_cleanup() {
	csm_stop
	if [ -n "${CSM_TMP:-}" ] && [ -z "${CSM_KEEP:-}" ]; then
		rm -rf "$CSM_TMP"
	fi
}

# Build csmetrics and install it into a private copy of the server
csm_setup() {
	local srcdir=${1:-.} bindir sharedir libdir
	bindir=$(pg_config --bindir)
	sharedir=$(pg_config --sharedir)
	libdir=$(pg_config --pkglibdir)
	case "$bindir" in
		*/"$CSM_PG_MAJOR"/bin) ;;
		*) echo "pg_config is not PostgreSQL $CSM_PG_MAJOR: $bindir" >&2; return 1 ;;
	esac

	CSM_TMP=$(mktemp -d "${TMPDIR:-/tmp}/csmetrics.XXXXXX")
	chmod 755 "$CSM_TMP"
	trap csm_cleanup EXIT
	trap 'exit 130' INT TERM

	CSM_ROOT=$CSM_TMP/pg
	mkdir -p "$CSM_ROOT$(dirname "$bindir")" "$CSM_ROOT$sharedir" "$CSM_ROOT$libdir"
	# the server finds share/ and lib/ relative to its own binary
	cp -a "$(dirname "$bindir")/." "$CSM_ROOT$(dirname "$bindir")/"
	cp -a "$sharedir/." "$CSM_ROOT$sharedir/"

	csm_log "building csmetrics"
	make -C "$srcdir" -s clean >/dev/null 2>&1 || true
	make -C "$srcdir" -s -j2 COPT="${CSM_COPT:--Werror}" >"$CSM_TMP/build.log" 2>&1 || {
		cat "$CSM_TMP/build.log" >&2
		return 1
	}
	make -C "$srcdir" -s install DESTDIR="$CSM_ROOT" >>"$CSM_TMP/build.log" 2>&1 || {
		cat "$CSM_TMP/build.log" >&2
		return 1
	}
	CSM_BINDIR=$CSM_ROOT$bindir
	export CSM_TMP CSM_ROOT CSM_BINDIR
}

# initdb and start the server; extra "-c name=value" settings may be given
csm_start() {
	local opts=("$@")
	CSM_DATA=$CSM_TMP/data
	CSM_SOCKET=$CSM_TMP/socket
	CSM_LOG=$CSM_TMP/log/server.log
	mkdir -p "$CSM_DATA" "$CSM_SOCKET" "$CSM_TMP/log"
	if [ "$(id -u)" -eq 0 ]; then
		chown postgres: "$CSM_DATA" "$CSM_SOCKET" "$CSM_TMP/log"
	fi
	csm_as_owner "$CSM_BINDIR/initdb" -D "$CSM_DATA" -U postgres -A trust \
		--no-sync -E UTF8 --locale=C.UTF-8 >"$CSM_TMP/initdb.log" 2>&1 || {
		cat "$CSM_TMP/initdb.log" >&2
		return 1
	}
	cat >>"$CSM_DATA/postgresql.conf" <<CONF
listen_addresses = '${CSM_LISTEN:-}'
port = $CSM_PORT
unix_socket_directories = '$CSM_SOCKET'
fsync = off
synchronous_commit = off
full_page_writes = off
max_worker_processes = 16
max_parallel_workers = 8
shared_buffers = '512MB'
work_mem = '64MB'
maintenance_work_mem = '256MB'
lc_messages = 'C'
datestyle = 'ISO, YMD'
timezone = 'UTC'
CONF
	csm_as_owner "$CSM_BINDIR/pg_ctl" -D "$CSM_DATA" -l "$CSM_LOG" -w -t 60 \
		${opts:+-o "${opts[*]}"} start >/dev/null || {
		cat "$CSM_LOG" >&2
		return 1
	}
	export PGHOST=$CSM_SOCKET PGPORT=$CSM_PORT PGUSER=postgres PGDATABASE=postgres
	export CSM_DATA CSM_SOCKET CSM_LOG
}

csm_stop() {
	if [ -n "${CSM_DATA:-}" ] && [ -f "$CSM_DATA/postmaster.pid" ]; then
		csm_as_owner "$CSM_BINDIR/pg_ctl" -D "$CSM_DATA" -m fast -w stop >/dev/null 2>&1 ||
			csm_as_owner "$CSM_BINDIR/pg_ctl" -D "$CSM_DATA" -m immediate stop >/dev/null 2>&1
	fi
	return 0
}
