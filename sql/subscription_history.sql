-- subscription_history: the subscription ledger, its reports, text forms and
-- errors, with every number worked by hand

\i sql/include/expect_error.sql

-- Seven customers, one edge case each (amounts per billing period):
--   1 overlapping: A 2024-01-01..2024-04-01 at 100 (qty 1),
--                  B 2024-02-01..open at 50 (qty 2)
--   2 mid-month upgrade: 2024-01-01..2024-02-15 at 100, 2024-02-15..open at 200
--   3 cancelled on the last day of a month: 2024-01-01..2024-03-31 at 29.99
--   4 annual plan: 2024-01-15..open at 1200.00 a year = 100.00 a month
--   5 reactivation: 2023-06-01..2023-09-01 at 40, 2024-02-01..open at 60
--   6 future-dated upgrade: 2024-01-01..2024-07-01 at 80, 2024-07-01..open at 120
--   7 quantity change, same MRR: 2024-01-01..2024-03-01 at 90 qty 3,
--                                2024-03-01..open at 90 qty 5
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
	(12, 7, '2024-03-01', NULL, 90, '1 month', 5);
CREATE TABLE ledger AS
SELECT subscription_history_agg(customer_id, started_on, ended_on, amount, billing_period, quantity) AS h
FROM subs;

-- the ledger as text: per customer, its MRR and quantity from each day of
-- change on.  Customer 1 is 100 (1 seat) from January, 150 (3) from February,
-- 50 (2) from April; customer 7's change on 2024-03-01 is the quantity only;
-- customer 6's scheduled change on 2024-07-01 is there too
SELECT h FROM ledger;
SELECT customers(h), pg_column_size(h) AS bytes FROM ledger;

-- MRR on one day (started_on <= day < ended_on):
--   2024-01-31: 100 + 100 + 29.99 + 100.00 + 0 + 80 + 90 = 499.99
--   2024-02-14: 150 + 100 + 29.99 + 100 + 60 + 80 + 90 = 609.99
--   2024-02-15: customer 2 now pays 200: 709.99
--   2024-03-30: 709.99; 2024-03-31: customer 3 has gone: 680.00
--   2023-12-31: 0.00; 2023-07-01: customer 5 alone, 40.00
SELECT d, mrr_at(h, d), paying_customers_at(h, d)
FROM ledger, unnest('{2023-07-01,2023-12-31,2024-01-31,2024-02-14,2024-02-15,2024-03-30,2024-03-31}'::date[]) d
ORDER BY d;
-- committed MRR: on 2024-07-01 the scheduled upgrade counts:
--   50 + 200 + 100 + 60 + 120 + 90 = 620.00, ARR 7440.00, 6 paying customers,
--   ARPA 620.00 / 6 = 103.33...
SELECT mrr_at(h, '2024-07-01'), arr_at(h, '2024-07-01'), paying_customers_at(h, '2024-07-01'),
	   arpa_at(h, '2024-07-01') FROM ledger;
-- seats: 2024-01-31: 1 + 1 + 1 + 1 + 0 + 1 + 3 = 8;
--        2024-03-15: 3 + 1 + 1 + 1 + 1 + 1 + 5 = 13
SELECT seats_at(h, '2024-01-31') AS jan, seats_at(h, '2024-03-15') AS mar FROM ledger;
-- no one pays before June 2023: ARPA NULL
SELECT mrr_at(h, '2023-01-01'), paying_customers_at(h, '2023-01-01'), arpa_at(h, '2023-01-01') IS NULL AS arpa_null
FROM ledger;

-- The monthly movements, by hand (each customer's MRR on the day before the
-- month against the day before the next month):
--   2024-01: new 100 + 100 + 29.99 + 100.00 + 80 + 90 = 499.99 (6 customers);
--            customer 5 paid in 2023: inactive
--   2024-02: expansion 50 (1) + 100 (2) = 150; reactivation 60 (5); ending 709.99
--   2024-03: churn 29.99 (3, cancelled 2024-03-31); customer 7 unchanged; ending 680.00
--   2024-04: contraction 100 (1: 150 -> 50); 3 is inactive; ending 580.00
--   2024-05, 2024-06: unchanged
--   2024-07: expansion 40 (6: 80 -> 120); ending 620.00
SELECT period, starting_mrr, new_mrr, expansion_mrr, reactivation_mrr, contraction_mrr,
	   churned_mrr, ending_mrr, customers_at_start, new_customers, churned_customers, customers_at_end
FROM ledger, mrr_movements(h, 'month', '2024-01-01', '2024-08-01');
SELECT period, bridge FROM ledger, mrr_movements(h, 'month', '2024-01-01', '2024-03-01');
-- every row's bridge is mrr_bridge(history, period, next period)
SELECT count(*) AS months,
	   count(*) FILTER (WHERE m.bridge::text = mrr_bridge(h, m.period, (m.period + interval '1 month')::date)::text) AS equal
FROM ledger, mrr_movements(h, 'month', '2023-01-01', '2025-01-01') m;
-- a first period that starts before from_day; quarters
SELECT period, new_mrr, expansion_mrr, reactivation_mrr, churned_mrr, contraction_mrr, ending_mrr
FROM ledger, mrr_movements(h, 'quarter', '2024-02-10', '2024-07-02');

-- the bridge over the first quarter (31 December 2023 against 31 March
-- 2024): new 150 + 200 + 100.00 + 80 + 90 = 620.00 (5 customers), customer 5
-- reactivated with 60; customer 3 came and went inside the quarter and never
-- paid before it, so it is not in the bridge at all
SELECT mrr_bridge(h, '2024-01-01', '2024-04-01') FROM ledger;
-- every accessor works on it
SELECT new_customers(b), reactivated_customers(b), ending_mrr(b), net_new_mrr(b),
	   inactive_customers(b), gross_revenue_retention(b) IS NULL AS grr_null
FROM (SELECT mrr_bridge(h, '2024-01-01', '2024-04-01') AS b FROM ledger) s;
-- the named metrics of the monthly bridges, by hand:
--   2024-01: no starting MRR: rates NULL; ARPA = ASP = 499.99 / 6 = 83.3316...
--   2024-02: gross 0; net (0 - 150 - 60) / 499.99 * 100 = -42.00084...; ARPA 709.99 / 7 = 101.427...; ASP NULL
--   2024-03: gross = net = 29.99 / 709.99 * 100 = 4.22400...; ARPA 680.00 / 6 = 113.33...
--   2024-04: gross = net = 100 / 680 * 100 = 14.70588...
SELECT period, round(gross_mrr_churn_rate(bridge)::numeric, 6) AS gross_churn_pct,
	   round(net_mrr_churn_rate(bridge)::numeric, 6) AS net_churn_pct,
	   round(arpa(bridge), 6) AS arpa, round(asp(bridge), 6) AS asp
FROM ledger, mrr_movements(h, 'month', '2024-01-01', '2024-05-01');
-- seats, by hand: on 2024-01-31 customers 1..7 have 1, 1, 1, 1, 0, 1, 3 = 8 seats; on
-- 2024-02-29 3, 1, 1, 1, 1, 1, 3 = 11 (customer 5 is back with 1: new; customer 1 +2:
-- expansion); on 2024-04-30 2, 1, 0, 1, 1, 1, 5 = 11 (customer 7 +2, customer 1 -1,
-- customer 3's 1 seat churned): seat churn (1 + 1) / 11 = 18.18 %
SELECT (seat_bridge(h, '2024-02-01', '2024-03-01')).*, (seat_bridge(h, '2024-03-01', '2024-05-01')).* FROM ledger;
SELECT pg_temp.expect_error($$SELECT seat_bridge(h, '2024-03-01', '2024-02-01') FROM ledger$$);
-- ChartMogul's LTV for August 2024: ARPA on 31 July 620.00 / 6 over the average
-- customer churn of February..July (0, 1/7, 0, 0, 0, 0: 2.380952 %) = 620 * 42 / 6 = 4340
WITH churn AS (
	SELECT avg(100.0 * churned_customers / customers_at_start) AS avg_churn_pct
	FROM ledger, mrr_movements(h, 'month', '2024-02-01', '2024-08-01')
)
SELECT round(avg_churn_pct, 6) AS avg_churn_pct, round(saas_ltv(arpa_at(h, '2024-07-31'), 100, avg_churn_pct), 2) AS ltv
FROM ledger, churn;
-- a mid-month window: 2024-02-10 .. 2024-02-20 holds customer 2's upgrade only
SELECT mrr_bridge(h, '2024-02-10', '2024-02-20') FROM ledger;

-- per customer and month, the MRR and seats on the month's last day, by hand:
--   January: 6 customers (5 pays nothing) 499.99; February: 7, 709.99;
--   March: 6 (3 has gone), 680.00; April: 6, 580.00 (customer 1: 50.00 with 2 seats)
SELECT period, count(*) AS customers, sum(mrr) AS mrr, sum(seats) AS seats
FROM ledger, customer_mrr(h, 'month', '2024-01-01', '2024-05-01') GROUP BY period ORDER BY period;
SELECT c.* FROM ledger, customer_mrr(h, 'month', '2023-05-01', '2024-05-01') c WHERE customer_id IN (1, 5);
-- revenue cohorts from the ledger (cohort = first month with MRR) agree with
-- revenue_cohort_agg over the plain-SQL month-end MRR of the same subscriptions
-- (equal amounts; the ledger shows them at its scale, 100.00 for 100)
WITH from_ledger AS (
	SELECT revenue_cohort_agg(first_month, period, mrr, 'month') AS r
	FROM (SELECT c.*, min(period) OVER (PARTITION BY customer_id) AS first_month
		  FROM ledger, customer_mrr(h, 'month', '2023-01-01', '2025-01-01') c WHERE c.mrr > 0) x
), from_rows AS (
	SELECT revenue_cohort_agg(first_month, month, mrr, 'month') AS r
	FROM (SELECT customer_id, month, mrr, min(month) OVER (PARTITION BY customer_id) AS first_month
		  FROM (SELECT s.customer_id, m::date AS month, sum(monthly_amount(s.amount, s.billing_period)) AS mrr
				FROM subs s, generate_series(DATE '2023-01-01', DATE '2024-12-01', interval '1 month') m
				WHERE s.started_on <= (m + interval '1 month')::date - 1
				  AND (s.ended_on IS NULL OR (m + interval '1 month')::date - 1 < s.ended_on)
				GROUP BY 1, 2) p
		  WHERE mrr > 0) y
)
SELECT count(*) AS cells,
	   count(*) FILTER (WHERE a.revenue = b.revenue AND a.retention_pct IS NOT DISTINCT FROM b.retention_pct) AS equal
FROM revenue_retention((SELECT r FROM from_ledger)) a
FULL JOIN revenue_retention((SELECT r FROM from_rows)) b USING (cohort, period);
-- the 2023-06 cohort (customer 5): 40 for three months, nothing for five, then 60
SELECT period, revenue, round(retention_pct::numeric, 1) AS pct
FROM ledger, revenue_retention((SELECT revenue_cohort_agg(first_month, period, mrr, 'month')
								FROM (SELECT c.*, min(period) OVER (PARTITION BY customer_id) AS first_month
									  FROM customer_mrr(h, 'month', '2023-01-01', '2024-04-01') c WHERE c.mrr > 0) x))
WHERE cohort = '2023-06-01';
SELECT pg_temp.expect_error($$SELECT * FROM ledger, customer_mrr(h, 'month', '2024-02-01', '2024-01-01')$$);

-- rollup: ledgers of any split of the rows (even one customer's rows apart)
-- merge into the ledger of all rows
SELECT (SELECT rollup(p) FROM (
			SELECT subscription_history_agg(customer_id, started_on, ended_on, amount, billing_period, quantity) AS p
			FROM subs GROUP BY id % 3) s)::text = h::text AS rollup_by_rows,
	   (SELECT rollup(p) FROM (
			SELECT subscription_history_agg(customer_id, started_on, ended_on, amount, billing_period, quantity) AS p
			FROM subs GROUP BY customer_id) s)::text = h::text AS rollup_by_customer
FROM ledger;
-- rollup of stored ledgers, and of a ledger with itself (every amount doubles)
SELECT mrr_at(rollup(h), '2024-07-01') AS doubled FROM (SELECT h FROM ledger UNION ALL SELECT h FROM ledger) s;

-- quantity defaults to 1; a plan ending the day its same-priced successor
-- starts leaves no change on that day
SELECT subscription_history_agg(c, s, e, a, p)
FROM (VALUES (1::bigint, '2024-01-01'::date, '2024-02-01'::date, 10::numeric, '1 month'::interval),
			 (1, '2024-02-01', NULL, 10, '1 month')) v(c, s, e, a, p);
-- monthly_amount rules: 100 a quarter is 33.3333333333, 70 a week 304.375,
-- shown at the ledger's scale, the largest of its amounts (10)
SELECT subscription_history_agg(c, s, NULL, a, p)
FROM (VALUES (1::bigint, '2024-01-01'::date, 100::numeric, '3 months'::interval),
			 (2, '2024-01-01', 70, '1 week')) v(c, s, a, p);

-- NULLs: rows with a NULL customer, start, amount, period or quantity are
-- skipped; no rows give NULL; a zero-length subscription gives an empty ledger
SELECT subscription_history_agg(c, s, e, a, p, q) IS NULL AS all_null
FROM (VALUES (NULL::bigint, '2024-01-01'::date, NULL::date, 1::numeric, '1 month'::interval, 1::numeric),
			 (1, NULL, NULL, 1, '1 month', 1), (1, '2024-01-01', NULL, NULL, '1 month', 1),
			 (1, '2024-01-01', NULL, 1, NULL, 1), (1, '2024-01-01', NULL, 1, '1 month', NULL)) v(c, s, e, a, p, q);
SELECT subscription_history_agg(customer_id, started_on, ended_on, amount, billing_period) IS NULL AS no_rows
FROM subs WHERE false;
SELECT h, customers(h), mrr_at(h, '2024-01-01'), mrr_bridge(h, '2024-01-01', '2024-02-01')
FROM (SELECT subscription_history_agg(1, '2024-01-01', '2024-01-01', 10, '1 month') AS h) s;
SELECT count(*) FROM mrr_movements('{}', 'month', '2024-01-01', '2024-04-01');

-- errors in rows
SELECT pg_temp.expect_error($$SELECT subscription_history_agg(1, '2024-02-01', '2024-01-01', 10, '1 month')$$);
SELECT pg_temp.expect_error($$SELECT subscription_history_agg(1, '2024-01-01', NULL, 10, '1 month 3 days')$$);
SELECT pg_temp.expect_error($$SELECT subscription_history_agg(1, '2024-01-01', NULL, 10, '1 month', -1)$$);
SELECT pg_temp.expect_error($$SELECT subscription_history_agg(1, '2024-01-01', NULL, -10, '1 month')$$);
SELECT pg_temp.expect_error($$SELECT subscription_history_agg(1, '2024-01-01', NULL, 'NaN', '1 month')$$);
SELECT pg_temp.expect_error($$SELECT subscription_history_agg(1, '2024-01-01', NULL, 10, '1 month', 'Infinity')$$);
SELECT pg_temp.expect_error($$SELECT subscription_history_agg(1, '-infinity', NULL, 10, '1 month')$$);
SELECT pg_temp.expect_error($$SELECT subscription_history_agg(1, '2024-01-01', NULL, 1e-21, '1 month')$$);
SELECT pg_temp.expect_error($$SELECT subscription_history_agg(1, '2024-01-01', NULL, 1e40, '1 month')$$);
-- and in the report arguments
SELECT pg_temp.expect_error($$SELECT mrr_bridge(h, '2024-02-01', '2024-02-01') FROM ledger$$);
SELECT pg_temp.expect_error($$SELECT mrr_bridge(h, '-infinity', '2024-02-01') FROM ledger$$);
SELECT pg_temp.expect_error($$SELECT * FROM ledger, mrr_movements(h, 'fortnight', '2024-01-01', '2024-02-01')$$);
SELECT pg_temp.expect_error($$SELECT * FROM ledger, mrr_movements(h, 'day', '2000-01-01', '2400-01-01')$$);

-- text input: round trip, white space, and the empty ledger
SELECT h::text::subscription_history::text = h::text AS round_trip FROM ledger;
SELECT '{ 7 : 2024-01-01  90 3 , 2024-03-01 90 5 ; 9: 2024-01-01 0 1}'::subscription_history;
SELECT '{}'::subscription_history, ' { } '::subscription_history;
SELECT '{-9223372036854775808: 0001-01-01 1 0; 9223372036854775807: 5874897-12-30 0.5 1.25}'::subscription_history;
-- malformed text (22P02) and out-of-range numbers (22003)
SELECT pg_temp.expect_error($$SELECT ''::subscription_history$$);
SELECT pg_temp.expect_error($$SELECT '{1: 2024-01-01 10 1'::subscription_history$$);
SELECT pg_temp.expect_error($$SELECT '{1: 2024-01-01 10}'::subscription_history$$);
SELECT pg_temp.expect_error($$SELECT '{1: 2024-01-0110 1}'::subscription_history$$);
SELECT pg_temp.expect_error($$SELECT '{2: 2024-01-01 10 1; 1: 2024-01-01 10 1}'::subscription_history$$);
SELECT pg_temp.expect_error($$SELECT '{1: 2024-02-01 10 1, 2024-01-01 0 0}'::subscription_history$$);
SELECT pg_temp.expect_error($$SELECT '{1: 2024-01-01 10 1, 2024-02-01 10 1}'::subscription_history$$);
SELECT pg_temp.expect_error($$SELECT '{1: 2024-01-01 0 0}'::subscription_history$$);
SELECT pg_temp.expect_error($$SELECT '{1: 2024-01-01 -10 1}'::subscription_history$$);
SELECT pg_temp.expect_error($$SELECT '{1: 2024-02-30 10 1}'::subscription_history$$);
SELECT pg_temp.expect_error($$SELECT '{1: 2024-01-01 NaN 1}'::subscription_history$$);
SELECT pg_temp.expect_error($$SELECT '{1:}'::subscription_history$$);
SELECT pg_temp.expect_error($$SELECT '{1: 2024-01-01 10 1} x'::subscription_history$$);
SELECT pg_temp.expect_error($$SELECT '{99999999999999999999: 2024-01-01 10 1}'::subscription_history$$);
SELECT pg_temp.expect_error($$SELECT '{1: 2024-01-01 0.000000000000000000001 1}'::subscription_history$$);

-- the renewal wall of doc/revenue.md (the same subscriptions), by hand:
--   Q1 2024: renewals on 02-01 / 03-01 (and 03-15 for customer 2's upgrade):
--            1 (100 and 50), 2 (100 and 200), 3 (29.99), 5 (60), 6 (80), 7 (90, its first
--            plan, ended 03-01, renews only on 02-01): 6 customers, 8 subscriptions, 709.99
--   Q2: 1 (50), 2 (200), 5 (60), 6 (80), 7 (90): 5, 5, 480.00
--   Q3, Q4: customer 6's plan of 120 instead (the first ends on its renewal day 07-01): 5, 5, 520.00
--   January 2025: the five monthly plans and customer 4's annual plan (100.00): 6, 6, 620.00
SELECT r.* FROM ledger, renewals_due(h, '2024-01-01', '2025-01-01', 'quarter') r;
SELECT r.* FROM ledger, renewals_due(h, '2025-01-01', '2025-02-01', 'month') r;

-- seat retention by cohort (a customer's cohort: the first month it has seats on
-- the month's last day), by hand from the seats at each month end:
--   customer  Jan Feb Mar Apr   (5 has 1 seat from June to August 2023, and from February 2024)
--   1          1   3   3   2
--   2          1   1   1   1
--   3          1   1   0   0    (cancelled 2024-03-31)
--   4          1   1   1   1
--   6          1   1   1   1
--   7          3   3   5   5
--   cohort 2024-01: 8, 10, 11, 10 seats: 100 %, 125 %, 137.5 %, 125 %; customer 5 belongs
--   to the cohort of June 2023, before the range, so it is in no cohort shown
SELECT r.* FROM ledger, seat_retention(h, 'month', '2024-01-01', '2024-05-01') r;
-- from June 2023: cohort 2023-06 (customer 5): 1, 1, 1, then 0 from September to
-- January, 1 from February; cohort 2024-01 as above; no other month starts a cohort
SELECT r.cohort, r.period, r.seats, r.retention_pct FROM ledger, seat_retention(h, 'month', '2023-06-01', '2024-05-01') r;
-- the same table as revenue_cohort_agg over the month-end seats of customer_mrr
-- (cohort: first month with seats), over 2023 and 2024
WITH by_agg AS (
	SELECT r.* FROM revenue_retention((
		SELECT revenue_cohort_agg(first_month, period, seats, 'month')
		FROM (SELECT c.*, min(period) OVER (PARTITION BY customer_id) AS first_month
			  FROM ledger, customer_mrr(h, 'month', '2023-01-01', '2025-01-01') c WHERE c.seats > 0) x)) r
)
SELECT count(*) AS cells,
	   count(*) FILTER (WHERE a.seats = b.revenue AND a.retention_pct = b.retention_pct) AS equal
FROM (SELECT r.* FROM ledger, seat_retention(h, 'month', '2023-01-01', '2025-01-01') r) a
FULL JOIN by_agg b USING (cohort, period);
SELECT pg_temp.expect_error($$SELECT seat_retention(h, 'day', '2000-01-01', '2024-01-01') FROM ledger$$);
SELECT pg_temp.expect_error($$SELECT seat_retention(h, 'month', '2024-01-01', '2023-01-01') FROM ledger$$);

DROP TABLE ledger, subs;
