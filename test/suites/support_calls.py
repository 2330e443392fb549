"""Direct calls of every csmetrics function (transition, inverse, combine,
final, accessor, in/out/send) with NULL, normal and extreme arguments, and
aggregates that a non-superuser builds from csmetrics' support functions in
the wrong order (removing before adding, uncombining, swapped moving
functions, an inverse as the combine function under forced parallelism,
transition functions as window aggregates).  Never a crash, never XX000,
never a hang (statement_timeout, 57014); a function listed in a reference
table may raise only the SQLSTATEs its row lists, and a support function
only those of the contract in doc/reliability.md.

Each function is called once with every argument NULL, and once per
argument and value of that argument's pool with the other arguments at
their normal value.  The receive functions and the MRR aggregate's
functions take `internal`, which SQL cannot produce: they are reached only
through COPY (the *_binary suites) and the aggregates."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import docstates  # noqa: E402
import pgcopy as pc  # noqa: E402

# SQLSTATEs a support function may raise (doc/reliability.md, "The SQLSTATE contract")
CONTRACT = {"22003", "22P02", "22P03", "22023", "22008", "54000", "0A000", "42704"}

# the value pool of each argument type: the first non-NULL value is the normal one
POOL = {
    "survey_score": ["'5'", "'0'", "'10'"],
    "survey_summary": ["'{1,0,2,0,3,0,4,0,5,0,6}'", "'{0,0,0,0,0,0,0,0,0,0,0}'",
                       "'{0,0,0,0,0,0,0,0,0,0,9223372036854775807}'",
                       "'{9223372036854775807,0,0,0,0,0,0,0,0,0,0}'", "'{0,1,0,0,0,0,0,1,0,0,0}'"],
    "rate_summary": ["'(3,4)'", "'(0,0)'", "'(9223372036854775807,9223372036854775807)'", "'(0,9223372036854775807)'"],
    "cohort_summary": ["'month; 2024-01-01 3 {0:1, 2:1}; 2024-03-01 1 {}'", "'day; 2024-02-29 1 {}'",
                       "'year; 0001-01-01 9223372036854775807 {0:9223372036854775807}'",
                       "'week; 2024-01-01 2 {2147483646:1}'"],
    "revenue_cohort_summary": ["'month; 2024-01-01 {0:100.00, 1:80.50}; 2024-02-01 {0:50}'",
                               "'day; 2024-01-01 {2147483647:1}'",
                               "'year; 2024-01-01 {0:1, 1:1e400}'".replace("1e400", "9" * 300),
                               "'quarter; 2024-01-01 {0:0, 3:-5}'"],
    "survival_summary": ["'{(1,1,0),(2.5,0,2),(7,3,1)}'", "'{}'", "'{(0,1,0)}'",
                         "'{(1e300,0,9223372036854775790)}'", "'{(5e-324,9223372036854775807,0)}'"],
    "customer_flow": ["'[2024-01-01,2024-02-01) rows=5 start=3 end=3 new=1 churned=1 transient=1'",
                      "'[\"2024-01-01 00:00:00+00\",\"2024-01-02 00:00:00+00\") rows=1 start=0 end=1 new=1 churned=0 transient=0'",
                      "'[0001-01-01,5874897-12-31) rows=9223372036854775807 start=9223372036854775807 end=0 new=0 churned=9223372036854775807 transient=0'"],
    "mrr_bridge": ["'{starting_mrr=100, new_mrr=10, expansion_mrr=5, reactivation_mrr=0, contraction_mrr=2, churned_mrr=3,"
                   " new=1, expansion=1, reactivation=0, contraction=1, churn=1, unchanged=2, inactive=0}'",
                   "'{starting_mrr=0, new_mrr=0, expansion_mrr=0, reactivation_mrr=0, contraction_mrr=0, churned_mrr=0,"
                   " new=0, expansion=0, reactivation=0, contraction=0, churn=0, unchanged=0, inactive=0}'"],
    # the types of 1.1's new families (CLV, the subscription ledger)
    "purchase_history": ["'unit 86400000000 until 8826 {(8768,2,15.00),(8775,1,20.00),(8797,1,30.50)}'",
                         "'unit 86400000000 until 8768 {(8768,1,0)}'",
                         "'unit 1 until 9223372036854775807 {(-9223372036854775808,9223372036854775807,"
                         + "9" * 38 + ")}'"],
    "clv_fit_state": ["'bgnbd{(0,0,38.86):1000,(2,30.43,38.86):3}'", "'gamma_gamma{(1,11.77):5}'",
                      "'sbg{(1,1):369,(7,0):241}'", "'bgnbd{}'",
                      "'bgnbd{(0,0,38.86):9223372036854775807}'"],
    "bgnbd_model": ["'(r=0.243,alpha=4.414,a=0.793,b=2.426,log_likelihood=-9582.4,customers=2357,iterations=25,converged=true)'",
                    "'(r=1,alpha=1,a=2,b=1,log_likelihood=0,customers=0,iterations=0,converged=false)'",
                    "'(r=1e308,alpha=5e-324,a=1e308,b=5e-324,log_likelihood=0,customers=1,iterations=1,converged=true)'"],
    "gamma_gamma_model": ["'(p=6.25,q=3.74,gamma=15.44,log_likelihood=-4055.9,customers=946,iterations=0,converged=false)'",
                          "'(p=1,q=0.5,gamma=1,log_likelihood=0,customers=0,iterations=0,converged=false)'"],
    "sbg_model": ["'(a=0.704,b=1.182,log_likelihood=-1680.3,customers=1000,iterations=11,converged=true,a_stderr=0.066,b_stderr=0.152)'",
                  "'(a=1,b=1,log_likelihood=0,customers=0,iterations=0,converged=false)'",
                  "'(a=1e308,b=5e-324,log_likelihood=0,customers=1,iterations=1,converged=true)'"],
    "subscription_history": ["'{1: 2024-01-01 100.00 1, 2024-02-01 150.00 3, 2024-04-01 50.00 2; 2: 2024-01-01 29.99 1, 2024-03-31 0.00 0}'",
                             "'{}'", "'{1: 2024-01-01 10 1}'",
                             "'{1: 2024-01-31 30 1 | 2024-01-31/1m 1 30, 2024-02-01/12m..2025-02-01 2 40; 2: 2024-01-01 5 1 | 2024-01-01/7d 1 5}'",
                             "'{9223372036854775807: 5874897-12-31 " + "9" * 38 + " " + "9" * 38 + "}'"],
    # engagement (issue 11)
    "activity_summary": ["'bigint time_us=6900000000 {1:2024-01-31/2024-02-01,2:2024-02-03,3:2024-01-05 2024-03-01}'",
                         "'text time_us=none {00000000000000ff:2024-01-01}'",
                         "'uuid time_us=9223372036854775807 {a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11:0001-01-01 5874897-12-31}'",
                         "'bigint time_us=0 {-9223372036854775808:0001-01-01/5874897-12-31,9223372036854775807:2024-01-01}'"],
    "uuid": ["'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'", "'00000000-0000-0000-0000-000000000000'",
             "'ffffffff-ffff-ffff-ffff-ffffffffffff'"],
    # the grain type (issue 14)
    "grain": ["'month'", "'DAY'", "'week'", "'quarter'", "'year'"],
    # the state of mrr() and arr() (issue 14)
    "mrr_state": ["'(3,1,504.875)'", "'(0,0,0)'", "'(2,2,-5)'",
                  "'(9223372036854775807,1,0." + "0" * 999 + "1)'",
                  "'(2,2," + "9" * 38 + ")'", "'(1,1," + "9" * 300 + ")'"],
    "smallint": ["5", "0", "-1", "11", "32767", "-32768"],
    "integer": ["5", "0", "-1", "7", "10", "11", "2147483647", "-2147483648"],
    "bigint": ["5", "0", "-1", "9223372036854775807", "-9223372036854775808"],
    "numeric": ["12.5", "0", "-1", "0.01", "'NaN'", "'Infinity'", "'-Infinity'", "9" * 38 + ".99", "1" + "0" * 1000],
    "double precision": ["0.5", "0", "'-0'", "1", "-1", "0.95", "100", "'NaN'", "'Infinity'", "'-Infinity'",
                         "1e308", "5e-324"],
    "boolean": ["true", "false"],
    "date": ["'2024-01-15'", "'2024-02-01'", "'2023-12-01'", "'infinity'", "'-infinity'", "'4713-01-01 BC'",
             "'5874897-12-31'", "'0001-01-01'"],
    "timestamp with time zone": ["'2024-01-15 10:00+00'", "'2024-02-01'", "'infinity'", "'-infinity'",
                                 "'4713-01-01 00:00+00 BC'", "'294276-12-31 23:59:59+00'"],
    "interval": ["'1 month'", "'1 year'", "'0'", "'-1 day'", "'1 day 01:00'", "'7 days'",
                 "'178000000 years'", "'-178000000 years'", "'1 microsecond'"],
    "text": ["'month'", "'day'", "'MONTH'", "''", "'nps'", "'monthly_churn_rate'", "'no such metric'",
             "repeat('x', 100000)"],
    "double precision[]": ["'{1,2}'", "'{}'", "'{NaN}'", "'{1,NULL}'", "'{Infinity,-1}'", "'{1,2,3}'"],
    "cstring": [],          # filled per input function below
}


def literal(typ, value):
    return "NULL::%s" % typ if value is None else "(%s)::%s" % (value, typ)


def calls_of(name, argtypes, retset):
    """The calls of one function: (argument list text, SQL)."""
    def sql(args):
        call = "%s(%s)" % (name, ", ".join(args))
        return "SELECT count(*) FROM %s" % call if retset else "SELECT %s::text" % call
    out = []
    pools = []
    for t in argtypes:
        if t == "cstring":
            # an input function: its own type's values, and garbage
            own = POOL.get(name[:-3], [])
            pools.append(own + ["''", "'garbage'", "'{'", "repeat('9', 100000)"])
        else:
            pools.append(POOL[t])
    normal = [literal(t, p[0]) for t, p in zip(argtypes, pools)]
    out.append(sql([literal(t, None) for t in argtypes]))
    if argtypes:
        out.append(sql(normal))
    for i, (t, pool) in enumerate(zip(argtypes, pools)):
        for v in [None] + pool[1:]:
            args = list(normal)
            args[i] = literal(t, v)
            out.append(sql(args))
    return out


functions = pc.sql("""
SELECT p.proname || '|' || coalesce(string_agg(format_type(t, NULL), ',' ORDER BY n), '') || '|' || p.proretset
FROM pg_proc p
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'csmetrics'
LEFT JOIN LATERAL unnest(p.proargtypes) WITH ORDINALITY a(t, n) ON true
WHERE p.prokind = 'f' AND NOT ('internal'::regtype = ANY (p.proargtypes))
GROUP BY p.oid, p.proname, p.proretset ORDER BY 1""").splitlines()

# the aggregates a non-superuser builds in the wrong order, and the queries over them
WRONG = [
    # removing before adding: an inverse as the transition function
    ("CREATE AGGREGATE w_surv_remove(float8, bool) (sfunc = survival_summary_remove, stype = survival_summary)",
     "SELECT w_surv_remove(x, x > 1)::text FROM (VALUES (1.0), (2.0)) v(x)"),
    ("CREATE AGGREGATE w_surv_remove_init(float8, bool) (sfunc = survival_summary_remove, stype = survival_summary, initcond = '{(1,1,0)}')",
     "SELECT w_surv_remove_init(x, true)::text FROM (VALUES (1.0), (1.0), (2.0)) v(x)"),
    ("CREATE AGGREGATE w_rate_remove(bool) (sfunc = rate_summary_remove_bool, stype = rate_summary)",
     "SELECT w_rate_remove(b)::text FROM (VALUES (true), (false)) v(b)"),
    ("CREATE AGGREGATE w_rate_remove_init(bool) (sfunc = rate_summary_remove_bool, stype = rate_summary, initcond = '(0,1)')",
     "SELECT w_rate_remove_init(b)::text FROM (VALUES (false), (true)) v(b)"),
    ("CREATE AGGREGATE w_contacts_remove(int) (sfunc = rate_summary_remove_contacts, stype = rate_summary)",
     "SELECT w_contacts_remove(c)::text FROM (VALUES (1), (3)) v(c)"),
    ("CREATE AGGREGATE w_csat_remove(int) (sfunc = csat_remove_int4, stype = rate_summary)",
     "SELECT w_csat_remove(c)::text FROM (VALUES (5), (1)) v(c)"),
    ("CREATE AGGREGATE w_csat_remove_t(int, int) (sfunc = csat_remove_threshold, stype = rate_summary)",
     "SELECT w_csat_remove_t(c, 4)::text FROM (VALUES (5), (1)) v(c)"),
    ("CREATE AGGREGATE w_ces_easy_remove(int) (sfunc = ces_easy_remove_int4, stype = rate_summary)",
     "SELECT w_ces_easy_remove(c)::text FROM (VALUES (7), (1)) v(c)"),
    ("CREATE AGGREGATE w_ces_easy_remove_s(int, int) (sfunc = ces_easy_remove_scaled, stype = rate_summary)",
     "SELECT w_ces_easy_remove_s(c, 5)::text FROM (VALUES (5), (1)) v(c)"),
    ("CREATE AGGREGATE w_ces_remove(int) (sfunc = ces_remove_int4, stype = survey_summary)",
     "SELECT w_ces_remove(c)::text FROM (VALUES (7), (1)) v(c)"),
    ("CREATE AGGREGATE w_ces_remove_s(int, int) (sfunc = ces_remove_scaled, stype = survey_summary)",
     "SELECT w_ces_remove_s(c, 5)::text FROM (VALUES (5), (1)) v(c)"),
    ("CREATE AGGREGATE w_survey_remove(int) (sfunc = survey_summary_remove_int4, stype = survey_summary)",
     "SELECT w_survey_remove(s)::text FROM (VALUES (10), (0)) v(s)"),
    ("CREATE AGGREGATE w_survey_remove2(smallint) (sfunc = survey_summary_remove_int2, stype = survey_summary, initcond = '{0,0,0,0,0,0,0,0,0,0,0}')",
     "SELECT w_survey_remove2(s::int2)::text FROM (VALUES (10), (0)) v(s)"),
    ("CREATE AGGREGATE w_survey_remove_score(survey_score) (sfunc = survey_summary_remove_score, stype = survey_summary)",
     "SELECT w_survey_remove_score(s::survey_score)::text FROM (VALUES (10), (0)) v(s)"),
    ("CREATE AGGREGATE w_flow_remove(date, date, date, date) (sfunc = customer_flow_remove_date, stype = customer_flow)",
     "SELECT w_flow_remove(s, NULL, '2024-01-01', '2024-02-01')::text FROM (VALUES (DATE '2023-12-01'), ('2024-01-10')) v(s)"),
    ("CREATE AGGREGATE w_flow_remove_tz(timestamptz, timestamptz, timestamptz, timestamptz) (sfunc = customer_flow_remove_timestamptz, stype = customer_flow)",
     "SELECT w_flow_remove_tz(s, NULL, '2024-01-01', '2024-02-01')::text FROM (VALUES (TIMESTAMPTZ '2023-12-01'), ('2024-01-10')) v(s)"),
    # uncombining what was never combined
    ("CREATE AGGREGATE w_surv_uncombine(survival_summary) (sfunc = survival_summary_uncombine, stype = survival_summary)",
     "SELECT w_surv_uncombine(s)::text FROM (VALUES ('{(1,1,0)}'::survival_summary), ('{(2,0,1)}')) v(s)"),
    ("CREATE AGGREGATE w_rate_uncombine(rate_summary) (sfunc = rate_summary_uncombine, stype = rate_summary)",
     "SELECT w_rate_uncombine(s)::text FROM (VALUES ('(1,2)'::rate_summary), ('(5,5)')) v(s)"),
    ("CREATE AGGREGATE w_survey_uncombine(survey_summary) (sfunc = survey_summary_uncombine, stype = survey_summary)",
     "SELECT w_survey_uncombine(s)::text FROM (VALUES ('{1,0,0,0,0,0,0,0,0,0,0}'::survey_summary), ('{0,0,0,0,0,0,0,0,0,0,2}')) v(s)"),
    ("CREATE AGGREGATE w_flow_uncombine(customer_flow) (sfunc = customer_flow_uncombine, stype = customer_flow)",
     "SELECT w_flow_uncombine(f)::text FROM (VALUES ('[2024-01-01,2024-02-01) rows=5 start=3 end=3 new=1 churned=1 transient=1'::customer_flow),"
     " ('[2024-01-01,2024-02-01) rows=9 start=3 end=4 new=2 churned=1 transient=0')) v(f)"),
    # moving functions swapped: the inverse adds, the forward function removes
    ("CREATE AGGREGATE w_rate_swapped(bool) (sfunc = rate_summary_add_bool, stype = rate_summary, finalfunc = rate,"
     " msfunc = rate_summary_remove_bool, minvfunc = rate_summary_add_bool, mstype = rate_summary, mfinalfunc = rate)",
     "SELECT string_agg(coalesce(w::text, '-'), ',') FROM (SELECT w_rate_swapped(x % 2 = 0) OVER (ORDER BY x ROWS 2 PRECEDING) AS w FROM generate_series(1, 8) x) s"),
    ("CREATE AGGREGATE w_surv_swapped(float8, bool) (sfunc = survival_summary_add, stype = survival_summary,"
     " msfunc = survival_summary_remove, minvfunc = survival_summary_add, mstype = survival_summary)",
     "SELECT count(w) FROM (SELECT w_surv_swapped(x, x % 2 = 0) OVER (ORDER BY x ROWS 2 PRECEDING) AS w FROM generate_series(1, 8) x) s"),
    ("CREATE AGGREGATE w_survey_swapped(int) (sfunc = survey_summary_add_int4, stype = survey_summary,"
     " msfunc = survey_summary_remove_int4, minvfunc = survey_summary_add_int4, mstype = survey_summary)",
     "SELECT count(w) FROM (SELECT w_survey_swapped(x % 11) OVER (ORDER BY x ROWS 2 PRECEDING) AS w FROM generate_series(1, 8) x) s"),
    ("CREATE AGGREGATE w_flow_swapped(date, date, date, date) (sfunc = customer_flow_add_date, stype = customer_flow,"
     " msfunc = customer_flow_remove_date, minvfunc = customer_flow_add_date, mstype = customer_flow)",
     "SELECT count(w) FROM (SELECT w_flow_swapped(DATE '2024-01-01' + x, NULL, '2024-01-01', '2024-02-01') OVER (ORDER BY x ROWS 2 PRECEDING) AS w FROM generate_series(1, 8) x) s"),
    # an inverse as the combine function, under forced parallel plans
    ("CREATE AGGREGATE w_surv_par(float8, bool) (sfunc = survival_summary_add, stype = survival_summary,"
     " combinefunc = survival_summary_uncombine, parallel = safe)",
     "SELECT w_surv_par(x % 97, x % 3 = 0)::text IS NOT NULL FROM w_big"),
    ("CREATE AGGREGATE w_rate_par(bool) (sfunc = rate_summary_add_bool, stype = rate_summary,"
     " combinefunc = rate_summary_uncombine, parallel = safe)",
     "SELECT w_rate_par(x % 3 = 0)::text IS NOT NULL FROM w_big"),
    ("CREATE AGGREGATE w_cohort_par(date, date, text) (sfunc = cohort_summary_add, stype = cohort_summary,"
     " combinefunc = cohort_summary_combine, parallel = safe)",
     "SELECT customers(w_cohort_par(DATE '2024-01-01' + x % 400, NULL, 'week')) FROM w_big"),
    # keyed summaries built without their aggregates: transition functions as
    # window aggregates (no final function; the state is read and then grown)
    ("CREATE AGGREGATE w_cohort_win(date, date, text) (sfunc = cohort_summary_add, stype = cohort_summary)",
     "SELECT string_agg(customers(c)::text, ',') FROM (SELECT w_cohort_win(DATE '2024-01-01' + x * 20, NULL, 'month') OVER (ORDER BY x) AS c FROM generate_series(1, 6) x) s"),
    ("CREATE AGGREGATE w_revenue_win(date, date, numeric, text) (sfunc = revenue_cohort_summary_add, stype = revenue_cohort_summary)",
     "SELECT count(*) FROM (SELECT w_revenue_win(DATE '2024-01-01', DATE '2024-01-01' + x * 20, x, 'month') OVER (ORDER BY x) AS r FROM generate_series(1, 6) x) s"),
    ("CREATE AGGREGATE w_cohort_combine(cohort_summary) (sfunc = cohort_summary_combine, stype = cohort_summary, initcond = 'month; 2024-01-01 1 {}')",
     "SELECT string_agg(customers(c)::text, ',') FROM (SELECT w_cohort_combine(s) OVER (ORDER BY n) AS c FROM (VALUES (1, 'month; 2024-02-01 2 {0:1}'::cohort_summary), (2, NULL), (3, 'month; 2024-01-01 1 {}')) v(n, s)) x"),
    ("CREATE AGGREGATE w_cohort_grain(cohort_summary) (sfunc = cohort_summary_combine, stype = cohort_summary, initcond = 'day; 2024-01-01 1 {}')",
     "SELECT w_cohort_grain(s)::text FROM (VALUES ('month; 2024-02-01 2 {0:1}'::cohort_summary)) v(s)"),
    ("CREATE AGGREGATE w_surv_combine_win(survival_summary) (sfunc = survival_summary_combine, stype = survival_summary)",
     "SELECT count(*) FROM (SELECT w_surv_combine_win(s) OVER (ORDER BY n ROWS 1 PRECEDING) FROM (VALUES (1, '{(1,1,0)}'::survival_summary), (2, '{(2,0,1)}'), (3, NULL)) v(n, s)) x"),
    ("CREATE AGGREGATE w_bridge_win(numeric, numeric, bool) (sfunc = mrr_bridge_add, stype = mrr_bridge)",
     "SELECT count(*) FROM (SELECT w_bridge_win(x, x + 1, true) OVER (ORDER BY x ROWS 1 PRECEDING) FROM generate_series(1, 5) x) s"),
    # transition functions whose state is the wrong summary's accessor input
    ("CREATE AGGREGATE w_nonempty(survey_summary) (sfunc = survey_summary_combine, stype = survey_summary, finalfunc = survey_summary_nonempty)",
     "SELECT w_nonempty(s)::text FROM (VALUES ('{0,0,0,0,0,0,0,0,0,0,0}'::survey_summary)) v(s)"),
]

# mrr() and arr() built from their own support functions (their state type,
# mrr_state since 1.1, was internal in 1.0, which only a superuser may use),
# each with its inverse as the transition function, and the forward and
# inverse functions swapped
SUPERUSER = []
for agg in ("mrr", "arr"):
    fwd, inv, final, stype = pc.sql(
        "SELECT aggtransfn || ' ' || aggminvtransfn || ' ' || aggfinalfn || ' ' || aggtranstype::regtype"
        " FROM pg_aggregate WHERE aggfnoid = '%s(numeric, interval)'::regprocedure" % agg).split()
    SUPERUSER += [
        ("CREATE AGGREGATE w_%s_inv(numeric, interval) (sfunc = %s, stype = %s, finalfunc = %s)"
         % (agg, inv, stype, final),
         "SELECT w_%s_inv(x, '1 month')::text FROM generate_series(1, 3) x" % agg),
        ("CREATE AGGREGATE w_%s_swapped(numeric, interval) (sfunc = %s, stype = %s, finalfunc = %s,"
         " msfunc = %s, minvfunc = %s, mstype = %s, mfinalfunc = %s)"
         % (agg, fwd, stype, final, inv, fwd, stype, final),
         "SELECT count(w) FROM (SELECT w_%s_swapped(x, '1 year') OVER (ORDER BY x ROWS 1 PRECEDING) AS w"
         " FROM generate_series(1, 5) x) s" % agg),
    ]

calls = []
for line in functions:
    name, args, retset = line.split("|")
    retset = "t" if retset in ("t", "true") else "f"
    argtypes = args.split(",") if args else []
    if name == "metric_goals_mark_user":
        calls.append((name, "SELECT metric_goals_mark_user()"))
        continue
    for q in calls_of(name, argtypes, retset == "t"):
        calls.append((name, q))

pc.plan(7)
documented = docstates.documented()
settings = ["SET statement_timeout = '10s'", "SET lc_messages = 'C'"]
try:
    outcomes = pc.session(settings + [q for _, q in calls])[len(settings):]
    crashed = None
except RuntimeError as e:
    outcomes, crashed = [], str(e)
pc.report(crashed is None and len(outcomes) == len(calls),
          "%d direct calls of %d functions in one session: no crash" % (len(calls), len(functions)),
          crashed or "")

seen = {}
bad = []
for (name, q), o in zip(calls, outcomes):
    if not o.failed:
        continue
    seen[(name, o.state)] = seen.get((name, o.state), 0) + 1
    allowed = documented[name] if name in documented else CONTRACT
    if o.state not in allowed | {"0A000"} or o.state == "XX000":
        bad.append("%s: %s (%s)" % (q[:300], o.err.strip().splitlines()[0][:200],
                                    "documented: " + ", ".join(sorted(documented[name]))
                                    if name in documented else "a support function"))
for (name, state), n in sorted(seen.items()):
    print("# seen: %s %s x%d" % (name, state, n))
pc.report(not any(" XX000: " in o.err for o in outcomes), "no direct call raised XX000",
          "\n".join(b for b in bad if "XX000" in b)[:3000])
pc.report(not any(o.state == "57014" for o in outcomes), "no direct call ran into the 10 s statement_timeout",
          "\n".join(q for (_, q), o in zip(calls, outcomes) if o.state == "57014")[:3000])
pc.report(not bad, "every error of a direct call is one its function documents (or the contract's, for support functions)",
          "\n".join(bad[:25]))

# the wrong-order aggregates, built and run by a role that is not a superuser
pc.sql("DROP ROLE IF EXISTS csm_builder; CREATE ROLE csm_builder;"
       " GRANT CREATE ON SCHEMA public TO csm_builder;"
       " CREATE TABLE w_big AS SELECT x FROM generate_series(1, 20000) x; ANALYZE w_big;"
       " GRANT SELECT ON w_big TO csm_builder")
parallel = ["SET parallel_setup_cost = 0", "SET parallel_tuple_cost = 0", "SET min_parallel_table_scan_size = 0",
            "SET max_parallel_workers_per_gather = 2", "SET statement_timeout = '10s'"]
commands = ["SET ROLE csm_builder"] + parallel
for create, query in WRONG:
    commands += [create, query]
commands += ["RESET ROLE"]
for create, query in SUPERUSER:
    commands += [create, query]
try:
    outcomes = pc.session(commands)
    crashed = None
except RuntimeError as e:
    outcomes, crashed = [], str(e)
pc.report(crashed is None, "%d wrong-order aggregates built and run: no crash" % (len(WRONG) + len(SUPERUSER)),
          crashed or "")
creates = [o for o, c in zip(outcomes, commands) if c.startswith("CREATE AGGREGATE")]
runs = [(c, o) for o, c in zip(outcomes, commands) if c.startswith("SELECT")]
pc.report(crashed is None and not any(o.failed for o in creates) and len(creates) == len(WRONG) + len(SUPERUSER),
          "a role that is not a superuser may build them (the internal-state ones as superuser)",
          "\n".join(o.err for o in creates if o.failed)[:2000])
states = {}
for c, o in runs:
    if o.failed:
        states[o.state] = states.get(o.state, 0) + 1
print("# wrong-order aggregates: %s" % ", ".join("%s x%d" % kv for kv in sorted(states.items())))
pc.report(crashed is None and all(o.state in CONTRACT for _, o in runs if o.failed),
          "their errors are all in the contract (no XX000, no timeout)",
          "\n".join("%s: %s" % (c[:200], o.err.strip()[:300]) for c, o in runs
                    if o.failed and o.state not in CONTRACT))
