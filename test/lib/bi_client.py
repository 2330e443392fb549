"""Read doc/bi.md's views through psycopg 3, the way a BI tool does.

Every metric must arrive as a number of the documented Python type (float
for double precision rates and percentages, Decimal for numeric money, int
for bigint counts, date for periods) with the hand-computed value, and
summaries as their documented text form.  With binary transfer the same
numbers arrive, and the csmetrics types, which psycopg does not know, arrive
as bytes in their documented binary layout; a summary sent back in binary
(through the type's receive function) gives the same answers, and corrupt
bytes are refused with SQLSTATE 22P03.

Connects with libpq's environment (PGHOST, PGPORT, PGUSER) to $CSM_DB, where
bi_client.sh has run doc/bi.md.  Prints TAP lines numbered after argv[1].
"""
import datetime
import math
import os
import struct
import sys
from decimal import Decimal

import psycopg
from psycopg.adapt import Dumper
from psycopg.pq import Format

_count = int(sys.argv[1]) if len(sys.argv) > 1 else 0
Z95 = 1.959963984540054          # the two-sided 95% normal quantile


def report(ok, name, detail=""):
    global _count
    _count += 1
    print(("ok %d - %s" if ok else "not ok %d - %s") % (_count, name))
    if not ok:
        for line in str(detail).splitlines():
            print("#   " + line)


def same(got, expected):
    """Equal values of exactly the same types (floats to 1e-12 relative)."""
    if len(got) != len(expected):
        return False
    for g, e in zip(got, expected):
        if type(g) is not type(e):
            return False
        if isinstance(e, float):
            if not math.isclose(g, e, rel_tol=1e-12, abs_tol=1e-12):
                return False
        elif g != e:
            return False
    return True


def check_rows(cur, name, sql, expected, params=None):
    try:
        cur.execute(sql, params)
        rows = [tuple(r) for r in cur.fetchall()]
    except psycopg.Error as e:
        report(False, name, e)
        return
    ok = len(rows) == len(expected) and all(same(r, e) for r, e in zip(rows, expected))
    report(ok, name, "expected: %r\ngot:      %r" % (expected, rows))


def adjusted_wald(p, n_passive, d, lower):
    """Hand formula of doc/nps.md: add 3/4 promoter, 3/4 detractor, 1.5 passives."""
    n = p + n_passive + d + 3
    pp, dd = (p + 0.75) / n, (d + 0.75) / n
    se = 100 * math.sqrt((pp + dd - (pp - dd) ** 2) / n)
    centre = 100 * (pp - dd)
    return max(-100.0, centre - Z95 * se) if lower else min(100.0, centre + Z95 * se)


def D(s):
    return Decimal(s)


def d(s):
    return datetime.date.fromisoformat(s)


conn = psycopg.connect(dbname=os.environ.get("CSM_DB", "csm_suites"), autocommit=True)
types = {r[0]: r[1] for r in conn.execute(
    "SELECT typname, oid::int FROM pg_type WHERE typname IN "
    "('survey_summary', 'rate_summary', 'mrr_bridge', 'customer_flow')")}

for binary in (False, True):
    mode = "binary" if binary else "text"
    cur = conn.cursor(binary=binary)

    # NPS by month: January 3 promoters, 1 passive, 1 detractor = 40
    check_rows(cur, "%s: nps_by_month, date/int/float" % mode,
               "SELECT month, responses, nps, nps_lower_95, nps_upper_95 FROM nps_by_month "
               "WHERE month <= %s ORDER BY month", [
                   (d("2024-01-01"), 5, 40.0, adjusted_wald(3, 1, 1, True), adjusted_wald(3, 1, 1, False)),
                   (d("2024-02-01"), 3, -100.0 / 3, adjusted_wald(1, 0, 2, True), adjusted_wald(1, 0, 2, False)),
               ], [d("2024-02-01")])

    # week of 1 January: CSAT 5, 3, 4; CES 7, 4, 6; contacts 1, 2, 1, 1
    check_rows(cur, "%s: support_by_week" % mode,
               "SELECT week, tickets, csat_pct, ces_mean, ces_easy_pct, fcr_pct FROM support_by_week "
               "ORDER BY week LIMIT 1",
               [(d("2024-01-01"), 1 * 4, 200.0 / 3, 17.0 / 3, 200.0 / 3, 75.0)])

    check_rows(cur, "%s: churn_by_month, April" % mode,
               "SELECT customers_at_start, new_customers, churned_customers, customers_at_end, "
               "churn_pct, crr_pct FROM churn_by_month WHERE month = '2024-04-01'",
               [(6, 0, 1, 5, 100.0 / 6, 500.0 / 6)])

    # February: starting 380, new 50 + 100, 5 churned 80
    check_rows(cur, "%s: mrr_bridge_by_month, money as Decimal" % mode,
               "SELECT starting_mrr, new_mrr, expansion_mrr, reactivation_mrr, contraction_mrr, "
               "churned_mrr, ending_mrr, net_new_mrr, grr_pct, nrr_pct, quick_ratio, "
               "customers_at_start, customers_at_end FROM mrr_bridge_by_month "
               "WHERE month IN ('2024-02-01', '2024-03-01') ORDER BY month", [
                   (D("380.00"), D("150.00"), D("0.00"), D("0.00"), D("0.00"), D("80.00"), D("450.00"),
                    D("70.00"), 30000.0 / 380, 30000.0 / 380, 1.875, 3, 4),
                   (D("450.00"), D("0.00"), D("100.00"), D("0.00"), D("0.00"), D("0.00"), D("550.00"),
                    D("100.00"), 100.0, 55000.0 / 450, None, 4, 4),
               ])

    check_rows(cur, "%s: cohort_triangle" % mode,
               "SELECT cohort, period, cohort_size, retained, retention_pct FROM cohort_triangle "
               "WHERE cohort = '2024-01-01' AND period IN (2, 3) ORDER BY period",
               [(d("2024-01-01"), 2, 4, 4, 100.0), (d("2024-01-01"), 3, 4, 3, 75.0)])

    # renewals of February: 3 renewed, 1 churned; Wilson lower bound by hand
    n, k, z2 = 4, 3, Z95 ** 2
    p = k / n
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z95 / (1 + z2 / n) * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    check_rows(cur, "%s: renewal_rate_by_month with a Wilson interval" % mode,
               "SELECT renewed, churned, renewal_rate_pct, lower_95, upper_95 "
               "FROM renewal_rate_by_month WHERE month = '2024-02-01'",
               [(3, 1, 75.0, 100 * (centre - half), 100 * (centre + half))])

    check_rows(cur, "%s: quarterly_summary (rollup of the materialized days)" % mode,
               "SELECT quarter, nps_responses, nps, csat_pct, fcr_pct, renewal_rate_pct, new_mrr, "
               "net_new_mrr, quick_ratio FROM quarterly_summary WHERE quarter = '2024-01-01'",
               [(d("2024-01-01"), 12, 100.0 / 3, 400.0 / 6, 500.0 / 7, 600.0 / 7, D("680.00"),
                 D("700.00"), 9.75)])

    # NULLs arrive as None: no CSAT answers in March, no losses in January
    check_rows(cur, "%s: undefined metrics are None" % mode,
               "SELECT csat_pct, quick_ratio FROM monthly_summary WHERE month = '2024-03-01'",
               [(None, None)])

# text transfer: summaries as their documented text form
cur = conn.cursor()
check_rows(cur, "text: survey_summary and rate_summary of a day in their text forms",
           "SELECT nps, csat, fcr FROM daily_summary WHERE day = '2024-01-05'",
           [("{0,0,0,0,0,0,0,0,0,0,1}", None, "(1,1)")])
check_rows(cur, "text: rolled-up summaries of the first quarter",
           "SELECT rollup(nps), rollup(csat), rollup(ces) FROM daily_summary "
           "WHERE day >= '2024-01-01' AND day < '2024-04-01'",
           [("{0,0,0,1,0,1,1,1,1,4,3}", "(4,6)", "{0,0,1,0,1,1,2,1,0,0,0}")])  # CES 7, 4, 6, 2, 5 and 6
check_rows(cur, "text: mrr_bridge in its text form",
           "SELECT mrr_moves FROM daily_summary WHERE day = '2024-01-01'",
           [("{starting_mrr=0.00, new_mrr=380.00, expansion_mrr=0.00, reactivation_mrr=0.00, "
             "contraction_mrr=0.00, churned_mrr=0.00, new=3, expansion=0, reactivation=0, contraction=0, "
             "churn=0, unchanged=0, inactive=0, sum_s2=0.0000, sum_e2=0.0000, sum_se=0.0000, "
             "sum_g2=0.0000, sum_sg=0.0000}",)])
check_rows(cur, "text: customer_flow in its text form",
           "SELECT customer_flow_agg(started_on, ended_on, '2024-04-01', '2024-05-01') FROM customer_spans",
           [("[2024-04-01,2024-05-01) rows=7 start=6 end=5 new=0 churned=1 transient=0",)])
# a summary as a query parameter (text), as a tool that stores summaries sends it back:
# 24 answers, 4 + 9 promoters, 1 + 2 detractors: (13 - 3) / 24 = 41.67
check_rows(cur, "text: a summary sent as a parameter",
           "SELECT nps(%s::survey_summary), responses(%s::survey_summary)",
           [(1000.0 / 24, 24)], ["{1,0,0,0,0,2,0,5,3,4,9}"] * 2)

# binary transfer: the csmetrics types arrive as bytes in their documented layouts
cur = conn.cursor(binary=True)
cur.execute("SELECT '{1,0,0,0,0,2,0,5,3,4,9}'::survey_summary, rollup(csat), rollup(mrr_moves) "
            "FROM daily_summary WHERE day >= '2024-01-01' AND day < '2024-04-01'")
survey, rate, bridge = cur.fetchone()
expected_survey = b"\x01" + struct.pack("!11q", 1, 0, 0, 0, 0, 2, 0, 5, 3, 4, 9)
report(type(survey) is bytes and survey == expected_survey,
       "binary: survey_summary is version 1 + eleven big-endian int64", survey)
report(rate == b"\x01" + struct.pack("!qq", 4, 6),
       "binary: rate_summary is version 1 + successes, trials as int64", rate)


def numeric_from_binary(buf):
    """numeric's binary form: ndigits, weight, sign, dscale, then base-10000 digits."""
    ndigits, weight, sign, dscale = struct.unpack("!hhHh", buf[:8])
    digits = struct.unpack("!%dH" % ndigits, buf[8:8 + 2 * ndigits])
    value = sum((Decimal(dg) * Decimal(10000) ** (weight - i) for i, dg in enumerate(digits)), Decimal(0))
    value = value.quantize(Decimal(1).scaleb(-dscale))
    return -value if sign == 0x4000 else value


def parse_bridge(buf):
    version, flags = buf[0], buf[1]
    counts = struct.unpack("!7q", buf[2:58])
    pos, amounts = 58, []
    for _ in range(6):
        (length,) = struct.unpack("!i", buf[pos:pos + 4])
        amounts.append(numeric_from_binary(buf[pos + 4:pos + 4 + length]))
        pos += 4 + length
    sums = []
    if version == 2:
        # the five sums of the intervals, each 32 bytes big-endian, units of 10^-(2 scale)
        sums = [int.from_bytes(buf[pos + 32 * i:pos + 32 * (i + 1)], "big") for i in range(5)]
        pos += 5 * 32
    return version, flags, counts, amounts, sums, pos == len(buf)


# Q1 movements by day: 6 new accounts (680), 2 upgraded (100), 5 left (80);
# the movers' MRR the day before: 200 (2 on 1 March) + 80 (5 on 1 February).
# Sums over those two (S -> E: 200 -> 300, 80 -> 0; G = min(S, E) = 200, 0), in 10^-4:
# S^2 40000 + 6400, E^2 90000, S E 60000, G^2 40000, S G 40000
parsed = parse_bridge(bridge)
report(parsed == (2, 0, (6, 1, 0, 0, 1, 0, 0),
                  [D("280.00"), D("680.00"), D("100.00"), D("0.00"), D("0.00"), D("80.00")],
                  [464000000, 900000000, 600000000, 400000000, 400000000], True),
       "binary: mrr_bridge is version, flags, 7 int64 counts, 6 length-prefixed numerics, 5 sums",
       parsed)

cur.execute("SELECT customer_flow_agg(started_on, ended_on, '2024-04-01', '2024-05-01') FROM customer_spans")
(flow,) = cur.fetchone()
days = (datetime.date(2024, 4, 1) - datetime.date(2000, 1, 1)).days
report(flow == bytes([1, 0]) + struct.pack("!7q", days, days + 30, 7, 6, 1, 0, 0),
       "binary: customer_flow is version, kind, period as days since 2000, rows, S, churned, N, transient",
       flow)


# and back: a summary sent in binary goes through the type's receive function
class SurveySummaryBytes(bytes):
    pass


class SurveySummaryDumper(Dumper):
    format = Format.BINARY
    oid = types["survey_summary"]

    def dump(self, obj):
        return bytes(obj)


conn.adapters.register_dumper(SurveySummaryBytes, SurveySummaryDumper)
cur = conn.cursor(binary=True)     # a cursor copies the connection's adapters when created
check_rows(cur, "binary: a survey_summary parameter sent in binary",
           "SELECT nps(%b), %b::text", [(1000.0 / 24, "{1,0,0,0,0,2,0,5,3,4,9}")],
           [SurveySummaryBytes(expected_survey)] * 2)
for name, payload in [("version 2", b"\x02" + expected_survey[1:]),
                      ("one byte short", expected_survey[:-1]),
                      ("a negative count", b"\x01" + struct.pack("!11q", 1, 0, 0, 0, 0, -2, 0, 5, 3, 4, 9))]:
    try:
        cur.execute("SELECT nps(%b)", [SurveySummaryBytes(payload)])
        report(False, "binary: corrupt parameter refused (%s)" % name, "accepted: %r" % (cur.fetchall(),))
    except psycopg.Error as e:
        report(e.sqlstate == "22P03", "binary: corrupt parameter refused (%s): %s" % (name, e.sqlstate), e)
report(conn.execute("SELECT 1").fetchone() == (1,), "the connection is still usable")
conn.close()
