"""mrr_bridge binary form: COPY (FORMAT binary) round trips, and the
receive function refusing hand-made and corrupted bytes with 22P03 (never a
crash, never a silently different value)."""
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import pgcopy as pc  # noqa: E402

pc.plan(40)

pc.sql("""
CREATE TABLE mb (id int, b mrr_bridge);
INSERT INTO mb SELECT 1, mrr_bridge_agg(p, c, paid) FROM (VALUES
    (NULL::numeric, 100::numeric, NULL::boolean), (0, 50, true), (200, 250, true),
    (300, 240.50, true), (150, 0, true), (400, 400, true), (NULL, NULL, false)) v(p, c, paid);
INSERT INTO mb SELECT 2, mrr_bridge_agg(NULL::numeric, NULL::numeric, NULL::boolean);
INSERT INTO mb SELECT 3, mrr_bridge_agg(0, 12345678901234567890123456.123456789012, false);
INSERT INTO mb VALUES (4, NULL);
CREATE TABLE mb2 (LIKE mb);
CREATE TABLE mrr_in (v mrr_bridge);
CREATE TABLE mrr_v1 (v mrr_bridge);
""")

# round trip through a binary COPY file
pc.round_trip("mb2", "SELECT * FROM mb", 4)
pc.check("binary round trip keeps the scale", "SELECT b::text FROM mb2 WHERE id = 3",
         "{starting_mrr=0.000000000000, new_mrr=12345678901234567890123456.123456789012, "
         "expansion_mrr=0.000000000000, reactivation_mrr=0.000000000000, "
         "contraction_mrr=0.000000000000, churned_mrr=0.000000000000, new=1, expansion=0, "
         "reactivation=0, contraction=0, churn=0, unchanged=0, inactive=0, "
         "sum_s2=0.000000000000000000000000, sum_e2=0.000000000000000000000000, "
         "sum_se=0.000000000000000000000000, sum_g2=0.000000000000000000000000, "
         "sum_sg=0.000000000000000000000000}")

# the bytes of one summary, fed back through a one-row binary COPY
good = bytes.fromhex(pc.sql("SELECT encode(mrr_bridge_send(b), 'hex') FROM mb WHERE id = 1"))
want = pc.sql("SELECT b::text FROM mb WHERE id = 1")
loaded, (back,) = pc.copy_each("mrr_in", [good], after=["SELECT v::text FROM mrr_in"])
pc.report(not loaded[0].failed and back.out.strip() == want,
          "fed-back bytes give the same summary", loaded[0].err + back.out)

# layout: version 0, flags 1, seven int64 counts at 2..57, then six amounts from 58,
# each an int32 length and numeric's binary form (ndigits, weight, sign, dscale, digits);
# version 2 then has the five sums, 32 bytes each, big-endian, in units of 10^-(2 scale).
# Row 1 at the start (S -> E): 200 -> 250, 300 -> 240.50, 150 -> 0, 400 -> 400, scale 2:
#   sum_s2 = 40000 + 90000 + 22500 + 160000 = 312500         -> 3125000000 units
#   sum_e2 = 62500 + 57840.25 + 0 + 160000 = 280340.25        -> 2803402500
#   sum_se = 50000 + 72150 + 0 + 160000 = 282150              -> 2821500000
#   sum_g2 = 40000 + 57840.25 + 0 + 160000 = 257840.25        -> 2578402500 (G = min(S, E))
#   sum_sg = 40000 + 72150 + 0 + 160000 = 272150              -> 2721500000
SUMS = 5 * 32
amounts_end = len(good) - SUMS
sums = [int.from_bytes(good[amounts_end + 32 * i:amounts_end + 32 * (i + 1)], "big") for i in range(5)]
pc.report(good[0] == 2 and sums == [3125000000, 2803402500, 2821500000, 2578402500, 2721500000],
          "version 2 sends the five sums as 32-byte big-endian integers", (good[0], sums))

# the 1.0 form (version 1, no sums) still loads, as a summary whose sums are unknown,
# which prints and sends exactly the 1.0 forms again
good_v1 = b"\x01" + good[1:amounts_end]
want_v1 = want[:want.index(", sum_s2=")] + "}"
loaded, (back, resent) = pc.copy_each("mrr_v1", [good_v1], after=[
    "SELECT v::text FROM mrr_v1", "SELECT encode(mrr_bridge_send(v), 'hex') FROM mrr_v1"])
pc.report(not loaded[0].failed and back.out.strip() == want_v1,
          "the version-1 form loads with unknown sums and prints the 1.0 text", loaded[0].err + back.out)
pc.report(resent.out.strip() == good_v1.hex(), "and sends the version-1 bytes again", resent.out)


def with_sum(i, value):
    """good with sum i (0 = sum_s2 .. 4 = sum_sg) replaced"""
    at = amounts_end + 32 * i
    return good[:at] + value.to_bytes(32, "big") + good[at + 32:]


first_len = struct.unpack("!i", good[58:62])[0]
rest = good[62 + first_len:]
pc.check_rejected("mrr_in", [
    ("wrong version", b"\x03" + good[1:], "22P03"),
    ("version 1 followed by sums", b"\x01" + good[1:], "22P03"),
    ("version 2 without its sums", good[:amounts_end], "22P03"),
    ("truncated in the sums", good[:-3], "22P03"),
    ("sum_s2 zero with customers at the start", with_sum(0, 0), "22P03"),
    ("sum_s2 above the starting MRR squared", with_sum(0, 2**256 - 1), "22P03"),
    ("sum_g2 above sum_sg", with_sum(3, 2721500001), "22P03"),
    ("a negative residual (sum_se too large)", with_sum(2, 2**255), "22P03"),
    ("flags set", good[:1] + b"\x01" + good[2:], "22P03"),
    ("negative count", good[:2] + b"\xff" * 8 + good[10:], "22P03"),
    ("truncated in the counts", good[:15], "22P03"),
    ("truncated in an amount", good[:amounts_end - 3], "22P03"),
    ("trailing byte", good + b"\x00", "22P03"),
    ("amount length too long", good[:58] + struct.pack("!i", 2**31 - 1) + good[62:], "22P03"),
    ("amount length not matching its digits",
     good[:58] + struct.pack("!i", 9) + good[62:] + b"\x00", "22P03"),
    ("amount length below a numeric header", good[:58] + struct.pack("!i", 4) + good[62:], "22P03"),
    ("negative amount length", good[:58] + struct.pack("!i", -1) + good[62:], "22P03"),
    ("customers without MRR (new=0, new MRR > 0)", good[:2] + b"\x00" * 8 + good[10:], "22P03"),
    # the starting amount replaced by NaN (ndigits 0, weight 0, sign 0xC000, dscale 0)
    ("NaN amount", good[:58] + struct.pack("!ihhHh", 8, 0, 0, 0xC000, 0) + rest, "22P03"),
    ("infinite amount", good[:58] + struct.pack("!ihhHh", 8, 0, 0, 0xD000, 0) + rest, "22P03"),
    ("negative amount", good[:66] + b"\x40\x00" + good[68:], "22P03"),
    ("empty", b"", "22P03"),
    ("version only", good[:1], "22P03"),
    ("no amounts", good[:58], "22P03"),
    ("no amounts, version 1", good_v1[:58], "22P03"),
    ("amount length cut short", good[:60], "22P03"),
])
# the shared readers (src/csm_io.c) name what they refuse
pc.check_rejected("mrr_in", [
    ("version 5, named", b"\x05" + good[1:], "22P03", "unsupported mrr_bridge binary version 5"),
    ("six of the seven counts", good[:2 + 6 * 8], "22P03", "invalid binary input for type mrr_bridge"),
    ("a negative count, named", good[:2] + b"\xff" * 8 + good[10:], "22P03",
     "negative count in mrr_bridge binary input"),
])

# every byte flipped in turn, random corruptions (fixed seed) and every truncation: each
# is refused with 22P03 or loads a valid summary
pc.check_fuzz("mrr_in", "mrr_bridge",
              list(pc.byte_flips(good, [lambda b: b ^ 0x5A, 0x00, 0xFF]))
              + list(pc.mutations(good, 200, seed=20240611)) + pc.truncations(good),
              "an mrr_bridge")
pc.check_server_up()
