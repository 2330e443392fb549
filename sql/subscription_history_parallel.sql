-- subscription_history_agg and rollup under forced parallel plans: the
-- ledgers must equal the serial plan's exactly, and so every report on them

-- 200000 subscriptions of 20000 customers in 5 segments over 2022..2024:
-- monthly, quarterly and yearly plans with cents, some open-ended, some with
-- quantities; every 17th amount NULL (skipped); segment 4 has only NULL amounts
CREATE TABLE subs AS
SELECT i,
	   i % 5 AS segment,
	   (i % 20000) AS customer_id,
	   ('2022-01-01'::date + (i * 7) % 900) AS started_on,
	   CASE WHEN i % 4 = 0 THEN NULL
			ELSE ('2022-01-01'::date + (i * 7) % 900 + 30 + (i * 13) % 400) END AS ended_on,
	   CASE WHEN i % 17 = 0 OR i % 5 = 4 THEN NULL ELSE ((i * 37) % 50000) / 100.0 END AS amount,
	   (ARRAY['1 month', '1 month', '3 months', '1 year']::interval[])[1 + i % 4] AS billing_period,
	   1 + i % 3 AS quantity
FROM generate_series(1, 200000) i;
ANALYZE subs;

-- serial answers
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial_all AS
	SELECT subscription_history_agg(customer_id, started_on, ended_on, amount, billing_period, quantity)::text AS h
	FROM subs;
CREATE TEMP TABLE serial_text AS
	SELECT subscription_history_agg('c' || customer_id, started_on, ended_on, amount, billing_period, quantity)::text AS h
	FROM subs;
CREATE TEMP TABLE serial_seg AS
	SELECT segment, subscription_history_agg(customer_id, started_on, ended_on, amount, billing_period, quantity)::text AS h
	FROM subs GROUP BY segment;

\i sql/include/parallel_plans.sql

-- the plans are parallel, and really run with workers
EXPLAIN (COSTS OFF)
SELECT subscription_history_agg(customer_id, started_on, ended_on, amount, billing_period, quantity) FROM subs;
\i sql/include/ran_in_parallel.sql
SELECT pg_temp.ran_in_parallel('SELECT subscription_history_agg(customer_id, started_on, ended_on, amount, billing_period, quantity) FROM subs')
	AS whole_table_ran_in_parallel,
	   pg_temp.ran_in_parallel('SELECT segment, subscription_history_agg(customer_id, started_on, ended_on, amount, billing_period) FROM subs GROUP BY segment')
	AS grouped_ran_in_parallel;

-- the same ledgers
SELECT (SELECT subscription_history_agg(customer_id, started_on, ended_on, amount, billing_period, quantity)::text
		FROM subs) = h AS whole_table_equal
FROM serial_all;
-- text customer ids: the same ledger in parallel, and workers ran
SELECT (SELECT subscription_history_agg('c' || customer_id, started_on, ended_on, amount, billing_period, quantity)::text
		FROM subs) = h AS text_ids_equal,
	   pg_temp.ran_in_parallel('SELECT subscription_history_agg(''c'' || customer_id, started_on, ended_on, amount, billing_period) FROM subs')
	AS text_ids_ran_in_parallel
FROM serial_text;
SET enable_hashagg = off;
SELECT segment, p.h = s.h AS sorted_groups_equal, p.h IS NULL AS is_null
FROM (SELECT segment, subscription_history_agg(customer_id, started_on, ended_on, amount, billing_period, quantity)::text AS h
	  FROM subs GROUP BY segment) p
JOIN serial_seg s USING (segment) ORDER BY segment;
SET enable_hashagg = on;
SET enable_sort = off;
SELECT segment, p.h IS NOT DISTINCT FROM s.h AS hashed_groups_equal
FROM (SELECT segment, subscription_history_agg(customer_id, started_on, ended_on, amount, billing_period, quantity)::text AS h
	  FROM subs GROUP BY segment) p
JOIN serial_seg s USING (segment) ORDER BY segment;
RESET enable_sort;

-- rollup of per-segment ledgers in parallel equals the direct ledger
CREATE TABLE by_segment AS
SELECT segment, subscription_history_agg(customer_id, started_on, ended_on, amount, billing_period, quantity) AS h
FROM subs GROUP BY segment;
EXPLAIN (COSTS OFF) SELECT rollup(h) FROM by_segment;
SELECT (SELECT rollup(h)::text FROM by_segment) = h AS rollup_equals_direct FROM serial_all;

-- the reports on the parallel ledger: the MRR on a day is the plain-SQL
-- sum of monthly_amount() over the subscriptions active that day, and the
-- movements chain (each month starts where the last one ended)
CREATE TABLE parallel_ledger AS
SELECT subscription_history_agg(customer_id, started_on, ended_on, amount, billing_period, quantity) AS l FROM subs;
SELECT l::text = h AS stored_equal FROM parallel_ledger, serial_all;
SELECT mrr_at(l, '2023-06-15') = (SELECT sum(monthly_amount(amount, billing_period)) FROM subs
								  WHERE started_on <= '2023-06-15' AND ('2023-06-15' < ended_on OR ended_on IS NULL))
	   AS mrr_at_is_plain_sum,
	   seats_at(l, '2023-06-15') = (SELECT sum(quantity) FROM subs
									WHERE amount IS NOT NULL AND started_on <= '2023-06-15'
									  AND ('2023-06-15' < ended_on OR ended_on IS NULL)) AS seats_at_is_plain_sum,
	   paying_customers_at(l, '2023-06-15') = (SELECT count(DISTINCT customer_id) FROM subs
									WHERE amount > 0 AND started_on <= '2023-06-15'
									  AND ('2023-06-15' < ended_on OR ended_on IS NULL)) AS paying_is_plain_count
FROM parallel_ledger;
CREATE TABLE movements AS SELECT m.* FROM parallel_ledger, mrr_movements(l, 'month', '2021-12-01', '2025-06-01') m;
SELECT count(*) AS months,
	   count(*) FILTER (WHERE starting_mrr = coalesce(prev_ending, 0)) AS continuous
FROM (SELECT m.*, lag(m.ending_mrr) OVER (ORDER BY m.period) AS prev_ending FROM movements m) t;
SELECT count(*) FILTER (WHERE ending_mrr = mrr_at(l, (period + interval '1 month')::date - 1)) AS ending_is_mrr_at
FROM parallel_ledger, movements WHERE period IN ('2022-01-01', '2023-06-01', '2025-05-01');
-- the renewal wall of the parallel ledger: June 2023 equals the plain-SQL
-- count over renewal_windows() (a renewal counts unless churned by its due day)
SELECT (r.customers, r.subscriptions, r.mrr) = (
		SELECT count(DISTINCT customer_id), count(*), sum(monthly_amount(amount, billing_period))
		FROM subs s
		WHERE amount IS NOT NULL AND started_on < '2023-06-01'
		  AND EXISTS (SELECT FROM renewal_windows(s.started_on, s.billing_period, s.ended_on, '2023-06-30') w
					  WHERE w.due_on >= '2023-06-01' AND w.outcome <> 'churned')) AS renewals_are_plain_count,
	   r.subscriptions > 1000 AS many
FROM parallel_ledger, renewals_due(l, '2023-06-01', '2023-07-01', 'month') r;

\set force_parallel off
\i sql/include/force_parallel.sql
RESET max_parallel_workers_per_gather;
DROP TABLE by_segment, parallel_ledger, movements, subs;
