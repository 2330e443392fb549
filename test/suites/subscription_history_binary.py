"""subscription_history binary form: COPY (FORMAT binary) round trips, and
the receive function refusing hand-made, truncated and corrupted bytes with
22P03 (never a crash, never a silently different ledger).  Version 2 carries
each customer's subscription terms after its changes; version 1 (no terms)
is still read."""
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import pgcopy as pc  # noqa: E402

pc.plan(57)


def num(digits, weight=0, dscale=0, sign=0):
    """numeric's binary form with its int32 length: base-10000 digits."""
    body = struct.pack("!hhHh", len(digits), weight, sign, dscale)
    body += b"".join(struct.pack("!h", d) for d in digits)
    return struct.pack("!i", len(body)) + body


ZERO = num([])


def head(ncustomers, version=1, flags=0):
    return bytes([version, flags]) + struct.pack("!i", ncustomers)


def customer(cid, changes, terms=None):
    """changes: (day as days since 2000-01-01, MRR level, quantity level);
    terms (version 2): (started_on, months, days, ended_on, count, MRR)."""
    out = struct.pack("!qi", cid, len(changes))
    for day, mrr, qty in changes:
        out += struct.pack("!i", day) + mrr + qty
    if terms is not None:
        out += struct.pack("!i", len(terms))
        for start, months, days, end, count, mrr in terms:
            out += struct.pack("!iiiiq", start, months, days, end, count) + mrr
    return out


INF = 2147483647  # the date 'infinity': a term without an end


pc.sql("""
CREATE TABLE sh (id int, h subscription_history);
INSERT INTO sh VALUES
    (1, '{1: 2024-01-01 100.00 1, 2024-02-01 150.00 3, 2024-04-01 50.00 2; 2: 2024-01-01 29.99 1, 2024-03-31 0.00 0}'),
    (2, '{}'),
    (3, NULL),
    (4, '{-9223372036854775808: 0001-01-01 1 0; 9223372036854775807: 5874897-12-30 0.5 1.25}');
INSERT INTO sh SELECT 5, subscription_history_agg(i % 300, DATE '2020-01-01' + i % 900,
    CASE WHEN i % 4 = 0 THEN NULL ELSE DATE '2020-01-01' + i % 900 + 30 + i % 200 END,
    (i % 5000) / 100.0, CASE WHEN i % 3 = 0 THEN interval '1 year' ELSE interval '1 month' END, 1 + i % 4)
FROM generate_series(1, 5000) i;
CREATE TABLE sh2 (LIKE sh);
CREATE TABLE sh_in (v subscription_history);
""")

# 1. binary COPY out and back in gives the same ledgers and the same bytes
pc.round_trip("sh2", "SELECT * FROM sh", 5)
pc.check("send is stable through recv",
         "SELECT bool_and(subscription_history_send(a.h) = subscription_history_send(b.h))"
         " FROM sh a JOIN sh2 b USING (id) WHERE a.h IS NOT NULL", "t")

# 2. a hand-made value: customer 7, 2024-01-01 (day 8766) at 90 MRR and 3 seats,
# 2024-03-01 (day 8826) the same MRR and 5 seats
good = head(1) + customer(7, [(8766, num([90]), num([3])), (8826, num([90]), num([5]))])
outcomes, (got,) = pc.copy_each("sh_in", [good], after=["SELECT v FROM sh_in"])
pc.report(not outcomes[0].failed, "a hand-made binary value is accepted", outcomes[0].err)
pc.report(got.out.strip() == "{7: 2024-01-01 90 3, 2024-03-01 90 5}",
          "and reads back as written", got.out + got.err)

one = customer(7, [(8766, num([90]), num([3]))])
pc.check_rejected("sh_in", [
    ("unknown version", head(1, version=3) + one, "22P03",
     "unsupported subscription_history binary version 3"),
    ("version 2 without the term count", head(1, version=2) + one, "22P03"),
    ("flags set", head(1, flags=1) + one, "22P03"),
    ("negative customer count", head(-1), "22P03"),
    ("customer count beyond the data", head(2) + one, "22P03"),
    ("customer count far beyond the data (checked before allocating)",
     head(2147483647) + one, "22P03", "invalid customer count 2147483647"),
    ("trailing bytes", head(1) + one + b"\x00", "22P03"),
    ("empty value", b"", "22P03"),
    ("no customer count", b"\x01\x00", "22P03"),
    ("a customer without changes", head(1) + struct.pack("!qi", 7, 0), "22P03"),
    ("change count beyond the data", head(1) + struct.pack("!qi", 7, 2) + one[12:], "22P03"),
    ("customers out of order", head(2) + customer(8, [(8766, num([1]), ZERO)])
     + customer(7, [(8766, num([1]), ZERO)]), "22P03"),
    ("repeated customer", head(2) + one + one, "22P03"),
    ("days out of order", head(1) + customer(7, [(8826, num([1]), ZERO), (8766, num([2]), ZERO)]),
     "22P03"),
    ("repeated day", head(1) + customer(7, [(8766, num([1]), ZERO), (8766, num([2]), ZERO)]),
     "22P03"),
    ("a change that changes nothing", head(1) + customer(7, [(8766, num([1]), ZERO),
                                                          (8800, num([1]), ZERO)]), "22P03"),
    ("a first change to zero", head(1) + customer(7, [(8766, ZERO, ZERO)]), "22P03"),
    ("negative MRR", head(1) + customer(7, [(8766, num([1], sign=0x4000), ZERO)]), "22P03"),
    ("negative quantity", head(1) + customer(7, [(8766, num([1]), num([1], sign=0x4000))]), "22P03"),
    ("NaN MRR", head(1) + customer(7, [(8766, num([], sign=0xC000), ZERO)]), "22P03"),
    ("infinite quantity", head(1) + customer(7, [(8766, num([1]), num([], sign=0xD000))]), "22P03"),
    ("21 decimal places", head(1) + customer(7, [(8766, num([1], weight=-6, dscale=21), ZERO)]),
     "22P03"),
    ("MRR of 10^40", head(1) + customer(7, [(8766, num([1], weight=10), ZERO)]), "22P03"),
    ("infinite day", head(1) + customer(7, [(2147483647, num([1]), ZERO)]), "22P03"),
    ("a day before the year 1", head(1) + customer(7, [(-730120, num([1]), ZERO)]), "22P03"),
])
# 2b. version 2: customer 7's two plans, monthly from 2024-01-01 (day 8766) to
# 2024-03-01 (day 8826) at 90 and monthly from 2024-03-01 at 90, both open-ended
# after; the renewal wall reads the terms
good2 = head(1, version=2) + customer(7, [(8766, num([90]), num([3])), (8826, num([90]), num([5]))],
                                      [(8766, 1, 0, 8826, 1, num([90])), (8826, 1, 0, INF, 1, num([90]))])
pc.sql("TRUNCATE sh_in")
outcomes, (got, wall) = pc.copy_each("sh_in", [good2], after=[
    "SELECT v FROM sh_in",
    "SELECT string_agg(subscriptions || ' ' || mrr, ', ' ORDER BY period)"
    " FROM sh_in, renewals_due(v, '2024-01-01', '2024-05-01', 'month')"])
pc.report(not outcomes[0].failed, "a hand-made version 2 value is accepted", outcomes[0].err)
pc.report(got.out.strip() == "{7: 2024-01-01 90 3, 2024-03-01 90 5"
          " | 2024-01-01/1m..2024-03-01 1 90, 2024-03-01/1m 1 90}",
          "and reads back with its terms", got.out + got.err)
# renewals: 02-01 (the first plan; on 03-01 it has ended), 04-01 (the second)
pc.report(wall.out.strip() == "0 0, 1 90, 0 0, 1 90", "its renewal wall", wall.out + wall.err)
pc.check("a version 1 value is sent as version 1",
         "SELECT get_byte(subscription_history_send('{7: 2024-01-01 90 3}'), 0)", "1")
pc.check("an aggregate's ledger is sent as version 2",
         "SELECT get_byte(subscription_history_send(h), 0) FROM sh WHERE id = 5", "2")
(refused,) = pc.session(["SELECT renewals_due(h, '2024-01-01', '2024-03-01', 'month') FROM sh WHERE id = 1"])
pc.report(refused.failed and pc.sqlstate(refused.err) == "22023",
          "renewals_due refuses a ledger without terms (22023)", refused.out + refused.err)

c7 = [(8766, num([90]), num([3]))]
t_ok = (8766, 1, 0, INF, 1, num([90]))
pc.check_rejected("sh_in", [
    ("term count beyond the data", head(1, version=2) + customer(7, c7, [t_ok])[:-5], "22P03"),
    ("negative term count", head(1, version=2) + customer(7, c7, []) [:-4] + struct.pack("!i", -1),
     "22P03"),
    ("a term of months and days", head(1, version=2)
     + customer(7, c7, [(8766, 1, 7, INF, 1, num([90]))]), "22P03"),
    ("a term without a period", head(1, version=2)
     + customer(7, c7, [(8766, 0, 0, INF, 1, num([90]))]), "22P03"),
    ("a negative period", head(1, version=2)
     + customer(7, c7, [(8766, -1, 0, INF, 1, num([90]))]), "22P03"),
    ("a term ending on its start", head(1, version=2)
     + customer(7, c7, [(8766, 1, 0, 8766, 1, num([90]))]), "22P03"),
    ("a term ending before its start", head(1, version=2)
     + customer(7, c7, [(8766, 1, 0, 8700, 1, num([90]))]), "22P03"),
    ("a term of no subscriptions", head(1, version=2)
     + customer(7, c7, [(8766, 1, 0, INF, 0, num([90]))]), "22P03"),
    ("a term of negative MRR", head(1, version=2)
     + customer(7, c7, [(8766, 1, 0, INF, 1, num([90], sign=0x4000))]), "22P03"),
    ("a term of NaN MRR", head(1, version=2)
     + customer(7, c7, [(8766, 1, 0, INF, 1, num([], sign=0xC000))]), "22P03"),
    ("a term starting on an infinite day", head(1, version=2)
     + customer(7, c7, [(INF, 1, 0, INF, 1, num([90]))]), "22P03"),
    ("terms out of order", head(1, version=2)
     + customer(7, c7, [(8826, 1, 0, INF, 1, num([90])), t_ok]), "22P03"),
    ("a repeated term", head(1, version=2) + customer(7, c7, [t_ok, t_ok]), "22P03"),
])
pc.check_refused_small("sh_in", [
    ("38347922 customers announced, one sent", head(38347922) + one,
     "invalid customer count 38347922 in subscription_history binary input"),
])

# 3. single-byte corruptions and truncations of a valid value: each is refused with
# 22P03 or decodes to a valid ledger; the server stays up throughout
pc.check_fuzz("sh_in", "subscription_history",
              list(pc.byte_flips(good, [0x00, 0xFF, 0x80, lambda b: b ^ 0x01]))
              + pc.truncations(good), "a subscription_history")
pc.check_fuzz("sh_in", "subscription_history",
              list(pc.byte_flips(good2, [0x00, 0xFF, 0x80, lambda b: b ^ 0x01]))
              + pc.truncations(good2), "a subscription_history with terms")
pc.check_server_up()
