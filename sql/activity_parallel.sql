-- activity_agg and rollup under forced parallel plans: the answers must equal
-- the serial plan's exactly, on a million events

-- 1,000,000 events of 50,000 users (bigint, text and uuid ids derived from
-- the same number) over 120 days from 2024-01-01, with time spent on every
-- third event; every 17th user NULL, every 19th day NULL; segment 4 is all
-- NULL users
CREATE TABLE product_events AS
SELECT i,
	   i % 5 AS segment,
	   CASE WHEN i % 17 = 0 OR i % 5 = 4 THEN NULL
			ELSE (i::bigint * 7919) % 50000 END AS user_id,
	   CASE WHEN i % 19 = 0 THEN NULL
			ELSE '2024-01-01'::date + ((i::bigint * 104729) % 120)::integer END AS active_on,
	   CASE WHEN i % 3 = 0 THEN make_interval(secs => i % 600) END AS time_spent
FROM generate_series(1, 1000000) i;
ANALYZE product_events;

-- serial answers
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial_all AS
	SELECT activity_agg(user_id, active_on, time_spent) AS s,
		   activity_agg(user_id::text, active_on) AS t,
		   activity_agg(md5(user_id::text)::uuid, active_on) AS u
	FROM product_events;
CREATE TEMP TABLE serial_seg AS
	SELECT segment, activity_agg(user_id, active_on, time_spent) AS s FROM product_events GROUP BY segment;
-- the distinct users counted outside the summary: 7919 = 4 (mod 5), so the rows
-- with i % 5 = 4, left out, are exactly the users = 1 (mod 5): 40,000 users remain
SELECT count(DISTINCT user_id) AS raw_users FROM product_events WHERE active_on IS NOT NULL;
SELECT active_users(s), active_users(t), active_users(u) FROM serial_all;

\i sql/include/parallel_plans.sql

-- the plans are parallel, and really run with workers
EXPLAIN (COSTS OFF) SELECT activity_agg(user_id, active_on, time_spent) FROM product_events;
\i sql/include/ran_in_parallel.sql
SELECT pg_temp.ran_in_parallel('SELECT activity_agg(user_id, active_on, time_spent) FROM product_events') AS whole_table_ran_in_parallel,
	   pg_temp.ran_in_parallel('SELECT segment, activity_agg(user_id, active_on) FROM product_events GROUP BY segment')
	AS grouped_ran_in_parallel;

-- the same answers
SELECT (SELECT activity_agg(user_id, active_on, time_spent) FROM product_events) = s AS bigint_equal,
	   (SELECT activity_agg(user_id::text, active_on) FROM product_events) = t AS text_equal,
	   (SELECT activity_agg(md5(user_id::text)::uuid, active_on) FROM product_events) = u AS uuid_equal
FROM serial_all;
SET enable_hashagg = off;
SELECT segment, p.s IS NOT DISTINCT FROM s.s AS sorted_groups_equal, p.s IS NULL AS is_null
FROM (SELECT segment, activity_agg(user_id, active_on, time_spent) AS s FROM product_events GROUP BY segment) p
JOIN serial_seg s USING (segment) ORDER BY segment;
SET enable_hashagg = on;
SET enable_sort = off;
SELECT segment, p.s IS NOT DISTINCT FROM s.s AS hashed_groups_equal
FROM (SELECT segment, activity_agg(user_id, active_on, time_spent) AS s FROM product_events GROUP BY segment) p
JOIN serial_seg s USING (segment) ORDER BY segment;
RESET enable_sort;
-- no rows: NULL in parallel too
SELECT (SELECT activity_agg(user_id, active_on) FROM product_events WHERE i < 0) IS NULL AS empty_is_null;

-- daily summaries rolled up in parallel equal the direct summary, and give
-- the raw count(DISTINCT) of a month
CREATE TABLE daily AS
SELECT active_on, activity_agg(user_id, active_on, time_spent) AS s
FROM product_events GROUP BY active_on;
ANALYZE daily;
EXPLAIN (COSTS OFF) SELECT rollup(s) FROM daily;
SELECT pg_temp.ran_in_parallel('SELECT rollup(s) FROM daily') AS rollup_ran_in_parallel;
SELECT (SELECT rollup(s) FROM daily) = s AS rollup_equals_direct FROM serial_all;
SELECT (SELECT active_users(rollup(s)) FROM daily WHERE active_on >= '2024-02-01' AND active_on < '2024-03-01')
	 = (SELECT count(DISTINCT user_id) FROM product_events WHERE active_on >= '2024-02-01' AND active_on < '2024-03-01')
	AS february_equals_count_distinct;
-- average DAU and stickiness of February from the daily summaries equal the
-- plain SQL over the raw events: distinct (user, day) pairs / 29 days, and that
-- over the distinct users, in percent
SELECT (SELECT average_daily_active_users(rollup(s), '2024-02-01', '2024-03-01') FROM daily)
	 = (SELECT count(*) / 29.0::float8 FROM (SELECT DISTINCT user_id, active_on FROM product_events
		WHERE user_id IS NOT NULL AND active_on >= '2024-02-01' AND active_on < '2024-03-01') x) AS average_dau_equal,
	   (SELECT abs(stickiness(rollup(s), '2024-02-01', '2024-03-01')
		 - 100 * (SELECT count(*) / 29.0::float8 FROM (SELECT DISTINCT user_id, active_on FROM product_events
				  WHERE user_id IS NOT NULL AND active_on >= '2024-02-01' AND active_on < '2024-03-01') x)
			   / (SELECT count(DISTINCT user_id) FROM product_events WHERE active_on >= '2024-02-01' AND active_on < '2024-03-01'))
		 < 1e-12 FROM daily) AS stickiness_equal;

\set force_parallel off
\i sql/include/force_parallel.sql
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
DROP TABLE daily;
DROP TABLE product_events;
