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
-- body; the goals are readable by every user.  goal_met raises 22023 for a
-- metric without a goal, as goal_band does (1.0 returned NULL).
--------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION goal_met(metric text, value double precision) RETURNS boolean
	LANGUAGE sql STABLE STRICT PARALLEL SAFE
	BEGIN ATOMIC
		SELECT CASE WHEN b.band OPERATOR(pg_catalog.=) 'within'::@extschema@.goal_band THEN true
					WHEN b.band OPERATOR(pg_catalog.=) 'above'::@extschema@.goal_band THEN g.higher_is_better
					ELSE NOT g.higher_is_better END
		FROM (SELECT @extschema@.goal_band(goal_met.metric, goal_met.value) AS band OFFSET 0) AS b
			 LEFT JOIN @extschema@.metric_goal AS g ON g.metric OPERATOR(pg_catalog.=) goal_met.metric;
	END;

GRANT SELECT ON metric_goals, metric_goal TO PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON metric_goals TO @extowner@;

--------------------------------------------------------------------------
-- Moving windows that start with NULL (issue 15): every moving aggregate
-- over a summary starts from an empty summary (MINITCOND), so a frame that
-- starts with NULL inputs, or holds only NULLs, gives NULL instead of the
-- error "moving-aggregate transition function must not return null".
-- mrr() and arr() create their empty state in C (mrr_transition).
--------------------------------------------------------------------------

CREATE OR REPLACE AGGREGATE rollup(survey_summary) (
	SFUNC = survey_summary_combine, STYPE = survey_summary,
	FINALFUNC = survey_summary_nonempty, COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_combine, MINVFUNC = survey_summary_uncombine,
	MSTYPE = survey_summary, MINITCOND = '{0,0,0,0,0,0,0,0,0,0,0}', MFINALFUNC = survey_summary_nonempty,
	PARALLEL = SAFE
);
CREATE OR REPLACE AGGREGATE customer_flow_agg(started_on date, ended_on date, period_start date, period_end date) (
	SFUNC = customer_flow_add_date, STYPE = customer_flow,
	COMBINEFUNC = customer_flow_combine,
	MSFUNC = customer_flow_add_date, MINVFUNC = customer_flow_remove_date,
	MSTYPE = customer_flow, MINITCOND = '[2000-01-01,2000-01-02) rows=0 start=0 end=0 new=0 churned=0 transient=0', MFINALFUNC = customer_flow_nonempty,
	PARALLEL = SAFE
);
CREATE OR REPLACE AGGREGATE customer_flow_agg(started_on timestamptz, ended_on timestamptz,
								   period_start timestamptz, period_end timestamptz) (
	SFUNC = customer_flow_add_timestamptz, STYPE = customer_flow,
	COMBINEFUNC = customer_flow_combine,
	MSFUNC = customer_flow_add_timestamptz, MINVFUNC = customer_flow_remove_timestamptz,
	MSTYPE = customer_flow, MINITCOND = '[2000-01-01,2000-01-02) rows=0 start=0 end=0 new=0 churned=0 transient=0', MFINALFUNC = customer_flow_nonempty,
	PARALLEL = SAFE
);
CREATE OR REPLACE AGGREGATE rollup(customer_flow) (
	SFUNC = customer_flow_combine, STYPE = customer_flow,
	COMBINEFUNC = customer_flow_combine,
	MSFUNC = customer_flow_combine, MINVFUNC = customer_flow_uncombine,
	MSTYPE = customer_flow, MINITCOND = '[2000-01-01,2000-01-02) rows=0 start=0 end=0 new=0 churned=0 transient=0', MFINALFUNC = customer_flow_nonempty,
	PARALLEL = SAFE
);
CREATE OR REPLACE AGGREGATE churn_rate(started_on date, ended_on date, period_start date, period_end date) (
	SFUNC = customer_flow_add_date, STYPE = customer_flow,
	FINALFUNC = churn_rate, COMBINEFUNC = customer_flow_combine,
	MSFUNC = customer_flow_add_date, MINVFUNC = customer_flow_remove_date,
	MSTYPE = customer_flow, MINITCOND = '[2000-01-01,2000-01-02) rows=0 start=0 end=0 new=0 churned=0 transient=0', MFINALFUNC = churn_rate,
	PARALLEL = SAFE
);
CREATE OR REPLACE AGGREGATE churn_rate(started_on timestamptz, ended_on timestamptz,
							period_start timestamptz, period_end timestamptz) (
	SFUNC = customer_flow_add_timestamptz, STYPE = customer_flow,
	FINALFUNC = churn_rate, COMBINEFUNC = customer_flow_combine,
	MSFUNC = customer_flow_add_timestamptz, MINVFUNC = customer_flow_remove_timestamptz,
	MSTYPE = customer_flow, MINITCOND = '[2000-01-01,2000-01-02) rows=0 start=0 end=0 new=0 churned=0 transient=0', MFINALFUNC = churn_rate,
	PARALLEL = SAFE
);
CREATE OR REPLACE AGGREGATE retention_rate(started_on date, ended_on date, period_start date, period_end date) (
	SFUNC = customer_flow_add_date, STYPE = customer_flow,
	FINALFUNC = retention_rate, COMBINEFUNC = customer_flow_combine,
	MSFUNC = customer_flow_add_date, MINVFUNC = customer_flow_remove_date,
	MSTYPE = customer_flow, MINITCOND = '[2000-01-01,2000-01-02) rows=0 start=0 end=0 new=0 churned=0 transient=0', MFINALFUNC = retention_rate,
	PARALLEL = SAFE
);
CREATE OR REPLACE AGGREGATE retention_rate(started_on timestamptz, ended_on timestamptz,
								period_start timestamptz, period_end timestamptz) (
	SFUNC = customer_flow_add_timestamptz, STYPE = customer_flow,
	FINALFUNC = retention_rate, COMBINEFUNC = customer_flow_combine,
	MSFUNC = customer_flow_add_timestamptz, MINVFUNC = customer_flow_remove_timestamptz,
	MSTYPE = customer_flow, MINITCOND = '[2000-01-01,2000-01-02) rows=0 start=0 end=0 new=0 churned=0 transient=0', MFINALFUNC = retention_rate,
	PARALLEL = SAFE
);
CREATE OR REPLACE AGGREGATE rate_agg(boolean) (
	SFUNC = rate_summary_add_bool, STYPE = rate_summary,
	COMBINEFUNC = rate_summary_combine,
	MSFUNC = rate_summary_add_bool, MINVFUNC = rate_summary_remove_bool,
	MSTYPE = rate_summary, MINITCOND = '(0,0)', MFINALFUNC = rate_summary_nonempty,
	PARALLEL = SAFE
);
CREATE OR REPLACE AGGREGATE rollup(rate_summary) (
	SFUNC = rate_summary_combine, STYPE = rate_summary,
	FINALFUNC = rate_summary_nonempty, COMBINEFUNC = rate_summary_combine,
	MSFUNC = rate_summary_combine, MINVFUNC = rate_summary_uncombine,
	MSTYPE = rate_summary, MINITCOND = '(0,0)', MFINALFUNC = rate_summary_nonempty,
	PARALLEL = SAFE
);
CREATE OR REPLACE AGGREGATE fcr_rate(resolved_on_first_contact boolean) (
	SFUNC = rate_summary_add_bool, STYPE = rate_summary,
	FINALFUNC = rate, COMBINEFUNC = rate_summary_combine,
	MSFUNC = rate_summary_add_bool, MINVFUNC = rate_summary_remove_bool,
	MSTYPE = rate_summary, MINITCOND = '(0,0)', MFINALFUNC = rate,
	PARALLEL = SAFE
);
CREATE OR REPLACE AGGREGATE fcr_rate(contacts_to_resolve integer) (
	SFUNC = rate_summary_add_contacts, STYPE = rate_summary,
	FINALFUNC = rate, COMBINEFUNC = rate_summary_combine,
	MSFUNC = rate_summary_add_contacts, MINVFUNC = rate_summary_remove_contacts,
	MSTYPE = rate_summary, MINITCOND = '(0,0)', MFINALFUNC = rate,
	PARALLEL = SAFE
);
CREATE OR REPLACE AGGREGATE renewal_rate(renewed boolean) (
	SFUNC = rate_summary_add_bool, STYPE = rate_summary,
	FINALFUNC = rate, COMBINEFUNC = rate_summary_combine,
	MSFUNC = rate_summary_add_bool, MINVFUNC = rate_summary_remove_bool,
	MSTYPE = rate_summary, MINITCOND = '(0,0)', MFINALFUNC = rate,
	PARALLEL = SAFE
);
CREATE OR REPLACE AGGREGATE trial_conversion_rate(converted boolean) (
	SFUNC = rate_summary_add_bool, STYPE = rate_summary,
	FINALFUNC = rate, COMBINEFUNC = rate_summary_combine,
	MSFUNC = rate_summary_add_bool, MINVFUNC = rate_summary_remove_bool,
	MSTYPE = rate_summary, MINITCOND = '(0,0)', MFINALFUNC = rate,
	PARALLEL = SAFE
);
CREATE OR REPLACE AGGREGATE csat(satisfied boolean) (
	SFUNC = rate_summary_add_bool, STYPE = rate_summary,
	FINALFUNC = rate, COMBINEFUNC = rate_summary_combine,
	MSFUNC = rate_summary_add_bool, MINVFUNC = rate_summary_remove_bool,
	MSTYPE = rate_summary, MINITCOND = '(0,0)', MFINALFUNC = rate,
	PARALLEL = SAFE
);
CREATE OR REPLACE AGGREGATE csat(score integer) (
	SFUNC = csat_add_int4, STYPE = rate_summary,
	FINALFUNC = rate, COMBINEFUNC = rate_summary_combine,
	MSFUNC = csat_add_int4, MINVFUNC = csat_remove_int4,
	MSTYPE = rate_summary, MINITCOND = '(0,0)', MFINALFUNC = rate,
	PARALLEL = SAFE
);
CREATE OR REPLACE AGGREGATE csat(score integer, satisfied_from integer) (
	SFUNC = csat_add_threshold, STYPE = rate_summary,
	FINALFUNC = rate, COMBINEFUNC = rate_summary_combine,
	MSFUNC = csat_add_threshold, MINVFUNC = csat_remove_threshold,
	MSTYPE = rate_summary, MINITCOND = '(0,0)', MFINALFUNC = rate,
	PARALLEL = SAFE
);
CREATE OR REPLACE AGGREGATE ces(score integer) (
	SFUNC = ces_add_int4, STYPE = survey_summary,
	FINALFUNC = ces, COMBINEFUNC = survey_summary_combine,
	MSFUNC = ces_add_int4, MINVFUNC = ces_remove_int4,
	MSTYPE = survey_summary, MINITCOND = '{0,0,0,0,0,0,0,0,0,0,0}', MFINALFUNC = ces,
	PARALLEL = SAFE
);
CREATE OR REPLACE AGGREGATE ces(score integer, scale_max integer) (
	SFUNC = ces_add_scaled, STYPE = survey_summary,
	FINALFUNC = ces, COMBINEFUNC = survey_summary_combine,
	MSFUNC = ces_add_scaled, MINVFUNC = ces_remove_scaled,
	MSTYPE = survey_summary, MINITCOND = '{0,0,0,0,0,0,0,0,0,0,0}', MFINALFUNC = ces,
	PARALLEL = SAFE
);
CREATE OR REPLACE AGGREGATE ces_easy_pct(score integer) (
	SFUNC = ces_easy_add_int4, STYPE = rate_summary,
	FINALFUNC = rate, COMBINEFUNC = rate_summary_combine,
	MSFUNC = ces_easy_add_int4, MINVFUNC = ces_easy_remove_int4,
	MSTYPE = rate_summary, MINITCOND = '(0,0)', MFINALFUNC = rate,
	PARALLEL = SAFE
);
CREATE OR REPLACE AGGREGATE ces_easy_pct(score integer, scale_max integer) (
	SFUNC = ces_easy_add_scaled, STYPE = rate_summary,
	FINALFUNC = rate, COMBINEFUNC = rate_summary_combine,
	MSFUNC = ces_easy_add_scaled, MINVFUNC = ces_easy_remove_scaled,
	MSTYPE = rate_summary, MINITCOND = '(0,0)', MFINALFUNC = rate,
	PARALLEL = SAFE
);
CREATE OR REPLACE AGGREGATE survival_agg(tenure double precision, churned boolean) (
	SFUNC = survival_summary_add, STYPE = survival_summary,
	COMBINEFUNC = survival_summary_combine,
	MSFUNC = survival_summary_add, MINVFUNC = survival_summary_remove,
	MSTYPE = survival_summary, MINITCOND = '{}', MFINALFUNC = survival_summary_nonempty,
	PARALLEL = SAFE
);
CREATE OR REPLACE AGGREGATE rollup(survival_summary) (
	SFUNC = survival_summary_combine, STYPE = survival_summary,
	COMBINEFUNC = survival_summary_combine,
	MSFUNC = survival_summary_combine, MINVFUNC = survival_summary_uncombine,
	MSTYPE = survival_summary, MINITCOND = '{}', MFINALFUNC = survival_summary_nonempty,
	PARALLEL = SAFE
);

--------------------------------------------------------------------------
-- arr() sums annual_amount(): an annual plan's ARR is exactly its amount,
-- a monthly plan's exactly 12 times its amount.  mrr_arr_final (12 times
-- the monthly sum) is no longer used; the library keeps its symbol.
--------------------------------------------------------------------------

CREATE FUNCTION annual_amount(amount numeric, billing_period interval) RETURNS numeric
	AS 'MODULE_PATHNAME', 'mrr_annual_amount' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION annual_amount(numeric, interval) IS 'a recurring charge per year: 12 / months times the amount, or 365.25 / days times it';
CREATE FUNCTION arr_accum(internal, numeric, interval) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION arr_accum_inv(internal, numeric, interval) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION mrr_accum(internal, numeric, interval) IS 'mrr aggregate transition function';
COMMENT ON FUNCTION mrr_accum_inv(internal, numeric, interval) IS 'mrr aggregate inverse transition function';
COMMENT ON FUNCTION arr_accum(internal, numeric, interval) IS 'arr aggregate transition function';
COMMENT ON FUNCTION arr_accum_inv(internal, numeric, interval) IS 'arr aggregate inverse transition function';
CREATE OR REPLACE AGGREGATE arr(amount numeric, billing_period interval) (
	SFUNC = arr_accum, STYPE = internal, SSPACE = 128,
	FINALFUNC = pg_catalog.numeric_sum,
	COMBINEFUNC = pg_catalog.numeric_avg_combine,
	SERIALFUNC = pg_catalog.numeric_avg_serialize,
	DESERIALFUNC = pg_catalog.numeric_avg_deserialize,
	MSFUNC = arr_accum, MINVFUNC = arr_accum_inv, MSTYPE = internal, MSSPACE = 128,
	MFINALFUNC = pg_catalog.numeric_sum,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE arr(numeric, interval) IS 'annual recurring revenue: the sum of annual_amount()';
DROP FUNCTION mrr_arr_final(internal);

--------------------------------------------------------------------------
-- Goals across pg_dump and restore.  metric_goals_removed names the shipped
-- default goals the user deleted or edited (an edit makes the default row
-- the user's own).  It is a configuration table, dumped in full; a restore
-- loads it after CREATE EXTENSION has put every default back, and a trigger
-- deletes the defaults it names again.  So the restored table has exactly
-- the rows the user left: a deleted default stays deleted and an edited one
-- is not shadowed by a second, default row.
--------------------------------------------------------------------------

CREATE TABLE metric_goals_removed (
	metric text PRIMARY KEY
);
COMMENT ON TABLE metric_goals_removed IS 'default goals the user deleted or edited: not recreated when a dump is restored';
SELECT pg_catalog.pg_extension_config_dump('metric_goals_removed', '');

-- a default row deleted or edited: remember it
CREATE FUNCTION metric_goals_note_removed() RETURNS trigger
	LANGUAGE plpgsql PARALLEL SAFE SET search_path = pg_catalog, pg_temp
	AS $$
BEGIN
	INSERT INTO @extschema@.metric_goals_removed (metric) VALUES (OLD.metric) ON CONFLICT DO NOTHING;
	RETURN NULL;
END
$$;
COMMENT ON FUNCTION metric_goals_note_removed() IS 'trigger: a default goal deleted or edited is recorded in metric_goals_removed';
CREATE TRIGGER metric_goals_removed_defaults AFTER DELETE OR UPDATE ON metric_goals
	FOR EACH ROW WHEN (OLD.is_default) EXECUTE FUNCTION metric_goals_note_removed();

-- a removal recorded (also by a restore): the default row goes
CREATE FUNCTION metric_goals_apply_removed() RETURNS trigger
	LANGUAGE plpgsql PARALLEL SAFE SET search_path = pg_catalog, pg_temp
	AS $$
BEGIN
	DELETE FROM @extschema@.metric_goals AS g WHERE g.metric = NEW.metric AND g.is_default;
	RETURN NULL;
END
$$;
COMMENT ON FUNCTION metric_goals_apply_removed() IS 'trigger: a default goal named in metric_goals_removed is deleted';
CREATE TRIGGER metric_goals_removed_apply AFTER INSERT ON metric_goals_removed
	FOR EACH ROW EXECUTE FUNCTION metric_goals_apply_removed();

GRANT SELECT ON metric_goals_removed TO PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON metric_goals_removed TO @extowner@;

-- a 1.0 database whose user deleted or edited a default goal has no default
-- row for it any more: record it, so that a dump of 1.1 keeps it away
INSERT INTO metric_goals_removed (metric)
SELECT m.metric
FROM pg_catalog.unnest(ARRAY['nps', 'csat', 'ces_easy_pct', 'fcr_rate', 'monthly_churn_rate',
							 'gross_revenue_retention', 'net_revenue_retention', 'quick_ratio',
							 'ltv_cac_ratio', 'renewal_rate']) AS m(metric)
WHERE NOT EXISTS (SELECT FROM @extschema@.metric_goals AS g
				  WHERE g.metric OPERATOR(pg_catalog.=) m.metric AND g.is_default);
-- Equality of summaries (issue 15): = and <> for every summary type, and a
-- hash operator class, so that SELECT DISTINCT, UNION, IN, GROUP BY and
-- hash joins work on summary columns.  Equal summaries describe the same
-- data; the values are compared in a canonical form (src/summary_eq.c).
-- No btree class: summaries have no meaningful order.  And min() / max()
-- over survey_score.
--------------------------------------------------------------------------

CREATE FUNCTION survey_summary_eq(survey_summary, survey_summary) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survey_summary_ne(survey_summary, survey_summary) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survey_summary_hash(survey_summary) RETURNS integer
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION survey_summary_eq(survey_summary, survey_summary) IS 'equal: the same count of answers at each score';
COMMENT ON FUNCTION survey_summary_ne(survey_summary, survey_summary) IS 'not equal';
COMMENT ON FUNCTION survey_summary_hash(survey_summary) IS 'hash';
CREATE OPERATOR = (LEFTARG = survey_summary, RIGHTARG = survey_summary, FUNCTION = survey_summary_eq,
	COMMUTATOR = =, NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel, HASHES);
CREATE OPERATOR <> (LEFTARG = survey_summary, RIGHTARG = survey_summary, FUNCTION = survey_summary_ne,
	COMMUTATOR = <>, NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR CLASS survey_summary_hash_ops DEFAULT FOR TYPE survey_summary USING hash AS
	OPERATOR 1 =,
	FUNCTION 1 survey_summary_hash(survey_summary);

CREATE FUNCTION rate_summary_eq(rate_summary, rate_summary) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rate_summary_ne(rate_summary, rate_summary) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rate_summary_hash(rate_summary) RETURNS integer
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION rate_summary_eq(rate_summary, rate_summary) IS 'equal: the same successes and trials';
COMMENT ON FUNCTION rate_summary_ne(rate_summary, rate_summary) IS 'not equal';
COMMENT ON FUNCTION rate_summary_hash(rate_summary) IS 'hash';
CREATE OPERATOR = (LEFTARG = rate_summary, RIGHTARG = rate_summary, FUNCTION = rate_summary_eq,
	COMMUTATOR = =, NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel, HASHES);
CREATE OPERATOR <> (LEFTARG = rate_summary, RIGHTARG = rate_summary, FUNCTION = rate_summary_ne,
	COMMUTATOR = <>, NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR CLASS rate_summary_hash_ops DEFAULT FOR TYPE rate_summary USING hash AS
	OPERATOR 1 =,
	FUNCTION 1 rate_summary_hash(rate_summary);

CREATE FUNCTION customer_flow_eq(customer_flow, customer_flow) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION customer_flow_ne(customer_flow, customer_flow) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION customer_flow_hash(customer_flow) RETURNS integer
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION customer_flow_eq(customer_flow, customer_flow) IS 'equal: the same period and counts';
COMMENT ON FUNCTION customer_flow_ne(customer_flow, customer_flow) IS 'not equal';
COMMENT ON FUNCTION customer_flow_hash(customer_flow) IS 'hash';
CREATE OPERATOR = (LEFTARG = customer_flow, RIGHTARG = customer_flow, FUNCTION = customer_flow_eq,
	COMMUTATOR = =, NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel, HASHES);
CREATE OPERATOR <> (LEFTARG = customer_flow, RIGHTARG = customer_flow, FUNCTION = customer_flow_ne,
	COMMUTATOR = <>, NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR CLASS customer_flow_hash_ops DEFAULT FOR TYPE customer_flow USING hash AS
	OPERATOR 1 =,
	FUNCTION 1 customer_flow_hash(customer_flow);

CREATE FUNCTION survival_summary_eq(survival_summary, survival_summary) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survival_summary_ne(survival_summary, survival_summary) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survival_summary_hash(survival_summary) RETURNS integer
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION survival_summary_eq(survival_summary, survival_summary) IS 'equal: the same counts at the same tenures';
COMMENT ON FUNCTION survival_summary_ne(survival_summary, survival_summary) IS 'not equal';
COMMENT ON FUNCTION survival_summary_hash(survival_summary) IS 'hash';
CREATE OPERATOR = (LEFTARG = survival_summary, RIGHTARG = survival_summary, FUNCTION = survival_summary_eq,
	COMMUTATOR = =, NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel, HASHES);
CREATE OPERATOR <> (LEFTARG = survival_summary, RIGHTARG = survival_summary, FUNCTION = survival_summary_ne,
	COMMUTATOR = <>, NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR CLASS survival_summary_hash_ops DEFAULT FOR TYPE survival_summary USING hash AS
	OPERATOR 1 =,
	FUNCTION 1 survival_summary_hash(survival_summary);

CREATE FUNCTION cohort_summary_eq(cohort_summary, cohort_summary) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cohort_summary_ne(cohort_summary, cohort_summary) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cohort_summary_hash(cohort_summary) RETURNS integer
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cohort_summary_eq(cohort_summary, cohort_summary) IS 'equal: the same grain and cells';
COMMENT ON FUNCTION cohort_summary_ne(cohort_summary, cohort_summary) IS 'not equal';
COMMENT ON FUNCTION cohort_summary_hash(cohort_summary) IS 'hash';
CREATE OPERATOR = (LEFTARG = cohort_summary, RIGHTARG = cohort_summary, FUNCTION = cohort_summary_eq,
	COMMUTATOR = =, NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel, HASHES);
CREATE OPERATOR <> (LEFTARG = cohort_summary, RIGHTARG = cohort_summary, FUNCTION = cohort_summary_ne,
	COMMUTATOR = <>, NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR CLASS cohort_summary_hash_ops DEFAULT FOR TYPE cohort_summary USING hash AS
	OPERATOR 1 =,
	FUNCTION 1 cohort_summary_hash(cohort_summary);

CREATE FUNCTION revenue_cohort_summary_eq(revenue_cohort_summary, revenue_cohort_summary) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION revenue_cohort_summary_ne(revenue_cohort_summary, revenue_cohort_summary) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION revenue_cohort_summary_hash(revenue_cohort_summary) RETURNS integer
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION revenue_cohort_summary_eq(revenue_cohort_summary, revenue_cohort_summary) IS 'equal: the same grain, cells and amounts (1.0 = 1.00)';
COMMENT ON FUNCTION revenue_cohort_summary_ne(revenue_cohort_summary, revenue_cohort_summary) IS 'not equal';
COMMENT ON FUNCTION revenue_cohort_summary_hash(revenue_cohort_summary) IS 'hash';
CREATE OPERATOR = (LEFTARG = revenue_cohort_summary, RIGHTARG = revenue_cohort_summary, FUNCTION = revenue_cohort_summary_eq,
	COMMUTATOR = =, NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel, HASHES);
CREATE OPERATOR <> (LEFTARG = revenue_cohort_summary, RIGHTARG = revenue_cohort_summary, FUNCTION = revenue_cohort_summary_ne,
	COMMUTATOR = <>, NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR CLASS revenue_cohort_summary_hash_ops DEFAULT FOR TYPE revenue_cohort_summary USING hash AS
	OPERATOR 1 =,
	FUNCTION 1 revenue_cohort_summary_hash(revenue_cohort_summary);

CREATE FUNCTION mrr_bridge_eq(mrr_bridge, mrr_bridge) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mrr_bridge_ne(mrr_bridge, mrr_bridge) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mrr_bridge_hash(mrr_bridge) RETURNS integer
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mrr_bridge_eq(mrr_bridge, mrr_bridge) IS 'equal: the same amounts (1.0 = 1.00) and counts';
COMMENT ON FUNCTION mrr_bridge_ne(mrr_bridge, mrr_bridge) IS 'not equal';
COMMENT ON FUNCTION mrr_bridge_hash(mrr_bridge) IS 'hash';
CREATE OPERATOR = (LEFTARG = mrr_bridge, RIGHTARG = mrr_bridge, FUNCTION = mrr_bridge_eq,
	COMMUTATOR = =, NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel, HASHES);
CREATE OPERATOR <> (LEFTARG = mrr_bridge, RIGHTARG = mrr_bridge, FUNCTION = mrr_bridge_ne,
	COMMUTATOR = <>, NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR CLASS mrr_bridge_hash_ops DEFAULT FOR TYPE mrr_bridge USING hash AS
	OPERATOR 1 =,
	FUNCTION 1 mrr_bridge_hash(mrr_bridge);

CREATE FUNCTION survey_score_smaller(survey_score, survey_score) RETURNS survey_score
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survey_score_larger(survey_score, survey_score) RETURNS survey_score
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION survey_score_smaller(survey_score, survey_score) IS 'the smaller of two scores';
COMMENT ON FUNCTION survey_score_larger(survey_score, survey_score) IS 'the larger of two scores';
CREATE AGGREGATE min(survey_score) (
	SFUNC = survey_score_smaller, STYPE = survey_score, SORTOP = <,
	COMBINEFUNC = survey_score_smaller, PARALLEL = SAFE
);
CREATE AGGREGATE max(survey_score) (
	SFUNC = survey_score_larger, STYPE = survey_score, SORTOP = >,
	COMBINEFUNC = survey_score_larger, PARALLEL = SAFE
);
COMMENT ON AGGREGATE min(survey_score) IS 'lowest score';
COMMENT ON AGGREGATE max(survey_score) IS 'highest score';
