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
