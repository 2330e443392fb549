# test/bench/clv.bench.sh: predictive CLV from raw transactions.  Generates
# the purchases of BENCH_CUSTOMERS customers (default 1,000,000; about ten
# purchases each) from known BG/NBD and Gamma-Gamma parameters, then times,
# serially and with 2 workers, against baselines measured in the same run:
#   1. the purchase histories (purchase_history_agg GROUP BY customer)
#      against count(*) and the plain-SQL per-customer summary users write;
#   2. the fits (bgnbd_fit, gamma_gamma_fit) against count(*) over the
#      customers;
#   3. predicting the 12-month CLV of every customer;
#   4. the whole pipeline, transactions to a CLV per customer, in one query;
# and prints the fitted parameters with their standard errors next to the
# true ones.  Sourced by test/bench/run-bench (BENCH_DB set).
#
# Simulation (uniforms from hashint8extended(customer, stream)): the first
# purchase on one of the first 84 days of 2024, observation to 2024-12-31;
# weekly purchase rate lambda ~ Gamma(r = 0.5, alpha = 2) (Z^2 / 4, Z normal
# by Box-Muller); after each repeat purchase the customer drops out with
# p ~ Beta(a = 0.5, b = 4.5) (X / (X + Y) from Gamma(0.5) and Gamma(4.5)
# draws); purchase values Gamma(p = 3, nu), nu ~ Gamma(q = 4, gamma = 15).
# Purchases are timestamps and the time unit is an hour, so that two
# purchases rarely share a period; the models are fitted in weeks (hours / 168).

BENCH_CUSTOMERS=${BENCH_CUSTOMERS:-1000000}
serial="SET max_parallel_workers_per_gather = 0;"
parallel="SET max_parallel_workers_per_gather = 2; SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0;"
hist="purchase_history_agg(purchased_at, amount, timestamptz '2024-12-31 00:00+00', interval '1 hour')"

echo "generating the purchases of $BENCH_CUSTOMERS customers"
psql -X -q -d "$BENCH_DB" <<SQL
DROP TABLE IF EXISTS clv_purchases, clv_histories;
CREATE FUNCTION pg_temp.u(c bigint, s bigint) RETURNS double precision
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN ((hashint8extended(c, s) & 9007199254740991) + 0.5) / 9007199254740992.0;
\timing on
CREATE TABLE clv_purchases AS
WITH people AS (
	SELECT c, c % 84 AS first_day, lam, nu,
		   least(greatest(1, ceil(ln(pg_temp.u(c, 13)) / ln(1 - p))), ceil(2 * lam * 53 + 10))::int AS last_j
	FROM generate_series(1, $BENCH_CUSTOMERS) c,
		 LATERAL (SELECT -ln(pg_temp.u(c, 1)) * cos(2 * pi() * pg_temp.u(c, 2)) ^ 2 / 2.0 AS lam,
						 x / (x + y) AS p,
						 -ln(pg_temp.u(c, 9) * pg_temp.u(c, 10) * pg_temp.u(c, 11) * pg_temp.u(c, 12)) / 15.0 AS nu
				  FROM (SELECT -ln(pg_temp.u(c, 3)) * cos(2 * pi() * pg_temp.u(c, 4)) ^ 2 AS x,
							   -ln(pg_temp.u(c, 3)) * sin(2 * pi() * pg_temp.u(c, 4)) ^ 2
							   - ln(pg_temp.u(c, 5) * pg_temp.u(c, 6) * pg_temp.u(c, 7) * pg_temp.u(c, 8)) AS y) g) s
), times AS (
	SELECT c, j, first_day, nu,
		   sum(CASE WHEN j > 0 THEN -ln(pg_temp.u(c, 100 + j)) / lam ELSE 0 END)
			   OVER (PARTITION BY c ORDER BY j) AS t
	FROM people, generate_series(0, last_j) j
)
SELECT c::int AS customer,
	   timestamptz '2024-01-01 00:00+00' + make_interval(days => first_day) + t * interval '1 week' AS purchased_at,
	   round((-ln(pg_temp.u(c, 1000 + 3 * j) * pg_temp.u(c, 1001 + 3 * j) * pg_temp.u(c, 1002 + 3 * j)) / nu)::numeric, 2) AS amount
FROM times
WHERE j = 0 OR first_day + t * 7 < 365;
\timing off
VACUUM ANALYZE clv_purchases;
SELECT pg_prewarm('clv_purchases');
SELECT count(*) AS purchases, count(DISTINCT customer) AS customers,
	   pg_size_pretty(pg_total_relation_size('clv_purchases')) AS size FROM clv_purchases;
SQL

bench_compare "purchase histories of $BENCH_CUSTOMERS customers from their purchases" \
	"count(*)" \
	"SELECT count(*) FROM clv_purchases" \
	"plain SQL per-customer summary, serial" \
	"$serial SELECT sum(x) FROM (SELECT customer, count(DISTINCT date_trunc('hour', purchased_at)) - 1 AS x,
			max(purchased_at) - min(purchased_at) AS recency, avg(amount) AS m
		 FROM clv_purchases GROUP BY customer) s" \
	"purchase_history_agg GROUP BY customer, serial" \
	"$serial SELECT sum(frequency(h)) FROM (SELECT customer, $hist AS h FROM clv_purchases GROUP BY customer) s" \
	"plain SQL per-customer summary, 2 workers" \
	"$parallel SELECT sum(x) FROM (SELECT customer, count(DISTINCT date_trunc('hour', purchased_at)) - 1 AS x,
			max(purchased_at) - min(purchased_at) AS recency, avg(amount) AS m
		 FROM clv_purchases GROUP BY customer) s" \
	"purchase_history_agg GROUP BY customer, 2 workers" \
	"$parallel SELECT sum(frequency(h)) FROM (SELECT customer, $hist AS h FROM clv_purchases GROUP BY customer) s"

psql -X -q -d "$BENCH_DB" <<SQL
CREATE TABLE clv_histories AS
SELECT customer, frequency(h)::float8 AS x, recency(h) / 168 AS t_x, age(h) / 168 AS t,
	   monetary_value(h)::float8 AS m, h
FROM (SELECT customer, $hist AS h FROM clv_purchases GROUP BY customer) s;
VACUUM ANALYZE clv_histories;
SELECT pg_prewarm('clv_histories');
SELECT count(*) AS customers, pg_size_pretty(pg_total_relation_size('clv_histories')) AS size,
	   length(bgnbd_fit(x, t_x, t)::text) > 0 AS fits,
	   (SELECT count(*) FROM (SELECT DISTINCT x, t_x, t FROM clv_histories) d) AS distinct_cells
FROM clv_histories;
SQL

bench_compare "fitting the models to $BENCH_CUSTOMERS customers" \
	"count(*)" \
	"SELECT count(*) FROM clv_histories" \
	"bgnbd_fit(x, t_x, T), serial" \
	"$serial SELECT bgnbd_fit(x, t_x, t) FROM clv_histories" \
	"bgnbd_fit(x, t_x, T), 2 workers" \
	"$parallel SELECT bgnbd_fit(x, t_x, t) FROM clv_histories" \
	"gamma_gamma_fit(x, m), serial" \
	"$serial SELECT gamma_gamma_fit(x, m) FROM clv_histories" \
	"gamma_gamma_fit(x, m), 2 workers" \
	"$parallel SELECT gamma_gamma_fit(x, m) FROM clv_histories"

psql -X -q -d "$BENCH_DB" <<SQL
CREATE TABLE clv_models AS SELECT bgnbd_fit(x, t_x, t) AS bg, gamma_gamma_fit(x, m) AS gg FROM clv_histories;
SQL

bench_compare "the 12-month CLV of each of $BENCH_CUSTOMERS customers" \
	"count(*)" \
	"SELECT count(*) FROM clv_histories" \
	"predicted_clv, serial" \
	"$serial SELECT sum(predicted_clv(bg, gg, x, t_x, t, m, 12, 52.0 / 12, 0.01)) FROM clv_histories, clv_models" \
	"predicted_clv, 2 workers" \
	"$parallel SELECT sum(predicted_clv(bg, gg, x, t_x, t, m, 12, 52.0 / 12, 0.01)) FROM clv_histories, clv_models"

pipeline="WITH h AS (SELECT customer, $hist AS h FROM clv_purchases GROUP BY customer),
	 r AS (SELECT customer, frequency(h)::float8 AS x, recency(h) / 168 AS t_x, age(h) / 168 AS t,
				  monetary_value(h)::float8 AS m FROM h),
	 models AS (SELECT bgnbd_fit(x, t_x, t) AS bg, gamma_gamma_fit(x, m) AS gg FROM r)
SELECT sum(predicted_clv(bg, gg, x, t_x, t, m, 12, 52.0 / 12, 0.01)) FROM r, models"
bench_compare "the whole pipeline: $BENCH_CUSTOMERS customers' purchases to a 12-month CLV each" \
	"count(*) over the purchases" \
	"SELECT count(*) FROM clv_purchases" \
	"pipeline, serial" \
	"$serial $pipeline" \
	"pipeline, 2 workers" \
	"$parallel $pipeline"

echo
echo "recovery of the simulation's parameters (estimate, standard error, true value, distance in standard errors)"
psql -X -d "$BENCH_DB" <<SQL
SELECT name, round(est::numeric, 4) AS estimate, round(se::numeric, 4) AS std_error, truth,
	   round(((est - truth) / se)::numeric, 2) AS z
FROM clv_models,
	 LATERAL (VALUES ('r', r(bg), r_stderr(bg), 0.5), ('alpha', alpha(bg), alpha_stderr(bg), 2.0),
					 ('a', a(bg), a_stderr(bg), 0.5), ('b', b(bg), b_stderr(bg), 4.5),
					 ('p', p(gg), p_stderr(gg), 3.0), ('q', q(gg), q_stderr(gg), 4.0),
					 ('gamma', gamma(gg), gamma_stderr(gg), 15.0)) v(name, est, se, truth);
SELECT converged(bg) AS bgnbd_converged, iterations(bg) AS bgnbd_iterations,
	   converged(gg) AS gamma_gamma_converged, iterations(gg) AS gamma_gamma_iterations FROM clv_models;
DROP TABLE clv_purchases, clv_histories, clv_models;
SQL
