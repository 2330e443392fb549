-- The dbt-labs mrr-playbook sample (test/data/README.md: 121 subscriptions,
-- 55 customers, amounts already monthly, end dates exclusive) through the
-- ledger must give the movements of the hand-written spine + lag() +
-- mrr_bridge_agg query of sql/mrr_playbook.sql, month by month
-- the subscriptions and the hand-written way (as in sql/mrr_playbook.sql
-- and doc/revenue.md)
\i sql/include/mrr_playbook_spine.sql
CREATE TABLE spine_bridges AS
SELECT month, mrr_bridge_agg(previous, current, paid_before) AS b
FROM customer_months GROUP BY month;

-- the ledger way: one aggregate, one call
CREATE TABLE ledger AS
SELECT subscription_history_agg(customer_id, start_date, end_date, monthly_amount, '1 month') AS h
FROM subscriptions;
SELECT customers(h) FROM ledger;

-- customer 1, by hand from its three subscriptions
--   2018-11-01..2019-02-01 at 50, 2019-04-01..2019-06-01 at 50, 2019-06-01..2019-08-01 at 75:
--   2018-11 new 50, 2019-02 churn 50, 2019-04 reactivation 50, 2019-06 expansion 25, 2019-08 churn 75
SELECT h FROM (SELECT subscription_history_agg(customer_id, start_date, end_date, monthly_amount, '1 month') AS h
			   FROM subscriptions WHERE customer_id = 1) s;
SELECT period, mrr_movement(starting_mrr, ending_mrr, period > '2018-11-01')
FROM (SELECT subscription_history_agg(customer_id, start_date, end_date, monthly_amount, '1 month') AS h
	  FROM subscriptions WHERE customer_id = 1) s,
	 mrr_movements(h, 'month', '2018-11-01', '2019-09-01')
WHERE new_mrr + expansion_mrr + reactivation_mrr + contraction_mrr + churned_mrr > 0;

-- month totals, checked with awk on the CSV (subscriptions with
-- start_date <= month < end_date): 2018-01: 1 subscription, 55;
-- 2019-06: 22 subscriptions, 1135
SELECT mrr_at(h, '2018-01-01'), paying_customers_at(h, '2018-01-01'),
	   mrr_at(h, '2019-06-01'), paying_customers_at(h, '2019-06-01') FROM ledger;

-- every month of the spine, every movement and count agrees; only the
-- inactive count differs by definition: the spine has rows for a customer's
-- gap months only (up to its last month), the ledger counts every customer
-- who paid before and pays nothing at either end
SELECT count(*) AS months,
	   count(*) FILTER (WHERE starting_mrr(s.b) = m.starting_mrr AND new_mrr(s.b) = m.new_mrr
						AND expansion_mrr(s.b) = m.expansion_mrr AND reactivation_mrr(s.b) = m.reactivation_mrr
						AND contraction_mrr(s.b) = m.contraction_mrr AND churned_mrr(s.b) = m.churned_mrr
						AND ending_mrr(s.b) = m.ending_mrr) AS mrr_equal,
	   count(*) FILTER (WHERE new_customers(s.b) = new_customers(m.bridge)
						AND expanded_customers(s.b) = expanded_customers(m.bridge)
						AND reactivated_customers(s.b) = reactivated_customers(m.bridge)
						AND contracted_customers(s.b) = contracted_customers(m.bridge)
						AND churned_customers(s.b) = churned_customers(m.bridge)
						AND unchanged_customers(s.b) = unchanged_customers(m.bridge)) AS counts_equal,
	   count(*) FILTER (WHERE inactive_customers(s.b) <= inactive_customers(m.bridge)) AS inactive_at_most
FROM spine_bridges s
JOIN ledger ON true
JOIN LATERAL mrr_movements(h, 'month', '2017-01-01', '2020-03-01') m ON m.period = s.month;
-- and the ledger's months outside the spine are empty
SELECT count(*) AS ledger_months,
	   count(*) FILTER (WHERE period NOT IN (SELECT month FROM spine_bridges)) AS outside_spine,
	   count(*) FILTER (WHERE period NOT IN (SELECT month FROM spine_bridges)
						AND starting_mrr = 0 AND ending_mrr = 0) AS outside_and_empty
FROM ledger, mrr_movements(h, 'month', '2017-01-01', '2020-03-01');

-- the whole history: every customer has churned by 2020-02, and the
-- movements net to zero (the same totals as rollup of the spine's months)
SELECT new_mrr(r), expansion_mrr(r), reactivation_mrr(r), contraction_mrr(r), churned_mrr(r),
	   net_new_mrr(r), new_customers(r), reactivated_customers(r), churned_customers(r)
FROM (SELECT rollup(bridge) AS r FROM ledger, mrr_movements(h, 'month', '2017-01-01', '2020-03-01')) s;
SELECT new_mrr(r), expansion_mrr(r), reactivation_mrr(r), contraction_mrr(r), churned_mrr(r),
	   net_new_mrr(r), new_customers(r), reactivated_customers(r), churned_customers(r)
FROM (SELECT rollup(b) AS r FROM spine_bridges) s;

DROP VIEW customer_months;
DROP TABLE spine_bridges, ledger, subscriptions;
