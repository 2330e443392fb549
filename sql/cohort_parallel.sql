-- cohort_agg and revenue_cohort_agg under forced parallel plans: the same
-- summaries as the serial plan, and the same triangle as plain SQL
SET extra_float_digits = 0;
SET datestyle = 'ISO, YMD';

-- 200k customers over six years, ends drawn so that every grain has long tails
CREATE TABLE par_customers AS
SELECT g AS id, g % 7 AS segment,
	   DATE '2019-01-01' + (hashint4(g) & 2047) AS started_on,
	   CASE WHEN hashint4(g + 1) % 4 = 0 THEN NULL
			ELSE DATE '2019-01-01' + (hashint4(g) & 2047) + (hashint4(g + 2) & 1023) END AS ended_on
FROM generate_series(1, 200000) g;
-- a group with only NULL starts, and a group with no rows at all (segment 8 does not exist)
INSERT INTO par_customers VALUES (-1, 7, NULL, '2020-01-01'), (-2, 7, NULL, NULL);
CREATE TABLE par_invoices AS
SELECT c.id, c.segment, c.started_on AS cohort, c.started_on + m * 30 AS billed_on,
	   ((hashint4(c.id + m) & 1023) / 100.0)::numeric(12, 2) AS amount
FROM par_customers c, generate_series(0, 3) m WHERE c.id % 5 = 0 AND c.started_on IS NOT NULL;
ANALYZE par_customers;
ANALYZE par_invoices;

-- serial answers
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial AS
SELECT g, cohort_agg(started_on, ended_on, g)::text AS logo,
	   (SELECT revenue_cohort_agg(cohort, billed_on, amount, g)::text FROM par_invoices) AS revenue
FROM par_customers, unnest(ARRAY['day', 'week', 'month', 'quarter', 'year']) g GROUP BY g;
CREATE TEMP TABLE serial_seg AS
SELECT segment, cohort_agg(started_on, ended_on, 'month')::text AS logo FROM par_customers GROUP BY segment;

-- forced parallel plans
\i sql/include/parallel_plans.sql
EXPLAIN (COSTS OFF) SELECT cohort_agg(started_on, ended_on, 'week') FROM par_customers;
EXPLAIN (COSTS OFF) SELECT revenue_cohort_agg(cohort, billed_on, amount, 'week') FROM par_invoices;
EXPLAIN (COSTS OFF) SELECT segment, cohort_agg(started_on, ended_on, 'month') FROM par_customers GROUP BY segment;
\i sql/include/ran_in_parallel.sql
SELECT pg_temp.ran_in_parallel($$SELECT cohort_agg(started_on, ended_on, 'week') FROM par_customers$$)
	AS cohort_ran_in_parallel,
	   pg_temp.ran_in_parallel($$SELECT revenue_cohort_agg(cohort, billed_on, amount, 'week') FROM par_invoices$$)
	AS revenue_ran_in_parallel,
	   pg_temp.ran_in_parallel($$SELECT segment, cohort_agg(started_on, ended_on, 'month') FROM par_customers GROUP BY segment$$)
	AS grouped_ran_in_parallel;

-- every grain, each written out (a grain passed in from an outer query would
-- be a parameter, which keeps the aggregate out of the parallel part)
SELECT pg_temp.ran_in_parallel($$CREATE TEMP TABLE par_logo AS
	SELECT 'day'::text AS g, cohort_agg(started_on, ended_on, 'day')::text AS logo FROM par_customers UNION ALL
	SELECT 'week'::text AS g, cohort_agg(started_on, ended_on, 'week')::text AS logo FROM par_customers UNION ALL
	SELECT 'month'::text AS g, cohort_agg(started_on, ended_on, 'month')::text AS logo FROM par_customers UNION ALL
	SELECT 'quarter'::text AS g, cohort_agg(started_on, ended_on, 'quarter')::text AS logo FROM par_customers UNION ALL
	SELECT 'year'::text AS g, cohort_agg(started_on, ended_on, 'year')::text AS logo FROM par_customers$$) AS logo_ran_in_parallel;
SELECT g, pg_temp.ran_in_parallel(format(
		'CREATE TEMP TABLE par_revenue_%s AS
		 SELECT %L::text AS g, revenue_cohort_agg(cohort, billed_on, amount, %L)::text AS revenue
		 FROM par_invoices', g, g, g)) AS revenue_ran_in_parallel
FROM unnest(ARRAY['day', 'week', 'month', 'quarter', 'year']) g;
CREATE TEMP VIEW par_revenue AS
	SELECT * FROM par_revenue_day UNION ALL SELECT * FROM par_revenue_week
	UNION ALL SELECT * FROM par_revenue_month UNION ALL SELECT * FROM par_revenue_quarter
	UNION ALL SELECT * FROM par_revenue_year;
SELECT s.g, l.logo = s.logo AS logo_equal, r.revenue = s.revenue AS revenue_equal
FROM serial s JOIN par_logo l USING (g) JOIN par_revenue r USING (g) ORDER BY s.g;
-- grouped, including the all-NULL group 7 (NULL) and the empty group 8 (no row)
SELECT segment, cohort_agg(started_on, ended_on, 'month')::text IS NOT DISTINCT FROM
	(SELECT logo FROM serial_seg s WHERE s.segment = p.segment) AS equal,
	cohort_agg(started_on, ended_on, 'month') IS NULL AS is_null
FROM par_customers p GROUP BY segment ORDER BY segment;
SELECT cohort_agg(started_on, ended_on, 'month') IS NULL AS empty_is_null FROM par_customers WHERE segment = 8;

-- rollup of per-segment summaries equals the direct aggregate, in parallel too
SELECT (SELECT rollup(s)::text FROM (SELECT cohort_agg(started_on, ended_on, 'week') s
		FROM par_customers GROUP BY segment) x) = (SELECT logo FROM serial WHERE g = 'week') AS rollup_equal;
SELECT (SELECT rollup(s)::text FROM (SELECT revenue_cohort_agg(cohort, billed_on, amount, 'month') s
		FROM par_invoices GROUP BY segment) x) = (SELECT revenue FROM serial WHERE g = 'month') AS revenue_rollup_equal;

-- the triangle equals the plain-SQL one (periods joined to customers, a customer
-- counted in period k when still active on its last day): quarter and year on
-- all rows, month on segment 0
\set force_parallel off
\i sql/include/force_parallel.sql
CREATE FUNCTION pg_temp.plain_triangle(grain text, as_of date, seg int)
RETURNS TABLE (cohort date, period int, cohort_size bigint, retained bigint) LANGUAGE sql AS $$
	WITH c AS (
		SELECT date_trunc(grain, started_on)::date AS cohort, ended_on FROM par_customers
		WHERE started_on IS NOT NULL AND (seg IS NULL OR segment = seg)),
	periods AS (
		SELECT k::int AS period, (DATE '2019-01-01' + make_interval(months => k * step))::date AS start,
			   (DATE '2019-01-01' + make_interval(months => (k + 1) * step))::date - 1 AS last_day
		FROM generate_series(0, 400) k,
			 (SELECT CASE grain WHEN 'month' THEN 1 WHEN 'quarter' THEN 3 WHEN 'year' THEN 12 END) m(step))
	SELECT c.cohort, p.period - f.period, count(*),
		   count(*) FILTER (WHERE c.ended_on IS NULL OR c.ended_on > p.last_day)
	FROM c JOIN periods f ON f.start = c.cohort
	JOIN periods p ON p.period >= f.period AND p.last_day <= as_of
	GROUP BY 1, 2
$$;
SELECT v.gr, count(*) AS rows_compared,
	   count(*) FILTER (WHERE x.s1 IS DISTINCT FROM x.s2 OR x.r1 IS DISTINCT FROM x.r2) AS mismatches
FROM (VALUES ('quarter', NULL::int, (SELECT logo FROM serial WHERE g = 'quarter')),
			 ('year', NULL, (SELECT logo FROM serial WHERE g = 'year')),
			 ('month', 0, (SELECT logo FROM serial_seg WHERE segment = 0))) v(gr, seg, logo)
CROSS JOIN LATERAL (
	SELECT t.cohort_size AS s1, t.retained AS r1, p.cohort_size AS s2, p.retained AS r2
	FROM cohort_retention(v.logo::cohort_summary, '2023-06-30') t
	FULL JOIN pg_temp.plain_triangle(v.gr, '2023-06-30', v.seg) p
		ON p.cohort = t.cohort AND p.period = t.period) x
GROUP BY v.gr ORDER BY v.gr;

DROP TABLE par_customers, par_invoices;
