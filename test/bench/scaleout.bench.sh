# Scale-out across clusters (issue 14), run by test/bench/run-bench: the
# bench server is the head, two shards are started beside it
# (test/lib/shards.sh), and a table of BENCH_ROWS rows partitioned by account
# has one postgres_fdw foreign partition on each (the setup of
# test/suites/fdw_scaleout.sh).  The same queries run
#   pushed down:   grouped by the partition key, enable_partitionwise_aggregate
#                  = on (the shards run the whole aggregates);
#   row fetching:  the same with partitionwise aggregation off (the shards
#                  send the rows, the head aggregates);
#   single node:   over a local copy of all the rows on the head;
# and, for a whole-table answer, the two-step pattern (per-account summaries
# on the shards, rollup() on the head) against fetching the rows.  Bytes
# moved: the text bytes of the rows that each plan's remote queries return
# (their Remote SQL run on the shards, octet_length of each row's text form),
# summed over both shards; the wire adds a few bytes per row.
# shellcheck disable=SC2154
. test/lib/shards.sh
CSM_SHARD_SHARED_BUFFERS=1GB csm_shards_start 2
csm_shards_connect "$BENCH_DB"

rows_sql="SELECT g::int AS id, (g % 1000)::int AS account,
	   DATE '2023-01-01' + ((g * 37) % 500)::int AS started_on,
	   CASE WHEN g % 4 = 0 THEN NULL ELSE DATE '2023-01-01' + ((g * 37) % 500 + (g * 53) % 300)::int END AS ended_on,
	   ((g * 7919) % 100000 / 100.0)::numeric(12, 2) AS amount,
	   (ARRAY['1 month', '1 year', '3 months', '1 week']::interval[])[1 + (g % 4)::int] AS billing_period,
	   ((g * 7) % 11)::int AS score, g % 3 = 0 AS ok
FROM generate_series(1, $BENCH_ROWS::bigint) g"
csm_shard_sql 1 "CREATE TABLE events AS SELECT * FROM ($rows_sql) r WHERE account < 500; ANALYZE events" >/dev/null
csm_shard_sql 2 "CREATE TABLE events AS SELECT * FROM ($rows_sql) r WHERE account >= 500; ANALYZE events" >/dev/null
bench_sql -c "CREATE TABLE events_local AS $rows_sql" -c "VACUUM ANALYZE events_local" \
	-c "CREATE TABLE events (id int, account int, started_on date, ended_on date, amount numeric(12, 2),
		billing_period interval, score int, ok boolean) PARTITION BY RANGE (account)" \
	-c "CREATE FOREIGN TABLE events_p1 PARTITION OF events FOR VALUES FROM (0) TO (500) SERVER shard1
		OPTIONS (table_name 'events', use_remote_estimate 'true')" \
	-c "CREATE FOREIGN TABLE events_p2 PARTITION OF events FOR VALUES FROM (500) TO (1000) SERVER shard2
		OPTIONS (table_name 'events', use_remote_estimate 'true')"
for k in 1 2; do
	csm_shard_sql "$k" "SELECT pg_prewarm('events')" >/dev/null 2>&1 ||
		csm_shard_sql "$k" "CREATE EXTENSION pg_prewarm; SELECT pg_prewarm('events')" >/dev/null
done
psql -X -q -d "$BENCH_DB" -c "SELECT pg_prewarm('events_local')" >/dev/null

on="SET enable_partitionwise_aggregate = on; SET max_parallel_workers_per_gather = 0;"
off="SET enable_partitionwise_aggregate = off; SET max_parallel_workers_per_gather = 0;"
single="SET max_parallel_workers_per_gather = 0;"

# the text bytes the remote queries of a plan return, summed over the shards
remote_bytes() {
	local plan sql total=0 k b
	plan=$(psql -X -At -d "$BENCH_DB" -c "$1 EXPLAIN (VERBOSE, COSTS OFF) $2" | sed -n 's/^ *Remote SQL: //p')
	while IFS= read -r sql; do
		[ -z "$sql" ] && continue
		for k in 1 2; do
			b=$(csm_shard_sql "$k" "SELECT coalesce(sum(octet_length(r::text)), 0) FROM ($sql) r")
			total=$((total + b))
		done
	done < <(sort -u <<<"$plan")
	echo "$total"
}

for q in "nps(score)" "cohort_agg(started_on, ended_on, 'month')" "mrr(amount, billing_period)"; do
	query="SELECT account, $q FROM events GROUP BY account"
	bench_compare "GROUP BY account (1000 accounts): $q, $BENCH_ROWS rows on 2 shards" \
		"single node (local table)" "$single SELECT account, $q FROM events_local GROUP BY account" \
		"pushed down (partitionwise)" "$on $query" \
		"row fetching" "$off $query"
	printf '  text bytes moved: pushed down %s, row fetching %s\n' \
		"$(remote_bytes "$on" "$query")" "$(remote_bytes "$off" "$query")"
done

whole="nps(rollup(s))"
bench_compare "whole table NPS, $BENCH_ROWS rows on 2 shards" \
	"single node: nps(score)" "$single SELECT nps(score) FROM events_local" \
	"two steps: per-account survey_agg + rollup" "$on SELECT nps(rollup(s)) FROM (SELECT account, survey_agg(score) AS s FROM events GROUP BY account) p" \
	"row fetching: nps(score)" "$off SELECT nps(score) FROM events"
printf '  text bytes moved: two steps %s, row fetching %s\n' \
	"$(remote_bytes "$on" "SELECT $whole FROM (SELECT account, survey_agg(score) AS s FROM events GROUP BY account) p")" \
	"$(remote_bytes "$off" "SELECT nps(score) FROM events")"
