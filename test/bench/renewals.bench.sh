# Renewal wall benchmark (sourced by test/bench/run-bench): the subscriptions
# that come up for renewal in each month of 2024, by the plain SQL users write
# today (renewal_windows() per subscription, a renewal counting unless the
# subscription has churned by its due day) against subscription_history_agg()
# + renewals_due(), and renewals_due() on a stored ledger; count(*) as the
# floor.  RENEWAL_SUBS subscriptions (default 200000) of RENEWAL_SUBS / 5
# customers, generated as in subscription_history.bench.sh (monthly and
# yearly plans from 2020 on, a third of the customers still active).  The
# two ways must give the same wall (checked once, "same answer").
RENEWAL_SUBS=${RENEWAL_SUBS:-200000}
psql -X -q -d "$BENCH_DB" <<SQL
DROP TABLE IF EXISTS bench_rsubs, bench_rledger;
CREATE TABLE bench_rsubs AS
SELECT g AS id, c AS customer_id,
	   start_day AS started_on,
	   CASE WHEN k = 4 AND c % 3 = 0 THEN NULL ELSE start_day + 100 + (g * 13) % 300 END AS ended_on,
	   CASE WHEN g % 5 = 0 THEN 12 * (10 + (g * 37) % 50000 / 100.0) ELSE 10 + (g * 37) % 50000 / 100.0 END AS amount,
	   CASE WHEN g % 5 = 0 THEN interval '1 year' ELSE interval '1 month' END AS billing_period
FROM (SELECT g, (g - 1) / 5 AS c, (g - 1) % 5 AS k,
			 DATE '2020-01-01' + ((((g - 1) / 5) * 7919) % 1400)::int + ((g - 1) % 5) * 200 + (g * 7) % 60 AS start_day
	  FROM generate_series(1, $RENEWAL_SUBS) g) s;
VACUUM ANALYZE bench_rsubs;
SELECT pg_prewarm('bench_rsubs');
CREATE TABLE bench_rledger AS
SELECT subscription_history_agg(customer_id, started_on, ended_on, amount, billing_period) AS h
FROM bench_rsubs;
SQL

plain="SELECT date_trunc('month', w.due_on)::date AS period, count(DISTINCT s.customer_id) AS customers,
	   count(*) AS subscriptions, sum(monthly_amount(s.amount, s.billing_period)) AS mrr
FROM bench_rsubs s,
	 LATERAL (SELECT DISTINCT ON (date_trunc('month', due_on)) due_on
			  FROM renewal_windows(s.started_on, s.billing_period, s.ended_on, '2024-12-31')
			  WHERE outcome <> 'churned' AND due_on >= '2024-01-01'
			  ORDER BY date_trunc('month', due_on), due_on) w
GROUP BY 1"
ledger="SELECT r.* FROM (SELECT subscription_history_agg(customer_id, started_on, ended_on, amount, billing_period) AS h
					FROM bench_rsubs) l, renewals_due(l.h, '2024-01-01', '2025-01-01', 'month') r"

psql -X -q -d "$BENCH_DB" <<SQL
\pset footer off
SELECT count(*) AS subscriptions, count(DISTINCT customer_id) AS customers FROM bench_rsubs;
SELECT customers(h), pg_column_size(h) AS stored_bytes,
	   round(pg_column_size(h)::numeric / (SELECT count(*) FROM bench_rsubs), 2) AS bytes_per_subscription
FROM bench_rledger;
SELECT count(*) AS months,
	   count(*) FILTER (WHERE (p.customers, p.subscriptions, p.mrr) = (l.customers, l.subscriptions, l.mrr)) AS same_answer
FROM ($plain) p JOIN ($ledger) l USING (period);
SQL

bench_compare "Renewal wall, 12 months from $RENEWAL_SUBS subscriptions" \
	"count(*)" "SELECT count(*) FROM bench_rsubs" \
	"renewal_windows() per subscription (plain SQL)" "SELECT count(*) FROM ($plain) s" \
	"subscription_history_agg() + renewals_due()" "SELECT count(*) FROM ($ledger) s" \
	"renewals_due() on a stored ledger" "SELECT count(*) FROM bench_rledger, renewals_due(h, '2024-01-01', '2025-01-01', 'month')"
bench_ratio "ledger against plain SQL:" \
	"Renewal wall, 12 months from $RENEWAL_SUBS subscriptions|subscription_history_agg() + renewals_due()" \
	"Renewal wall, 12 months from $RENEWAL_SUBS subscriptions|renewal_windows() per subscription (plain SQL)"

psql -X -q -d "$BENCH_DB" -c "DROP TABLE bench_rsubs, bench_rledger"
