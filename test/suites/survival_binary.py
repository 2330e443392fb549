"""survival_summary binary form: COPY round trips, and binary input that is
truncated, corrupted or forged must be refused with 22P03, never crash the
server or give a wrong summary."""
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import pgcopy as pc  # noqa: E402

pc.plan(30)


def entry(t, d, c):
    """One tenure: float8 tenure, int64 churned, int64 censored."""
    return struct.pack("!dqq", t, d, c)


def count(n):
    return struct.pack("!i", n)


pc.sql("""
CREATE TABLE surv_src (id int, s survival_summary);
INSERT INTO surv_src VALUES
    (1, '{(6,3,1),(7,1,0),(9,0,1),(10,1,1)}'),
    (2, '{}'),
    (3, NULL),
    (4, '{(0,1,0),(1e-300,0,2),(0.1,5,0),(1e300,0,9223372036854775790)}');
INSERT INTO surv_src SELECT 5, survival_agg(i / 7.0, i % 3 = 0) FROM generate_series(1, 5000) i;
CREATE TABLE surv_dst (LIKE surv_src);
CREATE TABLE surv_in (v survival_summary);
""")

# 1. binary COPY out and back in gives the same values
pc.round_trip("surv_dst", "SELECT * FROM surv_src", 5)
pc.check("send is stable through recv",
         "SELECT bool_and(survival_summary_send(a.s) = survival_summary_send(b.s))"
         " FROM surv_src a JOIN surv_dst b USING (id) WHERE a.s IS NOT NULL", "t")

# 2. a hand-made value, then each defect
outcomes, (got,) = pc.copy_each("surv_in", [b"\x01" + count(2) + entry(6, 3, 1) + entry(7, 1, 0)],
                                after=["SELECT v FROM surv_in"])
pc.report(not outcomes[0].failed, "a hand-made binary value is accepted", outcomes[0].err)
pc.report(got.out.strip() == "{(6,3,1),(7,1,0)}", "and reads back as written", got.out + got.err)
pc.check_rejected("surv_in", [
    ("unknown version", b"\x02" + count(1) + entry(6, 1, 0), "22P03"),
    ("negative entry count", b"\x01" + count(-1), "22P03"),
    ("entry count beyond the data (checked before allocating)",
     b"\x01" + count(2147483647) + entry(6, 1, 0), "22P03"),
    ("entry count one more than the data", b"\x01" + count(2) + entry(6, 1, 0), "22P03"),
    ("trailing bytes", b"\x01" + count(1) + entry(6, 1, 0) + b"\x00", "22P03"),
    ("no count", b"\x01", "22P03"),
    ("count cut short", b"\x01\x00\x00", "22P03"),
    ("empty value", b"", "22P03"),
    ("decreasing tenures", b"\x01" + count(2) + entry(7, 1, 0) + entry(6, 1, 0), "22P03"),
    ("repeated tenure", b"\x01" + count(2) + entry(6, 1, 0) + entry(6, 1, 0), "22P03"),
    ("negative tenure", b"\x01" + count(1) + entry(-1, 1, 0), "22P03"),
    ("negative zero tenure", b"\x01" + count(1) + entry(-0.0, 1, 0), "22P03"),
    ("NaN tenure", b"\x01" + count(1) + entry(float("nan"), 1, 0), "22P03"),
    ("infinite tenure", b"\x01" + count(1) + entry(float("inf"), 1, 0), "22P03"),
    ("negative churned count", b"\x01" + count(1) + entry(6, -1, 0), "22P03"),
    ("negative censored count", b"\x01" + count(1) + entry(6, 0, -5), "22P03"),
    ("entry without customers", b"\x01" + count(1) + entry(6, 0, 0), "22P03"),
    ("counts that overflow in total",
     b"\x01" + count(2) + entry(6, 9223372036854775807, 0) + entry(7, 1, 0), "22P03"),
])

# the shared readers (src/csm_io.c): the version byte is named, and the entry count
# is checked before anything is allocated: (1 GB - 1 - 16) / 24 = 44739241 entries
# fit in a value; announcing that many with one entry sent must be refused without
# the 1 GB allocation; 178956971 entries of 24 bytes are 2^32 + 8 bytes, which a
# check computed in 32 bits would take for 8
pc.check_rejected("surv_in", [
    ("version 3, named", b"\x03" + count(1) + entry(6, 1, 0), "22P03",
     "unsupported survival_summary binary version 3"),
    ("entry count whose byte count wraps in 32 bits", b"\x01" + count(178956971) + bytes(8),
     "22P03", "invalid entry count 178956971 in survival_summary binary input"),
])
pc.check_refused_small("surv_in", [
    ("44739241 entries announced, one sent", b"\x01" + count(44739241) + entry(6, 1, 0),
     "invalid entry count 44739241 in survival_summary binary input"),
])

# 3. single-byte corruptions and truncations of a valid value: each is refused with 22P03
# or decodes to a valid summary; the server stays up throughout
base = b"\x01" + count(3) + entry(1.5, 2, 1) + entry(4, 0, 3) + entry(9, 1, 0)
pc.check_fuzz("surv_in", "survival_summary",
              list(pc.byte_flips(base, [0x00, 0xFF, 0x80, 0x7F, lambda b: b ^ 0x01]))
              + pc.truncations(base), "a survival_summary")
pc.check_server_up()
