# test/bench/retention.bench.sh (sourced by test/bench/run-bench): churn and
# retention over a period against the plain-SQL formula (count FILTERs over
# the same rows) and count(*), whole table and grouped by 1000 segments.

bench_sql -o /dev/null <<SQL
SET client_min_messages = warning;
DROP TABLE IF EXISTS bench_customers;
CREATE TABLE bench_customers AS
SELECT g AS id, g % 1000 AS segment,
	   '2018-01-01'::date + (g::bigint * 7919 % 2557)::int AS started_on,
	   CASE WHEN g % 3 = 0 THEN NULL
			ELSE '2018-01-01'::date + (g::bigint * 7919 % 2557)::int + (g::bigint * 104729 % 900)::int END AS ended_on
FROM generate_series(1, $BENCH_ROWS) g;
VACUUM ANALYZE bench_customers;
SELECT pg_prewarm('bench_customers');
SQL

bench_compare "churn rate of one month, whole table" \
	"count(*)" \
	"SELECT count(*) FROM bench_customers" \
	"plain SQL: count FILTERs, churned / S" \
	"SELECT 100.0 * count(*) FILTER (WHERE started_on <= '2023-01-01' AND ended_on > '2023-01-01' AND ended_on < '2023-02-01')
	      / nullif(count(*) FILTER (WHERE started_on <= '2023-01-01' AND (ended_on IS NULL OR ended_on > '2023-01-01')), 0)
	 FROM bench_customers" \
	"churn_rate(started_on, ended_on, p0, p1)" \
	"SELECT churn_rate(started_on, ended_on, '2023-01-01', '2023-02-01') FROM bench_customers" \
	"plain SQL: all five counts" \
	"SELECT count(started_on),
	        count(*) FILTER (WHERE started_on <= '2023-01-01' AND (ended_on IS NULL OR ended_on > '2023-01-01')),
	        count(*) FILTER (WHERE started_on <= '2023-01-01' AND ended_on > '2023-01-01' AND ended_on < '2023-02-01'),
	        count(*) FILTER (WHERE started_on > '2023-01-01' AND started_on < '2023-02-01' AND (ended_on IS NULL OR ended_on >= '2023-02-01')),
	        count(*) FILTER (WHERE started_on > '2023-01-01' AND ended_on > started_on AND ended_on < '2023-02-01')
	 FROM bench_customers" \
	"customer_flow_agg(...)" \
	"SELECT customer_flow_agg(started_on, ended_on, '2023-01-01', '2023-02-01') FROM bench_customers"

bench_compare "churn rate of one month, GROUP BY 1000 segments" \
	"count(*) GROUP BY segment" \
	"SELECT segment, count(*) FROM bench_customers GROUP BY segment" \
	"plain SQL: count FILTERs GROUP BY segment" \
	"SELECT segment, 100.0 * count(*) FILTER (WHERE started_on <= '2023-01-01' AND ended_on > '2023-01-01' AND ended_on < '2023-02-01')
	      / nullif(count(*) FILTER (WHERE started_on <= '2023-01-01' AND (ended_on IS NULL OR ended_on > '2023-01-01')), 0)
	 FROM bench_customers GROUP BY segment" \
	"churn_rate(...) GROUP BY segment" \
	"SELECT segment, churn_rate(started_on, ended_on, '2023-01-01', '2023-02-01') FROM bench_customers GROUP BY segment"

bench_sql -c "DROP TABLE bench_customers"
