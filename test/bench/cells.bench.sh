# test/bench/cells.bench.sh: the three keyed-cell aggregates (cohort_agg,
# revenue_cohort_agg, survival_agg) over a whole table, with few and many
# distinct cells, and in 100 groups; serial, then with 2 parallel workers;
# count(*) as the baseline.  No plain-SQL query here (cohort.bench.sh and
# survival.bench.sh have them): it is quick enough to compare a change with
# the last release, round after round (test/bench/compare-release cells).
# Sourced by test/bench/run-bench (BENCH_DB, BENCH_ROWS set).

bench_sql <<SQL
DROP TABLE IF EXISTS cells_customers;
CREATE TABLE cells_customers AS
SELECT DATE '2015-01-01' + (hashint4(g) & 4095) AS started_on,
       CASE WHEN hashint4(g + 1) % 4 = 0 THEN NULL
            ELSE DATE '2015-01-01' + (hashint4(g) & 4095) + (hashint4(g + 2) & 2047) END AS ended_on,
       (DATE '2020-01-01' + (g % 10) * 31) AS start10,
       (DATE '2000-01-01' + (g % 1000) * 7) AS start1000,
       (hashint4(g + 7) & 1023)::float8 AS t1000,
       (hashint4(g + 8) & 65535)::float8 AS t65536,
       hashint4(g + 9) % 10 < 3 AS churned, g % 100 AS g100
FROM generate_series(1, $BENCH_ROWS) g;
VACUUM ANALYZE cells_customers;
SELECT pg_prewarm('cells_customers');
SQL

bench_compare "keyed-cell aggregates, $BENCH_ROWS rows, serial" \
	"count(*)" "SET max_parallel_workers_per_gather = 0; SELECT count(*) FROM cells_customers" \
	"cohort_agg monthly" "SET max_parallel_workers_per_gather = 0; SELECT customers(cohort_agg(started_on, ended_on, 'month')) FROM cells_customers" \
	"cohort_agg weekly 10 cohorts" "SET max_parallel_workers_per_gather = 0; SELECT customers(cohort_agg(start10, start10 + 30, 'week')) FROM cells_customers" \
	"cohort_agg weekly 1000 cohorts" "SET max_parallel_workers_per_gather = 0; SELECT customers(cohort_agg(start1000, start1000 + 30, 'week')) FROM cells_customers" \
	"revenue_cohort_agg monthly" "SET max_parallel_workers_per_gather = 0; SELECT grain(revenue_cohort_agg(started_on, coalesce(ended_on, started_on), 9.99, 'month')) FROM cells_customers" \
	"revenue_cohort_agg weekly 1000 cohorts" "SET max_parallel_workers_per_gather = 0; SELECT grain(revenue_cohort_agg(start1000, start1000 + 30, 9.99, 'week')) FROM cells_customers" \
	"survival_agg 1000 tenures" "SET max_parallel_workers_per_gather = 0; SELECT customers(survival_agg(t1000, churned)) FROM cells_customers" \
	"survival_agg 65536 tenures" "SET max_parallel_workers_per_gather = 0; SELECT customers(survival_agg(t65536, churned)) FROM cells_customers" \
	"survival_agg GROUP BY 100 groups" "SET max_parallel_workers_per_gather = 0; SELECT sum(customers(s)) FROM (SELECT survival_agg(t1000, churned) s FROM cells_customers GROUP BY g100) x" \
	"cohort_agg GROUP BY 100 groups" "SET max_parallel_workers_per_gather = 0; SELECT sum(customers(s)) FROM (SELECT cohort_agg(started_on, ended_on, 'month') s FROM cells_customers GROUP BY g100) x"

bench_compare "keyed-cell aggregates, $BENCH_ROWS rows, 2 parallel workers" \
	"count(*)" "SELECT count(*) FROM cells_customers" \
	"cohort_agg monthly" "SELECT customers(cohort_agg(started_on, ended_on, 'month')) FROM cells_customers" \
	"cohort_agg weekly 10 cohorts" "SELECT customers(cohort_agg(start10, start10 + 30, 'week')) FROM cells_customers" \
	"cohort_agg weekly 1000 cohorts" "SELECT customers(cohort_agg(start1000, start1000 + 30, 'week')) FROM cells_customers" \
	"revenue_cohort_agg monthly" "SELECT grain(revenue_cohort_agg(started_on, coalesce(ended_on, started_on), 9.99, 'month')) FROM cells_customers" \
	"revenue_cohort_agg weekly 1000 cohorts" "SELECT grain(revenue_cohort_agg(start1000, start1000 + 30, 9.99, 'week')) FROM cells_customers" \
	"survival_agg 1000 tenures" "SELECT customers(survival_agg(t1000, churned)) FROM cells_customers" \
	"survival_agg 65536 tenures" "SELECT customers(survival_agg(t65536, churned)) FROM cells_customers" \
	"survival_agg GROUP BY 100 groups" "SELECT sum(customers(s)) FROM (SELECT survival_agg(t1000, churned) s FROM cells_customers GROUP BY g100) x" \
	"cohort_agg GROUP BY 100 groups" "SELECT sum(customers(s)) FROM (SELECT cohort_agg(started_on, ended_on, 'month') s FROM cells_customers GROUP BY g100) x"

bench_sql -c "DROP TABLE cells_customers"
