# test/bench/honest.bench.sh: the log-rank test and trial_conversion_agg.
# Log-rank: survival_agg per group plus survival_difference_test, against
# count(*) and against the plain-SQL log-rank a team writes today (GROUP BY
# tenure, at-risk counts by window functions, the sums of O - E and V).
# trial_conversion_agg: against count(*) and against the same rule written
# as count(*) FILTER expressions.  Both plain-SQL forms are checked to give
# the same answer before timing.
# Sourced by test/bench/run-bench (BENCH_DB, BENCH_ROWS set).

psql -X -q -d "$BENCH_DB" <<SQL
DROP TABLE IF EXISTS honest_bench;
CREATE TABLE honest_bench AS
SELECT (random() < 0.5)::int AS grp,
	   floor(random() * 3650)::float8 AS tenure,
	   random() < 0.3 AS churned,
	   date '2025-01-01' + floor(random() * 365)::int AS started_on,
	   CASE WHEN random() < 0.2 THEN floor(random() * 40)::int END AS days_to_convert
FROM generate_series(1, $BENCH_ROWS);
ALTER TABLE honest_bench ADD COLUMN converted_on date;
UPDATE honest_bench SET converted_on = started_on + days_to_convert;
VACUUM ANALYZE honest_bench;
SELECT pg_prewarm('honest_bench');
SQL

LOGRANK_SQL="WITH g AS (SELECT tenure AS t, count(*) FILTER (WHERE churned AND grp = 0) AS d0,
						count(*) FILTER (WHERE churned) AS d,
						count(*) FILTER (WHERE grp = 0) AS m0, count(*) AS m
				 FROM honest_bench GROUP BY tenure),
		  r AS (SELECT d0, d, sum(m0) OVER (ORDER BY t DESC) AS n0, sum(m) OVER (ORDER BY t DESC) AS n FROM g)
	 SELECT sum(d0 - n0::float8 * d / n) ^ 2
			/ sum(CASE WHEN n > 1 THEN d::float8 * (n - d) / (n - 1) * n0 / n * (1 - n0::float8 / n) ELSE 0 END)
	 FROM r WHERE d > 0"
LOGRANK_EXT="SELECT (survival_difference_test(a, b)).chi_square
	 FROM (SELECT survival_agg(tenure, churned) FILTER (WHERE grp = 0) AS a,
				  survival_agg(tenure, churned) FILTER (WHERE grp = 1) AS b
		   FROM honest_bench) x"
LOGRANK_GROUPS="SELECT (t).chi_square
	 FROM (SELECT survival_difference_test_groups(grp::text, s) AS t
		   FROM (SELECT grp, survival_agg(tenure, churned) AS s FROM honest_bench GROUP BY grp) g) x"
TRIAL_SQL="SELECT count(*) FILTER (WHERE converted_on <= started_on + 14 AND converted_on < date '2025-12-01'),
				  count(*) FILTER (WHERE (converted_on <= started_on + 14 AND converted_on < date '2025-12-01')
									  OR started_on + 14 < date '2025-12-01')
		   FROM honest_bench"
TRIAL_EXT="SELECT trial_conversion_agg(started_on, converted_on, '14 days', '2025-12-01') FROM honest_bench"

echo
echo "same answers: log-rank plain SQL = function = aggregate (to 1e-9), trial counts equal:"
psql -X -q -At -d "$BENCH_DB" -c "SELECT abs(($LOGRANK_SQL) - ($LOGRANK_EXT)) <= 1e-9 * ($LOGRANK_EXT)" \
	-c "SELECT abs(($LOGRANK_GROUPS) - ($LOGRANK_EXT)) <= 1e-9 * ($LOGRANK_EXT)" \
	-c "SELECT format('(%s,%s)', a.count, a.count_1) = ($TRIAL_EXT)::text FROM ($TRIAL_SQL) a(count, count_1)"

bench_compare "log-rank test, two groups, $BENCH_ROWS customers, 3650 distinct tenures" \
	"count(*)" \
	"SELECT count(*) FROM honest_bench" \
	"survival_difference_test(survival_agg, survival_agg)" \
	"$LOGRANK_EXT" \
	"survival_difference_test_groups over GROUP BY group" \
	"$LOGRANK_GROUPS" \
	"plain SQL: GROUP BY tenure + window functions" \
	"$LOGRANK_SQL"

bench_compare "trial conversion within 14 days, $BENCH_ROWS trials" \
	"count(*)" \
	"SELECT count(*) FROM honest_bench" \
	"trial_conversion_agg" \
	"$TRIAL_EXT" \
	"plain SQL: count(*) FILTER (the same rule)" \
	"$TRIAL_SQL"

bench_compare "trial conversion by start week (53 groups), $BENCH_ROWS trials" \
	"count(*) GROUP BY week" \
	"SELECT count(*) FROM honest_bench GROUP BY date_trunc('week', started_on)" \
	"trial_conversion_agg GROUP BY week" \
	"SELECT trial_conversion_agg(started_on, converted_on, '14 days', '2025-12-01') FROM honest_bench GROUP BY date_trunc('week', started_on)"

psql -X -q -d "$BENCH_DB" -c "DROP TABLE honest_bench"
