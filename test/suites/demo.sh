#!/usr/bin/env bash
# The demo's data set loads and its scorecard runs without error, and
# csmetrics' NPS, CSAT, FCR and year-on-year GRR over the demo data (computed
# here the way the scorecard computes them, not read from its output) agree
# with the plain SQL a team would write (the data is random, so there is no
# hand-worked answer; the plain SQL is the independent computation).
set -u
. "$(dirname "$0")/../lib/assert.sh"
plan 11
demo=$(cd "$(dirname "$0")/../../demo" && pwd)

check_true "demo/generate.sql loads" \
	psql -X -q -v ON_ERROR_STOP=1 -d "$CSM_DB" -o /dev/null -f "$demo/generate.sql"
check_true "demo/scorecard.sql runs" \
	psql -X -q -v ON_ERROR_STOP=1 -d "$CSM_DB" -o /dev/null -f "$demo/scorecard.sql"

check "Q4 2025 NPS equals the plain-SQL formula" \
	"SELECT nps(score) = 100.0 * (count(*) FILTER (WHERE score >= 9) - count(*) FILTER (WHERE score <= 6)) / count(score)
	 FROM demo.nps_answers WHERE answered_at >= '2025-10-01' AND answered_at < '2026-01-01'" "t"
check "Q4 2025 CSAT and FCR equal the plain-SQL shares" \
	"SELECT csat(csat) = 100.0 * count(*) FILTER (WHERE csat >= 4) / count(csat),
	        fcr_rate(contacts_to_resolve) = 100.0 * count(*) FILTER (WHERE contacts_to_resolve = 1) / count(contacts_to_resolve)
	 FROM demo.tickets WHERE opened_at >= '2025-10-01' AND opened_at < '2026-01-01'" "t|t"
# the scorecard's MRR figures come from the ledger of demo.subscriptions
ledger="WITH l AS (SELECT subscription_history_agg(account_id, started_on, ended_on, amount, billing_period) AS h
	            FROM demo.subscriptions)"
# each account's MRR on a day, in plain SQL: the sum of monthly_amount() over its
# subscriptions active that day
on_day() {
	echo "SELECT account_id, sum(monthly_amount(amount, billing_period)) AS mrr FROM demo.subscriptions
	      WHERE started_on <= '$1' AND (ended_on IS NULL OR ended_on > '$1') GROUP BY account_id"
}
# GRR 31 December 2024 -> 31 December 2025 (the scorecard's goal line): what the
# accounts paying on 2024-12-31 still pay, each capped at that MRR, over that MRR
check "year-on-year GRR from the ledger equals the plain-SQL formula" \
	"$ledger, d24 AS ($(on_day 2024-12-31)), d25 AS ($(on_day 2025-12-31))
	 SELECT round(gross_revenue_retention(mrr_bridge(h, '2025-01-01', '2026-01-01'))::numeric, 6)
	        = round(100 * sum(least(coalesce(d25.mrr, 0), d24.mrr)) / sum(d24.mrr), 6)
	 FROM l, d24 LEFT JOIN d25 USING (account_id) GROUP BY h" "t"
# ARPA on 2025-12-31 (the unit economics line): MRR over paying accounts
check "ledger ARPA on 2025-12-31 equals the plain-SQL mean" \
	"$ledger, d AS ($(on_day 2025-12-31))
	 SELECT arpa_at(h, '2025-12-31') = (SELECT sum(mrr) / count(*) FROM d WHERE mrr > 0) FROM l" "t"
# the hand-built spine (customer_months: the MRR of the subscription active on the
# 1st of each month, annual plans rounded to cents) against the ledger on the
# same days: equal but for that rounding, at most half a cent per account
check "customer_months agrees with the ledger on the 1st of every month of 2024-2025" \
	"$ledger
	 SELECT count(*), count(*) FILTER (WHERE abs(mrr_at(h, c.month) - c.mrr) <= 0.005 * c.accounts)
	 FROM l, (SELECT month, sum(mrr) AS mrr, count(*) AS accounts FROM demo.customer_months
	          WHERE month >= '2024-01-01' GROUP BY month) c" "24|24"
# the renewal wall of 2026: every subscription running on 2025-12-31 (the data has
# no scheduled ends) renews in each quarter if monthly, and in the quarter of its
# 2026 anniversary if annual
check "the 2026 renewal wall equals the plain-SQL count by quarter" \
	"$ledger, plain AS (
	   SELECT date_trunc('quarter', CASE WHEN billing_period = '1 month' THEN q
	                                ELSE started_on + make_interval(years => 2026 - extract(year FROM started_on)::int) END)::date AS period,
	          count(*) AS subscriptions, sum(monthly_amount(amount, billing_period)) AS mrr
	   FROM demo.subscriptions s
	   CROSS JOIN generate_series(DATE '2026-01-01', DATE '2026-10-01', interval '3 months') q
	   WHERE ended_on IS NULL AND started_on <= '2025-12-31'
	     AND (billing_period = '1month' OR date_trunc('quarter', q) = date_trunc('quarter',
	          started_on + make_interval(years => 2026 - extract(year FROM started_on)::int)))
	   GROUP BY 1)
	 SELECT count(*), count(*) FILTER (WHERE (r.subscriptions, r.mrr) = (p.subscriptions, p.mrr))
	 FROM l, renewals_due(h, '2026-01-01', '2027-01-01', 'quarter') r JOIN plain p USING (period)" "4|4"
# the year-on-year NRR interval of the ledger's bridge is the ratio estimator's
# normal interval, computed here in plain SQL over the accounts paying on
# 2024-12-31 (S) and their MRR on 2025-12-31 (E):
# R -/+ z sqrt(n / (n - 1) sum (E - R S)^2) / sum S
check "year-on-year NRR interval equals the plain-SQL ratio-estimator interval" \
	"$ledger, d24 AS ($(on_day 2024-12-31)), d25 AS ($(on_day 2025-12-31)),
	      d AS (SELECT d24.mrr AS s, coalesce(d25.mrr, 0) AS e FROM d24 LEFT JOIN d25 USING (account_id) WHERE d24.mrr > 0),
	      r AS (SELECT count(*) AS n, sum(e) / sum(s) AS ratio, sum(s) AS t FROM d),
	      v AS (SELECT r.ratio, sqrt(r.n::numeric / (r.n - 1) * sum((d.e - r.ratio * d.s) ^ 2)) / r.t AS se
	            FROM d, r GROUP BY r.ratio, r.n, r.t)
	 SELECT round(net_revenue_retention_lower(b)::numeric, 6) = round(100 * (v.ratio - 1.959963984540054 * v.se), 6),
	        round(net_revenue_retention_upper(b)::numeric, 6) = round(100 * (v.ratio + 1.959963984540054 * v.se), 6)
	 FROM v, (SELECT mrr_bridge(h, '2025-01-01', '2026-01-01') AS b FROM l) x" "t|t"
# the ledger's MRR on a day is the plain-SQL sum of monthly_amount() over the
# subscriptions active that day, and its December bridge ends there
check "ledger MRR on 2025-12-31 equals the plain-SQL sum, and the December bridge ends there" \
	"WITH l AS (SELECT subscription_history_agg(account_id, started_on, ended_on, amount, billing_period) AS h
	            FROM demo.subscriptions)
	 SELECT mrr_at(h, '2025-12-31') = (SELECT sum(monthly_amount(amount, billing_period)) FROM demo.subscriptions
	                                   WHERE started_on <= '2025-12-31' AND (ended_on IS NULL OR ended_on > '2025-12-31')),
	        ending_mrr(mrr_bridge(h, '2025-12-01', '2026-01-01')) = mrr_at(h, '2025-12-31')
	 FROM l" "t|t"
# engagement: December's active users and stickiness from the daily summaries equal
# count(DISTINCT) and the plain-SQL DAU/MAU over the raw product events
check "December MAU and stickiness from daily activity summaries equal the plain SQL" \
	"WITH d AS (SELECT activity_agg(user_id, active_on) AS s FROM demo.product_events
	            WHERE active_on >= '2025-12-01' GROUP BY active_on),
	      raw AS (SELECT count(DISTINCT user_id) AS mau,
	                     (SELECT count(*) FROM (SELECT DISTINCT user_id, active_on FROM demo.product_events
	                                            WHERE active_on >= '2025-12-01') p) / 31.0 AS dau
	              FROM demo.product_events WHERE active_on >= '2025-12-01')
	 SELECT active_users(rollup(s)) = (SELECT mau FROM raw),
	        round(stickiness(rollup(s), '2025-12-01', '2026-01-01')::numeric, 9)
	          = (SELECT round(100 * dau / mau, 9) FROM raw)
	 FROM d" "t|t"
psql -X -q -d "$CSM_DB" -c "SET client_min_messages = warning" -c "DROP SCHEMA demo CASCADE" >/dev/null
