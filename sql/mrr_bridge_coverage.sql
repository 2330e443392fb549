-- The NRR and GRR intervals in repeated sampling: a seeded simulation from a
-- known population of customers.  Each repetition draws n customers with
-- replacement (so the ratio estimator's variance needs no finite-population
-- correction), builds their bridge and asks whether the interval holds the
-- population's NRR and GRR.  With 1000 repetitions the Monte Carlo error of a
-- coverage near 95% is about 0.7 points, so "within 2 points of nominal"
-- is a test that a wrong variance (a missing n, a missing square) fails.
-- Nothing here is timed.

SELECT setseed(0.20261130);

-- A population of 20000 customers: starting MRR lognormal around 300
-- (Box-Muller normal draws, sdlog sigma), then per customer churn, a
-- contraction to 50-95%, an expansion to 105-180%, or no change.
CREATE FUNCTION pg_temp.population(sigma float8, churn float8, contraction float8,
								   expansion float8)
RETURNS TABLE (id integer, s numeric, e numeric) LANGUAGE sql VOLATILE AS $f$
	SELECT g, t.s,
		   CASE WHEN u < churn THEN 0
				WHEN u < churn + contraction THEN round(t.s * (0.5 + 0.45 * v)::numeric, 2)
				WHEN u < churn + contraction + expansion THEN round(t.s * (1.05 + 0.75 * v)::numeric, 2)
				ELSE t.s END
	FROM (SELECT g, round(exp(ln(300) + sigma * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()))::numeric, 2) AS s,
				 random() AS u, random() AS v
		  FROM generate_series(1, 20000) g) t
$f$;

-- repetitions x n draws with replacement, their bridges, and the coverage
CREATE FUNCTION pg_temp.coverage(n integer, confidence float8,
								 OUT true_nrr float8, OUT true_grr float8,
								 OUT nrr_covered numeric, OUT grr_covered numeric)
LANGUAGE plpgsql VOLATILE AS $f$
BEGIN
	SELECT 100 * (sum(e) / sum(s))::float8, 100 * (sum(least(s, e)) / sum(s))::float8
	INTO true_nrr, true_grr FROM pop;
	CREATE TEMP TABLE draws AS
	SELECT r, 1 + floor(random() * 20000)::integer AS id
	FROM generate_series(1, 1000) r, generate_series(1, n) k;
	SELECT round(100.0 * count(*) FILTER (WHERE net_revenue_retention_lower(b, confidence) <= true_nrr
											AND true_nrr <= net_revenue_retention_upper(b, confidence)) / count(*), 1),
		   round(100.0 * count(*) FILTER (WHERE gross_revenue_retention_lower(b, confidence) <= true_grr
											AND true_grr <= gross_revenue_retention_upper(b, confidence)) / count(*), 1)
	INTO nrr_covered, grr_covered
	FROM (SELECT r, mrr_bridge_agg(p.s, p.e, true) AS b
		  FROM draws d JOIN pop p USING (id) GROUP BY r) x;
	DROP TABLE draws;
END
$f$;

-- 1. A population of moderately spread MRR (sdlog 0.5) where 6% churn, 10%
-- contract and 14% expand; n = 400 customers at the start.
CREATE TEMP TABLE pop AS SELECT * FROM pg_temp.population(0.5, 0.06, 0.10, 0.14);
CREATE TEMP TABLE moderate AS
SELECT 400 AS n, 0.95 AS confidence, * FROM pg_temp.coverage(400, 0.95)
UNION ALL SELECT 400, 0.90, * FROM pg_temp.coverage(400, 0.90)
UNION ALL SELECT 100, 0.95, * FROM pg_temp.coverage(100, 0.95);
SELECT n, confidence, round(true_nrr::numeric, 2) AS true_nrr, round(true_grr::numeric, 2) AS true_grr,
	   nrr_covered, grr_covered,
	   abs(nrr_covered - 100 * confidence) <= 2 AS nrr_within_2_points,
	   abs(grr_covered - 100 * confidence) <= 2 AS grr_within_2_points
FROM moderate;
-- At n = 100 in the same population only about 6 customers churn in a
-- sample; GRR's interval is on the logit scale, which reaches further
-- towards the losses: the normal interval GRR +/- z se covered 90.3% of
-- these same draws (without the logit scale), the logit one
-- covers within 2 points (the rows above).

-- 2. The interval against a bootstrap of one sample (n = 400, 1000
-- resamples): the standard error of NRR and GRR from the formula and the
-- standard deviation of the bootstrap estimates agree within 10%.  The
-- bootstrap variance is the plug-in one, without the n / (n - 1) factor,
-- so the ratio is compared after taking it out.  NRR's se is its 95% half
-- width / z; GRR's interval is on the logit scale, so its se is recovered
-- from the upper bound U: (logit(U) - logit(GRR)) * GRR (1 - GRR) / z.
CREATE TEMP TABLE sample AS
SELECT d.k, p.s, p.e
FROM (SELECT k, 1 + floor(random() * 20000)::integer AS id FROM generate_series(1, 400) k) d
JOIN pop p USING (id);
CREATE TEMP TABLE resamples AS
SELECT r, 1 + floor(random() * 400)::integer AS k FROM generate_series(1, 1000) r, generate_series(1, 400) j;
CREATE TEMP TABLE boot AS
SELECT r, mrr_bridge_agg(s.s, s.e, true) AS b FROM resamples JOIN sample s USING (k) GROUP BY r;
WITH one AS (SELECT mrr_bridge_agg(s, e, true) AS b FROM sample),
	 se AS (SELECT (net_revenue_retention_upper(b, 0.95) - net_revenue_retention(b)) / 1.959963984540054 AS nrr_se,
				   100 * (ln(u / (100 - u)) - ln(g / (100 - g))) * (g / 100) * (1 - g / 100) / 1.959963984540054 AS grr_se
			FROM one, LATERAL (SELECT gross_revenue_retention(b) AS g, gross_revenue_retention_upper(b, 0.95) AS u) gu)
SELECT round((stddev_samp(net_revenue_retention(boot.b)) / (nrr_se * sqrt(399.0 / 400)))::numeric, 2) AS nrr_bootstrap_ratio,
	   round((stddev_samp(gross_revenue_retention(boot.b)) / (grr_se * sqrt(399.0 / 400)))::numeric, 2) AS grr_bootstrap_ratio,
	   abs(stddev_samp(net_revenue_retention(boot.b)) / (nrr_se * sqrt(399.0 / 400)) - 1) < 0.1 AS nrr_agrees,
	   abs(stddev_samp(gross_revenue_retention(boot.b)) / (grr_se * sqrt(399.0 / 400)) - 1) < 0.1 AS grr_agrees
FROM boot, se GROUP BY nrr_se, grr_se;
DROP TABLE pop, sample, resamples, boot;

-- 3. Where the interval is not to be trusted (doc/revenue.md): heavy-tailed
-- MRR (sdlog 1.2) and rare losses (3% churn, 5% contraction) leave few
-- customers carrying the losses, and GRR's interval covers well below 95%,
-- even on the logit scale (the normal interval of GRR covered 75.7%).  The
-- numbers are shown so the documentation can quote them; the test is that
-- GRR undercovers.
CREATE TEMP TABLE pop AS SELECT * FROM pg_temp.population(1.2, 0.03, 0.05, 0.14);
SELECT round(true_nrr::numeric, 2) AS true_nrr, round(true_grr::numeric, 2) AS true_grr,
	   nrr_covered, grr_covered, grr_covered < 93 AS grr_undercovers
FROM pg_temp.coverage(100, 0.95);
DROP TABLE pop, moderate;
