-- survival_test: the log-rank test (survival_difference_test), two groups and k groups

\i sql/include/expect_error.sql

-- A hand-worked example.  Group a: one customer churned at 1, one censored at 2;
-- group b: one censored at 1, one churned at 3.
--   t=1: n_a = 2, n_b = 2, N = 4, d_a = 1, D = 1: E_a = 2 * 1 / 4 = 0.5,
--        V_aa = D (N - D) / (N - 1) * (n_a / N) (1 - n_a / N) = 1 * 3 / 3 * 0.25 = 0.25
--   t=2: censoring only (no churn: nothing added)
--   t=3: n_a = 0, n_b = 1, N = 1, D = 1: E_a += 0, and N = 1 adds nothing to V
--   O_a - E_a = 1 - 0.5 = 0.5, chi_square = 0.5^2 / 0.25 = 1 on 1 degree of freedom,
--   p = P(chi2(1) >= 1) = erfc(sqrt(1/2)) = 0.317310507862914 (R: pchisq(1, 1, lower.tail = FALSE))
SELECT * FROM survival_difference_test('{(1,1,0),(2,0,1)}', '{(1,0,1),(3,1,0)}');
-- symmetric in its arguments
SELECT * FROM survival_difference_test('{(1,0,1),(3,1,0)}', '{(1,1,0),(2,0,1)}');
-- the same curves: chi_square 0, p = 1
SELECT * FROM survival_difference_test('{(1,1,0),(2,0,1)}', '{(1,1,0),(2,0,1)}');

-- The 6-MP leukaemia trial of Freireich et al. (1963), Blood 21:699-716, as in
-- Klein & Moeschberger, Survival Analysis (2nd ed. 2003), section 1.2 and
-- example 7.2: remission in weeks, "-" censored.  The published log-rank
-- chi-square is 16.79 on 1 degree of freedom (p = 4.17e-5).  R 4.2.2 with
-- survival 3.5-3 (Debian's r-cran-survival), survdiff(Surv(time, status) ~ grp),
-- printed with sprintf("%.17g"): chi_square = 16.79294098921654,
-- p = pchisq(chi, 1, lower.tail = FALSE) = 4.1688091093345308e-05.
CREATE TABLE remission (arm text, weeks float8, relapsed boolean);
INSERT INTO remission
SELECT '6-MP', abs(t), t > 0
FROM unnest(ARRAY[6, 6, 6, -6, 7, -9, 10, -10, -11, 13, 16, -17, -19, -20, 22, 23,
				  -25, -32, -32, -34, -35]) t;
INSERT INTO remission
SELECT 'placebo', t, true
FROM unnest(ARRAY[1, 1, 2, 2, 3, 4, 4, 5, 5, 8, 8, 8, 8, 11, 11, 12, 12, 15, 17, 22, 23]) t;
CREATE TABLE arms AS SELECT arm, survival_agg(weeks, relapsed) AS s FROM remission GROUP BY arm;

SELECT round(t.chi_square::numeric, 2) AS published_chi_square, t.degrees_of_freedom,
	   round(t.chi_square::numeric, 9) AS chi_square,
	   abs(t.chi_square - 16.79294098921654) / 16.79294098921654 < 1e-9 AS chi_square_as_r,
	   abs(t.p_value - 4.1688091093345308e-05) / 4.1688091093345308e-05 < 1e-9 AS p_value_as_r
FROM survival_difference_test((SELECT s FROM arms WHERE arm = '6-MP'),
							  (SELECT s FROM arms WHERE arm = 'placebo')) t;
-- the aggregate gives the same over the two labelled summaries
SELECT abs((t).chi_square - 16.79294098921654) / 16.79294098921654 < 1e-9 AS chi_square_as_r,
	   (t).degrees_of_freedom,
	   abs((t).p_value - 4.1688091093345308e-05) / 4.1688091093345308e-05 < 1e-9 AS p_value_as_r
FROM (SELECT survival_difference_test_groups(arm, s) AS t FROM arms) x;
-- and over one summary per patient, the labels repeating (rows in any order)
SELECT abs((t).chi_square - 16.79294098921654) < 1e-9 * 16.79294098921654 AS per_patient_as_r
FROM (SELECT survival_difference_test_groups(arm, s ORDER BY weeks DESC) AS t
	  FROM (SELECT arm, weeks, survival_agg(weeks, relapsed) AS s FROM remission
			GROUP BY arm, weeks, relapsed) p) x;

-- The lung cancer data of Loprinzi et al. (1994), J Clin Oncol 12:601-607, shipped
-- with R's survival package as "lung" (228 patients; time in days, status TRUE =
-- died; sex; ECOG performance score 0-3; institution; NULL = NA).  Rows written
-- by R from the package's own data.  Expected values from the same R run,
-- survdiff(Surv(time, status) ~ g, data = lung), df = sum(exp > 0) - 1,
-- p = pchisq(chisq, df, lower.tail = FALSE):
-- sex: chi_square = 10.326741954885632, df = 1, p = 0.0013111645203554882
-- ph.ecog: chi_square = 21.962131682476006, df = 3, p = 6.6425353558001711e-05
-- inst: chi_square = 16.582263547223814, df = 17, p = 0.48299669417547447
-- sex x ph.ecog: chi_square = 32.91697819060672, df = 6, p = 1.0878646021549789e-05
CREATE TABLE lung (days float8, died boolean, sex int, ph_ecog int, inst int);
INSERT INTO lung VALUES
(306,TRUE,1,1,3), (455,TRUE,1,0,3), (1010,FALSE,1,0,3), (210,TRUE,1,1,5), (883,TRUE,1,0,1), (1022,FALSE,1,1,12), (310,TRUE,2,2,7), (361,TRUE,2,2,11),
(218,TRUE,1,1,1), (166,TRUE,1,2,7), (170,TRUE,1,1,6), (654,TRUE,2,2,16), (728,TRUE,2,1,11), (71,TRUE,1,NULL,21), (567,TRUE,1,1,12), (144,TRUE,1,1,1),
(613,TRUE,1,1,22), (707,TRUE,1,2,16), (61,TRUE,2,2,1), (88,TRUE,1,1,21), (301,TRUE,1,1,11), (81,TRUE,2,0,6), (624,TRUE,1,1,11), (371,TRUE,1,0,15),
(394,TRUE,1,0,12), (520,TRUE,2,1,12), (574,TRUE,1,0,4), (118,TRUE,1,3,13), (390,TRUE,1,1,13), (12,TRUE,1,2,1), (473,TRUE,2,1,12), (26,TRUE,1,2,1),
(533,TRUE,1,2,7), (107,TRUE,2,2,16), (53,TRUE,1,2,12), (122,TRUE,2,2,1), (814,TRUE,1,2,22), (965,FALSE,2,1,15), (93,TRUE,1,2,1), (731,TRUE,2,1,1),
(460,TRUE,1,1,5), (153,TRUE,2,2,11), (433,TRUE,2,0,10), (145,TRUE,2,2,12), (583,TRUE,1,1,7), (95,TRUE,2,2,7), (303,TRUE,1,0,1), (519,TRUE,1,1,3),
(643,TRUE,1,0,13), (765,TRUE,2,1,22), (735,TRUE,2,1,3), (189,TRUE,1,0,12), (53,TRUE,1,0,21), (246,TRUE,1,0,1), (689,TRUE,1,1,6), (65,TRUE,1,0,1),
(5,TRUE,2,0,5), (132,TRUE,1,2,22), (687,TRUE,2,1,3), (345,TRUE,2,1,1), (444,TRUE,2,2,22), (223,TRUE,1,1,12), (175,TRUE,1,1,21), (60,TRUE,2,1,11),
(163,TRUE,1,1,3), (65,TRUE,1,2,3), (208,TRUE,2,2,16), (821,FALSE,2,0,5), (428,TRUE,1,0,22), (230,TRUE,1,1,6), (840,FALSE,1,0,13), (305,TRUE,2,1,3),
(11,TRUE,1,2,5), (132,TRUE,1,1,2), (226,TRUE,2,1,21), (426,TRUE,2,1,12), (705,TRUE,2,0,1), (363,TRUE,2,1,6), (11,TRUE,1,0,3), (176,TRUE,1,0,1),
(791,TRUE,1,0,4), (95,TRUE,1,1,13), (196,FALSE,1,1,11), (167,TRUE,2,1,21), (806,FALSE,1,1,16), (284,TRUE,1,1,6), (641,TRUE,2,1,22), (147,TRUE,1,0,21),
(740,FALSE,2,1,13), (163,TRUE,1,2,1), (655,TRUE,1,0,11), (239,TRUE,1,1,22), (88,TRUE,1,1,5), (245,TRUE,2,1,10), (588,FALSE,2,0,1), (30,TRUE,1,2,12),
(179,TRUE,1,1,3), (310,TRUE,1,1,12), (477,TRUE,1,1,11), (166,TRUE,2,0,3), (559,FALSE,2,0,1), (450,TRUE,2,1,6), (364,TRUE,1,1,13), (107,TRUE,1,1,6),
(177,TRUE,1,2,13), (156,TRUE,1,1,12), (529,FALSE,2,1,26), (11,TRUE,1,1,1), (429,TRUE,1,1,21), (351,TRUE,2,2,3), (15,TRUE,1,0,13), (181,TRUE,1,1,1),
(283,TRUE,1,1,10), (201,TRUE,2,0,3), (524,TRUE,2,1,6), (13,TRUE,1,2,1), (212,TRUE,1,2,3), (524,TRUE,1,2,1), (288,TRUE,1,2,16), (363,TRUE,1,1,15),
(442,TRUE,1,0,22), (199,TRUE,2,2,26), (550,TRUE,2,1,3), (54,TRUE,1,2,11), (558,TRUE,1,0,1), (207,TRUE,1,1,22), (92,TRUE,1,1,7), (60,TRUE,1,1,12),
(551,FALSE,2,2,16), (543,FALSE,2,0,12), (293,TRUE,2,1,4), (202,TRUE,1,1,16), (353,TRUE,1,0,6), (511,FALSE,2,1,13), (267,TRUE,1,0,1), (511,FALSE,2,2,22),
(371,TRUE,2,1,12), (387,TRUE,1,2,13), (457,TRUE,1,1,1), (337,TRUE,1,0,5), (201,TRUE,2,2,21), (404,FALSE,1,1,3), (222,TRUE,1,2,26), (62,TRUE,2,1,1),
(458,FALSE,1,1,11), (356,FALSE,2,1,26), (353,TRUE,1,0,16), (163,TRUE,1,1,16), (31,TRUE,1,0,12), (340,TRUE,2,0,13), (229,TRUE,1,1,13), (444,FALSE,1,0,22),
(315,FALSE,2,0,5), (182,TRUE,2,1,16), (156,TRUE,1,2,32), (329,TRUE,1,2,NULL), (364,FALSE,2,1,26), (291,TRUE,1,2,4), (179,TRUE,1,1,12), (376,FALSE,2,1,1),
(384,FALSE,2,0,32), (268,TRUE,2,1,10), (292,FALSE,1,2,11), (142,TRUE,1,1,6), (413,FALSE,1,1,7), (266,FALSE,2,0,16), (194,TRUE,2,1,11), (320,TRUE,1,0,21),
(181,TRUE,1,1,6), (285,TRUE,1,0,12), (301,FALSE,1,1,13), (348,TRUE,2,0,2), (197,TRUE,1,1,2), (382,FALSE,2,0,16), (303,FALSE,1,1,1), (296,FALSE,2,1,13),
(180,TRUE,1,2,1), (186,TRUE,2,1,13), (145,TRUE,2,1,1), (269,FALSE,2,0,7), (300,FALSE,1,0,13), (284,FALSE,1,0,1), (350,TRUE,2,0,16), (272,FALSE,2,1,32),
(292,FALSE,2,0,12), (332,FALSE,2,0,12), (285,TRUE,2,2,2), (259,FALSE,1,0,3), (110,TRUE,1,1,15), (286,TRUE,1,0,22), (270,TRUE,1,1,16), (81,TRUE,1,2,16),
(131,TRUE,1,1,12), (225,FALSE,1,1,1), (269,TRUE,1,1,22), (225,FALSE,1,0,12), (243,FALSE,2,1,32), (279,FALSE,1,1,21), (276,FALSE,2,0,1), (135,TRUE,1,1,32),
(79,TRUE,2,1,15), (59,TRUE,1,1,22), (240,FALSE,2,0,32), (202,FALSE,2,0,3), (235,FALSE,2,0,26), (105,TRUE,1,2,33), (224,FALSE,2,0,5), (239,TRUE,2,2,13),
(237,FALSE,1,1,21), (173,FALSE,2,1,33), (252,FALSE,2,0,1), (221,FALSE,1,1,6), (185,FALSE,1,1,15), (92,FALSE,2,2,11), (13,TRUE,1,1,11), (222,FALSE,1,1,11),
(192,FALSE,2,1,13), (183,TRUE,1,2,21), (211,FALSE,2,2,11), (175,FALSE,2,0,2), (197,FALSE,1,1,22), (203,FALSE,2,1,11), (116,TRUE,1,1,1), (188,FALSE,1,1,1),
(191,FALSE,1,0,13), (105,FALSE,2,2,32), (174,FALSE,1,1,6), (177,FALSE,2,1,22);
CREATE TABLE lung_expected (grouping text, chi_square float8, df int, p_value float8);
INSERT INTO lung_expected VALUES
	('sex', 10.326741954885632, 1, 0.0013111645203554882),
	('ph_ecog', 21.962131682476006, 3, 6.6425353558001711e-05),
	('inst', 16.582263547223814, 17, 0.48299669417547447),
	('sex x ph_ecog', 32.91697819060672, 6, 1.0878646021549789e-05);
-- the k-group aggregate; NULL labels are skipped as R drops NA rows
WITH tests AS (
	SELECT 'sex' AS grouping, survival_difference_test_groups(sex::text, s) AS t
	FROM (SELECT sex, survival_agg(days, died) AS s FROM lung GROUP BY sex) g
	UNION ALL
	SELECT 'ph_ecog', survival_difference_test_groups(ph_ecog::text, s)
	FROM (SELECT ph_ecog, survival_agg(days, died) AS s FROM lung GROUP BY ph_ecog) g
	UNION ALL
	SELECT 'inst', survival_difference_test_groups(inst::text, s)
	FROM (SELECT inst, survival_agg(days, died) AS s FROM lung GROUP BY inst) g
	UNION ALL
	SELECT 'sex x ph_ecog', survival_difference_test_groups(sex || '.' || ph_ecog, s)
	FROM (SELECT sex, ph_ecog, survival_agg(days, died) AS s FROM lung GROUP BY sex, ph_ecog) g
)
SELECT e.grouping, round((t.t).chi_square::numeric, 9) AS chi_square, (t.t).degrees_of_freedom,
	   abs((t.t).chi_square - e.chi_square) / e.chi_square < 1e-9 AS chi_square_as_r,
	   (t.t).degrees_of_freedom = e.df AS df_as_r,
	   abs((t.t).p_value - e.p_value) / e.p_value < 1e-9 AS p_value_as_r
FROM tests t JOIN lung_expected e USING (grouping) ORDER BY e.df;
-- two groups: the function and the aggregate agree
SELECT abs(t.chi_square - 10.326741954885632) / 10.326741954885632 < 1e-9 AS function_as_r
FROM survival_difference_test((SELECT survival_agg(days, died) FROM lung WHERE sex = 1),
							  (SELECT survival_agg(days, died) FROM lung WHERE sex = 2)) t;

-- No test possible: every column NULL.
-- an empty group (no one at risk when anyone churned: expected churn 0)
SELECT * FROM survival_difference_test('{(1,1,0),(2,0,1)}', '{}');
-- a group whose customers all left before the first churn takes no part either
SELECT * FROM survival_difference_test('{(5,1,0)}', '{(1,0,3)}');
-- no churn at all
SELECT * FROM survival_difference_test('{(1,0,1)}', '{(2,0,1)}');
-- a zero variance: both customers churn at the only tenure, nobody else at risk
SELECT * FROM survival_difference_test('{(1,1,0)}', '{(1,1,0)}');
-- one group only in the aggregate
SELECT (survival_difference_test_groups('only', s)).* FROM arms WHERE arm = '6-MP';
-- the aggregate over no rows, or over NULL labels and summaries only, is NULL
SELECT survival_difference_test_groups(arm, s) IS NULL AS no_rows FROM arms WHERE false;
SELECT survival_difference_test_groups(l, s) IS NULL AS all_null
FROM (VALUES (NULL::text, '{(1,1,0)}'::survival_summary), ('a', NULL)) v(l, s);
-- an empty summary counts as a group with nobody in it
SELECT (survival_difference_test_groups(l, s::survival_summary)).*
FROM (VALUES ('a', '{(1,1,0),(2,0,1)}'), ('b', '{(1,0,1),(3,1,0)}'), ('c', '{}')) v(l, s);

-- Three groups by hand.  a = {(1,1,0),(3,0,1)}, b = {(2,1,0),(3,0,1)}, c = {(3,1,1)}:
--   t=1: n = (2,2,2), N = 6, D = 1, d_a = 1: E += (1/3, 1/3, 1/3),
--        w = 1 * 5 / 5 = 1, V_jj += (1/3)(2/3) = 2/9, V_jk -= 1/9
--   t=2: n = (1,2,2), N = 5, D = 1, d_b = 1: E += (1/5, 2/5, 2/5),
--        w = 1 * 4 / 4 = 1, V_aa += (1/5)(4/5) = 4/25, V_bb += (2/5)(3/5) = 6/25,
--        V_cc += 6/25, V_ab -= 2/25, V_ac -= 2/25, V_bc -= 4/25
--   t=3: n = (1,1,2), N = 4, D = 1, d_c = 1: E += (1/4, 1/4, 1/2),
--        w = 1 * 3 / 3 = 1, V_aa += 3/16, V_bb += 3/16, V_cc += (1/2)(1/2) = 1/4,
--        V_ab -= 1/16, V_ac -= 1/8, V_bc -= 1/8
--   O = (1, 1, 1), E = (47/60, 59/60, 74/60); dropping a:
--   r = (O - E) for b, c = (1/60, -14/60)
--   V_bb = 2/9 + 6/25 + 3/16 = 0.649722, V_cc = 2/9 + 6/25 + 1/4 = 0.712222,
--   V_bc = -1/9 - 4/25 - 1/8 = -0.396111
--   chi = (V_cc r_b^2 - 2 V_bc r_b r_c + V_bb r_c^2) / (V_bb V_cc - V_bc^2)
--       = (0.00019784 - 0.00308086 + 0.03537377) / (0.46274660 - 0.15690401)
--       = 0.03249074 / 0.30584259 = 0.106234 on 2 degrees of freedom
--       (R's survdiff on these six customers: 0.1062335),
--   p = exp(-chi / 2) = 0.948269
SELECT round((t).chi_square::numeric, 6) AS chi_square, (t).degrees_of_freedom,
	   round((t).p_value::numeric, 6) AS p_value
FROM (SELECT survival_difference_test_groups(l, s::survival_summary) AS t
	  FROM (VALUES ('a', '{(1,1,0),(3,0,1)}'), ('b', '{(2,1,0),(3,0,1)}'),
				   ('c', '{(3,1,1)}')) v(l, s)) x;
-- which group is left out does not matter: the same with the labels reordered
SELECT round((t).chi_square::numeric, 6) AS chi_square
FROM (SELECT survival_difference_test_groups(l, s::survival_summary) AS t
	  FROM (VALUES ('z', '{(1,1,0),(3,0,1)}'), ('b', '{(2,1,0),(3,0,1)}'),
				   ('a', '{(3,1,1)}')) v(l, s)) x;

-- The test holds its size: 1000 simulated comparisons of two groups of 100
-- customers drawn from the SAME exponential lifetime (mean 12 months), each
-- censored at a uniform follow-up of 0-24 months (setseed makes the draws
-- repeatable).  Under the null hypothesis the p-value is uniform, so about
-- 5% of the tests reject at 0.05 (binomial standard error 0.7 points) and
-- about 1% at 0.01; the checks allow 2 points either way at 0.05.
SELECT setseed(0.13);
CREATE TABLE null_sims AS
SELECT rep, grp, least(life, follow_up) AS months, life <= follow_up AS churned
FROM (SELECT rep, grp, -12 * ln(1 - random()) AS life, 24 * random() AS follow_up
	  FROM generate_series(1, 1000) rep, generate_series(0, 1) grp, generate_series(1, 100) i) d;
CREATE TABLE null_tests AS
SELECT rep, survival_difference_test(a.s, b.s) AS t
FROM (SELECT rep, survival_agg(months, churned) AS s FROM null_sims WHERE grp = 0 GROUP BY rep) a
JOIN (SELECT rep, survival_agg(months, churned) AS s FROM null_sims WHERE grp = 1 GROUP BY rep) b
USING (rep);
SELECT count(*) AS simulations,
	   avg(((t).p_value < 0.05)::int) BETWEEN 0.03 AND 0.07 AS size_at_5pct_within_2_points,
	   avg(((t).p_value < 0.01)::int) BETWEEN 0.0 AND 0.025 AS size_at_1pct_near_1pct,
	   avg((t).chi_square) BETWEEN 0.9 AND 1.1 AS mean_chi_square_near_1
FROM null_tests;
-- and it has power: a hazard 1.5 times as high in the second group (mean
-- 8 months) is found in most simulations
SELECT setseed(0.29);
CREATE TABLE alt_sims AS
SELECT rep, grp, least(life, follow_up) AS months, life <= follow_up AS churned
FROM (SELECT rep, grp, -(12 - 4 * grp) * ln(1 - random()) AS life, 24 * random() AS follow_up
	  FROM generate_series(1, 1000) rep, generate_series(0, 1) grp, generate_series(1, 100) i) d;
SELECT avg(((t).p_value < 0.05)::int) > 0.5 AS usually_rejects
FROM (SELECT rep, survival_difference_test(a.s, b.s) AS t
	  FROM (SELECT rep, survival_agg(months, churned) AS s FROM alt_sims WHERE grp = 0 GROUP BY rep) a
	  JOIN (SELECT rep, survival_agg(months, churned) AS s FROM alt_sims WHERE grp = 1 GROUP BY rep) b
	  USING (rep)) x;
DROP TABLE null_sims, null_tests, alt_sims;

-- errors
-- a malformed summary is refused before the test
SELECT pg_temp.expect_error($$SELECT survival_difference_test('{(2,1,0),(1,1,0)}', '{}')$$);
-- at most 1000 groups
SELECT pg_temp.expect_error($$SELECT survival_difference_test_groups(i::text, '{(1,1,0)}') FROM generate_series(1, 1001) i$$);

DROP TABLE lung, lung_expected, arms, remission;
