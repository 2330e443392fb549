# test/bench/cohort.bench.sh: cohort retention (sourced by test/bench/run-bench).
# Compares cohort_agg + cohort_retention with the plain-SQL triangle
# (customers joined to a generate_series of periods) and count(*), and
# shows that the transitions of cohort_agg and revenue_cohort_agg do not copy
# their state per row: the same rows with 10 and with 1000 cohorts.

bench_rows=$BENCH_ROWS
bench_sql <<SQL
DROP TABLE IF EXISTS cohort_customers;
CREATE TABLE cohort_customers AS
SELECT DATE '2015-01-01' + (hashint4(g) & 4095) AS started_on,
       CASE WHEN hashint4(g + 1) % 4 = 0 THEN NULL
            ELSE DATE '2015-01-01' + (hashint4(g) & 4095) + (hashint4(g + 2) & 2047) END AS ended_on,
       (DATE '2020-01-01' + (g % 10) * 31) AS start10,
       (DATE '2000-01-01' + (g % 1000) * 7) AS start1000
FROM generate_series(1, $bench_rows) g;
VACUUM ANALYZE cohort_customers;
SELECT pg_prewarm('cohort_customers');
-- the plain-SQL triangle is ~300x slower: it runs on at most 1M rows
DROP TABLE IF EXISTS cohort_customers_1m;
CREATE TABLE cohort_customers_1m AS SELECT * FROM cohort_customers LIMIT 1000000;
VACUUM ANALYZE cohort_customers_1m;
SELECT pg_prewarm('cohort_customers_1m');
SQL

bench_compare "cohort retention triangle, monthly, at most 1M customers" \
	"count(*)" \
	"SELECT count(*) FROM cohort_customers_1m" \
	"cohort_agg only" \
	"SELECT cohort_agg(started_on, ended_on, 'month') FROM cohort_customers_1m" \
	"cohort_agg + cohort_retention" \
	"SELECT count(*) FROM cohort_retention((SELECT cohort_agg(started_on, ended_on, 'month') FROM cohort_customers_1m), '2026-12-31')" \
	"plain SQL: periods joined to customers" \
	"WITH c AS (SELECT date_trunc('month', started_on)::date AS cohort, ended_on FROM cohort_customers_1m),
	      t AS (SELECT c.cohort, k AS period, count(*) AS size,
	                   count(*) FILTER (WHERE c.ended_on IS NULL OR c.ended_on >= (c.cohort + make_interval(months => k + 1))::date) AS retained
	            FROM c, generate_series(0, 200) k
	            WHERE (c.cohort + make_interval(months => k + 1))::date - 1 <= DATE '2026-12-31'
	            GROUP BY 1, 2)
	 SELECT count(*) FROM t"

bench_compare "cohort_agg state size: same rows, 10 vs 1000 cohorts (weekly)" \
	"count(*)" \
	"SELECT count(*) FROM cohort_customers" \
	"cohort_agg, 10 cohorts" \
	"SELECT cohort_agg(start10, start10 + 30, 'week') FROM cohort_customers" \
	"cohort_agg, 1000 cohorts" \
	"SELECT cohort_agg(start1000, start1000 + 30, 'week') FROM cohort_customers"

bench_compare "revenue_cohort_agg state size: same rows, 10 vs 1000 cohorts (weekly)" \
	"count(*)" \
	"SELECT count(*) FROM cohort_customers" \
	"revenue_cohort_agg, 10 cohorts" \
	"SELECT revenue_cohort_agg(start10, start10 + 30, 9.99, 'week') FROM cohort_customers" \
	"revenue_cohort_agg, 1000 cohorts" \
	"SELECT revenue_cohort_agg(start1000, start1000 + 30, 9.99, 'week') FROM cohort_customers"

bench_compare "revenue_cohort_agg, monthly, $bench_rows rows" \
	"count(*)" \
	"SELECT count(*) FROM cohort_customers" \
	"revenue_cohort_agg" \
	"SELECT revenue_cohort_agg(started_on, coalesce(ended_on, started_on), 9.99, 'month') FROM cohort_customers" \
	"plain SQL: GROUP BY cohort, period with sum" \
	"SELECT count(*) FROM (SELECT date_trunc('month', started_on), date_trunc('month', coalesce(ended_on, started_on)), sum(9.99) FROM cohort_customers GROUP BY 1, 2) x"
