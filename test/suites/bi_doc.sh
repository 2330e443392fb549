#!/usr/bin/env bash
# doc/bi.md runs as written: every "sql" block, in order, on a fresh database,
# and the views give the numbers the page quotes (worked out by hand in the
# comments next to each query there).  Also: REFRESH ... CONCURRENTLY picks up
# new rows, and rollup() of the daily summaries equals the direct aggregates
# at every grain.
set -euo pipefail
. "$(dirname "$0")/../lib/assert.sh"
plan 16
. "$(dirname "$0")/../lib/bi_doc.sh"

check_true "doc/bi.md: every sql block runs" bi_doc_setup

# NPS: January 3 promoters, 1 passive, 1 detractor; adjusted-Wald bounds
# 25 -/+ 1.959964 * 100 * sqrt((0.6875 - 0.0625) / 8) = 25 -/+ 54.7827
check "nps_by_month" \
	"SELECT month, responses, round(nps::numeric, 2), round(nps_lower_95::numeric, 2), round(nps_upper_95::numeric, 2)
	 FROM nps_by_month ORDER BY month" \
	"2024-01-01|5|40.00|-29.78|79.78
2024-02-01|3|-33.33|-84.67|51.33
2024-03-01|4|75.00|-7.34|93.06
2024-04-01|2|0.00|-73.34|73.34
2024-05-01|2|100.00|-24.41|100.00"

# week of 1 Jan: CSAT 5,3,4 -> 2/3; CES 7,4,6 -> 17/3, easy 2/3; FCR 1,2,1,1 -> 3/4
check "support_by_week" \
	"SELECT week, tickets, round(csat_pct::numeric, 2), round(ces_mean::numeric, 3),
	        round(ces_easy_pct::numeric, 2), round(fcr_pct::numeric, 2)
	 FROM support_by_week ORDER BY week" \
	"2024-01-01|4|66.67|5.667|66.67|75.00
2024-01-08|2|50.00|3.500|50.00|50.00
2024-02-05|2|100.00|6.000|100.00|100.00"

# April: S = 1,2,3,4,6 and 5 (back on 1 April), 3 leaves on 15 April: 1/6
check "churn_by_month" \
	"SELECT month, customers_at_start, new_customers, churned_customers, customers_at_end,
	        round(churn_pct::numeric, 2), round(crr_pct::numeric, 2)
	 FROM churn_by_month WHERE month < '2024-07-01' ORDER BY month" \
	"2024-01-01|3|1|0|4|0.00|100.00
2024-02-01|4|0|0|4|0.00|100.00
2024-03-01|4|1|0|5|0.00|100.00
2024-04-01|6|0|1|5|16.67|83.33
2024-05-01|5|0|0|5|0.00|100.00
2024-06-01|5|0|0|5|0.00|100.00"

# MRR on the 1st: Jan 380, Feb 450, Mar 550, Apr 780, May 730, Jun 700
check "mrr_bridge_by_month" \
	"SELECT month, starting_mrr, new_mrr, expansion_mrr, reactivation_mrr, contraction_mrr,
	        churned_mrr, ending_mrr, net_new_mrr, round(grr_pct::numeric, 2), round(nrr_pct::numeric, 2),
	        quick_ratio, customers_at_start, customers_at_end
	 FROM mrr_bridge_by_month WHERE month < '2024-07-01' ORDER BY month" \
	"2024-01-01|0.00|380.00|0.00|0.00|0.00|0.00|380.00|380.00||||0|3
2024-02-01|380.00|150.00|0.00|0.00|0.00|80.00|450.00|70.00|78.95|78.95|1.875|3|4
2024-03-01|450.00|0.00|100.00|0.00|0.00|0.00|550.00|100.00|100.00|122.22||4|4
2024-04-01|550.00|150.00|0.00|80.00|0.00|0.00|780.00|230.00|100.00|100.00||4|6
2024-05-01|780.00|0.00|0.00|0.00|0.00|50.00|730.00|-50.00|93.59|93.59|0|6|5
2024-06-01|730.00|0.00|0.00|0.00|30.00|0.00|700.00|-30.00|95.89|95.89|0|5|5"

check "cohort_triangle" \
	"SELECT cohort, period, cohort_size, retained, retention_pct
	 FROM cohort_triangle WHERE period <= 4 AND cohort = '2024-01-01' ORDER BY period" \
	"2024-01-01|0|4|4|100
2024-01-01|1|4|4|100
2024-01-01|2|4|4|100
2024-01-01|3|4|3|75
2024-01-01|4|4|3|75"

check "renewal_rate_by_month" \
	"SELECT month, renewed, churned, renewal_rate_pct, round(lower_95::numeric, 2), round(upper_95::numeric, 2)
	 FROM renewal_rate_by_month WHERE month < '2024-07-01' ORDER BY month" \
	"2024-02-01|3|1|75|30.06|95.44
2024-03-01|3|0|100|43.85|100.00
2024-04-01|3|1|75|30.06|95.44
2024-05-01|4|0|100|51.01|100.00
2024-06-01|4|0|100|51.01|100.00"

# the feedback loop: 16 of 20 invitations answered (Wilson 58.40 to 91.93); detractors
# followed up within 24 hours: January 1 of 1 (10.5 h), February 1 of 2 (6 h and 48 h,
# median 27), April 0 of 1 (never)
check "survey_response_rate" \
	"SELECT answered, invited, response_rate_pct, round(lower_95::numeric, 2), round(upper_95::numeric, 2)
	 FROM survey_response_rate" \
	"16|20|80|58.40|91.93"
check "detractor_followup_by_month" \
	"SELECT month, detractors, within_24h_pct, followed_up_pct, median_hours_to_follow_up
	 FROM detractor_followup_by_month ORDER BY month" \
	"2024-01-01|1|100|100|10.5
2024-02-01|2|50|100|27
2024-04-01|1|0|0|"

check "monthly_summary" \
	"SELECT month, nps_responses, round(nps::numeric, 2), csat_pct, ces_mean, round(ces_easy_pct::numeric, 2),
	        round(fcr_pct::numeric, 2), renewal_rate_pct, new_mrr, expansion_mrr, reactivation_mrr,
	        contraction_mrr, churned_mrr, net_new_mrr, quick_ratio
	 FROM monthly_summary WHERE month < '2024-07-01' ORDER BY month" \
	"2024-01-01|5|40.00|60|4.8|60.00|66.67||430.00|0.00|0.00|0.00|0.00|430.00|
2024-02-01|3|-33.33|100|6|100.00|100.00|75|100.00|0.00|0.00|0.00|80.00|20.00|1.25
2024-03-01|4|75.00|||||100|150.00|100.00|0.00|0.00|0.00|250.00|
2024-04-01|2|0.00|||||75|0.00|0.00|80.00|0.00|50.00|30.00|0
2024-05-01|2|100.00|||||100|0.00|0.00|0.00|30.00|0.00|-30.00|0
2024-06-01|0||||||100|||||||"

check "quarterly_summary" \
	"SELECT quarter, nps_responses, round(nps::numeric, 2), round(csat_pct::numeric, 2),
	        round(fcr_pct::numeric, 2), round(renewal_rate_pct::numeric, 2), new_mrr, expansion_mrr,
	        reactivation_mrr, contraction_mrr, churned_mrr, net_new_mrr, quick_ratio
	 FROM quarterly_summary WHERE quarter < '2024-07-01' ORDER BY quarter" \
	"2024-01-01|12|33.33|66.67|71.43|85.71|680.00|100.00|0.00|0.00|80.00|700.00|9.75
2024-04-01|4|50.00|||91.67|0.00|0.00|80.00|30.00|50.00|0.00|0"

# the daily MRR movements add up to the change in MRR: 0 before 1 January, 700 in June
check "daily MRR movements sum to the MRR of June" \
	"SELECT net_new_mrr(rollup(mrr_moves)) FROM daily_summary WHERE day < '2024-07-01'" \
	"700.00"

# rollup of the days = the direct aggregate, at every grain, for every summary
check "rollup of days equals the direct aggregates at every grain" \
	"SELECT count(*) FILTER (WHERE p.nps_responses = coalesce(d.n, 0)
	                           AND p.nps IS NOT DISTINCT FROM d.nps
	                           AND p.csat_pct IS NOT DISTINCT FROM t.csat
	                           AND p.fcr_pct IS NOT DISTINCT FROM t.fcr
	                           AND p.ces_mean IS NOT DISTINCT FROM t.ces), count(*)
	 FROM period_summary p
	 LEFT JOIN (SELECT g, date_trunc(g, (answered_at AT TIME ZONE 'UTC')::date)::date AS period,
	                   count(*) AS n, nps(score) AS nps
	            FROM nps_answers, unnest('{week,month,quarter,year}'::text[]) g GROUP BY 1, 2) d
	        ON d.g = p.grain AND d.period = p.period
	 LEFT JOIN (SELECT g, date_trunc(g, (opened_at AT TIME ZONE 'UTC')::date)::date AS period,
	                   csat(csat >= 4) AS csat, fcr_rate(contacts_to_resolve) AS fcr, ces(ces::integer) AS ces
	            FROM tickets, unnest('{week,month,quarter,year}'::text[]) g GROUP BY 1, 2) t
	        ON t.g = p.grain AND t.period = p.period" \
	"$(csm_sql "SELECT count(*), count(*) FROM period_summary" | head -1)"

# REFRESH CONCURRENTLY: two more February answers (10, 10): 3 promoters,
# 2 detractors of 5 -> NPS 20; the rows of other days are not rewritten
check "REFRESH MATERIALIZED VIEW CONCURRENTLY picks up new answers" \
	"CREATE TEMP TABLE before AS SELECT ctid AS c, day FROM daily_summary;
	 INSERT INTO nps_answers VALUES (4, '2024-02-21 10:00+00', 10), (5, '2024-02-22 10:00+00', 10);
	 REFRESH MATERIALIZED VIEW CONCURRENTLY daily_summary;
	 SELECT m.nps_responses, m.nps, q.nps_responses, round(q.nps::numeric, 2),
	        (SELECT count(*) FROM daily_summary d JOIN before b ON b.day = d.day AND b.c = d.ctid)
	          = (SELECT count(*) FROM daily_summary) - 2
	 FROM monthly_summary m, quarterly_summary q
	 WHERE m.month = '2024-02-01' AND q.quarter = '2024-01-01'" \
	"5|20|14|42.86|t"

# a dashboard session reading the view (holding its ACCESS SHARE lock in an
# open transaction) does not block REFRESH ... CONCURRENTLY; a plain REFRESH
# would wait for it (55P03 once lock_timeout passes)
PGAPPNAME=bi_doc_reader psql -X -q -d "$CSM_DB" -c "BEGIN" -c "SELECT count(*) FROM daily_summary" \
	-c "SELECT pg_sleep(60)" -c "COMMIT" >/dev/null 2>&1 &
reader=$!
for _ in $(seq 100); do
	[ "$(csm_sql "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
	              WHERE c.relname = 'daily_summary' AND l.pid <> pg_backend_pid() AND l.granted")" != 0 ] && break
	sleep 0.1
done
check "REFRESH CONCURRENTLY while another session reads the view" \
	"SET lock_timeout = '1s'; REFRESH MATERIALIZED VIEW CONCURRENTLY daily_summary; SELECT 'refreshed'" \
	"refreshed"
# (|| true: check_error's psql fails on purpose, which set -e must not see)
check_error "a plain REFRESH waits for the reader" \
	"SET lock_timeout = '1s'; REFRESH MATERIALIZED VIEW daily_summary" 55P03 || true
csm_sql "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = 'bi_doc_reader'" >/dev/null
wait "$reader" || true
