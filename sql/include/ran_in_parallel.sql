-- shared by the *_parallel suites: did a statement's aggregation really run
-- in parallel?  True when its plan (EXPLAIN ANALYZE, read as JSON; this also
-- executes the statement) has a partial aggregate and every Gather in it
-- launched at least one worker.
CREATE FUNCTION pg_temp.ran_in_parallel(query text) RETURNS boolean LANGUAGE plpgsql AS $f$
DECLARE
	plan text;
BEGIN
	EXECUTE 'EXPLAIN (ANALYZE, FORMAT JSON, COSTS OFF, TIMING OFF) ' || query INTO plan;
	RETURN plan LIKE '%"Partial Mode": "Partial"%'
		AND plan LIKE '%"Workers Launched": %'
		AND NOT plan ~ '"Workers Launched": 0[,\s]';
END
$f$;
