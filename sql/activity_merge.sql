-- activity_merge: rollup() merges its summaries in one pass (src/activity.c,
-- activity_map_merge_all).  One-day summaries are merged from their keys
-- alone, a user's days being the set of streams at its key (as runs of
-- bits when the days are consecutive, day by day when they are not); other
-- summaries give their runs, sorted when they come out of order.  Every
-- answer here is counted by hand, and each rollup is also checked against
-- the direct aggregate of the same rows.

-- 1. Five one-day summaries of consecutive days, 2024-06-01 to 06-05, with
-- overlapping users:
--   user 1: every day                     -> 06-01/06-05
--   user 2: 06-01, 06-02, 06-04           -> 06-01/06-02 06-04
--   user 3: 06-03                         -> 06-03
--   user 4: 06-01, 06-05                  -> 06-01 06-05
--   user 9223372036854775807: 06-02, 06-05 (the largest key, 2^64 - 1: when
--     it is read, the streams of 06-01, 06-03 and 06-04 have ended)
--   user -9223372036854775808: 06-05 (the smallest key, 0)
-- 6 users, 5 + 3 + 1 + 2 + 2 + 1 = 14 user-days; DAU 3, 3, 2, 2, 4;
-- stickiness over the 5 days: 100 * (14 / 5) / 6 = 46.666666666666664
CREATE TABLE days_events (user_id bigint, active_on date);
INSERT INTO days_events VALUES
	(1, '2024-06-01'), (1, '2024-06-02'), (1, '2024-06-03'), (1, '2024-06-04'), (1, '2024-06-05'),
	(2, '2024-06-01'), (2, '2024-06-02'), (2, '2024-06-04'),
	(3, '2024-06-03'),
	(4, '2024-06-01'), (4, '2024-06-05'),
	(9223372036854775807, '2024-06-02'), (9223372036854775807, '2024-06-05'),
	(-9223372036854775808, '2024-06-05');
CREATE TABLE days AS
SELECT active_on AS day, activity_agg(user_id, active_on) AS d FROM days_events GROUP BY active_on;

-- in any order of the inputs, the same summary
SELECT rollup(d ORDER BY day) FROM days;
SELECT rollup(d ORDER BY day DESC)::text = rollup(d ORDER BY day)::text AS order_free,
	rollup(d) = (SELECT activity_agg(user_id, active_on) FROM days_events) AS equals_direct
FROM days;
SELECT active_users(rollup(d)) AS users,
	stickiness(rollup(d), '2024-06-01', '2024-06-06') AS stickiness
FROM days;
SELECT x.* FROM (SELECT rollup(d) AS s FROM days) r, daily_active_users(r.s) x;

-- 2. One-day summaries of days that are not consecutive, two of them twice:
--   A 06-01 {1, 2}, B 06-03 {1, 3}, C 06-03 {1}, D 06-04 {2, 3}, E 06-01 {3}
--   user 1: 06-01, 06-03 (twice)       -> 06-01 06-03
--   user 2: 06-01, 06-04               -> 06-01 06-04
--   user 3: 06-01, 06-03, 06-04        -> 06-01 06-03/06-04
-- 3 users, 7 user-days
SELECT rollup(d) AS gaps_and_repeats,
	active_users(rollup(d)) AS users,
	average_daily_active_users(rollup(d), '2024-06-01', '2024-06-08') * 7 AS user_days
FROM (VALUES ('bigint time_us=none {1:2024-06-01,2:2024-06-01}'::activity_summary),
	('bigint time_us=none {1:2024-06-03,3:2024-06-03}'),
	('bigint time_us=none {1:2024-06-03}'),
	('bigint time_us=none {2:2024-06-04,3:2024-06-04}'),
	('bigint time_us=none {3:2024-06-01}')) v(d);
-- a summary rolled up with itself is itself
SELECT rollup(d)::text = min(d::text) AS self_rollup
FROM (SELECT d FROM days WHERE day = '2024-06-05' UNION ALL SELECT d FROM days WHERE day = '2024-06-05') x;

-- 3. One-day and multi-day summaries mixed (taken in order of first day:
-- M3 06-08, M2 06-09, M1 06-10, M4 06-14), time 5 + 7 microseconds:
--   M1 {1: 06-10/06-12, 2: 06-15}, M2 06-09 {1, 2},
--   M3 {1: 06-13 06-20, 3: 06-08/06-09}, M4 06-14 {2}
--   user 1: 06-13, 06-20 (M3), then 06-09 (M2) out of order, 06-10/06-12
--     (M1): sorted and united 06-09/06-13 06-20
--   user 2: 06-09, 06-15, then 06-14 out of order: 06-09 06-14/06-15
--   user 3: 06-08/06-09
-- active days 6, 3, 2: the power-user curve 2: 1, 3: 1, 6: 1
SELECT rollup(d) AS mixed
FROM (VALUES ('bigint time_us=5 {1:2024-06-10/2024-06-12,2:2024-06-15}'::activity_summary),
	('bigint time_us=none {1:2024-06-09,2:2024-06-09}'),
	('bigint time_us=7 {1:2024-06-13 2024-06-20,3:2024-06-08/2024-06-09}'),
	('bigint time_us=none {2:2024-06-14}')) v(d);
SELECT x.* FROM (SELECT rollup(d) AS s
	FROM (VALUES ('bigint time_us=5 {1:2024-06-10/2024-06-12,2:2024-06-15}'::activity_summary),
		('bigint time_us=none {1:2024-06-09,2:2024-06-09}'),
		('bigint time_us=7 {1:2024-06-13 2024-06-20,3:2024-06-08/2024-06-09}'),
		('bigint time_us=none {2:2024-06-14}')) v(d)) r,
	active_days_distribution(r.s) x;
-- the month of section 1 rolled up with a weekly summary of other days:
-- user 1 also on 06-06 and 06-08 (06-01/06-06 06-08), user 5 on 06-07
SELECT rollup(d) AS days_and_week
FROM (SELECT d FROM days
	  UNION ALL SELECT 'bigint time_us=none {1:2024-06-06 2024-06-08,5:2024-06-07}'::activity_summary) x;

-- 4. More summaries than one merge takes (64): user 5 on each of 130 days
-- from 2024-01-01 (to 2024-05-09), user 6 on every other one of them (65
-- days), user 7 on the first 64 days only (to 2024-03-04: 31 + 29 + 4), user
-- 8 on days 2 to 64, user 9 on day 64 only.
CREATE TABLE many_events AS
SELECT 5::bigint AS user_id, '2024-01-01'::date + g AS active_on FROM generate_series(0, 129) g
UNION ALL SELECT 6, '2024-01-01'::date + g FROM generate_series(0, 129, 2) g
UNION ALL SELECT 7, '2024-01-01'::date + g FROM generate_series(0, 63) g
UNION ALL SELECT 8, '2024-01-01'::date + g FROM generate_series(1, 63) g
UNION ALL SELECT 9, '2024-03-04'::date;
CREATE TABLE many AS
SELECT active_on AS day, activity_agg(user_id, active_on) AS d FROM many_events GROUP BY active_on;
-- the first 64 days without user 6: one merge of 64 one-day summaries, the
-- mask of every stream set for users 5 and 7:
-- {5: 01-01/03-04, 7: 01-01/03-04, 8: 01-02/03-04, 9: 03-04}
SELECT rollup(d) AS sixty_four_days
FROM (SELECT activity_agg(user_id, active_on) AS d FROM many_events
	  WHERE user_id <> 6 AND active_on < '2024-03-05' GROUP BY active_on) x;
-- all 130 days: 5 users; active days 1 (user 9), 63 (8), 64 (7), 65 (6), 130 (5)
SELECT count(*) AS summaries,
	active_users(rollup(d)) AS users,
	rollup(d) = (SELECT activity_agg(user_id, active_on) FROM many_events) AS equals_direct
FROM many;
SELECT x.* FROM (SELECT rollup(d) AS s FROM many) r, active_days_distribution(r.s) x;
SELECT first_active_day(rollup(d)), last_active_day(rollup(d)) FROM many;

-- 5. uuid ids (128-bit keys): the largest uuid is the largest key, 2^128 - 1,
-- read when the stream of 06-02 has ended
SELECT rollup(d) AS uuid_days
FROM (VALUES ('uuid time_us=none {00000000-0000-0000-0000-000000000001:2024-06-01,ffffffff-ffff-ffff-ffff-ffffffffffff:2024-06-01}'::activity_summary),
	('uuid time_us=none {00000000-0000-0000-0000-000000000001:2024-06-02}'),
	('uuid time_us=none {00000000-0000-0001-0000-000000000000:2024-06-03,ffffffff-ffff-ffff-ffff-ffffffffffff:2024-06-03}')) v(d);
SELECT rollup(d) AS uuid_mixed
FROM (VALUES ('uuid time_us=none {00000000-0000-0000-0000-000000000001:2024-06-01,ffffffff-ffff-ffff-ffff-ffffffffffff:2024-06-01}'::activity_summary),
	('uuid time_us=none {00000000-0000-0001-0000-000000000000:2024-06-02/2024-06-04,ffffffff-ffff-ffff-ffff-ffffffffffff:2024-06-03}')) v(d);
-- text ids: keys in hex
SELECT rollup(d) AS text_days
FROM (VALUES ('text time_us=none {0000000000000001:2024-06-01,ffffffffffffffff:2024-06-01}'::activity_summary),
	('text time_us=none {0000000000000002:2024-06-02,ffffffffffffffff:2024-06-02}')) v(d);

-- 6. Thirty daily summaries of 3,000 users (user u active on day d, 0 to 29,
-- when (u * 7 + d * 13) % 10 < 4: four days in ten): the rollup equals the
-- direct aggregate and plain SQL's distinct counts
CREATE TABLE month_events AS
SELECT u::bigint AS user_id, '2024-06-01'::date + d AS active_on
FROM generate_series(1, 3000) u, generate_series(0, 29) d
WHERE (u * 7 + d * 13) % 10 < 4;
CREATE TABLE month AS
SELECT active_on AS day, activity_agg(user_id, active_on) AS d FROM month_events GROUP BY active_on;
SELECT rollup(d) = (SELECT activity_agg(user_id, active_on) FROM month_events) AS equals_direct,
	active_users(rollup(d)) = (SELECT count(DISTINCT user_id) FROM month_events) AS users_equal,
	average_daily_active_users(rollup(d), '2024-06-01', '2024-07-01') * 30
		= (SELECT count(*) FROM month_events) AS user_days_equal
FROM month;
-- every user is active 12 days of the 30 (4 in each 10 consecutive days)
SELECT x.* FROM (SELECT rollup(d) AS s FROM month) r, active_days_distribution(r.s) x;
