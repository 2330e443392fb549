-- trial_conversion: trial-to-paid conversion within a window, over the trials
-- whose outcome is known by as_of

\i sql/include/expect_error.sql

-- Eleven trials, 14-day window, data complete before 20 March 2026.
-- The window of a trial started on s is s .. s + 14 days, both included.
--   1  started 1 Mar, converted 10 Mar: within the window          -> converted
--   2  started 1 Mar, converted 15 Mar: the window's last day      -> converted
--   3  started 1 Mar, converted 16 Mar: after the window (ended 15) -> not converted
--   4  started 1 Mar, no conversion, window ended 15 Mar           -> not converted
--   5  started 6 Mar, no conversion, window ends 20 Mar = as_of    -> left out (open)
--   6  started 5 Mar, no conversion, window ended 19 Mar < as_of   -> not converted
--   7  started 10 Mar, converted 12 Mar (window still open)         -> converted
--   8  started 10 Mar, converted 21 Mar: not known on 20 Mar        -> left out
--   9  started 10 Mar, converted 20 Mar = as_of: not complete yet   -> left out
--  10  no start date                                                -> skipped
--  11  started 19 Mar, no conversion                                -> left out
-- converted 3 (1, 2, 7) out of 6 decided (1, 2, 3, 4, 6, 7): 50%
CREATE TABLE trials (id int, started_on date, converted_on date);
INSERT INTO trials VALUES
	(1, '2026-03-01', '2026-03-10'), (2, '2026-03-01', '2026-03-15'),
	(3, '2026-03-01', '2026-03-16'), (4, '2026-03-01', NULL),
	(5, '2026-03-06', NULL), (6, '2026-03-05', NULL),
	(7, '2026-03-10', '2026-03-12'), (8, '2026-03-10', '2026-03-21'),
	(9, '2026-03-10', '2026-03-20'), (10, NULL, '2026-03-02'),
	(11, '2026-03-19', NULL);
SELECT trial_conversion_agg(started_on, converted_on, '14 days', '2026-03-20') AS summary,
	   rate(trial_conversion_agg(started_on, converted_on, '14 days', '2026-03-20')) AS pct
FROM trials;
-- each trial on its own: (1,1) converted, (0,1) not converted, NULL left out
SELECT id, trial_conversion_agg(started_on, converted_on, '14 days', '2026-03-20') AS outcome
FROM trials GROUP BY id ORDER BY id;
-- the naive rate known on 20 March, over every trial with a start: 3 (1, 2, 7)
-- of 10, 30%, the undecided 5, 8, 9 and 11 counted as failures
SELECT round(100.0 * count(*) FILTER (WHERE converted_on <= started_on + 14
										 AND converted_on < date '2026-03-20') / count(*), 1) AS naive_pct
FROM trials WHERE started_on IS NOT NULL;
-- a week later (as_of 27 March) trials 5, 8 and 9 are decided: 8 and 9
-- converted within their windows, 5 did not; 11 is still open (ends 2 April).
-- converted 5 (1, 2, 7, 8, 9) of 9: 55.6%
SELECT trial_conversion_agg(started_on, converted_on, '14 days', '2026-03-27') AS summary
FROM trials;
-- by trial-start cohort (week of 2 March, ...): the chart without the bias;
-- week of 23 Feb holds the trials of 1 March: 2 converted of 4 decided;
-- week of 2 Mar (5, 6 March): 6 not converted, 5 open: (0,1);
-- week of 9 Mar (10 March): 7 converted, 8 and 9 open: (1,1);
-- week of 16 Mar (19 March): 11 open: NULL, no decided trial yet
SELECT date_trunc('week', started_on)::date AS cohort,
	   trial_conversion_agg(started_on, converted_on, '14 days', '2026-03-20') AS summary
FROM trials WHERE started_on IS NOT NULL GROUP BY 1 ORDER BY 1;
-- a rate_summary, so Wilson bounds and difference tests work on it:
-- 3 of 6, z = 1.959964: centre (3 + z^2/2) / (6 + z^2) = 4.920731 / 9.841459 = 0.5,
-- half-width z / (6 + z^2) * sqrt(6 * 0.5 * 0.5 + z^2 / 4) = 0.199154 * sqrt(2.460365)
-- = 0.199154 * 1.568555 = 0.312380 -> 18.76% .. 81.24%
SELECT round(rate_lower(s)::numeric, 2) AS lower, round(rate_upper(s)::numeric, 2) AS upper
FROM (SELECT trial_conversion_agg(started_on, converted_on, '14 days', '2026-03-20') AS s
	  FROM trials) x;

-- months are added as PostgreSQL adds them to a date: a trial started on
-- 31 January 2026 with a 1-month window has 28 February as its last day
SELECT trial_conversion_agg(s::date, c::date, '1 month', '2026-04-01') AS summary
FROM (VALUES ('2026-01-31', '2026-02-28'), ('2026-01-31', '2026-03-01')) v(s, c);
-- a zero window: converted on the day the trial started, or not at all
SELECT trial_conversion_agg(s::date, c::date, '0 days', '2026-04-01') AS summary
FROM (VALUES ('2026-03-01', '2026-03-01'), ('2026-03-01', '2026-03-02')) v(s, c);
-- '2 weeks' is 14 days
SELECT trial_conversion_agg(started_on, converted_on, '2 weeks', '2026-03-20') AS summary
FROM trials;

-- NULL window or as_of: the row is skipped; no rows or only undecided trials: NULL
SELECT trial_conversion_agg(started_on, converted_on, NULL, '2026-03-20') IS NULL AS null_window,
	   trial_conversion_agg(started_on, converted_on, '14 days', NULL) IS NULL AS null_as_of
FROM trials;
SELECT trial_conversion_agg(started_on, converted_on, '14 days', '2026-03-20') IS NULL AS no_rows
FROM trials WHERE false;
SELECT trial_conversion_agg(started_on, converted_on, '14 days', '2026-03-20') IS NULL AS only_open
FROM trials WHERE id IN (5, 8, 9, 11);
-- merged summaries: rollup of the cohorts gives the whole
SELECT rollup(s) AS rolled_up
FROM (SELECT trial_conversion_agg(started_on, converted_on, '14 days', '2026-03-20') AS s
	  FROM trials GROUP BY date_trunc('week', started_on)) x;

-- errors
SELECT pg_temp.expect_error($$SELECT trial_conversion_agg('2026-03-05', '2026-03-04', '14 days', '2026-04-01')$$);
SELECT pg_temp.expect_error($$SELECT trial_conversion_agg('2026-03-05', NULL, '36 hours', '2026-04-01')$$);
SELECT pg_temp.expect_error($$SELECT trial_conversion_agg('2026-03-05', NULL, '-1 day', '2026-04-01')$$);
SELECT pg_temp.expect_error($$SELECT trial_conversion_agg('2026-03-05', NULL, '1 month -1 day', '2026-04-01')$$);
SELECT pg_temp.expect_error($$SELECT trial_conversion_agg('infinity', NULL, '14 days', '2026-04-01')$$);
SELECT pg_temp.expect_error($$SELECT trial_conversion_agg('2026-03-05', 'infinity', '14 days', '2026-04-01')$$);
SELECT pg_temp.expect_error($$SELECT trial_conversion_agg('2026-03-05', NULL, '14 days', '-infinity')$$);
-- a window ending after the last date PostgreSQL has (5874897-12-31)
SELECT pg_temp.expect_error($$SELECT trial_conversion_agg('5874897-12-25', NULL, '14 days', '2026-04-01')$$);
SELECT pg_temp.expect_error($$SELECT trial_conversion_agg('5874897-12-25', NULL, '1 month', '2026-04-01')$$);
-- the transition function outside an aggregate
SELECT pg_temp.expect_error($$SELECT trial_conversion_add(NULL, '2026-03-05', NULL, '14 days', '2026-04-01')$$);

DROP TABLE trials;
