-- renewal_windows: due dates, outcomes, grace periods, errors, renewal rate

\i sql/include/expect_error.sql

-- the enum order: decided outcomes first
SELECT pg_catalog.enum_range(NULL::renewal_outcome);

-- month ends, leap year: 2024-01-31 + k months, clamped to the month's last day
-- k=1 2024-02-29 (leap), k=2 03-31, k=3 04-30, k=4 05-31, k=5 06-30; the
-- renewal due on as_of (06-30) is included; still active, grace 0: renewed
SELECT * FROM renewal_windows('2024-01-31', '1 month', NULL, '2024-06-30');
-- the same in a common year: 2023-02-28, 2023-03-31 (not 03-28: dates come
-- from the start, not from the previous due date)
SELECT * FROM renewal_windows('2023-01-31', '1 month', NULL, '2023-03-31');
-- a yearly contract from a leap day: 2025-02-28, 2026-02-28, 2027-02-28, 2028-02-29
SELECT * FROM renewal_windows('2024-02-29', '1 year', NULL, '2028-12-31');
-- quarterly from 2023-11-30: 2024-02-29, 2024-05-30, 2024-08-30, 2024-11-30
SELECT * FROM renewal_windows('2023-11-30', '3 months', NULL, '2024-12-31');
-- weekly: 2024-01-01 + 7k days up to 2024-01-29: 01-08, 01-15, 01-22, 01-29
SELECT * FROM renewal_windows('2024-01-01', '1 week', NULL, '2024-01-29');
-- months and days together, months first as for date + interval:
-- k=1 2024-01-31 + 1 month = 02-29, + 1 day = 03-01
-- k=2 + 2 months = 03-31, + 2 days = 04-02; k=3 + 3 months = 04-30, + 3 days = 05-03
SELECT * FROM renewal_windows('2024-01-31', '1 month 1 day', NULL, '2024-05-31');

-- churn exactly on the due date: ended 2024-03-15 <= due 03-15 -> churned at 2,
-- and no rows after it although as_of is at the end of the year
SELECT * FROM renewal_windows('2024-01-15', '1 month', '2024-03-15', '2024-12-31');
-- ended one day after the due date: renewed at 2 (03-16 > 03-15), churned at 3 (03-16 <= 04-15)
SELECT * FROM renewal_windows('2024-01-15', '1 month', '2024-03-16', '2024-12-31');
-- grace: ended 03-20; without grace renewal 2 (due 03-15) renewed, 3 churned;
-- with 7 days grace renewal 2 is decided on 03-22 and 03-20 <= 03-22: churned at 2
SELECT * FROM renewal_windows('2024-01-15', '1 month', '2024-03-20', '2024-12-31');
SELECT * FROM renewal_windows('2024-01-15', '1 month', '2024-03-20', '2024-12-31', '7 days');
-- churn on the last day of grace: ended 03-22 = 03-15 + 7 days -> churned at 2
SELECT * FROM renewal_windows('2024-01-15', '1 month', '2024-03-22', '2024-12-31', '7 days');
-- and the day after: 03-23 > 03-22 -> renewed at 2, churned at 3 (03-23 <= 04-22)
SELECT * FROM renewal_windows('2024-01-15', '1 month', '2024-03-23', '2024-12-31', '7 days');
-- a grace period in months: due 2024-01-31 decided 02-29; ended 02-29 -> churned at 1
SELECT * FROM renewal_windows('2023-12-31', '1 month', '2024-02-29', '2024-12-31', '1 month');

-- pending: 14 days grace, as_of 2024-03-20; renewal 1 due 02-15 decided 02-29
-- <= as_of: renewed; renewal 2 due 03-15 decided 03-29 > as_of: pending
SELECT * FROM renewal_windows('2024-01-15', '1 month', NULL, '2024-03-20', '14 days');
-- a cancellation recorded for 03-25, after as_of: not yet churned on 03-20, so pending
SELECT * FROM renewal_windows('2024-01-15', '1 month', '2024-03-25', '2024-03-20', '14 days');
-- seen on 03-29 (the decision day) it is churned: 03-25 <= 03-29 and 03-25 <= as_of
SELECT * FROM renewal_windows('2024-01-15', '1 month', '2024-03-25', '2024-03-29', '14 days');
-- due on as_of with grace 0 and still active: renewed (active on the due date)
SELECT * FROM renewal_windows('2024-01-15', '1 month', NULL, '2024-02-15');
-- a grace longer than the term: two renewals pending at once
-- due 02-01 decided 04-01, due 03-01 decided 05-01, as_of 03-15
SELECT * FROM renewal_windows('2024-01-01', '1 month', NULL, '2024-03-15', '2 months');

-- churned before the first renewal fell due: that renewal is the churn
SELECT * FROM renewal_windows('2024-01-15', '1 month', '2024-01-20', '2024-12-31');
-- ended on the day it started: churned at renewal 1
SELECT * FROM renewal_windows('2024-01-15', '1 month', '2024-01-15', '2024-12-31');
-- ended_on 'infinity' means never ended, like NULL
SELECT * FROM renewal_windows('2024-01-15', '1 month', 'infinity', '2024-03-15');

-- no renewal due yet: no rows (as_of before the first due date, or before the start)
SELECT count(*) AS no_rows FROM renewal_windows('2024-01-15', '1 month', NULL, '2024-02-14');
SELECT count(*) AS no_rows FROM renewal_windows('2024-01-15', '1 month', NULL, '2023-01-01');
-- NULL anywhere but ended_on: nothing is known, no rows
SELECT count(*) AS no_rows FROM renewal_windows(NULL, '1 month', NULL, '2024-12-31');
SELECT count(*) AS no_rows FROM renewal_windows('2024-01-15', NULL, NULL, '2024-12-31');
SELECT count(*) AS no_rows FROM renewal_windows('2024-01-15', '1 month', NULL, NULL);
SELECT count(*) AS no_rows FROM renewal_windows('2024-01-15', '1 month', NULL, '2024-12-31', NULL);

-- a long daily contract is fine: 2000-01-01 to 2099-12-31 is 36524 days
SELECT count(*), max(renewal_number), max(due_on)
FROM renewal_windows('2000-01-01', '1 day', NULL, '2099-12-31');
-- a churned one stops at the churn however far as_of is
SELECT count(*), max(due_on) FROM renewal_windows('2000-01-01', '1 day', '2000-01-11', '5000-01-01');
-- dates near the end of the date range
SELECT * FROM renewal_windows('5874896-12-31', '1 year', NULL, '5874897-12-31');

-- errors
-- non-positive or negative terms: 22023
SELECT pg_temp.expect_error($$SELECT * FROM renewal_windows('2024-01-15', '0 days', NULL, '2024-12-31')$$);
SELECT pg_temp.expect_error($$SELECT * FROM renewal_windows('2024-01-15', '-1 month', NULL, '2024-12-31')$$);
SELECT pg_temp.expect_error($$SELECT * FROM renewal_windows('2024-01-15', '1 month -1 day', NULL, '2024-12-31')$$);
-- a term with a time of day: 22023
SELECT pg_temp.expect_error($$SELECT * FROM renewal_windows('2024-01-15', '24 hours', NULL, '2024-12-31')$$);
-- negative or fractional-day grace: 22023
SELECT pg_temp.expect_error($$SELECT * FROM renewal_windows('2024-01-15', '1 month', NULL, '2024-12-31', '-1 day')$$);
SELECT pg_temp.expect_error($$SELECT * FROM renewal_windows('2024-01-15', '1 month', NULL, '2024-12-31', '12 hours')$$);
-- end before start: 22008
SELECT pg_temp.expect_error($$SELECT * FROM renewal_windows('2024-01-15', '1 month', '2024-01-14', '2024-12-31')$$);
SELECT pg_temp.expect_error($$SELECT * FROM renewal_windows('2024-01-15', '1 month', '-infinity', '2024-12-31')$$);
-- infinite start or as_of: 22008
SELECT pg_temp.expect_error($$SELECT * FROM renewal_windows('-infinity', '1 month', NULL, '2024-12-31')$$);
SELECT pg_temp.expect_error($$SELECT * FROM renewal_windows('2024-01-15', '1 month', NULL, 'infinity')$$);
-- more than 100000 renewals: 54000 (a daily term over 300 years)
SELECT pg_temp.expect_error($$SELECT * FROM renewal_windows('1800-01-01', '1 day', NULL, '2100-01-01')$$);

-- renewal rate over a book of contracts, with a LATERAL join
CREATE TABLE contracts (id int, started_on date, ended_on date);
INSERT INTO contracts VALUES
	(1, '2023-01-01', NULL),			-- yearly: 2024-01-01 renewed
	(2, '2023-01-01', '2024-01-01'),	-- 2024-01-01 churned (ended on the due date)
	(3, '2022-06-30', '2024-03-01'),	-- 2023-06-30 renewed, 2024-06-30 churned
	(4, '2023-12-31', NULL),			-- 2024-12-31 due after as_of: no row
	(5, '2023-07-15', NULL),			-- 2024-07-15 due, decided 2024-08-14 > as_of: pending
	(6, '2021-02-28', NULL);			-- 2022-02-28, 2023-02-28, 2024-02-28 renewed
-- as_of 2024-08-01, grace 30 days:
-- renewed: 1, 3 (2023), 6 x3 = 5; churned: 2, 3 (2024) = 2; pending: 5 = 1
-- renewal rate = 5 / (5 + 2) = 71.43 %
SELECT c.id, r.*
FROM contracts c,
	 LATERAL renewal_windows(c.started_on, '1 year', c.ended_on, '2024-08-01', '30 days') r
ORDER BY c.id, r.renewal_number;
SELECT count(*) FILTER (WHERE outcome = 'renewed') AS renewed,
	   count(*) FILTER (WHERE outcome = 'churned') AS churned,
	   count(*) FILTER (WHERE outcome = 'pending') AS pending,
	   round(100.0 * count(*) FILTER (WHERE outcome = 'renewed')
			 / count(*) FILTER (WHERE outcome <> 'pending'), 2) AS renewal_rate_pct
FROM contracts c,
	 LATERAL renewal_windows(c.started_on, '1 year', c.ended_on, '2024-08-01', '30 days') r;
-- by due month, pending last in each month (enum order)
SELECT date_trunc('month', due_on)::date AS month, outcome, count(*)
FROM contracts c,
	 LATERAL renewal_windows(c.started_on, '1 year', c.ended_on, '2024-08-01', '30 days') r
GROUP BY 1, 2 ORDER BY 1, 2;
DROP TABLE contracts;
