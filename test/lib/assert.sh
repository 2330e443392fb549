# test/lib/assert.sh: assertions for the shell suites under test/suites/.
# Each check prints one TAP line ("ok N - name" or "not ok N - name");
# test/run-tests counts them.  The suites run against the server that
# test/run-tests started (PGHOST, PGPORT, PGUSER are set) in database
# $CSM_DB, which has csmetrics installed.

CSM_DB=${CSM_DB:-csm_suites}
_csm_n=0

_csm_report() {		# status name [detail]
	_csm_n=$((_csm_n + 1))
	if [ "$1" = ok ]; then
		echo "ok $_csm_n - $2"
	else
		echo "not ok $_csm_n - $2"
		[ -n "${3:-}" ] && printf '%s\n' "$3" | sed 's/^/#   /'
	fi
}

# plan N: state, before the first check, how many results the suite prints
# ("1..N"); test/run-tests fails a suite whose results do not match its plan
plan() {
	echo "1..$1"
}

# Run SQL, print the unaligned, tuples-only result
csm_sql() {
	psql -X -q -v ON_ERROR_STOP=1 -At -d "$CSM_DB" -c "$1"
}

# check NAME SQL EXPECTED: the query's output equals EXPECTED exactly
check() {
	local got
	got=$(csm_sql "$2" 2>&1)
	if [ "$got" = "$3" ]; then
		_csm_report ok "$1"
	else
		_csm_report fail "$1" "expected: $3
got:      $got"
	fi
}

# check_error NAME SQL SQLSTATE: the statement fails with that SQLSTATE
check_error() {
	local got
	got=$(psql -X -q -At -d "$CSM_DB" -v ON_ERROR_STOP=1 -v VERBOSITY=verbose \
		-c '\set VERBOSITY verbose' -c "$2" 2>&1)
	if grep -q "ERROR:  $3:" <<<"$got"; then
		_csm_report ok "$1"
	else
		_csm_report fail "$1" "expected SQLSTATE $3, got: $got"
	fi
}

# check_true NAME COMMAND...: the command succeeds
check_true() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then
		_csm_report ok "$name"
	else
		_csm_report fail "$name" "$out"
	fi
}
