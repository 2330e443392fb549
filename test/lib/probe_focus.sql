-- test/lib/probe_focus.sql: the "focused" random-query runs.  sqlsmith reads
-- the functions it may call from an unqualified "pg_proc" (and the types from
-- "pg_type"), so a session whose search_path puts the schema csm_focus before
-- pg_catalog sees these views instead: every csmetrics function and aggregate,
-- and one built-in function in eight of those that are immutable, work on the
-- plain types of the probe tables and are not administrative.  Nothing is
-- rebuilt: the same Debian sqlsmith then spends most of its calls on
-- csmetrics instead of the 3,000 built-in functions.  The views are read
-- only by sqlsmith's start-up queries; the queries it generates name every
-- function with its schema, so they run against the real catalog.
SET client_min_messages = warning;
CREATE SCHEMA csm_focus;
CREATE VIEW csm_focus.pg_proc AS
SELECT p.*
FROM pg_catalog.pg_proc p
WHERE EXISTS (SELECT FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid
			  WHERE d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND d.objid = p.oid
				AND d.deptype = 'e' AND e.extname = 'csmetrics')
   OR (p.pronamespace = 'pg_catalog'::pg_catalog.regnamespace
	   AND p.provolatile = 'i' AND p.oid::int8 % 8 = 0
	   AND p.proname !~ '^(pg_|binary_upgrade|set_config|current_setting)'
	   AND p.prorettype = ANY ('{bool,int2,int4,int8,numeric,float8,date,timestamptz,interval,text}'::pg_catalog.regtype[]));
GRANT USAGE ON SCHEMA csm_focus TO csm_probe;
GRANT SELECT ON csm_focus.pg_proc TO csm_probe;
