# test/bench/activity.bench.sh: engagement summaries (issue 11).
#   1. activity_agg over raw product events against count(*) and against
#      count(DISTINCT user_id), the query users write today;
#   2. a month's active users and stickiness from 30 stored daily summaries
#      against count(DISTINCT) over that month's raw events;
#   3. the rollup of 30 daily summaries of 100,000 users each, and the sizes of
#      the daily summaries.
# ACTIVITY_EVENTS events (default BENCH_ROWS) of ACTIVITY_USERS users (default
# 200000) over 2024, skewed: user floor(users * random()^3), so a few low ids
# are heavy users and most are light.  The issue's size is 50,000,000 events
# of 200,000 users.  Sourced by test/bench/run-bench (BENCH_DB, BENCH_ROWS set).

ACTIVITY_EVENTS=${ACTIVITY_EVENTS:-$BENCH_ROWS}
ACTIVITY_USERS=${ACTIVITY_USERS:-200000}
echo "activity: $ACTIVITY_EVENTS events of $ACTIVITY_USERS users over 2024"

bench_sql <<SQL
DROP TABLE IF EXISTS activity_events, activity_daily, activity_hundred_k;
SELECT setseed(0.2024);
CREATE TABLE activity_events AS
SELECT floor($ACTIVITY_USERS * random() ^ 3)::bigint AS user_id,
	   DATE '2024-01-01' + floor(random() * 366)::integer AS active_on,
	   make_interval(secs => floor(random() * 600)) AS time_spent
FROM generate_series(1, $ACTIVITY_EVENTS);
VACUUM ANALYZE activity_events;
SELECT pg_prewarm('activity_events');
SQL

bench_compare "activity over $ACTIVITY_EVENTS raw events (whole year)" \
	"count(*)" \
	"SELECT count(*) FROM activity_events" \
	"count(DISTINCT user_id)" \
	"SELECT count(DISTINCT user_id) FROM activity_events" \
	"activity_agg(user_id, active_on)" \
	"SELECT active_users(activity_agg(user_id, active_on)) FROM activity_events" \
	"activity_agg(user_id, active_on, time_spent)" \
	"SELECT active_users(activity_agg(user_id, active_on, time_spent)) FROM activity_events" \
	"activity_agg, serial plan" \
	"SET max_parallel_workers_per_gather = 0; SELECT active_users(activity_agg(user_id, active_on)) FROM activity_events"

# the daily summaries, built once (timed) and stored
echo
echo "building the daily summaries: $(bench_time_once "CREATE TABLE activity_daily AS
	SELECT active_on AS day, activity_agg(user_id, active_on, time_spent) AS s
	FROM activity_events GROUP BY active_on") ms"
psql -X -q -d "$BENCH_DB" -c "VACUUM ANALYZE activity_daily"
psql -X -d "$BENCH_DB" -c "SELECT count(*) AS days, round(avg(active_users(s))) AS avg_dau,
	round(avg(pg_column_size(s))) AS avg_bytes, max(pg_column_size(s)) AS max_bytes,
	pg_size_pretty(pg_total_relation_size('activity_daily')) AS table_size,
	pg_size_pretty(pg_total_relation_size('activity_events')) AS events_size
	FROM activity_daily"

bench_compare "June's active users and stickiness: 30 daily summaries against the raw events" \
	"count(DISTINCT user_id) over June's raw events" \
	"SELECT count(DISTINCT user_id) FROM activity_events WHERE active_on >= '2024-06-01' AND active_on < '2024-07-01'" \
	"plain SQL stickiness over June's raw events" \
	"SELECT 100.0 * (SELECT count(*) FROM (SELECT DISTINCT user_id, active_on FROM activity_events
		WHERE active_on >= '2024-06-01' AND active_on < '2024-07-01') d) / 30
		/ count(DISTINCT user_id) FROM activity_events WHERE active_on >= '2024-06-01' AND active_on < '2024-07-01'" \
	"active_users(rollup(daily))" \
	"SELECT active_users(rollup(s)) FROM activity_daily WHERE day >= '2024-06-01' AND day < '2024-07-01'" \
	"stickiness(rollup(daily), June)" \
	"SELECT stickiness(rollup(s), '2024-06-01', '2024-07-01') FROM activity_daily WHERE day >= '2024-06-01' AND day < '2024-07-01'" \
	"MAU, stickiness and time per user of every month from the daily summaries" \
	"SELECT date_trunc('month', day), active_users(rollup(s)), time_per_active_user(rollup(s))
	 FROM activity_daily GROUP BY 1"

# 30 days of 100,000 users each, drawn from 200,000 ids
bench_sql <<SQL
SELECT setseed(0.11);
CREATE TABLE activity_hundred_k AS
SELECT day, activity_agg(user_id, day) AS s
FROM (SELECT DATE '2024-06-01' + d AS day, u AS user_id
	  FROM generate_series(0, 29) d, generate_series(1, 200000) u WHERE random() < 0.5) x
GROUP BY day;
VACUUM ANALYZE activity_hundred_k;
SQL
psql -X -d "$BENCH_DB" -c "SELECT count(*) AS days, round(avg(active_users(s))) AS avg_users,
	round(avg(pg_column_size(s))) AS avg_bytes, max(pg_column_size(s)) AS max_bytes,
	(SELECT pg_column_size(rollup(s)) FROM activity_hundred_k) AS month_bytes FROM activity_hundred_k"
bench_compare "rollup of 30 daily summaries of about 100,000 users" \
	"count(*) of the 30 rows" \
	"SELECT count(*) FROM activity_hundred_k" \
	"active_users(rollup(s))" \
	"SELECT active_users(rollup(s)) FROM activity_hundred_k" \
	"stickiness(rollup(s))" \
	"SELECT stickiness(rollup(s), '2024-06-01', '2024-07-01') FROM activity_hundred_k"

bench_sql -c "DROP TABLE activity_events, activity_daily, activity_hundred_k"
