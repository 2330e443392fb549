-- shared by the pg_regress suites: run a statement that must fail and show
-- its error as "SQLSTATE: message" ('no error' if it succeeded)
CREATE FUNCTION pg_temp.expect_error(query text) RETURNS text LANGUAGE plpgsql AS $f$
BEGIN
	EXECUTE query;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ': ' || SQLERRM;
END
$f$;
