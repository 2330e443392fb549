-- rate, CSAT and CES aggregates under forced parallel plans give exactly
-- the serial plan's answers, including empty and all-NULL groups

SET extra_float_digits = 3;

-- a million rows; group 7 has only NULL outcomes, answers and contacts
CREATE TABLE par AS
	SELECT g::integer AS id, (g % 50)::integer AS grp,
		   CASE WHEN g % 50 = 7 OR g % 13 = 0 THEN NULL ELSE (g * 7919) % 10 < 7 END AS ok,
		   CASE WHEN g % 50 = 7 OR g % 11 = 0 THEN NULL ELSE (1 + (g * 104729) % 4)::integer END AS contacts,
		   CASE WHEN g % 50 = 7 OR g % 17 = 0 THEN NULL ELSE (1 + (g * 31) % 5)::integer END AS csat5,
		   CASE WHEN g % 50 = 7 THEN NULL ELSE ((g * 37) % 11)::integer END AS score10,
		   CASE WHEN g % 50 = 7 OR g % 19 = 0 THEN NULL ELSE (1 + (g * 43) % 7)::integer END AS effort
	FROM generate_series(1::bigint, 1000000) g;
CREATE TABLE par_daily AS
	SELECT grp, id % 1000 AS day, rate_agg(ok) AS s FROM par GROUP BY 1, 2;
ANALYZE par;
ANALYZE par_daily;

-- every aggregate of this family, by group and over the whole table, as text
CREATE VIEW results AS
	SELECT grp::text AS grp,
		   rate_agg(ok)::text AS rate_agg, fcr_rate(ok)::text AS fcr_bool,
		   fcr_rate(contacts)::text AS fcr_contacts, renewal_rate(ok)::text AS renewal,
		   trial_conversion_rate(ok)::text AS conversion, csat(ok)::text AS csat_bool,
		   csat(csat5)::text AS csat5, csat(score10, 8)::text AS csat_8,
		   csat_summary(survey_agg(score10), 9)::text AS csat_summary_9,
		   ces(effort)::text AS ces, ces(effort, 7)::text AS ces7,
		   ces_easy_pct(effort)::text AS easy, ces_easy_pct(effort, 7)::text AS easy7
	FROM par GROUP BY grp
	UNION ALL
	SELECT 'all', rate_agg(ok)::text, fcr_rate(ok)::text, fcr_rate(contacts)::text,
		   renewal_rate(ok)::text, trial_conversion_rate(ok)::text, csat(ok)::text,
		   csat(csat5)::text, csat(score10, 8)::text, csat_summary(survey_agg(score10), 9)::text,
		   ces(effort)::text, ces(effort, 7)::text, ces_easy_pct(effort)::text,
		   ces_easy_pct(effort, 7)::text
	FROM par
	UNION ALL
	SELECT 'empty', rate_agg(ok)::text, fcr_rate(ok)::text, fcr_rate(contacts)::text,
		   renewal_rate(ok)::text, trial_conversion_rate(ok)::text, csat(ok)::text,
		   csat(csat5)::text, csat(score10, 8)::text, csat_summary(survey_agg(score10), 9)::text,
		   ces(effort)::text, ces(effort, 7)::text, ces_easy_pct(effort)::text,
		   ces_easy_pct(effort, 7)::text
	FROM par WHERE id < 0;
CREATE VIEW rolled AS
	SELECT grp::text AS grp, rollup(s)::text AS rolled FROM par_daily GROUP BY grp
	UNION ALL
	SELECT 'all', rollup(s)::text FROM par_daily
	UNION ALL
	SELECT 'empty', rollup(s)::text FROM par_daily WHERE day < 0;

\i sql/include/ran_in_parallel.sql

-- serial answers
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial_results AS SELECT * FROM results;
CREATE TEMP TABLE serial_rolled AS SELECT * FROM rolled;

-- forced parallel plans
\i sql/include/parallel_plans.sql
EXPLAIN (COSTS OFF)
SELECT rate_agg(ok), fcr_rate(contacts), csat(csat5), csat(score10, 8), ces(effort),
	   ces_easy_pct(effort, 7) FROM par;
EXPLAIN (COSTS OFF)
SELECT grp, rate_agg(ok), csat(score10, 8), ces(effort, 7) FROM par GROUP BY grp;
EXPLAIN (COSTS OFF) SELECT rollup(s) FROM par_daily;
-- the compared answers themselves come from plans that used workers
SELECT pg_temp.ran_in_parallel('CREATE TEMP TABLE parallel_results AS SELECT * FROM results')
	AS results_ran_in_parallel;
SELECT pg_temp.ran_in_parallel('CREATE TEMP TABLE parallel_rolled AS SELECT * FROM rolled')
	AS rolled_ran_in_parallel;

-- no row differs, in either direction
SELECT count(*) AS rows, (SELECT count(*) FROM (SELECT * FROM serial_results EXCEPT ALL
												SELECT * FROM parallel_results) d) AS only_serial,
	   (SELECT count(*) FROM (SELECT * FROM parallel_results EXCEPT ALL
							  SELECT * FROM serial_results) d) AS only_parallel
FROM serial_results;
SELECT count(*) AS rows, (SELECT count(*) FROM (SELECT * FROM serial_rolled EXCEPT ALL
												SELECT * FROM parallel_rolled) d) AS only_serial,
	   (SELECT count(*) FROM (SELECT * FROM parallel_rolled EXCEPT ALL
							  SELECT * FROM serial_rolled) d) AS only_parallel
FROM serial_rolled;

-- the all-NULL group and the empty set are NULL throughout, in both plans
SELECT * FROM parallel_results WHERE grp IN ('7', 'empty') ORDER BY grp;
SELECT * FROM parallel_rolled WHERE grp IN ('7', 'empty') ORDER BY grp;
-- rollup of the daily summaries equals the direct aggregate
SELECT count(*) AS groups_equal
FROM parallel_rolled r JOIN parallel_results d USING (grp)
WHERE r.rolled IS NOT DISTINCT FROM d.rate_agg;
-- the whole-table row, checked against plain SQL
SELECT r.rate_agg = '(' || count(*) FILTER (WHERE p.ok) || ',' || count(p.ok) || ')' AS rate_agg_ok,
	   r.csat5::float8 = 100.0 * count(*) FILTER (WHERE p.csat5 >= 4) / count(p.csat5) AS csat_ok,
	   r.fcr_contacts::float8 = 100.0 * count(*) FILTER (WHERE p.contacts = 1) / count(p.contacts) AS fcr_ok,
	   r.ces::float8 = sum(p.effort)::float8 / count(p.effort) AS ces_ok
FROM par p, parallel_results r WHERE r.grp = 'all' GROUP BY r.rate_agg, r.csat5, r.fcr_contacts, r.ces;

DROP VIEW results, rolled;
DROP TABLE par, par_daily;
