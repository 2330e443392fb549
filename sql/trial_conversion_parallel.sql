-- trial_conversion_agg under forced parallel plans: the answers must equal the
-- serial plan's, and the rule written out in plain SQL

-- 200000 trials started over 2025, converting after 0-39 days or never
-- (every 3rd), every 17th start NULL, every 10th trial on a 1-month window
CREATE TABLE trials AS
SELECT i,
	   CASE WHEN i % 17 = 0 THEN NULL ELSE date '2025-01-01' + (i::bigint * 7919 % 365)::int END AS started_on,
	   CASE WHEN i % 3 = 0 THEN NULL
			ELSE date '2025-01-01' + (i::bigint * 7919 % 365)::int + (i::bigint * 104729 % 40)::int END AS converted_on,
	   CASE WHEN i % 10 = 0 THEN interval '1 month' ELSE interval '14 days' END AS within
FROM generate_series(1, 200000) i;
ANALYZE trials;

SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial AS
	SELECT trial_conversion_agg(started_on, converted_on, within, '2025-11-15')::text AS s FROM trials;
CREATE TEMP TABLE serial_by_month AS
	SELECT date_trunc('month', started_on) AS m,
		   trial_conversion_agg(started_on, converted_on, within, '2025-11-15')::text AS s
	FROM trials GROUP BY 1;

\i sql/include/parallel_plans.sql

EXPLAIN (COSTS OFF) SELECT trial_conversion_agg(started_on, converted_on, within, '2025-11-15') FROM trials;
\i sql/include/ran_in_parallel.sql
SELECT pg_temp.ran_in_parallel($$SELECT trial_conversion_agg(started_on, converted_on, within, '2025-11-15') FROM trials$$) AS ran_in_parallel,
	   pg_temp.ran_in_parallel($$SELECT date_trunc('month', started_on), trial_conversion_agg(started_on, converted_on, within, '2025-11-15') FROM trials GROUP BY 1$$) AS grouped_ran_in_parallel;

-- the same answers as the serial plan
SELECT (SELECT trial_conversion_agg(started_on, converted_on, within, '2025-11-15')::text FROM trials) = s
	AS whole_table_equal
FROM serial;
SELECT bool_and(p.s IS NOT DISTINCT FROM s.s) AS by_month_equal, count(*) AS months
FROM (SELECT date_trunc('month', started_on) AS m,
			 trial_conversion_agg(started_on, converted_on, within, '2025-11-15')::text AS s
	  FROM trials GROUP BY 1) p
FULL JOIN serial_by_month s ON p.m IS NOT DISTINCT FROM s.m;
-- 13 months: the 12 of 2025 and the trials without a start (NULL)
-- and the rule in plain SQL: converted when converted_on <= started_on + within
-- and converted_on < as_of; not converted when the window ended before as_of
SELECT (SELECT s FROM serial) =
	   format('(%s,%s)',
			  count(*) FILTER (WHERE converted_on <= started_on + within AND converted_on < date '2025-11-15'),
			  count(*) FILTER (WHERE (converted_on <= started_on + within AND converted_on < date '2025-11-15')
								  OR started_on + within < date '2025-11-15')) AS equals_plain_sql
FROM trials WHERE started_on IS NOT NULL;
-- no rows: NULL in parallel too
SELECT trial_conversion_agg(started_on, converted_on, within, '2025-11-15') IS NULL AS empty_is_null
FROM trials WHERE i < 0;

\set force_parallel off
\i sql/include/force_parallel.sql
RESET max_parallel_workers_per_gather;
DROP TABLE trials;
