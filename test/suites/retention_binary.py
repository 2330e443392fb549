"""customer_flow binary form: COPY (FORMAT binary) round trips, and binary
input that is forged, truncated or corrupted byte by byte is refused with
22P03, never crashes the server or yields an impossible summary."""
import os
import random
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import pgcopy as pc  # noqa: E402

pc.plan(38)


def flow(version=1, kind=0, ps=8766, pe=8797, rows=120, start=100, churned=10, new=19, transient=1):
    """A customer_flow's binary form: version, kind, period_start, period_end,
    rows, start, churned, new, transient."""
    return struct.pack(">BBqqqqqqq", version, kind, ps, pe, rows, start, churned, new, transient)


pc.sql("""
CREATE TABLE flows (id int, f customer_flow);
INSERT INTO flows VALUES
    (1, '[2024-01-01,2024-02-01) rows=120 start=100 end=109 new=19 churned=10 transient=1'),
    (2, '[0044-03-15 BC,2024-01-02) rows=9223372036854775807 start=9223372036854775807 end=9223372036854775807 new=0 churned=0 transient=0'),
    (3, '["2024-01-01 00:00:00+00","2024-01-01 00:00:00.5+00") rows=3 start=1 end=1 new=1 churned=1 transient=1'),
    (4, NULL),
    (5, '[2024-01-01,2024-01-02) rows=0 start=0 end=0 new=0 churned=0 transient=0');
CREATE TABLE flows_back (LIKE flows);
CREATE TABLE flow_in (v customer_flow);
""")

# 1. round trip through a binary COPY file
pc.round_trip("flows_back", "SELECT * FROM flows", 5)
pc.check("binary COPY of an aggregate result",
         "SELECT churn_rate(f), retention_rate(f) FROM flows_back WHERE id = 1", "10|90")

# 2. hand-made binary input: a date flow and a timestamptz flow, then each defect
outcomes, (got,) = pc.copy_each(
    "flow_in", [flow(), flow(kind=1, ps=757382400000000, pe=760060800000000)],
    after=["SELECT string_agg(v::text, E'\\n' ORDER BY v::text) FROM flow_in"])
pc.report(not any(o.failed for o in outcomes), "hand-made binary values are read",
          "\n".join(o.err for o in outcomes))
pc.report(got.out.strip().splitlines() == [
    '["2024-01-01 00:00:00+00","2024-02-01 00:00:00+00") rows=120 start=100 end=109 new=19 churned=10 transient=1',
    "[2024-01-01,2024-02-01) rows=120 start=100 end=109 new=19 churned=10 transient=1"],
    "hand-made date and timestamptz values read back as written", got.out + got.err)
pc.check_rejected("flow_in", [
    ("version 0", flow(version=0), "22P03"),
    ("version 2", flow(version=2), "22P03"),
    ("kind 2", flow(kind=2), "22P03"),
    ("kind 255", flow(kind=255), "22P03"),
    ("reversed period", flow(ps=8797, pe=8766), "22P03"),
    ("empty period", flow(pe=8766), "22P03"),
    ("infinite date", flow(pe=2**31 - 1), "22P03"),
    ("minus infinite date", flow(ps=-2**31), "22P03"),
    ("date beyond int32", flow(pe=2**40), "22P03"),
    ("date before julian 0", flow(ps=-2451546), "22P03"),
    ("infinite timestamp", flow(kind=1, ps=0, pe=2**63 - 1), "22P03"),
    ("negative rows", flow(rows=-1), "22P03"),
    ("negative start", flow(start=-1), "22P03"),
    ("negative churned", flow(churned=-1), "22P03"),
    ("negative new", flow(new=-1), "22P03"),
    ("negative transient", flow(transient=-1), "22P03"),
    ("churned over start", flow(churned=101), "22P03"),
    ("counts over rows", flow(rows=119), "22P03"),
    ("counts overflow", flow(rows=2**63 - 1, start=2**63 - 1, new=1, churned=0, transient=0), "22P03"),
    ("trailing byte", flow() + b"\x00", "22P03"),
    ("truncated", flow()[:-1], "22P03"),
    ("only the version", b"\x01", "22P03"),
    ("version and kind only", flow()[:2], "22P03"),
    ("empty", b"", "22P03"),
])
# the shared readers (src/csm_io.c) name what they refuse
pc.check_rejected("flow_in", [
    ("version 3, named", flow(version=3), "22P03", "unsupported customer_flow binary version 3"),
    ("four of the five counts", flow()[:-8], "22P03", "invalid binary input for type customer_flow"),
    ("a negative count, named", flow(transient=-1), "22P03",
     "negative count in customer_flow binary input"),
])

# 3. fuzz: every single-byte corruption of a valid value, random ones (fixed seed) and
# every truncation: each is refused with 22P03 or read as a valid summary
base = flow()
rng = random.Random(4)
fuzz = list(pc.byte_flips(base, [0x00, 0xFF, lambda b: b ^ 0x01, lambda b: b ^ 0x80]))
for _ in range(200):
    p = bytearray(base)
    for _ in range(rng.randint(1, 6)):
        p[rng.randrange(len(p))] = rng.randrange(256)
    fuzz.append(bytes(p))
fuzz += pc.truncations(base)
loaded, rejected = pc.check_fuzz(
    "flow_in", "customer_flow", fuzz, "a customer_flow",
    valid_sql="SELECT count(*) FROM flow_in"
    " WHERE customers_at_end(v) - new_customers(v) <> customers_at_start(v) - churned_customers(v)"
    " OR churned_customers(v) > customers_at_start(v)")
pc.report(loaded > 0 and rejected > 0, "some fuzzed values were refused and some accepted",
          "loaded %d, refused %d" % (loaded, rejected))
pc.check_server_up()
