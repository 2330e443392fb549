-- survey_summary: text form, validation, aggregates, accessors, rollup, windows
\i sql/include/expect_error.sql

-- text form: eleven counts of the scores 0..10; white space allowed; round trips
SELECT '{1,0,0,0,0,2,0,5,3,4,9}'::survey_summary;
SELECT ' { 1 , 0,0,0,0,2,0,5,3,4, 9 } '::survey_summary;
SELECT '{0,0,0,0,0,0,0,0,0,0,0}'::survey_summary;
SELECT '{9223372036854775807,0,0,0,0,0,0,0,0,0,0}'::survey_summary::text::survey_summary;

-- malformed or negative text: 22P02; counts too large: 22003
SELECT pg_temp.expect_error($$SELECT '{1,2,3}'::survey_summary$$);
SELECT pg_temp.expect_error($$SELECT '{1,0,0,0,0,2,0,5,3,4,9,1}'::survey_summary$$);
SELECT pg_temp.expect_error($$SELECT '{-1,0,0,0,0,2,0,5,3,4,9}'::survey_summary$$);
SELECT pg_temp.expect_error($$SELECT '{1,0,0,0,0,2,0,5,3,4,9'::survey_summary$$);
SELECT pg_temp.expect_error($$SELECT '{1,0,0,0,0,2,0,5,3,4,9}x'::survey_summary$$);
SELECT pg_temp.expect_error($$SELECT '1,0,0,0,0,2,0,5,3,4,9'::survey_summary$$);
SELECT pg_temp.expect_error($$SELECT '{1,,0,0,0,2,0,5,3,4,9}'::survey_summary$$);
SELECT pg_temp.expect_error($$SELECT '{1.5,0,0,0,0,2,0,5,3,4,9}'::survey_summary$$);
SELECT pg_temp.expect_error($$SELECT ''::survey_summary$$);
SELECT pg_temp.expect_error($$SELECT '{9223372036854775808,0,0,0,0,0,0,0,0,0,0}'::survey_summary$$);
-- each count fits but the total does not
SELECT pg_temp.expect_error($$SELECT '{9223372036854775807,1,0,0,0,0,0,0,0,0,0}'::survey_summary$$);
-- the one I/O policy (src/csm_io.c): any count beyond 2^63 - 1 is 22003, wherever it
-- stands and however long; a sign or a missing count is 22P02
SELECT '{0,0,0,0,0,0,0,0,0,0, 9223372036854775807 }'::survey_summary;
SELECT pg_temp.expect_error($$SELECT '{0,0,0,0,0,0,0,0,0,0,9223372036854775808}'::survey_summary$$);
SELECT pg_temp.expect_error($$SELECT '{0,0,0,0,0,123456789012345678901234567890,0,0,0,0,0}'::survey_summary$$);
SELECT pg_temp.expect_error($$SELECT '{+1,0,0,0,0,2,0,5,3,4,9}'::survey_summary$$);
SELECT pg_temp.expect_error($$SELECT '{1,0,0,0,0,2,0,5,3,4,}'::survey_summary$$);

-- accessors on a hand-made summary: scores 0x1, 5x2, 7x5, 8x3, 9x4, 10x9
--   responses 24; promoters 13, passives 8, detractors 3
--   nps = (13 - 3) / 24 * 100 = 41.666...; promoter_pct 54.166..., detractor_pct 12.5
--   mean = (0 + 10 + 35 + 24 + 36 + 90) / 24 = 195 / 24 = 8.125
SELECT responses(s), promoters(s), passives(s), detractors(s),
	   round(nps(s)::numeric, 6) AS nps,
	   round(promoter_pct(s)::numeric, 6) AS promoter_pct,
	   round(passive_pct(s)::numeric, 6) AS passive_pct,
	   detractor_pct(s), mean_score(s),
	   score_count(s, 0) AS c0, score_count(s, 5) AS c5, score_count(s, 10) AS c10
FROM (SELECT '{1,0,0,0,0,2,0,5,3,4,9}'::survey_summary AS s) v;
SELECT pg_temp.expect_error($$SELECT score_count('{1,0,0,0,0,2,0,5,3,4,9}', 11)$$);
SELECT pg_temp.expect_error($$SELECT score_count('{1,0,0,0,0,2,0,5,3,4,9}', -1)$$);

-- an empty summary: counts are 0, everything else NULL
SELECT responses(s), promoters(s), passives(s), detractors(s), score_count(s, 9),
	   nps(s) IS NULL AS nps_null, promoter_pct(s) IS NULL AS promoter_pct_null,
	   detractor_pct(s) IS NULL AS detractor_pct_null, mean_score(s) IS NULL AS mean_null,
	   nps_stderr(s) IS NULL AS se_null, nps_lower(s) IS NULL AS lower_null,
	   nps_upper(s, 0.9, true) IS NULL AS upper_null
FROM (SELECT '{0,0,0,0,0,0,0,0,0,0,0}'::survey_summary AS s) v;

-- survey_agg over survey_score, smallint and integer give the same summary
CREATE TABLE answers (day date, account int, score survey_score, score2 smallint, score4 integer);
INSERT INTO answers
SELECT DATE '2024-01-01' + (g % 10), g % 7, (g * 7 % 11), (g * 7 % 11), (g * 7 % 11)
FROM generate_series(1, 1000) g;
INSERT INTO answers VALUES ('2024-01-03', 1, NULL, NULL, NULL);
SELECT survey_agg(score) AS by_score, survey_agg(score2)::text = survey_agg(score)::text AS same2,
	   survey_agg(score4)::text = survey_agg(score)::text AS same4
FROM answers;

-- NULLs are skipped; no rows or only NULLs give NULL, like sum()
SELECT survey_agg(s) FROM (VALUES (NULL::survey_score), ('9'), (NULL)) v(s);
SELECT survey_agg(score) IS NULL AS no_rows, nps(score) IS NULL AS nps_no_rows FROM answers WHERE false;
SELECT survey_agg(score) IS NULL AS all_nulls, nps(score) IS NULL AS nps_all_nulls,
	   count(score) AS counted
FROM answers WHERE score IS NULL;
SELECT survey_agg(s::smallint) IS NULL, survey_agg(s::integer) IS NULL
FROM (VALUES (NULL::integer)) v(s);

-- integer inputs out of range: 22003, whatever the type
SELECT pg_temp.expect_error($$SELECT survey_agg(s) FROM (VALUES (9), (11)) v(s)$$);
SELECT pg_temp.expect_error($$SELECT survey_agg(s::smallint) FROM (VALUES (-1)) v(s)$$);
SELECT pg_temp.expect_error($$SELECT nps(s) FROM (VALUES (9), (10), (12)) v(s)$$);
SELECT pg_temp.expect_error($$SELECT nps(s::smallint) FROM (VALUES (100)) v(s)$$);

-- stored daily summaries roll up to exactly the direct aggregate
CREATE TABLE daily AS
SELECT day, survey_agg(score) AS summary FROM answers GROUP BY day;
SELECT (SELECT rollup(summary) FROM daily)::text = (SELECT survey_agg(score) FROM answers)::text
	AS rollup_equals_direct;
SELECT rollup(summary) FROM daily WHERE false;
SELECT rollup(s) FROM (VALUES (NULL::survey_summary), ('{0,0,0,0,0,0,0,0,0,1,0}')) v(s);
-- by account: rollup over days equals survey_agg per account
SELECT count(*) AS accounts_that_differ FROM (
	SELECT account, survey_agg(score) AS direct FROM answers GROUP BY account) d
JOIN (
	SELECT account, rollup(s) AS rolled FROM (
		SELECT account, day, survey_agg(score) AS s FROM answers GROUP BY account, day) x
	GROUP BY account) r USING (account)
WHERE d.direct::text <> r.rolled::text;
-- adding to the largest possible count is an error, not a wrap-around
SELECT pg_temp.expect_error($$SELECT rollup(s) FROM (VALUES
	('{9223372036854775807,0,0,0,0,0,0,0,0,0,0}'::survey_summary),
	('{1,0,0,0,0,0,0,0,0,0,0}')) v(s)$$);
SELECT pg_temp.expect_error($$SELECT rollup(s) FROM (VALUES
	('{9223372036854775807,0,0,0,0,0,0,0,0,0,0}'::survey_summary),
	('{0,1,0,0,0,0,0,0,0,0,0}')) v(s)$$);

-- moving windows: the inverse transition gives what recomputing each frame gives
CREATE TABLE series AS
SELECT g AS day, CASE WHEN g % 13 = 0 THEN NULL ELSE (g * 5 % 11) END AS score
FROM generate_series(1, 300) g;
SELECT count(*) AS frames, count(*) FILTER (WHERE moving IS DISTINCT FROM recomputed) AS differ
FROM (
	SELECT s.day,
		   nps(s.score) OVER (ORDER BY s.day ROWS BETWEEN 29 PRECEDING AND CURRENT ROW) AS moving,
		   (SELECT nps(t.score) FROM series t WHERE t.day BETWEEN s.day - 29 AND s.day) AS recomputed
	FROM series s) w;
-- the same on survey_score and smallint columns (their own inverse functions)
SELECT count(*) AS frames,
	   count(*) FILTER (WHERE by_score IS DISTINCT FROM recomputed) AS score_differ,
	   count(*) FILTER (WHERE by_smallint IS DISTINCT FROM recomputed) AS smallint_differ
FROM (
	SELECT s.day,
		   nps(s.score::survey_score) OVER w AS by_score,
		   nps(s.score::smallint) OVER w AS by_smallint,
		   (SELECT nps(t.score) FROM series t WHERE t.day BETWEEN s.day - 29 AND s.day) AS recomputed
	FROM series s
	WINDOW w AS (ORDER BY s.day ROWS BETWEEN 29 PRECEDING AND CURRENT ROW)) w;
SELECT count(*) FILTER (WHERE moving IS DISTINCT FROM recomputed) AS summaries_differ
FROM (
	SELECT s.day,
		   survey_agg(s.score) OVER (ORDER BY s.day ROWS BETWEEN 6 PRECEDING AND CURRENT ROW)::text AS moving,
		   (SELECT survey_agg(t.score) FROM series t WHERE t.day BETWEEN s.day - 6 AND s.day)::text AS recomputed
	FROM series s) w;
-- a frame that empties again gives NULL, as over no rows
SELECT day, score, nps(score) OVER w AS nps, survey_agg(score) OVER w AS summary
FROM (VALUES (1, 9), (2, NULL), (3, NULL), (4, 3)) v(day, score)
WINDOW w AS (ORDER BY day ROWS BETWEEN CURRENT ROW AND 1 FOLLOWING);
-- a moving rollup of daily summaries equals survey_agg over the same days
SELECT count(*) FILTER (WHERE moving IS DISTINCT FROM recomputed) AS rolling_rollups_differ
FROM (
	SELECT d.day,
		   rollup(d.summary) OVER (ORDER BY d.day ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)::text AS moving,
		   (SELECT survey_agg(a.score) FROM answers a WHERE a.day BETWEEN d.day - 2 AND d.day)::text AS recomputed
	FROM daily d) w;

-- counts are stored in 32 bits until one outgrows them (52 bytes), then in
-- 64 bits (96 bytes); the width never shows in a value's text or results
SELECT pg_column_size('{1,0,0,0,0,2,0,5,3,4,9}'::survey_summary) AS narrow_bytes,
	   pg_column_size('{2147483647,0,0,0,0,0,0,0,0,0,0}'::survey_summary) AS still_narrow,
	   pg_column_size('{2147483648,0,0,0,0,0,0,0,0,0,0}'::survey_summary) AS wide_bytes;
-- rollup crossing 2^31 - 1 = 2147483647: 2147483647 + 1 = 2147483648 tens,
-- 2000000000 + 2000000000 = 4000000000 nines; nps = 100 (all promoters)
SELECT rollup(s) AS rolled, pg_column_size(rollup(s)) AS bytes,
	   promoters(rollup(s)), responses(rollup(s)), nps(rollup(s))
FROM (VALUES ('{0,0,0,0,0,0,0,0,0,2000000000,2147483647}'::survey_summary),
			 ('{0,0,0,0,0,0,0,0,0,2000000000,1}')) v(s);
-- a moving rollup widens as the frame grows past 2^31 - 1 and keeps the
-- exact counts as summaries leave the frame again; once they fit 32 bits
-- the result is narrow again (52 bytes), the same bytes as its text read back
SELECT day, frame, pg_column_size(frame) AS bytes,
	   survey_summary_send(frame) = survey_summary_send(frame::text::survey_summary)
	   AS same_binary_form
FROM (SELECT day, rollup(s) OVER (ORDER BY day ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS frame
	  FROM (VALUES (1, '{0,0,0,0,0,0,0,0,0,0,2147483000}'::survey_summary),
				   (2, '{0,0,0,0,0,0,0,0,0,0,1000}'),
				   (3, '{0,0,0,0,0,0,0,0,0,0,5}'),
				   (4, '{3,0,0,0,0,0,0,0,0,0,0}')) v(day, s)) w;
-- a single wide summary rolled up (the combine function's first call)
SELECT rollup(s), pg_column_size(rollup(s)) AS bytes
FROM (VALUES ('{2147483648,0,0,0,0,0,0,0,0,0,0}'::survey_summary)) v(s);
-- the transition itself widens a full 32-bit count: an aggregate over the
-- shared transition function that starts two answers short of 2^31 - 1
-- and counts five nines: 2147483645 + 5 = 2147483650
CREATE AGGREGATE pg_temp.count_from_full(survey_score) (
	SFUNC = survey_summary_add_score, STYPE = survey_summary,
	INITCOND = '{0,0,0,0,0,0,0,0,0,2147483645,0}');
SELECT pg_temp.count_from_full(s) AS counted,
	   pg_column_size(pg_temp.count_from_full(s)) AS bytes
FROM (VALUES ('9'::survey_score), ('9'), ('9'), ('9'), ('9'), (NULL)) v(s);
-- and the inverse transition forgets answers from a wide state: an aggregate
-- starting at 2147483646 nines over a frame of two rows
--   day 1: 9         -> 2147483647 nines (still 32 bits)
--   day 2: 9, 9      -> 2147483648 (wide)
--   day 3: 9, 0      -> day 1's nine leaves: 2147483647 nines, one 0
--   day 4: 0, 0      -> day 2's nine leaves: 2147483646 nines, two 0s
CREATE AGGREGATE pg_temp.moving_from_full(survey_score) (
	SFUNC = survey_summary_add_score, STYPE = survey_summary,
	INITCOND = '{0,0,0,0,0,0,0,0,0,2147483646,0}',
	MSFUNC = survey_summary_add_score, MINVFUNC = survey_summary_remove_score,
	MSTYPE = survey_summary, MINITCOND = '{0,0,0,0,0,0,0,0,0,2147483646,0}');
SELECT day, frame, pg_column_size(frame) AS bytes
FROM (SELECT day, pg_temp.moving_from_full(s) OVER (ORDER BY day ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS frame
	  FROM (VALUES (1, '9'::survey_score), (2, '9'), (3, '0'), (4, '0')) v(day, s)) w;
-- and at the top of 64 bits it is an error, not a wrap-around
CREATE AGGREGATE pg_temp.count_from_top(survey_score) (
	SFUNC = survey_summary_add_score, STYPE = survey_summary,
	INITCOND = '{0,0,0,0,0,0,0,0,0,9223372036854775806,0}');
SELECT pg_temp.count_from_top(s) FROM (VALUES ('9'::survey_score)) v(s);
SELECT pg_temp.expect_error($$SELECT pg_temp.count_from_top(s) FROM (VALUES ('9'::survey_score), ('9')) v(s)$$);
-- transition and combine functions refuse to run outside an aggregate
SELECT pg_temp.expect_error($$SELECT survey_summary_add_score(NULL, '9')$$);
-- also with a state, which the inline fast path would otherwise update in place
SELECT pg_temp.expect_error($$SELECT survey_summary_add_score('{0,0,0,0,0,0,0,0,0,0,1}', '9')$$);
SELECT pg_temp.expect_error($$SELECT survey_summary_add_int4('{0,0,0,0,0,0,0,0,0,0,1}', 9)$$);
SELECT pg_temp.expect_error($$SELECT survey_summary_remove_score('{0,0,0,0,0,0,0,0,0,0,1}', '10')$$);
SELECT pg_temp.expect_error($$SELECT survey_summary_combine('{0,0,0,0,0,0,0,0,0,0,1}', '{0,0,0,0,0,0,0,0,0,0,1}')$$);

DROP TABLE answers, daily, series;
