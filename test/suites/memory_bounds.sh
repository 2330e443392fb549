#!/usr/bin/env bash
# Memory under load (doc/reliability.md, "Memory bounds"):
# 1. one group of many distinct cells: survival_agg over 300,000 distinct
#    tenures and cohort_agg over 300,000 rows of day cohorts keep the peak
#    resident memory of the server process, above that of count(*) over the
#    same rows, under a bound of 100 bytes a row (the cell maps use about 80
#    for survival); the peak is read from log_statement_stats (getrusage),
#    each in a fresh session, so it is the statement's own;
# 2. the families whose state is a small fixed summary (NPS, rates, customer
#    flow, MRR bridge, MRR) in a HashAggregate of 50,000 groups squeezed into
#    1MB of work_mem: the plan spills to disk and gives the same answer as the
#    sorted plan.  (The keyed-cell families are in hashagg_groups.sh.)
set -u
. "$(dirname "$0")/../lib/assert.sh"
plan 13

rows=300000
# peak_kb QUERY: the peak resident memory (kB) of a fresh server process after QUERY
peak_kb() {
	psql -X -q -d "$CSM_DB" -c "SET log_statement_stats = on" -c "SET client_min_messages = log" \
		-c "SET max_parallel_workers_per_gather = 0" -c "SET jit = off" -c "$1" 2>&1 |
		sed -n 's/.*[^0-9]\([0-9][0-9]*\) kB max resident size.*/\1/p' | tail -1
}
series="FROM generate_series(1, $rows) g"
base=$(peak_kb "SELECT count(*) $series")
bound=$((rows * 100 / 1024))
for agg in "survival:customers(survival_agg(g / 3.0, g % 2 = 0))" \
	"cohort:customers(cohort_agg(DATE '2000-01-01' + g % 3000, DATE '2000-01-01' + g % 3000 + g % 997, 'day'))"; do
	name=${agg%%:*}
	peak=$(peak_kb "SELECT ${agg#*:} $series")
	echo "# $name: one group of $rows rows: peak $peak kB, count(*) alone $base kB"
	check_true "$name: one group of $rows distinct cells stays within 100 bytes a row ($bound kB) above count(*)" \
		test "$((${peak:-999999999} - ${base:-0}))" -le "$bound"
done
check "the survival summary holds the $rows distinct tenures" \
	"SELECT customers(s) || ' ' || (SELECT count(*) FROM survival_curve(s, 0.95)) FROM (SELECT survival_agg(g / 3.0, g % 2 = 0) AS s $series) x" \
	"$rows $rows"

csm_sql "CREATE TABLE mb AS
	SELECT g AS id, g / 3 AS grp, (hashint4(g) & 2047) % 11 AS score, hashint4(g + 1) % 3 = 0 AS ok,
		   DATE '2024-01-01' + (hashint4(g + 2) & 63) - 20 AS started_on,
		   CASE WHEN g % 4 = 0 THEN DATE '2024-02-15' + (hashint4(g + 3) & 31) END AS ended_on,
		   ((hashint4(g + 4) & 65535) / 100.0)::numeric(12, 2) AS amount,
		   ((hashint4(g + 5) & 65535) / 100.0)::numeric(12, 2) AS previous
	FROM generate_series(0, 149999) g" >/dev/null
csm_sql "VACUUM ANALYZE mb" >/dev/null
spilling="SET jit = off; SET max_parallel_workers_per_gather = 0; SET enable_sort = off; SET work_mem = '1MB'"
sorted="SET jit = off; SET max_parallel_workers_per_gather = 0; SET enable_hashagg = off"
for agg in "survey_agg(score)" "rate_agg(ok)" \
	"customer_flow_agg(started_on, ended_on, DATE '2024-01-15', DATE '2024-02-15')" \
	"mrr_bridge_agg(previous, amount, ok)" "mrr(amount, '1 month')"; do
	query="SELECT count(*) || ' ' || md5(string_agg(grp || ':' || v::text, ',' ORDER BY grp))
		   FROM (SELECT grp, $agg AS v FROM mb GROUP BY grp) x"
	batches=$(psql -X -q -At -d "$CSM_DB" -c "$spilling" \
		-c "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) $query" 2>&1 |
		sed -n 's/.*Batches: \([0-9]*\).*/\1/p' | sort -n | tail -1)
	check_true "${agg%%(*}: a HashAggregate of 50,000 groups in 1MB of work_mem spills (batches: ${batches:-none})" \
		test "${batches:-0}" -gt 1
	hashed=$(psql -X -q -At -d "$CSM_DB" -c "$spilling" -c "$query" 2>&1)
	check "${agg%%(*}: the spilled HashAggregate gives the sorted plan's answer over 50000 groups" \
		"$sorted; $query" "$(grep '^50000 ' <<<"$hashed" || echo "hashed: $hashed")"
done
