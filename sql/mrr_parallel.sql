-- mrr(), arr(), mrr_bridge_agg() and rollup() under forced parallel plans
-- give exactly the serial answers, including empty and all-NULL groups

-- 300k customer-months: grp 0..9, grp 10 has only NULL MRR, the table
-- holds no rows of grp 11 (empty group in a FILTER)
CREATE TABLE mm AS
SELECT g AS id,
	   CASE WHEN g % 11 = 10 THEN 10 ELSE g % 10 END AS grp,
	   CASE WHEN g % 11 = 10 OR g % 7 = 0 THEN NULL ELSE ((g * 37) % 500) / 4.0 END AS previous,
	   CASE WHEN g % 11 = 10 OR g % 5 = 0 THEN NULL ELSE ((g * 53) % 600) / 4.0 END AS current,
	   CASE WHEN g % 3 = 0 THEN NULL ELSE g % 2 = 0 END AS paid_before,
	   (ARRAY['1 month', '3 months', '1 year', '1 week', '14 days']::interval[])[1 + g % 5] AS billing_period
FROM generate_series(1, 300000) g;
ANALYZE mm;

-- serial answers
SET max_parallel_workers_per_gather = 0;
CREATE TABLE serial_results AS
SELECT grp, mrr(current, billing_period) AS mrr, arr(current, billing_period) AS arr,
	   mrr_bridge_agg(previous, current, paid_before)::text AS bridge
FROM mm GROUP BY grp;
CREATE TABLE serial_total AS
SELECT mrr(current, billing_period) AS mrr, arr(current, billing_period) AS arr,
	   mrr_bridge_agg(previous, current, paid_before)::text AS bridge,
	   mrr_bridge_agg(previous, current, paid_before) FILTER (WHERE grp = 11) AS empty_bridge,
	   mrr(current, billing_period) FILTER (WHERE grp = 10) AS null_mrr
FROM mm;

\i sql/include/parallel_plans.sql

EXPLAIN (COSTS OFF)
SELECT mrr(current, billing_period), arr(current, billing_period),
	   mrr_bridge_agg(previous, current, paid_before) FROM mm;
EXPLAIN (COSTS OFF)
SELECT grp, mrr(current, billing_period), mrr_bridge_agg(previous, current, paid_before) FROM mm GROUP BY grp;
\i sql/include/ran_in_parallel.sql
SELECT pg_temp.ran_in_parallel($$SELECT mrr(current, billing_period), arr(current, billing_period),
								 mrr_bridge_agg(previous, current, paid_before) FROM mm$$) AS whole_table_ran_in_parallel,
	   pg_temp.ran_in_parallel($$SELECT grp, mrr(current, billing_period), mrr_bridge_agg(previous, current, paid_before)
								 FROM mm GROUP BY grp$$) AS grouped_ran_in_parallel;

-- whole table: same answers, the empty FILTER group gives NULL, the all-NULL group NULL MRR
SELECT p.mrr = s.mrr AND p.mrr::text = s.mrr::text AS mrr_same,
	   p.arr::text = s.arr::text AS arr_same,
	   p.bridge = s.bridge AS bridge_same,
	   p.empty_bridge IS NULL AS empty_is_null,
	   p.null_mrr IS NULL AS null_group_mrr_is_null
FROM (SELECT mrr(current, billing_period) AS mrr, arr(current, billing_period) AS arr,
			 mrr_bridge_agg(previous, current, paid_before)::text AS bridge,
			 mrr_bridge_agg(previous, current, paid_before) FILTER (WHERE grp = 11) AS empty_bridge,
			 mrr(current, billing_period) FILTER (WHERE grp = 10) AS null_mrr
	  FROM mm) p, serial_total s;

-- per group, with the all-NULL group 10 (all inactive, NULL MRR)
SELECT count(*) AS groups,
	   count(*) FILTER (WHERE p.mrr IS NOT DISTINCT FROM s.mrr AND p.arr IS NOT DISTINCT FROM s.arr
						AND p.bridge = s.bridge) AS same
FROM (SELECT grp, mrr(current, billing_period) AS mrr, arr(current, billing_period) AS arr,
			 mrr_bridge_agg(previous, current, paid_before)::text AS bridge
	  FROM mm GROUP BY grp) p
JOIN serial_results s USING (grp);
SELECT grp, mrr, bridge FROM serial_results WHERE grp = 10;

-- the identity holds exactly on the parallel result, and against plain SQL
SELECT ending_mrr(b) = starting_mrr(b) + new_mrr(b) + expansion_mrr(b) + reactivation_mrr(b)
					   - contraction_mrr(b) - churned_mrr(b) AS identity,
	   ending_mrr(b) = (SELECT sum(current) FROM mm) AS ending_is_sum,
	   starting_mrr(b) = (SELECT sum(previous) FROM mm) AS starting_is_sum,
	   new_mrr(b) = (SELECT sum(current) FILTER (WHERE coalesce(previous, 0) = 0 AND current > 0
											   AND NOT coalesce(paid_before, false)) FROM mm) AS new_is_plain,
	   expansion_mrr(b) = (SELECT sum(current - previous) FILTER (WHERE previous > 0 AND current > previous) FROM mm) AS expansion_is_plain,
	   contraction_mrr(b) = (SELECT sum(previous - current) FILTER (WHERE previous > 0 AND current > 0 AND current < previous) FROM mm) AS contraction_is_plain,
	   churned_mrr(b) = (SELECT sum(previous) FILTER (WHERE previous > 0 AND coalesce(current, 0) = 0) FROM mm) AS churned_is_plain
FROM (SELECT mrr_bridge_agg(previous, current, paid_before) AS b FROM mm) s;
SELECT mrr(current, billing_period) = (SELECT sum(monthly_amount(current, billing_period)) FROM mm) AS mrr_is_plain
FROM mm;

-- rollup of per-group summaries in parallel equals the direct aggregate
CREATE TABLE per_grp AS
SELECT grp, mrr_bridge_agg(previous, current, paid_before) AS b FROM mm GROUP BY grp;
INSERT INTO per_grp SELECT 100 + g, NULL FROM generate_series(1, 1000) g;
INSERT INTO per_grp SELECT grp + 1000, b FROM per_grp WHERE grp < 11;
ANALYZE per_grp;
EXPLAIN (COSTS OFF) SELECT rollup(b) FROM per_grp;

\set force_parallel off
\i sql/include/force_parallel.sql
SET max_parallel_workers_per_gather = 0;
SELECT rollup(b)::text AS serial_rollup INTO TEMP serial_rollup FROM per_grp;
\set force_parallel on
\i sql/include/force_parallel.sql
SET max_parallel_workers_per_gather = 2;
SELECT rollup(b)::text = (SELECT serial_rollup FROM serial_rollup) AS rollup_same,
	   starting_mrr(rollup(b)) = 2 * (SELECT sum(previous) FROM mm) AS rollup_counts_twice
FROM per_grp;

-- mrr() and arr() combine their state (mrr_state) in the leader also when
-- the sums outgrow 38 digits (the state then holds a numeric): 10^35 times
-- the amounts, against the plain sums
SELECT pg_temp.ran_in_parallel($$SELECT mrr(current * 1e35, billing_period) FROM mm$$) AS numeric_state_ran_in_parallel;
SELECT mrr(current * 1e35, billing_period)::text
		 = (SELECT sum(monthly_amount(current * 1e35, billing_period))::text FROM mm) AS big_mrr_same,
	   arr(current * 1e35, billing_period)::text
		 = (SELECT sum(annual_amount(current * 1e35, billing_period))::text FROM mm) AS big_arr_same
FROM mm;

RESET ALL;
DROP TABLE mm, serial_results, serial_total, per_grp;
