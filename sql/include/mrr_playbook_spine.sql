-- sql/include/mrr_playbook_spine.sql: the dbt-labs mrr-playbook sample
-- (test/data/README.md: 121 subscriptions, 55 customers, amounts already
-- monthly, end dates exclusive) loaded into subscriptions, and the
-- hand-written way to its MRR movements that doc/revenue.md shows: one row
-- per customer and month from the customer's first month to the month after
-- the last one ends, with that month's MRR, the previous month's (lag) and
-- whether they ever paid before.  Used by sql/mrr_playbook.sql and
-- sql/subscription_history_playbook.sql.
CREATE TABLE subscriptions (
	subscription_id int, customer_id int, start_date date, end_date date, monthly_amount numeric);
\copy subscriptions FROM 'test/data/mrr_playbook_subscription_periods.csv' WITH (FORMAT csv, HEADER)
CREATE VIEW customer_months AS
WITH spans AS (
	SELECT customer_id, min(start_date) AS first_month, max(end_date) AS last_month
	FROM subscriptions GROUP BY customer_id
), customer_mrr AS (
	SELECT c.customer_id, m::date AS month, coalesce(sum(s.monthly_amount), 0) AS mrr
	FROM spans c
	CROSS JOIN LATERAL generate_series(c.first_month, c.last_month, interval '1 month') m
	LEFT JOIN subscriptions s
		   ON s.customer_id = c.customer_id AND s.start_date <= m AND m < s.end_date
	GROUP BY 1, 2
)
SELECT customer_id, month,
	   lag(mrr) OVER w AS previous,
	   mrr AS current,
	   bool_or(mrr > 0) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS paid_before
FROM customer_mrr
WINDOW w AS (PARTITION BY customer_id ORDER BY month);
