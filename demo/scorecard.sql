-- csmetrics demo scorecard over the demo schema (see demo/generate.sql)
\pset footer off
\pset null '-'
SET search_path = public, demo;

\echo
\echo '== Net Promoter Score by quarter, 95% adjusted-Wald interval, change vs the quarter before'
WITH q AS (
	SELECT date_trunc('quarter', answered_at)::date AS quarter, survey_agg(score) AS s
	FROM nps_answers GROUP BY 1
)
SELECT to_char(quarter, 'YYYY "Q"Q') AS quarter,
	   responses(s) AS answers,
	   round(nps(s)::numeric, 1) AS nps,
	   '[' || round(nps_lower(s, 0.95, true)::numeric, 1) || ', '
		   || round(nps_upper(s, 0.95, true)::numeric, 1) || ']' AS interval_95,
	   round((t).difference::numeric, 1) AS change,
	   round((t).p_value::numeric, 4) AS p_value,
	   CASE WHEN (t).p_value < 0.05 THEN 'significant' ELSE '' END AS verdict
FROM (SELECT quarter, s, nps_difference_test(s, lag(s) OVER (ORDER BY quarter)) AS t FROM q) v
ORDER BY quarter;

\echo
\echo '== Support quality, last quarter (2025 Q4) vs the quarter before'
SELECT to_char(date_trunc('quarter', opened_at), 'YYYY "Q"Q') AS quarter,
	   count(*) AS tickets,
	   round(csat(csat)::numeric, 1) AS csat_pct,
	   round(rate_lower(rate_agg(csat >= 4))::numeric, 1) || '..'
		   || round(rate_upper(rate_agg(csat >= 4))::numeric, 1) AS csat_wilson_95,
	   round(ces(ces)::numeric, 2) AS ces_mean_1_7,
	   round(ces_easy_pct(ces)::numeric, 1) AS ces_easy_pct,
	   round(fcr_rate(contacts_to_resolve)::numeric, 1) AS fcr_pct
FROM tickets
WHERE opened_at >= '2025-07-01' AND opened_at < '2026-01-01'
GROUP BY 1 ORDER BY 1;

\echo
\echo '== Logo churn and customer retention rate (CRR) by month, last six months'
SELECT to_char(m, 'YYYY-MM') AS month,
	   customers_at_start(f) AS at_start, new_customers(f) AS new,
	   churned_customers(f) AS churned, customers_at_end(f) AS at_end,
	   round(churn_rate(f)::numeric, 2) AS churn_pct,
	   round(retention_rate(f)::numeric, 2) AS crr_pct
FROM (SELECT m, customer_flow_agg(a.started_on, a.ended_on, m, (m + interval '1 month')::date) AS f
	  FROM generate_series(DATE '2025-07-01', DATE '2025-12-01', interval '1 month') AS g(gm)
	  CROSS JOIN LATERAL (SELECT gm::date AS m) mm
	  JOIN (SELECT account_id, min(started_on) AS started_on,
				   CASE WHEN bool_or(ended_on IS NULL) THEN NULL ELSE max(ended_on) END AS ended_on
			FROM subscriptions GROUP BY account_id) a ON true
	  GROUP BY m) v
ORDER BY m;

\echo
\echo '== Logo retention by quarterly sign-up cohort (percent still active at the end of each quarter)'
SELECT to_char(cohort, 'YYYY "Q"Q') AS cohort, max(cohort_size) AS size,
	   round(max(retention_pct) FILTER (WHERE period = 1)::numeric, 1) AS q1,
	   round(max(retention_pct) FILTER (WHERE period = 2)::numeric, 1) AS q2,
	   round(max(retention_pct) FILTER (WHERE period = 4)::numeric, 1) AS q4,
	   round(max(retention_pct) FILTER (WHERE period = 6)::numeric, 1) AS q6,
	   round(max(retention_pct) FILTER (WHERE period = 8)::numeric, 1) AS q8
FROM cohort_retention(
		(SELECT cohort_agg(started_on, ended_on, 'quarter')
		 FROM (SELECT account_id, min(started_on) AS started_on,
					  CASE WHEN bool_or(ended_on IS NULL) THEN NULL ELSE max(ended_on) END AS ended_on
			   FROM subscriptions GROUP BY account_id) a),
		DATE '2025-12-31')
GROUP BY cohort ORDER BY cohort;

-- the subscription ledger, built once from the subscriptions: every MRR, ARPA, seat and
-- renewal figure below reads it (seats as the generator derives them: MRR / 18, at least 2)
CREATE TEMP TABLE ledger AS
SELECT subscription_history_agg(account_id, started_on, ended_on, amount, billing_period,
								greatest(2, round(monthly_amount(amount, billing_period) / 18))) AS h
FROM subscriptions;

\echo
\echo '== MRR bridge by month, last six months (from the subscription ledger: each account''s MRR on'
\echo '   the last day of the month before against the last day of the month; ARPA at the month end)'
SELECT to_char(m.period, 'YYYY-MM') AS month,
	   round(m.starting_mrr) AS starting, round(m.new_mrr) AS new, round(m.expansion_mrr) AS expansion,
	   round(m.reactivation_mrr) AS reactivation, round(m.contraction_mrr) AS contraction,
	   round(m.churned_mrr) AS churned, round(m.ending_mrr) AS ending,
	   m.customers_at_end AS paying_accounts,
	   round(arpa_at(l.h, (m.period + interval '1 month')::date - 1), 2) AS arpa,
	   round(gross_revenue_retention(m.bridge)::numeric, 1) AS grr_pct,
	   round(net_revenue_retention(m.bridge)::numeric, 1) AS nrr_pct,
	   round(quick_ratio(m.bridge)::numeric, 2) AS quick_ratio
FROM ledger l, mrr_movements(l.h, 'month', '2025-07-01', '2026-01-01') m
ORDER BY m.period;

\echo
\echo '== Seats by quarter of 2025 (from the ledger) and seat retention of the 2024 and 2025 cohorts'
SELECT to_char(q, 'YYYY "Q"Q') AS quarter, s.seats_at_start, s.new_seats, s.expansion_seats,
	   s.contraction_seats, s.churned_seats, s.seats_at_end,
	   round(s.seat_churn_rate::numeric, 2) AS seat_churn_pct
FROM ledger l, generate_series(DATE '2025-01-01', DATE '2025-10-01', interval '3 months') q,
	 seat_bridge(l.h, q::date, (q + interval '3 months')::date) s
ORDER BY q;
SELECT to_char(r.cohort, 'YYYY "Q"Q') AS cohort, max(r.seats) FILTER (WHERE r.period = 0) AS seats,
	   round(max(r.retention_pct) FILTER (WHERE r.period = 1)::numeric, 1) AS q1_pct,
	   round(max(r.retention_pct) FILTER (WHERE r.period = 2)::numeric, 1) AS q2_pct,
	   round(max(r.retention_pct) FILTER (WHERE r.period = 4)::numeric, 1) AS q4_pct
FROM ledger l, seat_retention(l.h, 'quarter', '2024-01-01', '2026-01-01') r
GROUP BY r.cohort ORDER BY r.cohort;

\echo
\echo '== Renewal wall: the subscriptions running on 2025-12-31 that come up for renewal in 2026, by quarter'
\echo '   (monthly plans renew every month, annual plans once; each subscription once a quarter)'
SELECT to_char(r.period, 'YYYY "Q"Q') AS quarter, r.customers AS accounts, r.subscriptions,
	   round(r.mrr) AS mrr_up_for_renewal
FROM ledger l, renewals_due(l.h, '2026-01-01', '2027-01-01', 'quarter') r
ORDER BY r.period;
SELECT to_char(r.period, 'YYYY-MM') AS month, r.subscriptions AS annual_renewals, round(12 * r.mrr) AS arr_up_for_renewal
FROM (SELECT subscription_history_agg(account_id, started_on, ended_on, amount, billing_period) AS h
	  FROM subscriptions WHERE billing_period = '1 year') a,
	 renewals_due(a.h, '2026-01-01', '2026-07-01', 'month') r
ORDER BY r.period;

\echo
\echo '== Renewal rate of renewals that fell due in 2025, by billing period'
\echo '   (a subscription that ended because the account changed plan did not churn: its renewals'
\echo '    count only up to the change, and the next subscription takes over)'
WITH s AS (
	SELECT s.*, EXISTS (SELECT 1 FROM subscriptions n
						WHERE n.account_id = s.account_id AND n.started_on = s.ended_on) AS changed_plan
	FROM subscriptions s
)
SELECT s.billing_period,
	   count(*) FILTER (WHERE r.outcome <> 'pending') AS renewals_decided,
	   round(renewal_rate(r.outcome = 'renewed') FILTER (WHERE r.outcome <> 'pending')::numeric, 1) AS renewal_rate_pct
FROM s
CROSS JOIN LATERAL renewal_windows(
	s.started_on, s.billing_period,
	CASE WHEN s.changed_plan THEN NULL ELSE s.ended_on END,
	CASE WHEN s.changed_plan THEN least(s.ended_on - 1, DATE '2025-12-31') ELSE DATE '2025-12-31' END) r
WHERE r.due_on >= '2025-01-01'
GROUP BY 1 ORDER BY 1;

\echo
\echo '== Customer lifetime (Kaplan-Meier over accounts, tenure in months; still-active accounts are censored;'
\echo '   a median of - means fewer than half of the accounts have churned yet)'
WITH a AS (
	SELECT account_id, min(started_on) AS started_on,
		   CASE WHEN bool_or(ended_on IS NULL) THEN NULL ELSE max(ended_on) END AS ended_on
	FROM subscriptions GROUP BY account_id
), s AS (
	SELECT survival_agg((coalesce(ended_on, DATE '2025-12-31') - started_on) / 30.4375, ended_on IS NOT NULL) AS s
	FROM a
)
SELECT customers(s) AS accounts,
	   round(median_lifetime(s)::numeric, 1) AS median_lifetime_months,
	   round((100 * survival_at(s, 12))::numeric, 1) AS still_active_after_12_months_pct,
	   round((100 * survival_at(s, 24))::numeric, 1) AS still_active_after_24_months_pct,
	   round(restricted_mean_lifetime(s, 36)::numeric, 1) AS mean_months_within_3_years
FROM s;

\echo
\echo '== Unit economics and goals (last six months; gross margin assumed 80%; CAC = mean acquisition cost of new accounts)'
WITH months AS (
	SELECT m::date AS m FROM generate_series(DATE '2025-07-01', DATE '2025-12-01', interval '1 month') m
), spans AS (
	SELECT account_id, min(started_on) AS started_on,
		   CASE WHEN bool_or(ended_on IS NULL) THEN NULL ELSE max(ended_on) END AS ended_on
	FROM subscriptions GROUP BY account_id
), flow AS (
	SELECT avg(churn_rate(f)) AS monthly_churn_pct
	FROM (SELECT customer_flow_agg(s.started_on, s.ended_on, months.m, (months.m + interval '1 month')::date) AS f
		  FROM months CROSS JOIN spans s GROUP BY months.m) v
), arpa AS (
	SELECT arpa_at(h, '2025-12-31') AS arpa FROM ledger
), cac AS (
	SELECT avg(acquisition_cost) AS cac FROM accounts WHERE signed_up_on >= '2025-07-01'
), n AS (
	SELECT nps(score) AS nps FROM nps_answers WHERE answered_at >= '2025-10-01'
), k AS (
	SELECT round(arpa::numeric, 2) AS arpa, round(monthly_churn_pct::numeric, 2) AS monthly_churn_pct,
		   round(saas_ltv(arpa, 80, monthly_churn_pct::numeric), 0) AS ltv,
		   round(cac, 0) AS cac,
		   round(ltv_cac_ratio(saas_ltv(arpa, 80, monthly_churn_pct::numeric), cac), 2) AS ltv_cac,
		   n.nps
	FROM flow, arpa, cac, n
)
SELECT v.metric, v.value,
	   CASE WHEN g.metric IS NOT NULL THEN goal_band(v.metric, v.value::float8)::text ELSE '' END AS vs_goal,
	   CASE WHEN g.metric IS NULL THEN ''
			WHEN goal_met(v.metric, v.value::float8) THEN 'meets goal' ELSE 'misses goal' END AS verdict,
	   CASE WHEN g.metric IS NULL THEN ''
			ELSE coalesce(g.goal_low::text, '') || '..' || coalesce(g.goal_high::text, '') END AS goal
FROM k, LATERAL (VALUES (1, 'arpa (MRR per paying account)', k.arpa),
						(2, 'monthly_churn_rate', k.monthly_churn_pct),
						(3, 'saas_ltv', k.ltv),
						(4, 'cac', k.cac),
						(5, 'ltv_cac_ratio', k.ltv_cac),
						(6, 'nps', round(k.nps::numeric, 1))) v(ord, metric, value)
LEFT JOIN metric_goal g ON g.metric = v.metric
ORDER BY v.ord;

\echo
\echo '== The rest of the goals in metric_goals, for 2025 (support: Q4; GRR and NRR: 31 December 2024'
\echo '   against 31 December 2025, the accounts paying on 31 December 2024; quick ratio: the 2025 monthly bridges)'
WITH q4_tickets AS (
	SELECT csat(csat) AS csat, ces_easy_pct(ces) AS ces_easy_pct, fcr_rate(contacts_to_resolve) AS fcr_rate
	FROM tickets WHERE opened_at >= '2025-10-01' AND opened_at < '2026-01-01'
), year_on_year AS (
	SELECT mrr_bridge(h, '2025-01-01', '2026-01-01') AS b FROM ledger
), monthly AS (
	SELECT rollup(m.bridge) AS b FROM ledger, mrr_movements(h, 'month', '2025-01-01', '2026-01-01') m
), renewals AS (
	SELECT renewal_rate(r.outcome = 'renewed') FILTER (WHERE r.outcome <> 'pending') AS renewal_rate
	FROM (SELECT s.*, EXISTS (SELECT 1 FROM subscriptions n
							  WHERE n.account_id = s.account_id AND n.started_on = s.ended_on) AS changed_plan
		  FROM subscriptions s) s
	CROSS JOIN LATERAL renewal_windows(
		s.started_on, s.billing_period,
		CASE WHEN s.changed_plan THEN NULL ELSE s.ended_on END,
		CASE WHEN s.changed_plan THEN least(s.ended_on - 1, DATE '2025-12-31') ELSE DATE '2025-12-31' END) r
	WHERE r.due_on >= '2025-01-01'
)
SELECT v.metric, round(v.value::numeric, 1) AS value, goal_band(v.metric, v.value)::text AS vs_goal,
	   CASE WHEN goal_met(v.metric, v.value) THEN 'meets goal' ELSE 'misses goal' END AS verdict,
	   coalesce(g.goal_low::text, '') || '..' || coalesce(g.goal_high::text, '') AS goal
FROM q4_tickets, year_on_year y, monthly m, renewals,
	 LATERAL (VALUES (2, 'csat', q4_tickets.csat),
					 (3, 'ces_easy_pct', q4_tickets.ces_easy_pct),
					 (4, 'fcr_rate', q4_tickets.fcr_rate),
					 (5, 'gross_revenue_retention', gross_revenue_retention(y.b)::float8),
					 (6, 'net_revenue_retention', net_revenue_retention(y.b)::float8),
					 (7, 'quick_ratio', quick_ratio(m.b)::float8),
					 (8, 'renewal_rate', renewals.renewal_rate)) v(ord, metric, value)
JOIN metric_goal g ON g.metric = v.metric
ORDER BY v.ord;

\echo
\echo '== Trial-to-paid within 14 days by trial-start month, data to 31 Dec 2025: counting open trials'
\echo '   as failures (naive) against counting decided trials only (trial_conversion_agg), Wilson 95%'
SELECT to_char(m, 'YYYY-MM') AS started, trials, round(100.0 * naive_converted / trials, 1) AS naive_pct,
	   trials(s) AS decided, round(rate(s)::numeric, 1) AS decided_pct,
	   round(rate_lower(s)::numeric, 1) || '..' || round(rate_upper(s)::numeric, 1) AS wilson_95
FROM (SELECT date_trunc('month', t.started_on) AS m, count(*) AS trials,
			 count(*) FILTER (WHERE c.converted_on <= t.started_on + 14) AS naive_converted,
			 trial_conversion_agg(t.started_on, c.converted_on, '14 days', DATE '2026-01-01') AS s
	  FROM trials t LEFT JOIN trial_conversions c USING (trial_id)
	  WHERE t.started_on >= '2025-09-01'
	  GROUP BY 1) x
ORDER BY m;

\echo
\echo '== Subscription lifetime by billing period (months; a subscription ended by a change of plan is'
\echo '   censored, not churned) and the log-rank test of monthly against annual plans'
CREATE TEMP VIEW subscription_lifetimes AS
SELECT s.billing_period,
	   survival_agg((coalesce(s.ended_on, DATE '2025-12-31') - s.started_on) / 30.4375,
					s.ended_on IS NOT NULL AND NOT s.changed_plan) AS s
FROM (SELECT s.*, EXISTS (SELECT 1 FROM subscriptions n
						  WHERE n.account_id = s.account_id AND n.started_on = s.ended_on) AS changed_plan
	  FROM subscriptions s) s
GROUP BY s.billing_period;
SELECT billing_period, customers(s) AS subscriptions,
	   round(median_lifetime(s)::numeric, 1) AS median_months,
	   round((100 * survival_at(s, 12))::numeric, 1) AS active_after_12_months_pct,
	   round((100 * survival_at(s, 24))::numeric, 1) AS active_after_24_months_pct
FROM subscription_lifetimes ORDER BY billing_period;
SELECT round((t).chi_square::numeric, 2) AS log_rank_chi_square, (t).degrees_of_freedom AS df,
	   to_char((t).p_value, '9.99EEEE') AS p_value,
	   CASE WHEN (t).p_value < 0.05 THEN 'the curves differ' ELSE 'no evidence of a difference' END AS verdict
FROM (SELECT survival_difference_test_groups(billing_period::text, s) AS t FROM subscription_lifetimes) x;

\echo
\echo '== Predicted customer value (BG/NBD and Gamma-Gamma on add-on orders to 2025-12-31, in weeks;'
\echo '   the next 12 months at 1% a month, so periods of 52/12 weeks)'
-- each account's history and the two models fitted to them, once
CREATE TEMP TABLE clv_histories AS
SELECT account_id, purchase_history_agg(ordered_on, amount, DATE '2025-12-31', '1 day') AS h
FROM orders GROUP BY account_id;
CREATE TEMP TABLE clv_models AS
SELECT bgnbd_fit(frequency(h), recency(h) / 7, age(h) / 7) AS m,
	   gamma_gamma_fit(frequency(h), monetary_value(h)::float8) AS g
FROM clv_histories;
WITH alive AS (
	SELECT bgnbd_probability_alive(m, frequency(h), recency(h) / 7, age(h) / 7) AS p
	FROM clv_histories, clv_models
)
SELECT customers(m) AS accounts, converged(m) AND converged(g) AS converged,
	   round(r(m)::numeric, 3) AS r, round(alpha(m)::numeric, 2) AS alpha_weeks,
	   round(a(m)::numeric, 3) AS a, round(b(m)::numeric, 2) AS b,
	   round(gamma_gamma_expected_spend(g, 0, NULL)::numeric, 2) AS mean_order_value,
	   (SELECT round((100 * avg(p))::numeric, 1) FROM alive) AS mean_p_alive_pct,
	   (SELECT round((100 * avg((p > 0.5)::int))::numeric, 1) FROM alive) AS probably_alive_pct
FROM clv_models;
SELECT o.account_id, a.segment, frequency(h) AS repeat_orders,
	   round(recency(h) / 7) AS last_order_week, round(age(h) / 7) AS weeks_observed,
	   round(monetary_value(h), 2) AS mean_repeat_order,
	   round(bgnbd_probability_alive(m, frequency(h), recency(h) / 7, age(h) / 7)::numeric, 3) AS p_alive,
	   round(predicted_clv(m, g, frequency(h), recency(h) / 7, age(h) / 7, monetary_value(h)::float8,
						   12, 52.0 / 12, 0.01)::numeric, 2) AS predicted_12_month_value
FROM clv_histories o JOIN accounts a USING (account_id), clv_models
ORDER BY predicted_12_month_value DESC, o.account_id LIMIT 10;

\echo
\echo '== The subscription ledger on 2025-12-31, and the committed MRR of the contracts signed by then'
SELECT round(mrr_at(h, '2025-12-31'), 2) AS mrr_2025_12_31, round(arr_at(h, '2025-12-31'), 2) AS arr,
	   paying_customers_at(h, '2025-12-31') AS paying_accounts, seats_at(h, '2025-12-31') AS seats,
	   round(mrr_at(h, '2026-03-31'), 2) AS committed_mrr_2026_03_31,
	   pg_column_size(h) AS ledger_bytes, customers(h) AS accounts
FROM ledger;

\echo
\echo '== Engagement (product events of one account in forty, 2025; from daily activity summaries):'
\echo '   monthly active users, average DAU, stickiness (DAU/MAU) and time per active user by month'
CREATE TEMP TABLE daily_activity AS
SELECT active_on AS day, activity_agg(user_id, active_on, session_length) AS s
FROM product_events GROUP BY active_on;
SELECT to_char(month, 'YYYY-MM') AS month, active_users(m) AS mau,
	   round(average_daily_active_users(m, month, (month + interval '1 month')::date)::numeric, 1) AS avg_dau,
	   round(stickiness(m, month, (month + interval '1 month')::date)::numeric, 1) AS dau_mau_pct,
	   date_trunc('second', time_per_active_user(m)) AS time_per_user
FROM (SELECT date_trunc('month', day)::date AS month, rollup(s) AS m FROM daily_activity GROUP BY 1) x
ORDER BY month;

\echo
\echo '== Power-user curve, December 2025 (users by active days; 31 days), and the share active on'
\echo '   15 or more days, with its Wilson 95% interval'
SELECT CASE WHEN active_days <= 5 THEN ' 1-5' WHEN active_days <= 10 THEN ' 6-10' WHEN active_days <= 15 THEN '11-15'
			WHEN active_days <= 20 THEN '16-20' WHEN active_days <= 25 THEN '21-25' ELSE '26-31' END AS active_days,
	   sum(users) AS users
FROM (SELECT rollup(s) AS m FROM daily_activity WHERE day >= '2025-12-01') x,
	 active_days_distribution(m, '2025-12-01', '2026-01-01')
GROUP BY 1 ORDER BY 1;
SELECT round(usage_rate(m, 15)::numeric, 1) AS pct_15_days,
	   round(rate_lower(usage_rate_summary(m, 15))::numeric, 1) AS lower_95,
	   round(rate_upper(usage_rate_summary(m, 15))::numeric, 1) AS upper_95
FROM (SELECT rollup(s) AS m FROM daily_activity WHERE day >= '2025-12-01') x;

\echo
\echo '== Activity retention by monthly cohort of first activity in 2025 (percent of the cohort active'
\echo '   in each month after; the January cohort holds everyone already active at the start of 2025)'
SELECT to_char(cohort, 'YYYY-MM') AS cohort, max(cohort_size) AS users,
	   round(max(retention_pct) FILTER (WHERE period = 1)::numeric, 1) AS m1,
	   round(max(retention_pct) FILTER (WHERE period = 2)::numeric, 1) AS m2,
	   round(max(retention_pct) FILTER (WHERE period = 3)::numeric, 1) AS m3,
	   round(max(retention_pct) FILTER (WHERE period = 6)::numeric, 1) AS m6
FROM (SELECT rollup(s) AS y FROM daily_activity) x, activity_retention(y, 'month')
GROUP BY cohort ORDER BY cohort;
DROP TABLE daily_activity;

\echo
\echo '== Net and gross revenue retention with 95% intervals (ratio estimator over the accounts paying'
\echo '   on 2024-12-31, their MRR on 2025-12-31 against it, from the subscription ledger), all accounts'
\echo '   and by segment, and the NRR difference between SMB and enterprise accounts (independent segments)'
WITH yoy AS (
	SELECT a.segment, mrr_bridge(subscription_history_agg(s.account_id, s.started_on, s.ended_on, s.amount,
															  s.billing_period), '2025-01-01', '2026-01-01') AS b
	FROM subscriptions s JOIN accounts a USING (account_id)
	GROUP BY ROLLUP (a.segment)
)
SELECT coalesce(segment, 'all') AS segment, customers_at_start(b) AS accounts,
	   round(net_revenue_retention(b)::numeric, 1) AS nrr_pct,
	   round(net_revenue_retention_lower(b)::numeric, 1) || '..' || round(net_revenue_retention_upper(b)::numeric, 1) AS nrr_95,
	   round(gross_revenue_retention(b)::numeric, 1) AS grr_pct,
	   round(gross_revenue_retention_lower(b)::numeric, 1) || '..' || round(gross_revenue_retention_upper(b)::numeric, 1) AS grr_95
FROM yoy
ORDER BY segment IS NULL, segment;
WITH yoy AS (
	SELECT a.segment, mrr_bridge(subscription_history_agg(s.account_id, s.started_on, s.ended_on, s.amount,
															  s.billing_period), '2025-01-01', '2026-01-01') AS b
	FROM subscriptions s JOIN accounts a USING (account_id)
	GROUP BY a.segment
)
SELECT 'smb - enterprise' AS nrr_difference, round(t.difference::numeric, 1) AS points,
	   round(t.std_error::numeric, 1) AS std_error, round(t.p_value::numeric, 4) AS p_value
FROM net_revenue_retention_difference_test((SELECT b FROM yoy WHERE segment = 'smb'),
										   (SELECT b FROM yoy WHERE segment = 'enterprise')) t;
