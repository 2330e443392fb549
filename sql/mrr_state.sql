-- mrr_state, the state of mrr() and arr(): text form, the invariants its
-- input checks, the transition, combine and inverse worked by hand, and
-- equality.  The aggregates below expose the state (the extension's own
-- mrr() and arr() only return its sum).

\i sql/include/expect_error.sql

CREATE AGGREGATE mrr_state_of(numeric, interval) (
	SFUNC = mrr_state_add, STYPE = mrr_state, COMBINEFUNC = mrr_state_combine, PARALLEL = SAFE);
CREATE AGGREGATE arr_state_of(numeric, interval) (
	SFUNC = arr_state_add, STYPE = mrr_state, COMBINEFUNC = mrr_state_combine, PARALLEL = SAFE);
CREATE AGGREGATE mrr_state_merge(mrr_state) (
	SFUNC = mrr_state_combine, STYPE = mrr_state, COMBINEFUNC = mrr_state_combine, PARALLEL = SAFE);

-- text form (rows,rows of the largest scale,sum): round trips, spaces allowed
SELECT '(3,2,100.50)'::mrr_state AS two_decimals,
	   ' ( 0 , 0 , 0 ) '::mrr_state AS empty,
	   '(2,2,-5)'::mrr_state AS credit,
	   '(4,1,123456789012345678901234567890123456789.5)'::mrr_state AS past_fixed_point,
	   '(1,1,0.000000000000000000000000000000000000001)'::mrr_state AS scale_39;

-- what the input refuses: a malformed text, then each invariant
SELECT v, pg_temp.expect_error(format('SELECT %L::mrr_state', v)) AS error
FROM (VALUES ('(1,1,5'), ('1,1,5'), ('(1,1)'), ('(1,1,abc)'), ('(1,1,NaN)'), ('(1,1,Infinity)'),
			 ('(-1,0,0)'), ('(99999999999999999999,1,1)'), ('(1,1,5) x'), (''),
			 ('(1,2,5)'),		-- more rows of the largest scale than rows
			 ('(0,0,1)'),		-- a sum without rows
			 ('(0,0,0.0)'),		-- a scale without rows
			 ('(2,0,1.5)'),		-- rows without a row of the largest scale
			 ('(2,1,5)')		-- without decimals every row has the largest scale
	 ) t(v);

-- worked example: four charges, one NULL amount and one NULL period
--   mrr: 100.50 a month -> 100.50 (scale 2), 300 a quarter -> 100 (scale 0),
--        70 a week -> 70 * 30.4375 / 7 = 304.375 (scale 3)
--        sum 504.875, scale 3, one row of scale 3: (3,1,504.875)
--   arr: 100.50 * 12 = 1206.00 (scale 2), 300 * 4 = 1200 (scale 0),
--        70 * 365.25 / 7 = 3652.5 (scale 1)
--        sum 6058.50, scale 2, one row of scale 2: (3,1,6058.50)
CREATE TABLE charges (id int, amount numeric, billing_period interval);
INSERT INTO charges VALUES (1, 100.50, '1 month'), (2, 300, '3 months'), (3, 70, '1 week'),
	(4, NULL, '1 month'), (5, 100, NULL);
SELECT mrr_state_of(amount, billing_period) AS mrr_state, mrr(amount, billing_period),
	   arr_state_of(amount, billing_period) AS arr_state, arr(amount, billing_period),
	   mrr(amount, billing_period) = sum(monthly_amount(amount, billing_period)) AS mrr_is_sum,
	   arr(amount, billing_period)::text = sum(annual_amount(amount, billing_period))::text AS arr_is_sum
FROM charges;
-- only NULL rows: the empty state, and NULL from mrr(); no rows: NULL
SELECT mrr_state_of(amount, billing_period) AS only_nulls, mrr(amount, billing_period) AS mrr_of_nulls
FROM charges WHERE id > 3;
SELECT mrr_state_of(amount, billing_period) IS NULL AS no_rows_state_is_null,
	   mrr(amount, billing_period) IS NULL AS no_rows_mrr_is_null
FROM charges WHERE false;
-- the final function alone
SELECT mrr_state_sum('(3,1,504.875)') AS sum, mrr_state_sum('(0,0,0)') AS empty_sum;

-- combine (the rule of numeric_avg_combine): the larger scale keeps its
-- count, equal scales add theirs
--   (3,1,504.875) + (2,2,1.5)  -> scale 3 stays, 1 row: (5,1,506.375)
--   (3,1,504.875) + (1,1,0.125) -> both scale 3: (4,2,505.000)
--   (2,2,-5) + (1,1,5)          -> (3,3,0); empty states and NULL change nothing
--   10^38 - 1 + 1 leaves fixed point: (2,2,100000000000000000000000000000000000000)
--   1 + 10^-39 needs scale 39: (2,1,1.000000000000000000000000000000000000001)
SELECT mrr_state_merge(s) AS merged, mrr_state_sum(mrr_state_merge(s)) AS sum
FROM (VALUES (1, '(3,1,504.875)'::mrr_state), (1, '(2,2,1.5)'),
			 (2, '(3,1,504.875)'), (2, '(1,1,0.125)'), (2, '(0,0,0)'), (2, NULL),
			 (3, '(2,2,-5)'), (3, '(1,1,5)'),
			 (4, '(1,1,99999999999999999999999999999999999999)'), (4, '(1,1,1)'),
			 (5, '(1,1,1)'), (5, '(1,1,0.000000000000000000000000000000000000001)')) t(g, s)
GROUP BY g ORDER BY g;
-- an empty state first, then rows
SELECT mrr_state_merge(s ORDER BY o) AS empty_first
FROM (VALUES (1, '(0,0,0)'::mrr_state), (2, '(2,1,0.5)')) t(o, s);

-- big amounts take numeric arithmetic and agree with sum(monthly_amount())
SELECT mrr(a, p)::text = sum(monthly_amount(a, p))::text AS big_mrr_same,
	   arr(a, p)::text = sum(annual_amount(a, p))::text AS big_arr_same,
	   mrr(a, p) AS big_mrr
FROM (VALUES (1e40 + 1, '1 year'::interval), (1e40, '1 month'), (-2e40, '1 week'), (0.5, '1 month')) t(a, p);
-- past fixed point and back: 10^38 - 1, then 1 (10^38 needs numeric), then
-- -(10^38 - 1) (the sum is 1 again) and 5: (4,4,6)
SELECT mrr_state_of(a, '1 month' ORDER BY o) AS there_and_back, mrr(a, '1 month' ORDER BY o) AS sum
FROM (VALUES (1, 99999999999999999999999999999999999999), (2, 1),
			 (3, -99999999999999999999999999999999999999), (4, 5)) t(o, a);

-- moving windows: the inverse transition gives the plain sum over the same
-- frame, to the last digit and display scale, also when the row that
-- leaves is the last one of the largest scale (then the frame is summed
-- again) and when the frame holds NULLs
CREATE TABLE ticks AS
SELECT g AS id,
	   CASE WHEN g % 7 = 0 THEN NULL
			ELSE round((g * 37 % 1000)::numeric / 7, g % 4) * CASE WHEN g % 5 = 0 THEN -1 ELSE 1 END END AS amount,
	   (ARRAY['1 month', '3 months', '1 year', '1 week', '13 days']::interval[])[1 + g % 5] AS billing_period
FROM generate_series(1, 300) g;
SELECT count(*) AS frames,
	   count(*) FILTER (WHERE m IS NOT DISTINCT FROM pm AND m::text IS NOT DISTINCT FROM pm::text) AS mrr_same,
	   count(*) FILTER (WHERE a::text IS NOT DISTINCT FROM pa::text) AS arr_same,
	   count(*) FILTER (WHERE m IS NULL) AS null_frames
FROM (SELECT id,
			 mrr(amount, billing_period) OVER w AS m,
			 arr(amount, billing_period) OVER w AS a,
			 (SELECT sum(monthly_amount(t2.amount, t2.billing_period)) FROM ticks t2
			  WHERE t2.id BETWEEN t.id - 3 AND t.id) AS pm,
			 (SELECT sum(annual_amount(t2.amount, t2.billing_period)) FROM ticks t2
			  WHERE t2.id BETWEEN t.id - 3 AND t.id) AS pa
	  FROM ticks t
	  WINDOW w AS (ORDER BY id ROWS BETWEEN 3 PRECEDING AND CURRENT ROW)) s;
-- a frame of one row: id 7's NULL amount gives NULL
SELECT id, mrr(amount, billing_period) OVER (ORDER BY id ROWS BETWEEN CURRENT ROW AND CURRENT ROW) AS m
FROM ticks WHERE id BETWEEN 6 AND 8 ORDER BY id;

-- the support functions outside an aggregate, and removing what was never added
SELECT pg_temp.expect_error($$SELECT mrr_state_add(NULL, 1, '1 month')$$) AS add_outside,
	   pg_temp.expect_error($$SELECT mrr_state_combine('(1,1,1)', '(1,1,1)')$$) AS combine_outside,
	   pg_temp.expect_error($$SELECT mrr_state_remove('(1,1,1)', 1, '1 month')$$) AS remove_outside;
CREATE AGGREGATE mrr_backwards(numeric, interval) (
	SFUNC = mrr_state_remove, STYPE = mrr_state, INITCOND = '(1,1,5)');
SELECT pg_temp.expect_error($$SELECT mrr_backwards(x, '1 month') FROM (VALUES (5), (5)) t(x)$$) AS removed_twice,
	   pg_temp.expect_error($$SELECT mrr_backwards(0.5, '1 month')$$) AS larger_scale_never_added;
SELECT mrr_backwards(x, '1 month') AS removed_once FROM (VALUES (5)) t(x);

-- equality: the same rows and the same sum, whatever the display scale
SELECT '(3,2,100.50)'::mrr_state = '(3,1,100.5)' AS scale_ignored,
	   '(3,2,100.50)'::mrr_state = '(2,1,100.50)' AS rows_differ,
	   '(3,2,100.50)'::mrr_state <> '(3,2,100.51)' AS sums_differ,
	   mrr_state_hash('(3,2,100.50)') = mrr_state_hash('(3,1,100.5)') AS equal_hash,
	   '(4,1,123456789012345678901234567890123456789.5)'::mrr_state
		 = '(4,1,123456789012345678901234567890123456789.50)' AS numeric_form_equal;
-- DISTINCT hashes: (3,2,100.50) = (3,1,100.5) and (2,2,-5) = (2,1,-5.0), so 3
SELECT count(*) AS distinct_states
FROM (SELECT DISTINCT s
	  FROM (VALUES ('(3,2,100.50)'::mrr_state), ('(3,1,100.5)'), ('(0,0,0)'), ('(2,2,-5)'), ('(2,1,-5.0)')) t(s)) d;

DROP TABLE charges, ticks;
DROP AGGREGATE mrr_state_of(numeric, interval), arr_state_of(numeric, interval),
	mrr_state_merge(mrr_state), mrr_backwards(numeric, interval);
