-- moving_null: every moving-window aggregate with a frame that starts with a
-- NULL input, a frame of NULLs only, and NULLs in the middle of a frame
-- (issue 15).  Each aggregate runs over seven rows, x = 1..7, whose inputs are
--   x:  1     2  3     4     5  6     7
--       NULL  A  NULL  NULL  B  NULL  C
-- in two windows that use the inverse transition (the frame head moves):
--   m1 = ROWS BETWEEN 1 PRECEDING AND CURRENT ROW:
--        {1} {1,2} {2,3} {3,4} {4,5} {5,6} {6,7}  =  -  A  A  -  B  B  C
--   m2 = ROWS BETWEEN 2 PRECEDING AND CURRENT ROW:
--        {1} {1,2} {1,2,3} {2,3,4} {3,4,5} {4,5,6} {5,6,7}  =  -  A  A  A  B  B  B+C
-- ("-" is NULL: a frame without a non-NULL input gives NULL, as the plain
-- aggregate over no rows).  The columns show the seven results of m1, then
-- of m2, worked out by hand in the comments; "same" compares each result
-- with the plain aggregate over the same frame (a correlated subquery,
-- which never uses the inverse transition).

CREATE TABLE w (
	x int, b boolean, contacts int, score int, nps_answer int,
	tenure float8, churned boolean,
	started_on date, ended_on date, amount numeric, billing_period interval,
	ss survey_summary, rs rate_summary, sv survival_summary, cf customer_flow);
INSERT INTO w VALUES
	(1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
	(2, true, 1, 5, 10, 1, true, '2024-01-01', NULL, 100, '1 month',
	 '{0,0,0,0,0,0,0,0,0,0,1}', '(1,1)', '{(1,1,0)}',
	 '[2024-01-01,2024-02-01) rows=1 start=1 end=1 new=0 churned=0 transient=0'),
	(3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
	(4, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
	(5, false, 2, 2, 3, 2, false, '2023-06-01', '2024-01-15', 2400, '1 year',
	 '{0,0,0,1,0,0,0,0,0,0,0}', '(0,1)', '{(2,0,1)}',
	 '[2024-01-01,2024-02-01) rows=1 start=1 end=0 new=0 churned=1 transient=0'),
	(6, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
	(7, true, 1, 4, 8, 3, true, '2024-01-10', NULL, 30, '1 week',
	 '{0,0,0,0,0,0,0,0,1,0,0}', '(1,1)', '{(3,1,0)}',
	 '[2024-01-01,2024-02-01) rows=1 start=0 end=1 new=1 churned=0 transient=0');

-- run one aggregate call (an expression over w's columns) in both windows
-- and against the plain aggregate over the same frames
CREATE FUNCTION pg_temp.moving(expr text, OUT m1 text, OUT m2 text, OUT same boolean)
LANGUAGE plpgsql AS $f$
BEGIN
	EXECUTE format($q$
		SELECT string_agg(coalesce(m1::text, '-'), ' | ' ORDER BY x),
			   string_agg(coalesce(m2::text, '-'), ' | ' ORDER BY x),
			   bool_and(m1::text IS NOT DISTINCT FROM n1::text AND
						m2::text IS NOT DISTINCT FROM n2::text)
		FROM (SELECT o.x,
					 %1$s OVER (ORDER BY o.x ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS m1,
					 %1$s OVER (ORDER BY o.x ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS m2,
					 (SELECT %1$s FROM w WHERE w.x BETWEEN o.x - 1 AND o.x) AS n1,
					 (SELECT %1$s FROM w WHERE w.x BETWEEN o.x - 2 AND o.x) AS n2
			  FROM w AS o) AS s$q$, expr)
	INTO m1, m2, same;
END
$f$;

\pset format unaligned
\pset fieldsep ' ## '
\pset tuples_only on
-- aggregate ## m1 ## m2 ## same

-- yes/no rates: A = true, B = false, C = true.  m1: - 100 100 - 0 0 100;
-- m2: - 100 100 100 0 0 50 (B+C: 1 of 2)
SELECT 'rate_agg', * FROM pg_temp.moving('rate_agg(b)');
SELECT 'fcr_rate(boolean)', * FROM pg_temp.moving('fcr_rate(b)');
SELECT 'renewal_rate', * FROM pg_temp.moving('renewal_rate(b)');
SELECT 'trial_conversion_rate', * FROM pg_temp.moving('trial_conversion_rate(b)');
SELECT 'csat(boolean)', * FROM pg_temp.moving('csat(b)');
-- contacts to resolve: 1, 2, 1 (first contact = success): as above
SELECT 'fcr_rate(integer)', * FROM pg_temp.moving('fcr_rate(contacts)');
-- scores 5, 2, 4: satisfied from 4 (default) and from 3: yes, no, yes
SELECT 'csat(integer)', * FROM pg_temp.moving('csat(score)');
SELECT 'csat(integer, integer)', * FROM pg_temp.moving('csat(score, 3)');
-- effort 5, 2, 4: means 5, 2, (2 + 4) / 2 = 3
SELECT 'ces(integer)', * FROM pg_temp.moving('ces(score)');
SELECT 'ces(integer, integer)', * FROM pg_temp.moving('ces(score, 5)');
-- easy on 1..7 is 5..7: yes, no, no (B+C: 0 of 2);
-- easy on 1..5 is 3..5: yes, no, yes (B+C: 1 of 2)
SELECT 'ces_easy_pct(integer)', * FROM pg_temp.moving('ces_easy_pct(score)');
SELECT 'ces_easy_pct(integer, integer)', * FROM pg_temp.moving('ces_easy_pct(score, 5)');
-- NPS answers 10, 3, 8: NPS 100, -100, and B+C (a detractor and a passive) -50
SELECT 'survey_agg(integer)', * FROM pg_temp.moving('survey_agg(nps_answer)');
SELECT 'survey_agg(smallint)', * FROM pg_temp.moving('survey_agg(nps_answer::smallint)');
SELECT 'survey_agg(survey_score)', * FROM pg_temp.moving('survey_agg(nps_answer::survey_score)');
SELECT 'nps(integer)', * FROM pg_temp.moving('nps(nps_answer)');
SELECT 'nps(smallint)', * FROM pg_temp.moving('nps(nps_answer::smallint)');
SELECT 'nps(survey_score)', * FROM pg_temp.moving('nps(nps_answer::survey_score)');
-- tenures 1 (churned), 2 (censored), 3 (churned)
SELECT 'survival_agg', * FROM pg_temp.moving('survival_agg(tenure, churned)');
-- customers: A active since the period start (retained), B churned on
-- 2024-01-15, C new on 2024-01-10, against January 2024.  Churn: A 0 %,
-- B 100 %, C alone NULL (S = 0), B+C 100 % (S = 1, 1 churned);
-- retention: A 100, B 0, C NULL, B+C 0
SELECT 'customer_flow_agg(date)', * FROM pg_temp.moving(
	$$customer_flow_agg(started_on, ended_on, date '2024-01-01', date '2024-02-01')$$);
SELECT 'churn_rate(date)', * FROM pg_temp.moving(
	$$churn_rate(started_on, ended_on, date '2024-01-01', date '2024-02-01')$$);
SELECT 'retention_rate(date)', * FROM pg_temp.moving(
	$$retention_rate(started_on, ended_on, date '2024-01-01', date '2024-02-01')$$);
SELECT 'customer_flow_agg(timestamptz)', * FROM pg_temp.moving(
	$$customer_flow_agg(started_on::timestamptz, ended_on::timestamptz,
						timestamptz '2024-01-01 00:00+00', timestamptz '2024-02-01 00:00+00')$$);
SELECT 'churn_rate(timestamptz)', * FROM pg_temp.moving(
	$$churn_rate(started_on::timestamptz, ended_on::timestamptz,
				 timestamptz '2024-01-01 00:00+00', timestamptz '2024-02-01 00:00+00')$$);
SELECT 'retention_rate(timestamptz)', * FROM pg_temp.moving(
	$$retention_rate(started_on::timestamptz, ended_on::timestamptz,
					 timestamptz '2024-01-01 00:00+00', timestamptz '2024-02-01 00:00+00')$$);
-- 100 a month, 2400 a year, 30 a week.  MRR 100, 200, 30 * 30.4375 / 7 =
-- 130.44642857142857... = 130.4464285714; B+C 330.4464285714.
-- ARR 1200, 2400, 30 * 365.25 / 7 = 1565.35714285714285... = 1565.3571428571;
-- B+C 3965.3571428571
SELECT 'mrr', * FROM pg_temp.moving('mrr(amount, billing_period)');
SELECT 'arr', * FROM pg_temp.moving('arr(amount, billing_period)');
-- the summaries of A, B and C, rolled up: as the aggregates above
SELECT 'rollup(survey_summary)', * FROM pg_temp.moving('rollup(ss)');
SELECT 'rollup(rate_summary)', * FROM pg_temp.moving('rollup(rs)');
SELECT 'rollup(survival_summary)', * FROM pg_temp.moving('rollup(sv)');
SELECT 'rollup(customer_flow)', * FROM pg_temp.moving('rollup(cf)');

-- a frame that empties and then takes rows of another period: the moving
-- state of customer_flow_agg has no rows left and takes the new period, as
-- the plain aggregate over that frame would (December 2023, then January)
SELECT * FROM pg_temp.moving($$customer_flow_agg(started_on, ended_on,
	CASE WHEN x < 4 THEN date '2023-12-01' ELSE date '2024-01-01' END,
	CASE WHEN x < 4 THEN date '2024-01-01' ELSE date '2024-02-01' END)$$);

\pset format aligned
\pset tuples_only off

-- the rolling NPS of doc/nps.md on days whose answers were all NULL: the
-- daily summaries of days 2 and 3 are NULL; the 2-day rolling NPS over
-- (day 1: 10, 10), (day 2: NULL), (day 3: NULL), (day 4: 0) is
-- 100, 100, NULL, -100
SELECT day, nps(rollup(s) OVER (ORDER BY day ROWS BETWEEN 1 PRECEDING AND CURRENT ROW))
FROM (SELECT day, survey_agg(answer) AS s
	  FROM (VALUES (1, 10), (1, 10), (2, NULL), (3, NULL), (4, 0)) AS a(day, answer)
	  GROUP BY day) AS d
ORDER BY day;

DROP TABLE w;
