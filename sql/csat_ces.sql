-- CSAT on a scale, the Customer Effort Score, and the NPS difference test

\i sql/include/expect_error.sql

SET extra_float_digits = 0;

--------------------------------------------------------------------------
-- CSAT
--------------------------------------------------------------------------

-- csat(integer) on 1..5 counts 4 and 5 (top two boxes)
CREATE TABLE csat_answers (team text, score integer);
INSERT INTO csat_answers VALUES
	('x', 5), ('x', 4), ('x', 3), ('x', 2), ('x', 1), ('x', 5), ('x', 4), ('x', NULL),
	('y', 5), ('y', 5), ('y', 4),
	('z', NULL);
SELECT team, round(csat(score)::numeric, 4) AS csat, rate(rate_agg(score >= 4)) AS as_boolean
FROM csat_answers GROUP BY team ORDER BY team;
-- x: 5,4,5,4 of 7 answers = 57.1429; y: 3 of 3 = 100; z: no answers -> NULL
SELECT csat(score) AS no_rows FROM csat_answers WHERE false;
SELECT csat(score::smallint) AS from_smallint FROM csat_answers WHERE team = 'y';
-- 100
SELECT pg_temp.expect_error($$SELECT csat(s) FROM (VALUES (0)) v(s)$$);
SELECT pg_temp.expect_error($$SELECT csat(s) FROM (VALUES (3), (6)) v(s)$$);
SELECT pg_temp.expect_error($$SELECT csat(s) FROM (VALUES (-1)) v(s)$$);

-- csat(score, satisfied_from) for other scales, e.g. 8 and above on 0..10
SELECT csat(s, 8) AS csat_8 FROM (VALUES (10), (9), (8), (7), (6), (0), (NULL)) v(s);
-- 10, 9, 8 of 6 answers: 50
SELECT csat(s, 6) AS csat_6 FROM (VALUES (10), (9), (8), (7), (6), (0)) v(s);
-- 5 of 6: 83.3333... (the "6-10 satisfied" reading, not a convention)
-- a NULL threshold skips the row, as a strict transition would
SELECT csat(s, t) AS csat FROM (VALUES (9, 8), (3, 8), (10, NULL)) v(s, t);
-- 1 of 2: 50
SELECT csat(s, 4) = csat(s) AS same_as_default FROM (VALUES (1), (4), (5), (2)) v(s);
-- scores above the threshold have no upper limit here (e.g. a 0-100 scale)
SELECT csat(s, 70) AS csat_70 FROM (VALUES (100), (70), (69), (0)) v(s);
-- 2 of 4: 50
SELECT pg_temp.expect_error($$SELECT csat(s, 8) FROM (VALUES (-1)) v(s)$$);
SELECT pg_temp.expect_error($$SELECT csat(s, 0) FROM (VALUES (5)) v(s)$$);
SELECT pg_temp.expect_error($$SELECT csat(s, -4) FROM (VALUES (5)) v(s)$$);

-- CSAT on a survey_summary: answers 1,2,3,4,4,5,5,5
CREATE TABLE csat_summaries AS
	SELECT survey_agg(s) AS s FROM (VALUES (1), (2), (3), (4), (4), (5), (5), (5)) v(s);
SELECT s, csat(s) AS csat_default, csat(s, 5) AS csat_5, csat(s, 4) AS csat_4,
	   csat_summary(s, 4) AS summary
FROM csat_summaries;
-- default threshold 4: 5 of 8 = 62.5; 5 only: 3 of 8 = 37.5; as a summary (5,8)
-- Wilson 95% for 5 of 8: centre = (0.625 + 0.240091) / 1.480182 = 0.584448
--   half = 1.959964 / 1.480182 * sqrt(0.625 * 0.375 / 8 + 3.841459 / 256)
--        = 1.3241368 * sqrt(0.0292969 + 0.0150057) = 1.3241368 * 0.2104818 = 0.2787067
--   -> 0.5844490 -/+ 0.2787067 = 30.5742 .. 86.3156
SELECT round(rate_lower(csat_summary(s, 4))::numeric, 4) AS lower,
	   round(rate_upper(csat_summary(s, 4))::numeric, 4) AS upper
FROM csat_summaries;
-- the same from csat(integer) through rate_agg
SELECT rate_agg(s >= 4) AS via_rate_agg FROM (VALUES (1), (2), (3), (4), (4), (5), (5), (5)) v(s);
-- no answers: NULL rate, an empty (0,0) summary
SELECT csat('{0,0,0,0,0,0,0,0,0,0,0}'::survey_summary) AS empty_csat,
	   csat_summary('{0,0,0,0,0,0,0,0,0,0,0}', 4) AS empty_summary;
SELECT pg_temp.expect_error($$SELECT csat(s, 0) FROM csat_summaries$$);
SELECT pg_temp.expect_error($$SELECT csat(s, 11) FROM csat_summaries$$);
SELECT pg_temp.expect_error($$SELECT csat_summary(s, -1) FROM csat_summaries$$);

-- moving windows of csat(integer) and csat(integer, integer)
SELECT id, s, csat(s) OVER w AS csat, csat(s, 5) OVER w AS csat_5
FROM (VALUES (1, 5), (2, 3), (3, NULL), (4, NULL), (5, 4)) v(id, s)
WINDOW w AS (ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
ORDER BY id;
-- 1: {5} 100, 100; 2: {5,3} 50, 50; 3: {3} 0, 0; 4: {} NULL; 5: {4} 100, 0

--------------------------------------------------------------------------
-- Customer Effort Score
--------------------------------------------------------------------------

-- ces(integer): mean of answers 1..7; ces_easy_pct: share of 5, 6, 7
SELECT ces(s) AS ces, round(ces_easy_pct(s)::numeric, 4) AS easy
FROM (VALUES (7), (6), (5), (4), (3), (2), (1), (NULL)) v(s);
-- mean (1+...+7)/7 = 4; easy 3 of 7 = 42.8571
SELECT ces(s) AS ces, ces_easy_pct(s) AS easy FROM (VALUES (7), (7), (6), (5), (2)) v(s);
-- mean 27/5 = 5.4; easy 4 of 5 = 80
SELECT ces(s) AS no_rows, ces_easy_pct(s) AS no_rows_easy FROM (VALUES (1)) v(s) WHERE false;
SELECT ces(s) AS all_null, ces_easy_pct(s) AS all_null_easy FROM (VALUES (NULL::integer)) v(s);
SELECT pg_temp.expect_error($$SELECT ces(s) FROM (VALUES (0)) v(s)$$);
SELECT pg_temp.expect_error($$SELECT ces(s) FROM (VALUES (8)) v(s)$$);
SELECT pg_temp.expect_error($$SELECT ces_easy_pct(s) FROM (VALUES (8)) v(s)$$);

-- other scales: 1..N with N up to 10; top three boxes are N-2..N
SELECT round(ces(s, 5)::numeric, 4) AS ces5, round(ces_easy_pct(s, 5)::numeric, 4) AS easy5
FROM (VALUES (5), (4), (1)) v(s);
-- mean 10/3 = 3.3333; easy (3, 4, 5): 5 and 4 of 3 = 66.6667
SELECT ces(s, 10) AS ces10, round(ces_easy_pct(s, 10)::numeric, 4) AS easy10
FROM (VALUES (10), (8), (3)) v(s);
-- mean 21/3 = 7; easy (8, 9, 10): 2 of 3 = 66.6667
SELECT ces(s, 7) = ces(s) AS ces_7_default, ces_easy_pct(s, 7) = ces_easy_pct(s) AS easy_7_default
FROM (VALUES (7), (3), (5), (1)) v(s);
SELECT ces(s, n) AS null_scale_skipped FROM (VALUES (2, 5), (4, NULL), (4, 5)) v(s, n);
-- 3
SELECT pg_temp.expect_error($$SELECT ces(s, 5) FROM (VALUES (6)) v(s)$$);
SELECT pg_temp.expect_error($$SELECT ces(s, 5) FROM (VALUES (0)) v(s)$$);
SELECT pg_temp.expect_error($$SELECT ces(s, 1) FROM (VALUES (1)) v(s)$$);
SELECT pg_temp.expect_error($$SELECT ces(s, 11) FROM (VALUES (1)) v(s)$$);
SELECT pg_temp.expect_error($$SELECT ces_easy_pct(s, 3) FROM (VALUES (1)) v(s)$$);
SELECT pg_temp.expect_error($$SELECT ces_easy_pct(s, 5) FROM (VALUES (6)) v(s)$$);

-- on a survey_summary: answers 7,7,6,5,2
CREATE TABLE ces_summaries (label text, s survey_summary);
INSERT INTO ces_summaries
	SELECT 'five', survey_agg(s) FROM (VALUES (7), (7), (6), (5), (2)) v(s);
INSERT INTO ces_summaries VALUES
	('one', '{0,0,0,0,1,0,0,0,0,0,0}'), ('none', '{0,0,0,0,0,0,0,0,0,0,0}'),
	('all sevens', '{0,0,0,0,0,0,0,3,0,0,0}'), ('with zero', '{1,0,0,0,0,0,0,3,0,0,0}'),
	('ten point', '{0,0,0,0,0,0,0,0,2,1,1}');
-- mean 5.4; easy 80
-- stderr: deviations 1.6, 1.6, 0.6, -0.4, -3.4; squares sum 2.56+2.56+0.36+0.16+11.56 = 17.2
--   s^2 = 17.2 / 4 = 4.3; stderr = sqrt(4.3 / 5) = sqrt(0.86) = 0.927362
--   95%: 5.4 -/+ 1.959964 * 0.927362 = 5.4 -/+ 1.817596 -> 3.582404 .. 7.217596, kept to 7
--   90%: 5.4 -/+ 1.64485363 * 0.92736185 = 5.4 -/+ 1.52537450 -> 3.874625 .. 6.925375
SELECT s, ces(s), ces_easy_pct(s), round(ces_stderr(s)::numeric, 6) AS stderr,
	   round(ces_lower(s)::numeric, 6) AS lower, round(ces_upper(s)::numeric, 6) AS upper,
	   round(ces_lower(s, 0.90)::numeric, 6) AS lower_90, round(ces_upper(s, 0.90)::numeric, 6) AS upper_90
FROM ces_summaries WHERE label = 'five';
-- one answer: a mean but no standard error or interval; no answers: NULL throughout;
-- every answer equal: standard error 0 and an interval of zero width
SELECT label, ces(s), ces_easy_pct(s), ces_stderr(s), ces_lower(s), ces_upper(s)
FROM ces_summaries WHERE label IN ('one', 'none', 'all sevens') ORDER BY label;
-- a 10-point scale: answers 8, 8, 9, 10; mean 8.75; all in the top three boxes 8..10
-- stderr: squares 0.5625*2 + 0.0625 + 1.5625 = 2.75; s^2 = 2.75/3; stderr = sqrt(0.916667/4) = 0.478714
--   95%: 8.75 -/+ 1.959964 * 0.478714 = 8.75 -/+ 0.938261 -> 7.811739 .. 9.688261
SELECT ces(s), ces_easy_pct(s, 10), round(ces_stderr(s)::numeric, 6) AS stderr,
	   round(ces_lower(s, 0.95, 10)::numeric, 6) AS lower, round(ces_upper(s, 0.95, 10)::numeric, 6) AS upper
FROM ces_summaries WHERE label = 'ten point';
-- answers outside the scale: 22003; a bad scale or confidence: 22023
SELECT pg_temp.expect_error($$SELECT ces(s) FROM ces_summaries WHERE label = 'with zero'$$);
SELECT pg_temp.expect_error($$SELECT ces_stderr(s) FROM ces_summaries WHERE label = 'with zero'$$);
SELECT pg_temp.expect_error($$SELECT ces_easy_pct(s, 5) FROM ces_summaries WHERE label = 'five'$$);
SELECT pg_temp.expect_error($$SELECT ces_easy_pct(s) FROM ces_summaries WHERE label = 'ten point'$$);
SELECT pg_temp.expect_error($$SELECT ces_upper(s) FROM ces_summaries WHERE label = 'ten point'$$);
SELECT pg_temp.expect_error($$SELECT ces_easy_pct(s, 11) FROM ces_summaries WHERE label = 'five'$$);
SELECT pg_temp.expect_error($$SELECT ces_lower(s, 0.95, 1) FROM ces_summaries WHERE label = 'five'$$);
SELECT pg_temp.expect_error($$SELECT ces_lower(s, 1.5) FROM ces_summaries WHERE label = 'five'$$);
SELECT pg_temp.expect_error($$SELECT ces_upper(s, 0) FROM ces_summaries WHERE label = 'none'$$);

-- the aggregates and the summary accessors agree; rollup merges CES summaries
SELECT ces(s) = (SELECT ces(x) FROM (VALUES (7), (7), (6), (5), (2)) v(x)) AS same_mean
FROM ces_summaries WHERE label = 'five';
SELECT ces(rollup(s)) AS pooled_mean FROM ces_summaries WHERE label IN ('five', 'one', 'all sevens');
-- (27 + 4 + 21) / 9 = 5.7778
SELECT round(ces(rollup(s))::numeric, 4) AS pooled_mean
FROM ces_summaries WHERE label IN ('five', 'one', 'all sevens');

-- moving windows of ces and ces_easy_pct
SELECT id, s, ces(s) OVER w AS ces, ces_easy_pct(s) OVER w AS easy,
	   ces(s, 7) OVER w AS ces7, ces_easy_pct(s, 7) OVER w AS easy7
FROM (VALUES (1, 7), (2, 3), (3, NULL), (4, NULL), (5, 5)) v(id, s)
WINDOW w AS (ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
ORDER BY id;
-- 1: {7} 7, 100; 2: {7,3} 5, 50; 3: {3} 3, 0; 4: {} NULL; 5: {5} 5, 100

--------------------------------------------------------------------------
-- NPS difference test
--------------------------------------------------------------------------

-- a: 5 promoters (10), 3 passives (8), 2 detractors (3): NPS 30, p = 0.5, d = 0.2
--    Var = (0.5 + 0.2 - 0.3^2) / 10 = 0.061 -> 610 points^2
-- b: 2 promoters (9), 4 passives (7), 4 detractors (5): NPS -20, p = 0.2, d = 0.4
--    Var = (0.2 + 0.4 - 0.2^2) / 10 = 0.056 -> 560 points^2
-- difference 50; SE = sqrt(1170) = 34.205263; z = 1.461763; p = erfc(1.461763 / sqrt(2)) = 0.143806
SELECT round(difference::numeric, 6) AS difference, round(std_error::numeric, 6) AS std_error,
	   round(z::numeric, 6) AS z, round(p_value::numeric, 6) AS p_value
FROM nps_difference_test('{0,0,0,2,0,0,0,0,3,0,5}', '{0,0,0,0,0,4,0,4,0,2,0}');
-- the same shares from 100 times as many answers: SE / 10, z * 10
SELECT round(difference::numeric, 6) AS difference, round(std_error::numeric, 6) AS std_error,
	   round(z::numeric, 5) AS z, p_value < 1e-40 AS tiny_p
FROM nps_difference_test('{0,0,0,200,0,0,0,0,300,0,500}', '{0,0,0,0,0,400,0,400,0,200,0}');
-- the difference of nps() values (33.3333 - (-50) = 83.3333), from summaries built by survey_agg
SELECT round(difference::numeric, 10) = round((nps(a) - nps(b))::numeric, 10) AS is_nps_difference
FROM (SELECT survey_agg(x) AS a FROM (VALUES (10), (9), (3)) v(x)) ta,
	 (SELECT survey_agg(x) AS b FROM (VALUES (7), (6)) v(x)) tb,
	 LATERAL nps_difference_test(a, b);
-- no variation in either group: SE 0, z and p NULL; an empty group: all NULL
SELECT * FROM nps_difference_test('{0,0,0,0,0,0,0,0,0,4,0}', '{0,0,0,0,0,0,0,0,0,0,9}');
SELECT * FROM nps_difference_test('{0,0,0,0,0,0,0,0,0,0,0}', '{0,0,0,0,0,0,0,0,0,0,9}');
SELECT * FROM nps_difference_test(NULL, '{0,0,0,0,0,0,0,0,0,0,9}');

-- the transition functions refuse to update a state outside an aggregate
SELECT pg_temp.expect_error($$SELECT csat_add_int4('(1,2)', 5)$$);
SELECT pg_temp.expect_error($$SELECT csat_remove_int4('(1,2)', 5)$$);
SELECT pg_temp.expect_error($$SELECT ces_add_int4('{0,0,0,0,0,0,0,1,0,0,0}', 7)$$);
SELECT pg_temp.expect_error($$SELECT ces_easy_add_int4('(1,2)', 7)$$);

DROP TABLE csat_answers, csat_summaries, ces_summaries;
