-- churn and retention: forced parallel plans give exactly the serial answers

SET extra_float_digits = 0;
-- 300k customers over 2020..2024 in 7 segments; a third still active, a
-- few with no start date, one segment with no start dates at all
CREATE TABLE flows AS
SELECT id, started_on,
	   CASE WHEN id % 3 = 0 THEN NULL ELSE started_on + span_days END AS ended_on,
	   segment
FROM (SELECT g AS id,
			 CASE WHEN g % 7 = 6 OR g % 997 = 0 THEN NULL
				  ELSE '2020-01-01'::date + (g::bigint * 7919 % 1827)::int END AS started_on,
			 (g::bigint * 104729 % 600)::int AS span_days,
			 g % 7 AS segment
	  FROM generate_series(1, 300000) g) x;
ANALYZE flows;

-- serial answers
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial_total AS
SELECT customer_flow_agg(started_on, ended_on, '2023-01-01', '2023-04-01')::text AS f,
	   churn_rate(started_on, ended_on, '2023-01-01', '2023-04-01') AS churn,
	   retention_rate(started_on, ended_on, '2023-01-01', '2023-04-01') AS crr,
	   churn_rate(started_on::timestamptz, ended_on::timestamptz, '2023-01-01', '2023-04-01') AS churn_tz
FROM flows;
CREATE TEMP TABLE serial_segments AS
SELECT segment,
	   customer_flow_agg(started_on, ended_on, '2023-01-01', '2023-04-01')::text AS f,
	   churn_rate(started_on, ended_on, '2023-01-01', '2023-04-01') AS churn,
	   retention_rate(started_on, ended_on, '2023-01-01', '2023-04-01') AS crr
FROM flows GROUP BY segment;
CREATE TEMP TABLE serial_empty AS
SELECT customer_flow_agg(started_on, ended_on, '2023-01-01', '2023-04-01')::text AS f,
	   churn_rate(started_on, ended_on, '2023-01-01', '2023-04-01') AS churn
FROM flows WHERE id < 0;

-- forced parallel plans
\i sql/include/parallel_plans.sql

EXPLAIN (COSTS OFF)
SELECT churn_rate(started_on, ended_on, '2023-01-01', '2023-04-01') FROM flows;
EXPLAIN (COSTS OFF)
SELECT segment, customer_flow_agg(started_on, ended_on, '2023-01-01', '2023-04-01')
FROM flows GROUP BY segment;
\i sql/include/ran_in_parallel.sql
SELECT pg_temp.ran_in_parallel($$SELECT churn_rate(started_on, ended_on, '2023-01-01', '2023-04-01') FROM flows$$)
	AS whole_table_ran_in_parallel,
	   pg_temp.ran_in_parallel($$SELECT segment, customer_flow_agg(started_on, ended_on, '2023-01-01', '2023-04-01')
								FROM flows GROUP BY segment$$) AS grouped_ran_in_parallel;

SELECT s.f = p.f AS flow_equal, s.churn = p.churn AS churn_equal, s.crr = p.crr AS crr_equal,
	   s.churn_tz = p.churn_tz AS churn_tz_equal
FROM serial_total s,
	 (SELECT customer_flow_agg(started_on, ended_on, '2023-01-01', '2023-04-01')::text AS f,
			 churn_rate(started_on, ended_on, '2023-01-01', '2023-04-01') AS churn,
			 retention_rate(started_on, ended_on, '2023-01-01', '2023-04-01') AS crr,
			 churn_rate(started_on::timestamptz, ended_on::timestamptz, '2023-01-01', '2023-04-01') AS churn_tz
	  FROM flows) p;
-- per segment, including segment 6 whose rows all have a NULL start (NULL)
SELECT s.segment, s.f IS NOT DISTINCT FROM p.f AS flow_equal,
	   s.churn IS NOT DISTINCT FROM p.churn AS churn_equal,
	   s.crr IS NOT DISTINCT FROM p.crr AS crr_equal, p.f IS NULL AS null_flow
FROM serial_segments s
JOIN (SELECT segment,
			 customer_flow_agg(started_on, ended_on, '2023-01-01', '2023-04-01')::text AS f,
			 churn_rate(started_on, ended_on, '2023-01-01', '2023-04-01') AS churn,
			 retention_rate(started_on, ended_on, '2023-01-01', '2023-04-01') AS crr
	  FROM flows GROUP BY segment) p USING (segment)
ORDER BY segment;
-- no rows
SELECT s.f IS NULL AND p.f IS NULL AS both_null, s.churn IS NULL AND p.churn IS NULL AS churn_null
FROM serial_empty s,
	 (SELECT customer_flow_agg(started_on, ended_on, '2023-01-01', '2023-04-01')::text AS f,
			 churn_rate(started_on, ended_on, '2023-01-01', '2023-04-01') AS churn
	  FROM flows WHERE id < 0) p;

-- the aggregate equals the plain-SQL formula over the same rows
SELECT a.f = format('[2023-01-01,2023-04-01) rows=%s start=%s end=%s new=%s churned=%s transient=%s',
					b.rows, b.s, b.e, b.n, b.churned, b.transient) AS equals_plain_sql,
	   b.s - b.churned = b.e - b.n AS identity
FROM serial_total a,
	 (SELECT count(started_on) AS rows,
			 count(*) FILTER (WHERE started_on <= '2023-01-01' AND (ended_on IS NULL OR ended_on > '2023-01-01')) AS s,
			 count(*) FILTER (WHERE started_on < '2023-04-01' AND (ended_on IS NULL OR ended_on >= '2023-04-01')) AS e,
			 count(*) FILTER (WHERE started_on > '2023-01-01' AND started_on < '2023-04-01'
							  AND (ended_on IS NULL OR ended_on >= '2023-04-01')) AS n,
			 count(*) FILTER (WHERE started_on <= '2023-01-01' AND ended_on > '2023-01-01'
							  AND ended_on < '2023-04-01') AS churned,
			 count(*) FILTER (WHERE started_on > '2023-01-01' AND ended_on > started_on
							  AND ended_on < '2023-04-01') AS transient
	  FROM flows) b;

-- rollup of per-segment summaries under a parallel plan equals the whole
SELECT rollup(f)::text = (SELECT f FROM serial_total) AS rollup_equal
FROM (SELECT customer_flow_agg(started_on, ended_on, '2023-01-01', '2023-04-01') AS f
	  FROM flows GROUP BY segment) x;

-- the total, equal to the plain-SQL counts checked above
SELECT f FROM serial_total;

DROP TABLE flows;
