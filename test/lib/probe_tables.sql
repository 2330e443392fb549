-- test/lib/probe_tables.sql: a small database of every csmetrics type, filled
-- by the aggregates, for the random-query runs (test/suites/sqlsmith.sh,
-- test/stress/run-sqlsmith).  Run as a superuser in a database that has
-- csmetrics; creates the role csm_probe, which owns nothing and may only
-- read these tables (sqlsmith runs as it, so a random query cannot reach
-- the file system, other sessions or server settings).
SET client_min_messages = warning;
CREATE TABLE probe_rows AS
SELECT g AS id,
	   (g % 11)::int AS score,
	   CASE WHEN g % 13 = 0 THEN NULL ELSE g % 3 = 0 END AS ok,
	   DATE '2023-01-01' + (g * 37) % 700 AS started_on,
	   CASE WHEN g % 4 = 0 THEN NULL ELSE DATE '2023-01-01' + (g * 37) % 700 + (g * 53) % 400 END AS ended_on,
	   ((g * 7919) % 100000 / 100.0)::numeric(12, 2) AS amount,
	   ((g * 31) % 400 / 7.0)::float8 AS tenure,
	   (ARRAY['1 month', '1 year', '3 months', '1 week']::interval[])[1 + g % 4] AS term,
	   g % 7 AS segment
FROM generate_series(1, 400) g;

CREATE TABLE probe_scores AS
SELECT segment, survey_score(score) AS s, score, ok FROM probe_rows;
CREATE TABLE probe_summaries AS
SELECT segment,
	   survey_agg(score) AS survey,
	   rate_agg(ok) AS rate,
	   cohort_agg(started_on, ended_on, 'month') AS cohort,
	   revenue_cohort_agg(started_on, coalesce(ended_on, started_on + 40), amount, 'quarter') AS revenue,
	   survival_agg(tenure, ok) AS survival,
	   customer_flow_agg(started_on, ended_on, DATE '2023-06-01', DATE '2023-07-01') AS flow,
	   mrr_bridge_agg(amount * (segment % 3), amount * (id % 3), id % 2 = 0) AS bridge,
	   mrr(amount, term) AS mrr
FROM probe_rows GROUP BY segment;
-- the edges: empty summaries, NULLs, one-row summaries
INSERT INTO probe_summaries (segment, survey, rate, survival, flow, bridge)
VALUES (100, '{0,0,0,0,0,0,0,0,0,0,0}', '(0,0)', '{}', NULL, NULL), (101, NULL, NULL, NULL, NULL, NULL);
INSERT INTO probe_summaries
SELECT 102, survey_agg(10), rate_agg(true), cohort_agg(DATE '2024-02-29', NULL, 'day'),
	   revenue_cohort_agg(DATE '2024-02-29', DATE '2024-02-29', 0.01, 'year'),
	   survival_agg(0, true),
	   customer_flow_agg(DATE '2024-01-01', NULL, DATE '2024-01-01', DATE '2024-02-01'),
	   mrr_bridge_agg(0, 1e20, false), mrr(1e20, '1 day');
CREATE TABLE probe_enums AS
SELECT nps_category(score) AS category, mrr_movement(amount, amount * (id % 3), ok) AS movement,
	   goal_band('nps', score * 10) AS band
FROM probe_rows WHERE id <= 40;
CREATE TABLE probe_renewals AS
SELECT * FROM renewal_windows(DATE '2023-01-15', '1 month', DATE '2023-09-01', DATE '2023-12-31', '7 days');
-- the types of 1.1's new families: predictive CLV, the subscription ledger,
-- the log-rank test
CREATE TABLE probe_clv AS
SELECT segment, purchase_history_agg(started_on, amount, DATE '2025-12-31', '7 days') AS history
FROM probe_rows GROUP BY segment;
CREATE TABLE probe_models AS
SELECT bgnbd_fit(history) AS bgnbd,
	   gamma_gamma_fit(frequency(history), monetary_value(history)::float8) AS gamma_gamma,
	   (SELECT sbg_fit(1 + id % 5, id % 3 = 0) FROM probe_rows) AS sbg,
	   (SELECT survival_difference_test_groups(segment::text, survival) FROM probe_summaries) AS log_rank
FROM probe_clv;
CREATE TABLE probe_ledger AS
SELECT segment, subscription_history_agg(id, started_on, ended_on, amount, term, 1 + id % 3) AS ledger,
	   subscription_history_agg('c-' || id, started_on, ended_on, amount, term) AS text_ledger
FROM probe_rows GROUP BY segment;
-- engagement (issue 11): activity summaries of bigint, text and uuid ids
CREATE TABLE probe_activity AS
SELECT segment, activity_agg(id::bigint, started_on, term) AS activity,
	   activity_agg(id::text, started_on) AS activity_text,
	   activity_agg(md5(id::text)::uuid, coalesce(ended_on, started_on)) AS activity_uuid
FROM probe_rows GROUP BY segment;
-- the state type of mrr() and arr() (issue 14): fixed-point and numeric sums
CREATE TABLE probe_mrr_states (segment int, state mrr_state);
INSERT INTO probe_mrr_states VALUES (1, '(3,1,504.875)'), (2, '(0,0,0)'), (3, '(2,2,-5)'),
	(4, '(4,1,123456789012345678901234567890123456789.5)'), (5, '(1,1,0.000000000000000000000000000000000000001)'),
	(6, NULL);
CREATE VIEW probe_summary_view AS
SELECT segment, nps(survey), rate(rate), customers(cohort), median_lifetime(survival), churn_rate(flow),
	   ending_mrr(bridge)
FROM probe_summaries;
ANALYZE;

DO $$ BEGIN
	IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'csm_probe') THEN
		CREATE ROLE csm_probe LOGIN;
	END IF;
END $$;
GRANT SELECT ON probe_rows, probe_scores, probe_summaries, probe_enums, probe_renewals,
	probe_summary_view, probe_clv, probe_models, probe_ledger, probe_activity, probe_mrr_states TO csm_probe;
