#!/usr/bin/env bash
# Scale-out across clusters (issue 14): the test server is the head, and the
# suite starts two more throwaway clusters (the shards) with the same
# binaries, as the same OS user, with initdb in a temporary directory,
# listening only on Unix sockets there; they are stopped on exit, also on
# failure.  A table partitioned by account has one postgres_fdw foreign
# partition on each shard (servers with extensions 'csmetrics'); a local
# table on the head holds the same rows (the single-node answer).
#   (a) grouped by the partition key with enable_partitionwise_aggregate,
#       every family's aggregate is pushed down whole: EXPLAIN VERBOSE shows
#       it in the Remote SQL of both partitions, and the answer equals the
#       single node's;
#   (b) per-partition _agg summaries combined with rollup() on the head
#       equal the single-node summary, for every summary type with a rollup;
#   (c) summaries stored on a shard read through a foreign table round-trip
#       exactly, in text and in binary (the send function's bytes).
set -u
. "$(dirname "$0")/../lib/assert.sh"

. "$(dirname "$0")/../lib/shards.sh"

# the rows: account decides the partition (0..499 on shard 1, 500..999 on shard 2)
rows_sql="SELECT g AS id, g % 1000 AS account,
	   DATE '2023-01-01' + (g * 37) % 500 AS started_on,
	   CASE WHEN g % 4 = 0 THEN NULL ELSE DATE '2023-01-01' + (g * 37) % 500 + (g * 53) % 300 END AS ended_on,
	   ((g * 7919) % 100000 / 100.0)::numeric(12, 2) AS amount,
	   (ARRAY['1 month', '1 year', '3 months', '1 week']::interval[])[1 + g % 4] AS billing_period,
	   (g * 7) % 11 AS score,
	   g % 3 = 0 AS ok,
	   ((g * 31) % 400 / 7.0)::float8 AS tenure,
	   CASE WHEN g % 5 = 0 THEN NULL ELSE ((g * 13) % 300 / 4.0)::numeric END AS previous,
	   'u-' || (g * 17) % 300 AS label
FROM generate_series(1, 20000) g"
columns="id int, account int, started_on date, ended_on date, amount numeric(12, 2),
	billing_period interval, score int, ok boolean, tenure float8, previous numeric, label text"

plan 41

if csm_shards_start 2 2>"$CSM_SHARD_ROOT/start.log" && csm_shards_connect "$CSM_DB"; then
	_csm_report ok "two shard clusters started (initdb, Unix sockets only) with csmetrics, postgres_fdw servers on the head"
else
	_csm_report fail "two shard clusters started (initdb, Unix sockets only) with csmetrics, postgres_fdw servers on the head" \
		"$(tail -20 "$CSM_SHARD_ROOT/start.log")"
fi

csm_shard_sql 1 "CREATE TABLE events AS SELECT * FROM ($rows_sql) r WHERE account < 500; ANALYZE events" >/dev/null
csm_shard_sql 2 "CREATE TABLE events AS SELECT * FROM ($rows_sql) r WHERE account >= 500; ANALYZE events" >/dev/null
csm_sql "CREATE TABLE events_local AS $rows_sql;
	ANALYZE events_local;
	CREATE TABLE events ($columns) PARTITION BY RANGE (account);" >/dev/null
for n in 1 2; do
	lo=$(( (n - 1) * 500 )); hi=$(( n * 500 ))
	csm_sql "CREATE FOREIGN TABLE events_p$n PARTITION OF events FOR VALUES FROM ($lo) TO ($hi)
			SERVER shard$n OPTIONS (table_name 'events', use_remote_estimate 'true');" >/dev/null
done
check "the partitioned table reads both shards" \
	"SELECT count(*) || ' ' || count(DISTINCT account) FROM events" "20000 1000"

# (a) one call per family, grouped by the partition key
calls=(
	"nps(score)"
	"csat(1 + score % 5)"
	"ces(1 + score % 7, 7)"
	"survey_agg(score)"
	"rate_agg(ok)"
	"renewal_rate(ok)"
	"trial_conversion_rate(ok)"
	"churn_rate(started_on, ended_on, DATE '2023-06-01', DATE '2023-07-01')"
	"customer_flow_agg(started_on, ended_on, DATE '2023-06-01', DATE '2023-07-01')"
	"cohort_agg(started_on, ended_on, 'month')"
	"revenue_cohort_agg(started_on, started_on + 40, amount, 'quarter')"
	"mrr(amount, billing_period)"
	"arr(amount, billing_period)"
	"mrr_bridge_agg(previous, amount, ok)"
	"survival_agg(tenure, ok)"
	"subscription_history_agg(id, started_on, ended_on, amount, billing_period)"
	"purchase_history_agg(started_on, amount, DATE '2025-01-01', '7 days')"
	"subscription_history_agg(label, started_on, ended_on, amount, billing_period)"
	"activity_agg(id % 300, started_on)"
	"activity_agg(label, started_on, make_interval(mins => score))"
	"trial_conversion_agg(started_on, ended_on, '30 days', DATE '2025-01-01')"
	"retention_rate(started_on, ended_on, DATE '2023-06-01', DATE '2023-07-01')"
	"sbg_fit(1 + score % 4, ok)"
	"gamma_gamma_fit(1 + score % 3, 10 + tenure)"
	"bgnbd_fit(score % 4, 10 * (score % 4), 60)"
)
# (the CLV fits over an account's 20 rows do not converge and say so in a
# NOTICE; their answers are still compared)
pushed_settings="SET enable_partitionwise_aggregate = on; SET max_parallel_workers_per_gather = 0;
	SET client_min_messages = warning"
for call in "${calls[@]}"; do
	fn=${call%%(*}
	plan_text=$(csm_sql "$pushed_settings;
		EXPLAIN (VERBOSE, COSTS OFF) SELECT account, $call FROM events GROUP BY account" 2>&1)
	remote=$(grep -c "Remote SQL: SELECT account, .*$fn(.* GROUP BY 1" <<<"$plan_text")
	same=$(csm_sql "$pushed_settings;
		SELECT count(*) FROM (SELECT account, ($call)::text AS v FROM events GROUP BY account) f
		FULL JOIN (SELECT account, ($call)::text AS v FROM events_local GROUP BY account) l USING (account)
		WHERE f.v IS DISTINCT FROM l.v" 2>&1)
	if [ "$remote" = 2 ] && [ "$same" = 0 ]; then
		_csm_report ok "pushed down whole to both partitions, same answers as one node: $call"
	else
		_csm_report fail "pushed down whole to both partitions, same answers as one node: $call" \
			"remote SQL lines with $fn: $remote, differing accounts: $same
$plan_text"
	fi
done
# a grain computed from a text expression (folded to a constant grain)
check "a grain computed from a text expression gives the same summaries" \
	"$pushed_settings; SELECT count(*) FROM (SELECT account, cohort_agg(started_on, ended_on, 'mon' || 'th') AS c
		FROM events GROUP BY account) f JOIN (SELECT account, cohort_agg(started_on, ended_on, 'month') AS c
		FROM events_local GROUP BY account) l USING (account) WHERE f.c = l.c" "1000"

# (b) two steps: per-account summaries computed on the shards, rolled up on the head
summaries=(
	"survey_agg(score)"
	"rate_agg(ok)"
	"customer_flow_agg(started_on, ended_on, DATE '2023-06-01', DATE '2023-07-01')"
	"cohort_agg(started_on, ended_on, 'month')"
	"revenue_cohort_agg(started_on, coalesce(ended_on, started_on + 40), amount, 'quarter')"
	"mrr_bridge_agg(previous, amount, ok)"
	"survival_agg(tenure, ok)"
	"subscription_history_agg(id, started_on, ended_on, amount, billing_period)"
	"activity_agg(id % 300, started_on, make_interval(mins => score))"
)
for call in "${summaries[@]}"; do
	check "rollup of per-partition summaries equals one node, to the text: ${call%%(*}" \
		"$pushed_settings; SELECT (SELECT rollup(s)::text FROM (SELECT account, $call AS s FROM events GROUP BY account) p)
			= (SELECT ($call)::text FROM events_local)" "t"
done

# (c) summaries stored on shard 1, read through a foreign table
csm_shard_sql 1 "CREATE TABLE stored AS
	SELECT account % 7 AS k, survey_agg(score) AS survey, rate_agg(ok) AS rate,
		   customer_flow_agg(started_on, ended_on, DATE '2023-06-01', DATE '2023-07-01') AS flow,
		   cohort_agg(started_on, ended_on, 'month') AS cohort,
		   revenue_cohort_agg(started_on, coalesce(ended_on, started_on + 40), amount, 'quarter') AS revenue,
		   mrr_bridge_agg(previous, amount, ok) AS bridge, survival_agg(tenure, ok) AS survival,
		   subscription_history_agg(id, started_on, ended_on, amount, billing_period) AS ledger,
		   activity_agg(label, started_on, make_interval(mins => score)) AS activity,
		   '(3,1,504.875)'::mrr_state AS state, 'Quarter'::grain AS grain
	FROM events GROUP BY 1" >/dev/null
csm_sql "IMPORT FOREIGN SCHEMA public LIMIT TO (stored) FROM SERVER shard1 INTO public" >/dev/null
cols="survey rate flow cohort revenue bridge survival ledger activity state grain"
text_expr="md5(string_agg(concat_ws('|', k, $(sed 's/ /, /g' <<<"$cols")), E'\n' ORDER BY k))"
send_expr="md5(string_agg(concat_ws('|', k"
for c in $cols; do
	typ=$(csm_shard_sql 1 "SELECT pg_typeof($c) FROM stored LIMIT 1")
	send_expr="$send_expr, encode(${typ}_send($c), 'hex')"
done
send_expr="$send_expr), E'\n' ORDER BY k))"
check "text forms read through the foreign table equal the shard's own" \
	"SELECT $text_expr FROM stored" "$(csm_shard_sql 1 "SELECT $text_expr FROM stored")"
check "binary forms (send bytes) read through the foreign table equal the shard's own" \
	"SELECT $send_expr FROM stored" "$(csm_shard_sql 1 "SELECT $send_expr FROM stored")"
check "stored summaries read remotely give the accessors' answers" \
	"SELECT string_agg(concat_ws(' ', nps(survey), rate(rate), customers(cohort), median_lifetime(survival),
		ending_mrr(bridge), active_users(activity), mrr_state_sum(state), grain), ';' ORDER BY k) FROM stored" \
	"$(csm_shard_sql 1 "SELECT string_agg(concat_ws(' ', nps(survey), rate(rate), customers(cohort), median_lifetime(survival),
		ending_mrr(bridge), active_users(activity), mrr_state_sum(state), grain), ';' ORDER BY k) FROM stored")"
check "a binary COPY of the foreign table loads back into a local table with the same text" \
	"CREATE TABLE stored_copy AS SELECT * FROM stored WITH NO DATA;
	 COPY (SELECT * FROM stored) TO '$CSM_SHARD_ROOT/shard1/stored.bin' WITH (FORMAT binary);
	 COPY stored_copy FROM '$CSM_SHARD_ROOT/shard1/stored.bin' WITH (FORMAT binary);
	 SELECT (SELECT $text_expr FROM stored_copy) = (SELECT $text_expr FROM stored)" "t"
