#!/usr/bin/env bash
# A scheduled refresh with the real pg_cron (Debian's postgresql-15-cron),
# as doc/bi.md describes it.  test/run-tests starts the server with
#   shared_preload_libraries = pg_cron, cron.database_name = postgres,
#   cron.host = the socket directory
# pg_cron's tables live in "postgres" (a database that exists when the server
# starts, and that run-tests never drops); the job runs in $CSM_DB through
# cron.schedule_in_database.  The suite builds doc/bi.md's schema, adds two
# answers, schedules REFRESH MATERIALIZED VIEW CONCURRENTLY daily_summary,
# waits (polling, at most 90 s) for the run in cron.job_run_details, and
# checks that monthly_summary moved to the hand-computed NPS.
set -euo pipefail
. "$(dirname "$0")/../lib/assert.sh"
plan 14
. "$(dirname "$0")/../lib/bi_doc.sh"

cron_sql() {
	psql -X -q -v ON_ERROR_STOP=1 -At -d postgres -c "$1"
}

jobid=
cleanup() {
	# unschedule, and let a run that is still going finish, so that run-tests
	# can drop $CSM_DB afterwards
	[ -n "$jobid" ] && cron_sql "SELECT cron.unschedule($jobid)" >/dev/null 2>&1
	for _ in $(seq 100); do
		[ "$(cron_sql "SELECT count(*) FROM pg_stat_activity
		               WHERE datname = '$CSM_DB' AND pid <> pg_backend_pid()")" = 0 ] && break
		sleep 0.1
	done
}
trap cleanup EXIT

check "pg_cron is preloaded" "SELECT current_setting('shared_preload_libraries') ~ 'pg_cron'" "t"
if [ "$(csm_sql "SELECT current_setting('shared_preload_libraries') ~ 'pg_cron'")" != t ]; then
	echo "# the server was not started with shared_preload_libraries = pg_cron (see test/run-tests)"
	exit 1
fi
check_true "doc/bi.md: every sql block runs" bi_doc_setup
check_true "CREATE EXTENSION pg_cron in the cron database" \
	cron_sql "CREATE EXTENSION IF NOT EXISTS pg_cron"
version=$(cron_sql "SELECT extversion FROM pg_extension WHERE extname = 'pg_cron'")
echo "# pg_cron extension version $version"

# February before: 10, 6, 5 -> 1 promoter, 2 detractors of 3 = -33.33
check "February NPS before" \
	"SELECT nps_responses, round(nps::numeric, 2) FROM monthly_summary WHERE month = '2024-02-01'" \
	"3|-33.33"

# two more promoters in February: 3 promoters, 2 detractors of 5 = (3 - 2) / 5 = 20;
# the first quarter: 9 promoters, 3 detractors of 14 = 6 / 14 = 42.86
csm_sql "INSERT INTO nps_answers VALUES (4, '2024-02-21 10:00+00', 10), (5, '2024-02-22 10:00+00', 10)"
check "the materialized view does not see them yet" \
	"SELECT nps_responses FROM monthly_summary WHERE month = '2024-02-01'" "3"

# doc/bi.md's pg_cron block as written, in the cron database, with our
# database for "analytics": it schedules the job for 00:05 every day
check_true "doc/bi.md: the pg_cron block runs" \
	cron_sql "$(bi_doc_sql 'sql pg_cron' | sed "s/'analytics'/'$CSM_DB'/")"
command='REFRESH MATERIALIZED VIEW CONCURRENTLY daily_summary'
jobid=$(cron_sql "SELECT jobid FROM cron.job WHERE jobname = 'refresh-daily-summary'")
CSM_DB=postgres check "the doc's job is scheduled for 00:05" \
	"SELECT schedule FROM cron.job WHERE jobid = $jobid" "5 0 * * *"

# scheduling the same name again moves the job to a sooner schedule: pg_cron
# 1.5 and later take '1 seconds'; 1.4 (Debian 12) only cron syntax, where a job
# first runs at the start of the next minute
started=$SECONDS
if cron_sql "SELECT cron.schedule_in_database('refresh-daily-summary', '1 seconds',
             \$\$$command\$\$, '$CSM_DB')" >/dev/null 2>&1; then
	schedule='1 seconds'
else
	schedule='* * * * *'
	cron_sql "SELECT cron.schedule_in_database('refresh-daily-summary', '* * * * *',
	          \$\$$command\$\$, '$CSM_DB')" >/dev/null
fi
echo "# rescheduled job $jobid with '$schedule'"
CSM_DB=postgres check "the same job, now every minute or second" \
	"SELECT count(*) || ' ' || max(jobid) || ' ' || max(schedule) FROM cron.job" "1 $jobid $schedule"
CSM_DB=postgres check "cron.job holds the refresh for $CSM_DB" \
	"SELECT database || ': ' || command FROM cron.job WHERE jobid = $jobid" \
	"$CSM_DB: $command"

# wait for the first run to finish (succeeded or failed), at most 90 s
status=
for _ in $(seq 180); do
	status=$(cron_sql "SELECT status FROM cron.job_run_details
	                   WHERE jobid = $jobid AND status IN ('succeeded', 'failed')
	                   ORDER BY runid LIMIT 1")
	[ -n "$status" ] && break
	sleep 0.5
done
waited=$((SECONDS - started))
echo "# pg_cron finished the job $waited s after it was scheduled"
CSM_DB=postgres check "pg_cron ran the refresh (cron.job_run_details)" \
	"SELECT status || ' ' || return_message || ' ' || (end_time >= start_time)
	 FROM cron.job_run_details WHERE jobid = $jobid ORDER BY runid LIMIT 1" \
	"succeeded REFRESH MATERIALIZED VIEW true"

check "February NPS after the scheduled refresh" \
	"SELECT nps_responses, round(nps::numeric, 2) FROM monthly_summary WHERE month = '2024-02-01'" \
	"5|20.00"
check "the first quarter after the scheduled refresh" \
	"SELECT nps_responses, round(nps::numeric, 2) FROM quarterly_summary WHERE quarter = '2024-01-01'" \
	"14|42.86"
check "other months unchanged" \
	"SELECT string_agg(month || ':' || nps_responses || ':' || round(nps::numeric, 2), ' ' ORDER BY month)
	 FROM monthly_summary WHERE month <> '2024-02-01' AND nps_responses > 0" \
	"2024-01-01:5:40.00 2024-03-01:4:75.00 2024-04-01:2:0.00 2024-05-01:2:100.00"

check_true "cron.unschedule" cron_sql "SELECT cron.unschedule($jobid)"
jobid=
