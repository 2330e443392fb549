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
