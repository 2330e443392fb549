# MRR benchmark (sourced by test/bench/run-bench): mrr() against the plain
# SQL sum, against a numeric-state variant, and mrr_bridge_agg() against the
# plain-SQL bridge (sum ... FILTER per kind); count(*) as the floor.
bench_sql <<SQL
DROP TABLE IF EXISTS bench_mrr;
CREATE TABLE bench_mrr AS
SELECT g AS id, g % 100000 AS customer,
	   CASE WHEN g % 9 = 0 THEN NULL ELSE ((g * 37) % 50000) / 100.0 END AS previous,
	   CASE WHEN g % 7 = 0 THEN NULL ELSE ((g * 53) % 60000) / 100.0 END AS current,
	   g % 3 = 0 AS paid_before,
	   (ARRAY['1 month', '1 month', '1 month', '1 year', '3 months', '1 week']::interval[])[1 + g % 6] AS billing_period,
	   (ARRAY[1, 1, 1, 12, 3, 0]::int[])[1 + g % 6] AS months
FROM generate_series(1, $BENCH_ROWS) g;
VACUUM ANALYZE bench_mrr;
SELECT pg_prewarm('bench_mrr');
-- the numeric-state alternative: PostgreSQL's numeric_add as the transition
CREATE AGGREGATE pg_temp_sum_numeric(numeric) (SFUNC = numeric_add, STYPE = numeric,
	COMBINEFUNC = numeric_add, PARALLEL = SAFE);
SQL

bench_compare "mrr(): whole table" \
	"count(*)" "SELECT count(*) FROM bench_mrr" \
	"plain sum(amount / months) (no weekly rule)" \
	"SELECT sum(current / months) FILTER (WHERE months > 0) + sum(current * 30.4375 / 7) FILTER (WHERE months = 0) FROM bench_mrr" \
	"plain sum(monthly_amount())" "SELECT sum(monthly_amount(current, billing_period)) FROM bench_mrr" \
	"numeric state: sum_numeric(monthly_amount())" "SELECT pg_temp_sum_numeric(monthly_amount(current, billing_period)) FROM bench_mrr" \
	"mrr(current, billing_period)" "SELECT mrr(current, billing_period) FROM bench_mrr"

bench_compare "mrr(): GROUP BY 100k customers" \
	"count(*)" "SELECT count(*) FROM (SELECT customer, count(*) FROM bench_mrr GROUP BY 1) s" \
	"plain sum(monthly_amount())" "SELECT count(*) FROM (SELECT customer, sum(monthly_amount(current, billing_period)) FROM bench_mrr GROUP BY 1) s" \
	"numeric state" "SELECT count(*) FROM (SELECT customer, pg_temp_sum_numeric(monthly_amount(current, billing_period)) FROM bench_mrr GROUP BY 1) s" \
	"mrr()" "SELECT count(*) FROM (SELECT customer, mrr(current, billing_period) FROM bench_mrr GROUP BY 1) s"

plain_bridge="sum(coalesce(previous, 0)) AS starting,
	sum(current) FILTER (WHERE coalesce(previous, 0) = 0 AND current > 0 AND NOT coalesce(paid_before, false)) AS new,
	sum(current - previous) FILTER (WHERE previous > 0 AND current > previous) AS expansion,
	sum(current) FILTER (WHERE coalesce(previous, 0) = 0 AND current > 0 AND paid_before) AS reactivation,
	sum(previous - current) FILTER (WHERE previous > 0 AND current > 0 AND current < previous) AS contraction,
	sum(previous) FILTER (WHERE previous > 0 AND coalesce(current, 0) = 0) AS churned,
	count(*) FILTER (WHERE coalesce(previous, 0) = 0 AND current > 0 AND NOT coalesce(paid_before, false)) AS n_new,
	count(*) FILTER (WHERE previous > 0 AND current > previous) AS n_expansion,
	count(*) FILTER (WHERE coalesce(previous, 0) = 0 AND current > 0 AND paid_before) AS n_reactivation,
	count(*) FILTER (WHERE previous > 0 AND current > 0 AND current < previous) AS n_contraction,
	count(*) FILTER (WHERE previous > 0 AND coalesce(current, 0) = 0) AS n_churn,
	count(*) FILTER (WHERE previous > 0 AND current = previous) AS n_unchanged,
	count(*) FILTER (WHERE coalesce(previous, 0) = 0 AND coalesce(current, 0) = 0) AS n_inactive"

bench_compare "mrr_bridge_agg(): whole table" \
	"count(*)" "SELECT count(*) FROM bench_mrr" \
	"plain SQL bridge (sum/count FILTER per kind)" "SELECT $plain_bridge FROM bench_mrr" \
	"mrr_bridge_agg()" "SELECT mrr_bridge_agg(previous, current, paid_before) FROM bench_mrr"

bench_compare "mrr_bridge_agg(): GROUP BY 100k customers" \
	"count(*)" "SELECT count(*) FROM (SELECT customer, count(*) FROM bench_mrr GROUP BY 1) s" \
	"plain SQL bridge" "SELECT count(*) FROM (SELECT customer, $plain_bridge FROM bench_mrr GROUP BY 1) s" \
	"mrr_bridge_agg()" "SELECT count(*) FROM (SELECT customer, mrr_bridge_agg(previous, current, paid_before) FROM bench_mrr GROUP BY 1) s"

bench_sql -c "DROP TABLE bench_mrr"
