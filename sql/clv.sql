-- clv: purchase histories, BG/NBD, Gamma-Gamma and sBG fits and predictions,
-- checked by hand and against the published results (test/data/README.md)

\i sql/include/expect_error.sql
SET extra_float_digits = 0;

-------------------------------------------------------------------------------
-- Purchase histories, one customer worked by hand (doc/clv.md)
-------------------------------------------------------------------------------
-- purchases on 2024-01-03 (two: 10.00 and 5.00), 2024-01-10 (20.00) and
-- 2024-02-01 (30.50), observed until 2024-03-01.  Days since 2000-01-01:
-- 2024-01-01 is day 8766 (24 years of 365 days plus 6 leap days), so the
-- purchase days are 8768, 8775 and 8797 and the end is 8826 (+31 +29).
--   '1 day':  frequency 3 - 1 = 2, recency 8797 - 8768 = 29, age 8826 - 8768 = 58,
--             monetary_value (20.00 + 30.50) / 2 = 25.25, purchases 4
--   '7 days': weeks floor(day / 7) = 1252, 1253, 1256 and 1260:
--             frequency 2, recency 4, age 8
CREATE TABLE one_customer (purchased_on date, amount numeric);
INSERT INTO one_customer VALUES ('2024-01-03', 10.00), ('2024-01-03', 5.00),
	('2024-01-10', 20.00), ('2024-02-01', 30.50);
SELECT purchase_history_agg(purchased_on, amount, '2024-03-01', '1 day') FROM one_customer;
SELECT frequency(h), recency(h), age(h), monetary_value(h), purchases(h)
FROM (SELECT purchase_history_agg(purchased_on, amount, '2024-03-01', '1 day') h FROM one_customer) s;
SELECT frequency(h), recency(h), age(h), monetary_value(h), purchases(h)
FROM (SELECT purchase_history_agg(purchased_on, amount, '2024-03-01', '7 days') h FROM one_customer) s;
-- the timestamptz form counts from 2000-01-01 00:00 UTC; 12-hour periods:
-- 2024-01-03 09:00 and 21:30 UTC fall in periods 17536 and 17537
SELECT h, frequency(h), recency(h), age(h)
FROM (SELECT purchase_history_agg(t, 1, '2024-01-04 00:00+00', '12 hours') h
	  FROM unnest(ARRAY['2024-01-03 09:00+00', '2024-01-03 21:30+00']::timestamptz[]) t) s;
-- no repeat purchase: monetary_value is NULL; NULL rows are skipped; no rows give NULL
SELECT frequency(h), recency(h), age(h), monetary_value(h) IS NULL AS no_monetary_value, purchases(h)
FROM (SELECT purchase_history_agg(d, a, '2024-01-31', '1 day') h
	  FROM (VALUES ('2024-01-05'::date, 3.5), ('2024-01-05', NULL), (NULL, 4)) v(d, a)) s;
SELECT purchase_history_agg(purchased_on, amount, '2024-03-01', '1 day') IS NULL AS empty_is_null
FROM one_customer WHERE false;
-- amounts of different scales are summed exactly
SELECT purchase_history_agg(d, a, '2024-01-31', '1 day')
FROM (VALUES ('2024-01-05'::date, 3.5), ('2024-01-05', 0.125), ('2024-01-06', 100)) v(d, a);
-- text form round trip
SELECT 'unit 86400000000 until 8826 {(8768,2,15.00),(8775,1,20.00),(8797,1,30.50)}'::purchase_history;
SELECT monetary_value('unit 86400000000 until 8826 {(8768,2,15.00),(8775,1,20.00),(8797,1,30.50)}');

-- errors
SELECT pg_temp.expect_error($$SELECT purchase_history_agg(d, 1, '2024-01-31', '1 day') FROM (VALUES ('2024-02-01'::date)) v(d)$$);
SELECT pg_temp.expect_error($$SELECT purchase_history_agg(d, 1, '2024-01-31', '1 month') FROM (VALUES ('2024-01-01'::date)) v(d)$$);
SELECT pg_temp.expect_error($$SELECT purchase_history_agg(d, 1, '2024-01-31', '0 days') FROM (VALUES ('2024-01-01'::date)) v(d)$$);
SELECT pg_temp.expect_error($$SELECT purchase_history_agg(d, 1, '2024-01-31', '-1 day') FROM (VALUES ('2024-01-01'::date)) v(d)$$);
SELECT pg_temp.expect_error($$SELECT purchase_history_agg(d, 1, e, '1 day') FROM (VALUES ('2024-01-01'::date, '2024-01-31'::date), ('2024-01-02', '2024-02-28')) v(d, e)$$);
SELECT pg_temp.expect_error($$SELECT purchase_history_agg(d, 1, '2024-01-31', u) FROM (VALUES ('2024-01-01'::date, '1 day'::interval), ('2024-01-02', '7 days')) v(d, u)$$);
SELECT pg_temp.expect_error($$SELECT purchase_history_agg(d, 1, 'infinity', '1 day') FROM (VALUES ('2024-01-01'::date)) v(d)$$);
SELECT pg_temp.expect_error($$SELECT purchase_history_agg(d, 'NaN', '2024-01-31', '1 day') FROM (VALUES ('2024-01-01'::date)) v(d)$$);
SELECT pg_temp.expect_error($$SELECT purchase_history_agg(d, 1e40, '2024-01-31', '1 day') FROM (VALUES ('2024-01-01'::date)) v(d)$$);
SELECT pg_temp.expect_error($$SELECT 'unit 86400000000 until 10 {}'::purchase_history$$);
SELECT pg_temp.expect_error($$SELECT 'unit 86400000000 until 10 {(11,1,5)}'::purchase_history$$);
SELECT pg_temp.expect_error($$SELECT 'unit 86400000000 until 10 {(2,1,5),(1,1,5)}'::purchase_history$$);
SELECT pg_temp.expect_error($$SELECT 'unit 0 until 10 {(1,1,5)}'::purchase_history$$);
SELECT pg_temp.expect_error($$SELECT 'unit 86400000000 until 10 {(1,0,5)}'::purchase_history$$);
SELECT pg_temp.expect_error($$SELECT 'unit 86400000000 until 10 {(1,1,abc)}'::purchase_history$$);
SELECT pg_temp.expect_error($$SELECT 'unit 86400000000 until 10 {(1,1,5)} x'::purchase_history$$);
SELECT pg_temp.expect_error($$SELECT 'unit 86400000000 until 10 {(1,99999999999999999999,5)}'::purchase_history$$);

-------------------------------------------------------------------------------
-- CDNOW: 2,357 customers, 39-week calibration to 1997-09-30
-------------------------------------------------------------------------------
CREATE TABLE cdnow_raw (line text);
\copy cdnow_raw FROM 'test/data/CDNOW_sample.txt'
CREATE TABLE cdnow_tx AS
SELECT a[2]::int AS customer, to_date(a[3], 'YYYYMMDD') AS purchased_on, a[5]::numeric AS amount
FROM (SELECT regexp_split_to_array(btrim(line, E' \r'), '\s+') AS a FROM cdnow_raw) s;
-- 6,919 transactions of 2,357 customers, 1997-01-01 to 1998-06-30 (README)
SELECT count(*), count(DISTINCT customer), min(purchased_on), max(purchased_on) FROM cdnow_tx;
CREATE TABLE cdnow_summary (customer int, x float8, t_x float8, t float8, zbar float8);
\copy cdnow_summary FROM 'test/data/cdnow_customers_summary_with_transactions.csv' WITH (FORMAT csv, HEADER)

-- daily histories of the calibration period
CREATE TABLE cdnow AS
SELECT customer, purchase_history_agg(purchased_on, amount, '1997-09-30', '1 day') AS h
FROM cdnow_tx WHERE purchased_on <= '1997-09-30' GROUP BY customer;
-- they reproduce the published summary for every customer: x, t_x and T in
-- weeks (days / 7, to 2 decimals) and zbar, the mean repeat amount (0.00 for x = 0);
-- sum(x) = 2457 and 946 customers with x > 0 (README)
SELECT count(*) AS customers,
	   count(*) FILTER (WHERE frequency(h) = s.x
							AND round((recency(h) / 7)::numeric, 2) = s.t_x::numeric
							AND round((age(h) / 7)::numeric, 2) = s.t::numeric) AS same_x_t_x_t,
	   count(*) FILTER (WHERE coalesce(round(monetary_value(h), 2), 0) = s.zbar::numeric) AS same_zbar,
	   sum(frequency(h)) AS repeat_purchases, count(*) FILTER (WHERE frequency(h) > 0) AS repeat_buyers
FROM cdnow JOIN cdnow_summary s USING (customer);

-- BG/NBD.  Published (Fader, Hardie & Lee 2005, Marketing Science 24(2), p. 280):
-- r = 0.243, alpha = 4.414, a = 0.793, b = 2.426, LL = -9582.4.  Fitted on
-- the exact weeks of the raw transactions, to the precision printed:
CREATE TABLE cdnow_bgnbd AS
SELECT bgnbd_fit(frequency(h), recency(h) / 7, age(h) / 7) AS m FROM cdnow;
SELECT round(r(m)::numeric, 3) AS r, round(alpha(m)::numeric, 3) AS alpha,
	   round(a(m)::numeric, 3) AS a, round(b(m)::numeric, 3) AS b,
	   round(log_likelihood(m)::numeric, 1) AS ll, customers(m), converged(m)
FROM cdnow_bgnbd;
-- and to 5 significant digits against CLVTools (CRAN, tests/testthat/
-- test_correctness_bgnbd.R, the same raw CDNOW data): r = 0.2425945,
-- alpha = 4.4136019, a = 0.7929199, b = 2.4258881, LL = -9582.429
SELECT abs(r(m) / 0.2425945 - 1) < 1e-5 AS r, abs(alpha(m) / 4.4136019 - 1) < 1e-5 AS alpha,
	   abs(a(m) / 0.7929199 - 1) < 1e-5 AS a, abs(b(m) / 2.4258881 - 1) < 1e-5 AS b,
	   abs(log_likelihood(m) + 9582.429) < 0.001 AS ll
FROM cdnow_bgnbd;
-- fitted on the published summary (weeks rounded to 2 decimals), the standard
-- errors of lifetimes' documentation (bgf.summary on this file):
-- 0.012557, 0.378221, 0.185719, 0.705345 for r, alpha, a, b
CREATE TABLE cdnow_bgnbd_csv AS SELECT bgnbd_fit(x, t_x, t) AS m FROM cdnow_summary;
SELECT round(r(m)::numeric, 6) AS r, round(alpha(m)::numeric, 6) AS alpha,
	   round(a(m)::numeric, 6) AS a, round(b(m)::numeric, 6) AS b,
	   round(r_stderr(m)::numeric, 6) AS r_se, round(alpha_stderr(m)::numeric, 6) AS alpha_se,
	   round(a_stderr(m)::numeric, 6) AS a_se, round(b_stderr(m)::numeric, 6) AS b_se
FROM cdnow_bgnbd_csv;
-- the fit from the histories themselves is in days: r, a, b are the same, alpha
-- is 7 times the weekly one, and the log-likelihood lower by sum(x) ln 7 =
-- 2457 ln 7 = 4781.10 (a density per day instead of per week)
SELECT abs(r(d) / r(w) - 1) < 1e-6 AS same_r, abs(alpha(d) / (7 * alpha(w)) - 1) < 1e-6 AS alpha_times_7,
	   abs(a(d) / a(w) - 1) < 1e-5 AS same_a, abs(b(d) / b(w) - 1) < 1e-5 AS same_b,
	   round((log_likelihood(w) - log_likelihood(d))::numeric, 2) AS ll_difference
FROM (SELECT bgnbd_fit(h) AS d FROM cdnow) s, (SELECT m AS w FROM cdnow_bgnbd) t;

-- Predictions, against Hardie's spreadsheet "Implementing the BG/NBD model in
-- Excel" (as tested in lifetimes' tests/test_estimation.py) with the model of
-- the published summary: E[Y(39) | x = 2, t_x = 30.43, T = 38.86] = 1.226 and
-- E[X(t)] = 0.0078, 0.0532, 0.1506, 1.0405, 1.0437, 1.8576 at
-- t = 0.1429, 1, 3, 31.8571, 32, 78 (agreement to 3 decimals)
SELECT round(bgnbd_conditional_expected_purchases(m, 39, 2, 30.43, 38.86)::numeric, 3) AS e_y39
FROM cdnow_bgnbd_csv;
SELECT t, round(bgnbd_expected_purchases(m, t)::numeric, 3) AS e_x, published,
	   abs(bgnbd_expected_purchases(m, t) - published) < 0.001 AS agrees
FROM cdnow_bgnbd_csv,
	 (VALUES (0.1429, 0.0078), (1, 0.0532), (3, 0.1506), (31.8571, 1.0405), (32, 1.0437), (78, 1.8576)) v(t, published);
-- P(alive) of that customer by hand from the model's parameters:
-- 1 / (1 + a / (b + x - 1) ((alpha + T) / (alpha + t_x))^(r + x)); and 1 for x = 0
SELECT abs(bgnbd_probability_alive(m, 2, 30.43, 38.86)
		   - 1 / (1 + a(m) / (b(m) + 1) * ((alpha(m) + 38.86) / (alpha(m) + 30.43)) ^ (r(m) + 2))) < 1e-12 AS p_alive_by_hand,
	   bgnbd_probability_alive(m, 0, 0, 38.86) AS p_alive_no_repeat
FROM cdnow_bgnbd_csv;
-- P(X(39) = n) is a distribution whose mean is E[X(39)]
SELECT round(sum(p)::numeric, 10) AS total, abs(sum(n * p) - e) < 1e-9 AS mean_is_e_x
FROM cdnow_bgnbd_csv, generate_series(0, 400) n,
	 LATERAL (SELECT bgnbd_purchase_probability(m, n, 39) AS p, bgnbd_expected_purchases(m, 39) AS e) s
GROUP BY e;
-- P(X(t) = 0) by hand: B(a, b) / B(a, b) (alpha / (alpha + t))^r + 0 at t = 39
SELECT abs(bgnbd_purchase_probability(m, 0, 39) - (alpha(m) / (alpha(m) + 39)) ^ r(m)) < 1e-12 AS p0_by_hand,
	   bgnbd_purchase_probability(m, 0, 0) AS p0_at_0, bgnbd_purchase_probability(m, 3, 0) AS p3_at_0,
	   bgnbd_expected_purchases(m, 0) AS e_x0, bgnbd_conditional_expected_purchases(m, 0, 2, 30.43, 38.86) AS e_y0
FROM cdnow_bgnbd_csv;

-- The Gauss hypergeometric function, through parameters that make it
-- elementary: with r = b = 1, a = 2, E[X(t)] = 2 (1 - 2F1(1, 1; 2; z) alpha / (alpha + t))
-- and 2F1(1, 1; 2; z) = -ln(1 - z) / z, so E[X(t)] = 2 (1 - ln(1 + t) / t) for
-- alpha = 1: 2 (1 - ln 2) = 0.613705638880109 at t = 1; at t = 10000 (z = 0.9999,
-- about 370,000 terms) 1.99815791192660
SELECT round(bgnbd_expected_purchases(m, 1)::numeric, 13) AS t1, round((2 * (1 - ln(2)))::numeric, 13) AS exact1,
	   round(bgnbd_expected_purchases(m, 10000)::numeric, 13) AS t10000,
	   round((2 * (1 - ln(10001) / 10000))::numeric, 13) AS exact10000
FROM (SELECT '(r=1,alpha=1,a=2,b=1,log_likelihood=0,customers=0,iterations=0,converged=false)'::bgnbd_model AS m) s;
-- beyond a million terms the series refuses rather than truncate
SELECT pg_temp.expect_error($$SELECT bgnbd_expected_purchases('(r=1,alpha=1,a=2,b=1,log_likelihood=0,customers=0,iterations=0,converged=false)', 1e9)$$);
-- a = 1 has no expectation
SELECT pg_temp.expect_error($$SELECT bgnbd_expected_purchases('(r=1,alpha=1,a=1,b=1,log_likelihood=0,customers=0,iterations=0,converged=false)', 1)$$);

-- Gamma-Gamma.  Published (Fader, Hardie & Lee 2005, JMR 42(4); Hardie's note
-- "The Gamma-Gamma model of monetary value"): p = 6.25, q = 3.74, gamma = 15.44
-- on the 946 customers with a repeat purchase; lifetimes' documentation
-- prints 6.248802, 3.744588, 15.447748 for the summary file
CREATE TABLE cdnow_gg AS SELECT gamma_gamma_fit(x, zbar) AS g FROM cdnow_summary;
SELECT round(p(g)::numeric, 2) AS p, round(q(g)::numeric, 2) AS q, round(gamma(g)::numeric, 2) AS gamma,
	   round(p(g)::numeric, 6) AS p6, round(q(g)::numeric, 6) AS q6, round(gamma(g)::numeric, 6) AS gamma6,
	   customers(g), converged(g), p_stderr(g) > 0 AS has_stderrs
FROM cdnow_gg;
-- from the histories' exact repeat means, the same to 3 significant digits
SELECT round(p(g)::numeric, 2) AS p, round(q(g)::numeric, 2) AS q, round(gamma(g)::numeric, 1) AS gamma
FROM (SELECT gamma_gamma_fit(frequency(h), monetary_value(h)::float8) AS g FROM cdnow) s;
-- expected spend by hand: (p gamma + p x m) / (p x + q - 1); x = 0 gives
-- the population mean p gamma / (q - 1), whatever the monetary value
SELECT abs(gamma_gamma_expected_spend(g, 2, 22.35) - (p(g) * gamma(g) + p(g) * 2 * 22.35) / (p(g) * 2 + q(g) - 1)) < 1e-12 AS by_hand,
	   abs(gamma_gamma_expected_spend(g, 0, NULL) - p(g) * gamma(g) / (q(g) - 1)) < 1e-12 AS mean_for_x0,
	   gamma_gamma_expected_spend(g, 0, NULL) = gamma_gamma_expected_spend(g, 0, 99) AS x0_ignores_m,
	   gamma_gamma_expected_spend(g, 2, NULL) IS NULL AS null_m_is_null
FROM cdnow_gg;
-- q <= 1: infinite mean spend, an error
SELECT pg_temp.expect_error($$SELECT gamma_gamma_expected_spend('(p=1,q=0.5,gamma=1,log_likelihood=0,customers=0,iterations=0,converged=false)', 0, NULL)$$);

-- Predicted CLV.  By hand for the customer above: 12 monthly periods of
-- L = 52/12 weeks at 1% a month is the sum over s of spend * (E[Y(sL)] -
-- E[Y((s-1)L)]) / 1.01^s, computed here from the documented functions
SELECT abs(predicted_clv(m, g, 2, 30.43, 38.86, 22.35, 12, 52.0 / 12, 0.01) - by_hand) < 1e-9 AS matches_by_hand,
	   round(by_hand::numeric, 4) AS clv
FROM cdnow_bgnbd_csv, cdnow_gg,
	 LATERAL (SELECT sum(gamma_gamma_expected_spend(g, 2, 22.35)
						 * (bgnbd_conditional_expected_purchases(m, s * 52.0 / 12, 2, 30.43, 38.86)
							- bgnbd_conditional_expected_purchases(m, (s - 1) * 52.0 / 12, 2, 30.43, 38.86))
						 / 1.01 ^ s) AS by_hand
			  FROM generate_series(1, 12) s) h;
-- undiscounted, the periods add up to spend * E[Y(12 L)]; no periods give 0;
-- a customer without repeat purchases may pass NULL as monetary value
SELECT abs(predicted_clv(m, g, 2, 30.43, 38.86, 22.35, 12, 52.0 / 12, 0)
		   - gamma_gamma_expected_spend(g, 2, 22.35) * bgnbd_conditional_expected_purchases(m, 52, 2, 30.43, 38.86)) < 1e-9 AS telescopes,
	   predicted_clv(m, g, 2, 30.43, 38.86, 22.35, 0, 52.0 / 12, 0.01) AS no_periods,
	   predicted_clv(m, g, 0, 0, 38.86, NULL, 12, 52.0 / 12, 0.01) > 0 AS x0_null_m,
	   predicted_clv(m, g, 2, 30.43, 38.86, NULL, 12, 52.0 / 12, 0.01) IS NULL AS null_m_is_null
FROM cdnow_bgnbd_csv, cdnow_gg;
SELECT pg_temp.expect_error($$SELECT predicted_clv(m, g, 2, 30.43, 38.86, 22.35, -1, 4, 0.01) FROM cdnow_bgnbd_csv, cdnow_gg$$);
SELECT pg_temp.expect_error($$SELECT predicted_clv(m, g, 2, 30.43, 38.86, 22.35, 12, 0, 0.01) FROM cdnow_bgnbd_csv, cdnow_gg$$);
SELECT pg_temp.expect_error($$SELECT predicted_clv(m, g, 2, 30.43, 38.86, 22.35, 12, 4, -0.5) FROM cdnow_bgnbd_csv, cdnow_gg$$);
SELECT pg_temp.expect_error($$SELECT predicted_clv(m, g, 2, 40, 38.86, 22.35, 12, 4, 0.01) FROM cdnow_bgnbd_csv, cdnow_gg$$);
SELECT pg_temp.expect_error($$SELECT predicted_clv(m, g, 2, 30.43, 38.86, -5, 12, 4, 0.01) FROM cdnow_bgnbd_csv, cdnow_gg$$);

-------------------------------------------------------------------------------
-- sBG on Fader & Hardie (2007), both segments, years 1-7
-------------------------------------------------------------------------------
CREATE TABLE survivors (year int, regular int, highend int);
\copy survivors FROM 'test/data/sbg_fader_hardie_2007_survivors.csv' WITH (FORMAT csv, HEADER)
-- one row per customer: lost in year t (survivors(t - 1) - survivors(t) of them),
-- or still active after 7 years; the Regular segment has 369 with t = 1
CREATE TABLE renewals AS
SELECT 'regular' AS segment, c.year AS periods, true AS churned
FROM survivors c JOIN survivors p ON p.year = c.year - 1, generate_series(1, p.regular - c.regular)
WHERE c.year BETWEEN 1 AND 7
UNION ALL
SELECT 'highend', c.year, true
FROM survivors c JOIN survivors p ON p.year = c.year - 1, generate_series(1, p.highend - c.highend)
WHERE c.year BETWEEN 1 AND 7
UNION ALL
SELECT 'regular', 7, false FROM survivors, generate_series(1, regular) WHERE year = 7
UNION ALL
SELECT 'highend', 7, false FROM survivors, generate_series(1, highend) WHERE year = 7;
SELECT segment, count(*) FILTER (WHERE periods = 1 AND churned) AS lost_in_year_1, count(*) AS customers
FROM renewals GROUP BY segment ORDER BY segment;
-- Published (FH 2007, p. 82): High End alpha = 0.668, beta = 3.806; Regular
-- alpha = 0.704, beta = 1.182
CREATE TABLE sbg AS SELECT segment, sbg_fit(periods, churned) AS m FROM renewals GROUP BY segment;
SELECT segment, round(a(m)::numeric, 3) AS a, round(b(m)::numeric, 3) AS b, customers(m), converged(m),
	   a_stderr(m) > 0 AS has_stderrs
FROM sbg ORDER BY segment;
-- the log-likelihood by hand for the Regular segment: sum over years of the
-- lost times ln P(T = t) plus 241 ln S(7), with S(t) = prod (b + i - 1) / (a + b + i - 1)
-- and P(T = t) = S(t - 1) - S(t)
SELECT abs(log_likelihood(m) - (
		   (SELECT sum((p.regular - c.regular) * ln(sbg_survival(m, c.year - 1) - sbg_survival(m, c.year)))
			FROM survivors c JOIN survivors p ON p.year = c.year - 1 WHERE c.year BETWEEN 1 AND 7)
		   + 241 * ln(sbg_survival(m, 7)))) < 1e-9 AS ll_by_hand
FROM sbg WHERE segment = 'regular';
-- retention rate and survival by hand: r(t) = (b + t - 1) / (a + b + t - 1), S(t) = S(t - 1) r(t)
SELECT bool_and(abs(sbg_retention_rate(m, t) - (b(m) + t - 1) / (a(m) + b(m) + t - 1)) < 1e-15) AS retention_by_hand,
	   bool_and(abs(sbg_survival(m, t) - sbg_survival(m, t - 1) * sbg_retention_rate(m, t)) < 1e-14) AS survival_by_hand,
	   min(sbg_survival(m, t - 1)) FILTER (WHERE t = 1) AS s0
FROM sbg, generate_series(1, 12) t;
-- Projection to the holdout years 8-12 (survivors out of 1,000) against the
-- naive constant-churn projection 1000 (1 - c)^t, with c the maximum-likelihood
-- churn rate of the calibration years: customers lost / customer-years at risk
-- (a lost customer was at risk for its t years, an active one for 7)
SELECT segment, round(c::numeric, 4) AS constant_churn,
	   round(avg(abs(1000 * sbg_survival(m, year) - actual))::numeric, 1) AS sbg_error,
	   round(avg(abs(1000 * (1 - c) ^ year - actual))::numeric, 1) AS naive_error
FROM sbg
	 JOIN (SELECT segment, count(*) FILTER (WHERE churned)::float8 / sum(periods) AS c
		   FROM renewals GROUP BY segment) n USING (segment),
	 LATERAL (SELECT year, CASE segment WHEN 'regular' THEN regular ELSE highend END AS actual
			  FROM survivors WHERE year BETWEEN 8 AND 12) h
GROUP BY segment, c ORDER BY segment;
-- Lifetimes at a 10% discount rate.  DEL = 2F1(1, b; a + b; 1 / 1.1) equals the
-- discounted sum of S(t); DERL for a High End customer with 7 renewals is 7.530
-- (as computed by jdmaturen/shifted_beta_geometric_py for these data)
SELECT segment,
	   abs(sbg_expected_lifetime(m, 0.1) - (SELECT sum(sbg_survival(m, t) / 1.1 ^ t) FROM generate_series(0, 2000) t)) < 1e-9 AS del_is_sum,
	   abs(sbg_residual_lifetime(m, 7, 0.1)
		   - (SELECT sum(sbg_survival(m, t) / sbg_survival(m, 7) / 1.1 ^ (t - 8)) FROM generate_series(8, 2000) t)) < 1e-9 AS derl_is_sum,
	   round(sbg_residual_lifetime(m, 7, 0.1)::numeric, 3) AS derl_7
FROM sbg ORDER BY segment;
-- 2F1(1, 1; 2; z) = -ln(1 - z) / z again: DEL for a = b = 1 at d = 0.01
SELECT round(sbg_expected_lifetime('(a=1,b=1,log_likelihood=0,customers=0,iterations=0,converged=false)', 0.01)::numeric, 12) AS del,
	   round((-ln(1 - 1 / 1.01) * 1.01)::numeric, 12) AS exact;
SELECT pg_temp.expect_error($$SELECT sbg_expected_lifetime(m, 0) FROM sbg$$);
SELECT pg_temp.expect_error($$SELECT sbg_survival(m, -1) FROM sbg$$);
SELECT pg_temp.expect_error($$SELECT sbg_retention_rate(m, 0) FROM sbg$$);
SELECT pg_temp.expect_error($$SELECT sbg_residual_lifetime(m, -1, 0.1) FROM sbg$$);

-------------------------------------------------------------------------------
-- Fits that do not converge say so, fit data errors, text forms
-------------------------------------------------------------------------------
-- no customer ever bought again: the likelihood grows towards r -> 0, and
-- there is no maximum (a NOTICE, converged false, no standard errors)
SELECT converged(m), r_stderr(m) IS NULL AS no_stderr
FROM (SELECT bgnbd_fit(0, 0, t) AS m FROM generate_series(1, 50) t) s;
-- everyone lost in period 1
SELECT converged(m), a_stderr(m) IS NULL AS no_stderr
FROM (SELECT sbg_fit(1, true) AS m FROM generate_series(1, 5)) s;
-- customers lost in period 1 or still active after 7, none between: the
-- likelihood grows as a and b go to 0 (two kinds of customer, p = 0 and p = 1)
SELECT converged(m), a(m) < 1e-6 AND b(m) < 1e-6 AS a_b_to_0
FROM (SELECT clv_fit_sbg_final('sbg{(1,1):369,(7,0):241}') AS m OFFSET 0) s;
-- no rows, NULL rows, frequency 0 in a Gamma-Gamma fit: skipped
SELECT bgnbd_fit(x, t_x, t) IS NULL AS empty FROM cdnow_summary WHERE false;
SELECT customers(bgnbd_fit(x, t_x, t)) FROM (SELECT x, t_x, t FROM cdnow_summary UNION ALL SELECT NULL, 1, 2) s;
SELECT gamma_gamma_fit(0, 5) IS NULL AS only_x0_is_null;

SELECT pg_temp.expect_error($$SELECT bgnbd_fit(1.5, 1, 2)$$);
SELECT pg_temp.expect_error($$SELECT bgnbd_fit(-1, 1, 2)$$);
SELECT pg_temp.expect_error($$SELECT bgnbd_fit(1, 3, 2)$$);
SELECT pg_temp.expect_error($$SELECT bgnbd_fit(0, 1, 2)$$);
SELECT pg_temp.expect_error($$SELECT bgnbd_fit(1, 1, 'infinity')$$);
SELECT pg_temp.expect_error($$SELECT bgnbd_fit(1, 'NaN', 2)$$);
SELECT pg_temp.expect_error($$SELECT bgnbd_fit(0, 0, 0)$$);
SELECT pg_temp.expect_error($$SELECT gamma_gamma_fit(2, 0)$$);
SELECT pg_temp.expect_error($$SELECT gamma_gamma_fit(2.5, 10)$$);
SELECT pg_temp.expect_error($$SELECT sbg_fit(0, true)$$);
SELECT pg_temp.expect_error($$SELECT sbg_fit(-1, false)$$);
SELECT pg_temp.expect_error($$SELECT bgnbd_probability_alive(m, 1, 5, 4) FROM cdnow_bgnbd$$);
SELECT pg_temp.expect_error($$SELECT bgnbd_purchase_probability(m, -1, 4) FROM cdnow_bgnbd$$);
SELECT pg_temp.expect_error($$SELECT bgnbd_expected_purchases(m, -1) FROM cdnow_bgnbd$$);

-- fit states: text form, and the kind must match
SELECT 'bgnbd{(0,0,38.86):1000,(2,30.43,38.86):3}'::clv_fit_state,
	   'gamma_gamma{(1,11.77):5}'::clv_fit_state, 'sbg{(1,1):369,(7,0):241}'::clv_fit_state, 'sbg{}'::clv_fit_state;
SELECT round(a(clv_fit_sbg_final('sbg{(1,1):369,(2,1):163,(3,1):86,(4,1):56,(5,1):37,(6,1):27,(7,0):241,(7,1):21}'))::numeric, 3) AS a,
	   clv_fit_sbg_final('sbg{}') IS NULL AS empty_is_null;
SELECT pg_temp.expect_error($$SELECT clv_fit_bgnbd_final('sbg{(1,1):369}')$$);
SELECT pg_temp.expect_error($$SELECT 'pareto{(1,1):3}'::clv_fit_state$$);
SELECT pg_temp.expect_error($$SELECT 'bgnbd{(2,1,3):1,(1,1,3):1}'::clv_fit_state$$);
SELECT pg_temp.expect_error($$SELECT 'bgnbd{(1,1,3):0}'::clv_fit_state$$);
SELECT pg_temp.expect_error($$SELECT 'bgnbd{(1,4,3):1}'::clv_fit_state$$);
SELECT pg_temp.expect_error($$SELECT 'sbg{(1,2):1}'::clv_fit_state$$);
SELECT pg_temp.expect_error($$SELECT 'sbg{(1,1):9223372036854775807,(2,1):1}'::clv_fit_state$$);
SELECT pg_temp.expect_error($$SELECT 'bgnbd{(1,1):3}'::clv_fit_state$$);
-- merging the states of fits of different models (an aggregate over stored states)
CREATE AGGREGATE merge_fit_states(clv_fit_state) (SFUNC = clv_fit_combine, STYPE = clv_fit_state);
SELECT merge_fit_states(s) FROM (VALUES ('bgnbd{(0,0,5):2}'::clv_fit_state), ('bgnbd{(0,0,5):1,(1,2,5):1}')) v(s);
SELECT pg_temp.expect_error($$SELECT merge_fit_states(s) FROM (VALUES ('bgnbd{(0,0,5):2}'::clv_fit_state), ('sbg{(1,1):1}')) v(s)$$);
DROP AGGREGATE merge_fit_states(clv_fit_state);
-- the aggregate support functions refuse to run outside an aggregate
SELECT pg_temp.expect_error($$SELECT clv_fit_combine('sbg{}', 'sbg{}')$$);
SELECT pg_temp.expect_error($$SELECT purchase_history_add(NULL, now(), 1, now(), '1 day')$$);
-- models: text form round trip, and malformed ones
SELECT m::text::bgnbd_model::text = m::text AS round_trip_bgnbd FROM cdnow_bgnbd;
SELECT g::text::gamma_gamma_model::text = g::text AS round_trip_gamma_gamma FROM cdnow_gg;
SELECT m::text::sbg_model::text = m::text AS round_trip_sbg FROM sbg;
SELECT '(p=6.25,q=3.74,gamma=15.44,log_likelihood=-4055.9,customers=946,iterations=0,converged=false)'::gamma_gamma_model;
SELECT '(a=0.704,b=1.182,log_likelihood=-1680.3,customers=1000,iterations=11,converged=true,a_stderr=0.066,b_stderr=0.152)'::sbg_model;
SELECT pg_temp.expect_error($$SELECT '(a=0.704,b=-1,log_likelihood=0,customers=0,iterations=0,converged=true)'::sbg_model$$);
SELECT pg_temp.expect_error($$SELECT '(a=0.704,b=1,log_likelihood=NaN,customers=0,iterations=0,converged=true)'::sbg_model$$);
SELECT pg_temp.expect_error($$SELECT '(a=0.704,b=1,log_likelihood=0,customers=0,iterations=0,converged=maybe)'::sbg_model$$);
SELECT pg_temp.expect_error($$SELECT '(b=1,a=0.704,log_likelihood=0,customers=0,iterations=0,converged=true)'::sbg_model$$);
SELECT pg_temp.expect_error($$SELECT '(r=1,alpha=1,a=1,b=1,log_likelihood=0,customers=0,iterations=0,converged=true)'::sbg_model$$);
SELECT pg_temp.expect_error($$SELECT '(a=1,b=1,log_likelihood=0,customers=0,iterations=0,converged=true,a_stderr=0)'::sbg_model$$);
-- sizes: 96-byte models; 16 + 32 bytes per distinct cell
SELECT pg_column_size(m) AS model_bytes FROM cdnow_bgnbd;
SELECT pg_column_size('bgnbd{(0,0,38.86):1000,(2,30.43,38.86):3}'::clv_fit_state) AS state_bytes;

-- the Gaussian hypergeometric series at z = 1: a discount rate so small
-- that 1 / (1 + d) rounds to 1 gives Gauss's sum when it is finite.  With
-- a = 2, b = 1: DEL = 2F1(1, 1; 3; 1) = Gamma(3) Gamma(1) / (Gamma(2)
-- Gamma(2)) = 2 by hand; with a <= 1 (c - a - b = a - 1 <= 0) the series
-- diverges: 22003
SELECT round(sbg_expected_lifetime('(a=2,b=1,log_likelihood=0,customers=1,iterations=1,converged=true)', 5e-324)::numeric, 9)
	   AS del_at_no_discount;
SELECT pg_temp.expect_error($$SELECT sbg_expected_lifetime('(a=0.704,b=1.182,log_likelihood=-1680.3,customers=1000,iterations=11,converged=true)', 5e-324)$$);
-- P(X(t) = n) for an enormous n is 0 to the last digit that matters, and is
-- computed without summing n terms (it once ran into statement_timeout)
SET statement_timeout = '10s';
SELECT abs(bgnbd_purchase_probability('(r=0.243,alpha=4.414,a=0.793,b=2.426,log_likelihood=-9582.4,customers=2357,iterations=25,converged=true)',
									  2147483647, 0.5)) < 1e-12 AS negligible;
RESET statement_timeout;

DROP TABLE one_customer, cdnow_raw, cdnow_tx, cdnow_summary, cdnow, cdnow_bgnbd, cdnow_bgnbd_csv,
	cdnow_gg, survivors, renewals, sbg;
