# test/bench/rates.bench.sh: csat and fcr_rate against their plain-SQL
# formulas and count(*), sourced by test/bench/run-bench.

bench_sql <<SQL
DROP TABLE IF EXISTS bench_tickets;
CREATE TABLE bench_tickets AS
	SELECT g AS id, (g % 100000)::integer AS account_id,
		   CASE WHEN g % 20 = 0 THEN NULL ELSE 1 + floor(random() * 5)::integer END AS csat_score,
		   CASE WHEN g % 25 = 0 THEN NULL ELSE 1 + floor(random() * random() * 4)::integer END AS contacts,
		   random() < 0.7 AS resolved_first
	FROM generate_series(1, $BENCH_ROWS) g;
VACUUM ANALYZE bench_tickets;
SELECT pg_prewarm('bench_tickets');
SQL

bench_compare "csat over $BENCH_ROWS rows" \
	"count(*)" "SELECT count(*) FROM bench_tickets" \
	"plain SQL: share of 4 and 5" \
	"SELECT 100.0 * count(*) FILTER (WHERE csat_score >= 4) / nullif(count(csat_score), 0) FROM bench_tickets" \
	"csat(score)" "SELECT csat(csat_score) FROM bench_tickets" \
	"csat(score, 4)" "SELECT csat(csat_score, 4) FROM bench_tickets"

bench_compare "fcr_rate over $BENCH_ROWS rows" \
	"count(*)" "SELECT count(*) FROM bench_tickets" \
	"plain SQL: share of contacts = 1" \
	"SELECT 100.0 * count(*) FILTER (WHERE contacts = 1) / nullif(count(contacts), 0) FROM bench_tickets" \
	"fcr_rate(contacts)" "SELECT fcr_rate(contacts) FROM bench_tickets" \
	"plain SQL: share of true" \
	"SELECT 100.0 * count(*) FILTER (WHERE resolved_first) / nullif(count(resolved_first), 0) FROM bench_tickets" \
	"fcr_rate(boolean)" "SELECT fcr_rate(resolved_first) FROM bench_tickets"

bench_compare "csat and fcr_rate by account (100k groups)" \
	"count(*)" "SELECT account_id, count(*) FROM bench_tickets GROUP BY 1" \
	"plain SQL csat" \
	"SELECT account_id, 100.0 * count(*) FILTER (WHERE csat_score >= 4) / nullif(count(csat_score), 0) FROM bench_tickets GROUP BY 1" \
	"csat(score)" "SELECT account_id, csat(csat_score) FROM bench_tickets GROUP BY 1" \
	"plain SQL fcr" \
	"SELECT account_id, 100.0 * count(*) FILTER (WHERE contacts = 1) / nullif(count(contacts), 0) FROM bench_tickets GROUP BY 1" \
	"fcr_rate(contacts)" "SELECT account_id, fcr_rate(contacts) FROM bench_tickets GROUP BY 1"

bench_sql -c "DROP TABLE bench_tickets"
