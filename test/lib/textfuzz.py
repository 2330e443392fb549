"""Text-input fuzzing of every csmetrics type (test/suites/text_fuzz.py, and
the long run test/stress/run-text-fuzz).

Each type has valid seed values (built by the aggregates in the suite's
database) and its accessors.  mutate() derives, deterministically from a
seed, inputs that delete, insert, truncate, duplicate and swap characters,
put extreme numbers and dates in place of the ones there, change digits
into non-ASCII digits and grow the value to megabytes.  The server-side
function fuzz.try() (created by setup()) takes one input and answers with
one line:

    refused SQLSTATE          the input function refused it
    accepted [N:SQLSTATE ...] it was read; its text form reads back to the
                              same text and the same binary form; accessor
                              N raised SQLSTATE (nothing when all passed)
    changed ... / reread ...  the text form did not read back the same

run() sends every input as its own statement in one psql session
(pgcopy.session), so a crash ends the session and names the input."""
import os
import random
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
import pgcopy as pc  # noqa: E402

# what the text input functions may raise (doc/developing.md, "Text and binary I/O");
# customer_flow reads its bounds with the date and timestamptz input functions and
# raises their errors (doc/retention.md, "The customer_flow type"): 22007 a malformed
# date, 22008 a field out of range, 22009 a bad time zone offset, 22023 an unknown
# time zone name
INPUT_STATES = {"22P02", "22003"}
DATETIME_INPUT_STATES = {"22007", "22008", "22009", "22023"}


# grain's input raises 22023 for an unknown name, the error of the text grains it replaced
# (doc/cohorts.md): cohort_agg(..., 'fortnight') keeps its SQLSTATE
GRAIN_INPUT_STATES = {"22023"}


def input_states(typ):
    """The SQLSTATEs the text input of typ may raise."""
    return (INPUT_STATES | (DATETIME_INPUT_STATES if typ == "customer_flow" else set())
            | (GRAIN_INPUT_STATES if typ == "grain" else set()))

# seeds: SQL giving valid values of each type; accessors: (function, SQL over v)
TYPES = {
    "survey_score": (
        ["SELECT '0'", "SELECT '10'", "SELECT ' +7 '"],
        [("int4", "int4(v)"), ("nps_category", "nps_category(v)"), ("is_promoter", "is_promoter(v)"),
         ("is_passive", "is_passive(v)"), ("is_detractor", "is_detractor(v)"),
         ("survey_score_hash", "survey_score_hash(v)"), ("survey_score_cmp", "survey_score_cmp(v, '5')"),
         ("survey_agg", "(SELECT survey_agg(x) FROM (VALUES (v), (v)) s(x))"),
         ("nps", "(SELECT nps(x) FROM (VALUES (v)) s(x))")]),
    "survey_summary": (
        ["SELECT survey_agg(g % 11)::text FROM generate_series(1, 200) g",
         "SELECT '{0,0,0,0,0,0,0,0,0,0,0}'", "SELECT '{0,0,0,0,0,0,0,0,0,0,9223372036854775807}'",
         "SELECT '{1,2,3,4,5,6,7,8,9,10,11}'"],
        [("responses", "responses(v)"), ("promoters", "promoters(v)"), ("passives", "passives(v)"),
         ("detractors", "detractors(v)"), ("score_count", "score_count(v, 10)"),
         ("mean_score", "mean_score(v)"), ("nps", "nps(v)"), ("promoter_pct", "promoter_pct(v)"),
         ("passive_pct", "passive_pct(v)"), ("detractor_pct", "detractor_pct(v)"),
         ("nps_stderr", "nps_stderr(v, true)"), ("nps_lower", "nps_lower(v, 0.9, false)"),
         ("nps_upper", "nps_upper(v, 0.95, true)"), ("csat", "csat(v, 9)"),
         ("csat_summary", "csat_summary(v, 9)"), ("ces", "ces(v)"), ("ces_easy_pct", "ces_easy_pct(v, 5)"),
         ("ces_stderr", "ces_stderr(v)"), ("ces_lower", "ces_lower(v, 0.95, 7)"),
         ("ces_upper", "ces_upper(v, 0.95, 7)"), ("nps_difference_test", "nps_difference_test(v, v)"),
         ("rollup", "(SELECT rollup(x) FROM (VALUES (v), (v)) s(x))")]),
    "rate_summary": (
        ["SELECT rate_agg(g % 3 = 0)::text FROM generate_series(1, 100) g", "SELECT '(0,0)'",
         "SELECT '(9223372036854775807,9223372036854775807)'", "SELECT '( 3 , 4 )'"],
        [("rate", "rate(v)"), ("successes", "successes(v)"), ("trials", "trials(v)"),
         ("rate_lower", "rate_lower(v, 0.95)"), ("rate_upper", "rate_upper(v, 0.8)"),
         ("rate_difference_test", "rate_difference_test(v, v)"),
         ("rollup", "(SELECT rollup(x) FROM (VALUES (v), (v)) s(x))")]),
    "cohort_summary": (
        ["SELECT cohort_agg(DATE '2023-01-01' + g * 17, CASE WHEN g % 3 > 0 THEN DATE '2023-01-01' + g * 23 END,"
         " 'month')::text FROM generate_series(1, 30) g",
         "SELECT cohort_agg(DATE '2024-02-29', NULL, 'day')::text",
         "SELECT cohort_agg(DATE '2020-01-06' + g, DATE '2021-01-01' + g * 3, 'week')::text FROM generate_series(1, 5) g"],
        [("grain", "grain(v)"), ("customers", "customers(v)"),
         ("cohort_retention", "(SELECT count(*) FROM cohort_retention(v, DATE '2025-01-01'))"),
         ("rollup", "(SELECT rollup(x) FROM (VALUES (v), (v)) s(x))")]),
    "revenue_cohort_summary": (
        ["SELECT revenue_cohort_agg(DATE '2023-01-01' + g * 17, DATE '2023-01-01' + g * 29, g * 12.5, 'quarter')::text"
         " FROM generate_series(1, 20) g",
         "SELECT revenue_cohort_agg(DATE '2024-02-29', DATE '2024-03-01', 0.01, 'year')::text",
         "SELECT revenue_cohort_agg(DATE '2024-01-01', DATE '2024-01-01' + g, -g, 'day')::text FROM generate_series(0, 3) g"],
        [("grain", "grain(v)"), ("revenue_retention", "(SELECT count(*) FROM revenue_retention(v))"),
         ("rollup", "(SELECT rollup(x) FROM (VALUES (v), (v)) s(x))")]),
    "survival_summary": (
        ["SELECT survival_agg(g / 7.0, g % 3 = 0)::text FROM generate_series(1, 30) g", "SELECT '{}'",
         "SELECT '{(0,1,0),(1e-300,0,2),(0.1,5,0),(1e300,0,9223372036854775790)}'"],
        [("customers", "customers(v)"), ("median_lifetime", "median_lifetime(v)"),
         ("survival_at", "survival_at(v, 10)"), ("restricted_mean_lifetime", "restricted_mean_lifetime(v, 100)"),
         ("survival_curve", "(SELECT count(*) FROM survival_curve(v, 0.95))"),
         ("rollup", "(SELECT rollup(x) FROM (VALUES (v), (v)) s(x))")]),
    "customer_flow": (
        ["SELECT customer_flow_agg(DATE '2024-01-01' + g, CASE WHEN g % 2 = 0 THEN DATE '2024-01-10' + g * 2 + 40 END,"
         " DATE '2024-01-15', DATE '2024-02-01')::text FROM generate_series(-20, 20) g",
         "SELECT customer_flow_agg(TIMESTAMPTZ '2024-01-01 10:00', NULL, TIMESTAMPTZ '2024-01-01', TIMESTAMPTZ '2024-01-02')::text"],
        [("customers_at_start", "customers_at_start(v)"), ("customers_at_end", "customers_at_end(v)"),
         ("new_customers", "new_customers(v)"), ("churned_customers", "churned_customers(v)"),
         ("transient_customers", "transient_customers(v)"), ("churn_rate", "churn_rate(v)"),
         ("retention_rate", "retention_rate(v)"),
         ("rollup", "(SELECT rollup(x) FROM (VALUES (v), (v)) s(x))")]),
    "mrr_bridge": (
        ["SELECT mrr_bridge_agg(CASE WHEN g % 4 > 0 THEN g * 10.5 END, CASE WHEN g % 5 > 0 THEN g * 11.25 END,"
         " g % 2 = 0)::text FROM generate_series(1, 40) g",
         "SELECT mrr_bridge_agg(0, 1e20, false)::text",
         "SELECT mrr_bridge_agg(99999999999999999999999999999999999.99, 0, true)::text",
         "SELECT '{starting_mrr=10, new_mrr=0, expansion_mrr=0, reactivation_mrr=0, contraction_mrr=0,"
         " churned_mrr=0, new=0, expansion=0, reactivation=0, contraction=0, churn=0, unchanged=2, inactive=0}'"],
        [(f, "%s(v)" % f) for f in ("starting_mrr", "new_mrr", "expansion_mrr", "reactivation_mrr",
                                    "contraction_mrr", "churned_mrr", "ending_mrr", "net_new_mrr",
                                    "gross_revenue_retention", "net_revenue_retention",
                                    "new_customers", "expanded_customers", "reactivated_customers",
                                    "contracted_customers", "churned_customers", "unchanged_customers",
                                    "inactive_customers", "customers_at_start", "customers_at_end")]
        + [("quick_ratio", "quick_ratio(v, false)"),
           ("net_revenue_retention_lower", "net_revenue_retention_lower(v, 0.95)"),
           ("net_revenue_retention_upper", "net_revenue_retention_upper(v, 0.5)"),
           ("gross_revenue_retention_lower", "gross_revenue_retention_lower(v, 0.9)"),
           ("gross_revenue_retention_upper", "gross_revenue_retention_upper(v, 0.99)"),
           ("net_revenue_retention_difference_test", "net_revenue_retention_difference_test(v, v)"),
           ("rollup", "(SELECT rollup(x) FROM (VALUES (v), (v)) s(x))")]),
    # the types of 1.1's new families: predictive CLV and the subscription ledger
    "purchase_history": (
        ["SELECT purchase_history_agg(DATE '2024-01-01' + g * 9, g * 2.50, DATE '2024-12-31', '1 day')::text"
         " FROM generate_series(0, 20) g",
         "SELECT purchase_history_agg(TIMESTAMPTZ '2024-01-01 10:00+00', 0, TIMESTAMPTZ '2024-01-02 00:00+00',"
         " '1 hour')::text",
         "SELECT 'unit 86400000000 until 8826 {(8768,2,15.00),(8775,1,20.00),(8797,1,30.50)}'"],
        [(f, "%s(v)" % f) for f in ("frequency", "recency", "age", "monetary_value", "purchases")]
        + [("bgnbd_fit", "(SELECT bgnbd_fit(x) FROM (VALUES (v), (v)) s(x))")]),
    "clv_fit_state": (
        ["SELECT 'bgnbd{(0,0,38.86):1000,(2,30.43,38.86):3}'", "SELECT 'gamma_gamma{(1,11.77):5,(3,20.5):2}'",
         "SELECT 'sbg{(1,1):369,(2,1):163,(7,0):241}'"],
        [("clv_fit_bgnbd_final", "clv_fit_bgnbd_final(v)"),
         ("clv_fit_gamma_gamma_final", "clv_fit_gamma_gamma_final(v)"),
         ("clv_fit_sbg_final", "clv_fit_sbg_final(v)")]),
    "bgnbd_model": (
        ["SELECT '(r=0.243,alpha=4.414,a=0.793,b=2.426,log_likelihood=-9582.4,customers=2357,iterations=25,"
         "converged=true,r_stderr=0.0126,alpha_stderr=0.378,a_stderr=0.186,b_stderr=0.705)'",
         "SELECT '(r=1,alpha=1,a=2,b=1,log_likelihood=0,customers=0,iterations=0,converged=false)'"],
        [(f, "%s(v)" % f) for f in ("r", "alpha", "a", "b", "r_stderr", "alpha_stderr", "a_stderr",
                                    "b_stderr", "log_likelihood", "customers", "converged", "iterations")]
        + [("bgnbd_expected_purchases", "bgnbd_expected_purchases(v, 10)"),
           ("bgnbd_conditional_expected_purchases", "bgnbd_conditional_expected_purchases(v, 10, 2, 30, 38)"),
           ("bgnbd_probability_alive", "bgnbd_probability_alive(v, 2, 30, 38)"),
           ("bgnbd_purchase_probability", "bgnbd_purchase_probability(v, 2, 10)")]),
    "gamma_gamma_model": (
        ["SELECT '(p=6.25,q=3.74,gamma=15.44,log_likelihood=-4055.9,customers=946,iterations=12,converged=true)'",
         "SELECT '(p=1,q=0.5,gamma=1,log_likelihood=0,customers=0,iterations=0,converged=false)'"],
        [(f, "%s(v)" % f) for f in ("p", "q", "gamma", "log_likelihood", "customers", "converged", "iterations")]
        + [("gamma_gamma_expected_spend", "gamma_gamma_expected_spend(v, 2, 35.5)")]),
    "sbg_model": (
        ["SELECT '(a=0.704,b=1.182,log_likelihood=-1680.3,customers=1000,iterations=11,converged=true,"
         "a_stderr=0.066,b_stderr=0.152)'",
         "SELECT '(a=1,b=1,log_likelihood=0,customers=0,iterations=0,converged=false)'"],
        [(f, "%s(v)" % f) for f in ("a", "b", "log_likelihood", "customers", "converged", "iterations")]
        + [("sbg_survival", "sbg_survival(v, 3)"), ("sbg_retention_rate", "sbg_retention_rate(v, 2)"),
           ("sbg_expected_lifetime", "sbg_expected_lifetime(v, 0.1)"),
           ("sbg_residual_lifetime", "sbg_residual_lifetime(v, 2, 0.1)")]),
    "subscription_history": (
        ["SELECT subscription_history_agg(g % 7, DATE '2024-01-01' + g * 11,"
         " CASE WHEN g % 3 = 0 THEN DATE '2024-03-01' + g * 13 END, g * 10.5, '1 month', g % 4)::text"
         " FROM generate_series(1, 30) g",
         "SELECT '{1: 2024-01-01 100.00 1, 2024-02-01 150.00 3; 2: 2024-01-01 29.99 1, 2024-03-31 0.00 0}'",
         "SELECT '{1: 2024-01-31 30 1 | 2024-01-31/1m 1 30; 2: 2024-01-01 70 1, 2024-04-15 0 0"
         " | 2023-01-01/12m..2024-04-15 2 50, 2024-01-01/7d 1 20}'",
         "SELECT '{}'"],
        [(f, "%s(v, DATE '2024-02-15')" % f) for f in ("mrr_at", "arr_at", "paying_customers_at",
                                                        "seats_at", "arpa_at")]
        + [("customers", "customers(v)"),
           ("mrr_bridge", "mrr_bridge(v, DATE '2024-01-01', DATE '2024-03-01')"),
           ("seat_bridge", "seat_bridge(v, DATE '2024-01-01', DATE '2024-03-01')"),
           ("mrr_movements",
            "(SELECT count(*) FROM mrr_movements(v, 'month', DATE '2024-01-01', DATE '2024-07-01'))"),
           ("customer_mrr",
            "(SELECT count(*) FROM customer_mrr(v, 'month', DATE '2024-01-01', DATE '2024-07-01'))"),
           ("seat_retention",
            "(SELECT sum(seats) FROM seat_retention(v, 'month', DATE '2024-01-01', DATE '2024-07-01'))"),
           ("renewals_due",
            "(SELECT sum(mrr) FROM renewals_due(v, DATE '2024-01-01', DATE '2024-07-01', 'month'))"),
           ("rollup", "(SELECT rollup(x) FROM (VALUES (v), (v)) s(x))")]),
    "activity_summary": (
        ["SELECT activity_agg(g % 7, DATE '2024-01-01' + g * 3 % 50, make_interval(secs => g))::text"
         " FROM generate_series(1, 30) g",
         "SELECT activity_agg('user-' || g % 5, DATE '2024-01-01' + g)::text FROM generate_series(1, 12) g",
         "SELECT 'uuid time_us=none {00000000-0000-0000-0000-000000000001:2024-01-01,"
         "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11:2024-01-01/2024-01-09 2024-03-01}'"],
        [("active_users", "active_users(v)"), ("active_users", "active_users(v, DATE '2024-01-01', DATE '2024-02-01')"),
         ("daily_active_users", "(SELECT count(*) FROM daily_active_users(v))"),
         ("average_daily_active_users", "average_daily_active_users(v, DATE '2024-01-01', DATE '2024-02-01')"),
         ("stickiness", "stickiness(v, DATE '2024-01-01', DATE '2024-02-01')"),
         ("active_days_distribution", "(SELECT count(*) FROM active_days_distribution(v))"),
         ("usage_rate", "usage_rate(v, 2)"), ("usage_rate_summary", "usage_rate_summary(v, 2, 1000)"),
         ("time_spent", "time_spent(v)"), ("time_per_active_user", "time_per_active_user(v)"),
         ("first_active_day", "first_active_day(v)"), ("last_active_day", "last_active_day(v)"),
         ("activity_retention", "(SELECT count(*) FROM activity_retention(v, 'month', 'recurring'))"),
         ("activity_lifecycle", "(SELECT count(*) FROM activity_lifecycle(v, 'week'))"),
         ("rollup", "(SELECT rollup(x) FROM (VALUES (v), (v)) s(x))")]),
    # the grain type (issue 14)
    "grain": (
        ["SELECT 'month'", "SELECT 'QUARTER'", "SELECT 'Day'"],
        [("grain_send", "grain_send(v)"),
         ("cohort_agg", "(SELECT cohort_agg(DATE '2024-01-01', NULL, v))")]),
    # the state of mrr() and arr() (issue 14)
    "mrr_state": (
        ["SELECT '(3,1,504.875)'", "SELECT '(0,0,0)'", "SELECT ' ( 2 , 2 , -5 ) '",
         "SELECT '(4,1,123456789012345678901234567890123456789.5)'",
         "SELECT '(9223372036854775807,9223372036854775807,1)'"],
        [("mrr_state_sum", "mrr_state_sum(v)"), ("mrr_state_hash", "mrr_state_hash(v)"),
         ("mrr_state_eq", "mrr_state_eq(v, v)")]),
}

NUMBERS = ["0", "-0", "-1", "+1", "1e400", "-1e400", "1e-400", "9223372036854775807",
           "9223372036854775808", "-9223372036854775808", "18446744073709551616", "2147483647",
           "2147483648", "-2147483649", "NaN", "Infinity", "-Infinity", "inf", "1.5", "0x10",
           "1_000", "000000000000000000000000000001", "9" * 1000, "0." + "0" * 500 + "1",
           "99999999999999999999999999999999999999.99", "1e308", "1.8e308", "4.9e-324",
           "2.5e-324", "1e131072", "1e-16383", " 1", "1 ", "", ".", "-", "e5"]
DATES = ["0001-01-01", "0000-12-31", "4713-01-01 BC", "4714-11-24 BC", "5874897-12-31",
         "5874898-01-01", "294276-12-31", "294277-01-01", "infinity", "-infinity", "2024-02-29",
         "2023-02-29", "2024-13-01", "2024-00-10", "99999-01-01", "10000-01-01", "epoch", "today",
         "2024-01-01 12:00", "2024-1-1", "20240101", "01/02/2024", "2024-01-01+05"]
GRAINS = ["day", "DAY", "Week", "months", "month ", "fortnight", "", "quarter", "year", "decade"]
CHARS = (list("0123456789{}()[],;:=.-+eE ") + ["\t", "\n", "\r", "\\", "'", '"', "a", "Z", "_"]
         + list("\u0660\u0663\u0669\uff10\uff15\u00b2\u07c0\u0ed1\u09e9\u00a0\u2212\u00e9\U0001f600\u200b"))
NONASCII_DIGITS = ["\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669",   # Arabic-Indic
                   "\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19",   # full width
                   "\u0966\u0967\u0968\u0969\u096a\u096b\u096c\u096d\u096e\u096f",   # Devanagari
                   "\U0001d7ce\U0001d7cf\U0001d7d0\U0001d7d1\U0001d7d2\U0001d7d3\U0001d7d4\U0001d7d5\U0001d7d6\U0001d7d7"]
_NUM = re.compile(r"[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_WORD = re.compile(r"[a-z]+")


def _replace_match(rng, s, pattern, choices):
    matches = list(pattern.finditer(s))
    if not matches:
        return s
    m = rng.choice(matches)
    return s[:m.start()] + rng.choice(choices) + s[m.end():]


def _op(rng, s):
    k = rng.randrange(13)
    n = len(s)
    if k == 0 and n:                              # delete a character
        i = rng.randrange(n)
        return s[:i] + s[i + 1:]
    if k == 1 and n:                              # delete a span
        i = rng.randrange(n)
        return s[:i] + s[i + rng.randint(1, 12):]
    if k == 2:                                    # insert characters
        i = rng.randrange(n + 1)
        return s[:i] + "".join(rng.choice(CHARS) for _ in range(rng.randint(1, 3))) + s[i:]
    if k == 3 and n:                              # truncate
        return s[:rng.randrange(n)]
    if k == 4:                                    # an extreme number
        return _replace_match(rng, s, _NUM, NUMBERS)
    if k == 5:                                    # an extreme date
        return _replace_match(rng, s, _DATE, DATES)
    if k == 6 and n:                              # repeat a span
        i = rng.randrange(n)
        j = min(n, i + rng.randint(1, 40))
        return s[:j] + s[i:j] * rng.randint(1, 5) + s[j:]
    if k == 7 and n > 1:                          # swap two characters
        i, j = sorted(rng.sample(range(n), 2))
        return s[:i] + s[j] + s[i + 1:j] + s[i] + s[j + 1:]
    if k == 8:                                    # non-ASCII digits for ASCII ones
        digits = rng.choice(NONASCII_DIGITS)
        positions = [i for i, c in enumerate(s) if c.isdigit() and c < "\x80"]
        for i in rng.sample(positions, min(len(positions), rng.randint(1, 3))):
            s = s[:i] + digits[int(s[i])] + s[i + 1:]
        return s
    if k == 9:                                    # a grain or keyword changed
        return _replace_match(rng, s, _WORD, GRAINS + ["rows", "start", "nan", "infinity"])
    if k == 10 and n:                             # white space around a character
        i = rng.randrange(n)
        return s[:i] + rng.choice([" ", "  ", "\t", "\n"]) + s[i:]
    if k == 11:                                   # a character doubled / replaced
        if n:
            i = rng.randrange(n)
            return s[:i] + rng.choice(CHARS) + s[i + 1:]
        return s
    # k == 12: huge, rarely (about one input in 150)
    if rng.randrange(12) == 0:
        if rng.randrange(2) and n > 2:
            i = rng.randrange(1, n)
            j = min(n, i + rng.randint(5, 60))
            return s[:j] + s[i:j] * (rng.randint(20000, 60000) // max(1, j - i)) + s[j:]
        return _replace_match(rng, s, _NUM, ["9" * rng.choice([5000, 200000]),
                                             "0." + "1" * 100000, "1" + "0" * 131073])
    return s


def mutate(seeds, count, seed):
    """count deterministic mutations of the seed values (1 to 3 operations each)."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        s = rng.choice(seeds)
        for _ in range(rng.choice((1, 1, 1, 2, 3))):
            s = _op(rng, s)
        out.append(s.replace("\x00", ""))
    return out


SETUP = r"""
CREATE SCHEMA fuzz;
CREATE TABLE fuzz.accessors (typ regtype, n int, fn text, expr text, PRIMARY KEY (typ, n));
-- one input of type typ: refused, or read, re-read from its text form, and
-- given to every accessor of the type
CREATE FUNCTION fuzz.try(typ regtype, input text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE
	t1 text; t2 text; b1 bytea; b2 bytea; st text; r text := ''; a record;
	sendf regproc := (SELECT typsend FROM pg_type WHERE oid = typ);
BEGIN
	BEGIN
		EXECUTE format('SELECT $1::%s::text, %s($1::%s)', typ, sendf, typ) INTO t1, b1 USING input;
	EXCEPTION WHEN OTHERS THEN
		GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE;
		RETURN 'refused ' || st;
	END;
	BEGIN
		EXECUTE format('SELECT $1::%s::text, %s($1::%s)', typ, sendf, typ) INTO t2, b2 USING t1;
	EXCEPTION WHEN OTHERS THEN
		GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE;
		RETURN 'reread ' || st || ' ' || left(t1, 200);
	END;
	IF t1 IS DISTINCT FROM t2 OR b1 IS DISTINCT FROM b2 THEN
		RETURN 'changed ' || left(t1, 200) || ' -> ' || left(t2, 200);
	END IF;
	FOR a IN SELECT * FROM fuzz.accessors WHERE accessors.typ = try.typ ORDER BY n LOOP
		BEGIN
			EXECUTE format('SELECT (%s)::text FROM (SELECT $1::%s AS v) s', a.expr, typ) USING input;
		EXCEPTION WHEN OTHERS THEN
			GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE;
			r := r || ' ' || a.n || ':' || st;
		END;
	END LOOP;
	RETURN 'accepted' || r;
END $f$;
"""


def setup():
    """fuzz.try() and the accessors table; returns {type: [valid seed texts]}."""
    pc.sql(SETUP)
    seeds = {}
    for typ, (queries, accessors) in TYPES.items():
        values = [pc.sql(q) for q in queries]
        seeds[typ] = values
        pc.sql("INSERT INTO fuzz.accessors VALUES " + ", ".join(
            "('%s', %d, '%s', %s)" % (typ, n, fn, _quote(expr)) for n, (fn, expr) in enumerate(accessors)))
    return seeds


def _quote(s):
    tag = "$fz$"
    while tag in s:
        tag = tag[:-1] + "z$"
    return tag + s + tag


def run(typ, inputs):
    """Each input through fuzz.try() in one session: a list of (input, answer).
    Raises RuntimeError when the session ends early (a crash)."""
    commands = ["SET statement_timeout = '60s'"] + [
        "SELECT fuzz.try('%s', %s)" % (typ, _quote(s)) for s in inputs]
    outcomes = pc.session(commands)[1:]
    return [(s, o.out.strip() if not o.failed else "error %s %s" % (o.state, o.err.strip()[:200]))
            for s, o in zip(inputs, outcomes)]


def judge(typ, answers, documented):
    """Sort the answers: (refused counts {state: n}, accepted, accessor errors
    {(fn, state): n}, failures [text])."""
    accessors = TYPES[typ][1]
    refused, accessor_states, failures = {}, {}, []
    accepted = 0
    for s, a in answers:
        shown = s if len(s) < 120 else s[:100] + "...(%d chars)" % len(s)
        if a.startswith("refused "):
            state = a.split()[1]
            refused[state] = refused.get(state, 0) + 1
            if state not in input_states(typ):
                failures.append("%r refused with %s" % (shown, state))
        elif a.startswith("accepted"):
            accepted += 1
            for item in a.split()[1:]:
                n, state = item.split(":")
                fn = accessors[int(n)][0]
                accessor_states[(fn, state)] = accessor_states.get((fn, state), 0) + 1
                if state not in documented.get(fn, set()):
                    failures.append("%r accepted, but %s raised %s (not in its documented errors)"
                                    % (shown, fn, state))
        else:
            failures.append("%r: %s" % (shown, a))
    return refused, accepted, accessor_states, failures
