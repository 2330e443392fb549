-- monthly_amount(), mrr() and arr()

\i sql/include/expect_error.sql

-- worked examples
--   1200 a year     -> 1200 / 12          = 100
--   1200.00 a year  -> 100.00 (the amount's two decimals are kept)
--   300 a quarter   -> 300 / 3            = 100
--   70 a week       -> 70 * 30.4375 / 7   = 304.375 (exact)
--   100 a quarter   -> 33.333... rounded to 10 places = 33.3333333333
--   200 a quarter   -> 66.666... rounded half away from zero = 66.6666666667
--   -30 a year      -> a credit of -2.5
--   10 every 7 days -> 10 * 30.4375 / 7 = 43.482142857142..., rounded = 43.4821428571
--   99.99 a month   -> the amount itself
SELECT monthly_amount(1200, '1 year') AS annual,
	   monthly_amount(1200.00, '12 months') AS annual_cents,
	   monthly_amount(300, '3 months') AS quarterly,
	   monthly_amount(70, '1 week') AS weekly,
	   monthly_amount(100, '3 months') AS third,
	   monthly_amount(200, '3 months') AS two_thirds,
	   monthly_amount(-30, '1 year') AS credit,
	   monthly_amount(10, '7 days') AS seven_days,
	   monthly_amount(99.99, '1 month') AS monthly;
-- negative rounding is half away from zero too: -200 / 3 = -66.6666666667
SELECT monthly_amount(-200, '3 months') AS neg_two_thirds,
	   monthly_amount(-0.00000000005, '1 month') AS tiny_monthly,
-- 0.00000000005 / 12 = 4.1666...e-12: rounded to the amount's 11 places, 0.00000000000
	   monthly_amount(0.00000000005, '1 year') AS tiny_annual,
-- 0.0000000006 / 12 = 0.00000000005 exactly: rounded half up at 10 places
	   monthly_amount(0.0000000006, '1 year') AS half_up,
-- an amount scale above 10 is kept: 1.200000000012 / 12 = 0.100000000001 exactly
	   monthly_amount(1.200000000012, '1 year') AS fine_scale,
-- 2 weeks, 30 days, 2 years, 1 day
	   monthly_amount(140, '2 weeks') AS fortnightly,
	   monthly_amount(30, '30 days') AS thirty_days,
	   monthly_amount(2400, '2 years') AS biennial,
	   monthly_amount(1, '1 day') AS daily;

-- large amounts take the numeric path and round the same way; the plain
-- division would lose digits, so compare with an exact long division:
-- (10^30 + 1) / 12 = 83333333333333333333333333333.41666..., rounds to ...4166666667
SELECT monthly_amount(1e30 + 1, '1 year') AS big_annual,
	   monthly_amount(1e30 + 1, '1 year') = round((1e30 + 1)::numeric(70, 30) / 12, 10) AS agrees;
-- (10^30 + 1) * 30.4375 / 7 = 4348214285714285714285714285718.63392857142..., rounds to ...6339285714
SELECT monthly_amount(1e30 + 1, '1 week') AS big_weekly,
	   monthly_amount(1e30 + 1, '1 week') = round((1e30 + 1)::numeric(70, 30) * 30.4375 / 7, 10) AS agrees;
-- both paths agree with exact long division on many amounts and periods
SELECT count(*) AS disagreements
FROM generate_series(-500, 500) a,
	 (VALUES ('1 month'::interval), ('3 months'), ('1 year'), ('7 mons'), ('1 week'), ('13 days'), ('1 day')) p(period),
	 (VALUES (1::numeric), (0.01), (1e28), (1e35)) f(factor),
	 LATERAL (SELECT a * factor + 0.005 AS amount,
					 CASE WHEN extract(month FROM period) + 12 * extract(year FROM period) > 0
						  THEN (a * factor + 0.005)::numeric(90, 40) / (extract(month FROM period) + 12 * extract(year FROM period))
						  ELSE (a * factor + 0.005)::numeric(90, 40) * 30.4375 / extract(day FROM period) END AS exact) x
WHERE monthly_amount(amount, period) <> round(exact, 10);

-- NULL in, NULL out
SELECT monthly_amount(NULL, '1 month') IS NULL AS null_amount,
	   monthly_amount(1, NULL) IS NULL AS null_period;

-- periods that cannot be normalised: 22023
SELECT pg_temp.expect_error($$SELECT monthly_amount(100, '1 month 15 days')$$);
SELECT pg_temp.expect_error($$SELECT monthly_amount(100, '1 year 1 day')$$);
SELECT pg_temp.expect_error($$SELECT monthly_amount(100, '1 day 1 hour')$$);
SELECT pg_temp.expect_error($$SELECT monthly_amount(100, '30 minutes')$$);
SELECT pg_temp.expect_error($$SELECT monthly_amount(100, '0 days')$$);
SELECT pg_temp.expect_error($$SELECT monthly_amount(100, '-1 month')$$);
SELECT pg_temp.expect_error($$SELECT monthly_amount(100, '-7 days')$$);
SELECT pg_temp.expect_error($$SELECT monthly_amount(100, '1 month -1 day')$$);
-- amounts that are not money: 22023
SELECT pg_temp.expect_error($$SELECT monthly_amount('NaN', '1 month')$$);
SELECT pg_temp.expect_error($$SELECT monthly_amount('Infinity', '1 year')$$);
SELECT pg_temp.expect_error($$SELECT monthly_amount('-Infinity', '1 week')$$);

-- mrr() and arr(): the exact sum of monthly_amount(), NULL rows skipped
CREATE TABLE subscriptions (id int, amount numeric, billing_period interval);
INSERT INTO subscriptions VALUES
	(1, 1200, '1 year'),	-- 100
	(2, 300, '3 months'),	-- 100
	(3, 70, '1 week'),		-- 304.375
	(4, 100, '3 months'),	-- 33.3333333333
	(5, -30, '1 year'),		-- -2.5 (a credit)
	(6, NULL, '1 month'),	-- skipped
	(7, 50, NULL);			-- skipped
-- 100 + 100 + 304.375 + 33.3333333333 - 2.5 = 535.2083333333;
-- ARR sums the annual amounts: 1200 + 4 * 300 + 70 * 365.25 / 7 + 4 * 100 - 30
--   = 1200 + 1200 + 3652.5 + 400 - 30 = 6422.5 (12 times the MRR would be 6422.4999999996)
SELECT mrr(amount, billing_period), arr(amount, billing_period),
	   mrr(amount, billing_period) = sum(monthly_amount(amount, billing_period)) AS equals_sum
FROM subscriptions;
-- no rows, and only NULL rows: NULL
SELECT mrr(amount, billing_period) AS no_rows, arr(amount, billing_period) AS no_rows_arr
FROM subscriptions WHERE false;
SELECT mrr(amount, billing_period) AS null_rows, arr(amount, billing_period) AS null_rows_arr
FROM subscriptions WHERE id > 5;
-- errors inside the aggregate
SELECT pg_temp.expect_error($$SELECT mrr(a, p) FROM (VALUES (1, '1 month 1 day'::interval)) v(a, p)$$);
SELECT pg_temp.expect_error($$SELECT arr(a, p) FROM (VALUES ('NaN'::numeric, '1 month'::interval)) v(a, p)$$);

-- ARR of one plan: an annual plan's is its amount, a monthly plan's 12 times
-- its amount, exactly (1.0 gave 5.0000000004 for 5 a year: 12 * 0.4166666667)
SELECT arr(5, '1 year') AS annual, arr(5, '1 month') AS monthly, arr(5, '12 months') AS twelve_months,
	   arr(5, '2 years') AS biennial, arr(10, '5 months') AS five_months, arr(7, '1 week') AS weekly;
-- by hand: 5, 60, 5, 2.5, 10 * 12 / 5 = 24, 7 * 365.25 / 7 = 365.25
SELECT annual_amount(5, '1 year') AS annual, annual_amount(5, '1 month') AS monthly,
	   annual_amount(100, '7 months') AS seven_months, annual_amount(1, '1 day') AS daily,
	   annual_amount(12.50, '1 month') AS keeps_scale;
-- by hand: 5, 60, 1200 / 7 = 171.428571428571... = 171.4285714286 (10 places),
-- 365.25, 150.00 (the amount's 2 places kept)
SELECT pg_temp.expect_error($$SELECT annual_amount(1, '1 month 1 day')$$);
SELECT pg_temp.expect_error($$SELECT annual_amount('NaN', '1 year')$$);

-- grouped, and as a moving window (inverse transitions are exact)
SELECT id % 2 AS odd, mrr(amount, billing_period) FROM subscriptions GROUP BY 1 ORDER BY 1;
SELECT id, mrr(amount, billing_period) OVER w AS mrr_2, arr(amount, billing_period) OVER w AS arr_2,
	   sum(monthly_amount(amount, billing_period)) OVER w AS plain_2
FROM subscriptions
WINDOW w AS (ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
ORDER BY id;

DROP TABLE subscriptions;
