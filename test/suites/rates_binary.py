"""rate_summary binary form: COPY (FORMAT binary) round trips, hand-made
binary input with each kind of defect, and fuzzed bytes.  Every defect must
give SQLSTATE 22P03 and leave the server running."""
import os
import random
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import pgcopy as pc  # noqa: E402

pc.plan(23)


def enc(s, t, version=1):
    """A rate_summary's binary form: version byte, successes, trials."""
    return bytes([version]) + struct.pack(">qq", s, t)


pc.sql("""
CREATE TABLE rates_out (id serial, s rate_summary);
CREATE TABLE rates_back (id int, s rate_summary);
CREATE TABLE rates_in (v rate_summary);
INSERT INTO rates_out (s) VALUES ('(0,0)'), ('(9,10)'), ('(0,10)'), ('(10,10)'), (NULL),
    ('(9223372036854775807,9223372036854775807)'), ('(1,9223372036854775807)');
""")

# 1. round trip through COPY binary, and the documented layout
pc.round_trip("rates_back", "SELECT id, s FROM rates_out", 7)
pc.check_many([
    ("binary round trip is exact",
     "SELECT string_agg(coalesce(s::text, 'NULL'), ' ' ORDER BY id) FROM rates_back",
     "(0,0) (9,10) (0,10) (10,10) NULL (9223372036854775807,9223372036854775807)"
     " (1,9223372036854775807)"),
    ("send gives version byte and two big-endian int64",
     "SELECT rate_summary_send('(9,10)')", "\\x010000000000000009000000000000000a"),
])

# 2. a hand-made value and NULL, then each defect
outcomes, (got,) = pc.copy_each(
    "rates_in", [enc(3, 7), None],
    after=["SELECT string_agg(coalesce(v::text, 'NULL'), ' ') || ' ' || round(max(rate(v))::numeric, 4)"
           " FROM rates_in"])
pc.report(not any(o.failed for o in outcomes), "hand-made binary value is read",
          "\n".join(o.err for o in outcomes))
pc.report(got.out.strip() == "(3,7) NULL 42.8571", "hand-made value and NULL arrive intact",
          got.out + got.err)
pc.check_rejected("rates_in", [
    ("version 2", enc(1, 2, 2), "22P03"),
    ("version 0", enc(1, 2, 0), "22P03"),
    ("successes above trials", enc(3, 2), "22P03"),
    ("negative successes", enc(-1, 2), "22P03"),
    ("negative trials", enc(0, -5), "22P03"),
    ("empty", b"", "22P03"),
    ("version byte alone", b"\x01", "22P03"),
    ("truncated trials", enc(1, 2)[:15], "22P03"),
    ("trailing byte", enc(1, 2) + b"\x00", "22P03"),
])
# the shared readers (src/csm_io.c) name what they refuse
pc.check_rejected("rates_in", [
    ("version 9, named", enc(1, 2, 9), "22P03", "unsupported rate_summary binary version 9"),
    ("one of the two counts", enc(1, 2)[:9], "22P03", "invalid binary input for type rate_summary"),
    ("a negative count, named", enc(-1, 2), "22P03", "negative count in rate_summary binary input"),
])

# 3. fuzz (fixed seed): overwrite, cut or append bytes of valid values; each is read as a
# valid value (successes <= trials, text form round-trips) or refused with 22P03
rng = random.Random(20240603)
base = [enc(0, 0), enc(9, 10), enc(5, 5), enc(1, 2**40)]
fuzz = []
for _ in range(200):
    b = bytearray(rng.choice(base))
    for _ in range(rng.randint(1, 3)):
        op = rng.random()
        if op < 0.7 and b:
            b[rng.randrange(len(b))] = rng.randrange(256)
        elif op < 0.85 and b:
            del b[rng.randrange(len(b)):]
        else:
            b += bytes([rng.randrange(256)])
    fuzz.append(bytes(b))
fuzz += [t for b in base for t in pc.truncations(b)]
pc.check_fuzz("rates_in", "rate_summary", fuzz, "a rate_summary",
              valid_sql="SELECT count(*) FROM rates_in WHERE successes(v) > trials(v) OR successes(v) < 0")
pc.check("server still answers", "SELECT rate('(1,4)')", "25")
