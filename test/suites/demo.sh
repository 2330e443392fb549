#!/usr/bin/env bash
# The demo's data set loads and its scorecard runs without error, and
# csmetrics' NPS, CSAT, FCR and year-on-year GRR over the demo data (computed
# here the way the scorecard computes them, not read from its output) agree
# with the plain SQL a team would write (the data is random, so there is no
# hand-worked answer; the plain SQL is the independent computation).
set -u
. "$(dirname "$0")/../lib/assert.sh"
plan 7
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
# GRR December 2024 -> December 2025: what the accounts paying in December 2024
# still pay, each capped at its December 2024 MRR, over their December 2024 MRR
check "year-on-year GRR equals the plain-SQL formula" \
	"WITH d24 AS (SELECT account_id, mrr FROM demo.customer_months WHERE month = '2024-12-01' AND mrr > 0),
	      d25 AS (SELECT account_id, mrr FROM demo.customer_months WHERE month = '2025-12-01')
	 SELECT round(gross_revenue_retention(b)::numeric, 6) = round(plain, 6)
	 FROM (SELECT mrr_bridge_agg(d24.mrr, coalesce(d25.mrr, 0), true) AS b,
	              100 * sum(least(coalesce(d25.mrr, 0), d24.mrr)) / sum(d24.mrr) AS plain
	       FROM d24 LEFT JOIN d25 USING (account_id)) x" "t"
# the year-on-year NRR interval is the ratio estimator's normal interval,
# computed here in plain SQL: R -/+ z sqrt(n / (n - 1) sum (E - R S)^2 / (sum S)^2)
check "year-on-year NRR interval equals the plain-SQL ratio-estimator interval" \
	"WITH d AS (SELECT d24.mrr AS s, coalesce(d25.mrr, 0) AS e
	            FROM (SELECT account_id, mrr FROM demo.customer_months WHERE month = '2024-12-01' AND mrr > 0) d24
	            LEFT JOIN (SELECT account_id, mrr FROM demo.customer_months WHERE month = '2025-12-01') d25 USING (account_id)),
	      r AS (SELECT count(*) AS n, sum(e) / sum(s) AS ratio, sum(s) AS t FROM d),
	      v AS (SELECT r.ratio, sqrt(r.n::numeric / (r.n - 1) * sum((d.e - r.ratio * d.s) ^ 2)) / r.t AS se
	            FROM d, r GROUP BY r.ratio, r.n, r.t)
	 SELECT round(net_revenue_retention_lower(b)::numeric, 6) = round(100 * (v.ratio - 1.959963984540054 * v.se), 6),
	        round(net_revenue_retention_upper(b)::numeric, 6) = round(100 * (v.ratio + 1.959963984540054 * v.se), 6)
	 FROM v, (SELECT mrr_bridge_agg(s, e, true) AS b FROM d) x" "t|t"
# the ledger's MRR on a day is the plain-SQL sum of monthly_amount() over the
# subscriptions active that day, and its December bridge ends there
check "ledger MRR on 2025-12-31 equals the plain-SQL sum, and the December bridge ends there" \
	"WITH l AS (SELECT subscription_history_agg(account_id, started_on, ended_on, amount, billing_period) AS h
	            FROM demo.subscriptions)
	 SELECT mrr_at(h, '2025-12-31') = (SELECT sum(monthly_amount(amount, billing_period)) FROM demo.subscriptions
	                                   WHERE started_on <= '2025-12-31' AND (ended_on IS NULL OR ended_on > '2025-12-31')),
	        ending_mrr(mrr_bridge(h, '2025-12-01', '2026-01-01')) = mrr_at(h, '2025-12-31')
	 FROM l" "t|t"
psql -X -q -d "$CSM_DB" -c "SET client_min_messages = warning" -c "DROP SCHEMA demo CASCADE" >/dev/null
