# test/bench/survival.bench.sh: survival_agg against count(*) and against a
# plain-SQL Kaplan-Meier built with GROUP BY and window functions; and the
# cost of a row as the number of distinct tenures grows (100, 3650, up to a
# million), which should stay flat because the state is a hash table that is
# sorted only once, when the summary is flattened.  The per-row queries read
# the summary through customers() so that printing a large summary as text
# in psql is not what gets timed.
# Sourced by test/bench/run-bench (BENCH_DB, BENCH_ROWS set).

bench_sql <<SQL
DROP TABLE IF EXISTS survival_bench;
SELECT setseed(0.2024);
CREATE TABLE survival_bench AS
SELECT (random() * 99)::int::float8 AS t100,
	   floor(random() * 3650)::float8 AS t3650,
	   floor(random() * 1000000) / 100.0 AS tmillion,
	   random() < 0.3 AS churned
FROM generate_series(1, $BENCH_ROWS);
VACUUM ANALYZE survival_bench;
SELECT pg_prewarm('survival_bench');
SQL

bench_compare "Kaplan-Meier curve over $BENCH_ROWS customers, 3650 distinct tenures" \
	"count(*)" \
	"SELECT count(*) FROM survival_bench" \
	"survival_agg (the summary)" \
	"SELECT survival_agg(t3650, churned) FROM survival_bench" \
	"survival_curve(survival_agg)" \
	"SELECT count(*) FROM survival_curve((SELECT survival_agg(t3650, churned) FROM survival_bench))" \
	"plain SQL: GROUP BY tenure + window functions" \
	"WITH g AS (SELECT t3650 AS t, count(*) FILTER (WHERE churned) AS d,
					   count(*) FILTER (WHERE NOT churned) AS c
				FROM survival_bench WHERE t3650 IS NOT NULL AND churned IS NOT NULL GROUP BY t3650),
		  r AS (SELECT t, d, c, sum(d + c) OVER (ORDER BY t DESC) AS n FROM g)
	 SELECT count(*) FROM (
		SELECT t, n, d, c,
			   exp(sum(ln(greatest(1 - d::float8 / n, 1e-300))) OVER (ORDER BY t)) AS survival,
			   sqrt(sum(CASE WHEN n > d THEN d::float8 / (n * (n - d)) END) OVER (ORDER BY t)) AS greenwood
		FROM r) k"

bench_compare "survival_agg: cost per row as distinct tenures grow ($BENCH_ROWS rows)" \
	"count(*)" \
	"SELECT count(*) FROM survival_bench" \
	"survival_agg, 100 distinct tenures" \
	"SELECT customers(survival_agg(t100, churned)) FROM survival_bench" \
	"survival_agg, 3650 distinct tenures" \
	"SELECT customers(survival_agg(t3650, churned)) FROM survival_bench" \
	"survival_agg, up to 1000000 distinct tenures" \
	"SELECT customers(survival_agg(tmillion, churned)) FROM survival_bench"

bench_compare "survival_agg grouped: 100 groups ($BENCH_ROWS rows)" \
	"count(*) GROUP BY" \
	"SELECT count(*) FROM survival_bench GROUP BY t100" \
	"survival_agg GROUP BY" \
	"SELECT survival_agg(t3650, churned) FROM survival_bench GROUP BY t100" \
	"plain SQL GROUP BY group, tenure" \
	"SELECT count(*) FROM (SELECT t100, t3650, count(*) FILTER (WHERE churned), count(*) FILTER (WHERE NOT churned)
	 FROM survival_bench GROUP BY t100, t3650) g"

bench_sql -c "DROP TABLE survival_bench"
