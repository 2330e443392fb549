"""Binary forms around the log-rank test and trial_conversion_agg: the
survival_test_result row and the rate_summary of trial_conversion_agg make
binary COPY round trips; survival summaries read from binary COPY give R's
log-rank statistic; forged summaries are refused (22P03) before any test
runs, and never reach it."""
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import pgcopy as pc  # noqa: E402

pc.plan(13)


def entry(t, d, c):
    """One tenure: float8 tenure, int64 churned, int64 censored."""
    return struct.pack("!dqq", t, d, c)


def summary(*entries):
    return b"\x01" + struct.pack("!i", len(entries)) + b"".join(entry(*e) for e in entries)


# the 6-MP trial (Freireich et al. 1963): 6-MP and placebo arms
MP6 = summary((6, 3, 1), (7, 1, 0), (9, 0, 1), (10, 1, 1), (11, 0, 1), (13, 1, 0), (16, 1, 0),
              (17, 0, 1), (19, 0, 1), (20, 0, 1), (22, 1, 0), (23, 1, 0), (25, 0, 1), (32, 0, 2),
              (34, 0, 1), (35, 0, 1))
PLACEBO = summary((1, 2, 0), (2, 2, 0), (3, 1, 0), (4, 2, 0), (5, 2, 0), (8, 4, 0), (11, 2, 0),
                  (12, 2, 0), (15, 1, 0), (17, 1, 0), (22, 1, 0), (23, 1, 0))

pc.sql("""
CREATE TABLE summaries (s survival_summary);
CREATE TABLE results (id int, res survival_test_result);
CREATE TABLE rates (id int, r rate_summary);
""")

# 1. summaries written in binary, then tested: R's survdiff gives 16.79294098921654
outcomes, (got,) = pc.copy_each(
    "summaries", [MP6, PLACEBO],
    after=["SELECT abs(t.chi_square - 16.79294098921654) < 1e-9 * 16.79294098921654, t.degrees_of_freedom"
           " FROM (SELECT array_agg(s) AS a FROM summaries) x,"
           " survival_difference_test(x.a[1], x.a[2]) t"])
pc.report(not any(o.failed for o in outcomes), "binary summaries of the 6-MP arms are accepted",
          " ".join(o.err for o in outcomes))
pc.report(got.out.strip() == "t|1", "and give R's log-rank chi-square on 1 degree of freedom",
          got.out + got.err)

# 2. the result row, and trial_conversion_agg's rate_summary, round trip in binary
pc.round_trip("results", " ".join("""
SELECT 1, survival_difference_test('{(1,1,0),(2,0,1)}', '{(1,0,1),(3,1,0)}')
UNION ALL SELECT 2, survival_difference_test('{(1,1,0)}', '{}')
UNION ALL SELECT 3, NULL
UNION ALL SELECT 4, survival_difference_test_groups(l, s::survival_summary)
  FROM (VALUES ('a', '{(1,1,0),(3,0,1)}'), ('b', '{(2,1,0),(3,0,1)}'), ('c', '{(3,1,1)}')) v(l, s)""".split()), 4)
pc.check("the row read back keeps every bit of the statistic",
         "SELECT (res).chi_square = 1, (res).p_value = erfc_check FROM results,"
         " (SELECT 0.31731050786291404::float8 AS erfc_check) c WHERE id = 1", "t|t")
pc.round_trip("rates", " ".join("""
SELECT g, trial_conversion_agg(date '2026-03-01' + i % 20,
                               CASE WHEN i % 3 = 0 THEN date '2026-03-01' + i % 20 + i % 17 END,
                               '14 days', date '2026-03-25')
FROM generate_series(1, 1000) i, LATERAL (SELECT i % 4 AS g) gg GROUP BY g""".split()), 4)

# 3. forged summaries never reach the test: refused with 22P03 on input
pc.check_rejected("summaries", [
    ("counts that add up beyond bigint",
     summary((1, 9223372036854775807, 0), (2, 1, 0)), "22P03"),
    ("tenures out of order", summary((7, 1, 0), (6, 1, 0)), "22P03"),
    ("an entry with nobody", summary((6, 0, 0)), "22P03"),
    ("a negative count", summary((6, -1, 2)), "22P03"),
])

# 4. a forged rate_summary: more successes than trials
pc.check_rejected("rates", [
    ("more successes than trials", (struct.pack("!i", 1), b"\x01" + struct.pack("!qq", 5, 4)), "22P03"),
])

# 5. the test over the two binary summaries equals the test over their text forms
pc.check("binary and text inputs give the same statistic",
         "SELECT t1.chi_square = t2.chi_square"
         " FROM (SELECT array_agg(s) AS a, array_agg(s::text) AS b FROM summaries) x,"
         " survival_difference_test(x.a[1], x.a[2]) t1,"
         " survival_difference_test(x.b[1]::survival_summary, x.b[2]::survival_summary) t2", "t")
