-- The upgrade path: a database that installed csmetrics 1.0 and stored its
-- types and summaries in tables, a view and a materialized view, then runs
-- ALTER EXTENSION csmetrics UPDATE.  Afterwards (a) the extension has
-- exactly the objects of a fresh CREATE EXTENSION csmetrics, each defined
-- the same way (compared in the catalogs), and (b) the values stored under
-- 1.0 read back with the same answers.
DROP EXTENSION csmetrics;
CREATE EXTENSION csmetrics VERSION '1.0';
SELECT extversion FROM pg_extension WHERE extname = 'csmetrics';

\set ECHO none
\i sql/include/extension_catalog.sql
\set ECHO all

-- raw rows, then every 1.0 type and summary stored from them
CREATE TABLE answers AS
SELECT g AS id, (g * 7 % 11)::survey_score AS score, g % 3 = 0 AS satisfied,
	   date '2024-01-01' + (g * 13 % 200) AS started_on,
	   CASE WHEN g % 4 = 0 THEN date '2024-01-01' + (g * 13 % 200) + g * 5 % 300 END AS ended_on,
	   (g * 37 % 500)::numeric / 4 AS amount
FROM generate_series(1, 400) g;

CREATE TABLE stored_values AS
SELECT a.month,
	   min(a.score::integer)::survey_score AS a_score, nps_category(min(a.score::integer)) AS category,
	   survey_agg(a.score) AS answers,
	   rate_agg(a.satisfied) AS rates,
	   customer_flow_agg(a.started_on, a.ended_on, date '2024-03-01', date '2024-06-01') AS flow,
	   cohort_agg(a.started_on, a.ended_on, 'month') AS cohorts,
	   revenue_cohort_agg(a.started_on, a.started_on + 40, a.amount, 'month') AS revenue_cohorts,
	   mrr_bridge_agg(CASE WHEN a.id % 5 > 0 THEN a.amount END,
					  CASE WHEN a.id % 7 > 0 THEN a.amount * (a.id % 3) END, a.id % 2 = 0) AS bridge,
	   mrr_movement(min(a.amount), max(a.amount), true) AS movement,
	   survival_agg((coalesce(a.ended_on, date '2025-01-01') - a.started_on)::float8,
					a.ended_on IS NOT NULL) AS survival,
	   goal_band('nps', nps(a.score)) AS band
FROM (SELECT *, id % 4 AS month FROM answers) a
GROUP BY a.month;

-- the bytes of small stored values, as csmetrics 1.0 wrote them to disk:
-- pg_upgrade copies them byte for byte, so every later version must read
-- exactly these layouts (pageinspect shows the bytes of each column).
-- The library loaded here is the new one, which builds mrr_bridge version 2
-- (320 bytes, with sums); the bridge is therefore written as the bytes
-- csmetrics 1.0 stored for the same rows (version 1, 160 bytes: what
-- pageinspect shows, after the 4-byte length), read by bytea's input into
-- a scratch type laid out as mrr_bridge is and relabelled as mrr_bridge.
CREATE TYPE pg_temp.stored_bytes;
CREATE FUNCTION pg_temp.stored_bytes_in(cstring) RETURNS pg_temp.stored_bytes AS 'byteain' LANGUAGE internal IMMUTABLE STRICT;
CREATE FUNCTION pg_temp.stored_bytes_out(pg_temp.stored_bytes) RETURNS cstring AS 'byteaout' LANGUAGE internal IMMUTABLE STRICT;
CREATE TYPE pg_temp.stored_bytes (INPUT = pg_temp.stored_bytes_in, OUTPUT = pg_temp.stored_bytes_out,
	INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = plain);
CREATE CAST (pg_temp.stored_bytes AS mrr_bridge) WITHOUT FUNCTION;
CREATE TABLE small_values AS
SELECT survey_agg(s) AS answers, rate_agg(s > 5) AS rates,
	   customer_flow_agg(date '2024-01-01' + s, CASE WHEN s > 6 THEN date '2024-03-01' END,
						 date '2024-02-01', date '2024-04-01') AS flow,
	   cohort_agg(date '2024-01-01' + 20 * s, CASE WHEN s > 6 THEN date '2024-07-15' END, 'month') AS cohorts,
	   revenue_cohort_agg(date '2024-01-01', date '2024-01-01' + 30 * s, s * 1.5, 'month') AS revenue_cohorts,
	   -- mrr_bridge_agg(CASE WHEN s > 3 THEN s * 10.25 END, CASE WHEN s < 8 THEN s * 12 END, s = 2) under 1.0
	   '\x010002000200000000000000040000000000000001000000000000000000000000000000020000000000000000000000000000000000000000000000279c0000000000000000000000000000c01200000000000000000000000000000a0f0000000000000000000000000000600900000000000000000000000000000000000000000000000000000000000011440000000000000000000000000000'::pg_temp.stored_bytes::mrr_bridge AS bridge,
	   survival_agg(s * 1.5, s % 2 = 0) AS survival
FROM generate_series(1, 9) s;
DROP TYPE pg_temp.stored_bytes CASCADE;
CREATE EXTENSION pageinspect;
SELECT a.attname AS type, encode(t.bytes, 'hex') AS stored_bytes
FROM heap_page_items(get_raw_page('small_values', 0)) AS h,
	 unnest(tuple_data_split('small_values'::regclass, h.t_data, h.t_infomask,
							 h.t_infomask2, h.t_bits)) WITH ORDINALITY AS t(bytes, attnum)
JOIN pg_attribute a ON a.attrelid = 'small_values'::regclass AND a.attnum = t.attnum
ORDER BY t.attnum;
DROP EXTENSION pageinspect;

CREATE VIEW answers_by_month AS
SELECT id % 4 AS month, nps(score) AS nps, csat(score::integer, 9) AS csat
FROM answers GROUP BY 1;
CREATE MATERIALIZED VIEW summaries_by_month AS
SELECT id % 4 AS month, survey_agg(score) AS answers, survival_agg(id::float8, id % 3 = 0) AS survival
FROM answers GROUP BY 1;
CREATE UNIQUE INDEX ON summaries_by_month (month);
-- user views over mrr() and arr(), whose state type the update changes
-- from internal to mrr_state (CREATE OR REPLACE AGGREGATE keeps their OIDs);
-- arr() over monthly charges answers the same in 1.0 and 1.1
CREATE VIEW recurring_by_month AS
SELECT id % 4 AS month,
	   mrr(amount, (ARRAY['1 month', '3 months', '1 year', '1 week']::interval[])[1 + id % 4]) AS mrr,
	   arr(amount, interval '1 month') AS arr
FROM answers GROUP BY 1;
-- and over cohort_agg and revenue_cohort_agg with a text grain, whose 1.0
-- signatures the update renames (cohort_agg_text, revenue_cohort_agg_text)
CREATE VIEW cohorts_by_month AS
SELECT id % 4 AS month, cohort_agg(started_on, ended_on, 'month') AS cohorts,
	   revenue_cohort_agg(started_on, started_on + 40, amount, 'quarter') AS revenue
FROM answers GROUP BY 1;
CREATE VIEW recurring_moving AS
SELECT id, mrr(CASE WHEN id % 3 > 0 THEN amount END, interval '3 months')
			   OVER (ORDER BY id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS moving_mrr
FROM answers;
SELECT aggfnoid::regprocedure AS aggregate, aggtranstype::regtype AS state_under_1_0
FROM pg_aggregate WHERE aggfnoid IN ('mrr(numeric,interval)'::regprocedure, 'arr(numeric,interval)'::regprocedure)
ORDER BY 1;

-- what the stored values say under 1.0, as text
CREATE FUNCTION pg_temp.answers() RETURNS TABLE (what text, answer text) LANGUAGE sql AS $f$
	SELECT 'row ' || month, concat_ws(' | ', a_score, category, answers, rates, flow, cohorts,
									  revenue_cohorts, bridge, movement, survival, band)
	FROM stored_values
	UNION ALL
	SELECT 'accessors', concat_ws(' | ', nps(rollup(answers)), csat(rollup(answers), 9),
								  rate(rollup(rates)), churn_rate(rollup(flow)),
								  customers(rollup(cohorts)), ending_mrr(rollup(bridge)),
								  net_revenue_retention(rollup(bridge)),
								  median_lifetime(rollup(survival)),
								  restricted_mean_lifetime(rollup(survival), 365))
	FROM stored_values
	UNION ALL
	SELECT 'cohort ' || cohort || ' ' || period, retained || ' ' || retention_pct
	FROM stored_values, cohort_retention(cohorts, date '2025-01-01') WHERE month = 1
	UNION ALL
	SELECT 'revenue ' || cohort || ' ' || period, revenue || ' ' || retention_pct
	FROM stored_values, revenue_retention(revenue_cohorts) WHERE month = 2
	UNION ALL
	SELECT 'curve ' || c.tenure, c.at_risk || ' ' || c.survival
	FROM stored_values v, survival_curve(v.survival) c WHERE v.month = 3
	UNION ALL
	SELECT 'view ' || month, nps || ' ' || csat FROM answers_by_month
	UNION ALL
	SELECT 'matview ' || month, concat_ws(' | ', answers, nps(answers), survival) FROM summaries_by_month
	UNION ALL
	SELECT 'recurring ' || month, mrr || ' ' || arr FROM recurring_by_month
	UNION ALL
	SELECT 'cohort view ' || month, cohorts || ' | ' || revenue FROM cohorts_by_month
	UNION ALL
	SELECT 'moving mrr', string_agg(coalesce(moving_mrr::text, 'NULL'), ' ' ORDER BY id) FROM recurring_moving
$f$;
CREATE TABLE answers_under_1_0 AS SELECT * FROM pg_temp.answers();
SELECT count(*) AS answers_recorded FROM answers_under_1_0;

ALTER EXTENSION csmetrics UPDATE;
SELECT extversion FROM pg_extension WHERE extname = 'csmetrics';
SELECT aggfnoid::regprocedure AS aggregate, aggtranstype::regtype AS state_under_1_1
FROM pg_aggregate WHERE aggfnoid IN ('mrr(numeric,interval)'::regprocedure, 'arr(numeric,interval)'::regprocedure)
ORDER BY 1;

-- the view made on 1.0 calls the renamed text aggregates; a new call with a
-- text literal resolves to the grain signature
SELECT pg_get_viewdef('cohorts_by_month'::regclass) ~ 'cohort_agg_text\(.*revenue_cohort_agg_text\(' AS view_calls_text_aggregates;
CREATE TEMP VIEW cohorts_after AS SELECT cohort_agg(started_on, ended_on, 'month') FROM answers;
SELECT pg_get_viewdef('cohorts_after'::regclass) ~ 'cohort_agg\(.*''month''::grain' AS literal_resolves_to_grain;
DROP VIEW cohorts_after;

-- (b) the values stored under 1.0 give the same answers, also after the
-- materialized view is refreshed by the new code
SELECT * FROM pg_temp.answers() EXCEPT SELECT * FROM answers_under_1_0;
SELECT * FROM answers_under_1_0 EXCEPT SELECT * FROM pg_temp.answers();
REFRESH MATERIALIZED VIEW CONCURRENTLY summaries_by_month;
SELECT * FROM pg_temp.answers() EXCEPT SELECT * FROM answers_under_1_0;

SELECT t.type, t.text_form FROM small_values,
	LATERAL (VALUES ('survey_summary', answers::text), ('rate_summary', rates::text),
					('customer_flow', flow::text), ('cohort_summary', cohorts::text),
					('revenue_cohort_summary', revenue_cohorts::text), ('mrr_bridge', bridge::text),
					('survival_summary', survival::text)) AS t(type, text_form);

-- the bridge stored by 1.0 has no sums: its NRR and GRR read as before,
-- it has no intervals, it sends the 1.0 binary form (version 1), its text
-- round trip keeps it, and merged with a bridge built now the sums are unknown
SELECT net_revenue_retention(bridge) AS nrr, gross_revenue_retention(bridge) AS grr,
	   net_revenue_retention_lower(bridge) IS NULL AS no_nrr_interval,
	   gross_revenue_retention_upper(bridge) IS NULL AS no_grr_interval,
	   bridge::text::mrr_bridge = bridge AS text_round_trip,
	   substr(mrr_bridge_send(bridge), 1, 2) AS version_and_flags_sent,
	   length(mrr_bridge_send(bridge)) AS bytes_sent
FROM small_values;
SELECT rollup(b) AS merged, net_revenue_retention_lower(rollup(b)) IS NULL AS no_interval
FROM (SELECT bridge FROM small_values
	  UNION ALL SELECT mrr_bridge_agg(10, 12, true)) s(b);
SELECT net_revenue_retention_difference_test(bridge, mrr_bridge_agg(p, p * 1.5, true)) AS test
FROM small_values, (VALUES (10), (20)) v(p) GROUP BY bridge;

-- (a) the updated extension has the objects of a fresh install
CREATE TABLE catalog_updated AS SELECT * FROM pg_temp.csm_catalog();
DROP MATERIALIZED VIEW summaries_by_month;
DROP VIEW answers_by_month, recurring_by_month, recurring_moving, cohorts_by_month;
DROP TABLE stored_values, answers, small_values;
DROP EXTENSION csmetrics;
CREATE EXTENSION csmetrics;
CREATE TABLE catalog_fresh AS SELECT * FROM pg_temp.csm_catalog();
SELECT count(*) > 300 AS many_objects_compared FROM catalog_fresh;
SELECT 'only after the update' AS difference, * FROM
	(SELECT * FROM catalog_updated EXCEPT SELECT * FROM catalog_fresh) d
UNION ALL
SELECT 'only in a fresh install', * FROM
	(SELECT * FROM catalog_fresh EXCEPT SELECT * FROM catalog_updated) d
ORDER BY 2, 3, 4;

-- the comparison would see a change: mark one function differently
ALTER FUNCTION nps(survey_summary) VOLATILE;
SELECT kind, identity FROM
	(SELECT * FROM pg_temp.csm_catalog() EXCEPT SELECT * FROM catalog_fresh) d;
ALTER FUNCTION nps(survey_summary) IMMUTABLE;
-- and a missing member
ALTER EXTENSION csmetrics DROP FUNCTION ces_stderr(survey_summary);
SELECT kind, identity FROM
	(SELECT * FROM catalog_fresh EXCEPT SELECT * FROM pg_temp.csm_catalog()) d ORDER BY 1;
ALTER EXTENSION csmetrics ADD FUNCTION ces_stderr(survey_summary);
SELECT count(*) AS differences_after_restoring FROM
	(SELECT * FROM pg_temp.csm_catalog() EXCEPT SELECT * FROM catalog_fresh) d;

DROP TABLE answers_under_1_0, catalog_updated, catalog_fresh;
