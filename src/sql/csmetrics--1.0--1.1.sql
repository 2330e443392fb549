-- csmetrics 1.0 -> 1.1 (ALTER EXTENSION csmetrics UPDATE)
--
-- Every object 1.1 adds to 1.0 is created here as in the master script
-- src/sql/csmetrics.sql; sql/upgrade.sql checks that an updated 1.0 and a
-- fresh install have the same objects.  The same rules as the install
-- script apply (doc/security.md): built-ins qualified with pg_catalog, our
-- own objects with @extschema@, no IF NOT EXISTS; CREATE OR REPLACE only to
-- redefine a function that is already a member of the extension.

\echo Use "ALTER EXTENSION csmetrics UPDATE TO '1.1'" to load this file. \quit

--------------------------------------------------------------------------
-- Goals: goal_met no longer lets an operator created in the extension's
-- schema before the install (such as =(anyenum, text)) be bound into its
-- body; the goals are readable by every user.
--------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION goal_met(metric text, value double precision) RETURNS boolean
	LANGUAGE sql STABLE STRICT PARALLEL SAFE
	BEGIN ATOMIC
		SELECT CASE WHEN b.band OPERATOR(pg_catalog.=) 'within'::@extschema@.goal_band THEN true
					WHEN b.band OPERATOR(pg_catalog.=) 'above'::@extschema@.goal_band THEN g.higher_is_better
					ELSE NOT g.higher_is_better END
		FROM @extschema@.metric_goal AS g,
			 LATERAL (SELECT @extschema@.goal_band(goal_met.metric, goal_met.value) AS band) AS b
		WHERE g.metric OPERATOR(pg_catalog.=) goal_met.metric;
	END;

GRANT SELECT ON metric_goals, metric_goal TO PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON metric_goals TO @extowner@;
