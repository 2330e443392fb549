-- the grain type (issue 14): input in any case, the implicit casts from text
-- and varchar, no collation, and which signature a text literal picks

\i sql/include/expect_error.sql

SELECT 'MONTH'::grain AS upper, 'Quarter'::grain AS mixed, 'week'::grain AS lower,
	   grain('Day') AS from_text, 'year'::varchar::grain AS from_varchar;
SELECT v, pg_temp.expect_error(format('SELECT %L::grain', v)) AS error
FROM (VALUES ('fortnight'), ('month '), (' month'), (''), ('months')) t(v);
-- no collation: the reason it exists (postgres_fdw ships an aggregate only
-- when its input collation comes from a foreign column)
SELECT pg_temp.expect_error($$SELECT pg_collation_for('month'::grain)$$) AS grain_collation,
	   pg_collation_for('month'::text) AS text_literal_collation,
	   (SELECT typcollation FROM pg_type WHERE oid = 'grain'::regtype) = 0 AS type_not_collatable;
SELECT grain_send('Month') AS bytes;

-- what PostgreSQL picks for an unknown literal when a text and a grain
-- signature both exist: text (the string category is preferred), which is
-- why 1.1 renamed the 1.0 text aggregates cohort_agg_text and
-- revenue_cohort_agg_text
CREATE FUNCTION pg_temp.pick(date, text) RETURNS text LANGUAGE sql AS $$SELECT 'text'$$;
CREATE FUNCTION pg_temp.pick(date, grain) RETURNS text LANGUAGE sql AS $$SELECT 'grain'$$;
SELECT pg_temp.pick(DATE '2024-01-01', 'month') AS literal_picks;
DROP FUNCTION pg_temp.pick(date, text);
SELECT pg_temp.pick(DATE '2024-01-01', 'month') AS literal_picks_alone,
	   pg_temp.pick(DATE '2024-01-01', 'month'::text) AS text_picks_by_cast;

-- cohort_agg and revenue_cohort_agg: a literal in any case, a text column
-- and a varchar column all give the same summary; a view stores the grain
CREATE TABLE subs (id int, started_on date, ended_on date, amount numeric, g text, gv varchar);
INSERT INTO subs SELECT i, DATE '2024-01-01' + i * 10, CASE WHEN i % 3 = 0 THEN DATE '2024-01-01' + i * 25 END,
	i * 2.5, 'Month', 'MONTH'
FROM generate_series(1, 12) i;
SELECT count(DISTINCT c::text) AS one_summary, min(c::text) = (SELECT cohort_agg_text(started_on, ended_on, 'month')::text FROM subs) AS same_as_text_aggregate
FROM (SELECT cohort_agg(started_on, ended_on, 'month') FROM subs
	  UNION ALL SELECT cohort_agg(started_on, ended_on, 'MONTH') FROM subs
	  UNION ALL SELECT cohort_agg(started_on, ended_on, g) FROM subs
	  UNION ALL SELECT cohort_agg(started_on, ended_on, gv) FROM subs
	  UNION ALL SELECT cohort_agg(started_on, ended_on, 'month'::grain) FROM subs) s(c);
SELECT count(DISTINCT r::text) AS one_revenue_summary,
	   min(r::text) = (SELECT revenue_cohort_agg_text(started_on, started_on + 40, amount, 'quarter')::text FROM subs) AS same_as_text_aggregate
FROM (SELECT revenue_cohort_agg(started_on, started_on + 40, amount, 'quarter') FROM subs
	  UNION ALL SELECT revenue_cohort_agg(started_on, started_on + 40, amount, 'Quarter'::text) FROM subs) s(r);
CREATE VIEW cohorts AS SELECT cohort_agg(started_on, ended_on, 'month') AS c FROM subs;
SELECT pg_get_viewdef('cohorts'::regclass) AS view_stores_a_grain;
SELECT pg_temp.expect_error($$SELECT cohort_agg(started_on, ended_on, 'fortnight') FROM subs$$) AS bad_literal,
	   pg_temp.expect_error($$SELECT cohort_agg(started_on, ended_on, g || 'ly') FROM subs$$) AS bad_text;
DROP VIEW cohorts;
DROP TABLE subs;
