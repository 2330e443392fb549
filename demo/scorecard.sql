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

\echo
\echo '== MRR bridge by month, last six months'
WITH m AS (
	SELECT account_id, month, mrr,
		   lag(mrr) OVER w AS previous,
		   coalesce(bool_or(mrr > 0) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), false) AS paid_before
	FROM customer_months
	WINDOW w AS (PARTITION BY account_id ORDER BY month)
), b AS (
	SELECT month, mrr_bridge_agg(previous, mrr, paid_before) AS b
	FROM m WHERE month >= '2025-07-01' GROUP BY month
)
SELECT to_char(month, 'YYYY-MM') AS month,
	   round(starting_mrr(b)) AS starting, round(new_mrr(b)) AS new, round(expansion_mrr(b)) AS expansion,
	   round(reactivation_mrr(b)) AS reactivation, round(contraction_mrr(b)) AS contraction,
	   round(churned_mrr(b)) AS churned, round(ending_mrr(b)) AS ending,
	   round(gross_revenue_retention(b)::numeric, 1) AS grr_pct,
	   round(net_revenue_retention(b)::numeric, 1) AS nrr_pct,
	   round(quick_ratio(b)::numeric, 2) AS quick_ratio
FROM b ORDER BY month;

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
	SELECT avg(mrr) AS arpa FROM customer_months WHERE month = '2025-12-01' AND mrr > 0
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
\echo '== The rest of the goals in metric_goals, for 2025 (support: Q4; GRR and NRR: December 2024'
\echo '   against December 2025, the accounts paying in December 2024; quick ratio: the 2025 monthly bridges)'
WITH q4_tickets AS (
	SELECT csat(csat) AS csat, ces_easy_pct(ces) AS ces_easy_pct, fcr_rate(contacts_to_resolve) AS fcr_rate
	FROM tickets WHERE opened_at >= '2025-10-01' AND opened_at < '2026-01-01'
), year_on_year AS (
	SELECT mrr_bridge_agg(coalesce(d24.mrr, 0), coalesce(d25.mrr, 0), d24.mrr IS NOT NULL) AS b
	FROM (SELECT account_id, mrr FROM customer_months WHERE month = '2024-12-01') d24
	FULL JOIN (SELECT account_id, mrr FROM customer_months WHERE month = '2025-12-01') d25 USING (account_id)
), monthly AS (
	SELECT rollup(b) AS b
	FROM (SELECT month, mrr_bridge_agg(previous, mrr, paid_before) AS b
		  FROM (SELECT month, mrr, lag(mrr) OVER w AS previous,
					   coalesce(bool_or(mrr > 0) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), false) AS paid_before
				FROM customer_months
				WINDOW w AS (PARTITION BY account_id ORDER BY month)) m
		  WHERE month >= '2025-01-01' AND month < '2026-01-01'
		  GROUP BY month) per_month
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
\echo '== From the subscription ledger (subscription_history_agg): MRR movements by month, last six'
\echo '   months, each account''s MRR on the last day of the month before against the last day of'
\echo '   the month (customer_months above samples the 1st and rounds annual plans to cents); ARPA'
\echo '   at each month end, and the committed MRR of the contracts signed by 2025-12-31'
WITH l AS (
	SELECT subscription_history_agg(account_id, started_on, ended_on, amount, billing_period) AS h
	FROM subscriptions
)
SELECT to_char(m.period, 'YYYY-MM') AS month,
	   round(m.starting_mrr) AS starting, round(m.new_mrr) AS new, round(m.expansion_mrr) AS expansion,
	   round(m.reactivation_mrr) AS reactivation, round(m.contraction_mrr) AS contraction,
	   round(m.churned_mrr) AS churned, round(m.ending_mrr) AS ending,
	   m.new_customers AS new_accounts, m.churned_customers AS churned_accounts,
	   m.customers_at_end AS paying_accounts,
	   round(arpa_at(l.h, (m.period + interval '1 month')::date - 1), 2) AS arpa,
	   round(net_revenue_retention(m.bridge)::numeric, 1) AS nrr_pct
FROM l, mrr_movements(l.h, 'month', '2025-07-01', '2026-01-01') m
ORDER BY m.period;
WITH l AS (
	SELECT subscription_history_agg(account_id, started_on, ended_on, amount, billing_period) AS h
	FROM subscriptions
)
SELECT round(mrr_at(h, '2025-12-31'), 2) AS mrr_2025_12_31, round(arr_at(h, '2025-12-31'), 2) AS arr,
	   paying_customers_at(h, '2025-12-31') AS paying_accounts,
	   round(mrr_at(h, '2026-03-31'), 2) AS committed_mrr_2026_03_31,
	   pg_column_size(h) AS ledger_bytes, customers(h) AS accounts
FROM l;

\echo
\echo '== Net and gross revenue retention with 95% intervals (ratio estimator over the accounts paying'
\echo '   in December 2024, December 2025 against December 2024), all accounts and by segment, and the'
\echo '   NRR difference between SMB and enterprise accounts (independent segments)'
WITH yoy AS (
	SELECT a.segment, mrr_bridge_agg(d24.mrr, coalesce(d25.mrr, 0), true) AS b
	FROM (SELECT account_id, mrr FROM customer_months WHERE month = '2024-12-01' AND mrr > 0) d24
	JOIN accounts a USING (account_id)
	LEFT JOIN (SELECT account_id, mrr FROM customer_months WHERE month = '2025-12-01') d25 USING (account_id)
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
	SELECT a.segment, mrr_bridge_agg(d24.mrr, coalesce(d25.mrr, 0), true) AS b
	FROM (SELECT account_id, mrr FROM customer_months WHERE month = '2024-12-01' AND mrr > 0) d24
	JOIN accounts a USING (account_id)
	LEFT JOIN (SELECT account_id, mrr FROM customer_months WHERE month = '2025-12-01') d25 USING (account_id)
	GROUP BY a.segment
)
SELECT 'smb - enterprise' AS nrr_difference, round(t.difference::numeric, 1) AS points,
	   round(t.std_error::numeric, 1) AS std_error, round(t.p_value::numeric, 4) AS p_value
FROM net_revenue_retention_difference_test((SELECT b FROM yoy WHERE segment = 'smb'),
										   (SELECT b FROM yoy WHERE segment = 'enterprise')) t;
