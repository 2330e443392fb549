# test/lib/shards.sh: extra throwaway clusters ("shards") beside the server
# that test/run-tests or test/bench/run-bench started, for the scale-out
# suite and benchmark.  Source it after that server is up (CSM_BINDIR and
# PGPORT set), then:
#
#   csm_shards_start N         # initdb + start shards 1..N, csmetrics in
#                              # database csm_shard of each; stopped and
#                              # removed on exit, also on failure
#   csm_shard_sql K "SQL"      # run SQL on shard K, unaligned tuples only
#   csm_shard_socket K, csm_shard_port K   # where shard K listens
#
# Each shard runs the same binaries as the same OS user, in a temporary
# directory, listening only on a Unix socket there (its port only names the
# socket, so nothing clashes with other runs).  The settings that change how
# PostgreSQL formats values (DateStyle, TimeZone) are the test server's.

CSM_SHARD_ROOT=$(mktemp -d "${TMPDIR:-/tmp}/csm-shards.XXXXXX")
chmod 755 "$CSM_SHARD_ROOT"
CSM_SHARD_COUNT=0

_csm_shard_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

csm_shard_port() { echo $((${PGPORT:-5432} + $1)); }
csm_shard_socket() { echo "$CSM_SHARD_ROOT/shard$1/socket"; }
csm_shard_dir() { echo "$CSM_SHARD_ROOT/shard$1"; }

csm_shard_sql() {
	psql -X -q -v ON_ERROR_STOP=1 -At -h "$(csm_shard_socket "$1")" -p "$(csm_shard_port "$1")" \
		-U postgres -d csm_shard -c "$2"
}

csm_shards_stop() {
	local k
	for ((k = 1; k <= CSM_SHARD_COUNT; k++)); do
		if [ -f "$CSM_SHARD_ROOT/shard$k/data/postmaster.pid" ]; then
			_csm_shard_owner "$CSM_BINDIR/pg_ctl" -D "$CSM_SHARD_ROOT/shard$k/data" -m fast -w stop \
				>/dev/null 2>&1 ||
				_csm_shard_owner "$CSM_BINDIR/pg_ctl" -D "$CSM_SHARD_ROOT/shard$k/data" -m immediate stop \
					>/dev/null 2>&1
		fi
	done
	rm -rf "$CSM_SHARD_ROOT"
}

# Start shards 1..N; returns non-zero (logs on stderr) if one fails
csm_shards_start() {
	local n=$1 k dir
	# keep the caller's EXIT trap (run-bench's server cleanup) and add ours
	local previous
	previous=$(trap -p EXIT | sed -E "s/^trap -- '(.*)' EXIT$/\1/")
	trap "csm_shards_stop; ${previous:-:}" EXIT
	CSM_SHARD_COUNT=$n
	for ((k = 1; k <= n; k++)); do
		dir=$CSM_SHARD_ROOT/shard$k
		mkdir -p "$dir/data" "$dir/socket"
		[ "$(id -u)" -eq 0 ] && chown -R postgres: "$dir"
		_csm_shard_owner "$CSM_BINDIR/initdb" -D "$dir/data" -U postgres -A trust --no-sync -E UTF8 \
			--locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; return 1; }
		cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = ''
port = $(csm_shard_port "$k")
unix_socket_directories = '$dir/socket'
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = '${CSM_SHARD_SHARED_BUFFERS:-64MB}'
work_mem = '64MB'
lc_messages = 'C'
datestyle = 'ISO, YMD'
timezone = 'UTC'
CONF
		_csm_shard_owner "$CSM_BINDIR/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
			>/dev/null || { cat "$dir/server.log" >&2; return 1; }
		psql -X -q -h "$dir/socket" -p "$(csm_shard_port "$k")" -U postgres -d postgres \
			-c "CREATE DATABASE csm_shard" >/dev/null || return 1
		csm_shard_sql "$k" "CREATE EXTENSION csmetrics" || return 1
	done
}

# On the head (database $1): postgres_fdw, and a server and user mapping per
# shard, named shard1..shardN, with csmetrics shippable
csm_shards_connect() {
	local db=$1 k
	psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "CREATE EXTENSION IF NOT EXISTS postgres_fdw" >/dev/null || return 1
	for ((k = 1; k <= CSM_SHARD_COUNT; k++)); do
		psql -X -q -v ON_ERROR_STOP=1 -d "$db" \
			-c "CREATE SERVER shard$k FOREIGN DATA WRAPPER postgres_fdw
				OPTIONS (host '$(csm_shard_socket "$k")', port '$(csm_shard_port "$k")', dbname 'csm_shard',
						 extensions 'csmetrics', fetch_size '10000')" \
			-c "CREATE USER MAPPING FOR CURRENT_USER SERVER shard$k OPTIONS (user 'postgres')" >/dev/null ||
			return 1
	done
}
