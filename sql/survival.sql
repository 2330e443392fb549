-- survival: Kaplan-Meier summaries, curves, accessors, text forms, errors

\i sql/include/expect_error.sql

-- The 6-MP leukaemia remission data of Freireich et al. (1963), Blood 21:699-716:
-- remission lengths in weeks, 21 patients on 6-mercaptopurine ("+" = censored:
-- still in remission) and 21 on placebo (all relapsed).
--   6-MP:    6,6,6,6+,7,9+,10,10+,11+,13,16,17+,19+,20+,22,23,25+,32+,32+,34+,35+
--   placebo: 1,1,2,2,3,4,4,5,5,8,8,8,8,11,11,12,12,15,17,22,23
CREATE TABLE remission (arm text, weeks float8, relapsed boolean);
INSERT INTO remission
SELECT '6-MP', abs(t), t > 0
FROM unnest(ARRAY[6, 6, 6, -6, 7, -9, 10, -10, -11, 13, 16, -17, -19, -20, 22, 23,
				  -25, -32, -32, -34, -35]) t;
INSERT INTO remission
SELECT 'placebo', t, true
FROM unnest(ARRAY[1, 1, 2, 2, 3, 4, 4, 5, 5, 8, 8, 8, 8, 11, 11, 12, 12, 15, 17, 22, 23]) t;

-- the summary: (tenure, churned, censored) per distinct tenure
SELECT arm, survival_agg(weeks, relapsed) FROM remission GROUP BY arm ORDER BY arm;
-- 16 distinct tenures: 16 + 16 * 24 = 400 bytes
SELECT pg_column_size(survival_agg(weeks, relapsed)) AS bytes, customers(survival_agg(weeks, relapsed))
FROM remission WHERE arm = '6-MP';

-- The curve of the 6-MP arm.  Published values (Klein & Moeschberger, Survival
-- Analysis, 2nd ed. 2003, Table 4.1A; the survival column also in Kleinbaum &
-- Klein, Survival Analysis, 3rd ed. 2012, ch. 2):
--   t    n   d  S(t)    Greenwood SE
--   6   21   3  0.857   0.0764
--   7   17   1  0.807   0.0869
--  10   15   1  0.753   0.0963
--  13   12   1  0.690   0.1068
--  16   11   1  0.628   0.1141
--  22    7   1  0.538   0.1282
--  23    6   1  0.448   0.1346
-- By hand: S(6) = 18/21 = 0.857143, SE = S * sqrt(3/(21*18)) = 0.857143 * 0.089087 = 0.076360;
-- S(7) = 18/21 * 16/17 = 0.806723, SE = S * sqrt(3/378 + 1/272) = 0.806723 * 0.107765 = 0.086935;
-- S(23) = 0.448179, sum d/(n(n-d)) = 3/378 + 1/272 + 1/210 + 1/132 + 1/110 + 1/42 + 1/30
--       = 0.090185, SE = 0.448179 * 0.300308 = 0.134591.
-- 95% log(-log) bounds, S^exp(+-1.959964 * sqrt(sum) / |log S|):
-- t=6: sigma = 0.089087 / 0.154151 = 0.577922, exp(1.959964 * sigma) = 3.104046,
--      lower = 0.857143^3.104046 = 0.619718, upper = 0.857143^(1/3.104046) = 0.951552
-- (the same bounds, 0.620 and 0.952 ... 0.188 and 0.680 at t=23, as R's
-- survfit(conf.type = "log-log") prints for these data).
SELECT c.tenure, c.at_risk, c.churned, c.censored,
	   round(c.survival::numeric, 6) AS survival, round(c.std_error::numeric, 6) AS std_error,
	   round(c.lower::numeric, 6) AS lower, round(c.upper::numeric, 6) AS upper
FROM (SELECT survival_agg(weeks, relapsed) AS s FROM remission WHERE arm = '6-MP') x,
	 survival_curve(x.s) c;
-- to the published precision
SELECT c.tenure, round(c.survival::numeric, 3) AS survival, round(c.std_error::numeric, 4) AS std_error
FROM (SELECT survival_agg(weeks, relapsed) AS s FROM remission WHERE arm = '6-MP') x,
	 survival_curve(x.s) c
WHERE c.churned > 0;
-- a 90% interval is narrower: z = 1.644854; at t=6 exp(1.644854 * 0.577922) = 2.587254,
-- lower = 0.857143^2.587254 = 0.671107, upper = 0.857143^(1/2.587254) = 0.942159
SELECT round(c.lower::numeric, 6) AS lower, round(c.upper::numeric, 6) AS upper
FROM (SELECT survival_agg(weeks, relapsed) AS s FROM remission WHERE arm = '6-MP') x,
	 survival_curve(x.s, 0.90) c
WHERE c.tenure = 6;

-- The placebo arm: no censoring, so S(t) = (customers beyond t) / 21 and the
-- curve reaches 0 at 23 weeks, where Greenwood's formula is undefined (NULL).
-- S(1) = 19/21 = 0.904762 ... S(8) = 8/21 = 0.380952 ... S(22) = 1/21 = 0.047619
-- SE(1) = sqrt(S (1 - S) / 21) = sqrt(0.904762 * 0.095238 / 21) = 0.064056
SELECT c.tenure, c.at_risk, c.churned, round(c.survival::numeric, 6) AS survival,
	   round(c.std_error::numeric, 6) AS std_error,
	   round(c.lower::numeric, 6) AS lower, round(c.upper::numeric, 6) AS upper
FROM (SELECT survival_agg(weeks, relapsed) AS s FROM remission WHERE arm = 'placebo') x,
	 survival_curve(x.s) c;

-- medians: the published median remission is 23 weeks on 6-MP (S(22) = 0.538,
-- S(23) = 0.448) and 8 weeks on placebo (S(5) = 12/21 = 0.571, S(8) = 8/21 = 0.381)
SELECT arm, median_lifetime(survival_agg(weeks, relapsed)) FROM remission GROUP BY arm ORDER BY arm;
-- never reaching 0.5: NULL.  6-MP from 10 weeks on (15 patients):
-- S(10) = 14/15, S(13) = 14/15 * 11/12, S(16) = ... * 10/11, S(22) = ... * 6/7,
-- S(23) = ... * 5/6 = 0.555556, then only censoring
SELECT median_lifetime(survival_agg(weeks, relapsed)) AS no_median,
	   round(survival_at(survival_agg(weeks, relapsed), 35)::numeric, 6) AS last_survival
FROM remission WHERE arm = '6-MP' AND weeks >= 10;
-- exactly 0.5: 4 customers, churn at 1 and 2 -> S(2) = 3/4 * 2/3 = 0.5, median 2
SELECT median_lifetime(survival_agg(t, true)) AS median_two FROM unnest(ARRAY[1, 2, 3, 4]) t;

-- survival_at: a right-continuous step function; 1 before the first churn
-- S(5.9) = 1, S(6) = 0.857143, S(6.5) = 0.857143, S(22.99) = 0.537815, S(23) = 0.448179,
-- S(100) = 0.448179 (held at its last value beyond the last tenure)
SELECT t, round(survival_at(s, t)::numeric, 6) AS survival
FROM (SELECT survival_agg(weeks, relapsed) AS s FROM remission WHERE arm = '6-MP') x,
	 unnest(ARRAY[0, 5.9, 6, 6.5, 22.99, 23, 100]::float8[]) t;

-- restricted mean: area under S from 0 to the horizon.  6-MP, horizon 10:
-- 6 * 1 + 1 * 18/21 + 3 * 0.806723 = 6 + 0.857143 + 2.420168 = 9.277311
-- horizon 35: + 3 * 0.752941 (10-13) + 3 * 0.690196 (13-16) + 6 * 0.627451 (16-22)
--   + 1 * 0.537815 (22-23) + 12 * 0.448179 (23-35) = 23.287395
-- placebo, horizon 23 (the curve reaches 0 there): the mean remission, 8.666667 (= 182/21)
SELECT round(restricted_mean_lifetime(s, 10)::numeric, 6) AS rmst_10,
	   round(restricted_mean_lifetime(s, 35)::numeric, 6) AS rmst_35,
	   restricted_mean_lifetime(s, 0) AS rmst_0
FROM (SELECT survival_agg(weeks, relapsed) AS s FROM remission WHERE arm = '6-MP') x;
SELECT round(restricted_mean_lifetime(survival_agg(weeks, relapsed), 23)::numeric, 6) AS placebo_mean,
	   round(restricted_mean_lifetime(survival_agg(weeks, relapsed), 100)::numeric, 6) AS placebo_100,
	   round(182 / 21.0, 6) AS by_hand
FROM remission WHERE arm = 'placebo';

-- ties: churn and censoring at the same tenure; the censored are at risk there
-- 3 customers: (5, churned), (5, censored), (7, churned): S(5) = 2/3, S(7) = 0
-- SE(5) = 2/3 * sqrt(1/(3*2)) = 0.272166; at 7 everyone left churns: S = 0, SE undefined
SELECT c.tenure, c.at_risk, c.churned, c.censored, round(c.survival::numeric, 6) AS survival,
	   round(c.std_error::numeric, 6) AS std_error, round(c.lower::numeric, 6) AS lower,
	   round(c.upper::numeric, 6) AS upper
FROM (SELECT survival_agg(t, churned) AS s
	  FROM (VALUES (5, true), (5, false), (7, true)) v(t, churned)) x,
	 survival_curve(x.s) c;
-- only censored customers: S = 1 throughout, std_error 0, bounds 1
SELECT c.* FROM (SELECT survival_agg(t, false) AS s FROM (VALUES (1.5), (2.5)) v(t)) x,
	 survival_curve(x.s) c;
-- tenure 0 is allowed (churned on the first day); -0 is 0
SELECT survival_agg(t, c) FROM (VALUES (0::float8, true), ('-0'::float8, false), (0.25, true)) v(t, c);

-- NULLs: rows with a NULL tenure or a NULL churned flag are skipped
SELECT survival_agg(t, c)
FROM (VALUES (1, true), (NULL, true), (2, NULL), (NULL, NULL), (2, false)) v(t, c);
-- no rows, or only skipped rows: NULL (and the accessors of NULL are NULL)
SELECT survival_agg(weeks, relapsed) IS NULL AS empty_is_null FROM remission WHERE false;
SELECT survival_agg(t, c) IS NULL AS all_null_is_null
FROM (VALUES (NULL::float8, true), (1, NULL)) v(t, c);
SELECT median_lifetime(survival_agg(weeks, relapsed)) IS NULL AS median_of_nothing,
	   customers(survival_agg(weeks, relapsed)) IS NULL AS customers_of_nothing
FROM remission WHERE false;
SELECT count(*) AS no_curve_rows FROM survival_curve(NULL);

-- integer and numeric tenures are cast to double precision
SELECT survival_agg(t, true) FROM (VALUES (1::int), (2::int)) v(t);
SELECT survival_agg(t::float8, true) FROM (VALUES (1.5::numeric)) v(t);

-- rollup of per-arm summaries equals the summary of all rows
SELECT (SELECT rollup(s) FROM (SELECT survival_agg(weeks, relapsed) s FROM remission GROUP BY arm) g)::text
	 = (SELECT survival_agg(weeks, relapsed) FROM remission)::text AS rollup_equals_direct;
-- the pooled 42 patients, median 12 weeks (S(11) = 0.511581, S(12) = 0.454739):
SELECT median_lifetime(rollup(s)) AS pooled_median
FROM (SELECT survival_agg(weeks, relapsed) s FROM remission GROUP BY arm) g;
-- rollup skips NULL summaries and of none gives NULL
SELECT rollup(s)::text FROM (VALUES (NULL::survival_summary), ('{(1,1,0)}'), (NULL), ('{(1,0,2),(3,1,0)}')) v(s);
SELECT rollup(s) IS NULL AS rollup_of_nulls FROM (VALUES (NULL::survival_summary)) v(s);

-- moving aggregates (inverse transition): each row with the one before it
SELECT t, c, survival_agg(t, c) OVER w AS moving, rollup(survival_agg(t, c)) OVER w IS NOT NULL AS r
FROM (VALUES (1, 6, true), (2, 6, false), (3, 7, true), (4, NULL, true), (5, NULL, NULL), (6, 2, true)) v(i, t, c)
GROUP BY i, t, c
WINDOW w AS (ORDER BY i ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
ORDER BY i;
SELECT i, rollup(s) OVER (ORDER BY i ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
FROM (VALUES (1, '{(1,1,0)}'::survival_summary), (2, '{(1,0,1),(2,1,0)}'), (3, NULL), (4, NULL), (5, '{(3,0,1)}')) v(i, s)
ORDER BY i;
-- the moving result equals a recomputation of each frame
SELECT bool_and(m::text = (SELECT survival_agg(r2.t, r2.c)::text FROM generate_series(1, 300) j,
		LATERAL (SELECT (j * 37) % 23 AS t, j % 3 = 0 AS c) r2 WHERE j BETWEEN i - 9 AND i)) AS moving_equals_recomputed
FROM (SELECT i, survival_agg(t, c) OVER (ORDER BY i ROWS BETWEEN 9 PRECEDING AND CURRENT ROW) AS m
	  FROM generate_series(1, 300) i, LATERAL (SELECT (i * 37) % 23 AS t, i % 3 = 0 AS c) r) x;
-- the same with frames of 61 rows over 97 distinct tenures: a hashed state
-- that loses cells as the frame moves
SELECT bool_and(m::text = (SELECT survival_agg(r2.t, r2.c)::text FROM generate_series(1, 600) j,
		LATERAL (SELECT ((j * 53) % 97 / 2.0)::float8 AS t, j % 4 = 0 AS c) r2 WHERE j BETWEEN i - 60 AND i)) AS large_moving_equals_recomputed
FROM (SELECT i, survival_agg(t, c) OVER (ORDER BY i ROWS BETWEEN 60 PRECEDING AND CURRENT ROW) AS m
	  FROM generate_series(1, 600) i, LATERAL (SELECT ((i * 53) % 97 / 2.0)::float8 AS t, i % 4 = 0 AS c) r) x;

-- text form: shortest exact doubles, white space allowed, round trip exact
SELECT '{(1e-300,1,0),(0.1,2,3),(12345.678901234567,0,1),(1e300,7,0)}'::survival_summary;
SELECT ' { ( 6 , 3 , 1 ) ,(7,1,0)	} '::survival_summary;
SELECT '{}'::survival_summary AS empty, '{(-0,1,0)}'::survival_summary AS minus_zero;
-- the empty summary has no curve and NULL accessors
SELECT count(*) AS rows, median_lifetime('{}'), survival_at('{}', 1), restricted_mean_lifetime('{}', 1),
	   customers('{}'::survival_summary)
FROM survival_curve('{}');
-- 2000 awkward doubles: text and back gives the same bits
WITH t AS (SELECT survival_agg(((i * 7919) % 1000) / 7.0 + i * 1e-9, i % 2 = 0) AS s
		   FROM generate_series(1, 2000) i)
SELECT s::text::survival_summary::text = s::text AS text_round_trip,
	   (SELECT array_agg(tenure) FROM survival_curve(s)) = (SELECT array_agg(tenure) FROM survival_curve(s::text::survival_summary)) AS same_tenures,
	   (SELECT count(*) FROM survival_curve(s)) AS entries
FROM t;
-- binary form: version 1, int32 count, then (float8, int64, int64) per tenure
SELECT survival_summary_send('{(6,3,1),(7.5,1,0)}');

-- bad text: 22P02 for syntax, 22003 for values out of range
SELECT pg_temp.expect_error($$SELECT ''::survival_summary$$);
SELECT pg_temp.expect_error($$SELECT '{'::survival_summary$$);
SELECT pg_temp.expect_error($$SELECT '{(1,1,0)'::survival_summary$$);
SELECT pg_temp.expect_error($$SELECT '{(1,1)}'::survival_summary$$);
SELECT pg_temp.expect_error($$SELECT '{(1,1,0,0)}'::survival_summary$$);
SELECT pg_temp.expect_error($$SELECT '{(1,1,0)} x'::survival_summary$$);
SELECT pg_temp.expect_error($$SELECT '{(1,1,0),}'::survival_summary$$);
SELECT pg_temp.expect_error($$SELECT '{(abc,1,0)}'::survival_summary$$);
SELECT pg_temp.expect_error($$SELECT '{(1,-1,0)}'::survival_summary$$);
SELECT pg_temp.expect_error($$SELECT '{(1,1.5,0)}'::survival_summary$$);
SELECT pg_temp.expect_error($$SELECT '{(1,0,0)}'::survival_summary$$);
SELECT pg_temp.expect_error($$SELECT '{(2,1,0),(1,1,0)}'::survival_summary$$);
SELECT pg_temp.expect_error($$SELECT '{(1,1,0),(1,1,0)}'::survival_summary$$);
SELECT pg_temp.expect_error($$SELECT '{(-1,1,0)}'::survival_summary$$);
SELECT pg_temp.expect_error($$SELECT '{(NaN,1,0)}'::survival_summary$$);
SELECT pg_temp.expect_error($$SELECT '{(Infinity,1,0)}'::survival_summary$$);
SELECT pg_temp.expect_error($$SELECT '{(1e999,1,0)}'::survival_summary$$);
SELECT pg_temp.expect_error($$SELECT '{(1,99999999999999999999,0)}'::survival_summary$$);
-- the one I/O policy (src/csm_io.c): the censored count too (22003); 2^63 - 1 itself is
-- a count; a signed count is 22P02
SELECT pg_temp.expect_error($$SELECT '{(1,0,9223372036854775808)}'::survival_summary$$);
SELECT '{( 1 , 0 , 9223372036854775807 )}'::survival_summary;
SELECT pg_temp.expect_error($$SELECT '{(1,+1,0)}'::survival_summary$$);
SELECT pg_temp.expect_error($$SELECT '{(1,9223372036854775807,0),(2,1,0)}'::survival_summary$$);

-- bad aggregate input: 22003
SELECT pg_temp.expect_error($$SELECT survival_agg(-1, true)$$);
SELECT pg_temp.expect_error($$SELECT survival_agg('NaN', true)$$);
SELECT pg_temp.expect_error($$SELECT survival_agg('Infinity', false)$$);
SELECT pg_temp.expect_error($$SELECT survival_agg('-Infinity', false)$$);
-- bad accessor arguments: 22003 for tenures and horizons, 22023 for the confidence
SELECT pg_temp.expect_error($$SELECT survival_at('{(1,1,1)}', -0.5)$$);
SELECT pg_temp.expect_error($$SELECT survival_at('{(1,1,1)}', 'NaN')$$);
SELECT pg_temp.expect_error($$SELECT restricted_mean_lifetime('{(1,1,1)}', -1)$$);
SELECT pg_temp.expect_error($$SELECT restricted_mean_lifetime('{(1,1,1)}', 'Infinity')$$);
SELECT pg_temp.expect_error($$SELECT * FROM survival_curve('{(1,1,1)}', 0)$$);
SELECT pg_temp.expect_error($$SELECT * FROM survival_curve('{(1,1,1)}', 1)$$);
SELECT pg_temp.expect_error($$SELECT * FROM survival_curve('{(1,1,1)}', 1.5)$$);
SELECT pg_temp.expect_error($$SELECT * FROM survival_curve('{(1,1,1)}', 'NaN')$$);
SELECT pg_temp.expect_error($$SELECT * FROM survival_curve('{}', -0.5)$$);
-- the support functions refuse to run outside an aggregate
SELECT pg_temp.expect_error($$SELECT survival_summary_add(NULL, 1, true)$$);
SELECT pg_temp.expect_error($$SELECT survival_summary_combine('{(1,1,0)}', '{(1,1,0)}')$$);
-- a user-defined aggregate whose initial state is a flat summary
CREATE AGGREGATE pg_temp.survival_from(float8, boolean) (
	SFUNC = survival_summary_add, STYPE = survival_summary, INITCOND = '{(100,0,5)}');
SELECT pg_temp.survival_from(t, true) FROM (VALUES (1), (100)) v(t);

-- summaries stored in a table, a large one compressed or out of line
CREATE TABLE stored (id int, s survival_summary);
INSERT INTO stored SELECT 1, survival_agg(weeks, relapsed) FROM remission;
INSERT INTO stored SELECT 2, survival_agg(i / 10.0, i % 5 = 0) FROM generate_series(1, 20000) i;
SELECT id, customers(s), (SELECT count(*) FROM survival_curve(s)) AS entries,
	   pg_column_size(s) < 16 + 24 * (SELECT count(*) FROM survival_curve(s)) AS compressed
FROM stored ORDER BY id;
SELECT (SELECT s FROM stored WHERE id = 2)::text =
	   (SELECT survival_agg(i / 10.0, i % 5 = 0) FROM generate_series(1, 20000) i)::text AS stored_equals_computed;
DROP TABLE stored;
DROP TABLE remission;
