-- mrr_bridge sums on the wide path: amounts of 2^64 units or more, whose
-- products (up to 2^254) are added to the 256-bit sums limb by limb with
-- carries (wideint.h, csm_u256_mul_u128 and csm_u256_add).  Every sum is
-- checked against the exact numeric sum of the products over the customers
-- present at the start (G = least(S, E)).
\set VERBOSITY terse

CREATE FUNCTION pg_temp.sum_of(t text, key text) RETURNS numeric
	LANGUAGE sql IMMUTABLE AS
$$SELECT pg_catalog.substring(t, key || '=([0-9.]+)')::numeric$$;

-- 1. By hand, scale 0 (one unit = 1), one customer each:
--    S = 2^64 = 18446744073709551616, E = 2^64 - 1 (contraction, G = E):
--      sum_s2 = 2^128 = 340282366920938463463374607431768211456
--      sum_e2 = (2^64 - 1)^2 = 2^128 - 2^65 + 1
--             = 340282366920938463426481119284349108225
--      sum_se = 2^64 (2^64 - 1) = 2^128 - 2^64
--             = 340282366920938463444927863358058659840
--      sum_g2 = sum_e2, sum_sg = sum_se
SELECT mrr_bridge_agg(p, c, false)
FROM (VALUES (18446744073709551616::numeric, 18446744073709551615::numeric)) v(p, c);
--    S = 10^38 - 1 (the largest amount), E = 0 (churn, G = 0):
--      sum_s2 = (10^38 - 1)^2 = 10^76 - 2 10^38 + 1
--             = 9999999999999999999999999999999999999800000000000000000000000000000000000001
--      the other sums are 0
SELECT pg_temp.sum_of(t, 'sum_s2') AS sum_s2, pg_temp.sum_of(t, 'sum_e2') AS sum_e2,
	   pg_temp.sum_of(t, 'sum_se') AS sum_se, pg_temp.sum_of(t, 'sum_g2') AS sum_g2,
	   pg_temp.sum_of(t, 'sum_sg') AS sum_sg
FROM (SELECT mrr_bridge_agg(p, c, false)::text AS t
	  FROM (VALUES (99999999999999999999999999999999999999::numeric, 0::numeric)) v(p, c)) b;
--    S = 2^96 - 1 = 79228162514264337593543950335, E = 2 S (expansion, G = S):
--      sum_s2 = sum_g2 = sum_sg = (2^96 - 1)^2 = 2^192 - 2^97 + 1
--             = 6277101735386680763835789423049210091073826769276946612225
--      sum_e2 = 4 sum_s2 = 25108406941546723055343157692196840364295307077107786448900
--      sum_se = 2 sum_s2 = 12554203470773361527671578846098420182147653538553893224450
SELECT pg_temp.sum_of(t, 'sum_s2') AS sum_s2, pg_temp.sum_of(t, 'sum_e2') AS sum_e2,
	   pg_temp.sum_of(t, 'sum_se') AS sum_se, pg_temp.sum_of(t, 'sum_g2') AS sum_g2,
	   pg_temp.sum_of(t, 'sum_sg') AS sum_sg
FROM (SELECT mrr_bridge_agg(p, c, false)::text AS t
	  FROM (VALUES (79228162514264337593543950335::numeric, 158456325028528675187087900670::numeric)) v(p, c)) b;

-- 2. Carries through every limb: customers whose amounts sit at the limb
-- edges (2^64 - 1, 2^64, 2^96 - 1, 2^127 / 2 and near 10^38 / 4 units, at
-- scale 0 and, divided by 10^20, at scale 20), in groups small enough that
-- the starting and ending MRR stay below 10^38 units; each group's five
-- sums against numeric.
CREATE TEMP TABLE edges (grp integer, p numeric, c numeric);
INSERT INTO edges
SELECT grp, p, c
FROM (VALUES (1, 18446744073709551615::numeric, 18446744073709551616::numeric),
			 (1, 18446744073709551616, 18446744073709551615),
			 (1, 18446744073709551615, 18446744073709551615),
			 (1, 1, 18446744073709551615),
			 (1, 18446744073709551615, 0),
			 (2, 79228162514264337593543950335, 79228162514264337593543950336),
			 (2, 79228162514264337593543950336, 79228162514264337593543950335),
			 (2, 79228162514264337593543950335, 1),
			 (2, 4294967295, 79228162514264337593543950335),
			 (3, 24999999999999999999999999999999999999, 24999999999999999999999999999999999999),
			 (3, 24999999999999999999999999999999999999, 12345678901234567890123456789012345678),
			 (3, 24999999999999999999999999999999999999, 24999999999999999999999999999999999998),
			 (3, 24999999999999999999999999999999999999, 0),
			 (4, 85070591730234615865843651857942052863, 1),
			 (4, 1, 14929408269765384134156348142057947136),
			 (5, 9999999999999999999999999999999999999, 9999999999999999999999999999999999999),
			 (5, 3, 18446744073709551617),
			 (5, 18446744073709551617, 3)) v(grp, p, c);
-- the same customers at scale 20 (the same units, 10^20 times smaller amounts)
INSERT INTO edges SELECT grp + 10, p * 0.00000000000000000001, c * 0.00000000000000000001
FROM edges;
SELECT e.grp, scale(max(e.p)) AS scale,
	   pg_temp.sum_of(b.t, 'sum_s2') = sum(e.p * e.p) AS s2_exact,
	   pg_temp.sum_of(b.t, 'sum_e2') = sum(e.c * e.c) AS e2_exact,
	   pg_temp.sum_of(b.t, 'sum_se') = sum(e.p * e.c) AS se_exact,
	   pg_temp.sum_of(b.t, 'sum_g2') = sum(least(e.p, e.c) * least(e.p, e.c)) AS g2_exact,
	   pg_temp.sum_of(b.t, 'sum_sg') = sum(e.p * least(e.p, e.c)) AS sg_exact
FROM edges e
	 JOIN (SELECT grp, mrr_bridge_agg(p, c, false)::text AS t FROM edges GROUP BY grp) b USING (grp)
GROUP BY e.grp, b.t
ORDER BY e.grp;

-- 3. Many customers on the wide path, mixed with the 64-bit one: 20000
-- customer-months whose scale rises to 20 after the first rows (so most
-- amounts pass 2^64 units and the sums pass 2^128 and 2^192), with the
-- rows of scale 2 arriving before and after (the first ones on the 64-bit
-- path, their sums then rescaled); against numeric, then
-- rollup() of four partial bridges against the single aggregate.
CREATE TEMP TABLE wide AS
SELECT g, CASE WHEN g % 7 > 0 THEN (g * 7919 % 1000003)::numeric * 10000000
			+ (g::numeric * 6007 % 99999989) * 0.00000000000000000001 END AS p,
	   CASE WHEN g % 5 > 0 THEN (g * 104729 % 1300021)::numeric * 10000000
			+ (g::numeric * 7 % 99999971) * 0.00000000000000000001 END AS c
FROM generate_series(1, 20000) g;
UPDATE wide SET p = round(p, 2), c = round(c, 2) WHERE g <= 100 OR g > 19900;
SELECT count(*) FILTER (WHERE scale(p) = 20) > 10000 AS mostly_scale_20,
	   count(*) FILTER (WHERE scale(p) = 2) AS scale_2_rows,
	   max(p) * 10::numeric ^ 20 > 2::numeric ^ 64 AS beyond_2_64_units
FROM wide;
WITH b AS (SELECT mrr_bridge_agg(p, c, g % 2 = 0)::text AS t FROM wide),
	 s AS (SELECT sum(p * p) AS s2, sum(coalesce(c, 0) * coalesce(c, 0)) AS e2,
				  sum(p * coalesce(c, 0)) AS se, sum(least(p, coalesce(c, 0)) * least(p, coalesce(c, 0))) AS g2,
				  sum(p * least(p, coalesce(c, 0))) AS sg
		   FROM wide WHERE p > 0)
SELECT pg_temp.sum_of(t, 'sum_s2') = s2 AS s2_exact,
	   pg_temp.sum_of(t, 'sum_e2') = e2 AS e2_exact,
	   pg_temp.sum_of(t, 'sum_se') = se AS se_exact,
	   pg_temp.sum_of(t, 'sum_g2') = g2 AS g2_exact,
	   pg_temp.sum_of(t, 'sum_sg') = sg AS sg_exact,
	   s2 * 10::numeric ^ 40 > 2::numeric ^ 192 AS s2_beyond_2_192_units,
	   length(substring(t FROM 'sum_s2=[0-9]*\.([0-9]*)')) AS sum_decimals
FROM b, s;
SELECT (SELECT rollup(b) FROM (SELECT mrr_bridge_agg(p, c, g % 2 = 0) AS b FROM wide GROUP BY g % 4) q)::text
	   = (SELECT mrr_bridge_agg(p, c, g % 2 = 0) FROM wide)::text AS rollup_equals_whole;
