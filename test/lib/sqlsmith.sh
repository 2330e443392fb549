# test/lib/sqlsmith.sh: random queries from sqlsmith (Debian package
# "sqlsmith") against a database of every csmetrics type, for
# test/suites/sqlsmith.sh (a short run in the test command) and
# test/stress/run-sqlsmith (a long run).  Source it after pgenv.sh or
# assert.sh, with PGHOST/PGPORT set and $CSM_LOG the server log.
#
#   smith_setup DB            probe tables (test/lib/probe_tables.sql) and the
#                             focus views (test/lib/probe_focus.sql) in DB
#   smith_run DB MODE SEED N OUT
#                             N queries with seed SEED as the role csm_probe;
#                             MODE "focus" sees only csmetrics' functions and a
#                             few built-ins, "all" the whole catalog; sqlsmith's
#                             report goes to OUT; returns sqlsmith's status
#   smith_log_offset          the size of the server log now
#   smith_failures OFFSET     what the server logged after OFFSET that is a
#                             failure: a backend killed by a signal, a failed
#                             Assert() (TRAP), a PANIC, or an XX000 (internal
#                             error) raised by csmetrics' own C code
#
# sqlsmith runs as csm_probe, a role that may only read the probe tables:
# random calls of pg_terminate_backend(), lo_export(), pg_reload_conf() and
# the like are refused, and set_config() and pg_sleep() cannot be called,
# so a random query cannot reach other sessions, files or settings, or lift
# the statement timeout.  The role logs its errors with their SQLSTATE and
# source location (log_error_verbosity = verbose) but not its statements
# (there are thousands); sqlsmith replays from its seed.

SMITH_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

smith_setup() {
	local db=$1
	psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f "$SMITH_LIB/probe_tables.sql" >/dev/null &&
		psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f "$SMITH_LIB/probe_focus.sql" >/dev/null &&
		psql -X -q -v ON_ERROR_STOP=1 -d "$db" >/dev/null <<SQL
REVOKE EXECUTE ON FUNCTION pg_catalog.set_config(text, text, boolean) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION pg_catalog.pg_sleep(float8) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION pg_catalog.pg_sleep_for(interval) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION pg_catalog.pg_sleep_until(timestamptz) FROM PUBLIC;
ALTER ROLE csm_probe IN DATABASE "$db" SET statement_timeout = '2s';
ALTER ROLE csm_probe IN DATABASE "$db" SET log_error_verbosity = verbose;
ALTER ROLE csm_probe IN DATABASE "$db" SET log_min_error_statement = panic;
ALTER ROLE csm_probe IN DATABASE "$db" SET log_min_messages = error;
SQL
}

smith_run() {
	local db=$1 mode=$2 seed=$3 n=$4 out=$5 options=""
	[ "$mode" = focus ] && options=" options='-c search_path=csm_focus,pg_catalog,public'"
	# a hang guard only: about 60 queries a second here
	timeout $((120 + n / 5)) sqlsmith --exclude-catalog --verbose --seed="$seed" --max-queries="$n" \
		--target="host=$PGHOST port=$PGPORT user=csm_probe dbname=$db$options" >"$out" 2>&1
}

smith_log_offset() {
	stat -c %s "$CSM_LOG"
}

smith_failures() {
	local offset=$1 files
	files=$(cd "$SMITH_LIB/../../src" && ls ./*.c | sed 's|^\./||' | paste -sd'|')
	tail -c +"$((offset + 1))" "$CSM_LOG" | awk -v files="^($files)$" '
		/terminated by signal|TRAP:|PANIC:|was terminated by exception/ { print; next }
		/ERROR:  XX000:/ { pending = $0; next }
		/LOCATION:/ && pending != "" {
			file = $NF; sub(/:[0-9]+$/, "", file)
			if (file ~ files) print pending " at " $NF
			pending = ""; next
		}
		{ pending = "" }'
}
