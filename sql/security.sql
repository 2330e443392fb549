-- The install script must be safe under a hostile search_path: objects an
-- attacker created before CREATE EXTENSION must not be picked up.
DROP EXTENSION csmetrics;
CREATE SCHEMA attacker;
CREATE TABLE attacker.calls (what text);
-- traps for operators and functions an install script might use without
-- qualification; each records that it ran
CREATE FUNCTION attacker.trap_num(numeric, integer) RETURNS numeric LANGUAGE sql
	AS $$ INSERT INTO attacker.calls VALUES ('numeric op integer'); SELECT 0::numeric $$;
CREATE OPERATOR attacker.* (LEFTARG = numeric, RIGHTARG = integer, FUNCTION = attacker.trap_num);
CREATE OPERATOR attacker./ (LEFTARG = numeric, RIGHTARG = integer, FUNCTION = attacker.trap_num);
CREATE OPERATOR attacker.+ (LEFTARG = numeric, RIGHTARG = integer, FUNCTION = attacker.trap_num);
CREATE FUNCTION attacker.trap_bigint(bigint, integer) RETURNS boolean LANGUAGE sql
	AS $$ INSERT INTO attacker.calls VALUES ('bigint op integer'); SELECT true $$;
CREATE OPERATOR attacker.= (LEFTARG = bigint, RIGHTARG = integer, FUNCTION = attacker.trap_bigint);
CREATE OPERATOR attacker.> (LEFTARG = bigint, RIGHTARG = integer, FUNCTION = attacker.trap_bigint);
CREATE FUNCTION attacker.trap_date(date, integer) RETURNS date LANGUAGE sql
	AS $$ INSERT INTO attacker.calls VALUES ('date op integer'); SELECT $1 $$;
CREATE OPERATOR attacker.+ (LEFTARG = date, RIGHTARG = integer, FUNCTION = attacker.trap_date);
CREATE OPERATOR attacker.- (LEFTARG = date, RIGHTARG = integer, FUNCTION = attacker.trap_date);
CREATE FUNCTION attacker.coalesce_trap(numeric) RETURNS numeric LANGUAGE sql
	AS $$ INSERT INTO attacker.calls VALUES ('abs(numeric)'); SELECT $1 $$;

SET search_path = attacker, public;
CREATE EXTENSION csmetrics SCHEMA public;
RESET search_path;
SELECT count(*) AS trap_calls_during_install FROM attacker.calls;

-- nothing in the extension lives outside its schema
SELECT DISTINCT n.nspname
FROM pg_depend d
JOIN pg_proc p ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE d.refclassid = 'pg_extension'::regclass
  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'csmetrics');

-- every function is marked parallel safe, and every aggregate has a combine function
SELECT p.oid::regprocedure AS not_parallel_safe
FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.classid = 'pg_proc'::regclass
WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'csmetrics')
  AND p.proparallel <> 's';
SELECT a.aggfnoid::regprocedure AS aggregate_without_combine
FROM pg_aggregate a JOIN pg_depend d ON d.objid = a.aggfnoid AND d.classid = 'pg_proc'::regclass
WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'csmetrics')
  AND a.aggcombinefn = 0;
-- and every function and aggregate has a comment
SELECT p.oid::regprocedure AS undocumented
FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.classid = 'pg_proc'::regclass
WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'csmetrics')
  AND obj_description(p.oid, 'pg_proc') IS NULL;

-- using the extension under the hostile search_path calls no trap either
SET search_path = attacker, public;
SELECT nps(s) FROM (VALUES (9), (10), (3)) v(s);
RESET search_path;
SELECT count(*) AS trap_calls_after_use FROM attacker.calls;
DROP SCHEMA attacker CASCADE;
