-- Net Promoter Score: worked examples computed by hand, intervals, errors
\i sql/include/expect_error.sql

-- Example A: answers 10,10,9,9,9 (5 promoters), 8,7 (2 passives), 6,3,0 (3 detractors)
--   NPS = (5 - 3) / 10 * 100 = 20
--   p = 0.5, d = 0.3: Var = (0.5 + 0.3 - 0.2^2) / 10 = 0.076, SE = sqrt(0.076) = 0.275681 -> 27.568098 points
--   95%: z = 1.959964, 20 -/+ 1.959964 * 27.568098 = -34.032478 .. 74.032478
--   90%: z = 1.644854, -25.345485 .. 65.345485;  99%: z = 2.575829, -51.010713 .. 91.010713
--   adjusted: n = 13, promoters 5.75, detractors 3.75: NPS = 2 / 13 * 100 = 15.384615
--     p = 0.442308, d = 0.288462: Var = (0.730769 - 0.153846^2) / 13 = 0.054392, SE = 23.322168 points
--     95%: 15.384615 -/+ 45.710579 = -30.325994 .. 61.095225
CREATE TABLE example_a (score survey_score);
INSERT INTO example_a VALUES (10), (10), (9), (9), (9), (8), (7), (6), (3), (0);
SELECT nps(score) FROM example_a;
SELECT nps(score::integer) AS from_int, nps(score::integer::smallint) AS from_smallint FROM example_a;
SELECT responses(s), promoters(s), passives(s), detractors(s), nps(s), promoter_pct(s), detractor_pct(s),
	   round(nps_stderr(s)::numeric, 6) AS se,
	   round(nps_lower(s)::numeric, 6) AS lower95, round(nps_upper(s)::numeric, 6) AS upper95,
	   round(nps_lower(s, 0.90)::numeric, 6) AS lower90, round(nps_upper(s, 0.90)::numeric, 6) AS upper90,
	   round(nps_lower(s, 0.99)::numeric, 6) AS lower99, round(nps_upper(s, 0.99)::numeric, 6) AS upper99
FROM (SELECT survey_agg(score) AS s FROM example_a) v;
SELECT round(nps_stderr(s, adjusted => true)::numeric, 6) AS adj_se,
	   round(nps_lower(s, adjusted => true)::numeric, 6) AS adj_lower95,
	   round(nps_upper(s, 0.95, true)::numeric, 6) AS adj_upper95
FROM (SELECT survey_agg(score) AS s FROM example_a) v;

-- Example B: 20 promoters.  NPS 100; plain Wald SE 0, so the interval collapses to 100 .. 100.
--   adjusted: n = 23, promoters 20.75, detractors 0.75: NPS = 20 / 23 * 100 = 86.956522
--     p = 0.902174, d = 0.032609: Var = (0.934783 - 0.869565^2) / 23 = 0.0077669, SE = 8.813008 points
--     95%: 86.956522 -/+ 17.273178 = 69.683344 .. 104.229700, clamped to 100
SELECT nps(s), nps_stderr(s), nps_lower(s), nps_upper(s),
	   round(nps_stderr(s, true)::numeric, 6) AS adj_se,
	   round(nps_lower(s, 0.95, true)::numeric, 6) AS adj_lower, nps_upper(s, 0.95, true) AS adj_upper
FROM (SELECT '{0,0,0,0,0,0,0,0,0,0,20}'::survey_summary AS s) v;

-- Example C: 5 detractors.  NPS -100, Wald -100 .. -100.
--   adjusted: n = 8, promoters 0.75, detractors 5.75: NPS = -5 / 8 * 100 = -62.5
--     p = 0.09375, d = 0.71875: Var = (0.8125 - 0.390625) / 8 = 0.052734, SE = 22.963966 points
--     95%: -62.5 -/+ 45.008547 = -107.508547 (clamped to -100) .. -17.491453
SELECT nps(s), nps_lower(s), nps_upper(s),
	   nps_lower(s, 0.95, true) AS adj_lower, round(nps_upper(s, 0.95, true)::numeric, 6) AS adj_upper
FROM (SELECT '{5,0,0,0,0,0,0,0,0,0,0}'::survey_summary AS s) v;

-- Example D: by month, with an empty month and a month of NULLs
--   January: 9, 10, 6, 7 -> (2 - 1) / 4 * 100 = 25;  February: 3, 3, 9 -> (1 - 2) / 3 * 100 = -33.333333
--   March: only NULLs -> NULL;  April: 8, 8 -> 0
SET timezone = 'UTC';
CREATE TABLE answers (answered_at timestamptz, score survey_score);
INSERT INTO answers VALUES
	('2024-01-05', 9), ('2024-01-09', 10), ('2024-01-20', 6), ('2024-01-31 23:00', 7),
	('2024-02-01', 3), ('2024-02-14', 3), ('2024-02-29', 9),
	('2024-03-10', NULL), ('2024-03-11', NULL),
	('2024-04-01', 8), ('2024-04-30', 8);
SELECT to_char(date_trunc('month', answered_at), 'YYYY-MM') AS month, nps(score), count(score) AS answered
FROM answers GROUP BY 1 ORDER BY 1;
SELECT nps(score) FROM answers WHERE false;

-- confidence outside (0, 1): 22023
SELECT pg_temp.expect_error($$SELECT nps_lower('{0,0,0,0,0,0,0,0,0,1,1}', 0)$$);
SELECT pg_temp.expect_error($$SELECT nps_upper('{0,0,0,0,0,0,0,0,0,1,1}', 1)$$);
SELECT pg_temp.expect_error($$SELECT nps_upper('{0,0,0,0,0,0,0,0,0,1,1}', 1.5)$$);
SELECT pg_temp.expect_error($$SELECT nps_lower('{0,0,0,0,0,0,0,0,0,1,1}', -0.05, true)$$);
SELECT pg_temp.expect_error($$SELECT nps_lower('{0,0,0,0,0,0,0,0,0,1,1}', 'NaN')$$);
-- a confidence just below 1 still gives finite bounds, wider than at 0.999999
--   (100 detractors, 100 passives, 100 promoters: NPS 0, SE = 100 * sqrt(2/3 / 300) = 4.714 points;
--    z is about 8.3 for 1 - 1.1e-16, so the bound is about 39, inside -100..100)
SELECT nps_upper(s, 0.9999999999999999) > nps_upper(s, 0.999999) AS wider,
	   nps_upper(s, 0.9999999999999999) < 100 AS unclamped,
	   nps_lower(s, 0.9999999999999999) = -nps_upper(s, 0.9999999999999999) AS symmetric
FROM (SELECT '{100,0,0,0,0,0,0,100,0,100,0}'::survey_summary AS s) v;
-- NULL arguments give NULL (the functions are strict)
SELECT nps(NULL::survey_summary) IS NULL AS a, nps_lower(NULL, 0.95) IS NULL AS b,
	   nps_upper('{0,0,0,0,0,0,0,0,0,1,1}', NULL) IS NULL AS c;

-- the interval always contains the score and stays inside -100..100
SELECT count(*) AS bad_intervals
FROM (SELECT pg_catalog.format('{%s,0,0,0,0,0,0,%s,0,%s,0}', d, pa, p)::survey_summary AS s
	  FROM generate_series(0, 6) d, generate_series(0, 6) pa, generate_series(0, 6) p
	  WHERE d + pa + p > 0) v
WHERE NOT (nps_lower(s) <= nps(s) AND nps(s) <= nps_upper(s)
		   AND nps_lower(s) >= -100 AND nps_upper(s) <= 100
		   AND nps_lower(s, 0.95, true) >= -100 AND nps_upper(s, 0.95, true) <= 100
		   AND nps_lower(s, 0.99) <= nps_lower(s, 0.9));

-- one-step and two-step agree
SELECT (SELECT nps(score) FROM answers) = (SELECT nps(survey_agg(score)) FROM answers) AS same;

DROP TABLE example_a, answers;
