-- mrr_bridge version 2: the exact sums behind the NRR and GRR confidence
-- intervals, the intervals and the NRR difference test (doc/revenue.md)

\i sql/include/expect_error.sql

-- A hand-worked bridge.  Customers present at the start (S -> E):
--   a 100 -> 100 (unchanged), b 200 -> 300 (expansion),
--   c 300 -> 150 (contraction), d 400 -> 0 (churn);
-- and e 0 -> 50 (new, not present at the start: not in the sums).
-- G = min(S, E): a 100, b 200, c 150, d 0.
--   sum S = 1000, sum E = 550, sum G = 450, n = 4
--   sum_s2 = 100^2 + 200^2 + 300^2 + 400^2     = 10000 + 40000 + 90000 + 160000 = 300000
--   sum_e2 = 100^2 + 300^2 + 150^2 + 0         = 10000 + 90000 + 22500          = 122500
--   sum_se = 100*100 + 200*300 + 300*150 + 0   = 10000 + 60000 + 45000          = 115000
--   sum_g2 = 100^2 + 200^2 + 150^2 + 0         = 10000 + 40000 + 22500          = 72500
--   sum_sg = 100*100 + 200*200 + 300*150 + 0   = 10000 + 40000 + 45000          = 95000
CREATE TABLE hand (customer text, previous numeric, current numeric, paid_before boolean);
INSERT INTO hand VALUES ('a', 100, 100, true), ('b', 200, 300, true), ('c', 300, 150, true),
						('d', 400, 0, true), ('e', 0, 50, false);
SELECT mrr_bridge_agg(previous, current, paid_before) FROM hand;

-- NRR R = 550 / 1000 = 0.55.  Residuals E - R S: a 100 - 55 = 45, b 300 - 110 = 190,
-- c 150 - 165 = -15, d 0 - 220 = -220; squares 2025 + 36100 + 225 + 48400 = 86750
-- (= sum_e2 - 2 R sum_se + R^2 sum_s2 = 122500 - 126500 + 90750).
-- v(R) = n / (n - 1) * 86750 / 1000^2 = 4/3 * 0.08675 = 0.1156666...,
-- se = 0.3400980250849 (34.00980250849 points).
--   95%: z = 1.959963984540054: 55 -/+ 66.657988037965 = [-11.66 -> clamped 0, 121.657988037965]
--   50%: z = 0.674489750196082: 55 -/+ 22.939263198171 = [32.060736801829, 77.939263198171]
--   80%: z = 1.281551565544601: 55 -/+ 43.585315648621 = [11.414684351379, 98.585315648621]
-- GRR = 450 / 1000 = 0.45.  Residuals G - 0.45 S: 55, 110, 15, -180; squares
-- 3025 + 12100 + 225 + 32400 = 47750 (= 72500 - 0.9 * 95000 + 0.2025 * 300000).
-- v = 4/3 * 0.04775 = 0.0636666..., se = 0.2523225449037 (25.23225449037 points).
-- GRR's interval is on the logit scale: logit(0.45) = ln(0.45 / 0.55) = -0.200670695462,
-- its se 0.2523225449037 / (0.45 * 0.55) = 1.019485029914, bounds 1 / (1 + exp(-x)):
--   95%: -0.200670695462 -/+ 1.998153941409 = [-2.198824636871, 1.797483245947]
--        -> [9.985608678, 85.784229605]
--   50%: -0.200670695462 -/+ 0.687632203155 = [-0.888302898617, 0.486961507693]
--        -> [29.146017370, 61.939038044]
--   80%: -0.200670695462 -/+ 1.306522636135 = [-1.507193331598, 1.105851940673]
--        -> [18.135511380, 75.135497644]
CREATE TABLE hand_bridge AS SELECT mrr_bridge_agg(previous, current, paid_before) AS b FROM hand;
SELECT c.confidence,
	   net_revenue_retention(b) AS nrr,
	   round(net_revenue_retention_lower(b, c.confidence)::numeric, 9) AS nrr_lower,
	   round(net_revenue_retention_upper(b, c.confidence)::numeric, 9) AS nrr_upper,
	   gross_revenue_retention(b) AS grr,
	   round(gross_revenue_retention_lower(b, c.confidence)::numeric, 9) AS grr_lower,
	   round(gross_revenue_retention_upper(b, c.confidence)::numeric, 9) AS grr_upper
FROM hand_bridge, (VALUES (0.95), (0.5), (0.8)) c(confidence)
ORDER BY c.confidence;
-- the default confidence is 0.95
SELECT net_revenue_retention_upper(b) = net_revenue_retention_upper(b, 0.95) AS nrr_default,
	   gross_revenue_retention_upper(b) = gross_revenue_retention_upper(b, 0.95) AS grr_default
FROM hand_bridge;

-- every customer kept 110% of its MRR: residuals 0, so the interval is
-- exactly the point (no cancellation: the residual is computed exactly)
CREATE TABLE steady AS
SELECT mrr_bridge_agg(p, p * 1.1, true) AS b FROM (VALUES (100.00), (250.00), (1234.56)) v(p);
SELECT b FROM steady;
SELECT net_revenue_retention(b), net_revenue_retention_lower(b), net_revenue_retention_upper(b),
	   gross_revenue_retention_lower(b), gross_revenue_retention_upper(b)
FROM steady;

-- GRR at its ends and with no spread: every customer churned (GRR 0), every
-- customer kept half its MRR (GRR 50, residuals 0): the logit interval is the point
SELECT gross_revenue_retention(b) AS grr, gross_revenue_retention_lower(b) AS lower,
	   gross_revenue_retention_upper(b) AS upper
FROM (SELECT mrr_bridge_agg(p, 0, true) AS b FROM (VALUES (100.00), (250.00)) v(p)
	  UNION ALL
	  SELECT mrr_bridge_agg(p, p / 2, true) FROM (VALUES (100.00), (250.00), (1234.56)) v(p)) s;

-- difference test, hand_bridge against steady (independent customers):
-- 55 - 110 = -55 points, se = sqrt(0.1156666 + 0) * 100 = 34.00980250849,
-- z = -55 / 34.00980250849 = -1.617180810923, p = erfc(1.617180810923 / sqrt 2) = 0.105839257184
SELECT round(difference::numeric, 9) AS difference, round(std_error::numeric, 9) AS std_error,
	   round(z::numeric, 9) AS z, round(p_value::numeric, 9) AS p_value
FROM hand_bridge, steady s, net_revenue_retention_difference_test(hand_bridge.b, s.b);
-- equal bridges: difference 0, se = sqrt(2 * 0.1156666) * 100 = 48.097123961, z 0, p 1
SELECT t.difference, round(t.std_error::numeric, 9) AS std_error, t.z, t.p_value
FROM hand_bridge, net_revenue_retention_difference_test(b, b) t;
-- no variance on either side: difference, std_error 0, z and p NULL
SELECT t.* FROM steady, net_revenue_retention_difference_test(b, b) t;

-- no interval: one customer at the start, none, sums unknown
SELECT net_revenue_retention_lower(mrr_bridge_agg(100, 120, true)) AS one_customer,
	   gross_revenue_retention_upper(mrr_bridge_agg(100, 120, true)) AS one_customer_grr,
	   net_revenue_retention_upper(mrr_bridge_agg(0, 120, true)) AS no_customer;
-- the 1.0 text form (no sums) reads as "sums unknown", and prints back the same
SELECT b, net_revenue_retention(b), net_revenue_retention_lower(b), gross_revenue_retention_upper(b)
FROM (SELECT '{starting_mrr=1000, new_mrr=50, expansion_mrr=100, reactivation_mrr=0, contraction_mrr=150, churned_mrr=400, new=1, expansion=1, reactivation=0, contraction=1, churn=1, unchanged=1, inactive=0}'::mrr_bridge AS b) s;
-- merged with a bridge whose sums are unknown, the sums are unknown
SELECT rollup(x) AS merged, net_revenue_retention_lower(rollup(x)) AS lower
FROM (SELECT b FROM hand_bridge
	  UNION ALL SELECT '{starting_mrr=10, new_mrr=0, expansion_mrr=0, reactivation_mrr=0, contraction_mrr=0, churned_mrr=0, new=0, expansion=0, reactivation=0, contraction=0, churn=0, unchanged=1, inactive=0}') s(x);
SELECT t.* FROM hand_bridge, net_revenue_retention_difference_test(b,
	'{starting_mrr=10, new_mrr=0, expansion_mrr=0, reactivation_mrr=0, contraction_mrr=0, churned_mrr=0, new=0, expansion=0, reactivation=0, contraction=0, churn=0, unchanged=1, inactive=0}') t;
-- merging bridges with known sums adds them: hand_bridge twice has every sum doubled
SELECT rollup(b) FROM (SELECT b FROM hand_bridge UNION ALL SELECT b FROM hand_bridge) s;

-- bad confidence levels: 22023, as every interval function
SELECT pg_temp.expect_error($$SELECT net_revenue_retention_lower(b, 0) FROM hand_bridge$$);
SELECT pg_temp.expect_error($$SELECT net_revenue_retention_upper(b, 1) FROM hand_bridge$$);
SELECT pg_temp.expect_error($$SELECT gross_revenue_retention_lower(b, 'NaN') FROM hand_bridge$$);
SELECT pg_temp.expect_error($$SELECT gross_revenue_retention_upper(b, -0.5) FROM hand_bridge$$);
-- even when there is no interval to give
SELECT pg_temp.expect_error($$SELECT net_revenue_retention_lower(mrr_bridge_agg(1, 1, true), 2)$$);

-- Scales: a row with more decimals multiplies the sums by 10^(2 k).
-- 10 -> 12 then 0.5 -> 0.25: at scale 2, S = 1000 and 50 units, E = 1200 and 25:
-- sum_s2 = 1000000 + 2500 = 1002500 units of 10^-4 = 100.2500, sum_e2 = 1440000 + 625 = 144.0625,
-- sum_se = 1200000 + 1250 = 120.1250, sum_g2 = 1000000 + 625 = 100.0625, sum_sg = 1000000 + 1250 = 100.1250
SELECT mrr_bridge_agg(p, c, true) FROM (VALUES (10, 12), (0.5, 0.25)) v(p, c);
-- the largest amounts: (10^38 - 1) / 2 units at the start, sums exact in 256 bits
-- S = E = 49999999999999999999999999999999999999: S^2 = 2499999999999999999999999999999999999900000000000000000000000000000000000001
SELECT mrr_bridge_agg(49999999999999999999999999999999999999, 49999999999999999999999999999999999999, true);
SELECT mrr_bridge_agg(p, p, true) FROM (VALUES (49999999999999999999999999999999999999), (49999999999999999999999999999999999999)) v(p);
-- while the amounts fit (10^38 - 1 units), no sum can overflow: sum S^2 <= (sum S)^2 < 10^76
-- and sum E^2 <= (2 10^38)^2 < 2^256; the next unit overflows the starting MRR itself
SELECT pg_temp.expect_error($$SELECT mrr_bridge_agg(p, p, true) FROM (VALUES (49999999999999999999999999999999999999), (50000000000000000000000000000000000001)) v(p)$$);

-- text round trips are exact (Citus moves states as text)
SELECT b::text::mrr_bridge = b AS same, b::text::mrr_bridge::text = b::text AS same_text FROM hand_bridge;
SELECT count(*) AS round_trips_exact FROM
	(SELECT g % 17 AS k, mrr_bridge_agg(CASE WHEN g % 5 > 0 THEN (g * 37 % 1000) / 8.0 END,
									   CASE WHEN g % 7 > 0 THEN (g * 53 % 1200) / 3.0 END, g % 2 = 0) AS b
	 FROM generate_series(1, 5000) g GROUP BY 1) s
WHERE b::text::mrr_bridge::text = b::text
  AND net_revenue_retention_lower(b::text::mrr_bridge) = net_revenue_retention_lower(b);
-- sums with fewer decimals than twice the scale are brought to it; more raise the scale
SELECT '{starting_mrr=10, new_mrr=0, expansion_mrr=0, reactivation_mrr=0, contraction_mrr=0, churned_mrr=0, new=0, expansion=0, reactivation=0, contraction=0, churn=0, unchanged=2, inactive=0, sum_s2=50, sum_e2=50, sum_se=50, sum_g2=50, sum_sg=50}'::mrr_bridge;
SELECT '{starting_mrr=10, new_mrr=0, expansion_mrr=0, reactivation_mrr=0, contraction_mrr=0, churned_mrr=0, new=0, expansion=0, reactivation=0, contraction=0, churn=0, unchanged=2, inactive=0, sum_s2=50.001, sum_e2=50.001, sum_se=50.001, sum_g2=50.001, sum_sg=50.001}'::mrr_bridge;
-- white space is allowed around every token
SELECT ' { starting_mrr = 10 , new_mrr=0, expansion_mrr=0, reactivation_mrr=0, contraction_mrr=0, churned_mrr=0, new=0, expansion=0, reactivation=0, contraction=0, churn=0, unchanged=2, inactive=0 , sum_s2 = 50 , sum_e2=50, sum_se=50, sum_g2=50, sum_sg=50 } '::mrr_bridge;

-- The sums against plain SQL on 20000 rows of mixed scales: each sum equals
-- the numeric sum of the products over the rows with previous > 0
CREATE TABLE mixed AS
SELECT g, CASE WHEN g % 6 > 0 THEN round((g * 7919 % 100000) / 97.0, g % 3) END AS p,
	   CASE WHEN g % 8 > 0 THEN round((g * 104729 % 130000) / 89.0, g % 4) END AS c
FROM generate_series(1, 20000) g;
WITH b AS (SELECT mrr_bridge_agg(p, c, g % 2 = 0)::text AS t FROM mixed),
	 s AS (SELECT sum(p * p) AS s2, sum(coalesce(c, 0) ^ 2) AS e2, sum(p * coalesce(c, 0)) AS se,
				  sum(least(p, coalesce(c, 0)) ^ 2) AS g2, sum(p * least(p, coalesce(c, 0))) AS sg
		   FROM mixed WHERE p > 0)
SELECT substring(t FROM 'sum_s2=([0-9.]+)')::numeric = s2 AS s2_exact,
	   substring(t FROM 'sum_e2=([0-9.]+)')::numeric = e2 AS e2_exact,
	   substring(t FROM 'sum_se=([0-9.]+)')::numeric = se AS se_exact,
	   substring(t FROM 'sum_g2=([0-9.]+)')::numeric = g2 AS g2_exact,
	   substring(t FROM 'sum_sg=([0-9.]+)')::numeric = sg AS sg_exact,
	   length(substring(t FROM 'sum_s2=[0-9]*\.([0-9]*)')) AS sum_decimals
FROM b, s;
-- and the interval against the textbook formula in numeric
WITH d AS (SELECT p AS x, coalesce(c, 0) AS y FROM mixed WHERE p > 0),
	 r AS (SELECT count(*) AS n, sum(y) / sum(x) AS ratio, sum(x) AS t FROM d),
	 v AS (SELECT r.ratio, r.n::numeric / (r.n - 1) * sum((d.y - r.ratio * d.x) ^ 2) / r.t ^ 2 AS var
		   FROM d, r GROUP BY r.ratio, r.n, r.t)
SELECT abs(net_revenue_retention_lower((SELECT mrr_bridge_agg(p, c, true) FROM mixed))
		   - 100 * (v.ratio - 1.959963984540054 * sqrt(v.var))::float8) < 1e-9 AS lower_matches,
	   abs(net_revenue_retention_upper((SELECT mrr_bridge_agg(p, c, true) FROM mixed))
		   - 100 * (v.ratio + 1.959963984540054 * sqrt(v.var))::float8) < 1e-9 AS upper_matches
FROM v;

-- malformed sums: 22P02 for the text, 22003 for a sum that does not fit
SELECT pg_temp.expect_error($$SELECT '{starting_mrr=10, new_mrr=0, expansion_mrr=0, reactivation_mrr=0, contraction_mrr=0, churned_mrr=0, new=0, expansion=0, reactivation=0, contraction=0, churn=0, unchanged=2, inactive=0, sum_s2=50}'::mrr_bridge$$);
SELECT pg_temp.expect_error($$SELECT '{starting_mrr=10, new_mrr=0, expansion_mrr=0, reactivation_mrr=0, contraction_mrr=0, churned_mrr=0, new=0, expansion=0, reactivation=0, contraction=0, churn=0, unchanged=2, inactive=0, sum_e2=50, sum_s2=50, sum_se=50, sum_g2=50, sum_sg=50}'::mrr_bridge$$);
SELECT pg_temp.expect_error($$SELECT '{starting_mrr=10, new_mrr=0, expansion_mrr=0, reactivation_mrr=0, contraction_mrr=0, churned_mrr=0, new=0, expansion=0, reactivation=0, contraction=0, churn=0, unchanged=2, inactive=0, sum_s2=-50, sum_e2=50, sum_se=50, sum_g2=50, sum_sg=50}'::mrr_bridge$$);
SELECT pg_temp.expect_error($$SELECT '{starting_mrr=10, new_mrr=0, expansion_mrr=0, reactivation_mrr=0, contraction_mrr=0, churned_mrr=0, new=0, expansion=0, reactivation=0, contraction=0, churn=0, unchanged=2, inactive=0,}'::mrr_bridge$$);
SELECT pg_temp.expect_error($$SELECT '{starting_mrr=10, new_mrr=0, expansion_mrr=0, reactivation_mrr=0, contraction_mrr=0, churned_mrr=0, new=0, expansion=0, reactivation=0, contraction=0, churn=0, unchanged=2, inactive=0, sum_s2=50, sum_e2=50, sum_se=50, sum_g2=50, sum_sg=50,}'::mrr_bridge$$);
SELECT pg_temp.expect_error($$SELECT '{starting_mrr=10, new_mrr=0, expansion_mrr=0, reactivation_mrr=0, contraction_mrr=0, churned_mrr=0, new=0, expansion=0, reactivation=0, contraction=0, churn=0, unchanged=2, inactive=0, sum_s2=5., sum_e2=50, sum_se=50, sum_g2=50, sum_sg=50}'::mrr_bridge$$);
-- the same decimal-point rules for amounts (one shared scanner): a point with no digit after
-- it, and a second point, are refused with 22P02
SELECT pg_temp.expect_error($$SELECT '{starting_mrr=10., new_mrr=0, expansion_mrr=0, reactivation_mrr=0, contraction_mrr=0, churned_mrr=0, new=0, expansion=0, reactivation=0, contraction=0, churn=0, unchanged=2, inactive=0}'::mrr_bridge$$);
SELECT pg_temp.expect_error($$SELECT '{starting_mrr=10.5.1, new_mrr=0, expansion_mrr=0, reactivation_mrr=0, contraction_mrr=0, churned_mrr=0, new=0, expansion=0, reactivation=0, contraction=0, churn=0, unchanged=2, inactive=0}'::mrr_bridge$$);
SELECT pg_temp.expect_error($$SELECT '{starting_mrr=10, new_mrr=0, expansion_mrr=0, reactivation_mrr=0, contraction_mrr=0, churned_mrr=0, new=0, expansion=0, reactivation=0, contraction=0, churn=0, unchanged=2, inactive=0, sum_s2=5.0.0, sum_e2=50, sum_se=50, sum_g2=50, sum_sg=50}'::mrr_bridge$$);
-- 2^256 = 115792089237316195423570985008687907853269984665640564039457584007913129639936
SELECT pg_temp.expect_error($$SELECT '{starting_mrr=10, new_mrr=0, expansion_mrr=0, reactivation_mrr=0, contraction_mrr=0, churned_mrr=0, new=0, expansion=0, reactivation=0, contraction=0, churn=0, unchanged=2, inactive=0, sum_s2=115792089237316195423570985008687907853269984665640564039457584007913129639936, sum_e2=50, sum_se=50, sum_g2=50, sum_sg=50}'::mrr_bridge$$);
-- 41 decimals
SELECT pg_temp.expect_error($$SELECT '{starting_mrr=10, new_mrr=0, expansion_mrr=0, reactivation_mrr=0, contraction_mrr=0, churned_mrr=0, new=0, expansion=0, reactivation=0, contraction=0, churn=0, unchanged=2, inactive=0, sum_s2=50.00000000000000000000000000000000000000001, sum_e2=50, sum_se=50, sum_g2=50, sum_sg=50}'::mrr_bridge$$);
-- a sum that fits as written but not at twice the scale of the amounts (scale 20: 40 decimals)
SELECT pg_temp.expect_error($$SELECT '{starting_mrr=10.00000000000000000000, new_mrr=0, expansion_mrr=0, reactivation_mrr=0, contraction_mrr=0, churned_mrr=0, new=0, expansion=0, reactivation=0, contraction=0, churn=0, unchanged=2, inactive=0, sum_s2=99999999999999999999999999999999999999999, sum_e2=50, sum_se=50, sum_g2=50, sum_sg=50}'::mrr_bridge$$);
-- sums no set of customers can have: 22P02
SELECT pg_temp.expect_error($$SELECT '{starting_mrr=0, new_mrr=10, expansion_mrr=0, reactivation_mrr=0, contraction_mrr=0, churned_mrr=0, new=1, expansion=0, reactivation=0, contraction=0, churn=0, unchanged=0, inactive=0, sum_s2=1, sum_e2=0, sum_se=0, sum_g2=0, sum_sg=0}'::mrr_bridge$$);
SELECT pg_temp.expect_error($$SELECT '{starting_mrr=10, new_mrr=0, expansion_mrr=0, reactivation_mrr=0, contraction_mrr=0, churned_mrr=0, new=0, expansion=0, reactivation=0, contraction=0, churn=0, unchanged=2, inactive=0, sum_s2=0, sum_e2=0, sum_se=0, sum_g2=0, sum_sg=0}'::mrr_bridge$$);
SELECT pg_temp.expect_error($$SELECT '{starting_mrr=10, new_mrr=0, expansion_mrr=0, reactivation_mrr=0, contraction_mrr=0, churned_mrr=0, new=0, expansion=0, reactivation=0, contraction=0, churn=0, unchanged=2, inactive=0, sum_s2=101, sum_e2=50, sum_se=50, sum_g2=50, sum_sg=50}'::mrr_bridge$$);
SELECT pg_temp.expect_error($$SELECT '{starting_mrr=10, new_mrr=0, expansion_mrr=0, reactivation_mrr=0, contraction_mrr=0, churned_mrr=0, new=0, expansion=0, reactivation=0, contraction=0, churn=0, unchanged=2, inactive=0, sum_s2=50, sum_e2=50, sum_se=50, sum_g2=51, sum_sg=50}'::mrr_bridge$$);
-- (sum S)^2 sum_e2 - 2 sum S sum E sum_se + (sum E)^2 sum_s2 = 100 * 50 - 200 * 60 + 100 * 50 < 0
SELECT pg_temp.expect_error($$SELECT '{starting_mrr=10, new_mrr=0, expansion_mrr=0, reactivation_mrr=0, contraction_mrr=0, churned_mrr=0, new=0, expansion=0, reactivation=0, contraction=0, churn=0, unchanged=2, inactive=0, sum_s2=50, sum_e2=50, sum_se=60, sum_g2=50, sum_sg=50}'::mrr_bridge$$);

DROP TABLE hand, hand_bridge, steady, mixed;
