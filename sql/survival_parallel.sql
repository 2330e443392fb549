-- survival_agg and rollup under forced parallel plans: the answers must equal
-- the serial plan's exactly, including empty and all-NULL groups

-- 300000 customers in 7 segments, tenures in days with fractions (about 12000
-- distinct), every 11th churned flag NULL, every 13th tenure NULL; segment 6 is
-- all NULL flags, segment 5 only has NULL tenures
CREATE TABLE tenures AS
SELECT i,
	   i % 7 AS segment,
	   CASE WHEN i % 13 = 0 OR i % 7 = 5 THEN NULL
			ELSE ((i::bigint * 7919) % 3000) / 4.0 END AS tenure,
	   CASE WHEN i % 11 = 0 OR i % 7 = 6 THEN NULL
			ELSE (i::bigint * 104729) % 10 < 3 END AS churned
FROM generate_series(1, 300000) i;
ANALYZE tenures;

-- serial answers
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial_all AS SELECT survival_agg(tenure, churned)::text AS s FROM tenures;
CREATE TEMP TABLE serial_seg AS
	SELECT segment, survival_agg(tenure, churned)::text AS s FROM tenures GROUP BY segment;
CREATE TEMP TABLE serial_empty AS
	SELECT survival_agg(tenure, churned)::text AS s FROM tenures WHERE i < 0;

\i sql/include/parallel_plans.sql

-- the plans are parallel, and really run with workers
EXPLAIN (COSTS OFF) SELECT survival_agg(tenure, churned) FROM tenures;
\i sql/include/ran_in_parallel.sql
SELECT pg_temp.ran_in_parallel('SELECT survival_agg(tenure, churned) FROM tenures') AS whole_table_ran_in_parallel,
	   pg_temp.ran_in_parallel('SELECT segment, survival_agg(tenure, churned) FROM tenures GROUP BY segment')
	AS grouped_ran_in_parallel;
SET enable_hashagg = off;
EXPLAIN (COSTS OFF) SELECT segment, survival_agg(tenure, churned) FROM tenures GROUP BY segment;
SET enable_hashagg = on;
SET enable_sort = off;
EXPLAIN (COSTS OFF) SELECT segment, survival_agg(tenure, churned) FROM tenures GROUP BY segment;
RESET enable_sort;

-- the same answers
SELECT (SELECT survival_agg(tenure, churned)::text FROM tenures) = s AS whole_table_equal
FROM serial_all;
SET enable_hashagg = off;
SELECT segment, p.s = s.s AS sorted_groups_equal, p.s IS NULL AS is_null
FROM (SELECT segment, survival_agg(tenure, churned)::text AS s FROM tenures GROUP BY segment) p
JOIN serial_seg s USING (segment) ORDER BY segment;
SET enable_hashagg = on;
SET enable_sort = off;
SELECT segment, p.s IS NOT DISTINCT FROM s.s AS hashed_groups_equal
FROM (SELECT segment, survival_agg(tenure, churned)::text AS s FROM tenures GROUP BY segment) p
JOIN serial_seg s USING (segment) ORDER BY segment;
RESET enable_sort;
-- no rows: NULL in parallel too
SELECT (SELECT survival_agg(tenure, churned)::text FROM tenures WHERE i < 0) IS NULL AS empty_is_null,
	   (SELECT s FROM serial_empty) IS NULL AS serial_empty_is_null;
-- accessors over the parallel result equal those over the serial one; the
-- customers are the rows with neither NULL: 300000 less those with i % 13 = 0,
-- i % 11 = 0 or i % 7 in (5, 6) = 179821 (counted outside the database)
SELECT p.median = median_lifetime(s::survival_summary) AS same_median, p.customers
FROM (SELECT median_lifetime(survival_agg(tenure, churned)) AS median,
			 customers(survival_agg(tenure, churned)) AS customers FROM tenures) p,
	 serial_all;

-- rollup of per-day summaries in parallel equals the direct summary
CREATE TABLE daily AS
SELECT i % 500 AS day, survival_agg(tenure, churned) AS s FROM tenures GROUP BY i % 500;
EXPLAIN (COSTS OFF) SELECT rollup(s) FROM daily;
SELECT (SELECT rollup(s)::text FROM daily) = (SELECT s FROM serial_all) AS rollup_equals_direct;

-- the curve of the parallel summary: 3000 distinct tenures (0, 0.25, ... 749.75),
-- the survival within its bounds, 60 customers at the last tenure
SELECT bool_and(lower <= survival AND survival <= upper) AS within_bounds,
	   min(at_risk) AS last_at_risk, count(*) AS entries
FROM survival_curve((SELECT survival_agg(tenure, churned) FROM tenures));

\set force_parallel off
\i sql/include/force_parallel.sql
RESET max_parallel_workers_per_gather;
DROP TABLE daily;
DROP TABLE tenures;
