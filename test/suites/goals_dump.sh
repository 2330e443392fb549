#!/usr/bin/env bash
# metric_goals is a configuration table: a user's edits survive pg_dump and
# restore, the shipped defaults are recreated by CREATE EXTENSION and not
# duplicated.
set -u
. "$(dirname "$0")/../lib/assert.sh"
plan 7

csm_sql "UPDATE metric_goals SET goal_high = 2 WHERE metric = 'monthly_churn_rate';
		 INSERT INTO metric_goals (metric, unit, goal_low, higher_is_better, source)
		 VALUES ('activation_rate', 'percent', 40, true, 'board deck')" >/dev/null
dump=$(mktemp)
trap 'rm -f "$dump"' EXIT
check_true "pg_dump of a database with csmetrics" pg_dump -d "$CSM_DB" -f "$dump"
check_true "the dump holds the user's rows only" \
	bash -c "grep -q 'activation_rate' '$dump' && grep -q 'monthly_churn_rate' '$dump' && ! grep -q 'Bessemer' '$dump'"
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS csm_restored" -c "CREATE DATABASE csm_restored" >/dev/null
check_true "restore into a new database" psql -X -q -v ON_ERROR_STOP=1 -d csm_restored -f "$dump"
CSM_DB=csm_restored check "edited goal is in force after restore" \
	"SELECT goal_high || ' ' || is_default FROM metric_goal WHERE metric = 'monthly_churn_rate'" "2 false"
CSM_DB=csm_restored check "user's new goal survives" \
	"SELECT goal_low || ' ' || goal_band('activation_rate', 45) FROM metric_goal WHERE metric = 'activation_rate'" "40 within"
CSM_DB=csm_restored check "defaults are recreated once, user rows once" \
	"SELECT count(*) FILTER (WHERE is_default) || ' ' || count(*) FILTER (WHERE NOT is_default) FROM metric_goals" "10 2"
CSM_DB=csm_restored check "the default churn goal is still there under the user's" \
	"SELECT goal_high FROM metric_goals WHERE metric = 'monthly_churn_rate' AND is_default" "3"
psql -X -q -d postgres -c "DROP DATABASE csm_restored" >/dev/null
