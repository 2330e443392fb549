-- activity_batches: activity_agg sorts its rows in batches of 1,048,576
-- (src/activity.c, the radix sort of src/rowsort.c); these inputs cross a
-- batch boundary with repeated (user, day) rows that are not next to each
-- other and users out of order, for each way a batch is sorted: bigint ids
-- packed with the day into one word (ids from a small range), bigint ids
-- spread over the whole range (two words), text ids (two words, 64-bit
-- keys) and uuid ids (three words).  A mis-sorted batch splits a user or
-- loses a day, and the counts below change.
--
-- The rows, worked by hand: p = 300007 (p mod 3 = 1), i = 0 .. 4p - 1
-- (1,200,028 rows); user u = (7919 i) mod p, day 2024-01-01 + 10 (i mod 3).
-- 7919 is prime and does not divide p, so i -> u is one to one on each of
-- the 4 blocks of p consecutive i: every user has exactly 4 rows, at i0,
-- i0 + p, i0 + 2p, i0 + 3p, whose days are (i0 + k) mod 3 for k = 0 .. 3
-- (as p mod 3 = 1): all three days, one of them twice.  So: 300,007 users,
-- each active on 3 days (2024-01-01, 2024-01-11, 2024-01-21: 3 runs), and
-- 300,007 users every one of those days.
SET DateStyle = ISO;
-- the ids of every kind, computed once: bigint ids spread from about
-- -4.5e18 to 4.5e18 (their spread needs 63 bits, too many to pack with
-- the days), text and uuid ids; each is one to one with u
CREATE TEMP TABLE rows AS
SELECT i, u, d, (u - 150003) * 30000000000000 AS spread, u::text AS t, md5(u::text)::uuid AS g
FROM (SELECT i, (7919 * i) % 300007 AS u, DATE '2024-01-01' + 10 * (i % 3)::integer AS d
	  FROM generate_series(0::bigint, 4 * 300007 - 1) i) x;
SELECT count(*) AS rows, count(DISTINCT u) AS users, count(DISTINCT (u, d)) AS user_days FROM rows;
-- the same rows in order of (u, d): a user's repeated day next to itself,
-- skipped as it is added (900,021 rows are left: one batch)
CREATE TEMP TABLE rows_in_order AS SELECT * FROM rows ORDER BY u, d;

CREATE TEMP TABLE sums AS
SELECT 'packed bigint' AS ids,
	   (SELECT activity_agg(u, d) FROM rows) AS s,
	   (SELECT activity_agg(u, d) FROM rows_in_order) AS in_order
UNION ALL
SELECT 'spread bigint',
	   (SELECT activity_agg(spread, d) FROM rows),
	   (SELECT activity_agg(spread, d) FROM rows_in_order)
UNION ALL
SELECT 'text',
	   (SELECT activity_agg(t, d) FROM rows),
	   (SELECT activity_agg(t, d) FROM rows_in_order)
UNION ALL
SELECT 'uuid',
	   (SELECT activity_agg(g, d) FROM rows),
	   (SELECT activity_agg(g, d) FROM rows_in_order);

-- every kind: 300007 users (count(DISTINCT u) above), the same summary as
-- from the rows in order, 3 active days each, 300007 users a day
SELECT ids, active_users(s), s = in_order AS same_as_in_order,
	   first_active_day(s), last_active_day(s)
FROM sums ORDER BY ids;
SELECT ids, (active_days_distribution(s)).* FROM sums ORDER BY ids;
-- the other 18 days of the range have no users
SELECT ids, day, users FROM sums, daily_active_users(s) WHERE users > 0 ORDER BY ids, day;
SELECT ids, count(*) AS days, count(*) FILTER (WHERE users = 0) AS empty_days
FROM sums, daily_active_users(s) GROUP BY ids ORDER BY ids;
-- the runs: a user's days 10 apart are 3 runs, written as 3 dates
SELECT ids, s::text ~ '^bigint time_us=none \{0:2024-01-01 2024-01-11 2024-01-21,1:2024-01-01 2024-01-11 2024-01-21,'
FROM sums WHERE ids = 'packed bigint';

-- Days before 2000-01-01 (negative dates inside) in a batch of more than
-- 32 rows (the radix sort, not the insertion sort of tiny batches),
-- straddling 2000-01-01.  Worked by hand: i = 0 .. 199, user
-- u = (37 i) mod 100 (37 is prime to 100: every user twice, at i0 and
-- i0 + 100), day 1999-12-30 + (i mod 3).  As 100 mod 3 = 1 a user's two
-- rows fall on consecutive offsets mod 3: (0, 1), (1, 2) or (2, 0), so all
-- 100 users are active on 2 days; 1999-12-30 has the 67 rows with
-- i mod 3 = 0, 1999-12-31 the 67 with i mod 3 = 1, 2000-01-01 the other 66.
-- User 0 (i0 = 0) has 1999-12-30/1999-12-31, user 74 (i0 = 2, offsets 2
-- and 0) has 1999-12-30 and 2000-01-01, two runs.
CREATE TEMP TABLE early AS
SELECT i, (37 * i) % 100 AS u, DATE '1999-12-30' + (i % 3)::integer AS d FROM generate_series(0, 199) i;
CREATE TEMP TABLE early_sums AS
SELECT 'packed bigint' AS ids, (SELECT activity_agg(u, d) FROM early) AS s,
	   (SELECT activity_agg(u, d ORDER BY u, d) FROM early) AS in_order
UNION ALL
SELECT 'spread bigint', (SELECT activity_agg((u - 50) * 90000000000000000, d) FROM early),
	   (SELECT activity_agg((u - 50) * 90000000000000000, d ORDER BY u, d) FROM early)
UNION ALL
SELECT 'text', (SELECT activity_agg(u::text, d) FROM early),
	   (SELECT activity_agg(u::text, d ORDER BY u, d) FROM early)
UNION ALL
SELECT 'uuid', (SELECT activity_agg(md5(u::text)::uuid, d) FROM early),
	   (SELECT activity_agg(md5(u::text)::uuid, d ORDER BY u, d) FROM early);
SELECT ids, active_users(s), s = in_order AS same_as_in_order, first_active_day(s), last_active_day(s)
FROM early_sums ORDER BY ids;
SELECT ids, (active_days_distribution(s)).* FROM early_sums ORDER BY ids;
SELECT ids, day, users FROM early_sums, daily_active_users(s) ORDER BY ids, day;
SELECT s::text ~ '\{0:1999-12-30/1999-12-31,' AS user_0, s::text ~ ',74:1999-12-30 2000-01-01,' AS user_74
FROM early_sums WHERE ids = 'packed bigint';

-- Text ids on one day (their keys' spread is 64 bits, the days' 0: packed
-- with no room to spare), 1,000 ids each twice, more than 32 rows
SELECT active_users(s), s = in_order AS same_as_in_order, first_active_day(s), last_active_day(s)
FROM (SELECT activity_agg(u::text, DATE '1999-12-31') AS s,
			 activity_agg(u::text, DATE '1999-12-31' ORDER BY u) AS in_order
	  FROM generate_series(1, 1000) u, generate_series(1, 2) r) x;
