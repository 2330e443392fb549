"""mrr_state binary form (the state of mrr() and arr(), issue 14): COPY
(FORMAT binary) round trips, the documented layout, hand-made binary input
with each kind of defect, and fuzzed bytes.  Every defect must give SQLSTATE
22P03 and leave the server running."""
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import pgcopy as pc  # noqa: E402

pc.plan(31)


def numeric(digits, weight, dscale, sign=0x0000):
    """numeric's binary form: ndigits, weight, sign, dscale, base-10000 digits."""
    return struct.pack("!hhHh", len(digits), weight, sign, dscale) + b"".join(
        struct.pack("!h", d) for d in digits)


def enc(rows, scale_rows, num, version=1, length=None):
    """An mrr_state's binary form: version byte, rows, scale_rows, the sum."""
    n = len(num) if length is None else length
    return bytes([version]) + struct.pack("!qqi", rows, scale_rows, n) + num


TWELVE_FIVE = numeric([12, 5000], 0, 1)     # 12.5
ZERO = numeric([], 0, 0)                     # 0

pc.sql("""
CREATE TABLE ms_out (id int, s mrr_state);
CREATE TABLE ms_back (id int, s mrr_state);
CREATE TABLE ms_in (v mrr_state);
INSERT INTO ms_out VALUES (1, '(3,1,504.875)'), (2, '(0,0,0)'), (3, '(2,2,-5)'), (4, NULL),
    (5, '(4,1,123456789012345678901234567890123456789.5)'),
    (6, '(1,1,0.000000000000000000000000000000000000001)'),
    (7, '(9223372036854775807,9223372036854775807,99999999999999999999999999999999999999)');
""")

# 1. round trip through COPY binary, and the documented layout
pc.round_trip("ms_back", "SELECT id, s FROM ms_out", 7)
pc.check_many([
    ("binary round trip keeps rows, scale and the sum to the last digit",
     "SELECT string_agg(coalesce(s::text, 'NULL'), ' ' ORDER BY id) FROM ms_back",
     "(3,1,504.875) (0,0,0) (2,2,-5) NULL (4,1,123456789012345678901234567890123456789.5)"
     " (1,1,0.000000000000000000000000000000000000001)"
     " (9223372036854775807,9223372036854775807,99999999999999999999999999999999999999)"),
    # 504.875: two base-10000 digits 0504 8750, weight 0, sign +, dscale 3
    ("send gives version 1, rows, scale_rows and the sum as a numeric field",
     "SELECT mrr_state_send('(3,1,504.875)')",
     "\\x01" "0000000000000003" "0000000000000001" "0000000c" "0002" "0000" "0000" "0003"
     "01f8" "222e"),
])

# 2. a hand-made value and NULL
outcomes, (got,) = pc.copy_each(
    "ms_in", [enc(2, 1, TWELVE_FIVE), None],
    after=["SELECT string_agg(coalesce(v::text, 'NULL'), ' ') || ' ' || max(mrr_state_sum(v)) FROM ms_in"])
pc.report(not any(o.failed for o in outcomes), "hand-made binary value is read",
          "\n".join(o.err for o in outcomes))
pc.report(got.out.strip() == "(2,1,12.5) NULL 12.5", "hand-made value and NULL arrive intact",
          got.out + got.err)

# 3. each defect
pc.check_rejected("ms_in", [
    ("version 2", enc(2, 1, TWELVE_FIVE, version=2), "22P03"),
    ("version 0", enc(2, 1, TWELVE_FIVE, version=0), "22P03"),
    ("empty", b"", "22P03"),
    ("truncated in the counts", enc(2, 1, TWELVE_FIVE)[:12], "22P03"),
    ("truncated in the sum", enc(2, 1, TWELVE_FIVE)[:-1], "22P03"),
    ("trailing byte", enc(2, 1, TWELVE_FIVE) + b"\x00", "22P03"),
    ("scale_rows above rows", enc(1, 2, TWELVE_FIVE), "22P03"),
    ("no rows, a sum", enc(0, 0, TWELVE_FIVE), "22P03"),
    ("no rows, a scale", enc(0, 0, numeric([], 0, 2)), "22P03"),
    ("rows without a row of the largest scale", enc(2, 0, TWELVE_FIVE), "22P03"),
    ("no decimals, not every row counted", enc(2, 1, numeric([5], 0, 0)), "22P03"),
    ("NaN sum", enc(1, 1, numeric([], 0, 0, 0xC000)), "22P03"),
    ("infinite sum", enc(1, 1, numeric([], 0, 0, 0xD000)), "22P03"),
    ("sum length beyond the message", enc(2, 1, TWELVE_FIVE, length=2**31 - 1), "22P03"),
    ("sum length below a numeric header", enc(2, 1, TWELVE_FIVE, length=4), "22P03"),
    ("negative sum length", enc(2, 1, TWELVE_FIVE, length=-1), "22P03"),
    ("bad sign", enc(2, 1, numeric([12, 5000], 0, 1, 0x1234)), "22P03"),
    ("digit out of range", enc(2, 1, numeric([12, 10000], 0, 1)), "22P03"),
])
# the shared readers (src/csm_io.c) name what they refuse
pc.check_rejected("ms_in", [
    ("version 9, named", enc(2, 1, TWELVE_FIVE, version=9), "22P03",
     "unsupported mrr_state binary version 9"),
    ("a negative count, named", enc(-1, 0, ZERO), "22P03", "negative count in mrr_state binary input"),
    ("an invariant, named", enc(1, 2, TWELVE_FIVE), "22P03", "invalid mrr_state binary input"),
])

# 4. fuzz (fixed seeds, pgcopy.mutations): overwrite, cut, extend or replace the bytes of
# valid values; each is read as a valid value (its text form reads back the same) or
# refused with 22P03
base = [enc(2, 1, TWELVE_FIVE), enc(0, 0, ZERO), enc(3, 1, numeric([504, 8750], 0, 3)),
        enc(5, 5, numeric([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], 10, 0, 0x4000))]
fuzz = [m for i, b in enumerate(base) for m in pc.mutations(b, 50, 20261130 + i)]
fuzz += [t for b in base for t in pc.truncations(b)]
pc.check_fuzz("ms_in", "mrr_state", fuzz, "an mrr_state")
pc.check_server_up()
