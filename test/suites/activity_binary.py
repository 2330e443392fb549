"""activity_summary binary form: COPY round trips, the stored keys of text
ids (against the independent test/lib/textkey.py), and binary input that is
truncated, corrupted or forged must be refused with 22P03, never crash the
server or give a wrong summary."""
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import pgcopy as pc  # noqa: E402
from textkey import text_key  # noqa: E402

pc.plan(42)

DAY_2024_01_01 = 8766  # days from 2000-01-01


def head(kind=1, flags=0, time_us=0, users=1, version=1):
    """version, kind (1 bigint, 2 uuid, 3 text), flags, int64 time, int32 users"""
    return struct.pack("!BBBqi", version, kind, flags, time_us, users)


def user(key, runs, kind=1):
    """a user: its key (int64; two for a uuid), int32 runs, (from, to) dates"""
    k = struct.pack("!qq", *key) if kind == 2 else struct.pack("!q", key)
    return k + struct.pack("!i", len(runs)) + b"".join(struct.pack("!ii", a, b) for a, b in runs)


D = DAY_2024_01_01

pc.sql("""
CREATE TABLE act_src (id int, s activity_summary);
INSERT INTO act_src VALUES
    (1, 'bigint time_us=6900000000 {1:2024-01-31/2024-02-01,2:2024-02-03,3:2024-01-05/2024-01-06 2024-03-01}'),
    (2, 'uuid time_us=none {00000000-0000-0000-0000-000000000001:2024-01-01,a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11:0001-01-01 5874897-12-31}'),
    (3, NULL),
    (4, 'text time_us=0 {00000000000000ff:2024-01-01 2024-01-03,ffffffffffffffff:2024-01-01}'),
    (5, 'bigint time_us=none {-9223372036854775808:2024-01-01,9223372036854775807:2024-01-01}');
INSERT INTO act_src SELECT 6, activity_agg(i % 997, '2024-01-01'::date + i % 400, make_interval(secs => i))
    FROM generate_series(1, 20000) i;
INSERT INTO act_src SELECT 7, activity_agg('user-' || i % 1500, '2024-01-01'::date + i % 40)
    FROM generate_series(1, 20000) i;
CREATE TABLE act_dst (LIKE act_src);
CREATE TABLE act_in (v activity_summary);
""")

# 1. binary COPY out and back in gives the same values
pc.round_trip("act_dst", "SELECT * FROM act_src", 7)
pc.check("send is stable through recv",
         "SELECT bool_and(activity_summary_send(a.s) = activity_summary_send(b.s) AND a.s = b.s)"
         " FROM act_src a JOIN act_dst b USING (id) WHERE a.s IS NOT NULL", "t")

# 2. the stored keys of text ids are textkey.py's keys of their UTF-8 bytes
ids = ["alice", "bob", "", "a", "exactly8", "nine byte", "a much longer customer id of 40 bytes..",
       "Zoë", "顧客-42", "x" * 1000]
values = ",".join("($q$%s$q$)" % i for i in ids)
out = pc.sql("SELECT activity_agg(u, '2024-01-01'::date) FROM (VALUES %s) v(u)" % values)
stored = out[out.index("{") + 1:out.index("}")].split(",")
expect = sorted("%016x:2024-01-01" % text_key(i.encode("utf-8")) for i in ids)
pc.report(stored == expect, "text ids are stored as the keys of test/lib/textkey.py, in order",
          "stored %s\nexpected %s" % (stored, expect))
pc.check("the binary form carries the same key (alice)",
         "SELECT substr(activity_summary_send(activity_agg('alice', '2024-01-01'::date)), 16, 8)"
         " = decode('%016x', 'hex')" % text_key(b"alice"), "t")
pc.check("many distinct text ids count exactly (300000)",
         "SELECT active_users(activity_agg('customer-' || i, '2024-01-01'::date))"
         " FROM generate_series(1, 300000) i", "300000")

# 3. hand-made values
good = head(users=2) + user(-5, [(D, D + 2), (D + 4, D + 4)]) + user(7, [(D + 1, D + 1)])
outcomes, (got,) = pc.copy_each("act_in", [good], after=["SELECT v FROM act_in"])
pc.report(not outcomes[0].failed, "a hand-made binary value is accepted", outcomes[0].err)
pc.report(got.out.strip() == "bigint time_us=none {-5:2024-01-01/2024-01-03 2024-01-05,7:2024-01-02}",
          "and reads back as written", got.out + got.err)
outcomes, (got,) = pc.copy_each("act_in", [head(kind=2) + user((1, -2), [(D, D)], kind=2)],
                                before=["TRUNCATE act_in"], after=["SELECT v FROM act_in"])
pc.report(got.out.strip() == "uuid time_us=none {00000000-0000-0001-ffff-fffffffffffe:2024-01-01}",
          "a uuid value reads back exactly", got.out + got.err + outcomes[0].err)

pc.check_rejected("act_in", [
    ("unknown version", head(version=2) + user(1, [(D, D)]), "22P03"),
    ("unknown id kind", head(kind=4) + user(1, [(D, D)]), "22P03"),
    ("unknown flag", head(flags=2) + user(1, [(D, D)]), "22P03"),
    ("no user", head(users=0), "22P03"),
    ("negative user count", head(users=-1), "22P03"),
    ("user count one more than the data", head(users=2) + user(1, [(D, D)]), "22P03"),
    ("trailing bytes", head() + user(1, [(D, D)]) + b"\x00", "22P03"),
    ("cut in the header", head()[:7], "22P03"),
    ("empty value", b"", "22P03"),
    ("users out of order", head(users=2) + user(2, [(D, D)]) + user(1, [(D, D)]), "22P03"),
    ("a user twice", head(users=2) + user(2, [(D, D)]) + user(2, [(D + 1, D + 1)]), "22P03"),
    ("a user without runs", head() + user(1, []), "22P03"),
    ("negative run count", head() + struct.pack("!qi", 1, -1), "22P03"),
    ("run count beyond the data", head() + struct.pack("!qi", 1, 1000) + struct.pack("!ii", D, D), "22P03"),
    ("a run ending before it starts", head() + user(1, [(D, D - 1)]), "22P03"),
    ("runs out of order", head() + user(1, [(D + 5, D + 5), (D, D)]), "22P03"),
    ("runs that touch", head() + user(1, [(D, D + 1), (D + 2, D + 3)]), "22P03"),
    ("runs that overlap", head() + user(1, [(D, D + 3), (D + 2, D + 5)]), "22P03"),
    ("a day before 0001-01-01", head() + user(1, [(-730120, -730120)]), "22P03"),
    ("an infinite day", head() + user(1, [(D, 2147483647)]), "22P03"),
    ("negative time", head(flags=1, time_us=-1) + user(1, [(D, D)]), "22P03"),
    ("time without the time flag", head(flags=0, time_us=5) + user(1, [(D, D)]), "22P03"),
    ("uuid cut short", head(kind=2) + struct.pack("!q", 1), "22P03"),
])

# the shared readers (src/csm_io.c): the user count is checked against the bytes
# sent and the type's maximum (536870911) before anything is allocated
pc.check_rejected("act_in", [
    ("version 3, named", head(version=3) + user(1, [(D, D)]), "22P03",
     "unsupported activity_summary binary version 3"),
    ("user count above the maximum", head(users=536870912) + user(1, [(D, D)]), "22P03",
     "invalid user count 536870912 in activity_summary binary input"),
])
pc.check_refused_small("act_in", [
    ("536870911 users announced, one sent", head(users=536870911) + user(1, [(D, D)]),
     "invalid user count 536870911 in activity_summary binary input"),
])

# 4. single-byte corruptions and truncations of a valid value: each is refused with
# 22P03 or decodes to a valid summary; the server stays up throughout
base = head(flags=1, time_us=90, users=3) + user(-5, [(D, D + 2), (D + 4, D + 4)]) \
    + user(7, [(D + 1, D + 1)]) + user(1 << 40, [(D - 3, D + 9)])
pc.check_fuzz("act_in", "activity_summary",
              list(pc.byte_flips(base, [0x00, 0xFF, 0x80, 0x7F, lambda b: b ^ 0x01]))
              + pc.truncations(base), "an activity_summary")
ubase = head(kind=2, users=2) + user((1, 2), [(D, D)], kind=2) + user((1, 3), [(D, D + 1)], kind=2)
pc.check_fuzz("act_in", "activity_summary",
              list(pc.byte_flips(ubase, [0x00, 0xFF, lambda b: b ^ 0x01])) + pc.truncations(ubase),
              "a uuid activity_summary")
pc.check_server_up()
