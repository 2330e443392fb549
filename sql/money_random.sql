-- money.h: its conversions (numeric -> int128 units of 10^-scale -> numeric
-- or text) against numeric's own arithmetic and output, on seeded random
-- amounts of every sign, scale (0 to 24 decimals) and magnitude (0 to 40
-- integer digits), and at the edges of the fixed-point range.  Each random
-- check counts its mismatches, which must be 0; the values and the first
-- mismatches are listed only when there are some.

\i sql/include/expect_error.sql

-- n random decimal digits; deterministic after setseed()
CREATE FUNCTION pg_temp.digits(n integer) RETURNS text LANGUAGE sql VOLATILE AS $$
	SELECT coalesce(string_agg(floor(random() * 10)::integer::text, ''), '')
	FROM generate_series(1, n)
$$;

-- the result of a query as text, or its SQLSTATE
CREATE FUNCTION pg_temp.try(query text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE
	result text;
BEGIN
	EXECUTE query INTO result;
	RETURN result;
EXCEPTION WHEN OTHERS THEN
	RETURN 'ERROR ' || SQLSTATE;
END
$f$;

-- significant digits of v at its own scale, the digits of its units
CREATE FUNCTION pg_temp.unit_digits(v numeric) RETURNS integer LANGUAGE sql AS $$
	SELECT length(ltrim(replace(abs(v)::text, '.', ''), '0'))
$$;

-- amount / divisor * factor rounded half away from zero to S = max(scale,
-- 10) places, trailing zeros dropped down to the amount's scale: the rule
-- of monthly_amount(), in numeric (dividing by a divisor given S + 20
-- places makes numeric's own rounding of the quotient harmless)
CREATE FUNCTION pg_temp.normalised(v numeric, factor numeric, divisor integer)
RETURNS numeric LANGUAGE sql AS $$
	SELECT CASE WHEN scale(t) < scale(v) THEN round(t, scale(v)) ELSE t END
	FROM (SELECT trim_scale(round(v * factor / round(divisor::numeric, greatest(scale(v), 10) + 20),
								  greatest(scale(v), 10))) AS t) r
$$;

SELECT setseed(0.5772);

-- 3000 random amounts, 30% negative (the parts first, so that each random
-- choice is made once), and the edges: the largest amounts of 38 digits,
-- the first of 39, 20 and 21 decimals, int64 units either side of 2^63,
-- and 38 digits whose last base-10000 digit is padded
CREATE TEMP TABLE amount_parts AS
SELECT id, random() < 0.3 AS negative, floor(random() * 41)::integer AS int_digits,
	   floor(random() * 25)::integer AS scale
FROM generate_series(1, 3000) id;
CREATE TEMP TABLE amounts AS
SELECT id, (CASE WHEN negative THEN '-' ELSE '' END || '0' || pg_temp.digits(int_digits) ||
			CASE WHEN scale > 0 THEN '.' || pg_temp.digits(scale) ELSE '' END)::numeric AS v
FROM amount_parts;
INSERT INTO amounts VALUES
	(3001, 99999999999999999999999999999999999999),
	(3002, 100000000000000000000000000000000000000),
	(3003, 999999999999999999.99999999999999999999),
	(3004, 1000000000000000000.00000000000000000000),
	(3005, 0.00000000000000000001),
	(3006, 0.000000000000000000001),
	(3007, 9223372036854775807),
	(3008, 9223372036854775808),
	(3009, 92233720368547758.07),
	(3010, 92233720368547758.08),
	(3011, -9223372036854775808),
	(3012, -9223372036854775809),
	(3013, 0),
	(3014, 0.000),
	(3015, -99999999999999999999999999999999999999.5),
	(3016, 999999999999999999999999999.99999999999);
SELECT count(*) AS amounts, count(*) FILTER (WHERE v < 0) > 800 AS some_negative,
	   count(DISTINCT scale(v)) AS scales, max(pg_temp.unit_digits(v)) > 60 AS some_huge
FROM amounts;

-- 1. One amount a = |v| in and out of an mrr_bridge: mrr_bridge_agg reads
-- it (csm_view_to_fixed), starting_mrr() returns it (csm_fixed_to_numeric),
-- the text form prints it (csm_fixed_append) and its square five times as
-- the sums of the intervals (S = E = G = a: a * a in numeric, with twice
-- the decimals), and a churned customer gives it back negated by
-- net_new_mrr().  An amount of more than 38 digits or 20
-- decimals is out of range (22003), as doc/revenue.md says.
CREATE TEMP TABLE bridge_one AS
SELECT id, a, scale(a) <= 20 AND pg_temp.unit_digits(a) <= 38 AS fits,
	   pg_temp.try(format($q$
		SELECT concat_ws(' | ', starting_mrr(b), b, net_new_mrr(c))
		FROM (SELECT mrr_bridge_agg(x, x, true) AS b, mrr_bridge_agg(x, 0, true) AS c
			  FROM (VALUES (%L::numeric)) v(x)) s$q$, a)) AS got
FROM (SELECT id, abs(v) AS a FROM amounts) t;
CREATE TEMP VIEW bridge_one_expected AS
SELECT id, a, fits, got,
	   CASE WHEN NOT fits THEN 'ERROR 22003'
	   ELSE concat_ws(' | ', a,
					  format('{starting_mrr=%s, new_mrr=%s, expansion_mrr=%s, reactivation_mrr=%s, contraction_mrr=%s, churned_mrr=%s, new=0, expansion=0, reactivation=0, contraction=0, churn=0, unchanged=%s, inactive=%s, sum_s2=%s, sum_e2=%s, sum_se=%s, sum_g2=%s, sum_sg=%s}',
							 a, z, z, z, z, z, (a > 0)::integer, (a = 0)::integer, a * a, a * a, a * a, a * a, a * a),
					  -a) END AS expected
FROM (SELECT *, round(0::numeric, scale(a)) AS z FROM bridge_one) t;
SELECT count(*) AS amounts, count(*) FILTER (WHERE fits) > 1000 AS many_fit,
	   count(*) FILTER (WHERE NOT fits) > 1000 AS many_do_not,
	   count(*) FILTER (WHERE fits AND a * 10::numeric ^ scale(a) >= 9223372036854775808) > 500
		   AS many_beyond_int64_units,
	   count(*) FILTER (WHERE got IS DISTINCT FROM expected) AS mismatches
FROM bridge_one_expected;
SELECT id, a, got, expected FROM bridge_one_expected
WHERE got IS DISTINCT FROM expected ORDER BY id LIMIT 5;
-- the edges, by hand: 38 nines fit and 10^38 does not; 20 decimals fit and
-- 21 do not; 2^63 - 1 units (int64 path) and 2^63 units (text path); 38
-- nines of which 11 decimals, stored as 10 base-10000 digits (40 decimal
-- digits, the last one padding), fit
SELECT id, got FROM bridge_one WHERE id > 3000 ORDER BY id;

-- 2. Sums: in 60 groups of up to 40 customer-months, every amount of the
-- bridge against plain numeric sum() of the same rows.  Group g keeps its
-- amounts below 10^36 units at its largest scale, so no sum outgrows 38
-- digits; scales differ within a group, so amounts are rescaled as rows
-- arrive, and rollup() of three partial bridges rescales them again.
CREATE TEMP TABLE flow_groups AS
SELECT g, floor(random() * 21)::integer AS gscale FROM generate_series(1, 60) g;
CREATE TEMP TABLE flow_parts AS
SELECT g, r, gscale, random() AS x1, random() AS x2, random() AS x3, random() AS x4,
	   random() AS x5, random() AS x6, random() AS x7
FROM flow_groups, generate_series(1, 40) r;
-- an amount of up to 36 - gscale integer digits and gscale decimals
CREATE FUNCTION pg_temp.flow_amount(x1 float8, x2 float8, x3 float8, gscale integer)
RETURNS numeric LANGUAGE sql VOLATILE AS $$
	SELECT CASE WHEN x1 < 0.15 THEN NULL WHEN x1 < 0.3 THEN 0
		   ELSE ('0' || pg_temp.digits(floor(x2 * (37 - gscale))::integer) || '.' ||
				 pg_temp.digits(floor(x3 * (gscale + 1))::integer))::numeric END
$$;
CREATE TEMP TABLE flows AS
SELECT g, r, pg_temp.flow_amount(x1, x2, x3, gscale) AS p,
	   pg_temp.flow_amount(x4, x5, x6, gscale) AS c,
	   CASE WHEN x7 < 0.1 THEN NULL ELSE x7 < 0.6 END AS paid
FROM flow_parts ORDER BY g, r;
CREATE TEMP VIEW flow_expected AS
SELECT g, s, round(starting, s) AS starting, round(new, s) AS new,
	   round(expansion, s) AS expansion, round(reactivation, s) AS reactivation,
	   round(contraction, s) AS contraction, round(churned, s) AS churned,
	   round(ending, s) AS ending, round(ending - starting, s) AS net_new
FROM (SELECT g, coalesce(greatest(max(scale(p)), max(scale(c))), 0) AS s,
			 sum(coalesce(p, 0)) AS starting,
			 coalesce(sum(c) FILTER (WHERE coalesce(p, 0) = 0 AND c > 0 AND NOT coalesce(paid, false)), 0) AS new,
			 coalesce(sum(c - p) FILTER (WHERE p > 0 AND c > p), 0) AS expansion,
			 coalesce(sum(c) FILTER (WHERE coalesce(p, 0) = 0 AND c > 0 AND coalesce(paid, false)), 0) AS reactivation,
			 coalesce(sum(p - c) FILTER (WHERE p > 0 AND c > 0 AND c < p), 0) AS contraction,
			 coalesce(sum(p) FILTER (WHERE p > 0 AND coalesce(c, 0) = 0), 0) AS churned,
			 sum(coalesce(c, 0)) AS ending
	  FROM flows GROUP BY g) t;
CREATE TEMP VIEW flow_got AS
SELECT g, b, starting_mrr(b) AS starting, new_mrr(b) AS new, expansion_mrr(b) AS expansion,
	   reactivation_mrr(b) AS reactivation, contraction_mrr(b) AS contraction,
	   churned_mrr(b) AS churned, ending_mrr(b) AS ending, net_new_mrr(b) AS net_new,
	   (SELECT rollup(part) FROM (SELECT mrr_bridge_agg(p, c, paid ORDER BY r) AS part
								  FROM flows f WHERE f.g = t.g GROUP BY r % 3) parts) AS rolled
FROM (SELECT g, mrr_bridge_agg(p, c, paid ORDER BY r) AS b FROM flows GROUP BY g) t;
SELECT count(*) AS groups, sum(e.s) > 400 AS varied_scales,
	   count(*) FILTER (WHERE e.net_new < 0) > 10 AS some_net_losses,
	   count(*) FILTER (WHERE e.starting * 10::numeric ^ e.s >= 9223372036854775808) > 30
		   AS many_beyond_int64_units,
	   count(*) FILTER (WHERE (e.starting::text, e.new::text, e.expansion::text,
							   e.reactivation::text, e.contraction::text, e.churned::text,
							   e.ending::text, e.net_new::text)
					   IS DISTINCT FROM
					   (o.starting::text, o.new::text, o.expansion::text,
						o.reactivation::text, o.contraction::text, o.churned::text,
						o.ending::text, o.net_new::text)) AS mismatches,
	   count(*) FILTER (WHERE o.rolled::text IS DISTINCT FROM o.b::text) AS rollup_mismatches
FROM flow_expected e JOIN flow_got o USING (g);
SELECT e.*, o.b FROM flow_expected e JOIN flow_got o USING (g)
WHERE (e.starting::text, e.new::text, e.expansion::text, e.reactivation::text,
	   e.contraction::text, e.churned::text, e.ending::text, e.net_new::text)
	  IS DISTINCT FROM
	  (o.starting::text, o.new::text, o.expansion::text, o.reactivation::text,
	   o.contraction::text, o.churned::text, o.ending::text, o.net_new::text)
ORDER BY g LIMIT 3;

-- 3. Sums that outgrow 38 digits are errors (22003), by hand:
-- 6e37 + 4e37 = 10^38 does not fit; 59999...9 (38 digits) + 4e37 = 38 nines does
SELECT pg_temp.expect_error($$SELECT mrr_bridge_agg(p, p, true)
	FROM (VALUES (60000000000000000000000000000000000000::numeric),
				 (40000000000000000000000000000000000000)) v(p)$$);
SELECT starting_mrr(mrr_bridge_agg(p, p, true))
FROM (VALUES (59999999999999999999999999999999999999::numeric),
			 (40000000000000000000000000000000000000)) v(p);
-- a later row with 2 decimals rescales 10^37 to 10^39 units: too many;
-- 10^35 becomes 10^37 units, which fit: 100000000000000000000000000000000000.01
SELECT pg_temp.expect_error($$SELECT mrr_bridge_agg(p, p, true)
	FROM (VALUES (10000000000000000000000000000000000000::numeric), (0.01)) v(p)$$);
SELECT starting_mrr(mrr_bridge_agg(p, p, true))
FROM (VALUES (100000000000000000000000000000000000::numeric), (0.01)) v(p);
-- each stored amount fits (new 6e37, reactivation 6e37) but the ending MRR,
-- 1.2e38, does not: the accessor reports it
SELECT pg_temp.expect_error($$SELECT ending_mrr(mrr_bridge_agg(0, c, paid))
	FROM (VALUES (60000000000000000000000000000000000000::numeric, false),
				 (60000000000000000000000000000000000000, true)) v(c, paid)$$);
-- the text form's largest amount and a negative net new MRR of 38 digits
SELECT mrr_bridge_agg(p, 0, true) AS churned_all,
	   net_new_mrr(mrr_bridge_agg(p, 0, true)) AS net_new
FROM (VALUES (99999999999999999999999999999999999999::numeric)) v(p);

-- 4. monthly_amount() and mrr() for a year (divide by 12), a quarter (by 3)
-- and a week (times 30.4375 / 7), against the same rule in numeric: the
-- fixed-point path for amounts of up to 38 digits at S = max(scale, 10),
-- numeric beyond (and for every weekly amount whose units times 304375
-- outgrow int128), with both signs
CREATE TEMP TABLE periods (period interval, factor numeric, divisor integer);
INSERT INTO periods VALUES ('1 year', 1, 12), ('3 months', 1, 3), ('7 days', 30.4375, 7);
SELECT period, count(*) AS amounts,
	   count(*) FILTER (WHERE pg_temp.unit_digits(v) + greatest(scale(v), 10) - scale(v) <= 38) > 500
		   AS many_fixed_point,
	   count(*) FILTER (WHERE pg_temp.unit_digits(v) + greatest(scale(v), 10) - scale(v) > 38) > 500
		   AS many_numeric,
	   count(*) FILTER (WHERE monthly_amount(v, period)::text
						IS DISTINCT FROM pg_temp.normalised(v, factor, divisor)::text) AS mismatches
FROM amounts, periods GROUP BY period, factor, divisor ORDER BY divisor;
SELECT id, v, period, monthly_amount(v, period), pg_temp.normalised(v, factor, divisor)
FROM amounts, periods
WHERE monthly_amount(v, period)::text IS DISTINCT FROM pg_temp.normalised(v, factor, divisor)::text
ORDER BY id LIMIT 5;
-- annual_amount: the same rounding of the amount a year: 1 for a yearly
-- period, 4 for a quarterly one, 365.25 / 7 for a weekly one
CREATE TEMP TABLE annual_periods (period interval, annual_factor numeric, annual_divisor integer);
INSERT INTO annual_periods VALUES ('1 year', 1, 1), ('3 months', 4, 1), ('7 days', 365.25, 7);
SELECT period, count(*) AS amounts,
	   count(*) FILTER (WHERE annual_amount(v, period)::text
						IS DISTINCT FROM pg_temp.normalised(v, annual_factor, annual_divisor)::text) AS mismatches
FROM amounts, annual_periods GROUP BY period, annual_divisor, annual_factor ORDER BY annual_divisor, annual_factor;
-- mrr() is the exact sum of the monthly amounts, arr() of the annual ones
SELECT count(*) AS groups,
	   count(*) FILTER (WHERE got_mrr::text IS DISTINCT FROM want_mrr::text OR
						got_arr::text IS DISTINCT FROM want_arr::text) AS mismatches
FROM (SELECT id % 50, mrr(v, p.period) AS got_mrr, arr(v, p.period) AS got_arr,
			 sum(pg_temp.normalised(v, factor, divisor)) AS want_mrr,
			 sum(pg_temp.normalised(v, annual_factor, annual_divisor)) AS want_arr
	  FROM amounts, periods p JOIN annual_periods a ON a.period = p.period GROUP BY id % 50) t;
-- by hand: 38 nines a year (48 digits at 10 decimals: numeric) is
-- 8333333333333333333333333333333333333.25, as 12 * 833...33 (37 threes)
-- leaves 3; -(10^39 + 0.5) / 12 = -83333333333333333333333333333333333333.375,
-- as 10^39 leaves 4 and 4.5 / 12 = 0.375; 7e-26 a quarter is 2.33e-26,
-- 2e-26 at its 26 decimals (fixed point)
SELECT monthly_amount(99999999999999999999999999999999999999, '1 year') AS nines_a_year,
	   monthly_amount(-1000000000000000000000000000000000000000.5, '1 year') AS beyond_38_digits,
	   monthly_amount(0.00000000000000000000000007, '3 months') AS tiny_quarter;

DROP TABLE amount_parts, amounts, bridge_one, flow_groups, flow_parts, flows, periods, annual_periods CASCADE;
