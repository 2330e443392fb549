# NPS benchmark (sourced by test/bench/run-bench): nps() against count(*) and
# the plain-SQL formula, on a survey_score and a smallint column, serially
# and with 2 parallel workers, over the whole table and grouped by 100k
# accounts; then serially with JIT off and with JIT compiling, inlining and
# optimizing every query (the server itself runs with jit = off).

bench_sql <<SQL
SELECT setseed(0.2024);
CREATE TABLE nps_answers (account_id integer, score survey_score, score_smallint smallint);
-- realistic, unsorted answers: about 45% promoters, 30% passives, 25% detractors
INSERT INTO nps_answers
SELECT (random() * 99999)::integer, s, s
FROM (SELECT CASE WHEN r < 0.25 THEN floor(r / 0.25 * 7)::integer
				  WHEN r < 0.55 THEN 7 + floor((r - 0.25) / 0.30 * 2)::integer
				  ELSE 9 + floor((r - 0.55) / 0.45 * 2)::integer END AS s
	  FROM (SELECT random() AS r FROM generate_series(1, $BENCH_ROWS)) g) v;
VACUUM ANALYZE nps_answers;
SELECT pg_prewarm('nps_answers');
SQL
echo "table: $(psql -X -At -d "$BENCH_DB" -c "SELECT pg_size_pretty(pg_table_size('nps_answers')) || ', ' || count(*) || ' rows' FROM nps_answers")"

serial="SET max_parallel_workers_per_gather = 0;"
parallel="SET max_parallel_workers_per_gather = 2; SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0;"
plain="100.0 * (count(*) FILTER (WHERE score_smallint >= 9) - count(*) FILTER (WHERE score_smallint <= 6)) / count(*)"

for mode in serial parallel; do
	set_mode=${!mode}
	bench_compare "whole table, $mode" \
		"count(*)" "$set_mode SELECT count(*) FROM nps_answers" \
		"count(score) (one column read: the floor)" "$set_mode SELECT count(score) FROM nps_answers" \
		"plain-SQL formula (smallint)" "$set_mode SELECT $plain FROM nps_answers" \
		"nps(survey_score)" "$set_mode SELECT nps(score) FROM nps_answers" \
		"nps(smallint)" "$set_mode SELECT nps(score_smallint) FROM nps_answers"
	bench_compare "GROUP BY 100k accounts, $mode" \
		"count(*)" "$set_mode SELECT account_id, count(*) FROM nps_answers GROUP BY 1" \
		"plain-SQL formula (smallint)" "$set_mode SELECT account_id, $plain FROM nps_answers GROUP BY 1" \
		"nps(survey_score)" "$set_mode SELECT account_id, nps(score) FROM nps_answers GROUP BY 1" \
		"nps(smallint)" "$set_mode SELECT account_id, nps(score_smallint) FROM nps_answers GROUP BY 1"
done

# a rolling 30-row window is linear thanks to the inverse transition function
bench_compare "rolling window over 1M rows" \
	"count(*) OVER w" "SELECT count(*) FROM (SELECT count(score) OVER (ORDER BY ctid ROWS 29 PRECEDING) FROM nps_answers LIMIT 1000000) v" \
	"nps(score) OVER w" "SELECT count(*) FROM (SELECT nps(score) OVER (ORDER BY ctid ROWS 29 PRECEDING) FROM nps_answers LIMIT 1000000) v"

# JIT: the same serial whole-table queries with JIT off and with every JIT
# stage forced (inlining needs the bitcode that "make install" puts under
# $(pg_config --pkglibdir)/bitcode), alternated in one group so that both
# modes see the same machine load
jit_off="SET max_parallel_workers_per_gather = 0; SET jit = off;"
jit_on="SET max_parallel_workers_per_gather = 0; SET jit = on; SET jit_above_cost = 0; SET jit_inline_above_cost = 0; SET jit_optimize_above_cost = 0;"
jit_group="whole table, serial, JIT off and on"
bench_compare "$jit_group" \
	"count(score), JIT off" "$jit_off SELECT count(score) FROM nps_answers" \
	"plain-SQL formula (smallint), JIT off" "$jit_off SELECT $plain FROM nps_answers" \
	"nps(survey_score), JIT off" "$jit_off SELECT nps(score) FROM nps_answers" \
	"count(score), JIT on" "$jit_on SELECT count(score) FROM nps_answers" \
	"plain-SQL formula (smallint), JIT on" "$jit_on SELECT $plain FROM nps_answers" \
	"nps(survey_score), JIT on" "$jit_on SELECT nps(score) FROM nps_answers"
echo "JIT compile time of nps(score), from EXPLAIN ANALYZE:" \
	"$(psql -X -At -d "$BENCH_DB" -c "$jit_on" -c "EXPLAIN (ANALYZE) SELECT nps(score) FROM nps_answers" | grep 'Timing:')"

# What inlining made of each query's per-row call, from the bitcode the
# server dumps before and after optimizing (jit_dump_bitcode, in the data
# directory): imported = the function's body was brought in for inlining,
# calls left = calls to it that the optimized expression still makes
jit_calls() {
	local label=$1 query=$2 symbol=$3 imported=0 left=0 f n
	local call_re="call .*@\"\\?\\(pgextern\\.[^\"]*\\.\\)\\?$symbol\"\\?("
	rm -f "$CSM_DATA"/*.bc
	psql -X -q -d "$BENCH_DB" -o /dev/null -c "$jit_on" -c "SET jit_dump_bitcode = on" -c "$query"
	for f in "$CSM_DATA"/*.bc; do
		case $f in
			*.optimized.bc)
				n=$(llvm-dis-14 -o - "$f" | grep -c "$call_re" || true)
				left=$((left + n)) ;;
			*)
				n=$(llvm-dis-14 -o - "$f" | grep -c "^define available_externally .*@$symbol(" || true)
				imported=$((imported + n)) ;;
		esac
	done
	rm -f "$CSM_DATA"/*.bc
	printf '  %-40s %-28s imported: %d, calls left: %d\n' "$label" "$symbol" "$imported" "$left"
}
if command -v llvm-dis-14 >/dev/null; then
	echo "JIT inlining of the per-row function (PostgreSQL 15 inlines built-ins, never an extension's: doc/performance.md)"
	jit_calls "count(score)" "SELECT count(score) FROM nps_answers" int8inc_any
	jit_calls "nps(survey_score)" "SELECT nps(score) FROM nps_answers" survey_summary_add_score
fi

echo
echo "ratios with JIT off and on (how many times faster the first named query ran)"
for jit in off on; do
	bench_ratio "count(score) vs nps(survey_score), JIT $jit" \
		"$jit_group|count(score), JIT $jit" "$jit_group|nps(survey_score), JIT $jit"
	bench_ratio "count(score) vs the plain formula, JIT $jit" \
		"$jit_group|count(score), JIT $jit" "$jit_group|plain-SQL formula (smallint), JIT $jit"
	bench_ratio "nps(survey_score) vs the plain formula, JIT $jit (> 1)" \
		"$jit_group|nps(survey_score), JIT $jit" "$jit_group|plain-SQL formula (smallint), JIT $jit"
done
bench_ratio "nps(survey_score), JIT on vs off" \
	"$jit_group|nps(survey_score), JIT on" "$jit_group|nps(survey_score), JIT off"
bench_ratio "count(score), JIT on vs off" \
	"$jit_group|count(score), JIT on" "$jit_group|count(score), JIT off"

# the ratios the foundation issue sets targets for
echo
echo "ratios against the targets (how many times faster the first named query ran)"
bench_ratio "nps(survey_score) vs the plain formula, whole table, serial (>= 1.3)" \
	"whole table, serial|nps(survey_score)" "whole table, serial|plain-SQL formula (smallint)"
bench_ratio "count(*) vs nps(survey_score), whole table, serial (<= 1.25)" \
	"whole table, serial|count(*)" "whole table, serial|nps(survey_score)"
bench_ratio "nps(survey_score) vs the plain formula, GROUP BY 100k, serial (>= 1.0)" \
	"GROUP BY 100k accounts, serial|nps(survey_score)" "GROUP BY 100k accounts, serial|plain-SQL formula (smallint)"
bench_ratio "nps(survey_score) GROUP BY 100k, 2 workers vs serial (>= 1.5)" \
	"GROUP BY 100k accounts, parallel|nps(survey_score)" "GROUP BY 100k accounts, serial|nps(survey_score)"
