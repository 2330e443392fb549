-- The sums of mrr_bridge version 2 and the NRR/GRR intervals under forced
-- parallel plans: the bridges (sums included) and the intervals equal the
-- serial plan's exactly, for the whole table, per group, and over no rows.

-- 300000 customer-months in 7 segments, amounts of scales 0 to 3 (so
-- partial bridges of different scales merge), every 9th previous and every
-- 11th current NULL; segment 6 has no customer at the start
CREATE TABLE months AS
SELECT i, i % 7 AS segment,
	   CASE WHEN i % 9 = 0 OR i % 7 = 6 THEN NULL
			ELSE round(((i::bigint * 7919) % 100000) / 37.0, (i / 7) % 4) END AS previous,
	   CASE WHEN i % 11 = 0 THEN NULL
			ELSE round(((i::bigint * 104729) % 120000) / 41.0, (i / 5) % 3) END AS current,
	   i % 3 = 0 AS paid_before
FROM generate_series(1, 300000) i;
ANALYZE months;

-- serial answers
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial_all AS
	SELECT mrr_bridge_agg(previous, current, paid_before)::text AS b FROM months;
CREATE TEMP TABLE serial_seg AS
	SELECT segment, mrr_bridge_agg(previous, current, paid_before)::text AS b FROM months GROUP BY segment;

\i sql/include/parallel_plans.sql

-- the plans are parallel, and really run with workers
EXPLAIN (COSTS OFF) SELECT net_revenue_retention_lower(mrr_bridge_agg(previous, current, paid_before)) FROM months;
\i sql/include/ran_in_parallel.sql
SELECT pg_temp.ran_in_parallel('SELECT mrr_bridge_agg(previous, current, paid_before) FROM months') AS whole_table_ran_in_parallel,
	   pg_temp.ran_in_parallel('SELECT segment, mrr_bridge_agg(previous, current, paid_before) FROM months GROUP BY segment')
	AS grouped_ran_in_parallel;

-- the same bridges, text (and so sums) included, and the same intervals
SELECT p.b = s.b AS whole_table_equal, p.b LIKE '%sum_s2=%' AS has_sums,
	   net_revenue_retention_lower(p.b::mrr_bridge) = net_revenue_retention_lower(s.b::mrr_bridge) AS same_nrr_lower,
	   gross_revenue_retention_upper(p.b::mrr_bridge, 0.9) = gross_revenue_retention_upper(s.b::mrr_bridge, 0.9) AS same_grr_upper
FROM (SELECT mrr_bridge_agg(previous, current, paid_before)::text AS b FROM months) p, serial_all s;
SET enable_hashagg = off;
SELECT segment, p.b = s.b AS sorted_groups_equal,
	   net_revenue_retention_lower(p.b::mrr_bridge) IS NOT DISTINCT FROM net_revenue_retention_lower(s.b::mrr_bridge) AS same_interval,
	   net_revenue_retention_lower(p.b::mrr_bridge) IS NULL AS no_interval
FROM (SELECT segment, mrr_bridge_agg(previous, current, paid_before)::text AS b FROM months GROUP BY segment) p
JOIN serial_seg s USING (segment) ORDER BY segment;
RESET enable_hashagg;
SET enable_sort = off;
SELECT count(*) FILTER (WHERE p.b = s.b) AS hashed_groups_equal
FROM (SELECT segment, mrr_bridge_agg(previous, current, paid_before)::text AS b FROM months GROUP BY segment) p
JOIN serial_seg s USING (segment);
RESET enable_sort;
-- rollup of the parallel per-segment bridges gives the whole-table bridge
SELECT rollup(b)::text = (SELECT b FROM serial_all) AS rollup_equal
FROM (SELECT segment, mrr_bridge_agg(previous, current, paid_before) AS b FROM months GROUP BY segment) s;
-- no rows: NULL bridge, NULL intervals
SELECT mrr_bridge_agg(previous, current, paid_before) IS NULL AS no_rows,
	   net_revenue_retention_lower(mrr_bridge_agg(previous, current, paid_before)) IS NULL AS no_interval
FROM months WHERE i < 0;

\set force_parallel off
\i sql/include/force_parallel.sql
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
DROP TABLE months;
