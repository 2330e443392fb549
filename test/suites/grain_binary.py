"""grain binary form (issue 14): COPY (FORMAT binary) round trips, the
documented layout (the canonical name's bytes), input in any case, and
refusals with 22P03 for anything that is not a grain name."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import pgcopy as pc  # noqa: E402

pc.plan(11)

pc.sql("""
CREATE TABLE g_out (id int, g grain);
CREATE TABLE g_back (id int, g grain);
CREATE TABLE g_in (v grain);
INSERT INTO g_out VALUES (1, 'day'), (2, 'WEEK'), (3, 'Month'), (4, 'quarter'), (5, 'year'), (6, NULL);
""")

pc.round_trip("g_back", "SELECT id, g FROM g_out", 6)
pc.check("send gives the lower-case name", "SELECT grain_send('QUARTER')", "\\x71756172746572")

outcomes, (got,) = pc.copy_each("g_in", [b"MONTH", b"week"],
                                after=["SELECT string_agg(v::text, ' ' ORDER BY v::text) FROM g_in"])
pc.report(not any(o.failed for o in outcomes), "names in any case are read", "\n".join(o.err for o in outcomes))
pc.report(got.out.strip() == "month week", "and stored in lower case", got.out + got.err)

pc.check_rejected("g_in", [
    ("empty", b"", "22P03", "invalid binary input for type grain"),
    ("unknown name", b"fortnight", "22P03"),
    ("trailing space", b"month ", "22P03"),
    ("a NUL inside", b"mo\x00nth", "22P03"),
    ("a plural", b"months", "22P03"),
    ("a non-ASCII byte", b"m\xc3\xb6nth", "22P03"),
])
