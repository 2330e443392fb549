-- survey_score: input, output, errors, casts, operators, indexes, classification

\i sql/include/expect_error.sql

-- text input: integers 0..10, surrounding white space allowed
SELECT s::survey_score AS score
FROM (VALUES ('0'), ('10'), (' 7'), ('9 '), ('	5	'), ('+3'), ('-0'), ('007')) v(s);

-- out of range: 22003
SELECT pg_temp.expect_error($$SELECT '11'::survey_score$$);
SELECT pg_temp.expect_error($$SELECT '-1'::survey_score$$);
SELECT pg_temp.expect_error($$SELECT '99999999999999999999'::survey_score$$);
-- not an integer: 22P02, with the input in the message
SELECT pg_temp.expect_error($$SELECT 'abc'::survey_score$$);
SELECT pg_temp.expect_error($$SELECT ''::survey_score$$);
SELECT pg_temp.expect_error($$SELECT '   '::survey_score$$);
SELECT pg_temp.expect_error($$SELECT '9.5'::survey_score$$);
SELECT pg_temp.expect_error($$SELECT '1e1'::survey_score$$);
SELECT pg_temp.expect_error($$SELECT '9 9'::survey_score$$);
SELECT pg_temp.expect_error($$SELECT '+'::survey_score$$);
-- the text is read as a 64-bit integer (src/csm_io.c): beyond it the token is
-- quoted, within it the number is; both 22003; a sign on its own or twice is 22P02
SELECT pg_temp.expect_error($$SELECT '9223372036854775807'::survey_score$$);
SELECT pg_temp.expect_error($$SELECT '9223372036854775808'::survey_score$$);
SELECT pg_temp.expect_error($$SELECT '-9223372036854775808'::survey_score$$);
SELECT pg_temp.expect_error($$SELECT '-9223372036854775809'::survey_score$$);
SELECT pg_temp.expect_error($$SELECT '--1'::survey_score$$);

-- output is the integer
SELECT '10'::survey_score::text, ' 4 '::survey_score::text;

-- casts from integers are assignment casts, range checked
CREATE TABLE answers (id serial PRIMARY KEY, score survey_score);
INSERT INTO answers (score) VALUES (9), (10::smallint), (7::bigint), (3.0), (0);
SELECT id, score FROM answers ORDER BY id;
SELECT pg_temp.expect_error($$INSERT INTO answers (score) VALUES (11)$$);
SELECT pg_temp.expect_error($$INSERT INTO answers (score) VALUES (-1::smallint)$$);
SELECT pg_temp.expect_error($$INSERT INTO answers (score) VALUES (20000000000::bigint)$$);
SELECT pg_temp.expect_error($$INSERT INTO answers (score) VALUES (9.5)$$);
SELECT pg_temp.expect_error($$INSERT INTO answers (score) VALUES (10.5)$$);
SELECT pg_temp.expect_error($$INSERT INTO answers (score) VALUES ('NaN'::numeric)$$);
SELECT count(*) AS still_five FROM answers;
SELECT 8::survey_score, survey_score(10), 6.00::survey_score;

-- to integer: explicit only
SELECT score::integer + 1 AS plus_one FROM answers ORDER BY id;
SELECT score + 1 FROM answers;

-- comparison operators, with survey_score and integer on either side
SELECT a, b, a = b AS eq, a <> b AS ne, a < b AS lt, a <= b AS le, a > b AS gt, a >= b AS ge
FROM (VALUES ('3'::survey_score, '9'::survey_score), ('9', '9'), ('10', '0')) v(a, b);
SELECT count(*) FILTER (WHERE score >= 9) AS ge9, count(*) FILTER (WHERE score < 7) AS lt7,
	   count(*) FILTER (WHERE 9 <= score) AS nine_le, count(*) FILTER (WHERE score = 10) AS eq10,
	   count(*) FILTER (WHERE score <> 10) AS ne10, count(*) FILTER (WHERE 7 > score) AS seven_gt
FROM answers;

-- ORDER BY, DISTINCT, GROUP BY (sort and hash)
SELECT score FROM answers ORDER BY score DESC;
SELECT DISTINCT score FROM answers ORDER BY 1;
SET enable_sort = off;
SELECT score, count(*) FROM answers GROUP BY score ORDER BY score::integer;
RESET enable_sort;
SET enable_hashagg = off;
SELECT score, count(*) FROM answers GROUP BY score ORDER BY score;
RESET enable_hashagg;

-- btree index, also used for comparisons with integer constants
CREATE TABLE many AS SELECT (g % 11)::survey_score AS score, g FROM generate_series(1, 11000) g;
CREATE INDEX many_score ON many (score);
ANALYZE many;
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM many WHERE score = '10';
EXPLAIN (COSTS OFF) SELECT count(*) FROM many WHERE score >= 9;
SELECT count(*) FROM many WHERE score = '10';
SELECT count(*) FROM many WHERE score >= 9;
SELECT count(*) FROM many WHERE score BETWEEN 7 AND 8;
RESET enable_seqscan;
-- equal scores are deduplicated in the btree, as equal integers are
CREATE INDEX many_int ON many ((score::integer));
SELECT pg_relation_size('many_score') <= pg_relation_size('many_int') AS deduplicated_like_integer;

-- hash index and hash partitioning use the hash opclass
CREATE INDEX many_score_hash ON many USING hash (score);
CREATE TABLE parts (score survey_score) PARTITION BY HASH (score);
CREATE TABLE parts_0 PARTITION OF parts FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE parts_1 PARTITION OF parts FOR VALUES WITH (MODULUS 2, REMAINDER 1);
INSERT INTO parts SELECT score FROM many;
SELECT count(*) FROM parts;

-- merge and hash joins
CREATE TABLE labels (score survey_score, label text);
INSERT INTO labels SELECT s, 'score ' || s FROM generate_series(0, 10) s;
SET enable_hashjoin = off; SET enable_nestloop = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM answers a JOIN labels l USING (score);
SELECT count(*) FROM answers a JOIN labels l USING (score);
RESET enable_hashjoin; SET enable_mergejoin = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM answers a JOIN labels l USING (score);
SELECT a.score, l.label FROM answers a JOIN labels l USING (score) ORDER BY a.id;
RESET enable_mergejoin; RESET enable_nestloop;
-- joins and IN between a score column and an integer column, under default settings
CREATE TABLE ints (i integer);
INSERT INTO ints SELECT g FROM generate_series(8, 12) g;
SELECT count(*) AS joined FROM answers a JOIN ints ON a.score = ints.i;
SELECT count(*) AS joined_reversed FROM ints JOIN answers a ON ints.i = a.score;
SELECT count(*) AS in_subquery FROM answers WHERE score IN (SELECT i FROM ints);
DROP TABLE ints;

-- binary send/receive
SELECT survey_score_send('7') AS seven_as_bytes;

-- classification
SELECT s, nps_category(s::survey_score) AS category,
	   is_promoter(s::survey_score) AS promoter,
	   is_passive(s::survey_score) AS passive,
	   is_detractor(s::survey_score) AS detractor
FROM generate_series(0, 10) s;
SELECT nps_category(9::smallint), nps_category(6), nps_category(NULL::integer);
SELECT 'detractor'::nps_category < 'passive'::nps_category AS d_lt_p,
	   'passive'::nps_category < 'promoter'::nps_category AS p_lt_p;
SELECT nps_category(score) AS category, count(*) FROM many GROUP BY 1 ORDER BY 1;
SELECT pg_temp.expect_error($$SELECT nps_category(11)$$);
SELECT pg_temp.expect_error($$SELECT nps_category(-1::smallint)$$);

DROP TABLE answers, many, parts, labels;
