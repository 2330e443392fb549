#!/usr/bin/env bash
# pg_dump and restore, in the custom and the plain format, keep what the user
# did: metric_goals comes back row for row (a deleted default stays deleted,
# an edited default is not shadowed by a recreated one, the user's own rows
# come back once; doc/goals.md), and tables, views and materialized views of
# every csmetrics type (test/lib/probe_tables.sql) come back with the same
# values.
set -u
. "$(dirname "$0")/../lib/assert.sh"
plan 23

psql -X -q -v ON_ERROR_STOP=1 -d "$CSM_DB" -f "$(dirname "$0")/../lib/probe_tables.sql" >/dev/null
csm_sql "CREATE VIEW probe_view AS SELECT * FROM probe_summaries;
	CREATE MATERIALIZED VIEW probe_matview AS
		SELECT segment % 2 AS half, rollup(survey) AS survey, rollup(rate) AS rate, rollup(cohort) AS cohort,
			   rollup(revenue) AS revenue, rollup(survival) AS survival, rollup(bridge) AS bridge,
			   sum(mrr) AS mrr
		FROM probe_summaries WHERE segment < 100 GROUP BY 1;
	CREATE MATERIALIZED VIEW probe_scores_matview AS SELECT s, survey_agg(s) OVER (ORDER BY score) AS running FROM probe_scores;
	CREATE UNIQUE INDEX ON probe_matview (half)" >/dev/null

# what the user did to the goals: edited a default, deleted two, put their
# own row in place of one deleted default, added a goal of their own
csm_sql "UPDATE metric_goals SET goal_high = 2 WHERE metric = 'monthly_churn_rate';
	DELETE FROM metric_goals WHERE metric IN ('nps', 'csat');
	INSERT INTO metric_goals (metric, unit, goal_low, higher_is_better, source)
	VALUES ('csat', 'percent', 90, true, 'our own target'),
		   ('activation_rate', 'percent', 40, true, 'board deck')" >/dev/null
check "deleting or editing a default goal records it in metric_goals_removed" \
	"SELECT string_agg(metric, ',' ORDER BY metric) FROM metric_goals_removed" "csat,monthly_churn_rate,nps"

# a digest of everything a restore must give back
digest="SELECT string_agg(r || ':' || d, ' ' ORDER BY r) FROM (
	SELECT 'goals' AS r, md5(string_agg(g::text, ';' ORDER BY g::text)) AS d FROM metric_goals g
	UNION ALL SELECT 'removed', md5(string_agg(metric, ';' ORDER BY metric)) FROM metric_goals_removed
	UNION ALL SELECT 'goal', md5(string_agg(g::text, ';' ORDER BY g::text)) FROM metric_goal g
	UNION ALL SELECT 'rows', md5(string_agg(t::text, ';' ORDER BY t::text)) FROM probe_rows t
	UNION ALL SELECT 'scores', md5(string_agg(t::text, ';' ORDER BY t::text)) FROM probe_scores t
	UNION ALL SELECT 'summaries', md5(string_agg(t::text, ';' ORDER BY t::text)) FROM probe_summaries t
	UNION ALL SELECT 'enums', md5(string_agg(t::text, ';' ORDER BY t::text)) FROM probe_enums t
	UNION ALL SELECT 'renewals', md5(string_agg(t::text, ';' ORDER BY t::text)) FROM probe_renewals t
	UNION ALL SELECT 'view', md5(string_agg(t::text, ';' ORDER BY t::text)) FROM probe_view t
	UNION ALL SELECT 'accessors', md5(string_agg(t::text, ';' ORDER BY t::text)) FROM probe_summary_view t
	UNION ALL SELECT 'matview', md5(string_agg(t::text, ';' ORDER BY t::text)) FROM probe_matview t
	UNION ALL SELECT 'scores_matview', md5(string_agg(t::text, ';' ORDER BY t::text)) FROM probe_scores_matview t) x"
before=$(csm_sql "$digest")
goals_before=$(csm_sql "SELECT string_agg(metric || '/' || is_default || '/' || coalesce(goal_high::text, '-'), ' ' ORDER BY metric, is_default) FROM metric_goals")
dir=$(mktemp -d)
chmod 755 "$dir"
trap 'rm -rf "$dir"; psql -X -q -d postgres -c "DROP DATABASE IF EXISTS csm_restored" >/dev/null 2>&1' EXIT

for format in custom plain; do
	psql -X -q -d postgres -c "DROP DATABASE IF EXISTS csm_restored" -c "CREATE DATABASE csm_restored" >/dev/null 2>&1
	if [ "$format" = custom ]; then
		check_true "$format: pg_dump" pg_dump -Fc -d "$CSM_DB" -f "$dir/dump.custom"
		check_true "$format: pg_restore into a new database" \
			pg_restore --exit-on-error -d csm_restored "$dir/dump.custom"
	else
		check_true "$format: pg_dump" pg_dump -Fp -d "$CSM_DB" -f "$dir/dump.sql"
		check_true "$format: restore into a new database" \
			psql -X -q -v ON_ERROR_STOP=1 -d csm_restored -f "$dir/dump.sql"
	fi
	CSM_DB=csm_restored check "$format: metric_goals comes back row for row (no deleted default back, no shadowed default)" \
		"SELECT string_agg(metric || '/' || is_default || '/' || coalesce(goal_high::text, '-'), ' ' ORDER BY metric, is_default) FROM metric_goals" \
		"$goals_before"
	CSM_DB=csm_restored check "$format: the goals in force are the user's" \
		"SELECT (SELECT count(*) FROM metric_goal WHERE metric = 'nps') || ' ' || goal_band('csat', 85) || ' ' ||
				goal_band('monthly_churn_rate', 2.5) || ' ' || goal_band('activation_rate', 45)
		 FROM metric_goal WHERE metric = 'csat'" "0 below above within"
	CSM_DB=csm_restored check "$format: the removed defaults are still recorded" \
		"SELECT string_agg(metric, ',' ORDER BY metric) FROM metric_goals_removed" "csat,monthly_churn_rate,nps"
	CSM_DB=csm_restored check "$format: every table, view and materialized view of every type gives the same values" \
		"$digest" "$before"
	CSM_DB=csm_restored check "$format: the restored materialized views refresh to the same values" \
		"REFRESH MATERIALIZED VIEW CONCURRENTLY probe_matview; REFRESH MATERIALIZED VIEW probe_scores_matview; $digest" "$before"
	# a second round: dump the restored database and restore it again
	CSM_DB=csm_restored check "$format: deleting another default in the restored database is recorded too" \
		"DELETE FROM metric_goals WHERE metric = 'quick_ratio'; SELECT count(*) FROM metric_goals_removed" "4"
	if [ "$format" = custom ]; then
		pg_dump -Fc -d csm_restored -f "$dir/again.custom"
		psql -X -q -d postgres -c "DROP DATABASE csm_restored" -c "CREATE DATABASE csm_restored" >/dev/null
		pg_restore -d csm_restored "$dir/again.custom"
	else
		pg_dump -Fp -d csm_restored -f "$dir/again.sql"
		psql -X -q -d postgres -c "DROP DATABASE csm_restored" -c "CREATE DATABASE csm_restored" >/dev/null
		psql -X -q -v ON_ERROR_STOP=1 -d csm_restored -f "$dir/again.sql" >/dev/null
	fi
	CSM_DB=csm_restored check "$format: and stays deleted after a second dump and restore" \
		"SELECT count(*) FILTER (WHERE metric = 'quick_ratio') || ' ' || count(*) FROM metric_goals" "0 9"
done
check "the original database is untouched" "$digest" "$before"
check "a user's own rows are not recorded as removed defaults when deleted" \
	"DELETE FROM metric_goals WHERE metric = 'activation_rate'; SELECT count(*) FROM metric_goals_removed" "3"

# a database updated from 1.0 records the defaults its user had already
# deleted or edited, so that its next dump keeps them away
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS csm_restored" -c "CREATE DATABASE csm_restored" >/dev/null 2>&1
CSM_DB=csm_restored csm_sql "CREATE EXTENSION csmetrics VERSION '1.0';
	DELETE FROM metric_goals WHERE metric = 'nps';
	UPDATE metric_goals SET goal_low = 80 WHERE metric = 'csat'" >/dev/null
CSM_DB=csm_restored check "ALTER EXTENSION UPDATE from 1.0 records the defaults deleted or edited under 1.0" \
	"ALTER EXTENSION csmetrics UPDATE; SELECT string_agg(metric, ',' ORDER BY metric) FROM metric_goals_removed" "csat,nps"
pg_dump -Fc -d csm_restored -f "$dir/updated.custom"
psql -X -q -d postgres -c "DROP DATABASE csm_restored" -c "CREATE DATABASE csm_restored" >/dev/null
pg_restore -d csm_restored "$dir/updated.custom"
CSM_DB=csm_restored check "and its dump restores without them" \
	"SELECT count(*) FILTER (WHERE metric = 'nps') || ' ' || string_agg(is_default::text, ',') FILTER (WHERE metric = 'csat') FROM metric_goals" "0 false"
