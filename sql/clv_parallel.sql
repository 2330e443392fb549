-- clv fits and purchase histories under forced parallel plans: the answers
-- must equal the serial plan's exactly, including empty groups

-- the CDNOW calibration summary (test/data/README.md) 100 times over:
-- 235,700 customers in 1,016 distinct cells, and 5,000 rows with NULLs
CREATE TABLE cdnow_summary (customer int, x float8, t_x float8, t float8, zbar float8);
\copy cdnow_summary FROM 'test/data/cdnow_customers_summary_with_transactions.csv' WITH (FORMAT csv, HEADER)
CREATE TABLE fit_rows AS
SELECT k * 10000 + customer AS customer, k % 4 AS segment, x, t_x, t, zbar
FROM cdnow_summary, generate_series(0, 99) k
UNION ALL
SELECT -i, i % 4, NULL, 1, 2, NULL FROM generate_series(1, 5000) i;
ANALYZE fit_rows;

-- the CDNOW transactions 30 times over, as 70,710 customers
CREATE TABLE cdnow_raw (line text);
\copy cdnow_raw FROM 'test/data/CDNOW_sample.txt'
CREATE TABLE tx AS
SELECT k * 10000 + a[2]::int AS customer, (k * 10000 + a[2]::int) % 100 AS g, to_date(a[3], 'YYYYMMDD') AS purchased_on, a[5]::numeric AS amount
FROM (SELECT regexp_split_to_array(btrim(line, E' \r'), '\s+') AS a FROM cdnow_raw) s, generate_series(0, 29) k
WHERE to_date(a[3], 'YYYYMMDD') <= '1997-09-30';
ANALYZE tx;

-- serial answers
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial_fit AS
SELECT bgnbd_fit(x, t_x, t)::text AS bgnbd, gamma_gamma_fit(x, zbar)::text AS gg,
	   sbg_fit(x::int + 1, t - t_x > 10)::text AS sbg
FROM fit_rows;
CREATE TEMP TABLE serial_seg AS
SELECT segment, bgnbd_fit(x, t_x, t)::text AS bgnbd FROM fit_rows GROUP BY segment;
CREATE TEMP TABLE serial_histories AS
SELECT md5(string_agg(h::text, ';' ORDER BY customer)) AS digest, count(*) AS customers
FROM (SELECT customer, purchase_history_agg(purchased_on, amount, '1997-09-30', '1 day') AS h
	  FROM tx GROUP BY customer) s;
CREATE TEMP TABLE serial_groups AS
SELECT g, purchase_history_agg(purchased_on, amount, '1997-09-30', '1 day')::text AS h
FROM tx GROUP BY g;
CREATE TEMP TABLE serial_history_fit AS
SELECT bgnbd_fit(h)::text AS m
FROM (SELECT customer, purchase_history_agg(purchased_on, amount, '1997-09-30', '1 day') AS h
	  FROM tx GROUP BY customer) s;

\i sql/include/parallel_plans.sql

-- the plans are parallel, and really run with workers
EXPLAIN (COSTS OFF) SELECT bgnbd_fit(x, t_x, t) FROM fit_rows;
\i sql/include/ran_in_parallel.sql
SELECT pg_temp.ran_in_parallel('SELECT bgnbd_fit(x, t_x, t), gamma_gamma_fit(x, zbar) FROM fit_rows') AS fit_ran_in_parallel,
	   pg_temp.ran_in_parallel('SELECT segment, bgnbd_fit(x, t_x, t) FROM fit_rows GROUP BY segment') AS grouped_ran_in_parallel,
	   pg_temp.ran_in_parallel($$SELECT g, purchase_history_agg(purchased_on, amount, '1997-09-30', '1 day') FROM tx GROUP BY g$$)
		   AS histories_ran_in_parallel;
EXPLAIN (COSTS OFF)
SELECT g, purchase_history_agg(purchased_on, amount, '1997-09-30', '1 day') FROM tx GROUP BY g;

-- the same models, to the last bit
SELECT p.bgnbd = s.bgnbd AS bgnbd_equal, p.gg = s.gg AS gamma_gamma_equal, p.sbg = s.sbg AS sbg_equal
FROM (SELECT bgnbd_fit(x, t_x, t)::text AS bgnbd, gamma_gamma_fit(x, zbar)::text AS gg,
			 sbg_fit(x::int + 1, t - t_x > 10)::text AS sbg FROM fit_rows) p, serial_fit s;
SET enable_hashagg = off;
SELECT segment, p.bgnbd = s.bgnbd AS sorted_groups_equal
FROM (SELECT segment, bgnbd_fit(x, t_x, t)::text AS bgnbd FROM fit_rows GROUP BY segment) p
JOIN serial_seg s USING (segment) ORDER BY segment;
RESET enable_hashagg;
SET enable_sort = off;
SELECT segment, p.bgnbd = s.bgnbd AS hashed_groups_equal
FROM (SELECT segment, bgnbd_fit(x, t_x, t)::text AS bgnbd FROM fit_rows GROUP BY segment) p
JOIN serial_seg s USING (segment) ORDER BY segment;
RESET enable_sort;
-- the model of 100 copies of CDNOW is CDNOW's: 235,700 customers, the
-- published r = 0.243, alpha = 4.414, a = 0.793, b = 2.426 to the precision printed
SELECT customers(m), round(r(m)::numeric, 3) AS r, round(alpha(m)::numeric, 3) AS alpha,
	   round(a(m)::numeric, 3) AS a, round(b(m)::numeric, 3) AS b, converged(m)
FROM (SELECT bgnbd_fit(x, t_x, t) AS m FROM fit_rows) s;
-- no rows: NULL in parallel too
SELECT bgnbd_fit(x, t_x, t) IS NULL AS empty_is_null FROM fit_rows WHERE segment > 10;

-- purchase histories: the rows of a group are split between the workers and
-- merged by the combine function (many days in both workers' parts); the
-- histories equal the serial ones, hashed and sorted
SELECT count(*) AS groups, bool_and(p.h = s.h) AS hashed_histories_equal
FROM (SELECT g, purchase_history_agg(purchased_on, amount, '1997-09-30', '1 day')::text AS h
	  FROM tx GROUP BY g) p JOIN serial_groups s USING (g);
SET enable_hashagg = off;
SELECT count(*) AS groups, bool_and(p.h = s.h) AS sorted_histories_equal
FROM (SELECT g, purchase_history_agg(purchased_on, amount, '1997-09-30', '1 day')::text AS h
	  FROM tx GROUP BY g) p JOIN serial_groups s USING (g);
RESET enable_hashagg;
-- one group per customer (the planner may gather the rows first)
SELECT md5(string_agg(h::text, ';' ORDER BY customer)) = s.digest AS histories_equal, count(*) AS customers
FROM (SELECT customer, purchase_history_agg(purchased_on, amount, '1997-09-30', '1 day') AS h
	  FROM tx GROUP BY customer) p, serial_histories s
GROUP BY s.digest;
SELECT bgnbd_fit(h)::text = s.m AS history_fit_equal
FROM (SELECT customer, purchase_history_agg(purchased_on, amount, '1997-09-30', '1 day') AS h
	  FROM tx GROUP BY customer) p, serial_history_fit s
GROUP BY s.m;

\set force_parallel off
\i sql/include/force_parallel.sql
RESET max_parallel_workers_per_gather;
DROP TABLE cdnow_summary, fit_rows, cdnow_raw, tx;
