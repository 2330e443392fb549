# test/bench/cellmap.bench.sh: the keyed-cell aggregates (cohort_agg,
# revenue_cohort_agg, survival_agg) grouped by customer, HashAggregate and
# sorted plans side by side, with count(*) GROUP BY as the baseline: the same
# rows in 10k, 100k and 1M groups (2 rows a group at 2 million rows).  The
# rows are stored in random order of customer, so that the sorted plan
# really sorts, and each grouping is a column (c10000, c100000, c1000000),
# so that the planner knows how many groups to expect, as it would for a
# customer column.  Every summary is read through an accessor (customers() or
# grain()), which flattens it as storing or sending it would.  With a memory
# context per group state, the hashed plans were quadratic in the number of
# groups (80,000 groups of cohort_agg: minutes); they should now cost about
# what the sorted plans cost.  Sourced by test/bench/run-bench (BENCH_DB,
# BENCH_ROWS set); run it with BENCH_ROWS=2000000.

bench_sql <<SQL
DROP TABLE IF EXISTS cellmap_rows;
CREATE TABLE cellmap_rows AS
SELECT g % 10000 AS c10000, g % 100000 AS c100000, g % 1000000 AS c1000000,
	   DATE '2018-01-01' + (hashint4(g) & 2047) AS started_on,
	   CASE WHEN hashint4(g + 1) % 4 = 0 THEN NULL
			ELSE DATE '2018-01-01' + (hashint4(g) & 2047) + (hashint4(g + 2) & 1023) END AS ended_on,
	   (hashint4(g + 3) & 2047)::float8 AS tenure,
	   hashint4(g + 5) % 10 < 3 AS churned,
	   (hashint4(g + 6) & 65535) / 100.0 AS amount
FROM generate_series(0, $BENCH_ROWS - 1) g
ORDER BY hashint4(g + 4);
VACUUM ANALYZE cellmap_rows;
SELECT pg_prewarm('cellmap_rows');
SQL

cellmap_hashed="SET enable_sort = off; SET work_mem = '2GB'; SET max_parallel_workers_per_gather = 0;"
cellmap_sorted="SET enable_hashagg = off; SET work_mem = '2GB'; SET max_parallel_workers_per_gather = 0;"

for cellmap_groups in 10000 100000 1000000; do
	if [ "$cellmap_groups" -gt $((BENCH_ROWS / 2)) ]; then
		echo "(skipping $cellmap_groups groups: BENCH_ROWS=$BENCH_ROWS gives fewer than 2 rows a group)"
		continue
	fi
	cellmap_by="FROM cellmap_rows GROUP BY c$cellmap_groups) x"
	bench_compare "$cellmap_groups groups of $((BENCH_ROWS / cellmap_groups)) rows: hashed and sorted" \
		"count(*) GROUP BY, hashed" \
		"$cellmap_hashed SELECT count(n) FROM (SELECT count(*) AS n $cellmap_by" \
		"count(*) GROUP BY, sorted" \
		"$cellmap_sorted SELECT count(n) FROM (SELECT count(*) AS n $cellmap_by" \
		"cohort_agg, hashed" \
		"$cellmap_hashed SELECT sum(customers(v)) FROM (SELECT cohort_agg(started_on, ended_on, 'month') AS v $cellmap_by" \
		"cohort_agg, sorted" \
		"$cellmap_sorted SELECT sum(customers(v)) FROM (SELECT cohort_agg(started_on, ended_on, 'month') AS v $cellmap_by" \
		"revenue_cohort_agg, hashed" \
		"$cellmap_hashed SELECT count(grain(v)) FROM (SELECT revenue_cohort_agg(started_on, coalesce(ended_on, started_on), amount, 'month') AS v $cellmap_by" \
		"revenue_cohort_agg, sorted" \
		"$cellmap_sorted SELECT count(grain(v)) FROM (SELECT revenue_cohort_agg(started_on, coalesce(ended_on, started_on), amount, 'month') AS v $cellmap_by" \
		"survival_agg, hashed" \
		"$cellmap_hashed SELECT sum(customers(v)) FROM (SELECT survival_agg(tenure, churned) AS v $cellmap_by" \
		"survival_agg, sorted" \
		"$cellmap_sorted SELECT sum(customers(v)) FROM (SELECT survival_agg(tenure, churned) AS v $cellmap_by"
done

bench_sql -c "DROP TABLE cellmap_rows"
