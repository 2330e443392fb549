"""cohort_summary and revenue_cohort_summary: binary COPY round trips, the
documented byte layout, hand-made corrupt input refused with 22P03 (22003
for a cohort size that overflows), and corruptions of valid values that
must either load a valid value or be refused cleanly."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import pgcopy as pc  # noqa: E402

pc.plan(46)

pc.sql("""
CREATE TABLE cs (id int, s cohort_summary, r revenue_cohort_summary);
INSERT INTO cs VALUES
    (1, 'month; 2024-01-01 3 {0:1, 2:1}; 2024-02-01 2 {0:1, 3:1}',
        'month; 2024-01-01 {0:150.00, 1:120.50, 3:180}; 2024-02-01 {0:30}'),
    (2, 'week', 'week'),
    (3, 'day; 2024-02-29 9223372036854775807 {}',
        'year; 2024-01-01 {0:-123456789012345678901234567890.123456789, 7:0.000}'),
    (4, NULL, NULL);
INSERT INTO cs SELECT 5,
    cohort_agg(DATE '2020-01-01' + (g * 7919) % 1500,
               CASE WHEN g % 3 = 0 THEN NULL ELSE DATE '2020-01-01' + (g * 7919) % 1500 + g % 400 END,
               'week'),
    revenue_cohort_agg(DATE '2020-01-01' + g % 900, DATE '2020-01-01' + g % 900 + g % 200,
                       (g % 97) / 7.0, 'month')
FROM generate_series(1, 20000) g;
CREATE TABLE cs2 (LIKE cs);
CREATE TABLE cohort_in (v cohort_summary);
CREATE TABLE revenue_in (v revenue_cohort_summary);
""")

# binary COPY out and back in gives the same values
pc.round_trip("cs2", "SELECT * FROM cs", 5)
# send gives: version, grain, ncells, cells (cohort date, period, count)
pc.check("binary layout of a small cohort_summary",
         "SELECT encode(cohort_summary_send('month; 2024-01-01 2 {1:1}'), 'hex')",
         "0103000000020000223effffffff00000000000000010000223e000000010000000000000001")

x = bytes.fromhex
pc.check_rejected("cohort_in", [
    ("cohort: unknown version", x("02030000000000"), "22P03"),
    ("cohort: unknown grain", x("01090000000000"), "22P03"),
    ("cohort: negative cell count", x("0103ffffffff"), "22P03"),
    ("cohort: cell count larger than the message", x("01037fffffff00000000"), "22P03"),
    ("cohort: truncated cell", x("01030000000100002220ffffffff00"), "22P03"),
    ("cohort: zero count", x("0103000000010000223effffffff0000000000000000"), "22P03"),
    ("cohort: negative count", x("0103000000010000223effffffffffffffffffffffff"), "22P03"),
    ("cohort: period below -1", x("0103000000010000223efffffffe0000000000000001"), "22P03"),
    ("cohort: cohort date not a period start", x("0103000000010000223fffffffff0000000000000001"), "22P03"),
    ("cohort: cells out of order",
     x("0103000000020000225dffffffff00000000000000010000223effffffff0000000000000001"), "22P03"),
    ("cohort: duplicate cell",
     x("0103000000020000223effffffff00000000000000010000223effffffff0000000000000001"), "22P03"),
    ("cohort: cohort size overflows",
     x("0103000000020000223effffffff7fffffffffffffff0000223e000000000000000000000001"), "22003"),
    ("cohort: trailing bytes", x("0103000000000000"), "22P03"),
    ("cohort: empty", b"", "22P03"),
    ("cohort: version only", x("01"), "22P03"),
    ("cohort: no cell count", x("0103"), "22P03"),
    ("cohort: cell count cut short", x("0103000000"), "22P03"),
])
pc.check_rejected("revenue_in", [
    ("revenue: unknown version", x("02030000000000"), "22P03"),
    ("revenue: cell count larger than the message", x("0103000000050000223e00000000"), "22P03"),
    ("revenue: sum length past the end", x("01030000000100002220000000000000ffff0000000000000000"), "22P03"),
    ("revenue: negative period", x("0103000000010000223effffffff00000008000000000000000000000000"), "22P03"),
    ("revenue: NaN sum", x("0103000000010000223e0000000000000008000000000000c0000000"), "22P03"),
    ("revenue: sum length not matching its digits",
     x("0103000000010000223e000000000000000a00030000000000000001"), "22P03"),
    ("revenue: sum length below a numeric header",
     x("0103000000010000223e00000000000000040000000000000000"), "22P03"),
    ("revenue: empty", b"", "22P03"),
    ("revenue: version only", x("01"), "22P03"),
    ("revenue: no cell count", x("0103"), "22P03"),
    ("revenue: cell cut before the sum", x("0103000000010000223e00000000000000"), "22P03"),
    # two cells pass the 20-bytes-a-cell check because the first sum has 8 digits,
    # but the second cell stops inside its period
    ("revenue: second cell cut inside its period",
     x("010300000002" "0000223e00000000" "00000018" "0008000700000000" + "0001" * 8 + "0000223e"),
     "22P03"),
])

# corruptions
# the shared readers (src/csm_io.c): the version byte is named, and an element count
# is checked against the type's maximum and the bytes that follow before anything is
# allocated for it.  (1 GB - 1 - 16) / 16 = 67108862 cells fit in a cohort_summary,
# and as many in a revenue_cohort_summary (16 bytes for the smallest stored cell);
# counts at that maximum, with no cells in the message, must be refused without the
# 1 GB allocation; 268435457 cells of 16 bytes are 2^32 + 16 bytes, which a check
# computed in 32 bits would take for 16
pc.check_rejected("cohort_in", [
    ("cohort: version 4, named", x("04030000000000"), "22P03",
     "unsupported cohort_summary binary version 4"),
    ("cohort: cell count above the maximum", x("01037fffffff"), "22P03",
     "invalid cell count 2147483647 in cohort_summary binary input"),
    ("cohort: cell count whose byte count wraps in 32 bits",
     x("010310000001") + bytes(16), "22P03",
     "invalid cell count 268435457 in cohort_summary binary input"),
])
pc.check_rejected("revenue_in", [
    ("revenue: version 4, named", x("04030000000000"), "22P03",
     "unsupported revenue_cohort_summary binary version 4"),
    ("revenue: cell count one more than the message holds",
     x("010300000002" "0000223e00000000" "00000008" "0000000000000000"), "22P03",
     "invalid cell count 2 in revenue_cohort_summary binary input"),
])
pc.check_refused_small("cohort_in", [
    ("cohort: 67108862 cells announced, none sent", x("010303fffffe"),
     "invalid cell count 67108862 in cohort_summary binary input"),
])
pc.check_refused_small("revenue_in", [
    ("revenue: 67108862 cells announced, one sent",
     x("010303fffffe" "0000223e00000000" "00000008" "0000000000000000"),
     "invalid cell count 67108862 in revenue_cohort_summary binary input"),
])

# corruptions (fixed seeds) of valid values: each loads a valid value or is refused with
# 22P03 (22003: a cohort size that overflows)
values = pc.rows(pc.copy_out("SELECT s, r FROM cs WHERE id IN (1, 3) ORDER BY id"))
for column, (table, typname, seed) in enumerate([("cohort_in", "cohort_summary", 20240229),
                                                 ("revenue_in", "revenue_cohort_summary", 20240301)]):
    payloads = []
    for n, row in enumerate(values):
        payloads += list(pc.random_overwrites(row[column], 100, seed + n))
        payloads += pc.truncations(row[column])
    pc.check_fuzz(table, typname, payloads, "a " + typname, allowed=("22P03", "22003"))
pc.check_server_up()
