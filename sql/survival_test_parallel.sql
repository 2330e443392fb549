-- survival_difference_test_groups (the k-group log-rank aggregate) under forced parallel plans:
-- the answer must equal the serial plan's exactly

-- 60000 per-day summaries of 5 plans; the tenures of plan p are drawn with a
-- hazard that grows with p, so the plans differ
CREATE TABLE plan_days AS
SELECT d, 'plan ' || (d % 5) AS plan,
	   ('{(' || (d % 37 + 1) || ',' || (d % 5 + 1) || ',' || (d % 3) || '),(' ||
		(40 + d % 11) || ',0,' || (5 - d % 5) || ')}')::survival_summary AS s
FROM generate_series(1, 60000) d;
-- a NULL label and a NULL summary, skipped
INSERT INTO plan_days VALUES (0, NULL, '{(1,1,0)}'), (0, 'plan 0', NULL);
ANALYZE plan_days;

SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial AS SELECT (survival_difference_test_groups(plan, s)).* FROM plan_days;

\i sql/include/parallel_plans.sql

EXPLAIN (COSTS OFF) SELECT survival_difference_test_groups(plan, s) FROM plan_days;
\i sql/include/ran_in_parallel.sql
SELECT pg_temp.ran_in_parallel('SELECT survival_difference_test_groups(plan, s) FROM plan_days') AS ran_in_parallel;

-- the same answer as the serial plan, to the last bit (the groups are taken
-- in order of their labels, the sums in order of tenures, whatever order the
-- summaries come in)
SELECT p.chi_square = s.chi_square AS chi_square_equal, p.degrees_of_freedom,
	   p.p_value = s.p_value AS p_value_equal, p.p_value < 1e-10 AS plans_differ
FROM (SELECT (survival_difference_test_groups(plan, s)).* FROM plan_days) p, serial s;
-- no rows: NULL
SELECT survival_difference_test_groups(plan, s) IS NULL AS empty_is_null FROM plan_days WHERE d < 0;
-- equal to the test over the rolled-up summaries (one per plan)
SELECT abs(p.chi_square - r.chi_square) <= 1e-9 * r.chi_square AS equals_rolled_up
FROM (SELECT (survival_difference_test_groups(plan, s)).* FROM plan_days) p,
	 (SELECT (survival_difference_test_groups(plan, s)).*
	  FROM (SELECT plan, rollup(s) AS s FROM plan_days GROUP BY plan) g) r;

\set force_parallel off
\i sql/include/force_parallel.sql
RESET max_parallel_workers_per_gather;
DROP TABLE plan_days;
