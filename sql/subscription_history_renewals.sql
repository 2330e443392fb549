-- subscription_history: the terms it keeps and the renewal wall,
-- renewals_due(), with every number worked by hand

\i sql/include/expect_error.sql

-- Renewal k of a subscription falls due on started_on + k * billing period
-- (k >= 1), month-end correct as renewal_windows() computes it, while the
-- subscription is active on that day (due < ended_on).
--   1 monthly from 2024-01-31 at 30, open: due 02-29, 03-31, 04-30, 05-31, 06-30, ...
--   2 annual from 2023-03-15 at 1200 (MRR 100), open: due 2024-03-15, 2025-03-15
--   3 monthly from 2024-01-10 at 50, ended 2024-04-10: due 02-10, 03-10; on
--     04-10 it has ended, so no renewal
--   4 future-dated: annual from 2024-06-01 at 600 (MRR 50): due 2025-06-01;
--     monthly from 2024-05-20 at 20: due 06-20, 07-20, ...
--   5 two equal subscriptions, monthly from 2024-02-29 at 10 each: due 03-29,
--     04-29, ..., 2025-02-28 (one term, count 2, MRR 20)
--   6 quarterly from 2023-11-30 at 300 (MRR 100): due 2024-02-29, 05-30, 08-30, 11-30
--   7 weekly from 2024-03-25 at 70 (MRR 70 * 30.4375 / 7 = 304.375), ended
--     2024-04-15: due 04-01, 04-08 (04-15 is its end)
CREATE TABLE subs (id int, customer_id bigint, started_on date, ended_on date,
				   amount numeric, billing_period interval);
INSERT INTO subs VALUES
	(1, 1, '2024-01-31', NULL, 30, '1 month'),
	(2, 2, '2023-03-15', NULL, 1200, '1 year'),
	(3, 3, '2024-01-10', '2024-04-10', 50, '1 month'),
	(4, 4, '2024-06-01', NULL, 600, '1 year'),
	(5, 4, '2024-05-20', NULL, 20, '1 month'),
	(6, 5, '2024-02-29', NULL, 10, '1 month'),
	(7, 5, '2024-02-29', NULL, 10, '1 month'),
	(8, 6, '2023-11-30', NULL, 300, '3 months'),
	(9, 7, '2024-03-25', '2024-04-15', 70, '1 week');
CREATE TABLE ledger AS
SELECT subscription_history_agg(customer_id, started_on, ended_on, amount, billing_period) AS h
FROM subs;

-- the terms, after a bar: started_on/period[..ended_on] subscriptions MRR;
-- customer 5's two subscriptions are one term of 2
SELECT h FROM (SELECT subscription_history_agg(customer_id, started_on, ended_on, amount, billing_period) AS h
			   FROM subs WHERE customer_id IN (4, 5, 7)) s;

-- by month, 2024-01 .. 2024-06 (customers, subscriptions, MRR):
--   Jan: none (the first renewals are in February)
--   Feb: 1 (30), 3 (50), 6 (100): 3, 3, 180
--   Mar: 1 (30), 2 (100), 3 (50), 5 (2 subscriptions, 20): 4, 5, 200
--   Apr: 1 (30), 5 (2, 20), 7 (due twice, counted once, 304.375); 3 has ended: 3, 4, 354.375
--   May: 1 (30), 5 (2, 20), 6 (100); 4's monthly plan is not due before 06-20: 3, 4, 150
--   Jun: 1 (30), 5 (2, 20), 4 (20; its annual plan only starts): 3, 4, 70
SELECT r.* FROM ledger, renewals_due(h, '2024-01-01', '2024-07-01', 'month') r;
-- by quarter, 2024 (each subscription once a quarter):
--   Q1: 1, 2, 3, 5 (2), 6: 5 customers, 6 subscriptions, 30 + 100 + 50 + 20 + 100 = 300
--   Q2: 1, 5 (2), 7, 6, 4 (monthly): 5, 6, 30 + 20 + 304.375 + 100 + 20 = 474.375
--   Q3: 1, 5 (2), 6, 4: 4, 5, 170;  Q4: the same, 4, 5, 170
SELECT r.* FROM ledger, renewals_due(h, '2024-01-01', '2025-01-01', 'quarter') r;
-- 2025: 1, 2 (03-15), 4 (annual 06-01 and monthly), 5 (2), 6: 5 customers,
-- 7 subscriptions, 30 + 100 + 50 + 20 + 20 + 100 = 320
SELECT r.* FROM ledger, renewals_due(h, '2025-01-01', '2026-01-01', 'year') r;
-- month ends, day by day: customer 1 from 31 January falls due on the last
-- day of each shorter month; customer 5 from 29 February 2024 on 28 February 2025
SELECT period, subscriptions, mrr
FROM (SELECT subscription_history_agg(customer_id, started_on, ended_on, amount, billing_period) AS h
	  FROM subs WHERE customer_id = 1) s, renewals_due(h, '2024-01-01', '2024-07-01', 'day')
WHERE subscriptions > 0;
SELECT period, subscriptions, mrr
FROM (SELECT subscription_history_agg(customer_id, started_on, ended_on, amount, billing_period) AS h
	  FROM subs WHERE customer_id = 5) s, renewals_due(h, '2025-01-01', '2025-04-01', 'day')
WHERE subscriptions > 0;
-- the range cuts the first period: from 2024-02-15, February holds 1 and 6
-- (both due 02-29) but not 3 (due 02-10): 2, 2, 130
SELECT r.* FROM ledger, renewals_due(h, '2024-02-15', '2024-03-01', 'month') r;

-- the same wall from renewal_windows() (a renewal counts unless the
-- subscription has churned by its due day), month by month over ten years
WITH wall AS (
	SELECT date_trunc('month', w.due_on)::date AS period, count(DISTINCT s.customer_id) AS customers,
		   count(*) AS subscriptions, sum(monthly_amount(s.amount, s.billing_period)) AS mrr
	FROM subs s,
		 LATERAL (SELECT DISTINCT ON (date_trunc('month', due_on)) due_on
				  FROM renewal_windows(s.started_on, s.billing_period, s.ended_on, '2034-01-01')
				  WHERE outcome <> 'churned' ORDER BY date_trunc('month', due_on), due_on) w
	WHERE w.due_on >= '2024-01-01'
	GROUP BY 1
)
SELECT count(*) AS months,
	   count(*) FILTER (WHERE r.subscriptions = coalesce(w.subscriptions, 0)
						AND r.customers = coalesce(w.customers, 0)
						AND r.mrr = coalesce(w.mrr, 0)) AS equal
FROM ledger, renewals_due(h, '2024-01-01', '2034-01-01', 'month') r
LEFT JOIN wall w USING (period);

-- rollup of per-partition ledgers keeps the terms: customer 5's two
-- subscriptions, split between the partitions, are again one term of 2
SELECT (SELECT rollup(p) FROM (SELECT subscription_history_agg(customer_id, started_on, ended_on, amount, billing_period) AS p
							   FROM subs GROUP BY id % 2) parts) = h AS rollup_equal
FROM ledger;
SELECT r.* FROM (SELECT rollup(p) AS h FROM (SELECT subscription_history_agg(customer_id, started_on, ended_on, amount, billing_period) AS p
											 FROM subs GROUP BY id % 2) parts) s,
	 renewals_due(h, '2024-03-01', '2024-04-01', 'month') r;

-- the text form keeps the terms (the binary form: subscription_history_binary.py)
SELECT h::text::subscription_history = h AS text_round_trip FROM ledger;
SELECT * FROM renewals_due('{1: 2024-01-31 30 1 | 2024-01-31/1m 1 30; 2: 2024-01-01 10 1 | 2024-01-01/7d..2024-01-20 1 10}',
						   '2024-01-01', '2024-04-01', 'month');
-- an empty ledger: rows of nothing
SELECT * FROM renewals_due('{}', '2024-01-01', '2024-03-01', 'month');

-- a ledger without terms (stored before they were kept, version 1, or text
-- without them) does not know its renewals: 22023; every other report works
SELECT pg_temp.expect_error($$SELECT renewals_due('{1: 2024-01-01 10 1}', '2024-01-01', '2024-03-01', 'month')$$);
SELECT mrr_at('{1: 2024-01-01 10 1}', '2024-02-01');
-- rolled up with a ledger that has terms, it still has none
SELECT pg_temp.expect_error($$SELECT renewals_due(rollup(h), '2024-01-01', '2024-03-01', 'month')
	FROM (SELECT h FROM ledger UNION ALL SELECT '{9: 2024-01-01 10 1}') s$$);
SELECT rollup(h)::text AS rolled_up FROM (SELECT '{9: 2024-01-01 10 1}'::subscription_history AS h
										  UNION ALL SELECT '{8: 2024-01-01 5 1 | 2024-01-01/1m 1 5}') s;

-- errors
SELECT pg_temp.expect_error($$SELECT renewals_due(h, '2024-03-01', '2024-03-01', 'month') FROM ledger$$);
SELECT pg_temp.expect_error($$SELECT renewals_due(h, '2024-01-01', '2024-03-01', 'fortnight') FROM ledger$$);
SELECT pg_temp.expect_error($$SELECT renewals_due(h, '2024-01-01', 'infinity', 'month') FROM ledger$$);
SELECT pg_temp.expect_error($$SELECT renewals_due(h, '0001-01-01', '5000-01-01', 'day') FROM ledger$$);
-- malformed terms in text: 22P02
SELECT pg_temp.expect_error($$SELECT '{1: 2024-01-01 10 1 | 2024-01-01/0m 1 10}'::subscription_history$$);
SELECT pg_temp.expect_error($$SELECT '{1: 2024-01-01 10 1 | 2024-01-01/1y 1 10}'::subscription_history$$);
SELECT pg_temp.expect_error($$SELECT '{1: 2024-01-01 10 1 | 2024-01-01/1m..2024-01-01 1 10}'::subscription_history$$);
SELECT pg_temp.expect_error($$SELECT '{1: 2024-01-01 10 1 | 2024-01-01/1m 0 10}'::subscription_history$$);
SELECT pg_temp.expect_error($$SELECT '{1: 2024-01-01 10 1 | 2024-01-01/1m 1 -10}'::subscription_history$$);
SELECT pg_temp.expect_error($$SELECT '{1: 2024-01-01 10 1 | 2024-02-01/1m 1 10, 2024-01-01/1m 1 10}'::subscription_history$$);
SELECT pg_temp.expect_error($$SELECT '{1: 2024-01-01 10 1 | 2024-01-01/1m 1 10, 2024-01-01/1m 2 20}'::subscription_history$$);
SELECT pg_temp.expect_error($$SELECT '{1: 2024-01-01 10 1 |}'::subscription_history$$);

DROP TABLE ledger, subs;
