-- customer value formulas: clv, saas_ltv, ltv_cac_ratio, retention_cost, health_score

\i sql/include/expect_error.sql
SET extra_float_digits = 0;

-- clv: $50 a purchase x 4 purchases a year x 5 years = $1,000
SELECT clv(50, 4, 5) AS clv;
-- exact products keep every digit: 49.99 x 2.5 x 3.25 = 124.975 x 3.25 = 406.16875
SELECT clv(49.99, 2.5, 3.25) AS clv, clv(0, 4, 5) AS zero, clv(NULL, 4, 5) IS NULL AS strict;
-- impossible inputs: 22023; an overflowing product: 22003
SELECT pg_temp.expect_error($$SELECT clv(-50, 4, 5)$$);
SELECT pg_temp.expect_error($$SELECT clv(50, -4, 5)$$);
SELECT pg_temp.expect_error($$SELECT clv(50, 4, -5)$$);
SELECT pg_temp.expect_error($$SELECT clv('NaN', 4, 5)$$);
SELECT pg_temp.expect_error($$SELECT clv(50, 'Infinity', 5)$$);
SELECT pg_temp.expect_error($$SELECT clv(1e100000, 1e100000, 10)$$);

-- saas_ltv: ARPA $100 x 100 % margin / 5 % churn = 100 x 1 / 0.05 = $2,000
SELECT saas_ltv(100, 100, 5) AS ltv;
-- $250 x 80 % / 2.5 % = 200 / 0.025 = $8,000
SELECT saas_ltv(250, 80, 2.5) AS ltv;
-- a quotient that does not terminate: 100 x 80 / 3 = 8000 / 3 = 2666.666...,
-- rounded as numeric division rounds it (here to 16 decimal places, the
-- last digit rounded half away from zero)
SELECT saas_ltv(100, 80, 3) AS ltv, 8000 / 3::numeric AS same_as_division;
-- churn 0: NULL rather than infinity; margin 0: 0
SELECT saas_ltv(100, 80, 0) IS NULL AS churn_zero, saas_ltv(100, 0, 5) AS margin_zero,
	   saas_ltv(100, 100, 100) AS all_churn;
-- the churn rate from churn_rate() plugs in directly (10 % churn -> ARPA x margin x 10)
SELECT saas_ltv(120, 75, churn_rate(10, 100)::numeric) AS ltv;
SELECT pg_temp.expect_error($$SELECT saas_ltv(-100, 80, 5)$$);
SELECT pg_temp.expect_error($$SELECT saas_ltv(100, 101, 5)$$);
SELECT pg_temp.expect_error($$SELECT saas_ltv(100, -1, 5)$$);
SELECT pg_temp.expect_error($$SELECT saas_ltv(100, 80, 100.5)$$);
SELECT pg_temp.expect_error($$SELECT saas_ltv(100, 80, -5)$$);
SELECT pg_temp.expect_error($$SELECT saas_ltv(100, 'NaN', 5)$$);

-- ltv_cac_ratio: $3,000 / $1,000 = 3; $1,000 / $3 = 333.33...
SELECT ltv_cac_ratio(3000, 1000) AS three, ltv_cac_ratio(1000, 3) AS third,
	   ltv_cac_ratio(2500, 1000) AS two_and_a_half, ltv_cac_ratio(0, 10) AS zero,
	   ltv_cac_ratio(3000, 0) IS NULL AS cac_zero;
SELECT pg_temp.expect_error($$SELECT ltv_cac_ratio(-3000, 1000)$$);
SELECT pg_temp.expect_error($$SELECT ltv_cac_ratio(3000, -1000)$$);

-- retention_cost: $12,000 over 40 customers = $300; $1,000 over 3 = 333.33...
SELECT retention_cost(12000, 40) AS per_customer, retention_cost(1000, 3) AS third,
	   retention_cost(0, 10) AS zero, retention_cost(500, 0) IS NULL AS no_customers;
SELECT pg_temp.expect_error($$SELECT retention_cost(-1, 10)$$);
SELECT pg_temp.expect_error($$SELECT retention_cost(100, -10)$$);

-- health_score: (80 x 1 + 60 x 2 + 100 x 1) / (1 + 2 + 1) = 300 / 4 = 75
SELECT health_score('{80,60,100}', '{1,2,1}') AS score;
-- (90 x 0.5 + 40 x 0.25 + 70 x 0.25) / 1 = 45 + 10 + 17.5 = 72.5
SELECT health_score('{90,40,70}', '{0.5,0.25,0.25}') AS score;
-- zero weights drop a component: (50 x 1 + 100 x 0) / 1 = 50; bounds 0 and 100
SELECT health_score('{50,100}', '{1,0}') AS score, health_score('{0,0}', '{1,1}') AS zero,
	   health_score('{100,100}', '{3,7}') AS hundred;
-- huge and tiny weights in the ratio 1:2:1 give the same 75 (no overflow, no underflow)
SELECT health_score('{80,60,100}', '{0.5e308,1e308,0.5e308}') AS huge,
	   health_score('{80,60,100}', '{1e-320,2e-320,1e-320}') AS tiny;
-- empty arrays: NULL; NULL arrays: NULL (strict)
SELECT health_score('{}', '{}') IS NULL AS empty, health_score(NULL, '{1}') IS NULL AS strict;
-- non-default lower bounds are read by position
SELECT health_score('[0:1]={20,40}', '[5:6]={1,1}') AS score;
-- errors: 22023
SELECT pg_temp.expect_error($$SELECT health_score('{80,60}', '{1,2,1}')$$);
SELECT pg_temp.expect_error($$SELECT health_score('{}', '{1}')$$);
SELECT pg_temp.expect_error($$SELECT health_score('{80,60}', '{1,-2}')$$);
SELECT pg_temp.expect_error($$SELECT health_score('{80,60}', '{0,0}')$$);
SELECT pg_temp.expect_error($$SELECT health_score('{80,NULL}', '{1,1}')$$);
SELECT pg_temp.expect_error($$SELECT health_score('{80,60}', '{1,NULL}')$$);
SELECT pg_temp.expect_error($$SELECT health_score('{80,101}', '{1,1}')$$);
SELECT pg_temp.expect_error($$SELECT health_score('{-0.5,50}', '{1,1}')$$);
SELECT pg_temp.expect_error($$SELECT health_score('{NaN,50}', '{1,1}')$$);
SELECT pg_temp.expect_error($$SELECT health_score('{50,50}', '{Infinity,1}')$$);
SELECT pg_temp.expect_error($$SELECT health_score('{50,50}', '{NaN,1}')$$);
SELECT pg_temp.expect_error($$SELECT health_score('{{50,50},{60,60}}', '{{1,1},{1,1}}')$$);
SELECT pg_temp.expect_error($$SELECT health_score('{50,50}', '{{1,1}}')$$);
