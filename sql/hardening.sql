-- hardening: support functions used the wrong way, bounded output, extreme
-- values (issue 15).  Every error here has a documented SQLSTATE, never
-- XX000 (doc/developing.md, "SQLSTATEs").

\i sql/include/expect_error.sql

-- 1. Inverse transition and uncombine functions called directly: outside an
-- aggregate they refuse with 0A000, as every transition function does
SELECT pg_temp.expect_error($$SELECT survival_summary_remove(NULL::survival_summary, 1, true)$$);
SELECT pg_temp.expect_error($$SELECT survival_summary_uncombine(NULL, '{(1,1,0)}')$$);
SELECT pg_temp.expect_error($$SELECT survey_summary_remove_int4(NULL, 5)$$);
SELECT pg_temp.expect_error($$SELECT survey_summary_uncombine(NULL, '{0,0,0,0,0,0,0,0,0,0,1}')$$);
SELECT pg_temp.expect_error($$SELECT rate_summary_remove_bool(NULL, true)$$);
SELECT pg_temp.expect_error($$SELECT rate_summary_uncombine(NULL, '(1,1)')$$);
SELECT pg_temp.expect_error($$SELECT customer_flow_remove_date(NULL, '2024-01-01', NULL, '2024-01-01', '2024-02-01')$$);
SELECT pg_temp.expect_error($$SELECT customer_flow_uncombine(NULL, '[2024-01-01,2024-02-01) rows=0 start=0 end=0 new=0 churned=0 transient=0')$$);

-- 2. Aggregates a user builds from the support functions in the wrong
-- order: the inverse as the transition.  Each raises 22023 "cannot remove a
-- row ..." with a detail saying what went wrong.  They live in a schema of
-- their own, dropped at the end.
CREATE SCHEMA misuse;
SET search_path = misuse, public;
CREATE FUNCTION pg_temp.detail(query text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE
	d text;
BEGIN
	EXECUTE query;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS d = PG_EXCEPTION_DETAIL;
	RETURN SQLSTATE || ': ' || SQLERRM || coalesce(' / ' || nullif(d, ''), '');
END
$f$;
-- no state at all (no INITCOND): the inverse is called with NULL
CREATE AGGREGATE backwards_rate(boolean) (SFUNC = rate_summary_remove_bool, STYPE = rate_summary);
CREATE AGGREGATE backwards_survey(integer) (SFUNC = survey_summary_remove_int4, STYPE = survey_summary);
CREATE AGGREGATE backwards_survival(float8, boolean) (SFUNC = survival_summary_remove, STYPE = survival_summary);
CREATE AGGREGATE backwards_flow(date, date, date, date) (SFUNC = customer_flow_remove_date, STYPE = customer_flow);
CREATE AGGREGATE backwards_mrr(numeric, interval) (SFUNC = mrr_state_remove, STYPE = mrr_state,
	FINALFUNC = mrr_state_sum);
CREATE AGGREGATE backwards_arr(numeric, interval) (SFUNC = arr_state_remove, STYPE = mrr_state,
	FINALFUNC = mrr_state_sum);
CREATE AGGREGATE backwards_rollup_rate(rate_summary) (SFUNC = rate_summary_uncombine, STYPE = rate_summary);
CREATE AGGREGATE backwards_rollup_survey(survey_summary) (SFUNC = survey_summary_uncombine, STYPE = survey_summary);
CREATE AGGREGATE backwards_rollup_survival(survival_summary) (SFUNC = survival_summary_uncombine, STYPE = survival_summary);
CREATE AGGREGATE backwards_rollup_flow(customer_flow) (SFUNC = customer_flow_uncombine, STYPE = customer_flow);
SELECT pg_temp.detail($$SELECT backwards_rate(true)$$);
SELECT pg_temp.detail($$SELECT backwards_survey(5)$$);
SELECT pg_temp.detail($$SELECT backwards_survival(1, true)$$);
SELECT pg_temp.detail($$SELECT backwards_flow('2024-01-01', NULL, '2024-01-01', '2024-02-01')$$);
SELECT pg_temp.detail($$SELECT backwards_mrr(100, '1 month')$$);
SELECT pg_temp.detail($$SELECT backwards_arr(100, '1 month')$$);
SELECT pg_temp.detail($$SELECT backwards_rollup_rate('(1,1)')$$);
SELECT pg_temp.detail($$SELECT backwards_rollup_survey('{0,0,0,0,0,0,0,0,0,0,1}')$$);
SELECT pg_temp.detail($$SELECT backwards_rollup_survival('{(1,1,0)}')$$);
SELECT pg_temp.detail($$SELECT backwards_rollup_flow('[2024-01-01,2024-02-01) rows=1 start=1 end=1 new=0 churned=0 transient=0')$$);
-- NULL rows are still skipped (nothing to remove, no error)
SELECT backwards_rate(NULL) AS null_row_rate, backwards_survival(NULL, true) AS null_row_survival;

-- an empty state (INITCOND): removing from it would make a count negative
CREATE AGGREGATE emptied_rate(boolean) (SFUNC = rate_summary_remove_bool, STYPE = rate_summary,
	INITCOND = '(0,0)');
CREATE AGGREGATE emptied_ces(integer) (SFUNC = ces_remove_int4, STYPE = survey_summary,
	INITCOND = '{0,0,0,0,0,0,0,0,0,0,0}');
CREATE AGGREGATE emptied_csat(integer) (SFUNC = csat_remove_int4, STYPE = rate_summary,
	INITCOND = '(0,0)');
CREATE AGGREGATE emptied_survival(float8, boolean) (SFUNC = survival_summary_remove, STYPE = survival_summary,
	INITCOND = '{}');
CREATE AGGREGATE emptied_flow(date, date, date, date) (SFUNC = customer_flow_remove_date, STYPE = customer_flow,
	INITCOND = '[2024-01-01,2024-02-01) rows=0 start=0 end=0 new=0 churned=0 transient=0');
SELECT pg_temp.detail($$SELECT emptied_rate(false)$$);
SELECT pg_temp.detail($$SELECT emptied_ces(3)$$);
SELECT pg_temp.detail($$SELECT emptied_csat(5)$$);
SELECT pg_temp.detail($$SELECT emptied_survival(1, true)$$);
SELECT pg_temp.detail($$SELECT emptied_flow('2024-01-01', NULL, '2024-01-01', '2024-02-01')$$);
-- a state that holds something else: one success, then a failure removed
-- (successes 1 > trials 0); a survival state with tenure 1, tenure 2
-- removed; a flow with one new customer, a churned one removed
CREATE AGGREGATE wrong_rate(boolean) (SFUNC = rate_summary_remove_bool, STYPE = rate_summary,
	INITCOND = '(1,1)');
CREATE AGGREGATE wrong_rollup_rate(rate_summary) (SFUNC = rate_summary_uncombine, STYPE = rate_summary,
	INITCOND = '(1,2)');
CREATE AGGREGATE wrong_survival(float8, boolean) (SFUNC = survival_summary_remove, STYPE = survival_summary,
	INITCOND = '{(1,1,0)}');
CREATE AGGREGATE wrong_rollup_survival(survival_summary) (SFUNC = survival_summary_uncombine,
	STYPE = survival_summary, INITCOND = '{(1,1,0)}');
CREATE AGGREGATE wrong_flow(date, date, date, date) (SFUNC = customer_flow_remove_date, STYPE = customer_flow,
	INITCOND = '[2024-01-01,2024-02-01) rows=1 start=0 end=1 new=1 churned=0 transient=0');
SELECT pg_temp.detail($$SELECT wrong_rate(false)$$);
SELECT pg_temp.detail($$SELECT wrong_rollup_rate('(0,2)')$$);
SELECT pg_temp.detail($$SELECT wrong_survival(2, true)$$);
SELECT pg_temp.detail($$SELECT wrong_rollup_survival('{(1,2,0)}')$$);
SELECT pg_temp.detail($$SELECT wrong_flow('2023-01-01', '2024-01-15', '2024-01-01', '2024-02-01')$$);
-- what they may legitimately remove works: (1,1) minus a success is (0,0);
-- (1,2) minus (0,1) is (1,1); {(1,1,0)} minus tenure 1 churned is {}
SELECT wrong_rate(true) AS rate_left, wrong_rollup_rate('(0,1)') AS rollup_left,
	   wrong_survival(1, true) AS survival_left;
-- the same wrong order as a moving window: the inverse as MSFUNC
CREATE AGGREGATE backwards_window(boolean) (SFUNC = rate_summary_add_bool, STYPE = rate_summary,
	MSFUNC = rate_summary_remove_bool, MINVFUNC = rate_summary_add_bool, MSTYPE = rate_summary,
	MINITCOND = '(0,0)');
SELECT pg_temp.detail($$SELECT backwards_window(b) OVER (ORDER BY x ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
	FROM (VALUES (1, true), (2, false)) AS v(x, b)$$);

RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA misuse CASCADE;
RESET client_min_messages;

-- 3. Bounded output: a retention triangle shows at most 100,000 periods per
-- cohort (273 years of days), else 54000 with a hint.  A mistyped as_of:
-- months from January 2024 to December 5874897 are
-- (5874897 - 2024) * 12 + 12 = 70,474,488 periods
SELECT pg_temp.detail($$SELECT count(*) FROM cohort_retention(
	(SELECT cohort_agg('2024-01-01'::date, NULL, 'month')), '5874897-12-31')$$);
-- a 30-byte stored summary with a revenue in period 2^31 - 1: 2^31 periods
SELECT pg_temp.detail($$SELECT count(*) FROM revenue_retention('day; 2024-01-01 {2147483647:1}')$$);
-- the limit itself: periods 0 .. 99999 of a daily cohort (as_of is the
-- cohort + 99,999 days) are allowed, one more day is not
SELECT count(*) AS periods, max(period) AS last_period
FROM cohort_retention((SELECT cohort_agg('2024-01-01'::date, NULL, 'day')), date '2024-01-01' + 99999);
SELECT pg_temp.detail($$SELECT count(*) FROM cohort_retention(
	(SELECT cohort_agg('2024-01-01'::date, NULL, 'day')), date '2024-01-01' + 100000)$$);
SELECT count(*) AS periods FROM revenue_retention('day; 2024-01-01 {99999:1}');
SELECT pg_temp.detail($$SELECT count(*) FROM revenue_retention('day; 2024-01-01 {100000:1}')$$);

-- 4. revenue_retention with revenues far from period 0's: retention_pct is
-- the nearest float8, +-Infinity beyond its range (1e400 / 1 * 100 =
-- 1e402 > 1.8e308), 0 below its smallest value (1e-398 < 4.9e-324); 1.0
-- raised 22003.  Period 4: 2 / 1 * 100 = 200.
SELECT period, retention_pct
FROM revenue_retention('month; 2024-01-01 {0:1, 1:1e400, 2:-1e400, 3:1e-400, 4:2}');
-- a ratio beyond numeric's own range (10^131071 / 10^-16383): +Infinity
SELECT period, retention_pct
FROM revenue_retention(('month; 2024-01-01 {0:0.' || repeat('0', 16382) || '1, 1:1' || repeat('0', 131071) || '}')::revenue_cohort_summary);
