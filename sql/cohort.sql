-- cohort retention: cohort_agg, rollup, cohort_retention, revenue_cohort_agg,
-- revenue_retention; worked examples computed by hand, errors, text forms
SET extra_float_digits = 0;
SET datestyle = 'ISO, YMD';

\i sql/include/expect_error.sql

-- one row per customer: [started_on, ended_on), NULL end = still active
CREATE TABLE customers (id int, started_on date, ended_on date);
INSERT INTO customers VALUES
	(1, '2024-01-31', '2024-03-01'),	-- month end; active on 31 Jan and 29 Feb (leap day), ends on 1 Mar
	(2, '2024-01-05', NULL),			-- still active
	(3, '2024-01-10', '2024-01-20'),	-- gone within its joining month
	(4, '2024-02-29', '2024-05-01'),	-- joins on the leap day; active on the last day of Feb, Mar, Apr
	(5, '2024-02-01', '2024-02-29'),	-- ends on the last day of February: not active on it
	(6, '2023-11-15', '2023-12-31'),	-- November 2023 cohort: ends on 31 Dec, not active on it
	(7, '2023-11-02', '2023-11-30'),	-- ... ends on 30 Nov: nobody of the cohort is left
	(8, NULL, '2024-01-01');			-- no start: skipped

-- cohort Nov 2023 = {6 ended in period 1 (Dec), 7 ended in period 0 (Nov)}
-- cohort Jan 2024 = {1 ended in period 2 (Mar), 2 active, 3 ended in period 0}
-- cohort Feb 2024 = {4 ended in period 3 (May), 5 ended in period 0}
SELECT cohort_agg(started_on, ended_on, 'month') FROM customers;

-- as_of 2024-04-30: a period is shown when its last day <= as_of.
-- Nov 2023: periods 0 (Nov) .. 5 (Apr); size 2
--   k=0: 7 ended in period 0 -> 1 retained (50%); k>=1: 6 ended in 1 -> 0 (0%)
-- Jan 2024: periods 0 (Jan) .. 3 (Apr); size 3
--   k=0: 3 gone -> 2 (66.67%); k=1: 2 (1 is active on 29 Feb); k=2,3: 1 (33.33%)
-- Feb 2024: periods 0 (Feb) .. 2 (Apr); size 2
--   k=0: 5 not active on 29 Feb -> 1 (50%); k=1,2: 4 active on 31 Mar, 30 Apr -> 1
SELECT cohort, period, cohort_size, retained, round(retention_pct::numeric, 2) AS pct
FROM cohort_retention((SELECT cohort_agg(started_on, ended_on, 'month') FROM customers), '2024-04-30')
ORDER BY 1, 2;

-- the triangle edge: as_of one day before the end of April drops April
SELECT cohort, max(period) AS last_period
FROM cohort_retention((SELECT cohort_agg(started_on, ended_on, 'month') FROM customers), '2024-04-29')
GROUP BY 1 ORDER BY 1;
-- as_of before a cohort's first period ends gives no rows for it (Feb not complete on 28 Feb)
SELECT cohort, max(period) AS last_period
FROM cohort_retention((SELECT cohort_agg(started_on, ended_on, 'month') FROM customers), '2024-02-28')
GROUP BY 1 ORDER BY 1;

-- an ended_on equal to the first day of period k+1 is retained in k:
-- start 2024-01-31, end 2024-02-01 -> retained in period 0 (active on 31 Jan), not in 1
SELECT period, retained FROM cohort_retention(
	(SELECT cohort_agg('2024-01-31'::date, '2024-02-01'::date, 'month')), '2024-03-31');
-- ... and a zero-length span (end = start) is active on no day: not retained even in period 0
SELECT period, retained FROM cohort_retention(
	(SELECT cohort_agg('2024-01-31'::date, '2024-01-31'::date, 'month')), '2024-01-31');

-- ISO weeks across a year end: 2020-12-31 (Thu) and 2021-01-03 (Sun) are in the week of
-- Monday 2020-12-28; 2021-01-04 is a Monday and starts the next week
SELECT cohort_agg(s::date, e::date, 'week') FROM (VALUES
	('2020-12-31', '2021-01-04'),	-- ends on the first day of week 1: retained in week 0
	('2021-01-03', '2021-01-03'),	-- zero length: ended in week 0
	('2021-01-04', NULL)) v(s, e);
-- week of 2020-12-28: size 2, k=0: retained 1 (50%), k=1 (week of 2021-01-04): 0
-- week of 2021-01-04: size 1, k=0: 1 (as_of 2021-01-10 is that week's Sunday)
SELECT cohort, period, cohort_size, retained, retention_pct
FROM cohort_retention((SELECT cohort_agg(s::date, e::date, 'week') FROM (VALUES
	('2020-12-31', '2021-01-04'), ('2021-01-03', '2021-01-03'), ('2021-01-04', NULL)) v(s, e)),
	'2021-01-10');
-- the same weeks as date_trunc('week', ...)
SELECT date_trunc('week', '2020-12-31'::date)::date, date_trunc('week', '2021-01-03'::date)::date,
	date_trunc('week', '2021-01-04'::date)::date;

-- quarter, year and day grains; leap year: 2024-02-29 + 1 year is in the 2025 period
-- quarter: 2024-02-29 -> Q1 2024 (2024-01-01); ends 2024-07-01 = first day of Q3: retained in 0, 1
SELECT cohort, period, retained FROM cohort_retention(
	(SELECT cohort_agg('2024-02-29'::date, '2024-07-01'::date, 'quarter')), '2024-12-31');
-- year: ends 2025-02-28 (in 2025, period 1): retained in 2024 (period 0) only
SELECT cohort, period, retained FROM cohort_retention(
	(SELECT cohort_agg('2024-02-29'::date, '2025-02-28'::date, 'year')), '2026-12-31');
-- day: 2024-02-28 to 2024-03-01 is active on 28 and 29 Feb: retained in periods 0 and 1
SELECT cohort, period, retained FROM cohort_retention(
	(SELECT cohort_agg('2024-02-28'::date, '2024-03-01'::date, 'day')), '2024-03-02');

-- grains are matched case-insensitively, like date_trunc's; white space is not trimmed
SELECT grain(cohort_agg('2024-01-01'::date, NULL, 'MONTH')), grain(cohort_agg('2024-01-01'::date, NULL, 'Quarter'));
SELECT pg_temp.expect_error($$SELECT cohort_agg('2024-01-01'::date, NULL, ' month')$$);
SELECT pg_temp.expect_error($$SELECT cohort_agg('2024-01-01'::date, NULL, 'months')$$);
SELECT pg_temp.expect_error($$SELECT cohort_agg('2024-01-01'::date, NULL, 'hour')$$);
SELECT pg_temp.expect_error($$SELECT cohort_agg('2024-01-01'::date, NULL, '')$$);
-- the grain may not change within one aggregate
SELECT pg_temp.expect_error($$SELECT cohort_agg(s, NULL, g) FROM (VALUES ('2024-01-01'::date, 'month'), ('2024-02-01', 'week')) v(s, g)$$);

-- NULLs and empty input: a NULL start or grain skips the row; no rows give NULL
SELECT cohort_agg(s, e, g) IS NULL AS all_null
FROM (VALUES (NULL::date, '2024-01-01'::date, 'month'), ('2024-01-01', NULL, NULL)) v(s, e, g);
SELECT cohort_agg(started_on, ended_on, 'month') IS NULL AS empty FROM customers WHERE false;
SELECT rollup(s) IS NULL AS empty_rollup FROM (SELECT NULL::cohort_summary s) x;
SELECT count(*) AS no_rows FROM cohort_retention(NULL, '2024-01-01');
-- an ended_on of 'infinity' means still active
SELECT cohort_agg('2024-01-01'::date, 'infinity'::date, 'month');

-- errors
SELECT pg_temp.expect_error($$SELECT cohort_agg('2024-03-01'::date, '2024-02-29'::date, 'month')$$);
SELECT pg_temp.expect_error($$SELECT cohort_agg('2024-03-01'::date, '-infinity'::date, 'month')$$);
SELECT pg_temp.expect_error($$SELECT cohort_agg('infinity'::date, NULL, 'month')$$);
SELECT pg_temp.expect_error($$SELECT cohort_agg('0044-03-15 BC'::date, NULL, 'month')$$);
SELECT pg_temp.expect_error($$SELECT * FROM cohort_retention('month; 2024-01-01 1 {}', 'infinity')$$);
SELECT pg_temp.expect_error($$SELECT rollup(s) FROM (VALUES ('month; 2024-01-01 1 {}'::cohort_summary), ('week; 2024-01-01 1 {}')) v(s)$$);
-- support functions refuse to run outside an aggregate
SELECT pg_temp.expect_error($$SELECT cohort_summary_add(NULL, '2024-01-01', NULL, 'month')$$);
SELECT pg_temp.expect_error($$SELECT cohort_summary_combine(NULL, 'month')$$);

-- text form: grain; then per cohort "date size {period:count, ...}"; round trip exact
SELECT s::cohort_summary AS canonical, s::cohort_summary::text = s AS round_trip
FROM (VALUES ('month'), ('month; 2024-01-01 3 {0:1, 2:1}; 2024-02-01 2 {0:1, 3:1}'),
	('week; 2020-12-28 2 {0:1, 1:1}; 2021-01-04 1 {}'), ('day; 2024-02-29 9223372036854775807 {}'),
	('quarter; 2023-10-01 5 {0:5}'), ('year; 0001-01-01 1 {1000:1}')) v(s);
-- white space is free, the grain's case too; the output is canonical
SELECT '  MONTH ;2024-01-01   3{ 0 : 1 ,2:1 } ; 2024-02-01 2 {0:2}  '::cohort_summary;
SELECT pg_temp.expect_error($$SELECT 'hour; 2024-01-01 1 {}'::cohort_summary$$);
SELECT pg_temp.expect_error($$SELECT 'month; 2024-01-15 1 {}'::cohort_summary$$);
SELECT pg_temp.expect_error($$SELECT 'week; 2024-01-01 1 {}; 2023-12-31 1 {}'::cohort_summary$$);
SELECT pg_temp.expect_error($$SELECT 'month; 2024-02-01 1 {}; 2024-01-01 1 {}'::cohort_summary$$);
SELECT pg_temp.expect_error($$SELECT 'month; 2024-01-01 1 {}; 2024-01-01 1 {}'::cohort_summary$$);
SELECT pg_temp.expect_error($$SELECT 'month; 2024-01-01 2 {1:1, 0:1}'::cohort_summary$$);
SELECT pg_temp.expect_error($$SELECT 'month; 2024-01-01 2 {1:1, 1:1}'::cohort_summary$$);
SELECT pg_temp.expect_error($$SELECT 'month; 2024-01-01 2 {0:3}'::cohort_summary$$);
SELECT pg_temp.expect_error($$SELECT 'month; 2024-01-01 0 {}'::cohort_summary$$);
SELECT pg_temp.expect_error($$SELECT 'month; 2024-01-01 2 {0:0}'::cohort_summary$$);
SELECT pg_temp.expect_error($$SELECT 'month; 2024-01-01 2 {-1:1}'::cohort_summary$$);
SELECT pg_temp.expect_error($$SELECT 'month; 2024-02-30 1 {}'::cohort_summary$$);
SELECT pg_temp.expect_error($$SELECT 'month; 2024-01-01 1 {'::cohort_summary$$);
SELECT pg_temp.expect_error($$SELECT 'month; 2024-01-01 1 {} x'::cohort_summary$$);
SELECT pg_temp.expect_error($$SELECT 'month; 2024-01-01 9223372036854775808 {}'::cohort_summary$$);
-- the one I/O policy (src/csm_io.c): a count beyond 2^63 - 1 (the size above, or an
-- ended count) and a period beyond 2^31 - 1 are out of range (22003); a period
-- 2^31 - 1 is a period; a sign, a fraction or a missing count is 22P02
SELECT pg_temp.expect_error($$SELECT 'month; 2024-01-01 1 {0:123456789012345678901234567890}'::cohort_summary$$);
SELECT pg_temp.expect_error($$SELECT 'month; 2024-01-01 1 {2147483648:1}'::cohort_summary$$);
SELECT 'year; 0001-01-01 2 {2147483647:1}'::cohort_summary;
SELECT pg_temp.expect_error($$SELECT 'month; 2024-01-01 2 {+1:1}'::cohort_summary$$);
SELECT pg_temp.expect_error($$SELECT 'month; 2024-01-01 1.5 {}'::cohort_summary$$);
SELECT pg_temp.expect_error($$SELECT 'month; 2024-01-01 2 {1:}'::cohort_summary$$);
-- the largest cohort, everyone gone in period 0, is valid
SELECT pg_temp.expect_error($$SELECT 'day; 2024-01-01 9223372036854775807 {0:9223372036854775807}; 2024-01-02 1 {}'::cohort_summary::text$$);
SELECT pg_temp.expect_error($$SELECT ''::cohort_summary$$);
-- a cohort of 2^63-1 customers merged with one more overflows: 22003
SELECT pg_temp.expect_error($$SELECT rollup(s) FROM (VALUES ('day; 2024-01-01 9223372036854775807 {}'::cohort_summary), ('day; 2024-01-01 1 {}')) v(s)$$);

-- returning customers stay in their original cohort: build one row per customer
-- from a subscriptions table (first start, final end; NULL while any is open)
CREATE TABLE subscriptions (customer int, started_on date, ended_on date);
INSERT INTO subscriptions VALUES
	(1, '2024-01-10', '2024-02-15'), (1, '2024-04-01', NULL),	-- came back in April: Jan cohort, active
	(2, '2024-01-20', '2024-02-10'), (2, '2024-03-01', '2024-03-20'),	-- final end 20 March
	(3, '2024-02-05', '2024-02-20');
-- Jan cohort: {1 active, 2 ended in period 2 (Mar)}; Feb cohort: {3 ended in period 0}
SELECT cohort_agg(first_start, final_end, 'month')
FROM (SELECT customer, min(started_on) AS first_start,
			 CASE WHEN bool_or(ended_on IS NULL) THEN NULL ELSE max(ended_on) END AS final_end
	  FROM subscriptions GROUP BY customer) per_customer;

-- rollup of per-segment summaries equals the direct aggregate
SELECT (SELECT rollup(s)::text FROM (SELECT cohort_agg(started_on, ended_on, 'month') s
		FROM customers GROUP BY id % 3) x)
	= (SELECT cohort_agg(started_on, ended_on, 'month')::text FROM customers) AS rollup_equal;
-- flat summaries go back into an aggregate: cohort_agg over a stored summary
CREATE TABLE stored AS SELECT id % 2 AS seg, cohort_agg(started_on, ended_on, 'month') AS s
	FROM customers GROUP BY 1;
SELECT rollup(s) FROM stored;
SELECT customers(rollup(s)) AS customers_counted FROM stored;

--------------------------------------------------------------------------
-- revenue retention
--------------------------------------------------------------------------
CREATE TABLE invoices (customer int, cohort date, billed_on date, amount numeric);
INSERT INTO invoices VALUES
	(1, '2024-01-31', '2024-01-31', 100.00),	-- Jan cohort, period 0
	(2, '2024-01-05', '2024-01-05', 50),		-- Jan cohort, period 0: 150.00
	(1, '2024-01-31', '2024-02-29', 100.00),	-- period 1 (leap day)
	(2, '2024-01-05', '2024-02-05', 20.50),		-- period 1: 120.50
	(1, '2024-01-31', '2024-04-30', 180),		-- period 3 (expansion): 180; period 2 has none
	(3, '2024-02-10', '2024-02-10', 30),		-- Feb cohort, period 0: 30
	(3, '2024-02-10', '2024-03-01', NULL);		-- NULL amount: skipped
-- dates are truncated to their month: cohort 2024-01-31 is the January cohort
SELECT revenue_cohort_agg(cohort, billed_on, amount, 'month') FROM invoices;
-- Jan: k=0 150.00 (100%), k=1 120.50 (80.33%), k=2 0 (0%), k=3 180 (120%: expansion)
-- Feb: k=0 30 (100%), k=1 0, k=2 0 (rows run to April, the latest period with revenue)
SELECT cohort, period, revenue, round(retention_pct::numeric, 2) AS pct
FROM revenue_retention((SELECT revenue_cohort_agg(cohort, billed_on, amount, 'month') FROM invoices))
ORDER BY 1, 2;
-- a cohort whose period 0 revenue is zero (or negative) has no percentage
SELECT period, revenue, retention_pct FROM revenue_retention('month; 2024-01-01 {0:0.00, 1:10}');

SELECT revenue_cohort_agg(c, p, a, g) IS NULL AS all_null
FROM (VALUES (NULL::date, '2024-01-01'::date, 1::numeric, 'month'), ('2024-01-01', NULL, 1, 'month'),
	('2024-01-01', '2024-01-01', 1, NULL)) v(c, p, a, g);
SELECT pg_temp.expect_error($$SELECT revenue_cohort_agg('2024-02-01'::date, '2024-01-31'::date, 1, 'month')$$);
SELECT pg_temp.expect_error($$SELECT revenue_cohort_agg('2024-01-01'::date, '2024-01-31'::date, 'NaN', 'month')$$);
SELECT pg_temp.expect_error($$SELECT revenue_cohort_agg('2024-01-01'::date, '2024-01-31'::date, 'Infinity', 'month')$$);
SELECT pg_temp.expect_error($$SELECT revenue_cohort_agg('2024-01-01'::date, 'infinity'::date, 1, 'month')$$);
SELECT pg_temp.expect_error($$SELECT revenue_cohort_agg('2024-01-01'::date, '2024-01-31'::date, 1, 'fortnight')$$);
SELECT pg_temp.expect_error($$SELECT rollup(s) FROM (VALUES ('month; 2024-01-01 {0:1}'::revenue_cohort_summary), ('year; 2024-01-01 {0:1}')) v(s)$$);
-- cohort 2024-01-31 and period_start 2024-01-01 are in the same month: period 0 (dates are truncated)
SELECT revenue_cohort_agg('2024-01-31'::date, '2024-01-01'::date, 1, 'month');

-- text form round trip, including a zero sum and trailing zeros of the scale
SELECT s::revenue_cohort_summary AS canonical, s::revenue_cohort_summary::text = s AS round_trip
FROM (VALUES ('month'), ('month; 2024-01-01 {0:150.00, 1:120.50, 3:180}; 2024-02-01 {0:30}'),
	('week; 2020-12-28 {0:0.000, 52:-5.5}'), ('year; 2024-01-01 {0:123456789012345678901234567890.123456789}')) v(s);
SELECT pg_temp.expect_error($$SELECT 'month; 2024-01-01 {}'::revenue_cohort_summary$$);
SELECT pg_temp.expect_error($$SELECT 'month; 2024-01-01 {0:NaN}'::revenue_cohort_summary$$);
SELECT pg_temp.expect_error($$SELECT 'month; 2024-01-01 {0:abc}'::revenue_cohort_summary$$);
SELECT pg_temp.expect_error($$SELECT 'month; 2024-01-01 {1:1, 0:1}'::revenue_cohort_summary$$);
SELECT pg_temp.expect_error($$SELECT 'month; 2024-01-02 {0:1}'::revenue_cohort_summary$$);
SELECT pg_temp.expect_error($$SELECT 'month; 2024-01-01 {0:1}; 2024-01-01 {1:1}'::revenue_cohort_summary$$);
-- the one I/O policy (src/csm_io.c): a period beyond 2^31 - 1 or a sum beyond numeric's
-- range is 22003; a sum is a finite number as numeric reads it (exponents too), and
-- anything else there is 22P02 for revenue_cohort_summary
SELECT pg_temp.expect_error($$SELECT 'month; 2024-01-01 {2147483648:1}'::revenue_cohort_summary$$);
SELECT pg_temp.expect_error($$SELECT 'month; 2024-01-01 {0:1e999999999}'::revenue_cohort_summary$$);
SELECT 'month; 2024-01-01 {0:1.5e3, 1:-.25, 2:+7.}'::revenue_cohort_summary;
SELECT pg_temp.expect_error($$SELECT 'month; 2024-01-01 {0:Infinity}'::revenue_cohort_summary$$);
SELECT pg_temp.expect_error($$SELECT 'month; 2024-01-01 {0:1.2.3}'::revenue_cohort_summary$$);
SELECT pg_temp.expect_error($$SELECT 'month; 2024-01-01 {0:1e}'::revenue_cohort_summary$$);
SELECT pg_temp.expect_error($$SELECT 'month; 2024-01-01 {-1:1}'::revenue_cohort_summary$$);

-- rollup of per-customer summaries equals the direct aggregate
SELECT (SELECT rollup(s)::text FROM (SELECT revenue_cohort_agg(cohort, billed_on, amount, 'month') s
		FROM invoices GROUP BY customer) x)
	= (SELECT revenue_cohort_agg(cohort, billed_on, amount, 'month')::text FROM invoices) AS rollup_equal;

-- revenue sums stay exact: the display scale is the largest of the amounts'
-- (as numeric addition gives), and a sum past 38 digits, or an amount with
-- more than 38 decimals, carries on as numeric
SELECT revenue_cohort_agg(d, d, a, 'month') FROM (VALUES
	(DATE '2024-01-01', 5.00), ('2024-01-01', -5.0),
	('2024-02-01', 1e37), ('2024-02-01', 9e37),
	('2024-03-01', 1e-38), ('2024-03-01', 1),
	('2024-04-01', 0.1), ('2024-04-01', 0.000000000000000000000000000000000000001),
	('2024-05-01', 99999999999999999999999999999999999999), ('2024-05-01', 1),
	('2024-06-01', -99999999999999999999999999999999999999), ('2024-06-01', 99999999999999999999999999999999999999.5),
	('2024-07-01', 1.5), ('2024-07-01', 2.25), ('2024-07-01', 3)) v(d, a);
SELECT rollup(s) FROM (VALUES ('month; 2024-01-01 {0:99999999999999999999999999999999999999}'::revenue_cohort_summary),
	('month; 2024-01-01 {0:0.01}')) v(s);

-- amounts of every scale from 0 to 44 and magnitudes from 10^-31 to 10^41:
-- each of the 50 * 7 * 3 cells holds exactly numeric's sum, digits and scale
SELECT count(*) AS cells, bool_and(got.revenue::text = want.total::text) AS exact
FROM (SELECT grp, date_trunc('month', d)::date AS cohort, k AS period, sum(amount) AS total
	  FROM (SELECT g % 50 AS grp, DATE '2024-01-01' + (g % 7) * 31 AS d, g % 3 AS k,
				   round(hashint4(g)::numeric * 10::numeric ^ ((hashint4(g + 1) & 63) - 31),
						 (hashint4(g + 2) & 63) % 45) AS amount
			FROM generate_series(1, 6000) g) rows
	  GROUP BY 1, 2, 3) want
JOIN (SELECT grp, r.cohort, r.period, r.revenue
	  FROM (SELECT g % 50 AS grp,
				   revenue_cohort_agg(DATE '2024-01-01' + (g % 7) * 31, DATE '2024-01-01' + (g % 7) * 31 + (g % 3) * 31,
									  round(hashint4(g)::numeric * 10::numeric ^ ((hashint4(g + 1) & 63) - 31),
											(hashint4(g + 2) & 63) % 45), 'month') AS v
			FROM generate_series(1, 6000) g GROUP BY 1) s,
		   LATERAL revenue_retention(s.v) r) got
USING (grp, cohort, period);

-- as a window aggregate restarted for every frame
SELECT id, cohort_agg(s, e, 'month') OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
FROM (VALUES (1, DATE '2024-01-15', NULL::date), (2, '2024-01-20', '2024-03-05'), (3, '2024-02-10', NULL)) v(id, s, e)
ORDER BY id;

DROP TABLE customers, subscriptions, stored, invoices;
