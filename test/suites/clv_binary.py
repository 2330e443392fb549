"""purchase_history, clv_fit_state, bgnbd_model, gamma_gamma_model and
sbg_model binary forms: COPY round trips, and binary input that is
truncated, corrupted or forged must be refused with 22P03, never crash the
server or give a wrong value."""
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import pgcopy as pc  # noqa: E402

pc.plan(2 * 5 + 4 + 12 + 10 + 11 + 2 + 4 * 3 + 1)

DAY = 86400000000


def period(p, n, amount_units):
    """One period: int64 index, int64 purchases, the int128 amount as high and low words."""
    hi = amount_units >> 64
    lo = amount_units & 0xFFFFFFFFFFFFFFFF
    return struct.pack("!qqqQ", p, n, hi, lo)


def history(periods, unit=DAY, until=100, scale=2, count=None, version=1):
    n = len(periods) if count is None else count
    return (bytes([version]) + struct.pack("!qqhi", unit, until, scale, n)
            + b"".join(periods))


def cell(k1, k2, k3, n):
    return struct.pack("!dddq", k1, k2, k3, n)


def fit_state(kind, cells, count=None, version=1):
    n = len(cells) if count is None else count
    return bytes([version, kind]) + struct.pack("!i", n) + b"".join(cells)


def model(kind, params, stderrs=None, flags=None, iterations=10, customers=100,
          ll=-50.0, version=1):
    if flags is None:
        flags = 3 if stderrs else 0
    se = stderrs or [0.0] * len(params)
    return (bytes([version, kind, flags]) + struct.pack("!iqd", iterations, customers, ll)
            + struct.pack("!%dd" % len(params), *params) + struct.pack("!%dd" % len(se), *se))


pc.sql("""
CREATE TABLE ph_src (id int, v purchase_history);
INSERT INTO ph_src VALUES
    (1, 'unit 86400000000 until 8826 {(8768,2,15.00),(8775,1,20.00),(8797,1,30.50)}'),
    (2, 'unit 43200000000 until -5 {(-9,1,-0.001)}'),
    (3, NULL),
    (4, 'unit 1 until 9223372036854775807 {(-9223372036854775808,9223372036854775806,99999999999999999999999999999999999999),(9223372036854775807,1,-1)}');
INSERT INTO ph_src SELECT 5, purchase_history_agg(date '2024-01-01' + i % 300, i / 100.0, '2024-12-31', '1 day')
    FROM generate_series(1, 5000) i;
CREATE TABLE ph_dst (LIKE ph_src);
CREATE TABLE ph_in (v purchase_history);
CREATE TABLE fs_src (id int, v clv_fit_state);
INSERT INTO fs_src VALUES (1, 'bgnbd{(0,0,38.86):1000,(2,30.43,38.86):3}'), (2, 'gamma_gamma{(1,11.77):5}'),
    (3, 'sbg{(1,1):369,(7,0):241}'), (4, 'sbg{}'), (5, NULL);
CREATE TABLE fs_dst (LIKE fs_src);
CREATE TABLE fs_in (v clv_fit_state);
CREATE TABLE bm_src (id int, v bgnbd_model);
INSERT INTO bm_src SELECT 1, bgnbd_fit(x, t_x, t)
    FROM (VALUES (0, 0, 30), (1, 5, 30), (3, 20, 28), (0, 0, 25), (2, 3, 29), (5, 26, 31), (0, 0, 10)) v(x, t_x, t);
INSERT INTO bm_src VALUES (2, '(r=0.243,alpha=4.414,a=0.793,b=2.426,log_likelihood=-9582.4,customers=2357,iterations=0,converged=false)');
CREATE TABLE bm_dst (LIKE bm_src);
CREATE TABLE bm_in (v bgnbd_model);
CREATE TABLE gm_src (id int, v gamma_gamma_model);
INSERT INTO gm_src VALUES (1, '(p=6.25,q=3.74,gamma=15.44,log_likelihood=-4055.9,customers=946,iterations=19,converged=true,p_stderr=1.19,q_stderr=0.29,gamma_stderr=4.16)');
CREATE TABLE gm_dst (LIKE gm_src);
CREATE TABLE gm_in (v gamma_gamma_model);
CREATE TABLE sm_src (id int, v sbg_model);
INSERT INTO sm_src SELECT 1, sbg_fit(t, c) FROM (VALUES (1, true), (1, true), (2, true), (3, false), (3, false), (2, false), (1, false)) v(t, c);
CREATE TABLE sm_dst (LIKE sm_src);
CREATE TABLE sm_in (v sbg_model);
""")

# 1. binary COPY out and back in gives the same values (2 reports each)
pc.round_trip("ph_dst", "SELECT * FROM ph_src", 5)
pc.round_trip("fs_dst", "SELECT * FROM fs_src", 5)
pc.round_trip("bm_dst", "SELECT * FROM bm_src", 2)
pc.round_trip("gm_dst", "SELECT * FROM gm_src", 1)
pc.round_trip("sm_dst", "SELECT * FROM sm_src", 1)

# 2. hand-made values are read as written (4 reports)
good = [history([period(8768, 2, 1500), period(8775, 1, 2000)], until=8826),
        fit_state(3, [cell(1, 1, 0, 369), cell(2, 1, 0, 163), cell(3, 1, 0, 86), cell(4, 1, 0, 56),
                      cell(5, 1, 0, 37), cell(6, 1, 0, 27), cell(7, 0, 0, 241), cell(7, 1, 0, 21)]),
        ]
outcomes, got = pc.copy_each("ph_in", [good[0]], after=["SELECT v FROM ph_in"])
pc.report(not outcomes[0].failed and got[0].out.strip()
          == "unit 86400000000 until 8826 {(8768,2,15.00),(8775,1,20.00)}",
          "a hand-made purchase_history reads back as written", got[0].out + outcomes[0].err)
outcomes, got = pc.copy_each("fs_in", [good[1]], after=["SELECT v FROM fs_in"])
pc.report(not outcomes[0].failed and got[0].out.strip()
          == "sbg{(1,1):369,(2,1):163,(3,1):86,(4,1):56,(5,1):37,(6,1):27,(7,0):241,(7,1):21}",
          "a hand-made clv_fit_state reads back as written", got[0].out + outcomes[0].err)
outcomes, got = pc.copy_each("sm_in", [model(3, [0.704, 1.182], [0.066, 0.152], iterations=11,
                                             customers=1000, ll=-1680.25)],
                             after=["SELECT v FROM sm_in"])
pc.report(not outcomes[0].failed and got[0].out.strip()
          == "(a=0.704,b=1.182,log_likelihood=-1680.25,customers=1000,iterations=11,"
             "converged=true,a_stderr=0.066,b_stderr=0.152)",
          "a hand-made sbg_model reads back as written", got[0].out + outcomes[0].err)
pc.check("and its fit state fits the Regular segment of Fader & Hardie (2007)",
         "SELECT round(a(clv_fit_sbg_final(v))::numeric, 3) FROM fs_in", "0.704")

# 3. purchase_history defects (12)
ok_p = period(1, 1, 500)
pc.check_rejected("ph_in", [
    ("unknown version", history([ok_p], version=2), "22P03",
     "unsupported purchase_history binary version 2"),
    ("negative period count", history([], count=-1), "22P03"),
    ("no period", history([]), "22P03"),
    ("period count beyond the data (checked before allocating)",
     history([ok_p], count=2147483647), "22P03", "invalid period count 2147483647"),
    ("header cut short", bytes([1]) + struct.pack("!q", DAY), "22P03"),
    ("zero unit", history([ok_p], unit=0), "22P03"),
    ("scale beyond 38", history([ok_p], scale=39), "22P03"),
    ("periods out of order", history([period(5, 1, 1), period(4, 1, 1)]), "22P03"),
    ("a period after until", history([period(101, 1, 1)], until=100), "22P03"),
    ("a period without purchases", history([period(1, 0, 1)]), "22P03"),
    ("an amount beyond 10^38 - 1 units", history([period(1, 1, 10 ** 38)]), "22P03"),
    ("purchases that overflow in total",
     history([period(1, 9223372036854775807, 1), period(2, 1, 1)]), "22P03"),
])

# 4. clv_fit_state defects (10)
pc.check_rejected("fs_in", [
    ("unknown version", fit_state(1, [cell(0, 0, 5, 1)], version=2), "22P03",
     "unsupported clv_fit_state binary version 2"),
    ("unknown model kind", fit_state(4, [cell(0, 0, 5, 1)]), "22P03"),
    ("cell count beyond the data", fit_state(1, [cell(0, 0, 5, 1)], count=1000000), "22P03",
     "invalid cell count 1000000"),
    ("cells out of order", fit_state(1, [cell(1, 1, 5, 1), cell(0, 0, 5, 1)]), "22P03"),
    ("a repeated cell", fit_state(1, [cell(0, 0, 5, 1), cell(0, 0, 5, 1)]), "22P03"),
    ("a cell without customers", fit_state(1, [cell(0, 0, 5, 0)]), "22P03"),
    ("recency beyond age", fit_state(1, [cell(1, 6, 5, 1)]), "22P03"),
    ("NaN key", fit_state(1, [cell(1, float("nan"), 5, 1)]), "22P03"),
    ("a key the model does not use", fit_state(2, [cell(1, 5, 3, 1)]), "22P03"),
    ("negative zero key", fit_state(3, [cell(-0.0, 0, 0, 1)]), "22P03"),
])

# 5. model defects (11)
pc.check_rejected("bm_in", [
    ("unknown version", model(1, [1, 1, 1, 1], version=2), "22P03",
     "unsupported bgnbd_model binary version 2"),
    ("the kind of another model", model(3, [1, 1, 1, 1]), "22P03"),
    ("cut short", model(1, [1, 1, 1, 1])[:-9], "22P03"),
    ("a negative parameter", model(1, [1, -1, 1, 1]), "22P03"),
    ("an infinite parameter", model(1, [1, float("inf"), 1, 1]), "22P03"),
    ("a NaN log-likelihood", model(1, [1, 1, 1, 1], ll=float("nan")), "22P03"),
    ("unknown flags", model(1, [1, 1, 1, 1], flags=4), "22P03"),
    ("standard errors flagged but zero", model(1, [1, 1, 1, 1], flags=2), "22P03"),
    ("standard errors without the flag", model(1, [1, 1, 1, 1], [1, 1, 1, 1], flags=1), "22P03"),
    ("negative customers", model(1, [1, 1, 1, 1], customers=-1), "22P03"),
])
pc.check_rejected("gm_in", [
    ("a bgnbd_model as a gamma_gamma_model", model(1, [1, 1, 1]), "22P03"),
])

# 6. element counts at the maximum, nothing sent: refused before allocating (2)
pc.check_refused_small("ph_in", [
    ("33554430 periods announced, one sent", history([ok_p], count=33554430),
     "invalid period count 33554430"),
])
pc.check_refused_small("fs_in", [
    ("33554431 cells announced, one sent", fit_state(1, [cell(0, 0, 5, 1)], count=33554431),
     "invalid cell count 33554431"),
])

# 7. single-byte corruptions and truncations (3 reports each)
base_ph = history([period(3, 2, 1999), period(7, 1, -250), period(9, 4, 10 ** 20)], until=12)
pc.check_fuzz("ph_in", "purchase_history",
              list(pc.byte_flips(base_ph, [0x00, 0xFF, 0x80, 0x7F, lambda b: b ^ 0x01]))
              + pc.truncations(base_ph), "a purchase_history")
base_fs = fit_state(1, [cell(0, 0, 27.5, 7), cell(2, 10.25, 30, 3), cell(5, 29, 30, 1)])
pc.check_fuzz("fs_in", "clv_fit_state",
              list(pc.byte_flips(base_fs, [0x00, 0xFF, 0x80, 0x7F, lambda b: b ^ 0x01]))
              + pc.truncations(base_fs), "a clv_fit_state")
base_bm = model(1, [0.243, 4.414, 0.793, 2.426], [0.0126, 0.378, 0.186, 0.705],
                iterations=25, customers=2357, ll=-9582.43)
pc.check_fuzz("bm_in", "bgnbd_model",
              list(pc.byte_flips(base_bm, [0x00, 0xFF, 0x80, 0x7F, lambda b: b ^ 0x01]))
              + pc.truncations(base_bm), "a bgnbd_model")
base_sm = model(3, [0.668, 3.806], [0.104, 0.786], iterations=16, customers=1000, ll=-1611.16)
pc.check_fuzz("sm_in", "sbg_model",
              list(pc.byte_flips(base_sm, [0x00, 0xFF, 0x80, 0x7F, lambda b: b ^ 0x01]))
              + pc.truncations(base_sm), "an sbg_model")
pc.check_server_up()
