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

--------------------------------------------------------------------------
-- Honest numbers (issue 13): the log-rank test between survival curves,
-- trial conversion over the trials whose outcome is known
--------------------------------------------------------------------------

-- the result of a log-rank test
CREATE TYPE survival_test_result AS (
	chi_square double precision,
	degrees_of_freedom integer,
	p_value double precision
);
COMMENT ON TYPE survival_test_result IS 'log-rank test: chi-square statistic, its degrees of freedom and p-value';

CREATE FUNCTION survival_difference_test(a survival_summary, b survival_summary)
	RETURNS survival_test_result
	AS 'MODULE_PATHNAME', 'survival_difference_test' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION survival_difference_test(survival_summary, survival_summary) IS 'log-rank test of equal churn hazards in two groups (as R survival::survdiff)';

-- the k-group form: an aggregate over (group label, summary)
CREATE FUNCTION survival_test_add(internal, text, survival_summary) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION survival_test_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION survival_test_serialize(internal) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survival_test_deserialize(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survival_test_final(internal) RETURNS survival_test_result
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION survival_test_add(internal, text, survival_summary) IS 'survival_difference_test_groups aggregate transition function';
COMMENT ON FUNCTION survival_test_combine(internal, internal) IS 'survival_difference_test_groups aggregate combine function';
COMMENT ON FUNCTION survival_test_serialize(internal) IS 'survival_difference_test_groups aggregate serialize function';
COMMENT ON FUNCTION survival_test_deserialize(bytea, internal) IS 'survival_difference_test_groups aggregate deserialize function';
COMMENT ON FUNCTION survival_test_final(internal) IS 'survival_difference_test_groups aggregate final function';

CREATE AGGREGATE survival_difference_test_groups(group_label text, summary survival_summary) (
	SFUNC = survival_test_add, STYPE = internal,
	FINALFUNC = survival_test_final,
	COMBINEFUNC = survival_test_combine,
	SERIALFUNC = survival_test_serialize, DESERIALFUNC = survival_test_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE survival_difference_test_groups(text, survival_summary) IS 'log-rank test of equal churn hazards across the groups labelled (as R survival::survdiff)';

-- trial-to-paid conversion within a window, undecided trials left out
CREATE FUNCTION trial_conversion_add(rate_summary, date, date, interval, date) RETURNS rate_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION trial_conversion_add(rate_summary, date, date, interval, date) IS 'trial_conversion_agg transition function';

CREATE AGGREGATE trial_conversion_agg(trial_started_on date, converted_on date,
									  within interval, as_of date) (
	SFUNC = trial_conversion_add, STYPE = rate_summary,
	COMBINEFUNC = rate_summary_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE trial_conversion_agg(date, date, interval, date) IS 'trials converted within the window, over the trials whose outcome is known by as_of';
