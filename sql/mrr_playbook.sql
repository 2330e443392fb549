-- From raw subscriptions to the MRR bridge in one query, on the dbt-labs
-- mrr-playbook sample (test/data/README.md: 121 subscriptions, 55 customers,
-- amounts already monthly, end dates exclusive)
-- the subscriptions and the hand-written customer_months view of the doc
-- example (doc/revenue.md)
\i sql/include/mrr_playbook_spine.sql
SELECT count(*) AS subscriptions, count(DISTINCT customer_id) AS customers,
	   min(start_date), max(end_date) FROM subscriptions;

CREATE TABLE bridges AS
SELECT month, mrr_bridge_agg(previous, current, paid_before) AS b
FROM customer_months GROUP BY month;

-- customer 1, by hand from its three subscriptions
--   2018-11-01..2019-02-01 at 50, 2019-04-01..2019-06-01 at 50, 2019-06-01..2019-08-01 at 75:
--   2018-11 new 50, 2019-02 churn 50, 2019-04 reactivation 50, 2019-06 expansion 25, 2019-08 churn 75
SELECT month, previous, current, paid_before, mrr_movement(previous, current, paid_before)
FROM customer_months WHERE customer_id = 1 ORDER BY month;

-- month totals, checked with awk on the CSV (subscriptions with
-- start_date <= month < end_date): 2018-01: 1 subscription, 55;
-- 2019-06: 22 subscriptions, 1135
SELECT month, ending_mrr(b), customers_at_end(b) FROM bridges
WHERE month IN ('2018-01-01', '2019-06-01') ORDER BY month;

-- every month: the identity holds exactly, the ending MRR is the plain-SQL
-- total of active subscriptions, and this month starts where the last one ended
SELECT count(*) AS months,
	   count(*) FILTER (WHERE ending_mrr(b) = starting_mrr(b) + new_mrr(b) + expansion_mrr(b)
						+ reactivation_mrr(b) - contraction_mrr(b) - churned_mrr(b)) AS identity_holds,
	   count(*) FILTER (WHERE ending_mrr(b) = (SELECT coalesce(sum(monthly_amount), 0) FROM subscriptions s
											   WHERE s.start_date <= month AND month < s.end_date)) AS ending_is_plain_total,
	   count(*) FILTER (WHERE starting_mrr(b) = coalesce(previous_ending, 0)) AS continuous
FROM (SELECT month, b, lag(ending_mrr(b)) OVER (ORDER BY month) AS previous_ending FROM bridges) s;

-- the whole history rolled up: new + reactivation - churn customers = 0 in the end
-- (every customer has churned by 2020-02), and the movements net to zero MRR
SELECT new_mrr(r), expansion_mrr(r), reactivation_mrr(r), contraction_mrr(r), churned_mrr(r),
	   net_new_mrr(r), new_customers(r), reactivated_customers(r), churned_customers(r)
FROM (SELECT rollup(b) AS r FROM bridges) s;

-- the rates of one month against their plain-SQL formulas (2019-06 has no
-- reactivations, so the plain quick ratio may count every gain)
SELECT round(gross_revenue_retention(b)::numeric, 10) AS grr,
	   round(net_revenue_retention(b)::numeric, 10) AS nrr,
	   round(quick_ratio(b)::numeric, 10) AS quick_ratio,
	   (SELECT round(100 * (sum(previous) - sum(previous - current) FILTER (WHERE current < previous)) / sum(previous), 10)
		FROM customer_months WHERE month = '2019-06-01') AS plain_grr,
	   (SELECT round(100 * sum(current) FILTER (WHERE previous > 0) / sum(previous), 10)
		FROM customer_months WHERE month = '2019-06-01') AS plain_nrr,
	   (SELECT round(sum(current - coalesce(previous, 0)) FILTER (WHERE current > coalesce(previous, 0))
					 / sum(previous - current) FILTER (WHERE current < previous), 10)
		FROM customer_months WHERE month = '2019-06-01') AS plain_quick_ratio
FROM bridges WHERE month = '2019-06-01';

DROP VIEW customer_months;
DROP TABLE bridges, subscriptions;
