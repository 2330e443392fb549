-- Goals: the shipped targets, grading, user edits
\i sql/include/expect_error.sql

-- every shipped goal names its source
SELECT metric, unit, goal_low, goal_high, higher_is_better, source <> '' AS has_source, is_default
FROM metric_goal ORDER BY metric;

-- grading: NPS 50..80 (higher is better), monthly churn at most 3 (lower is better),
-- LTV:CAC 3..5 (5 and more outstanding)
SELECT m, v, goal_band(m, v) AS band, goal_met(m, v) AS met
FROM (VALUES ('nps', 35.0), ('nps', 50.0), ('nps', 80.0), ('nps', 85.0),
			 ('monthly_churn_rate', 1.2), ('monthly_churn_rate', 3.0), ('monthly_churn_rate', 4.5),
			 ('ltv_cac_ratio', 2.4), ('ltv_cac_ratio', 3.0), ('ltv_cac_ratio', 6.0),
			 ('gross_revenue_retention', 89.9), ('gross_revenue_retention', 100.0)) t(m, v);
SELECT goal_band('nps', NULL) IS NULL AS null_value, goal_met(NULL, 1) IS NULL AS null_metric;
SELECT pg_temp.expect_error($$SELECT goal_band('happiness', 1)$$);
SELECT pg_temp.expect_error($$SELECT goal_band('nps', 'NaN')$$);
-- goal_met agrees with goal_band: 22023 for both (1.0 returned NULL for an unknown metric)
SELECT pg_temp.expect_error($$SELECT goal_met('happiness', 1)$$);
SELECT pg_temp.expect_error($$SELECT goal_met('nps', 'NaN')$$);

-- a user's edit overrides the shipped goal and is marked as the user's
UPDATE metric_goals SET goal_high = 2 WHERE metric = 'monthly_churn_rate';
SELECT metric, goal_high, is_default FROM metric_goal WHERE metric = 'monthly_churn_rate';
SELECT goal_band('monthly_churn_rate', 2.5) AS band_after_edit;
-- a user row can be inserted for a new metric, and cannot pose as a default
INSERT INTO metric_goals (metric, unit, goal_low, higher_is_better, source, is_default)
VALUES ('activation_rate', 'percent', 40, true, 'our board, 2025', true);
SELECT metric, is_default, goal_band(metric, 45) FROM metric_goal WHERE metric = 'activation_rate';
-- a goal needs at least one bound, in order
SELECT pg_temp.expect_error($$INSERT INTO metric_goals (metric, unit, higher_is_better, source) VALUES ('x', 'percent', true, 's')$$);
SELECT pg_temp.expect_error($$INSERT INTO metric_goals (metric, unit, goal_low, goal_high, higher_is_better, source) VALUES ('x', 'percent', 5, 1, true, 's')$$);

-- pg_dump keeps exactly the user's rows
SELECT extcondition FROM pg_extension WHERE extname = 'csmetrics';
DELETE FROM metric_goals WHERE NOT is_default;
SELECT count(*) AS user_rows_left FROM metric_goals WHERE NOT is_default;
