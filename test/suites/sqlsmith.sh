#!/usr/bin/env bash
# Random queries (sqlsmith) against tables of every csmetrics type: a short,
# seeded run of about a minute.  Fails when the server log shows a backend
# killed by a signal, a failed Assert() (the test build has
# -DUSE_ASSERT_CHECKING), a PANIC or an internal error (XX000) raised by
# csmetrics' C code, or when the server stops answering.  Two runs: one
# "focused" on csmetrics' functions (test/lib/probe_focus.sql), one over the
# whole catalog.  The long run is test/stress/run-sqlsmith.
set -u
. "$(dirname "$0")/../lib/assert.sh"
. "$(dirname "$0")/../lib/sqlsmith.sh"
plan 6

SMITH_FOCUS=${SMITH_FOCUS:-1200}
SMITH_ALL=${SMITH_ALL:-400}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

check_true "probe tables of every type, filled by the aggregates" smith_setup "$CSM_DB"
check "the probe tables hold every summary type" \
	"SELECT count(*) FROM probe_summaries WHERE survey IS NOT NULL AND rate IS NOT NULL AND cohort IS NOT NULL
	   AND revenue IS NOT NULL AND survival IS NOT NULL AND flow IS NOT NULL AND bridge IS NOT NULL AND mrr IS NOT NULL" "8"

for mode in focus all; do
	n=$SMITH_FOCUS
	[ "$mode" = all ] && n=$SMITH_ALL
	offset=$(smith_log_offset)
	smith_run "$CSM_DB" "$mode" 1 "$n" "$out/$mode.log"
	status=$?
	queries=$(sed -n 's/^queries: \([0-9]*\).*/\1/p' "$out/$mode.log" | tail -1)
	failures=$(smith_failures "$offset")
	echo "# sqlsmith $mode: ${queries:-?} queries, status $status"
	check_true "sqlsmith ($mode, seed 1) ran its $n queries" \
		bash -c '[ "$1" -eq 0 ] && [ "$2" = "$3" ] || { tail -20 "$4"; exit 1; }' _ "$status" "${queries:-0}" "$n" "$out/$mode.log"
	if [ -z "$failures" ]; then
		_csm_report ok "sqlsmith ($mode): no crash, failed assertion, PANIC or csmetrics XX000 in the server log"
	else
		_csm_report fail "sqlsmith ($mode): no crash, failed assertion, PANIC or csmetrics XX000 in the server log" \
			"$(head -20 <<<"$failures")"
	fi
done
