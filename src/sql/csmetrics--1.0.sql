-- csmetrics 1.0: customer-success metrics as native, parallel PostgreSQL aggregates
--
-- Every function here is safe to run under a hostile search_path: no
-- CREATE OR REPLACE, no IF NOT EXISTS, built-ins used in SQL bodies are
-- qualified with pg_catalog, and our own objects with @extschema@.

\echo Use "CREATE EXTENSION csmetrics" to load this file. \quit

--------------------------------------------------------------------------
-- survey_score: one answer on the 0-10 "how likely are you to recommend" scale
--------------------------------------------------------------------------

CREATE TYPE survey_score;

CREATE FUNCTION survey_score_in(cstring) RETURNS survey_score
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survey_score_out(survey_score) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survey_score_recv(internal) RETURNS survey_score
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survey_score_send(survey_score) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION survey_score_in(cstring) IS 'survey_score text input';
COMMENT ON FUNCTION survey_score_out(survey_score) IS 'survey_score text output';
COMMENT ON FUNCTION survey_score_recv(internal) IS 'survey_score binary input';
COMMENT ON FUNCTION survey_score_send(survey_score) IS 'survey_score binary output';

-- one byte, passed by value: the smallest storage that holds 0..10
CREATE TYPE survey_score (
	INPUT = survey_score_in,
	OUTPUT = survey_score_out,
	RECEIVE = survey_score_recv,
	SEND = survey_score_send,
	INTERNALLENGTH = 1,
	PASSEDBYVALUE,
	ALIGNMENT = char,
	STORAGE = plain
);
COMMENT ON TYPE survey_score IS 'an answer on the 0-10 Net Promoter scale';

-- casts: integers in by assignment (range checked), integer out explicitly
CREATE FUNCTION survey_score(smallint) RETURNS survey_score
	AS 'MODULE_PATHNAME', 'survey_score_from_int2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survey_score(integer) RETURNS survey_score
	AS 'MODULE_PATHNAME', 'survey_score_from_int4' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survey_score(bigint) RETURNS survey_score
	AS 'MODULE_PATHNAME', 'survey_score_from_int8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survey_score(numeric) RETURNS survey_score
	AS 'MODULE_PATHNAME', 'survey_score_from_numeric' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION int4(survey_score) RETURNS integer
	AS 'MODULE_PATHNAME', 'survey_score_to_int4' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION survey_score(smallint) IS 'convert a smallint 0..10 to survey_score';
COMMENT ON FUNCTION survey_score(integer) IS 'convert an integer 0..10 to survey_score';
COMMENT ON FUNCTION survey_score(bigint) IS 'convert a bigint 0..10 to survey_score';
COMMENT ON FUNCTION survey_score(numeric) IS 'convert a whole numeric 0..10 to survey_score';
COMMENT ON FUNCTION int4(survey_score) IS 'convert survey_score to integer';

CREATE CAST (smallint AS survey_score) WITH FUNCTION survey_score(smallint) AS ASSIGNMENT;
CREATE CAST (integer AS survey_score) WITH FUNCTION survey_score(integer) AS ASSIGNMENT;
CREATE CAST (bigint AS survey_score) WITH FUNCTION survey_score(bigint) AS ASSIGNMENT;
CREATE CAST (numeric AS survey_score) WITH FUNCTION survey_score(numeric) AS ASSIGNMENT;
CREATE CAST (survey_score AS integer) WITH FUNCTION int4(survey_score);

-- comparison: survey_score with survey_score, and with integer either way round
CREATE FUNCTION survey_score_eq(survey_score, survey_score) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION survey_score_ne(survey_score, survey_score) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION survey_score_lt(survey_score, survey_score) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION survey_score_le(survey_score, survey_score) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION survey_score_gt(survey_score, survey_score) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION survey_score_ge(survey_score, survey_score) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION survey_score_cmp(survey_score, survey_score) RETURNS integer
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;

CREATE FUNCTION survey_score_int4_eq(survey_score, integer) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION survey_score_int4_ne(survey_score, integer) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION survey_score_int4_lt(survey_score, integer) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION survey_score_int4_le(survey_score, integer) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION survey_score_int4_gt(survey_score, integer) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION survey_score_int4_ge(survey_score, integer) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION survey_score_int4_cmp(survey_score, integer) RETURNS integer
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;

CREATE FUNCTION int4_survey_score_eq(integer, survey_score) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION int4_survey_score_ne(integer, survey_score) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION int4_survey_score_lt(integer, survey_score) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION int4_survey_score_le(integer, survey_score) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION int4_survey_score_gt(integer, survey_score) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION int4_survey_score_ge(integer, survey_score) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION int4_survey_score_cmp(integer, survey_score) RETURNS integer
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;

CREATE FUNCTION survey_score_hash(survey_score) RETURNS integer
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION survey_score_hash_extended(survey_score, bigint) RETURNS bigint
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;

COMMENT ON FUNCTION survey_score_eq(survey_score, survey_score) IS 'equal';
COMMENT ON FUNCTION survey_score_ne(survey_score, survey_score) IS 'not equal';
COMMENT ON FUNCTION survey_score_lt(survey_score, survey_score) IS 'less than';
COMMENT ON FUNCTION survey_score_le(survey_score, survey_score) IS 'less than or equal';
COMMENT ON FUNCTION survey_score_gt(survey_score, survey_score) IS 'greater than';
COMMENT ON FUNCTION survey_score_ge(survey_score, survey_score) IS 'greater than or equal';
COMMENT ON FUNCTION survey_score_cmp(survey_score, survey_score) IS 'btree comparison';
COMMENT ON FUNCTION survey_score_int4_eq(survey_score, integer) IS 'equal';
COMMENT ON FUNCTION survey_score_int4_ne(survey_score, integer) IS 'not equal';
COMMENT ON FUNCTION survey_score_int4_lt(survey_score, integer) IS 'less than';
COMMENT ON FUNCTION survey_score_int4_le(survey_score, integer) IS 'less than or equal';
COMMENT ON FUNCTION survey_score_int4_gt(survey_score, integer) IS 'greater than';
COMMENT ON FUNCTION survey_score_int4_ge(survey_score, integer) IS 'greater than or equal';
COMMENT ON FUNCTION survey_score_int4_cmp(survey_score, integer) IS 'btree comparison';
COMMENT ON FUNCTION int4_survey_score_eq(integer, survey_score) IS 'equal';
COMMENT ON FUNCTION int4_survey_score_ne(integer, survey_score) IS 'not equal';
COMMENT ON FUNCTION int4_survey_score_lt(integer, survey_score) IS 'less than';
COMMENT ON FUNCTION int4_survey_score_le(integer, survey_score) IS 'less than or equal';
COMMENT ON FUNCTION int4_survey_score_gt(integer, survey_score) IS 'greater than';
COMMENT ON FUNCTION int4_survey_score_ge(integer, survey_score) IS 'greater than or equal';
COMMENT ON FUNCTION int4_survey_score_cmp(integer, survey_score) IS 'btree comparison';
COMMENT ON FUNCTION survey_score_hash(survey_score) IS 'hash';
COMMENT ON FUNCTION survey_score_hash_extended(survey_score, bigint) IS 'hash with seed';

CREATE OPERATOR = (LEFTARG = survey_score, RIGHTARG = survey_score, FUNCTION = survey_score_eq,
	COMMUTATOR = =, NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES);
CREATE OPERATOR <> (LEFTARG = survey_score, RIGHTARG = survey_score, FUNCTION = survey_score_ne,
	COMMUTATOR = <>, NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR < (LEFTARG = survey_score, RIGHTARG = survey_score, FUNCTION = survey_score_lt,
	COMMUTATOR = >, NEGATOR = >=, RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR <= (LEFTARG = survey_score, RIGHTARG = survey_score, FUNCTION = survey_score_le,
	COMMUTATOR = >=, NEGATOR = >, RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR > (LEFTARG = survey_score, RIGHTARG = survey_score, FUNCTION = survey_score_gt,
	COMMUTATOR = <, NEGATOR = <=, RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR >= (LEFTARG = survey_score, RIGHTARG = survey_score, FUNCTION = survey_score_ge,
	COMMUTATOR = <=, NEGATOR = <, RESTRICT = scalargesel, JOIN = scalargejoinsel);

CREATE OPERATOR = (LEFTARG = survey_score, RIGHTARG = integer, FUNCTION = survey_score_int4_eq,
	COMMUTATOR = =, NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel, MERGES);
CREATE OPERATOR <> (LEFTARG = survey_score, RIGHTARG = integer, FUNCTION = survey_score_int4_ne,
	COMMUTATOR = <>, NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR < (LEFTARG = survey_score, RIGHTARG = integer, FUNCTION = survey_score_int4_lt,
	COMMUTATOR = >, NEGATOR = >=, RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR <= (LEFTARG = survey_score, RIGHTARG = integer, FUNCTION = survey_score_int4_le,
	COMMUTATOR = >=, NEGATOR = >, RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR > (LEFTARG = survey_score, RIGHTARG = integer, FUNCTION = survey_score_int4_gt,
	COMMUTATOR = <, NEGATOR = <=, RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR >= (LEFTARG = survey_score, RIGHTARG = integer, FUNCTION = survey_score_int4_ge,
	COMMUTATOR = <=, NEGATOR = <, RESTRICT = scalargesel, JOIN = scalargejoinsel);

CREATE OPERATOR = (LEFTARG = integer, RIGHTARG = survey_score, FUNCTION = int4_survey_score_eq,
	COMMUTATOR = =, NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel, MERGES);
CREATE OPERATOR <> (LEFTARG = integer, RIGHTARG = survey_score, FUNCTION = int4_survey_score_ne,
	COMMUTATOR = <>, NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR < (LEFTARG = integer, RIGHTARG = survey_score, FUNCTION = int4_survey_score_lt,
	COMMUTATOR = >, NEGATOR = >=, RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR <= (LEFTARG = integer, RIGHTARG = survey_score, FUNCTION = int4_survey_score_le,
	COMMUTATOR = >=, NEGATOR = >, RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR > (LEFTARG = integer, RIGHTARG = survey_score, FUNCTION = int4_survey_score_gt,
	COMMUTATOR = <, NEGATOR = <=, RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR >= (LEFTARG = integer, RIGHTARG = survey_score, FUNCTION = int4_survey_score_ge,
	COMMUTATOR = <=, NEGATOR = <, RESTRICT = scalargesel, JOIN = scalargejoinsel);

-- btree (ORDER BY, indexes, merge joins) with integer comparisons in the family
CREATE OPERATOR CLASS survey_score_ops DEFAULT FOR TYPE survey_score USING btree AS
	OPERATOR 1 <,
	OPERATOR 2 <=,
	OPERATOR 3 =,
	OPERATOR 4 >=,
	OPERATOR 5 >,
	FUNCTION 1 survey_score_cmp(survey_score, survey_score);

ALTER OPERATOR FAMILY survey_score_ops USING btree ADD
	OPERATOR 1 < (survey_score, integer),
	OPERATOR 2 <= (survey_score, integer),
	OPERATOR 3 = (survey_score, integer),
	OPERATOR 4 >= (survey_score, integer),
	OPERATOR 5 > (survey_score, integer),
	FUNCTION 1 (survey_score, integer) survey_score_int4_cmp(survey_score, integer),
	OPERATOR 1 < (integer, survey_score),
	OPERATOR 2 <= (integer, survey_score),
	OPERATOR 3 = (integer, survey_score),
	OPERATOR 4 >= (integer, survey_score),
	OPERATOR 5 > (integer, survey_score),
	FUNCTION 1 (integer, survey_score) int4_survey_score_cmp(integer, survey_score);

-- hash (GROUP BY, DISTINCT and joins by hashing, hash partitioning)
CREATE OPERATOR CLASS survey_score_ops DEFAULT FOR TYPE survey_score USING hash AS
	OPERATOR 1 =,
	FUNCTION 1 survey_score_hash(survey_score),
	FUNCTION 2 survey_score_hash_extended(survey_score, bigint);

--------------------------------------------------------------------------
-- NPS classification of a single answer
--------------------------------------------------------------------------

CREATE TYPE nps_category AS ENUM ('detractor', 'passive', 'promoter');
COMMENT ON TYPE nps_category IS 'NPS class of an answer: detractor (0-6) < passive (7-8) < promoter (9-10)';

CREATE FUNCTION nps_category(survey_score) RETURNS nps_category
	AS 'MODULE_PATHNAME', 'survey_score_nps_category' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION nps_category(smallint) RETURNS nps_category
	AS 'MODULE_PATHNAME', 'int2_nps_category' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION nps_category(integer) RETURNS nps_category
	AS 'MODULE_PATHNAME', 'int4_nps_category' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION is_promoter(survey_score) RETURNS boolean
	AS 'MODULE_PATHNAME', 'survey_score_is_promoter' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION is_passive(survey_score) RETURNS boolean
	AS 'MODULE_PATHNAME', 'survey_score_is_passive' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION is_detractor(survey_score) RETURNS boolean
	AS 'MODULE_PATHNAME', 'survey_score_is_detractor' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION nps_category(survey_score) IS 'NPS class of an answer';
COMMENT ON FUNCTION nps_category(smallint) IS 'NPS class of an answer 0..10';
COMMENT ON FUNCTION nps_category(integer) IS 'NPS class of an answer 0..10';
COMMENT ON FUNCTION is_promoter(survey_score) IS 'true for 9 and 10';
COMMENT ON FUNCTION is_passive(survey_score) IS 'true for 7 and 8';
COMMENT ON FUNCTION is_detractor(survey_score) IS 'true for 0 to 6';

--------------------------------------------------------------------------
-- survey_summary: answers counted at each score 0..10, the state of every
-- survey aggregate and a value to store and roll up
--------------------------------------------------------------------------

CREATE TYPE survey_summary;

CREATE FUNCTION survey_summary_in(cstring) RETURNS survey_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survey_summary_out(survey_summary) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survey_summary_recv(internal) RETURNS survey_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survey_summary_send(survey_summary) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION survey_summary_in(cstring) IS 'survey_summary text input';
COMMENT ON FUNCTION survey_summary_out(survey_summary) IS 'survey_summary text output';
COMMENT ON FUNCTION survey_summary_recv(internal) IS 'survey_summary binary input';
COMMENT ON FUNCTION survey_summary_send(survey_summary) IS 'survey_summary binary output';

-- stored plain: 96 bytes, read in place without a detoasting copy
CREATE TYPE survey_summary (
	INPUT = survey_summary_in,
	OUTPUT = survey_summary_out,
	RECEIVE = survey_summary_recv,
	SEND = survey_summary_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = plain
);
COMMENT ON TYPE survey_summary IS 'counts of survey answers at each score 0..10';

-- aggregate support (not meant to be called directly)
CREATE FUNCTION survey_summary_add_score(survey_summary, survey_score) RETURNS survey_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION survey_summary_add_int2(survey_summary, smallint) RETURNS survey_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION survey_summary_add_int4(survey_summary, integer) RETURNS survey_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION survey_summary_remove_score(survey_summary, survey_score) RETURNS survey_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION survey_summary_remove_int2(survey_summary, smallint) RETURNS survey_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION survey_summary_remove_int4(survey_summary, integer) RETURNS survey_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION survey_summary_combine(survey_summary, survey_summary) RETURNS survey_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION survey_summary_uncombine(survey_summary, survey_summary) RETURNS survey_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION survey_summary_nonempty(survey_summary) RETURNS survey_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION survey_summary_add_score(survey_summary, survey_score) IS 'survey aggregate transition function';
COMMENT ON FUNCTION survey_summary_add_int2(survey_summary, smallint) IS 'survey aggregate transition function';
COMMENT ON FUNCTION survey_summary_add_int4(survey_summary, integer) IS 'survey aggregate transition function';
COMMENT ON FUNCTION survey_summary_remove_score(survey_summary, survey_score) IS 'survey aggregate inverse transition function';
COMMENT ON FUNCTION survey_summary_remove_int2(survey_summary, smallint) IS 'survey aggregate inverse transition function';
COMMENT ON FUNCTION survey_summary_remove_int4(survey_summary, integer) IS 'survey aggregate inverse transition function';
COMMENT ON FUNCTION survey_summary_combine(survey_summary, survey_summary) IS 'survey aggregate combine function';
COMMENT ON FUNCTION survey_summary_uncombine(survey_summary, survey_summary) IS 'rollup inverse transition function';
COMMENT ON FUNCTION survey_summary_nonempty(survey_summary) IS 'survey aggregate moving final function';

-- accessors
CREATE FUNCTION responses(survey_summary) RETURNS bigint
	AS 'MODULE_PATHNAME', 'survey_summary_responses_fn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION promoters(survey_summary) RETURNS bigint
	AS 'MODULE_PATHNAME', 'survey_summary_promoters' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION passives(survey_summary) RETURNS bigint
	AS 'MODULE_PATHNAME', 'survey_summary_passives' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION detractors(survey_summary) RETURNS bigint
	AS 'MODULE_PATHNAME', 'survey_summary_detractors' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION score_count(survey_summary, score integer) RETURNS bigint
	AS 'MODULE_PATHNAME', 'survey_summary_score_count' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mean_score(survey_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'survey_summary_mean_score' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION responses(survey_summary) IS 'number of answers';
COMMENT ON FUNCTION promoters(survey_summary) IS 'number of answers of 9 or 10';
COMMENT ON FUNCTION passives(survey_summary) IS 'number of answers of 7 or 8';
COMMENT ON FUNCTION detractors(survey_summary) IS 'number of answers of 0 to 6';
COMMENT ON FUNCTION score_count(survey_summary, integer) IS 'number of answers at one score';
COMMENT ON FUNCTION mean_score(survey_summary) IS 'mean answer, NULL without answers';

-- two-step aggregation: build a summary, merge summaries
CREATE AGGREGATE survey_agg(survey_score) (
	SFUNC = survey_summary_add_score, STYPE = survey_summary,
	COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_add_score, MINVFUNC = survey_summary_remove_score,
	MSTYPE = survey_summary, MFINALFUNC = survey_summary_nonempty,
	PARALLEL = SAFE
);
CREATE AGGREGATE survey_agg(smallint) (
	SFUNC = survey_summary_add_int2, STYPE = survey_summary,
	COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_add_int2, MINVFUNC = survey_summary_remove_int2,
	MSTYPE = survey_summary, MFINALFUNC = survey_summary_nonempty,
	PARALLEL = SAFE
);
CREATE AGGREGATE survey_agg(integer) (
	SFUNC = survey_summary_add_int4, STYPE = survey_summary,
	COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_add_int4, MINVFUNC = survey_summary_remove_int4,
	MSTYPE = survey_summary, MFINALFUNC = survey_summary_nonempty,
	PARALLEL = SAFE
);
CREATE AGGREGATE rollup(survey_summary) (
	SFUNC = survey_summary_combine, STYPE = survey_summary,
	COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_combine, MINVFUNC = survey_summary_uncombine,
	MSTYPE = survey_summary, MFINALFUNC = survey_summary_nonempty,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE survey_agg(survey_score) IS 'summary of survey answers';
COMMENT ON AGGREGATE survey_agg(smallint) IS 'summary of survey answers 0..10';
COMMENT ON AGGREGATE survey_agg(integer) IS 'summary of survey answers 0..10';
COMMENT ON AGGREGATE rollup(survey_summary) IS 'merge survey summaries';

--------------------------------------------------------------------------
-- Net Promoter Score
--------------------------------------------------------------------------

CREATE FUNCTION nps(survey_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'survey_summary_nps' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION promoter_pct(survey_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'survey_summary_promoter_pct' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION passive_pct(survey_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'survey_summary_passive_pct' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION detractor_pct(survey_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'survey_summary_detractor_pct' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION nps_stderr(survey_summary, adjusted boolean DEFAULT false) RETURNS double precision
	AS 'MODULE_PATHNAME', 'survey_summary_nps_stderr' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION nps_lower(survey_summary, confidence double precision DEFAULT 0.95,
						  adjusted boolean DEFAULT false) RETURNS double precision
	AS 'MODULE_PATHNAME', 'survey_summary_nps_lower' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION nps_upper(survey_summary, confidence double precision DEFAULT 0.95,
						  adjusted boolean DEFAULT false) RETURNS double precision
	AS 'MODULE_PATHNAME', 'survey_summary_nps_upper' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION nps(survey_summary) IS 'Net Promoter Score in -100..100, NULL without answers';
COMMENT ON FUNCTION promoter_pct(survey_summary) IS 'percentage of promoters';
COMMENT ON FUNCTION passive_pct(survey_summary) IS 'percentage of passives';
COMMENT ON FUNCTION detractor_pct(survey_summary) IS 'percentage of detractors';
COMMENT ON FUNCTION nps_stderr(survey_summary, boolean) IS 'standard error of the NPS in points (trinomial variance, Rocks 2016)';
COMMENT ON FUNCTION nps_lower(survey_summary, double precision, boolean) IS 'lower bound of the NPS confidence interval';
COMMENT ON FUNCTION nps_upper(survey_summary, double precision, boolean) IS 'upper bound of the NPS confidence interval';

CREATE AGGREGATE nps(survey_score) (
	SFUNC = survey_summary_add_score, STYPE = survey_summary,
	FINALFUNC = nps, COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_add_score, MINVFUNC = survey_summary_remove_score,
	MSTYPE = survey_summary, MFINALFUNC = nps,
	PARALLEL = SAFE
);
CREATE AGGREGATE nps(smallint) (
	SFUNC = survey_summary_add_int2, STYPE = survey_summary,
	FINALFUNC = nps, COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_add_int2, MINVFUNC = survey_summary_remove_int2,
	MSTYPE = survey_summary, MFINALFUNC = nps,
	PARALLEL = SAFE
);
CREATE AGGREGATE nps(integer) (
	SFUNC = survey_summary_add_int4, STYPE = survey_summary,
	FINALFUNC = nps, COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_add_int4, MINVFUNC = survey_summary_remove_int4,
	MSTYPE = survey_summary, MFINALFUNC = nps,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE nps(survey_score) IS 'Net Promoter Score of the answers';
COMMENT ON AGGREGATE nps(smallint) IS 'Net Promoter Score of answers 0..10';
COMMENT ON AGGREGATE nps(integer) IS 'Net Promoter Score of answers 0..10';

--------------------------------------------------------------------------
-- Renewal windows and customer survival (Kaplan-Meier)
--------------------------------------------------------------------------

-- renewal windows: the renewals of a contract that fell due, with outcomes;
-- the order lists decided outcomes first, so ORDER BY outcome puts pending last
CREATE TYPE renewal_outcome AS ENUM ('renewed', 'churned', 'pending');
COMMENT ON TYPE renewal_outcome IS 'outcome of a renewal that fell due: renewed < churned < pending';

CREATE FUNCTION renewal_windows(started_on date, term interval, ended_on date, as_of date,
								grace interval DEFAULT '0 days'::pg_catalog.interval,
								OUT renewal_number integer, OUT due_on date,
								OUT outcome renewal_outcome)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'renewal_windows' LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 12;
COMMENT ON FUNCTION renewal_windows(date, interval, date, date, interval) IS 'renewals of a contract that fell due by as_of, with their outcomes';

-- survival_summary: distinct tenures with their churned and censored counts,
-- the state of survival_agg() and a value to store and roll up
CREATE TYPE survival_summary;

CREATE FUNCTION survival_summary_in(cstring) RETURNS survival_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survival_summary_out(survival_summary) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survival_summary_recv(internal) RETURNS survival_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survival_summary_send(survival_summary) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION survival_summary_in(cstring) IS 'survival_summary text input';
COMMENT ON FUNCTION survival_summary_out(survival_summary) IS 'survival_summary text output';
COMMENT ON FUNCTION survival_summary_recv(internal) IS 'survival_summary binary input';
COMMENT ON FUNCTION survival_summary_send(survival_summary) IS 'survival_summary binary output';

-- 16 bytes plus 24 per distinct tenure; large values may be compressed and
-- stored out of line like any other varlena
CREATE TYPE survival_summary (
	INPUT = survival_summary_in,
	OUTPUT = survival_summary_out,
	RECEIVE = survival_summary_recv,
	SEND = survival_summary_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);
COMMENT ON TYPE survival_summary IS 'customers churned and censored at each distinct tenure (Kaplan-Meier input)';

-- aggregate support (not meant to be called directly)
CREATE FUNCTION survival_summary_add(survival_summary, double precision, boolean) RETURNS survival_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION survival_summary_remove(survival_summary, double precision, boolean) RETURNS survival_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION survival_summary_combine(survival_summary, survival_summary) RETURNS survival_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION survival_summary_uncombine(survival_summary, survival_summary) RETURNS survival_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION survival_summary_nonempty(survival_summary) RETURNS survival_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION survival_summary_add(survival_summary, double precision, boolean) IS 'survival_agg transition function';
COMMENT ON FUNCTION survival_summary_remove(survival_summary, double precision, boolean) IS 'survival_agg inverse transition function';
COMMENT ON FUNCTION survival_summary_combine(survival_summary, survival_summary) IS 'survival_agg combine function';
COMMENT ON FUNCTION survival_summary_uncombine(survival_summary, survival_summary) IS 'survival rollup inverse transition function';
COMMENT ON FUNCTION survival_summary_nonempty(survival_summary) IS 'survival_agg moving final function';

-- two-step aggregation: build a summary, merge summaries
CREATE AGGREGATE survival_agg(tenure double precision, churned boolean) (
	SFUNC = survival_summary_add, STYPE = survival_summary,
	COMBINEFUNC = survival_summary_combine,
	MSFUNC = survival_summary_add, MINVFUNC = survival_summary_remove,
	MSTYPE = survival_summary, MFINALFUNC = survival_summary_nonempty,
	PARALLEL = SAFE
);
CREATE AGGREGATE rollup(survival_summary) (
	SFUNC = survival_summary_combine, STYPE = survival_summary,
	COMBINEFUNC = survival_summary_combine,
	MSFUNC = survival_summary_combine, MINVFUNC = survival_summary_uncombine,
	MSTYPE = survival_summary, MFINALFUNC = survival_summary_nonempty,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE survival_agg(double precision, boolean) IS 'Kaplan-Meier summary of customer tenures (churned, or censored when still active)';
COMMENT ON AGGREGATE rollup(survival_summary) IS 'merge survival summaries';

-- the curve and its accessors
CREATE FUNCTION survival_curve(summary survival_summary,
							   confidence double precision DEFAULT 0.95,
							   OUT tenure double precision, OUT at_risk bigint,
							   OUT churned bigint, OUT censored bigint,
							   OUT survival double precision, OUT std_error double precision,
							   OUT lower double precision, OUT upper double precision)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'survival_curve' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION median_lifetime(survival_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'survival_median_lifetime' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survival_at(survival_summary, tenure double precision) RETURNS double precision
	AS 'MODULE_PATHNAME', 'survival_at' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION restricted_mean_lifetime(survival_summary, horizon double precision) RETURNS double precision
	AS 'MODULE_PATHNAME', 'survival_restricted_mean' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION customers(survival_summary) RETURNS bigint
	AS 'MODULE_PATHNAME', 'survival_customers' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION survival_curve(survival_summary, double precision) IS 'Kaplan-Meier curve: survival, Greenwood standard error and log(-log) confidence bounds at each distinct tenure';
COMMENT ON FUNCTION median_lifetime(survival_summary) IS 'smallest tenure at which the Kaplan-Meier survival falls to 0.5 or below, NULL if it never does';
COMMENT ON FUNCTION survival_at(survival_summary, double precision) IS 'Kaplan-Meier survival at a tenure (right-continuous step function)';
COMMENT ON FUNCTION restricted_mean_lifetime(survival_summary, double precision) IS 'area under the Kaplan-Meier curve from 0 to the horizon';
COMMENT ON FUNCTION customers(survival_summary) IS 'number of customers in a survival summary';
