-- churn and retention over a period: customer_flow, churn_rate, retention_rate

\i sql/include/expect_error.sql
SET extra_float_digits = 0;

-- The worked example of the issue, period January 2024 = [2024-01-01, 2024-02-01):
--   90 customers active since 2023 and still active           -> S, E
--   10 customers active since 2023 who left on 2024-01-15     -> S, churned
--   19 customers who started in January and are still active  -> E, new
--    1 customer who started on 2024-01-05 and left 2024-01-20 -> transient
-- S = 90 + 10 = 100, churned = 10, N = 19, E = 90 + 19 = 109, transient = 1
-- churn = 10 / 100 * 100 = 10; CRR = (109 - 19) / 100 * 100 = 90
CREATE TABLE customers (id int, started_on date, ended_on date, segment text);
INSERT INTO customers SELECT g, '2023-06-01', NULL, CASE WHEN g % 2 = 0 THEN 'smb' ELSE 'ent' END
	FROM generate_series(1, 90) g;
INSERT INTO customers SELECT g, '2023-06-01', '2024-01-15', CASE WHEN g % 2 = 0 THEN 'smb' ELSE 'ent' END
	FROM generate_series(91, 100) g;
INSERT INTO customers SELECT g, '2024-01-10', NULL, CASE WHEN g % 2 = 0 THEN 'smb' ELSE 'ent' END
	FROM generate_series(101, 119) g;
INSERT INTO customers VALUES (120, '2024-01-05', '2024-01-20', 'smb');

SELECT churn_rate(started_on, ended_on, '2024-01-01', '2024-02-01') AS churn,
	   retention_rate(started_on, ended_on, '2024-01-01', '2024-02-01') AS crr
FROM customers;
SELECT customer_flow_agg(started_on, ended_on, '2024-01-01', '2024-02-01') FROM customers;
-- the accessors, and E - N = S - churned (109 - 19 = 100 - 10 = 90)
SELECT customers_at_start(f) AS s, customers_at_end(f) AS e, new_customers(f) AS n,
	   churned_customers(f) AS churned, transient_customers(f) AS transient,
	   churn_rate(f), retention_rate(f),
	   customers_at_end(f) - new_customers(f) = customers_at_start(f) - churned_customers(f) AS identity
FROM (SELECT customer_flow_agg(started_on, ended_on, '2024-01-01', '2024-02-01') AS f FROM customers) x;
-- the same rows as timestamptz (midnight UTC) give the same counts
SELECT customer_flow_agg(started_on::timestamptz, ended_on::timestamptz,
						 '2024-01-01 00:00+00', '2024-02-01 00:00+00')
FROM customers;
-- the scalar forms, from the counts: 10 / 100 = 10 %, (109 - 19) / 100 = 90 %
SELECT churn_rate(10, 100) AS churn, retention_rate(109, 19, 100) AS crr;

-- One customer at a time, against the period [2024-01-01, 2024-02-01):
-- each row shows which counts the customer lands in.
SELECT label, customer_flow_agg(s, e, '2024-01-01', '2024-02-01')
FROM (VALUES
	(1, 'left exactly on period_start: not in S', '2023-01-01'::date, '2024-01-01'::date),
	(2, 'left the day after period_start: S, churned', '2023-01-01', '2024-01-02'),
	(3, 'started on period_start: in S', '2024-01-01', NULL),
	(4, 'ended on period_end: S and E, not churned', '2023-01-01', '2024-02-01'),
	(5, 'ended the day before period_end: churned', '2023-01-01', '2024-01-31'),
	(6, 'started inside, ended on period_end: new', '2024-01-15', '2024-02-01'),
	(7, 'started on the last day: new', '2024-01-31', NULL),
	(8, 'started on period_end: nothing', '2024-02-01', NULL),
	(9, 'started and ended inside: transient', '2024-01-10', '2024-01-11'),
	(10, 'zero-length span inside: nothing', '2024-01-10', '2024-01-10'),
	(11, 'zero-length span on period_start: nothing', '2024-01-01', '2024-01-01'),
	(12, 'ended before the period: nothing', '2022-01-01', '2023-01-01'),
	(13, 'started on period_start, left inside: S, churned', '2024-01-01', '2024-01-20'),
	(14, 'ended_on infinity counts as active', '2023-01-01', 'infinity'),
	(15, 'started_on -infinity counts from the beginning', '-infinity', NULL)
) v(n, label, s, e)
GROUP BY n, label ORDER BY n;

-- timestamptz rows are compared at the microsecond: a customer who started
-- at 10:00 on the first day is new, not in S; one who ended at 00:00:01 on
-- period_end is in E
SELECT customer_flow_agg(s, e, '2024-01-01 00:00+00', '2024-02-01 00:00+00')
FROM (VALUES ('2024-01-01 10:00+00'::timestamptz, NULL::timestamptz),
			 ('2023-01-01 00:00+00', '2024-02-01 00:00:01+00'),
			 ('2023-01-01 00:00+00', '2024-01-31 23:59:59+00')) v(s, e);

-- NULL started_on skips the row; NULL ended_on is an active customer
SELECT customer_flow_agg(s, e, '2024-01-01', '2024-02-01')
FROM (VALUES (NULL::date, '2024-01-15'::date), ('2023-01-01', NULL), (NULL, NULL)) v(s, e);
-- no rows, or only skipped rows: NULL
SELECT customer_flow_agg(started_on, ended_on, '2024-01-01', '2024-02-01') IS NULL AS no_rows,
	   churn_rate(started_on, ended_on, '2024-01-01', '2024-02-01') IS NULL AS churn_null,
	   retention_rate(started_on, ended_on, '2024-01-01', '2024-02-01') IS NULL AS crr_null
FROM customers WHERE false;
SELECT customer_flow_agg(s, NULL, '2024-01-01', '2024-02-01') IS NULL AS all_null
FROM (VALUES (NULL::date), (NULL)) v(s);
-- nobody at the start: the rates are NULL, the counts are there
SELECT f, churn_rate(f) IS NULL AS churn_null, retention_rate(f) IS NULL AS crr_null
FROM (SELECT customer_flow_agg(s, NULL, '2024-01-01', '2024-02-01') AS f
	  FROM (VALUES ('2024-01-05'::date), ('2025-01-01')) v(s)) x;

-- per-row errors
-- ended_on before started_on: 22008
SELECT pg_temp.expect_error($$SELECT churn_rate(s, e, '2024-01-01', '2024-02-01')
	FROM (VALUES ('2024-01-10'::date, '2024-01-09'::date)) v(s, e)$$);
SELECT pg_temp.expect_error($$SELECT customer_flow_agg(s, e, '2024-01-01', '2024-02-01')
	FROM (VALUES ('2024-01-10 10:00+00'::timestamptz, '2024-01-10 09:59+00'::timestamptz)) v(s, e)$$);
-- a period that ends before it starts: 22008; an empty one: 22023
SELECT pg_temp.expect_error($$SELECT churn_rate(started_on, ended_on, '2024-02-01', '2024-01-01') FROM customers$$);
SELECT pg_temp.expect_error($$SELECT churn_rate(started_on, ended_on, '2024-01-01', '2024-01-01') FROM customers$$);
-- NULL or infinite period bounds: 22023
SELECT pg_temp.expect_error($$SELECT churn_rate(started_on, ended_on, NULL, '2024-01-01') FROM customers$$);
SELECT pg_temp.expect_error($$SELECT churn_rate(started_on, ended_on, '2024-01-01', NULL) FROM customers$$);
SELECT pg_temp.expect_error($$SELECT churn_rate(started_on, ended_on, '2024-01-01', 'infinity') FROM customers$$);
SELECT pg_temp.expect_error($$SELECT retention_rate(started_on::timestamptz, ended_on::timestamptz, '-infinity', '2024-01-01') FROM customers$$);
-- rows of one group with different periods: 22023
SELECT pg_temp.expect_error($$SELECT churn_rate(started_on, ended_on, '2024-01-01', CASE WHEN id < 50 THEN '2024-02-01'::date ELSE '2024-03-01' END) FROM customers$$);
SELECT pg_temp.expect_error($$SELECT churn_rate(started_on, ended_on, CASE WHEN id < 50 THEN '2024-01-01'::date ELSE '2023-12-01' END, '2024-02-01') FROM customers$$);

-- rollup: segments of one period merge to the whole
SELECT segment, customer_flow_agg(started_on, ended_on, '2024-01-01', '2024-02-01')
FROM customers GROUP BY segment ORDER BY segment;
SELECT rollup(f)::text = (SELECT customer_flow_agg(started_on, ended_on, '2024-01-01', '2024-02-01')::text
						  FROM customers) AS rollup_equals_direct,
	   churn_rate(rollup(f)) AS churn, retention_rate(rollup(f)) AS crr
FROM (SELECT customer_flow_agg(started_on, ended_on, '2024-01-01', '2024-02-01') AS f
	  FROM customers GROUP BY segment) x;
SELECT rollup(f) IS NULL AS no_rows FROM (SELECT NULL::customer_flow AS f) x;
-- rollup of different periods, or of a date and a timestamptz flow: 22023
SELECT pg_temp.expect_error($$SELECT rollup(f) FROM (VALUES
	('[2024-01-01,2024-02-01) rows=1 start=1 end=1 new=0 churned=0 transient=0'::customer_flow),
	('[2024-02-01,2024-03-01) rows=1 start=1 end=1 new=0 churned=0 transient=0')) v(f)$$);
SELECT pg_temp.expect_error($$SELECT rollup(f) FROM (VALUES
	('[2024-01-01,2024-02-01) rows=1 start=1 end=1 new=0 churned=0 transient=0'::customer_flow),
	('["2024-01-01 00:00:00+00","2024-02-01 00:00:00+00") rows=1 start=1 end=1 new=0 churned=0 transient=0')) v(f)$$);
-- a monthly materialized summary rolled up by quarter needs the same period:
-- one row per customer and month gives one flow per month, and those are kept apart
SELECT month, churn_rate(f), retention_rate(f), f
FROM (SELECT m::date AS month,
			 customer_flow_agg(started_on, ended_on, m::date, (m + interval '1 month')::date) AS f
	  FROM customers, generate_series('2023-12-01'::date, '2024-02-01', interval '1 month') m
	  GROUP BY m) x
ORDER BY month;

-- text form: round trip, white space, timestamptz bounds in UTC
SELECT f::customer_flow::text = f AS round_trip
FROM (VALUES ('[2024-01-01,2024-02-01) rows=120 start=100 end=109 new=19 churned=10 transient=1'),
			 ('[2024-01-01,2024-01-02) rows=0 start=0 end=0 new=0 churned=0 transient=0'),
			 ('[0044-03-15 BC,2024-01-02) rows=9223372036854775807 start=9223372036854775807 end=9223372036854775807 new=0 churned=0 transient=0'),
			 ('["2024-01-01 00:00:00+00","2024-01-01 00:00:00.5+00") rows=3 start=1 end=1 new=1 churned=1 transient=1')) v(f);
SELECT '  [2024-01-01,2024-02-01)rows=3   start=1 end=1 new=1 churned=1 transient=1  '::customer_flow;
SET timezone = 'America/New_York';
SELECT '["2024-01-01 00:00:00-05","2024-02-01 00:00:00-05") rows=0 start=0 end=0 new=0 churned=0 transient=0'::customer_flow;
SET datestyle = 'SQL, DMY';
SELECT '[2024-01-01,2024-02-01) rows=0 start=0 end=0 new=0 churned=0 transient=0'::customer_flow;
RESET datestyle;
RESET timezone;
-- syntax errors: 22P02
SELECT pg_temp.expect_error($$SELECT ''::customer_flow$$);
SELECT pg_temp.expect_error($$SELECT '[2024-01-01,2024-02-01)'::customer_flow$$);
SELECT pg_temp.expect_error($$SELECT '[2024-01-01,2024-02-01] rows=0 start=0 end=0 new=0 churned=0 transient=0'::customer_flow$$);
SELECT pg_temp.expect_error($$SELECT '[2024-01-01,2024-02-01) rows=0 start=0 end=0 churned=0 new=0 transient=0'::customer_flow$$);
SELECT pg_temp.expect_error($$SELECT '[2024-01-01,2024-02-01) rows=0 start=0 end=0 new=0 churned=0 transient=0 x'::customer_flow$$);
SELECT pg_temp.expect_error($$SELECT '[2024-01-01,2024-02-01) rows=-1 start=0 end=0 new=0 churned=0 transient=0'::customer_flow$$);
SELECT pg_temp.expect_error($$SELECT '["2024-01-01,2024-02-01) rows=0 start=0 end=0 new=0 churned=0 transient=0'::customer_flow$$);
SELECT pg_temp.expect_error($$SELECT '[,2024-02-01) rows=0 start=0 end=0 new=0 churned=0 transient=0'::customer_flow$$);
-- a bound that is not a date: the date input's own error
SELECT pg_temp.expect_error($$SELECT '[2024-13-01,2024-02-01) rows=0 start=0 end=0 new=0 churned=0 transient=0'::customer_flow$$);
-- counts that cannot happen: 22P02 with the reason
SELECT pg_temp.expect_error($$SELECT '[2024-01-01,2024-02-01) rows=120 start=100 end=110 new=19 churned=10 transient=1'::customer_flow$$);
SELECT pg_temp.expect_error($$SELECT '[2024-01-01,2024-02-01) rows=10 start=5 end=0 new=0 churned=6 transient=0'::customer_flow$$);
SELECT pg_temp.expect_error($$SELECT '[2024-01-01,2024-02-01) rows=2 start=1 end=2 new=1 churned=0 transient=1'::customer_flow$$);
SELECT pg_temp.expect_error($$SELECT '[2024-02-01,2024-01-01) rows=0 start=0 end=0 new=0 churned=0 transient=0'::customer_flow$$);
SELECT pg_temp.expect_error($$SELECT '[2024-01-01,2024-01-01) rows=0 start=0 end=0 new=0 churned=0 transient=0'::customer_flow$$);
SELECT pg_temp.expect_error($$SELECT '[2024-01-01,infinity) rows=0 start=0 end=0 new=0 churned=0 transient=0'::customer_flow$$);
SELECT pg_temp.expect_error($$SELECT '[2024-01-01,2024-02-01) rows=9223372036854775807 start=9223372036854775807 end=9223372036854775807 new=1 churned=1 transient=0'::customer_flow$$);
-- out of range: 22003
SELECT pg_temp.expect_error($$SELECT '[2024-01-01,2024-02-01) rows=9223372036854775808 start=0 end=0 new=0 churned=0 transient=0'::customer_flow$$);
-- the one I/O policy (src/csm_io.c): the last count too, however long; the format
-- allows no white space around "=" and no sign (22P02)
SELECT pg_temp.expect_error($$SELECT '[2024-01-01,2024-02-01) rows=0 start=0 end=0 new=0 churned=0 transient=123456789012345678901234567890'::customer_flow$$);
SELECT pg_temp.expect_error($$SELECT '[2024-01-01,2024-02-01) rows = 0 start=0 end=0 new=0 churned=0 transient=0'::customer_flow$$);
SELECT pg_temp.expect_error($$SELECT '[2024-01-01,2024-02-01) rows=+0 start=0 end=0 new=0 churned=0 transient=0'::customer_flow$$);

-- binary form: version 1, kind 0 (date), bounds 8766 and 8797 (days since
-- 2000-01-01), rows 120, start 100, churned 10, new 19, transient 1
SELECT customer_flow_send('[2024-01-01,2024-02-01) rows=120 start=100 end=109 new=19 churned=10 transient=1');

-- scalar forms
SELECT churn_rate(0, 100) AS zero, churn_rate(100, 100) AS all, churn_rate(1, 3) AS third,
	   churn_rate(0, 0) IS NULL AS none_at_start;
SELECT retention_rate(100, 0, 100) AS all, retention_rate(19, 19, 100) AS none,
	   retention_rate(2, 0, 3) AS two_thirds, retention_rate(5, 5, 0) IS NULL AS none_at_start;
SELECT churn_rate(NULL, 10) IS NULL AS strict1, retention_rate(1, NULL, 1) IS NULL AS strict2;
-- churn_rate(flow) + retention_rate(flow) = 100 for the worked example
SELECT churn_rate(10, 100) + retention_rate(109, 19, 100) AS total;
-- impossible counts: 22023
SELECT pg_temp.expect_error($$SELECT churn_rate(-1, 10)$$);
SELECT pg_temp.expect_error($$SELECT churn_rate(1, -10)$$);
SELECT pg_temp.expect_error($$SELECT churn_rate(11, 10)$$);
SELECT pg_temp.expect_error($$SELECT churn_rate(1, 0)$$);
SELECT pg_temp.expect_error($$SELECT retention_rate(-1, 0, 10)$$);
SELECT pg_temp.expect_error($$SELECT retention_rate(10, -1, 10)$$);
SELECT pg_temp.expect_error($$SELECT retention_rate(10, 0, -10)$$);
SELECT pg_temp.expect_error($$SELECT retention_rate(5, 6, 10)$$);
SELECT pg_temp.expect_error($$SELECT retention_rate(20, 5, 10)$$);
SELECT pg_temp.expect_error($$SELECT retention_rate(1, 0, 0)$$);

-- moving aggregates: a sliding frame of 3 rows equals recomputing each frame
CREATE TABLE spans AS
SELECT g AS id,
	   '2023-12-01'::date + (g * 7) % 61 AS started_on,
	   CASE WHEN g % 3 = 0 THEN NULL ELSE '2023-12-01'::date + (g * 7) % 61 + (g * 13) % 50 END AS ended_on
FROM generate_series(1, 60) g;
UPDATE spans SET started_on = NULL WHERE id % 10 = 0;
SELECT count(*) AS frames,
	   count(*) FILTER (WHERE moving IS NOT DISTINCT FROM fresh) AS equal
FROM (SELECT id,
			 customer_flow_agg(started_on, ended_on, '2024-01-01', '2024-02-01')
				 OVER (ORDER BY id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)::text AS moving,
			 (SELECT customer_flow_agg(started_on, ended_on, '2024-01-01', '2024-02-01')::text
			  FROM spans s2 WHERE s2.id BETWEEN s.id - 2 AND s.id) AS fresh
	  FROM spans s) x;
SELECT count(*) AS frames,
	   count(*) FILTER (WHERE moving IS NOT DISTINCT FROM fresh) AS equal
FROM (SELECT id,
			 churn_rate(started_on, ended_on, '2024-01-01', '2024-02-01')
				 OVER (ORDER BY id ROWS BETWEEN 4 PRECEDING AND CURRENT ROW) AS moving,
			 (SELECT churn_rate(started_on, ended_on, '2024-01-01', '2024-02-01')
			  FROM spans s2 WHERE s2.id BETWEEN s.id - 4 AND s.id) AS fresh
	  FROM spans s) x;
-- a frame that empties gives NULL again, as over no rows
SELECT id, customer_flow_agg(started_on, ended_on, '2024-01-01', '2024-02-01')
	OVER (ORDER BY id ROWS BETWEEN CURRENT ROW AND 1 FOLLOWING) AS f
FROM (VALUES (1, '2023-01-01'::date, NULL::date), (2, '2024-01-10', NULL), (3, NULL, NULL)) v(id, started_on, ended_on)
ORDER BY id;
-- rollup as a moving aggregate over stored daily-style summaries
SELECT n, rollup(f) OVER (ORDER BY n ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
FROM (VALUES (1, '[2024-01-01,2024-02-01) rows=3 start=2 end=2 new=1 churned=1 transient=0'::customer_flow),
			 (2, '[2024-01-01,2024-02-01) rows=4 start=3 end=3 new=0 churned=0 transient=1'),
			 (3, NULL),
			 (4, '[2024-01-01,2024-02-01) rows=1 start=1 end=0 new=0 churned=1 transient=0')) v(n, f)
ORDER BY n;

-- the support functions refuse to run outside an aggregate
SELECT pg_temp.expect_error($$SELECT customer_flow_add_date(NULL, '2024-01-01', NULL, '2024-01-01', '2024-02-01')$$);
SELECT pg_temp.expect_error($$SELECT customer_flow_combine(NULL, '[2024-01-01,2024-02-01) rows=0 start=0 end=0 new=0 churned=0 transient=0')$$);

DROP TABLE customers, spans;
