-- rate_summary and the rate aggregates: text form, accessors, the Wilson
-- score interval, the named rates, rollup, moving windows, the difference test

\i sql/include/expect_error.sql

SET extra_float_digits = 0;

-- text form: (successes,trials), white space allowed around each element
SELECT s::rate_summary AS summary
FROM (VALUES ('(9,10)'), (' ( 0 , 0 ) '), ('(0,7)'), ('(7,7)'),
			 ('(9223372036854775807,9223372036854775807)')) v(s);
-- output round-trips exactly
SELECT '(3,8)'::rate_summary::text::rate_summary::text AS round_trip;
-- bad syntax: 22P02
SELECT pg_temp.expect_error($$SELECT ''::rate_summary$$);
SELECT pg_temp.expect_error($$SELECT '(1,2'::rate_summary$$);
SELECT pg_temp.expect_error($$SELECT '1,2'::rate_summary$$);
SELECT pg_temp.expect_error($$SELECT '(1;2)'::rate_summary$$);
SELECT pg_temp.expect_error($$SELECT '(1,2,3)'::rate_summary$$);
SELECT pg_temp.expect_error($$SELECT '(-1,2)'::rate_summary$$);
SELECT pg_temp.expect_error($$SELECT '(+1,2)'::rate_summary$$);
SELECT pg_temp.expect_error($$SELECT '(1.5,2)'::rate_summary$$);
SELECT pg_temp.expect_error($$SELECT '(1,2) x'::rate_summary$$);
SELECT pg_temp.expect_error($$SELECT '(,2)'::rate_summary$$);
-- more successes than trials: 22P02
SELECT pg_temp.expect_error($$SELECT '(3,2)'::rate_summary$$);
-- a count beyond int64: 22003
SELECT pg_temp.expect_error($$SELECT '(1,9223372036854775808)'::rate_summary$$);
-- the one I/O policy (src/csm_io.c): an oversized count is 22003 in either place and
-- however long, before the comparison of the two; 2^63 - 1 itself is a count
SELECT '( 9223372036854775807 , 9223372036854775807 )'::rate_summary;
SELECT pg_temp.expect_error($$SELECT '(99999999999999999999999,1)'::rate_summary$$);
SELECT pg_temp.expect_error($$SELECT '(1 2)'::rate_summary$$);

-- binary form: version byte 1, then successes and trials as int64
SELECT rate_summary_send('(9,10)') AS nine_of_ten_bytes;

-- accessors
SELECT rate(s), successes(s), trials(s)
FROM (VALUES ('(9,10)'::rate_summary), ('(0,4)'), ('(4,4)'), ('(1,3)'), ('(0,0)')) v(s);
-- 9/10 = 90%; 0/4 = 0%; 4/4 = 100%; 1/3 = 33.333...%; no trials: NULL

-- rate_agg: true is a success, NULL is skipped, no rows (or only NULLs) give NULL
CREATE TABLE outcomes (grp text, day integer, ok boolean);
INSERT INTO outcomes VALUES
	('a', 1, true), ('a', 1, true), ('a', 2, false), ('a', 2, NULL), ('a', 3, true),
	('b', 1, false), ('b', 2, false), ('b', 3, NULL),
	('c', 1, NULL), ('c', 2, NULL);
SELECT grp, rate_agg(ok), rate(rate_agg(ok)) AS pct
FROM outcomes GROUP BY grp ORDER BY grp;
-- a: 3 true of 4 non-NULL = 75%; b: 0 of 2 = 0%; c: only NULLs -> NULL
SELECT rate_agg(ok) AS no_rows FROM outcomes WHERE false;

-- Wilson score interval, in percent, at 95% (z = 1.959964, z^2 = 3.841459)
--   0 of 10: lower 0; upper = z^2 / (n + z^2) = 3.841459 / 13.841459 = 27.7533%
--  10 of 10: lower = n / (n + z^2) = 10 / 13.841459 = 72.2467%; upper 100
--   9 of 10: centre = (0.9 + z^2/20) / (1 + z^2/10) = 1.0920729 / 1.3841459 = 0.788986
--            half = z / 1.3841459 * sqrt(0.09/10 + z^2/400) = 1.416008 * 0.136395 = 0.193137
--            -> 59.5850 .. 98.2124
--   0 of 1:  upper = 3.841459 / 4.841459 = 79.3451%
--  50 of 100: centre 0.5; half = z / 1.0384146 * sqrt(0.0025 + 0.0000960)
--            = 1.887457 * 0.0509513 = 0.096168 -> 40.3832 .. 59.6168
SELECT s, round(rate(s)::numeric, 4) AS pct,
	   round(rate_lower(s)::numeric, 4) AS lower, round(rate_upper(s)::numeric, 4) AS upper
FROM (VALUES ('(0,10)'::rate_summary), ('(10,10)'), ('(9,10)'), ('(0,1)'), ('(50,100)'),
			 ('(0,0)')) v(s);
-- the Wald interval p -/+ z sqrt(p(1-p)/n) collapses to a point at 0 of n and n of n;
-- Wilson does not
SELECT s, 100 * (p - 1.959964 * sqrt(p * (1 - p) / n)) AS wald_lower,
	   100 * (p + 1.959964 * sqrt(p * (1 - p) / n)) AS wald_upper,
	   round(rate_lower(s)::numeric, 2) AS wilson_lower, round(rate_upper(s)::numeric, 2) AS wilson_upper
FROM (VALUES ('(0,10)'::rate_summary), ('(10,10)')) v(s),
	 LATERAL (SELECT successes(s)::float8 / trials(s) AS p, trials(s)::float8 AS n) w;
-- 0 of 10 at 99% (z = 2.575829, z^2 = 6.634897): upper = 6.634897 / 16.634897 = 39.8854%
SELECT round(rate_upper('(0,10)', 0.99)::numeric, 4) AS upper_99;
-- the interval is nested: 80% inside 95% inside 99%
SELECT rate_lower(s, 0.99) < rate_lower(s, 0.95) AND rate_lower(s, 0.95) < rate_lower(s, 0.80)
	   AND rate_upper(s, 0.80) < rate_upper(s, 0.95) AND rate_upper(s, 0.95) < rate_upper(s, 0.99)
	   AS nested
FROM (VALUES ('(37,120)'::rate_summary)) v(s);
-- a confidence level outside (0, 1): 22023, also without trials
SELECT pg_temp.expect_error($$SELECT rate_lower('(1,2)', 0)$$);
SELECT pg_temp.expect_error($$SELECT rate_upper('(1,2)', 1)$$);
SELECT pg_temp.expect_error($$SELECT rate_upper('(1,2)', -0.5)$$);
SELECT pg_temp.expect_error($$SELECT rate_lower('(1,2)', 'NaN')$$);
SELECT pg_temp.expect_error($$SELECT rate_lower('(0,0)', 95)$$);
SELECT rate_lower(NULL), rate_upper('(1,2)', NULL) AS null_confidence;

-- named rates share rate_agg's code: the same answer for the same outcomes
SELECT fcr_rate(ok) AS fcr, renewal_rate(ok) AS renewal,
	   trial_conversion_rate(ok) AS conversion, csat(ok) AS csat,
	   rate(rate_agg(ok)) AS via_summary
FROM outcomes WHERE grp = 'a';
-- 3 of 4 = 75 for each
SELECT fcr_rate(ok), renewal_rate(ok), trial_conversion_rate(ok), csat(ok)
FROM outcomes WHERE grp = 'c';
-- only NULLs: NULL
SELECT fcr_rate(ok), renewal_rate(ok), trial_conversion_rate(ok), csat(ok)
FROM outcomes WHERE false;

-- fcr_rate(contacts_to_resolve): resolved on first contact when contacts = 1
SELECT fcr_rate(c) AS fcr FROM (VALUES (1), (1), (2), (5), (1), (NULL)) v(c);
-- 3 of 5 non-NULL tickets took one contact: 60
SELECT fcr_rate(c::integer) AS from_smallint FROM (VALUES (1::smallint), (3::smallint)) v(c);
-- 1 of 2: 50
SELECT pg_temp.expect_error($$SELECT fcr_rate(c) FROM (VALUES (1), (0)) v(c)$$);
SELECT pg_temp.expect_error($$SELECT fcr_rate(c) FROM (VALUES (-3)) v(c)$$);

-- rollup of daily summaries equals the direct aggregate
CREATE TABLE daily AS
	SELECT grp, day, rate_agg(ok) AS s FROM outcomes GROUP BY grp, day;
SELECT d.grp, d.rolled, r.direct, d.rolled::text = r.direct::text AS same
FROM (SELECT grp, rollup(s) AS rolled FROM daily GROUP BY grp) d
JOIN (SELECT grp, rate_agg(ok) AS direct FROM outcomes GROUP BY grp) r USING (grp)
ORDER BY grp;
-- c's days are NULL summaries: rollup skips NULLs and gives NULL; a: (3,4); b: (0,2)
SELECT rollup(s) AS everything, rate(rollup(s)) AS pct FROM daily;
-- (3,6): 50%
SELECT rollup(s) AS no_rows FROM daily WHERE false;
-- summaries without trials roll up to NULL, in a plain aggregate as in a
-- window frame (like rollup(survey_summary))
SELECT rollup(s) AS only_empty,
	   (SELECT rollup(s) OVER (ROWS BETWEEN CURRENT ROW AND 1 FOLLOWING)
		FROM (VALUES ('(0,0)'::rate_summary), ('(0,0)')) w(s) LIMIT 1) AS only_empty_window
FROM (VALUES ('(0,0)'::rate_summary), ('(0,0)')) v(s);
-- rollup keeps counts in range: 22003
SELECT pg_temp.expect_error($$SELECT rollup(s) FROM (VALUES ('(1,9223372036854775807)'::rate_summary), ('(0,1)')) v(s)$$);

-- moving windows (inverse transitions): each frame equals its recomputation
CREATE TABLE stream AS
	SELECT g AS id, CASE WHEN g % 7 = 0 THEN NULL ELSE g % 3 <> 0 END AS ok,
		   CASE WHEN g % 5 = 0 THEN NULL ELSE 1 + g % 4 END AS contacts
	FROM generate_series(1, 40) g;
SELECT count(*) AS frames,
	   count(*) FILTER (WHERE moving::text IS NOT DISTINCT FROM direct::text
						AND fcr IS NOT DISTINCT FROM direct_fcr) AS equal
FROM (SELECT id,
			 rate_agg(ok) OVER w AS moving,
			 fcr_rate(contacts) OVER w AS fcr,
			 (SELECT rate_agg(ok) FROM stream t WHERE t.id BETWEEN s.id - 3 AND s.id) AS direct,
			 (SELECT fcr_rate(contacts) FROM stream t WHERE t.id BETWEEN s.id - 3 AND s.id) AS direct_fcr
	  FROM stream s WINDOW w AS (ORDER BY id ROWS BETWEEN 3 PRECEDING AND CURRENT ROW)) x;
SELECT id, ok, rate_agg(ok) OVER w AS s, fcr_rate(ok) OVER w AS fcr,
	   fcr_rate(contacts) OVER w AS fcr_contacts, contacts
FROM stream WINDOW w AS (ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
ORDER BY id LIMIT 8;
-- id 1: true -> (1,1), 100; id 2: true,true -> (2,2); id 3: true,false -> (1,2), 50;
-- id 4: false,true -> (1,2); id 5: true,true -> (2,2); id 6: true,false -> (1,2);
-- id 7: false,NULL -> (0,1), 0; id 8: NULL,true -> (1,1), 100
-- contacts: 1:2, 2:3, 3:4, 4:1, 5:NULL, 6:3, 7:4, 8:1 -> pairs (2),(2,3),(3,4),(4,1),(1,NULL),
-- (NULL,3),(3,4),(4,1): 0, 0, 0, 50, 100, 0, 0, 50
-- a frame whose rows are all NULL gives NULL, also after rows left it
SELECT id, rate_agg(ok) OVER w AS s, csat(ok) OVER w AS pct,
	   rollup(rs) OVER w AS rolled
FROM (VALUES (1, true, '(1,1)'::rate_summary), (2, NULL, NULL), (3, NULL, NULL),
			 (4, false, '(0,3)')) v(id, ok, rs)
WINDOW w AS (ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
ORDER BY id;
-- 1: (1,1) 100 (1,1); 2: (1,1) 100 (1,1); 3: NULL NULL NULL; 4: (0,1) 0 (0,3)

-- rate_difference_test: unpooled difference of two proportions, in points
--   a = 45 of 50 (0.9), b = 30 of 50 (0.6): difference 30
--   SE = 100 sqrt(0.9*0.1/50 + 0.6*0.4/50) = 100 sqrt(0.0018 + 0.0048) = 100 * 0.0812404 = 8.12404
--   z = 30 / 8.12404 = 3.69274; p = 2 (1 - Phi(3.69274)) = 0.000222
SELECT round(difference::numeric, 4) AS difference, round(std_error::numeric, 4) AS std_error,
	   round(z::numeric, 4) AS z, round(p_value::numeric, 6) AS p_value
FROM rate_difference_test('(45,50)', '(30,50)');
-- swapping the groups flips the sign of difference and z, keeps the p-value
SELECT round(difference::numeric, 4) AS difference, round(z::numeric, 4) AS z,
	   round(p_value::numeric, 6) AS p_value
FROM rate_difference_test('(30,50)', '(45,50)');
-- equal rates: z = 0, p = 1
SELECT difference, z, p_value FROM rate_difference_test('(5,10)', '(50,100)');
-- no variation in either group (0 of 10 against 10 of 10): SE 0, z and p undefined (NULL)
SELECT * FROM rate_difference_test('(0,10)', '(10,10)');
-- an empty group: every column NULL; a NULL argument: NULL
SELECT * FROM rate_difference_test('(0,0)', '(1,2)');
SELECT * FROM rate_difference_test(NULL, '(1,2)');
SELECT (rate_difference_test('(45,50)', '(30,50)')).difference AS as_column;

-- support functions refuse to run outside an aggregate (they update in place)
SELECT pg_temp.expect_error($$SELECT rate_summary_add_bool('(1,2)', true)$$);
SELECT pg_temp.expect_error($$SELECT rate_summary_combine(NULL, '(1,2)')$$);
SELECT pg_temp.expect_error($$SELECT rate_summary_remove_bool('(1,2)', true)$$);

DROP TABLE outcomes, daily, stream;
