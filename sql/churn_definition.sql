-- churn_rate and retention_rate of a customer_flow by the vendors' definitions

\i sql/include/expect_error.sql

-- The issue's worked example: 100 customers at the start of January, 20 new
-- in January of whom 1 also left in January (transient), 10 of the 100 churn:
--   chartmogul = profitwell = 10 / 100 = 10 %  (the one-argument churn_rate)
--   stripe = (10 + 1) / (100 + 19 + 1) = 11 / 120 = 9.1666... %
CREATE TABLE spans AS
SELECT i AS customer, DATE '2023-06-01' AS started_on,
	   CASE WHEN i <= 10 THEN DATE '2024-01-10' END AS ended_on
FROM generate_series(1, 100) i
UNION ALL
SELECT 100 + i, DATE '2024-01-05', CASE WHEN i = 1 THEN DATE '2024-01-20' END
FROM generate_series(1, 20) i;
CREATE TABLE flow AS
SELECT customer_flow_agg(started_on, ended_on, DATE '2024-01-01', DATE '2024-02-01') AS f FROM spans;
SELECT f FROM flow;
SELECT churn_rate(f) AS default_rate, churn_rate(f, 'chartmogul') AS chartmogul,
	   churn_rate(f, 'ProfitWell') AS profitwell, round(churn_rate(f, 'stripe')::numeric, 10) AS stripe,
	   retention_rate(f) AS default_retention, retention_rate(f, 'chartmogul') AS chartmogul_retention,
	   round(retention_rate(f, 'stripe')::numeric, 10) AS stripe_retention
FROM flow;
-- only a transient customer: no one at the start, so the ChartMogul rate is
-- NULL; the Stripe rate counts it: 1 / 1 = 100 %
SELECT churn_rate(f, 'chartmogul') IS NULL AS cm_null, churn_rate(f, 'stripe') AS stripe
FROM (SELECT customer_flow_agg(DATE '2024-01-05', DATE '2024-01-06', DATE '2024-01-01', DATE '2024-02-01') AS f) s;
SELECT pg_temp.expect_error($$SELECT churn_rate(f, 'baremetrics') FROM flow$$);
DROP TABLE flow, spans;
