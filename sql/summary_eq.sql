-- summary_eq: = and <> and hashing of every summary type (equal summaries
-- describe the same data, compared in a canonical form), SELECT DISTINCT,
-- UNION, IN, GROUP BY, joins and hash indexes on summary columns; min() and
-- max() of survey_score (issue 15)

\i sql/include/expect_error.sql

-- pairs of values: equal (same data, maybe written differently) or not;
-- for each pair = , <> and whether the hashes agree (they must when equal)
CREATE FUNCTION pg_temp.pair(a anyelement, b anyelement, OUT eq boolean, OUT ne boolean, OUT hash_agrees boolean)
LANGUAGE plpgsql AS $f$
BEGIN
	eq := a = b;
	ne := a <> b;
	EXECUTE format('SELECT %I(%L::%s) = %I(%L::%s)',
				   pg_typeof(a)::text || '_hash', a, pg_typeof(a), pg_typeof(a)::text || '_hash', b, pg_typeof(b))
		INTO hash_agrees;
END
$f$;

-- survey_summary: the same counts, different counts
SELECT 'survey same' AS pair, * FROM pg_temp.pair('{0,0,0,0,0,0,0,1,0,2,3}'::survey_summary, '{0,0,0,0,0,0,0,1,0,2,3}');
SELECT 'survey differs', * FROM pg_temp.pair('{0,0,0,0,0,0,0,1,0,2,3}'::survey_summary, '{0,0,0,0,0,0,0,1,0,3,2}');
-- the summary a moving window returns after a summary with 2^31 answers
-- left its frame (the state went wide) equals the one built directly
SELECT x, s = '{0,0,0,0,0,0,0,0,0,0,1}' AS equals_direct
FROM (SELECT x, rollup(v) OVER (ORDER BY x ROWS BETWEEN CURRENT ROW AND 1 FOLLOWING) AS s
	  FROM (VALUES (1, '{2147483648,0,0,0,0,0,0,0,0,0,0}'::survey_summary),
				   (2, '{0,0,0,0,0,0,0,0,0,0,1}')) AS v(x, v)) AS w
WHERE x = 2;
-- rate_summary
SELECT 'rate same', * FROM pg_temp.pair('(3,4)'::rate_summary, '( 3 , 4 )');
SELECT 'rate differs', * FROM pg_temp.pair('(3,4)'::rate_summary, '(3,5)');
-- customer_flow: the same counts in another period, or as timestamps, differ
SELECT 'flow same', * FROM pg_temp.pair(
	'[2024-01-01,2024-02-01) rows=3 start=2 end=2 new=1 churned=1 transient=0'::customer_flow,
	(SELECT customer_flow_agg(s, e, '2024-01-01', '2024-02-01')
	 FROM (VALUES ('2023-05-01'::date, NULL::date), ('2023-06-01', '2024-01-20'), ('2024-01-10', NULL)) AS v(s, e)));
SELECT 'flow other period', * FROM pg_temp.pair(
	'[2024-01-01,2024-02-01) rows=0 start=0 end=0 new=0 churned=0 transient=0'::customer_flow,
	'[2024-02-01,2024-03-01) rows=0 start=0 end=0 new=0 churned=0 transient=0');
SELECT 'flow date vs timestamptz', * FROM pg_temp.pair(
	'[2024-01-01,2024-02-01) rows=0 start=0 end=0 new=0 churned=0 transient=0'::customer_flow,
	'["2024-01-01 00:00:00+00","2024-02-01 00:00:00+00") rows=0 start=0 end=0 new=0 churned=0 transient=0');
-- survival_summary: tenure 1.0 is tenure 1, and -0 is 0
SELECT 'survival same', * FROM pg_temp.pair('{(0,1,0),(1.0,1,2)}'::survival_summary, '{(-0,1,0),(1,1,2)}');
SELECT 'survival differs', * FROM pg_temp.pair('{(1,1,2)}'::survival_summary, '{(1,2,1)}');
-- cohort_summary: the same cells built two ways (text, aggregate), another grain
SELECT 'cohort same', * FROM pg_temp.pair(
	(SELECT cohort_agg(s, e, 'month') FROM (VALUES ('2024-01-05'::date, '2024-02-10'::date), ('2024-01-20', NULL)) AS v(s, e)),
	(SELECT cohort_agg(s, e, 'month') FROM (VALUES ('2024-01-20'::date, NULL::date), ('2024-01-05', '2024-02-10')) AS v(s, e)));
SELECT 'cohort other grain', * FROM pg_temp.pair(
	(SELECT cohort_agg('2024-01-01'::date, NULL, 'month')), (SELECT cohort_agg('2024-01-01'::date, NULL, 'quarter')));
-- revenue_cohort_summary: 100.00 = 100 and 90.50 = 90.5 (numeric equality
-- ignores the scale); a cell that sums to 0 is not the same as no cell
SELECT 'revenue scales', * FROM pg_temp.pair(
	'month; 2024-01-01 {0:100.00, 1:90.50}'::revenue_cohort_summary, 'month; 2024-01-01 {0:100, 1:90.5}');
SELECT 'revenue amounts', * FROM pg_temp.pair(
	'month; 2024-01-01 {0:100.00, 1:90.50}'::revenue_cohort_summary, 'month; 2024-01-01 {0:100, 1:90.05}');
SELECT 'revenue zero cell', * FROM pg_temp.pair(
	'month; 2024-01-01 {0:100, 1:0}'::revenue_cohort_summary, 'month; 2024-01-01 {0:100}');
-- mrr_bridge: a bridge shows the largest scale of its rows; 10.0 -> 12.50
-- (scale 2) and 10 -> 12.5 (scale 1) are the same movement
SELECT 'bridge scales', * FROM pg_temp.pair((SELECT mrr_bridge_agg(10.0, 12.50, true)), (SELECT mrr_bridge_agg(10, 12.5, true)));
-- 0 -> 12.5 is a reactivation when the customer paid before, else new MRR
SELECT 'bridge differs', * FROM pg_temp.pair((SELECT mrr_bridge_agg(0, 12.5, true)), (SELECT mrr_bridge_agg(0, 12.5, false)));

-- the result of an aggregate compared in the same query (the states of
-- survival_agg, cohort_agg and revenue_cohort_agg are expanded objects the
-- operators read as flat values): tenure 1 churned, 2 censored; two
-- customers of January 2024; 10.0 twice in period 0 = 20
SELECT survival_agg(t, c) = '{(1,1,0),(2,0,1)}' AS survival_equal,
	   survival_summary_hash(survival_agg(t, c)) = survival_summary_hash('{(1,1,0),(2,0,1)}') AS survival_hash,
	   cohort_agg(s, NULL, 'month') = (SELECT cohort_agg(x, NULL, 'month')
									   FROM (VALUES ('2024-01-09'::date), ('2024-01-05')) AS w(x)) AS cohort_equal,
	   cohort_agg(s, NULL, 'month') <> (SELECT cohort_agg('2024-01-09'::date, NULL, 'month')) AS cohort_differs,
	   revenue_cohort_agg(s, s, 10.0, 'month') = 'month; 2024-01-01 {0:20}' AS revenue_equal
FROM (VALUES (1, true, '2024-01-05'::date), (2, false, '2024-01-09')) AS v(t, c, s);

-- a table of summaries: DISTINCT, GROUP BY, UNION, IN, a join and a hash index
CREATE TABLE stored (id int, r rate_summary, rev revenue_cohort_summary, b mrr_bridge);
INSERT INTO stored VALUES
	(1, '(1,2)', 'month; 2024-01-01 {0:100.00}', '{starting_mrr=10.00, new_mrr=0.00, expansion_mrr=2.50, reactivation_mrr=0.00, contraction_mrr=0.00, churned_mrr=0.00, new=0, expansion=1, reactivation=0, contraction=0, churn=0, unchanged=0, inactive=0}'),
	(2, '(1,2)', 'month; 2024-01-01 {0:100}', '{starting_mrr=10.0, new_mrr=0.0, expansion_mrr=2.5, reactivation_mrr=0.0, contraction_mrr=0.0, churned_mrr=0.0, new=0, expansion=1, reactivation=0, contraction=0, churn=0, unchanged=0, inactive=0}'),
	(3, '(2,2)', 'month; 2024-01-01 {0:100.5}', '{starting_mrr=0, new_mrr=5, expansion_mrr=0, reactivation_mrr=0, contraction_mrr=0, churned_mrr=0, new=1, expansion=0, reactivation=0, contraction=0, churn=0, unchanged=0, inactive=0}'),
	(4, NULL, NULL, NULL);
-- by hand: rows 1 and 2 hold the same data in every column (written with
-- other scales), row 3 other data, row 4 NULLs: three distinct values per
-- column (NULL included); groups {1,2}, {3}, {4}; UNION keeps 3 rows; the
-- IN lists find row 3, then rows 1 and 2; the join pairs 1 with 2
SELECT (SELECT count(*) FROM (SELECT DISTINCT r FROM stored) AS d) AS distinct_rates,
	   (SELECT count(*) FROM (SELECT DISTINCT rev FROM stored) AS d) AS distinct_revenues,
	   (SELECT count(*) FROM (SELECT DISTINCT b FROM stored) AS d) AS distinct_bridges;
SELECT r, count(*), sum(id) AS sum_of_ids FROM stored GROUP BY r ORDER BY sum_of_ids, count(*);
-- summaries have no order: an ordered aggregate in a group by a summary,
-- count(DISTINCT summary) and ORDER BY summary are refused (group or sort
-- by the text form instead)
SELECT pg_temp.expect_error($$SELECT r, string_agg(id::text, ',' ORDER BY id) FROM stored GROUP BY r$$);
SELECT pg_temp.expect_error($$SELECT count(DISTINCT r) FROM stored$$);
SELECT pg_temp.expect_error($$SELECT r FROM stored ORDER BY r$$);
SELECT rev, count(*) FROM stored GROUP BY rev ORDER BY count(*) DESC, rev::text;
SELECT count(*) AS union_rows FROM (SELECT b FROM stored UNION SELECT b FROM stored) AS u;
SELECT id FROM stored WHERE r IN ('(2,2)', '(0,1)') ORDER BY id;
SELECT id FROM stored WHERE rev IN (SELECT 'month; 2024-01-01 {0:100.000}'::revenue_cohort_summary) ORDER BY id;
SELECT a.id, b.id FROM stored a JOIN stored b ON a.b = b.b AND a.id < b.id ORDER BY 1, 2;
CREATE INDEX ON stored USING hash (rev);
SET enable_seqscan = off;
SELECT id FROM stored WHERE rev = 'month; 2024-01-01 {0:100.0}' ORDER BY id;
RESET enable_seqscan;
DROP TABLE stored;

-- min() and max() of survey_score: NULLs skipped, none -> NULL
SELECT min(s), max(s) FROM (VALUES (7::survey_score), (NULL), (3::survey_score), (10::survey_score)) AS v(s);
SELECT min(s) IS NULL AS no_rows_min, max(s) IS NULL AS no_rows_max FROM (VALUES (NULL::survey_score)) AS v(s);

-- the summary types of 1.1's new families: the same data written with other
-- scales is equal, other data is not, a text round trip is equal
SELECT purchase_history_agg(d, a, DATE '2024-03-01', '1 day')
	   = (SELECT purchase_history_agg(d, a::numeric(10,3), DATE '2024-03-01', '1 day')
		  FROM (VALUES (DATE '2024-01-05', 10.5), (DATE '2024-02-01', 20)) AS w(d, a)) AS history_equal,
	   purchase_history_agg(d, a, DATE '2024-03-01', '1 day')
	   <> (SELECT purchase_history_agg(d, a + 1, DATE '2024-03-01', '1 day')
		   FROM (VALUES (DATE '2024-01-05', 10.5), (DATE '2024-02-01', 20)) AS w(d, a)) AS history_differs
FROM (VALUES (DATE '2024-01-05', 10.50), (DATE '2024-02-01', 20.00)) AS v(d, a);
SELECT subscription_history_agg(c, s, e, a, '1 month')
	   = (SELECT subscription_history_agg(c, s, e, a::numeric(10,3), '1 month')
		  FROM (VALUES (1, DATE '2024-01-01', DATE '2024-03-01', 100)) AS w(c, s, e, a)) AS ledger_equal,
	   subscription_history_agg(c, s, e, a, '1 month')
	   <> (SELECT subscription_history_agg(c, s, e, a, '1 month')
		   FROM (VALUES (1, DATE '2024-01-01', DATE '2024-04-01', 100)) AS w(c, s, e, a)) AS ledger_differs
FROM (VALUES (1, DATE '2024-01-01', DATE '2024-03-01', 100.00)) AS v(c, s, e, a);
SELECT f = f::text::clv_fit_state AS fit_state_round_trip,
	   f <> 'sbg{(1,1):369,(7,0):240}'::clv_fit_state AS fit_state_differs
FROM (SELECT 'sbg{(1,1):369,(7,0):241}'::clv_fit_state AS f) AS s;
CREATE TEMP VIEW lost AS
SELECT least(t0, 7) AS t, t0 < 8 AS churned
FROM (VALUES (1, 369), (2, 163), (3, 86), (4, 56), (5, 37), (6, 27), (7, 21), (8, 241)) AS v(t0, n),
	 generate_series(1, n);
-- models: the Regular segment of Fader and Hardie (2007) (369, 163, 86, 56,
-- 37, 27, 21 lost in years 1 to 7, 241 active after 7), and the same with
-- one customer more lost in year 1
SELECT m = m::text::sbg_model AS sbg_round_trip,
	   m <> (SELECT sbg_fit(t, churned) FROM (SELECT * FROM lost UNION ALL SELECT 1, true) AS l) AS sbg_differs,
	   (SELECT count(*) FROM (SELECT DISTINCT x FROM (VALUES (m), (m::text::sbg_model)) AS d(x)) AS dd) AS distinct_models
FROM (SELECT sbg_fit(t, churned) AS m FROM lost) AS s;

-- ANALYZE compares sampled summaries pairwise with = (each comparison
-- frees what it builds: it once kept them all, and ANALYZE of a table of
-- 600,000 summaries ran the server out of memory).  1000 rows of 10
-- distinct survival summaries: n_distinct 10, the most common values each
-- 100 rows, a frequency of 0.1
CREATE TABLE analysed AS
SELECT i, (SELECT survival_agg(t, true) FROM generate_series(1, i % 10 + 1) AS t) AS s
FROM generate_series(1, 1000) AS i;
ANALYZE analysed;
SELECT n_distinct, array_length(most_common_freqs, 1) AS common_values, most_common_freqs[1] AS top_frequency
FROM pg_stats WHERE tablename = 'analysed' AND attname = 's';
DROP TABLE analysed;

-- activity_summary (issue 11): the same users on the same days, written with
-- touching runs joined and users in another order by the aggregate; another
-- id kind, or no time against zero time, differ; the aggregate's state
-- compared in the same query
SELECT 'activity same', * FROM pg_temp.pair(
	'bigint time_us=none {1:2024-01-01/2024-01-03,5:2024-01-02}'::activity_summary,
	(SELECT activity_agg(u, d) FROM (VALUES (5::bigint, '2024-01-02'::date), (1, '2024-01-03'),
										   (1, '2024-01-01'), (1, '2024-01-02')) AS v(u, d)));
SELECT 'activity other kind', * FROM pg_temp.pair(
	'bigint time_us=none {1:2024-01-01}'::activity_summary, 'text time_us=none {8000000000000001:2024-01-01}');
SELECT 'activity time', * FROM pg_temp.pair(
	'bigint time_us=none {1:2024-01-01}'::activity_summary, 'bigint time_us=0 {1:2024-01-01}');
SELECT activity_agg(u, d) = 'bigint time_us=none {1:2024-01-01,2:2024-01-01}' AS activity_equal,
	   activity_summary_hash(activity_agg(u, d))
	   = activity_summary_hash('bigint time_us=none {1:2024-01-01,2:2024-01-01}') AS activity_hash
FROM (VALUES (2::bigint, '2024-01-01'::date), (1, '2024-01-01')) AS v(u, d);
