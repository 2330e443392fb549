-- subscription_history_agg with text customer ids: each id is keyed by
-- customer_key(id), the shared 64-bit text key (src/textkey.h); the reports
-- are those of a bigint ledger of the same subscriptions

\i sql/include/expect_error.sql

-- the keys, from the independent implementation test/lib/textkey.py
-- (MurmurHash64A of the UTF-8 bytes, seed "csmetric", shown as bigint):
--   ''                              5658602978778916967
--   'a'                             7925034590567944700
--   'A'                            -555784346429973681
--   'cus_1'                         4482630574932737805
--   'cus_2'                        -1009088556607366857
--   'ü'                            -7923384158930672609
--   'customer-with-a-long-id-0001'  7580283774558442481
SELECT id, customer_key(id)
FROM unnest(ARRAY['', 'a', 'A', 'cus_1', 'cus_2', 'ü', 'customer-with-a-long-id-0001']) id;

-- the subscriptions of sql/subscription_history.sql, with customer n as 'cus_n'
CREATE TABLE subs (id int, customer_id bigint, started_on date, ended_on date,
				   amount numeric, billing_period interval, quantity numeric);
INSERT INTO subs VALUES
	(1, 1, '2024-01-01', '2024-04-01', 100, '1 month', 1),
	(2, 1, '2024-02-01', NULL, 50, '1 month', 2),
	(3, 2, '2024-01-01', '2024-02-15', 100, '1 month', 1),
	(4, 2, '2024-02-15', NULL, 200, '1 month', 1),
	(5, 3, '2024-01-01', '2024-03-31', 29.99, '1 month', 1),
	(6, 4, '2024-01-15', NULL, 1200.00, '1 year', 1),
	(7, 5, '2023-06-01', '2023-09-01', 40, '1 month', 1),
	(8, 5, '2024-02-01', NULL, 60, '1 month', 1),
	(9, 6, '2024-01-01', '2024-07-01', 80, '1 month', 1),
	(10, 6, '2024-07-01', NULL, 120, '1 month', 1),
	(11, 7, '2024-01-01', '2024-03-01', 90, '1 month', 3),
	(12, 7, '2024-03-01', NULL, 90, '1 month', 5),
	(13, NULL, '2024-01-01', NULL, 1000, '1 month', 1);	-- no customer: skipped
CREATE TABLE ledgers AS
SELECT subscription_history_agg(customer_id, started_on, ended_on, amount, billing_period, quantity) AS b,
	   subscription_history_agg('cus_' || customer_id, started_on, ended_on, amount, billing_period, quantity) AS t,
	   subscription_history_agg('cus_' || customer_id, started_on, ended_on, amount, billing_period) AS t1
FROM subs;

-- customer 1's MRR changes and terms, stored under customer_key('cus_1')
SELECT customer_id = customer_key('cus_1') AS key_is_cus_1, period, mrr, seats
FROM ledgers, customer_mrr(t, 'month', '2024-01-01', '2024-05-01')
WHERE customer_id = 4482630574932737805;

-- the same reports as the bigint ledger, row for row
SELECT customers(t) AS customers,
	   (SELECT array_agg(m ORDER BY period) FROM (SELECT period, starting_mrr, new_mrr, expansion_mrr, reactivation_mrr,
		   contraction_mrr, churned_mrr, ending_mrr, customers_at_start, new_customers, churned_customers,
		   customers_at_end FROM mrr_movements(t, 'month', '2023-01-01', '2025-01-01')) m)
	 = (SELECT array_agg(m ORDER BY period) FROM (SELECT period, starting_mrr, new_mrr, expansion_mrr, reactivation_mrr,
		   contraction_mrr, churned_mrr, ending_mrr, customers_at_start, new_customers, churned_customers,
		   customers_at_end FROM mrr_movements(b, 'month', '2023-01-01', '2025-01-01')) m) AS same_movements,
	   (SELECT array_agg(r ORDER BY period) FROM renewals_due(t, '2024-01-01', '2026-01-01', 'month') r)
	 = (SELECT array_agg(r ORDER BY period) FROM renewals_due(b, '2024-01-01', '2026-01-01', 'month') r) AS same_renewals,
	   seat_bridge(t, '2024-03-01', '2024-05-01') = seat_bridge(b, '2024-03-01', '2024-05-01') AS same_seats,
	   mrr_bridge(t, '2024-01-01', '2024-04-01') = mrr_bridge(b, '2024-01-01', '2024-04-01') AS same_bridge,
	   (mrr_at(t, '2024-07-01'), paying_customers_at(t, '2024-07-01'), seats_at(t, '2024-03-15'))
	 = (mrr_at(b, '2024-07-01'), paying_customers_at(b, '2024-07-01'), seats_at(b, '2024-03-15')) AS same_day,
	   mrr_at(t1, '2024-07-01') AS mrr_without_quantity, seats_at(t1, '2024-03-15') AS one_seat_each
FROM ledgers;
-- by hand, as in sql/subscription_history.sql: 7 customers; on 2024-07-01 620.00
SELECT mrr_at(t, '2024-07-01'), paying_customers_at(t, '2024-07-01'), seats_at(t, '2024-03-15') FROM ledgers;

-- ids are compared as bytes: 'a' and 'A' are two customers, 'a' twice is one;
-- an empty id is an id
SELECT customers(subscription_history_agg(id, '2024-01-01', NULL, 10, '1 month')) AS customers,
	   mrr_at(subscription_history_agg(id, '2024-01-01', NULL, 10, '1 month'), '2024-01-01') AS mrr
FROM unnest(ARRAY['a', 'A', 'a', '', 'ü']) id;

-- many distinct ids are counted exactly: 300,000 ids, 10 each (a collision among
-- them has a chance below 300000^2 / 2^65 = 2.4e-9)
SELECT customers(h), paying_customers_at(h, '2024-06-01'), mrr_at(h, '2024-06-01')
FROM (SELECT subscription_history_agg('user-' || g, DATE '2024-01-01' + g % 100, NULL, 10, '1 month') AS h
	  FROM generate_series(1, 300000) g) s;

-- rollup of text ledgers of several partitions equals one ledger
SELECT (SELECT rollup(p) FROM (SELECT subscription_history_agg('cus_' || customer_id, started_on, ended_on,
								   amount, billing_period, quantity) AS p
							   FROM subs GROUP BY id % 3) parts) = t AS rollup_equal
FROM ledgers;

-- errors name the text id
SELECT pg_temp.expect_error($$SELECT subscription_history_agg('cus_9', '2024-02-01', '2024-01-01', 10, '1 month')$$);
SELECT pg_temp.expect_error($$SELECT subscription_history_agg('cus_9', '2024-01-01', NULL, 10, '1 hour')$$);

DROP TABLE ledgers, subs;
