# test/bench/mrr_bridge_interval.bench.sh: the NRR/GRR confidence intervals
# (sourced by test/bench/run-bench; BENCH_DB, BENCH_ROWS set).  One row per
# customer present at the start (previous MRR) with its MRR at the end.
# mrr_bridge_agg() with its interval accessors against count(*) and against
# the plain-SQL interval a team would write: numeric sums of S, E, S^2, E^2
# and S E, then the ratio-estimator formula.  The script first checks that
# the plain-SQL bounds equal the extension's.  To measure what the sums cost
# against 1.0's bridge, run test/bench/compare-release mrr (its
# mrr_bridge_agg() lines).

bench_sql <<SQL
DROP TABLE IF EXISTS bench_nrr;
CREATE TABLE bench_nrr AS
SELECT g AS id, g % 1000 AS segment, s AS previous,
	   CASE WHEN u < 0.06 THEN 0 WHEN u < 0.16 THEN round(s * 0.7, 2)
			WHEN u < 0.30 THEN round(s * 1.3, 2) ELSE s END AS current
FROM (SELECT g, round((50 + 950 * random() * random())::numeric, 2) AS s, random() AS u
	  FROM generate_series(1, $BENCH_ROWS) g) t;
VACUUM ANALYZE bench_nrr;
SELECT pg_prewarm('bench_nrr');
SQL

plain_interval="WITH s AS (SELECT count(*) AS n, sum(previous) AS t, sum(current) AS u,
		  sum(previous * previous) AS s2, sum(current * current) AS e2, sum(previous * current) AS se
		  FROM bench_nrr),
	 r AS (SELECT n, t, s2, e2, se, u / t AS ratio FROM s)
SELECT 100 * (ratio - 1.959963984540054 * sqrt(n::numeric / (n - 1) * (e2 - 2 * ratio * se + ratio * ratio * s2)) / t) AS lower,
	   100 * (ratio + 1.959963984540054 * sqrt(n::numeric / (n - 1) * (e2 - 2 * ratio * se + ratio * ratio * s2)) / t) AS upper
FROM r"
ext_interval="SELECT net_revenue_retention_lower(b), net_revenue_retention_upper(b)
FROM (SELECT mrr_bridge_agg(previous, current, true) AS b FROM bench_nrr) x"

echo
echo "same answers: plain-SQL bounds = extension bounds (to 1e-9 points):"
bench_sql -At -c "SELECT abs(p.lower - e.l) < 1e-9 AND abs(p.upper - e.u) < 1e-9
	FROM ($plain_interval) p, (SELECT net_revenue_retention_lower(b) AS l, net_revenue_retention_upper(b) AS u
							   FROM (SELECT mrr_bridge_agg(previous, current, true) AS b FROM bench_nrr) x) e"

bench_compare "NRR interval: whole table, $BENCH_ROWS customers" \
	"count(*)" "SELECT count(*) FROM bench_nrr" \
	"plain SQL: numeric sums + formula" "$plain_interval" \
	"mrr_bridge_agg() alone" "SELECT mrr_bridge_agg(previous, current, true) FROM bench_nrr" \
	"mrr_bridge_agg() + interval" "$ext_interval"

bench_compare "NRR interval: GROUP BY 1000 segments" \
	"count(*)" "SELECT count(*) FROM (SELECT segment, count(*) FROM bench_nrr GROUP BY 1) s" \
	"plain SQL: the five numeric sums per segment (formula left out)" \
	"SELECT count(*) FROM (SELECT segment, sum(previous), sum(current), sum(previous * previous), sum(current * current), sum(previous * current) FROM bench_nrr GROUP BY 1) s" \
	"mrr_bridge_agg() + interval" \
	"SELECT count(*) FROM (SELECT segment, net_revenue_retention_lower(mrr_bridge_agg(previous, current, true)) FROM bench_nrr GROUP BY 1) s"

bench_sql -c "DROP TABLE bench_nrr"
