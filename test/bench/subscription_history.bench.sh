# Subscription ledger benchmark (sourced by test/bench/run-bench): the MRR
# movement chart of 60 months from subscription rows, by the hand-written
# spine + lag() + mrr_bridge_agg() query (the demo's way, sampling each
# customer's MRR on the last day of every month) against
# subscription_history_agg() + mrr_movements(); count(*) as the floor.
# LEDGER_SUBS subscriptions (default 1000000) of LEDGER_SUBS / 5 customers,
# five each, starting from 2020-01-01 on any day, monthly and yearly plans
# with cents, a third of the customers still active.  The two ways must give
# the same bridges (checked once, printed as "same answer").
LEDGER_SUBS=${LEDGER_SUBS:-1000000}
psql -X -q -d "$BENCH_DB" <<SQL
DROP TABLE IF EXISTS bench_subs, bench_ledger;
CREATE TABLE bench_subs AS
SELECT g AS id, c AS customer_id,
	   start_day AS started_on,
	   CASE WHEN k = 4 AND c % 3 = 0 THEN NULL ELSE start_day + 100 + (g * 13) % 300 END AS ended_on,
	   CASE WHEN g % 5 = 0 THEN 12 * (10 + (g * 37) % 50000 / 100.0) ELSE 10 + (g * 37) % 50000 / 100.0 END AS amount,
	   CASE WHEN g % 5 = 0 THEN interval '1 year' ELSE interval '1 month' END AS billing_period,
	   1 + g % 4 AS quantity
FROM (SELECT g, (g - 1) / 5 AS c, (g - 1) % 5 AS k,
			 DATE '2020-01-01' + ((((g - 1) / 5) * 7919) % 1400)::int + ((g - 1) % 5) * 200 + (g * 7) % 60 AS start_day
	  FROM generate_series(1, $LEDGER_SUBS) g) s;
VACUUM ANALYZE bench_subs;
SELECT pg_prewarm('bench_subs');
CREATE TABLE bench_ledger AS
SELECT subscription_history_agg(customer_id, started_on, ended_on, amount, billing_period, quantity) AS h
FROM bench_subs;
SQL

spine="WITH months AS (
	SELECT m::date AS month, (m + interval '1 month')::date - 1 AS last_day
	FROM generate_series(DATE '2020-01-01', DATE '2024-12-01', interval '1 month') m
), spans AS (
	SELECT customer_id, date_trunc('month', min(started_on))::date AS first_month
	FROM bench_subs GROUP BY customer_id
), customer_mrr AS (
	SELECT c.customer_id, m.month, coalesce(sum(monthly_amount(s.amount, s.billing_period)), 0) AS mrr
	FROM spans c
	JOIN months m ON m.month >= c.first_month
	LEFT JOIN bench_subs s ON s.customer_id = c.customer_id
		AND s.started_on <= m.last_day AND (m.last_day < s.ended_on OR s.ended_on IS NULL)
	GROUP BY 1, 2
)
SELECT month, mrr_bridge_agg(previous, mrr, paid_before) AS b
FROM (SELECT month, mrr, lag(mrr) OVER w AS previous,
			 coalesce(bool_or(mrr > 0) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), false) AS paid_before
	  FROM customer_mrr WINDOW w AS (PARTITION BY customer_id ORDER BY month)) x
GROUP BY month"
ledger="SELECT m.period, m.bridge
FROM (SELECT subscription_history_agg(customer_id, started_on, ended_on, amount, billing_period, quantity) AS h
	  FROM bench_subs) l,
	 mrr_movements(l.h, 'month', '2020-01-01', '2025-01-01') m"

psql -X -q -d "$BENCH_DB" <<SQL
\pset footer off
SELECT count(*) AS subscriptions, count(DISTINCT customer_id) AS customers FROM bench_subs;
SELECT customers(h), pg_column_size(h) AS stored_bytes,
	   (SELECT count(*) FROM (SELECT customer_id, started_on FROM bench_subs
							  UNION SELECT customer_id, ended_on FROM bench_subs WHERE ended_on IS NOT NULL) d)
	   AS change_days_at_most,
	   round(pg_column_size(h)::numeric / (SELECT count(*) FROM bench_subs), 2) AS bytes_per_subscription
FROM bench_ledger;
SELECT count(*) AS months, count(*) FILTER (WHERE s.b::text = l.bridge::text) AS same_answer
FROM ($spine) s JOIN ($ledger) l ON l.period = s.month;
SQL

bench_compare "MRR movements, 60 months from $LEDGER_SUBS subscriptions" \
	"count(*)" "SELECT count(*) FROM bench_subs" \
	"hand-written spine + lag() + mrr_bridge_agg()" "SELECT count(*) FROM ($spine) s" \
	"subscription_history_agg() + mrr_movements()" "SELECT count(*) FROM ($ledger) s" \
	"subscription_history_agg() alone" "SELECT customers(subscription_history_agg(customer_id, started_on, ended_on, amount, billing_period, quantity)) FROM bench_subs" \
	"mrr_movements() on a stored ledger" "SELECT count(*) FROM bench_ledger, mrr_movements(h, 'month', '2020-01-01', '2025-01-01')"
bench_ratio "ledger against hand-written spine:" \
	"MRR movements, 60 months from $LEDGER_SUBS subscriptions|subscription_history_agg() + mrr_movements()" \
	"MRR movements, 60 months from $LEDGER_SUBS subscriptions|hand-written spine + lag() + mrr_bridge_agg()"

psql -X -q -d "$BENCH_DB" -c "DROP TABLE bench_subs, bench_ledger"
