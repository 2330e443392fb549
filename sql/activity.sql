-- activity: engagement summaries, accessors, text forms, errors

\i sql/include/expect_error.sql

-- Five users over three months, worked by hand:
--   user 1: 2024-01-31 (1 hour), 2024-02-01 (30 min)   the last day of a month and the first of the next
--   user 2: 2024-02-03 twice (no time, then 15 min)     a repeated day counts once
--   user 3: 2024-01-05 (10 min), 2024-01-06, 2024-03-01
--   user 4: 2024-02-01, 2024-02-02, 2024-02-03, 2024-02-05
--   user 5: 2024-03-01
-- and two rows that are skipped: a NULL user (5 hours) and a NULL day (1 hour).
-- Active days: user 1: 2, user 2: 1, user 3: 3, user 4: 4, user 5: 1 (11 user-days).
-- Time spent: 60 + 30 + 15 + 10 = 115 minutes = 6,900,000,000 microseconds.
CREATE TABLE events (user_id bigint, active_on date, time_spent interval);
INSERT INTO events VALUES
	(1, '2024-01-31', '1 hour'), (1, '2024-02-01', '30 minutes'),
	(2, '2024-02-03', NULL), (2, '2024-02-03', '15 minutes'),
	(3, '2024-01-05', '10 minutes'), (3, '2024-01-06', NULL), (3, '2024-03-01', NULL),
	(4, '2024-02-01', NULL), (4, '2024-02-02', NULL), (4, '2024-02-03', NULL), (4, '2024-02-05', NULL),
	(5, '2024-03-01', NULL),
	(NULL, '2024-01-01', '5 hours'), (2, NULL, '1 hour');

CREATE TABLE s AS SELECT activity_agg(user_id, active_on, time_spent) AS s FROM events;

-- the text form: runs of consecutive days per user
SELECT s FROM s;
SELECT first_active_day(s), last_active_day(s) FROM s;

-- active users: 5 in all; in February users 1, 2, 4; in January users 1 and 3;
-- a window that starts before the first activity, [2023-12-01, 2024-01-06):
-- user 3 only; an empty window: none
SELECT active_users(s) AS all_users,
	active_users(s, '2024-02-01', '2024-03-01') AS feb,
	active_users(s, '2024-01-01', '2024-02-01') AS jan,
	active_users(s, '2023-12-01', '2024-01-06') AS before_first,
	active_users(s, '2024-02-10', '2024-02-10') AS empty
FROM s;

-- daily active users: every day from 2024-01-05 to 2024-03-01 (27 + 29 + 1 =
-- 57 days), 0 on idle days; the days with activity:
-- 01-05 1, 01-06 1, 01-31 1, 02-01 2, 02-02 1, 02-03 2, 02-05 1, 03-01 2 (sum 11)
SELECT count(*) AS days, sum(users) AS user_days FROM s, daily_active_users(s);
SELECT d.* FROM s, daily_active_users(s) d WHERE users > 0 ORDER BY day;
SELECT d.* FROM s, daily_active_users(s) d WHERE day BETWEEN '2024-02-03' AND '2024-02-06' ORDER BY day;

-- average DAU and stickiness.
-- February [02-01, 03-01): user-days 1 (user 1) + 1 (user 2) + 4 (user 4) = 6 over
--   29 days: 6/29 = 0.20689655172413793; 3 users: stickiness 100 * 6/29 / 3 = 600/87
--   = 6.896551724137931
-- a week with an idle day (02-04), [02-01, 02-08): 6/7 = 0.8571428571428571;
--   stickiness 100 * 6/7 / 3 = 28.571428571428573
-- January [01-01, 02-01): user-days 3 (01-05, 01-06, 01-31) over 31 days,
--   2 users: 3/31 = 0.0967741935483871, 100 * 3/31 / 2 = 4.838709677419355
-- an idle day [02-04, 02-05): 0 and NULL (no users)
SELECT average_daily_active_users(s, '2024-02-01', '2024-03-01') AS feb_dau,
	stickiness(s, '2024-02-01', '2024-03-01') AS feb_stickiness FROM s;
SELECT average_daily_active_users(s, '2024-02-01', '2024-02-08') AS week_dau,
	stickiness(s, '2024-02-01', '2024-02-08') AS week_stickiness FROM s;
SELECT average_daily_active_users(s, '2024-01-01', '2024-02-01') AS jan_dau,
	stickiness(s, '2024-01-01', '2024-02-01') AS jan_stickiness FROM s;
SELECT average_daily_active_users(s, '2024-02-04', '2024-02-05') AS idle_dau,
	stickiness(s, '2024-02-04', '2024-02-05') AS idle_stickiness,
	average_daily_active_users(s, '2024-02-04', '2024-02-04') AS empty_window FROM s;

-- the power-user curve: 1 day: users 2 and 5; 2: user 1; 3: user 3; 4: user 4.
-- In February: 1 day: users 1 and 2; 4 days: user 4.
SELECT d.* FROM s, active_days_distribution(s) d;
SELECT d.* FROM s, active_days_distribution(s, '2024-02-01', '2024-03-01') d;

-- usage rate: users with 2 or more active days: 1, 3, 4 = 3 of 5 = 60%,
-- of a population of 10: 30%; 4 or more days: user 4: 20%.
-- Wilson 95% interval of 3/5 (z = 1.959964): centre (0.6 + z^2/10) / (1 + z^2/5)
-- = 0.556554, half-width z sqrt(0.6 * 0.4 / 5 + z^2 / 100) / (1 + z^2/5) = 0.325828:
-- 23.07% to 88.24%
SELECT usage_rate(s, 2) AS two_days, usage_rate(s, 2, 10) AS of_ten,
	usage_rate(s, 4) AS four_days FROM s;
SELECT usage_rate_summary(s, 2) AS summary,
	round(rate_lower(usage_rate_summary(s, 2))::numeric, 2) AS lower,
	round(rate_upper(usage_rate_summary(s, 2))::numeric, 2) AS upper FROM s;

-- time: 115 minutes in all, over 5 active users: 23 minutes
SELECT time_spent(s), time_per_active_user(s) FROM s;
-- no time recorded: NULL
SELECT time_spent(activity_agg(user_id, active_on)),
	time_per_active_user(activity_agg(user_id, active_on)) FROM events;
-- zero time is time recorded: 0 over 1 user
SELECT time_per_active_user(activity_agg(1::bigint, '2024-01-01'::date, '0 seconds'::interval));
-- rounding: 1 microsecond over 3 users rounds to 0, 2 over 3 to 1
SELECT time_per_active_user(activity_agg(g, '2024-01-01'::date,
	CASE WHEN g = 1 THEN '1 microsecond'::interval END)) FROM generate_series(1::bigint, 3) g;
SELECT time_per_active_user(activity_agg(g, '2024-01-01'::date,
	CASE WHEN g = 1 THEN '2 microseconds'::interval END)) FROM generate_series(1::bigint, 3) g;

-- Activity retention by month, first_time: cohorts by the month of the first activity.
--   January: users 1 and 3 (2); period 1 (Feb): user 1 (50%); period 2 (Mar): user 3 (50%)
--   February: users 2 and 4 (2); period 1 (Mar): none (0%)
--   March: user 5 (1)
SELECT r.* FROM s, activity_retention(s, 'month') r;
-- recurring: every user active in a month is that month's cohort.
--   January: users 1, 3 (2): Feb user 1, Mar user 3
--   February: users 1, 2, 4 (3): Mar none
--   March: users 3, 5 (2)
SELECT r.* FROM s, activity_retention(s, 'month', 'recurring') r;

-- Lifecycle by month:
--   Jan: new 2 (users 1, 3)
--   Feb: new 2 (users 2, 4), returning 1 (user 1), dormant 1 (user 3)
--   Mar: new 1 (user 5), resurrecting 1 (user 3: not in Feb, active in Jan),
--        dormant 3 (users 1, 2, 4)
SELECT l.* FROM s, activity_lifecycle(s, 'month') l;
-- by week (ISO weeks from Monday 2024-01-01): user 3 in the week of 01-01 and
-- 02-26, user 1 in the weeks of 01-29 (01-31 and 02-01), users 2 and 4 in the
-- week of 01-29 (02-01..02-03) and user 4 in the week of 02-05, user 5 in 02-26.
--   01-01: new 1 (user 3)
--   01-08, 01-15, 01-22: nothing but dormant 1 in 01-08 (user 3)
--   01-29: new 3 (users 1, 2, 4)
--   02-05: returning 1 (user 4), dormant 2 (users 1, 2)
--   02-12: dormant 1 (user 4)
--   02-19: nothing
--   02-26: new 1 (user 5), resurrecting 1 (user 3)
SELECT l.* FROM s, activity_lifecycle(s, 'week') l;

-- two-step: daily summaries rolled up equal the direct aggregate, also by month
SELECT rollup(d) = (SELECT s FROM s) AS daily_rollup_equal
FROM (SELECT activity_agg(user_id, active_on, time_spent) AS d FROM events GROUP BY active_on) x;
SELECT rollup(m)::text = (SELECT s::text FROM s) AS monthly_rollup_equal
FROM (SELECT activity_agg(user_id, active_on, time_spent) AS m FROM events
	  GROUP BY date_trunc('month', active_on)) x;
-- the February numbers from daily summaries equal the raw count(DISTINCT)
SELECT (SELECT active_users(rollup(d), '2024-02-01', '2024-03-01')
		FROM (SELECT activity_agg(user_id, active_on) AS d FROM events GROUP BY active_on) x) AS from_daily,
	(SELECT count(DISTINCT user_id) FROM events
	 WHERE active_on >= '2024-02-01' AND active_on < '2024-03-01') AS raw;

-- as window aggregates: the distinct users up to each day (a state flattened
-- at every row and then added to): 01-01 only a NULL user, NULL; 01-05 user 3
-- (1); 01-31 user 1 (2); 02-01 user 4 (3); 02-03 user 2 (4); 03-01 user 5 (5);
-- rows of one day are peers, so they show the same count
SELECT active_on, active_users(activity_agg(user_id, active_on) OVER w) AS from_rows,
	   active_users(rollup(d) OVER w) AS from_daily
FROM (SELECT active_on, activity_agg(user_id, active_on) AS d FROM events GROUP BY active_on) x
JOIN (SELECT DISTINCT user_id, active_on FROM events) e USING (active_on)
WINDOW w AS (ORDER BY active_on)
ORDER BY active_on, from_rows;

-- no rows, and only NULL rows, give NULL
SELECT activity_agg(user_id, active_on) IS NULL AS no_rows FROM events WHERE false;
SELECT activity_agg(user_id, active_on) IS NULL AS null_rows FROM events WHERE user_id IS NULL;
SELECT rollup(s) IS NULL AS rollup_no_rows FROM s WHERE false;

-- A day of 100,000 users with consecutive ids: 32 bytes of header, the first
-- key (2^63 + 1, the id with its sign bit flipped) in a 10-byte varint, then
-- a 1-byte difference per further user: 32 + 10 + 99,999 = 100,041 bytes.
SELECT pg_column_size(activity_agg(g, '2024-01-01'::date)) AS one_day_bytes,
	active_users(activity_agg(g, '2024-01-01'::date))
FROM generate_series(1::bigint, 100000) g;
-- Two days: each user also has a run count (1), gap and length: 3 bytes more
-- per user for users active on one of the two days, as here for every user.
SELECT pg_column_size(activity_agg(g, '2024-01-01'::date + (g % 2)::integer)) AS two_day_bytes
FROM generate_series(1::bigint, 100000) g;

-- uuid ids are exact: two ids that differ in one bit are two users
SELECT activity_agg(u, '2024-05-01'::date) FROM (VALUES
	('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid), ('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a10'::uuid),
	('00000000-0000-0000-0000-000000000001'::uuid)) v(u);
SELECT active_users(activity_agg(u::text::uuid, '2024-05-01'::date))
FROM (SELECT md5(g::text)::uuid AS u FROM generate_series(1, 1000) g) x;
-- text ids are 64-bit keys (textkey.h): 200,000 distinct ids count exactly
-- (any collision has probability below 200000^2 / 2^65 = 1.1e-9)
SELECT active_users(activity_agg('user-' || g, '2024-05-01'::date)) FROM generate_series(1, 200000) g;
SELECT active_users(activity_agg(('user-' || (g % 7)), '2024-05-01'::date + g)) FROM generate_series(1, 100) g;

-- text forms read back as the same value
SELECT s::text::activity_summary = s AS text_round_trip FROM s;
SELECT 'bigint time_us=none {-9223372036854775808:2024-01-01,9223372036854775807:2024-01-01/2024-01-03}'::activity_summary;
SELECT 'text time_us=0 { 00000000000000ff : 2024-01-01 2024-01-03 , FFFFFFFFFFFFFFFF:0001-01-01 }'::activity_summary;
SELECT 'uuid time_us=5 {00000000-0000-0000-0000-000000000001:2024-01-01}'::activity_summary;
SELECT active_users('bigint time_us=none {1:2024-01-01}'::activity_summary);

-- equality and hashing
-- the 8 daily summaries, each twice: 8 distinct (hashed)
SELECT count(*) AS distinct_daily FROM (SELECT DISTINCT d FROM (
	SELECT activity_agg(user_id, active_on) d FROM events GROUP BY active_on
	UNION ALL
	SELECT activity_agg(user_id, active_on) d FROM events GROUP BY active_on) x WHERE d IS NOT NULL) y;
SELECT 'bigint time_us=none {1:2024-01-01}'::activity_summary = 'bigint time_us=0 {1:2024-01-01}'::activity_summary AS time_none_vs_zero,
	'bigint time_us=none {1:2024-01-01}'::activity_summary <> 'text time_us=none {0000000000000001:2024-01-01}'::activity_summary AS kinds_differ;

-- errors
SELECT pg_temp.expect_error($$SELECT activity_agg(1::bigint, '2024-01-01'::date, '-1 second'::interval)$$);
SELECT pg_temp.expect_error($$SELECT activity_agg(1::bigint, '2024-01-01'::date, '1 day -25 hours'::interval)$$);
SELECT pg_temp.expect_error($$SELECT activity_agg(1::bigint, 'infinity'::date)$$);
SELECT pg_temp.expect_error($$SELECT activity_agg(1::bigint, '0044-03-15 BC'::date)$$);
-- the edge: 0001-12-31 BC, the day before 0001-01-01, is refused; 0001-01-01 is kept
SELECT pg_temp.expect_error($$SELECT activity_agg(1::bigint, '0001-12-31 BC'::date)$$);
SELECT first_active_day(activity_agg(1::bigint, '0001-01-01'::date));
-- 1,000,000 years are 1.2e7 months of 30 days: 3.1e19 microseconds, beyond 2^63;
-- 100,000 years are 3.1e18, and three of them add up beyond 2^63
SELECT pg_temp.expect_error($$SELECT activity_agg(1::bigint, '2024-01-01'::date, '1000000 years'::interval)$$);
SELECT pg_temp.expect_error($$SELECT activity_agg(g, '2024-01-01'::date, '100000 years'::interval) FROM generate_series(1::bigint, 3) g$$);
-- two of them: 2 * 100,000 * 12 * 30 * 24 = 1,728,000,000 hours
SELECT time_spent(activity_agg(g, '2024-01-01'::date, '100000 years'::interval)) FROM generate_series(1::bigint, 2) g;
SELECT pg_temp.expect_error($$SELECT rollup(x) FROM (VALUES ('bigint time_us=none {1:2024-01-01}'::activity_summary),
	('text time_us=none {0000000000000001:2024-01-01}'::activity_summary)) v(x)$$);
SELECT pg_temp.expect_error($$SELECT active_users(s, '2024-02-01', '2024-01-01') FROM s$$);
SELECT pg_temp.expect_error($$SELECT stickiness(s, '2024-02-01', 'infinity') FROM s$$);
SELECT pg_temp.expect_error($$SELECT usage_rate(s, 0) FROM s$$);
SELECT pg_temp.expect_error($$SELECT usage_rate(s, 1, 4) FROM s$$);
SELECT pg_temp.expect_error($$SELECT activity_retention(s, 'fortnight') FROM s$$);
SELECT pg_temp.expect_error($$SELECT activity_retention(s, 'month', 'sometimes') FROM s$$);
SELECT pg_temp.expect_error($$SELECT activity_lifecycle('bigint time_us=none {1:2000-01-01,2:2024-01-01}'::activity_summary, 'day')$$);
SELECT pg_temp.expect_error($$SELECT daily_active_users('bigint time_us=none {1:1000-01-01,2:2024-01-01}'::activity_summary)$$);
SELECT pg_temp.expect_error($$SELECT activity_summary_add(NULL::activity_summary, 1::bigint, '2024-01-01'::date)$$);
-- malformed text
SELECT pg_temp.expect_error($$SELECT '{}'::activity_summary$$);
SELECT pg_temp.expect_error($$SELECT 'bigint time_us=none {}'::activity_summary$$);
SELECT pg_temp.expect_error($$SELECT 'int time_us=none {1:2024-01-01}'::activity_summary$$);
SELECT pg_temp.expect_error($$SELECT 'bigint time_us=-1 {1:2024-01-01}'::activity_summary$$);
SELECT pg_temp.expect_error($$SELECT 'bigint time_us=none {2:2024-01-01,1:2024-01-02}'::activity_summary$$);
SELECT pg_temp.expect_error($$SELECT 'bigint time_us=none {1:2024-01-01,1:2024-01-02}'::activity_summary$$);
SELECT pg_temp.expect_error($$SELECT 'bigint time_us=none {1:2024-01-01 2024-01-02}'::activity_summary$$);
SELECT pg_temp.expect_error($$SELECT 'bigint time_us=none {1:2024-01-03 2024-01-01}'::activity_summary$$);
SELECT pg_temp.expect_error($$SELECT 'bigint time_us=none {1:2024-01-03/2024-01-01}'::activity_summary$$);
SELECT pg_temp.expect_error($$SELECT 'bigint time_us=none {1:}'::activity_summary$$);
SELECT pg_temp.expect_error($$SELECT 'bigint time_us=none {1:2024-02-30}'::activity_summary$$);
SELECT pg_temp.expect_error($$SELECT 'bigint time_us=none {9223372036854775808:2024-01-01}'::activity_summary$$);
SELECT pg_temp.expect_error($$SELECT 'uuid time_us=none {0000000-0000-0000-0000-000000000001:2024-01-01}'::activity_summary$$);
SELECT pg_temp.expect_error($$SELECT 'text time_us=none {123:2024-01-01}'::activity_summary$$);
SELECT pg_temp.expect_error($$SELECT 'bigint time_us=99999999999999999999 {1:2024-01-01}'::activity_summary$$);
SELECT pg_temp.expect_error($$SELECT 'bigint time_us=none {1:2024-01-01} x'::activity_summary$$);
SELECT pg_temp.expect_error($$SELECT 'biginttime_us=none {1:2024-01-01}'::activity_summary$$);
