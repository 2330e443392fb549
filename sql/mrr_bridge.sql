-- mrr_movement(), the mrr_bridge summary, its aggregates and accessors

\i sql/include/expect_error.sql

-- classification: NULL MRR counts as 0, NULL paid_before as false
SELECT p, c, b, mrr_movement(p, c, b)
FROM (VALUES (NULL::numeric, 10::numeric, NULL::boolean), (0, 10, false), (0, 10, true),
			 (10, 20, false), (20, 10, true), (10, 0, true), (10, NULL, false),
			 (10, 10.00, true), (0, 0, true), (NULL, NULL, NULL), (0.01, 0.010, NULL)) v(p, c, b);
-- the enum is in bridge order
SELECT enum_range(NULL::mrr_movement_kind);
SELECT pg_temp.expect_error($$SELECT mrr_movement(-1, 10, false)$$);
SELECT pg_temp.expect_error($$SELECT mrr_movement(10, -0.01, false)$$);
SELECT pg_temp.expect_error($$SELECT mrr_movement('NaN', 10, false)$$);
SELECT pg_temp.expect_error($$SELECT mrr_movement(1, 'Infinity', false)$$);
SELECT pg_temp.expect_error($$SELECT mrr_movement(1, 0.000000000000000000001, false)$$);
-- negative zero is zero
SELECT mrr_movement(-0.00, 5, false);

-- a worked example, one row per customer:
--   A  NULL -> 100     first month        new          +100
--   B     0 -> 50      paid before        reactivation  +50
--   C   200 -> 250                        expansion     +50
--   D   300 -> 240.50                     contraction   -59.50
--   E   150 -> 0                          churn        -150
--   F   400 -> 400                        unchanged
--   G  NULL -> NULL                       inactive
--   H   100 -> NULL    NULL current = 0   churn        -100
-- starting = 200 + 300 + 150 + 400 + 100 = 1150
-- ending   = 1150 + 100 + 50 + 50 - 59.50 - 250 = 1040.50 = 100 + 50 + 250 + 240.50 + 400
-- GRR = (1150 - 59.50 - 250) / 1150 * 100 = 840.50 / 1150 * 100 = 73.0869565217...
-- NRR = (1150 + 50 - 59.50 - 250) / 1150 * 100 = 890.50 / 1150 * 100 = 77.4347826086...
-- quick ratio = (100 + 50) / (59.50 + 250) = 150 / 309.50 = 0.4846526655...
--   with reactivation (100 + 50 + 50) / 309.50 = 0.6462035541...
-- customers: at start C D E F H = 5, at end A B C D F = 5 = 5 + 1 new + 1 reactivated - 2 churned
CREATE TABLE months (customer text, segment int, previous numeric, current numeric, paid_before boolean);
INSERT INTO months VALUES
	('A', 1, NULL, 100, NULL), ('B', 1, 0, 50, true), ('C', 2, 200, 250, true),
	('D', 2, 300, 240.50, true), ('E', 3, 150, 0, true), ('F', 3, 400, 400, true),
	('G', 3, NULL, NULL, false), ('H', 4, 100, NULL, true);
SELECT customer, mrr_movement(previous, current, paid_before) FROM months ORDER BY customer;
CREATE TABLE bridge AS SELECT mrr_bridge_agg(previous, current, paid_before) AS b FROM months;
SELECT b FROM bridge;
SELECT starting_mrr(b), new_mrr(b), expansion_mrr(b), reactivation_mrr(b),
	   contraction_mrr(b), churned_mrr(b), ending_mrr(b), net_new_mrr(b)
FROM bridge;
SELECT round(gross_revenue_retention(b)::numeric, 10) AS grr,
	   round(net_revenue_retention(b)::numeric, 10) AS nrr,
	   round(quick_ratio(b)::numeric, 10) AS quick,
	   round(quick_ratio(b, true)::numeric, 10) AS quick_with_reactivation
FROM bridge;
SELECT new_customers(b), expanded_customers(b), reactivated_customers(b), contracted_customers(b),
	   churned_customers(b), unchanged_customers(b), inactive_customers(b),
	   customers_at_start(b), customers_at_end(b)
FROM bridge;
-- the identity, exactly, and against the plain-SQL formulas
SELECT ending_mrr(b) = starting_mrr(b) + new_mrr(b) + expansion_mrr(b) + reactivation_mrr(b)
						 - contraction_mrr(b) - churned_mrr(b) AS identity,
	   ending_mrr(b) = (SELECT sum(current) FROM months) AS ending_is_sum_of_current,
	   starting_mrr(b) = (SELECT sum(previous) FROM months) AS starting_is_sum_of_previous,
	   customers_at_end(b) = customers_at_start(b) + new_customers(b) + reactivated_customers(b)
							 - churned_customers(b) AS customer_identity
FROM bridge;

-- no rows: NULL; rows with no MRR at all are inactive customers
SELECT mrr_bridge_agg(previous, current, paid_before) IS NULL AS no_rows FROM months WHERE false;
SELECT mrr_bridge_agg(NULL::numeric, NULL::numeric, NULL::boolean) FROM generate_series(1, 3);
-- and then the rates are NULL, the amounts 0
SELECT starting_mrr(b), ending_mrr(b), gross_revenue_retention(b) AS grr,
	   net_revenue_retention(b) AS nrr, quick_ratio(b) AS quick
FROM (SELECT mrr_bridge_agg(NULL::numeric, NULL::numeric, NULL::boolean) AS b) s;
-- only gains: quick ratio NULL (nothing lost), retention 100 and 150
SELECT gross_revenue_retention(b), net_revenue_retention(b), quick_ratio(b)
FROM (SELECT mrr_bridge_agg(p, c, false) AS b
	  FROM (VALUES (100::numeric, 150::numeric), (0, 30)) v(p, c)) s;

-- errors inside the aggregate
SELECT pg_temp.expect_error($$SELECT mrr_bridge_agg(p, 1, false) FROM (VALUES (-5::numeric)) v(p)$$);
SELECT pg_temp.expect_error($$SELECT mrr_bridge_agg(1, c, false) FROM (VALUES ('NaN'::numeric)) v(c)$$);
SELECT pg_temp.expect_error($$SELECT mrr_bridge_agg(1, c, false) FROM (VALUES (1e40::numeric)) v(c)$$);
SELECT pg_temp.expect_error($$SELECT mrr_bridge_agg(1, c, false) FROM (VALUES (1.000000000000000000001::numeric)) v(c)$$);
-- sums that outgrow 38 digits: 22003, never a wrong number
SELECT pg_temp.expect_error($$SELECT mrr_bridge_agg(0, 9e37, false) FROM generate_series(1, 2)$$);
-- support functions refuse direct calls
SELECT pg_temp.expect_error($$SELECT mrr_bridge_add(NULL, 1, 2, false)$$);
SELECT pg_temp.expect_error($$SELECT mrr_bridge_combine(b, b) FROM bridge$$);

-- scale: the summary keeps the largest scale it has seen
SELECT mrr_bridge_agg(p, c, false)
FROM (VALUES (1::numeric, 2::numeric), (1.5, 1.250)) v(p, c);

-- text form: round trip, white space, errors
SELECT b::text::mrr_bridge::text = b::text AS round_trip FROM bridge;
SELECT ' { starting_mrr = 10 , new_mrr=0,expansion_mrr=0, reactivation_mrr=0, contraction_mrr=2.5, churned_mrr=0,
  new=0, expansion=0, reactivation=0, contraction=1, churn=0, unchanged=0, inactive=0 } '::mrr_bridge;
SELECT '{starting_mrr=0, new_mrr=0, expansion_mrr=0, reactivation_mrr=0, contraction_mrr=0, churned_mrr=0, new=0, expansion=0, reactivation=0, contraction=0, churn=0, unchanged=0, inactive=0}'::mrr_bridge AS empty;
SELECT pg_temp.expect_error($$SELECT ''::mrr_bridge$$);
SELECT pg_temp.expect_error($$SELECT '{}'::mrr_bridge$$);
SELECT pg_temp.expect_error($$SELECT '{starting_mrr=1}'::mrr_bridge$$);
-- keys out of order
SELECT pg_temp.expect_error($$SELECT '{new_mrr=0, starting_mrr=0, expansion_mrr=0, reactivation_mrr=0, contraction_mrr=0, churned_mrr=0, new=0, expansion=0, reactivation=0, contraction=0, churn=0, unchanged=0, inactive=0}'::mrr_bridge$$);
-- a negative amount, a signed count, a bad number, trailing text
SELECT pg_temp.expect_error($$SELECT '{starting_mrr=-1, new_mrr=0, expansion_mrr=0, reactivation_mrr=0, contraction_mrr=0, churned_mrr=0, new=0, expansion=0, reactivation=0, contraction=0, churn=0, unchanged=0, inactive=0}'::mrr_bridge$$);
SELECT pg_temp.expect_error($$SELECT '{starting_mrr=0, new_mrr=0, expansion_mrr=0, reactivation_mrr=0, contraction_mrr=0, churned_mrr=0, new=+0, expansion=0, reactivation=0, contraction=0, churn=0, unchanged=0, inactive=0}'::mrr_bridge$$);
SELECT pg_temp.expect_error($$SELECT '{starting_mrr=1., new_mrr=0, expansion_mrr=0, reactivation_mrr=0, contraction_mrr=0, churned_mrr=0, new=0, expansion=0, reactivation=0, contraction=0, churn=0, unchanged=1, inactive=0}'::mrr_bridge$$);
SELECT pg_temp.expect_error($$SELECT '{starting_mrr=0, new_mrr=0, expansion_mrr=0, reactivation_mrr=0, contraction_mrr=0, churned_mrr=0, new=0, expansion=0, reactivation=0, contraction=0, churn=0, unchanged=0, inactive=0} x'::mrr_bridge$$);
-- out of range: 22003
SELECT pg_temp.expect_error($$SELECT '{starting_mrr=0, new_mrr=100000000000000000000000000000000000000, expansion_mrr=0, reactivation_mrr=0, contraction_mrr=0, churned_mrr=0, new=1, expansion=0, reactivation=0, contraction=0, churn=0, unchanged=0, inactive=0}'::mrr_bridge$$);
SELECT pg_temp.expect_error($$SELECT '{starting_mrr=0, new_mrr=0.000000000000000000001, expansion_mrr=0, reactivation_mrr=0, contraction_mrr=0, churned_mrr=0, new=1, expansion=0, reactivation=0, contraction=0, churn=0, unchanged=0, inactive=0}'::mrr_bridge$$);
SELECT pg_temp.expect_error($$SELECT '{starting_mrr=0, new_mrr=0, expansion_mrr=0, reactivation_mrr=0, contraction_mrr=0, churned_mrr=0, new=9223372036854775808, expansion=0, reactivation=0, contraction=0, churn=0, unchanged=0, inactive=0}'::mrr_bridge$$);
-- the one I/O policy (src/csm_io.c): the last count too, however long (22003); a count
-- with a fraction or no count at all is 22P02
SELECT pg_temp.expect_error($$SELECT '{starting_mrr=0, new_mrr=0, expansion_mrr=0, reactivation_mrr=0, contraction_mrr=0, churned_mrr=0, new=0, expansion=0, reactivation=0, contraction=0, churn=0, unchanged=0, inactive=123456789012345678901234567890}'::mrr_bridge$$);
SELECT pg_temp.expect_error($$SELECT '{starting_mrr=0, new_mrr=0, expansion_mrr=0, reactivation_mrr=0, contraction_mrr=0, churned_mrr=0, new=0, expansion=0, reactivation=0, contraction=0, churn=0, unchanged=1.0, inactive=0}'::mrr_bridge$$);
SELECT pg_temp.expect_error($$SELECT '{starting_mrr=0, new_mrr=0, expansion_mrr=0, reactivation_mrr=0, contraction_mrr=0, churned_mrr=0, new=0, expansion=0, reactivation=0, contraction=0, churn=0, unchanged=, inactive=0}'::mrr_bridge$$);
-- counts whose total overflows
SELECT pg_temp.expect_error($$SELECT '{starting_mrr=0, new_mrr=1, expansion_mrr=0, reactivation_mrr=0, contraction_mrr=0, churned_mrr=0, new=1, expansion=0, reactivation=0, contraction=0, churn=0, unchanged=0, inactive=9223372036854775807}'::mrr_bridge$$);
-- inconsistent summaries: 22P02
--   MRR without customers, customers without MRR
SELECT pg_temp.expect_error($$SELECT '{starting_mrr=0, new_mrr=5, expansion_mrr=0, reactivation_mrr=0, contraction_mrr=0, churned_mrr=0, new=0, expansion=0, reactivation=0, contraction=0, churn=0, unchanged=0, inactive=0}'::mrr_bridge$$);
SELECT pg_temp.expect_error($$SELECT '{starting_mrr=10, new_mrr=0, expansion_mrr=0, reactivation_mrr=0, contraction_mrr=0, churned_mrr=0, new=0, expansion=0, reactivation=0, contraction=0, churn=1, unchanged=0, inactive=0}'::mrr_bridge$$);
--   starting MRR without customers at the start, or customers at the start without it
SELECT pg_temp.expect_error($$SELECT '{starting_mrr=10, new_mrr=0, expansion_mrr=0, reactivation_mrr=0, contraction_mrr=0, churned_mrr=0, new=0, expansion=0, reactivation=0, contraction=0, churn=0, unchanged=0, inactive=3}'::mrr_bridge$$);
SELECT pg_temp.expect_error($$SELECT '{starting_mrr=0, new_mrr=0, expansion_mrr=0, reactivation_mrr=0, contraction_mrr=0, churned_mrr=0, new=0, expansion=0, reactivation=0, contraction=0, churn=0, unchanged=2, inactive=0}'::mrr_bridge$$);
--   more lost than there was
SELECT pg_temp.expect_error($$SELECT '{starting_mrr=10, new_mrr=0, expansion_mrr=0, reactivation_mrr=0, contraction_mrr=4, churned_mrr=7, new=0, expansion=0, reactivation=0, contraction=1, churn=1, unchanged=0, inactive=0}'::mrr_bridge$$);

-- binary form: version 1, flags 0, seven int64 counts, six numerics
SELECT mrr_bridge_send('{starting_mrr=10, new_mrr=0, expansion_mrr=0, reactivation_mrr=0, contraction_mrr=2.5, churned_mrr=0, new=0, expansion=0, reactivation=0, contraction=1, churn=0, unchanged=0, inactive=0}');

-- rollup of per-segment summaries equals the direct aggregate, whatever
-- the scales of the segments (segment 2 has cents, the others not)
SELECT segment, mrr_bridge_agg(previous, current, paid_before) FROM months GROUP BY segment ORDER BY segment;
SELECT rollup(b)::text = (SELECT b::text FROM bridge) AS rollup_equals_direct
FROM (SELECT mrr_bridge_agg(previous, current, paid_before) AS b FROM months GROUP BY segment) s;
SELECT rollup(b) IS NULL AS rollup_no_rows FROM bridge WHERE false;
SELECT rollup(b)::text = (SELECT b::text FROM bridge) AS rollup_skips_null
FROM (SELECT b FROM bridge UNION ALL SELECT NULL) s;

-- windows: the bridge has no inverse transition, so each frame is a fresh
-- aggregate, and from G on the text no longer shows the cents that left the
-- frame with D
CREATE FUNCTION pg_temp.same_values(a mrr_bridge, b mrr_bridge) RETURNS boolean LANGUAGE sql AS $$
	SELECT (starting_mrr(a), new_mrr(a), expansion_mrr(a), reactivation_mrr(a), contraction_mrr(a),
			churned_mrr(a), new_customers(a), expanded_customers(a), reactivated_customers(a),
			contracted_customers(a), churned_customers(a), unchanged_customers(a), inactive_customers(a))
		 = (starting_mrr(b), new_mrr(b), expansion_mrr(b), reactivation_mrr(b), contraction_mrr(b),
			churned_mrr(b), new_customers(b), expanded_customers(b), reactivated_customers(b),
			contracted_customers(b), churned_customers(b), unchanged_customers(b), inactive_customers(b))
$$;
SELECT customer,
	   mrr_bridge_agg(previous, current, paid_before) OVER w AS moving,
	   pg_temp.same_values(mrr_bridge_agg(previous, current, paid_before) OVER w,
		   (SELECT mrr_bridge_agg(m2.previous, m2.current, m2.paid_before) FROM months m2
			WHERE m2.customer BETWEEN chr(ascii(m.customer) - 2) AND m.customer)) AS same
FROM months m
WINDOW w AS (ORDER BY customer ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)
ORDER BY customer;
SELECT segment, rollup(b) OVER (ORDER BY segment ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
FROM (SELECT segment, mrr_bridge_agg(previous, current, paid_before) AS b FROM months GROUP BY segment) s
ORDER BY segment;

DROP TABLE months, bridge;
