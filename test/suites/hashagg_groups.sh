#!/usr/bin/env bash
# GROUP BY customer over the keyed-cell aggregates (cohort_agg,
# revenue_cohort_agg, survival_agg, subscription_history_agg, activity_agg and
# their rollup, purchase_history_agg) with 300,000 groups of
# two rows: the HashAggregate plan must give the same answer as the sorted
# plan and finish within a generous statement_timeout (a hang guard: a
# state with a memory context per group made HashAggregate quadratic in the
# number of groups, minutes for this table); a HashAggregate squeezed into
# 1MB of work_mem must spill to disk and still give the same answer.  Both
# times and their ratio are printed as diagnostics, never asserted.
set -u
. "$(dirname "$0")/../lib/assert.sh"
plan 58

ngroups=300000
common="SET jit = off; SET max_parallel_workers_per_gather = 0; SET work_mem = '1GB'"
hashed="$common; SET enable_sort = off; SET statement_timeout = '60s'"
sorted="$common; SET enable_hashagg = off"
spilling="SET jit = off; SET max_parallel_workers_per_gather = 0; SET enable_sort = off; SET work_mem = '1MB'"

csm_sql "CREATE TABLE hg AS
	SELECT g AS id, g / 2 AS customer,
		   DATE '2020-01-01' + (hashint4(g) & 1023) AS started_on,
		   CASE WHEN g % 3 = 0 THEN NULL
				ELSE DATE '2020-01-01' + (hashint4(g) & 1023) + (hashint4(g + 1) & 511) END AS ended_on,
		   ((hashint4(g + 2) & 4095) / 4.0)::float8 AS tenure,
		   g % 5 = 0 AS churned,
		   ((hashint4(g + 3) & 1048575) / 100.0)::numeric(12, 2) AS amount
	FROM generate_series(0, 2 * $ngroups - 1) g" >/dev/null
# one summary per row, built in a sorted plan, for the rollups
csm_sql "SET enable_hashagg = off;
	CREATE TABLE hg_summaries AS
	SELECT min(customer) AS customer,
		   cohort_agg(started_on, ended_on, 'month') AS c,
		   revenue_cohort_agg(started_on, coalesce(ended_on, started_on), amount, 'month') AS r,
		   survival_agg(tenure, churned) AS s,
		   subscription_history_agg(customer, started_on, ended_on, amount, '1 month') AS l,
		   activity_agg(id::bigint, started_on, make_interval(secs => id % 100)) AS a
	FROM hg GROUP BY id" >/dev/null
csm_sql "VACUUM ANALYZE hg" >/dev/null
csm_sql "VACUUM ANALYZE hg_summaries" >/dev/null
check "$ngroups customers of two rows, a summary per row" \
	"SELECT (SELECT count(DISTINCT customer) FROM hg) || ' ' || (SELECT count(*) FROM hg) || ' ' || (SELECT count(*) FROM hg_summaries)" \
	"$ngroups $((2 * ngroups)) $((2 * ngroups))"

# run_timed SETTINGS QUERY: run QUERY after SETTINGS; sets STATUS, RESULT, MS
run_timed() {
	local out
	out=$(psql -X -q -At -v ON_ERROR_STOP=1 -d "$CSM_DB" -c "$1" -c '\timing on' -c "$2" 2>&1)
	STATUS=$?
	RESULT=$(grep -v '^Time: ' <<<"$out")
	MS=$(awk '/^Time: / { t = $2 } END { print t }' <<<"$out")
}

# plan_of SETTINGS QUERY: the plan of QUERY after SETTINGS, one node a line
plan_of() {
	psql -X -q -At -d "$CSM_DB" -c "$1" -c "EXPLAIN (COSTS OFF) $2" 2>&1
}

# the answer of a grouped query: its groups and a digest of them in order
answer() {	# FROM_TABLE AGGREGATE
	echo "SELECT count(*) || ' ' || md5(string_agg(customer || ':' || v::text, ',' ORDER BY customer))
		  FROM (SELECT customer, $2 AS v FROM $1 GROUP BY customer) x"
}

# compare NAME TABLE AGGREGATE: the checks of one aggregate
compare() {
	local name=$1 query hash_ms hash_result
	query=$(answer "$2" "$3")
	check_true "$name: the hashed plan is a HashAggregate" \
		bash -c 'grep -q HashAggregate <<<"$1" && ! grep -qE "GroupAggregate|Sort" <<<"$1"' _ "$(plan_of "$hashed" "$query")"
	check_true "$name: the sorted plan is a GroupAggregate" \
		bash -c 'grep -q GroupAggregate <<<"$1" && ! grep -q HashAggregate <<<"$1"' _ "$(plan_of "$sorted" "$query")"
	run_timed "$hashed" "$query"
	hash_ms=$MS
	hash_result=$RESULT
	check_true "$name: hashed over $ngroups groups finishes within statement_timeout" \
		test "$STATUS" -eq 0
	run_timed "$sorted" "$query"
	if [ "$hash_result" = "$RESULT" ] && [ "${RESULT%% *}" = "$ngroups" ]; then
		_csm_report ok "$name: hashed and sorted plans give the same $ngroups summaries"
	else
		_csm_report fail "$name: hashed and sorted plans give the same $ngroups summaries" \
			"hashed: $hash_result
sorted: $RESULT"
	fi
	echo "# $name: hashed ${hash_ms:-?} ms, sorted ${MS:-?} ms, ratio $(awk -v a="${hash_ms:-0}" -v b="${MS:-0}" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "?" }')"
}

# spill NAME AGGREGATE: a HashAggregate that does not fit in work_mem
spill() {
	local name=$1 query batches
	query=$(answer hg "$2")
	batches=$(psql -X -q -At -d "$CSM_DB" -c "$spilling" \
		-c "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) $query" 2>&1 |
		sed -n 's/.*Batches: \([0-9]*\).*/\1/p' | sort -n | tail -1)
	check_true "$name: in 1MB of work_mem the HashAggregate spills to disk" \
		test "${batches:-0}" -gt 1
	run_timed "$spilling" "$query"
	check "$name: the spilled HashAggregate gives the same summaries" \
		"$sorted; $query" "$RESULT"
}

run_timed "$hashed" "SELECT count(*) FROM (SELECT customer, count(*) FROM hg GROUP BY customer) x"
echo "# baseline: count(*) GROUP BY customer, hashed, ${MS:-?} ms"

compare "cohort_agg" hg "cohort_agg(started_on, ended_on, 'month')"
compare "revenue_cohort_agg" hg \
	"revenue_cohort_agg(started_on, coalesce(ended_on, started_on), amount, 'month')"
compare "survival_agg" hg "survival_agg(tenure, churned)"
compare "purchase_history_agg" hg "purchase_history_agg(started_on, amount, DATE '2023-12-31', '1 day')"
compare "rollup(cohort_summary)" hg_summaries "rollup(c)"
compare "rollup(revenue_cohort_summary)" hg_summaries "rollup(r)"
compare "rollup(survival_summary)" hg_summaries "rollup(s)"
compare "subscription_history_agg" hg "subscription_history_agg(customer, started_on, ended_on, amount, '1 month')"
compare "rollup(subscription_history)" hg_summaries "rollup(l)"
compare "activity_agg" hg "activity_agg(id::bigint, started_on, make_interval(secs => id % 100))"
compare "rollup(activity_summary)" hg_summaries "rollup(a)"

spill "cohort_agg" "cohort_agg(started_on, ended_on, 'month')"
spill "revenue_cohort_agg" "revenue_cohort_agg(started_on, coalesce(ended_on, started_on), amount, 'month')"
spill "survival_agg" "survival_agg(tenure, churned)"
spill "purchase_history_agg" "purchase_history_agg(started_on, amount, DATE '2023-12-31', '1 day')"
spill "subscription_history_agg" "subscription_history_agg(customer, started_on, ended_on, amount, '1 month')"
spill "activity_agg" "activity_agg(id::bigint, started_on, make_interval(secs => id % 100))"

# the maps count against hash_mem like the executor's own memory: at 4MB of
# work_mem (hash_mem 8MB) the hash table stays within hash_mem plus a few
# small blocks (8MB blocks in the maps' context overshot it by 40%)
usage=$(psql -X -q -At -d "$CSM_DB" -c "SET jit = off; SET max_parallel_workers_per_gather = 0; SET enable_sort = off; SET work_mem = '4MB'; SET hash_mem_multiplier = 2" \
	-c "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT customer, survival_agg(tenure, churned) FROM hg GROUP BY customer" 2>&1 |
	sed -n 's/.*Memory Usage: \([0-9]*\)kB.*/\1/p' | sort -n | tail -1)
echo "# survival_agg HashAggregate at 4MB work_mem: ${usage:-?} kB"
check_true "survival_agg: the HashAggregate keeps within hash_mem (8192 kB) and a tenth" \
	test "${usage:-99999}" -le 9011
