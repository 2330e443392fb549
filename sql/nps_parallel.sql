-- Forced parallel plans give exactly the serial answers (one million rows)
CREATE TABLE big AS
SELECT g, account, s::survey_score AS score, s::smallint AS score2, s AS score4
FROM (SELECT g, g % 1000 AS account,
			 -- account 999 never answers; every 17th row is a NULL answer
			 CASE WHEN g % 1000 = 999 OR g % 17 = 0 THEN NULL
				  ELSE (g::bigint * 7919 % 11)::integer END AS s
	  FROM generate_series(1, 1000000) g) v;
VACUUM ANALYZE big;

\i sql/include/ran_in_parallel.sql

-- serial answers
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial_whole AS
SELECT nps(score) AS nps, survey_agg(score)::text AS summary, nps(score2) AS nps2, nps(score4) AS nps4,
	   survey_agg(score2)::text AS summary2, survey_agg(score4)::text AS summary4
FROM big;
CREATE TEMP TABLE serial_grouped AS
SELECT account, nps(score) AS nps, survey_agg(score)::text AS summary, nps(score2) AS nps2
FROM big GROUP BY account;
CREATE TEMP TABLE serial_empty AS
SELECT nps(score) AS nps, survey_agg(score)::text AS summary FROM big WHERE g < 0;
EXPLAIN (COSTS OFF) SELECT nps(score) FROM big;

-- forced parallel answers
\i sql/include/parallel_plans.sql
EXPLAIN (COSTS OFF) SELECT nps(score) FROM big;
EXPLAIN (COSTS OFF) SELECT account, nps(score) FROM big GROUP BY account;
SELECT pg_temp.ran_in_parallel('SELECT nps(score) FROM big') AS whole_table_ran_in_parallel;
SELECT pg_temp.ran_in_parallel('SELECT account, nps(score) FROM big GROUP BY account')
	AS grouped_ran_in_parallel;

-- whole table: the hand-checkable shape first (each score 0..10 equally often, minus the NULLs)
SELECT responses(s) AS answered, (SELECT count(score) FROM big) AS count_score FROM (SELECT survey_agg(score) AS s FROM big) v;
SELECT count(*) AS whole_table_differs FROM (
	SELECT nps(score) AS nps, survey_agg(score)::text AS summary, nps(score2) AS nps2, nps(score4) AS nps4,
		   survey_agg(score2)::text AS summary2, survey_agg(score4)::text AS summary4
	FROM big
	EXCEPT SELECT * FROM serial_whole) d;
-- grouped by 1000 accounts, including account 999 whose answers are all NULL
SELECT count(*) AS groups, count(*) FILTER (WHERE nps IS NULL) AS null_groups FROM (
	SELECT account, nps(score) AS nps FROM big GROUP BY account) g;
SELECT count(*) AS grouped_differs FROM (
	(SELECT account, nps(score) AS nps, survey_agg(score)::text AS summary, nps(score2) AS nps2
	 FROM big GROUP BY account
	 EXCEPT SELECT * FROM serial_grouped)
	UNION ALL
	(SELECT * FROM serial_grouped
	 EXCEPT SELECT account, nps(score), survey_agg(score)::text, nps(score2) FROM big GROUP BY account)) d;
SELECT nps IS NULL AS nps_null, summary IS NULL AS summary_null FROM serial_grouped WHERE account = 999;
SELECT nps(score) IS NULL AS nps_null, survey_agg(score) IS NULL AS summary_null
FROM big WHERE account = 999;
-- no rows at all
SELECT nps(score) IS NULL AS nps_null, survey_agg(score) IS NULL AS summary_null FROM big WHERE g < 0;
SELECT count(*) AS empty_differs FROM (
	SELECT nps(score), survey_agg(score)::text FROM big WHERE g < 0
	EXCEPT SELECT * FROM serial_empty) d;

-- rollup of stored per-account summaries, in parallel, equals the direct aggregate
CREATE TABLE per_account AS SELECT account, survey_agg(score) AS s FROM big GROUP BY account;
VACUUM ANALYZE per_account;
EXPLAIN (COSTS OFF) SELECT rollup(s) FROM per_account;
SELECT (SELECT rollup(s) FROM per_account)::text = (SELECT summary FROM serial_whole) AS rollup_matches;

RESET ALL;
DROP TABLE big, per_account;
