# NPS benchmark (sourced by test/bench/run-bench): nps() against count(*) and
# the plain-SQL formula, on a survey_score and a smallint column, serially
# and with 2 parallel workers, over the whole table and grouped by 100k accounts.

psql -X -q -d "$BENCH_DB" <<SQL
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
