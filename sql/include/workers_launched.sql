-- shared by the *_parallel suites: did a statement run with parallel workers?
-- (EXPLAIN ANALYZE, read as JSON; it also executes the statement)
CREATE FUNCTION pg_temp.workers_launched(query text) RETURNS integer LANGUAGE plpgsql AS $f$
DECLARE
	plan json;
BEGIN
	EXECUTE 'EXPLAIN (ANALYZE, FORMAT JSON, COSTS OFF, TIMING OFF) ' || query INTO plan;
	RETURN coalesce((regexp_match(plan::text, '"Workers Launched": (\d+)'))[1]::integer, 0);
END
$f$;
