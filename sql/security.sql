-- The install and update scripts under a hostile schema, on the model of
-- PostgreSQL's contrib/seg/sql/security.sql.  A database owner who is not a
-- superuser creates, in the schema the extension will be installed in,
-- functions and operators whose argument types match an unqualified use
-- better than the built-ins do.  CREATE EXTENSION runs its script with
-- search_path = that schema, pg_temp (pg_catalog implicitly first), so an
-- unqualified operator in a function body would bind to a trap, and the
-- trap would run as whoever calls the function.  Every trap raises an error
-- naming the user it runs as; the test shows that no trap is bound
-- (pg_depend) or called, by the install, the 1.0 -> 1.1 update or any
-- SQL-language function of the extension.
\i sql/include/expect_error.sql
DROP EXTENSION csmetrics;
SELECT current_database() AS datname, current_user AS superuser \gset
CREATE ROLE regress_csm_owner;
CREATE ROLE regress_csm_reader;
ALTER DATABASE :"datname" OWNER TO regress_csm_owner;

-- (the helpers name the schema the owner creates below)
SET check_function_bodies = off;
-- the extension's objects depend on nothing outside the extension in the
-- trapped schema
CREATE FUNCTION pg_temp.bound_traps() RETURNS TABLE (member text, bound_to text)
LANGUAGE sql AS $f$
	WITH members AS (
		SELECT d.classid, d.objid FROM pg_depend d
		WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
		  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'csmetrics'))
	SELECT pg_describe_object(d.classid, d.objid, d.objsubid),
		   pg_describe_object(d.refclassid, d.refobjid, d.refobjsubid)
	FROM pg_depend d JOIN members m ON m.classid = d.classid AND m.objid = d.objid
	WHERE (d.refclassid = 'pg_proc'::regclass AND d.refobjid IN
			(SELECT oid FROM pg_proc WHERE pronamespace = 'csm_target'::regnamespace)
			AND NOT EXISTS (SELECT 1 FROM members m2 WHERE m2.classid = d.refclassid AND m2.objid = d.refobjid))
	   OR (d.refclassid = 'pg_operator'::regclass AND d.refobjid IN
			(SELECT oid FROM pg_operator WHERE oprnamespace = 'csm_target'::regnamespace)
			AND NOT EXISTS (SELECT 1 FROM members m2 WHERE m2.classid = d.refclassid AND m2.objid = d.refobjid))
	ORDER BY 1, 2
$f$;
-- every SQL-language function of the extension, called with the hostile
-- schema first in search_path: goal_band, goal_met, and the trigger
-- functions metric_goals_mark_user (on a write to metric_goals),
-- metric_goals_note_removed (a default edited or deleted) and
-- metric_goals_apply_removed (a row written to metric_goals_removed); the
-- edits of defaults are rolled back
CREATE FUNCTION pg_temp.use_goals() RETURNS TABLE (band text, met boolean, met_lower_better boolean,
												   unknown_metric text, edit text, removed text)
LANGUAGE plpgsql AS $f$
BEGIN
	SET LOCAL search_path = csm_target, public;
	band := csm_target.goal_band('nps', 60)::text;
	met := csm_target.goal_met('nps', 90);
	met_lower_better := csm_target.goal_met('monthly_churn_rate', 4);
	unknown_metric := pg_temp.expect_error($$SELECT csm_target.goal_met('happiness', 1)$$) || ' / ' ||
		pg_temp.expect_error($$SELECT csm_target.goal_band('happiness', 1)$$);
	edit := pg_temp.expect_error($$INSERT INTO csm_target.metric_goals
		(metric, unit, goal_low, higher_is_better, source, is_default)
		VALUES ('regress_goal', 'percent', 40, true, 'a test', true)$$);
	IF edit = 'no error' THEN
		SELECT 'inserted, is_default = ' || g.is_default INTO edit
		FROM csm_target.metric_goals g WHERE g.metric = 'regress_goal';
		DELETE FROM csm_target.metric_goals WHERE metric = 'regress_goal';
		BEGIN
			UPDATE csm_target.metric_goals SET note = 'edited' WHERE metric = 'nps' AND is_default;
			DELETE FROM csm_target.metric_goals WHERE metric = 'csat' AND is_default;
			INSERT INTO csm_target.metric_goals_removed VALUES ('fcr_rate');
			SELECT string_agg(r.metric, ',' ORDER BY r.metric) || ' (' ||
				   (SELECT count(*) FROM csm_target.metric_goals g WHERE g.is_default) || ' defaults left)'
			INTO removed FROM csm_target.metric_goals_removed r;
			RAISE EXCEPTION 'roll back' USING ERRCODE = 'CSMRB';
		EXCEPTION WHEN SQLSTATE 'CSMRB' THEN
			NULL;
		END;
	END IF;
	RETURN NEXT;
END
$f$;
RESET check_function_bodies;

SET ROLE regress_csm_owner;
CREATE SCHEMA csm_target;
CREATE FUNCTION csm_target.trap() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'trap called by %', current_user; END $$;
CREATE FUNCTION csm_target.trap_enum_text(anyenum, text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'trap =(anyenum, text) called by %', current_user; END $$;
CREATE OPERATOR csm_target.= (LEFTARG = anyenum, RIGHTARG = text, FUNCTION = csm_target.trap_enum_text);
CREATE FUNCTION csm_target.trap_text_text(text, text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'trap for text called by %', current_user; END $$;
CREATE OPERATOR csm_target.|| (LEFTARG = text, RIGHTARG = text, FUNCTION = csm_target.trap_text_text);
CREATE FUNCTION csm_target.trap_text_eq(text, text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'trap =(text, text) called by %', current_user; END $$;
CREATE OPERATOR csm_target.= (LEFTARG = text, RIGHTARG = text, FUNCTION = csm_target.trap_text_eq);
CREATE FUNCTION csm_target.trap_int_int(integer, integer) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'trap =(integer, integer) called by %', current_user; END $$;
CREATE OPERATOR csm_target.= (LEFTARG = integer, RIGHTARG = integer, FUNCTION = csm_target.trap_int_int);
CREATE FUNCTION csm_target.trap_numeric_int(numeric, integer) RETURNS numeric LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'trap for numeric and integer called by %', current_user; END $$;
CREATE OPERATOR csm_target.* (LEFTARG = numeric, RIGHTARG = integer, FUNCTION = csm_target.trap_numeric_int);
CREATE OPERATOR csm_target./ (LEFTARG = numeric, RIGHTARG = integer, FUNCTION = csm_target.trap_numeric_int);
CREATE OPERATOR csm_target.+ (LEFTARG = numeric, RIGHTARG = integer, FUNCTION = csm_target.trap_numeric_int);
CREATE FUNCTION csm_target.trap_float_int(double precision, integer) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'trap for double precision and integer called by %', current_user; END $$;
CREATE OPERATOR csm_target.< (LEFTARG = double precision, RIGHTARG = integer, FUNCTION = csm_target.trap_float_int);
CREATE OPERATOR csm_target.> (LEFTARG = double precision, RIGHTARG = integer, FUNCTION = csm_target.trap_float_int);
CREATE OPERATOR csm_target.<= (LEFTARG = double precision, RIGHTARG = integer, FUNCTION = csm_target.trap_float_int);
CREATE FUNCTION csm_target.trap_date_int(date, integer) RETURNS date LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'trap for date and integer called by %', current_user; END $$;
CREATE OPERATOR csm_target.+ (LEFTARG = date, RIGHTARG = integer, FUNCTION = csm_target.trap_date_int);
CREATE OPERATOR csm_target.- (LEFTARG = date, RIGHTARG = integer, FUNCTION = csm_target.trap_date_int);
CREATE FUNCTION csm_target.trap_bool_unknown(boolean, text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'trap =(boolean, text) called by %', current_user; END $$;
CREATE OPERATOR csm_target.= (LEFTARG = boolean, RIGHTARG = text, FUNCTION = csm_target.trap_bool_unknown);
CREATE FUNCTION csm_target.coalesce(anyelement, anyelement) RETURNS anyelement LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'trap coalesce called by %', current_user; END $$;
CREATE FUNCTION csm_target.pg_extension_config_dump(text, text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'trap pg_extension_config_dump called by %', current_user; END $$;
CREATE FUNCTION csm_target.lower(text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'trap lower called by %', current_user; END $$;
SELECT count(*) AS traps FROM pg_operator WHERE oprnamespace = 'csm_target'::regnamespace;

-- csmetrics 1.0 may only be installed by a superuser: its script binds
-- goal_met to a trap (below); 1.1, the default, is a trusted extension
SELECT pg_temp.expect_error($$CREATE EXTENSION csmetrics VERSION '1.0' SCHEMA csm_target$$);

-- 1. the owner installs 1.1 into the trapped schema as a trusted extension
CREATE EXTENSION csmetrics SCHEMA csm_target;
SELECT e.extversion, e.extowner::regrole AS owner
FROM pg_extension e WHERE e.extname = 'csmetrics';

SELECT * FROM pg_temp.bound_traps();

-- the SQL-language functions of the extension, each called by pg_temp.use_goals()
-- under the hostile search_path by the owner, a superuser and a user with
-- no privileges of its own (a new one must be added there)
SELECT p.oid::regprocedure AS sql_language_function
FROM pg_proc p JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
	 AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'csmetrics') AND d.deptype = 'e'
WHERE p.prolang IN (SELECT oid FROM pg_language WHERE lanname IN ('sql', 'plpgsql'))
ORDER BY 1::text;
SELECT current_user, * FROM pg_temp.use_goals();
RESET ROLE;
SELECT current_user = :'superuser' AS is_superuser, * FROM pg_temp.use_goals();
GRANT USAGE ON SCHEMA csm_target TO regress_csm_reader;
SET ROLE regress_csm_reader;
SELECT current_user, * FROM pg_temp.use_goals();
-- a user who did not install the extension may read the goals, not edit them
SELECT pg_temp.expect_error($$DELETE FROM csm_target.metric_goals$$);
RESET ROLE;
DROP EXTENSION csmetrics;

-- 2. a superuser installs 1.0 into the trapped schema, then updates it
CREATE EXTENSION csmetrics VERSION '1.0' SCHEMA csm_target;
-- 1.0's goal_met is bound to the =(anyenum, text) trap ...
SELECT * FROM pg_temp.bound_traps();
SELECT pg_temp.expect_error($$SELECT csm_target.goal_met('nps', 90)$$);
-- ... until ALTER EXTENSION UPDATE replaces it
ALTER EXTENSION csmetrics UPDATE;
SELECT extversion FROM pg_extension WHERE extname = 'csmetrics';
SELECT * FROM pg_temp.bound_traps();
SELECT current_user = :'superuser' AS is_superuser, * FROM pg_temp.use_goals();
SET ROLE regress_csm_reader;
SELECT current_user, * FROM pg_temp.use_goals();
RESET ROLE;

-- using the C functions under the hostile search_path calls no trap either
SET search_path = csm_target, public;
SELECT nps(s::survey_score) FROM (VALUES (9), (10), (3)) v(s);
SELECT churn_rate(date '2024-01-01' + g, date '2024-03-01' + g * 3, date '2024-02-01', date '2024-04-01')
FROM generate_series(1, 20) g;
RESET search_path;

-- every function is marked parallel safe, every aggregate has a combine
-- function, and every function and aggregate has a comment
SELECT p.oid::regprocedure AS not_parallel_safe
FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.classid = 'pg_proc'::regclass
WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'csmetrics')
  AND p.proparallel <> 's';
SELECT a.aggfnoid::regprocedure AS aggregate_without_combine
FROM pg_aggregate a JOIN pg_depend d ON d.objid = a.aggfnoid AND d.classid = 'pg_proc'::regclass
WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'csmetrics')
  AND a.aggcombinefn = 0;
SELECT p.oid::regprocedure AS undocumented
FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.classid = 'pg_proc'::regclass
WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'csmetrics')
  AND obj_description(p.oid, 'pg_proc') IS NULL;

-- leave the database as the other suites expect it
DROP EXTENSION csmetrics;
ALTER DATABASE :"datname" OWNER TO :"superuser";
DROP SCHEMA csm_target CASCADE;
DROP FUNCTION pg_temp.bound_traps(), pg_temp.use_goals();
DROP ROLE regress_csm_owner;
DROP ROLE regress_csm_reader;
CREATE EXTENSION csmetrics;
