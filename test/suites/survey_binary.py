import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from pgcopy import copy_in, copy_out, fields, mutations, psql, report, sqlstate  # noqa: E402

psql("CREATE TABLE scores (s survey_score); CREATE TABLE summaries (s survey_summary);"
     "CREATE TABLE scores_back (s survey_score); CREATE TABLE summaries_back (s survey_summary)")
psql("INSERT INTO scores SELECT CASE WHEN g = 11 THEN NULL ELSE g END FROM generate_series(0, 11) g")
psql("INSERT INTO summaries VALUES ('{0,0,0,0,0,0,0,0,0,0,0}'), ('{1,0,0,0,0,2,0,5,3,4,9}'), (NULL),"
     " ('{9223372036854775807,0,0,0,0,0,0,0,0,0,0}')")

# round trips through COPY (FORMAT binary)
for table in ("scores", "summaries"):
    stream = copy_out("SELECT s FROM %s" % table)
    rc, err = copy_in(table + "_back", fields(stream))
    _, a, _ = psql("SELECT string_agg(coalesce(s::text, 'NULL'), ';' ORDER BY ctid) FROM %s" % table)
    _, b, _ = psql("SELECT string_agg(coalesce(s::text, 'NULL'), ';' ORDER BY ctid) FROM %s_back" % table)
    report(rc == 0 and a == b and a.strip() != b"", "binary COPY round trip of %s" % table, err or (a, b))

# the documented layouts: survey_score is one byte; survey_summary is a version byte and 11 int64
score_fields = fields(copy_out("SELECT '7'::survey_score"))
report(score_fields == [b"\x07"], "survey_score binary form is one byte", score_fields)
summary_fields = fields(copy_out("SELECT '{1,0,0,0,0,2,0,5,3,4,9}'::survey_summary"))
expected = b"\x01" + struct.pack("!11q", 1, 0, 0, 0, 0, 2, 0, 5, 3, 4, 9)
report(summary_fields == [expected], "survey_summary binary form is version 1 + eleven int64", summary_fields)

# hand-made corrupt inputs
bad_inputs = [
    ("scores", b"\x0b", "score 11"),
    ("scores", b"\xff", "score 255"),
    ("scores", b"", "empty score"),
    ("scores", b"\x05\x00", "score with a trailing byte"),
    ("summaries", b"\x02" + expected[1:], "summary version 2"),
    ("summaries", b"\x00" + expected[1:], "summary version 0"),
    ("summaries", expected[:-1], "summary one byte short"),
    ("summaries", expected + b"\x00", "summary with a trailing byte"),
    ("summaries", b"\x01" + struct.pack("!11q", 1, 0, 0, 0, 0, -2, 0, 5, 3, 4, 9), "summary with a negative count"),
    ("summaries", b"\x01" + struct.pack("!11q", 2**63 - 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0), "summary whose total overflows"),
    ("summaries", b"", "empty summary"),
    ("summaries", b"\x01", "summary with no counts"),
]
for table, payload, name in bad_inputs:
    rc, err = copy_in(table + "_back", [payload])
    state = sqlstate(err)
    ok = rc != 0 and state in ("22P03", "22003")
    report(ok, "binary input rejected: %s (%s)" % (name, state), err)

# random corruptions: each either loads a value that survives a text round trip, or fails with
# a data exception; the server must stay up throughout
seed_payloads = [("scores", "score", b"\x09"), ("summaries", "summary", expected)]
for table, what, payload in seed_payloads:
    accepted = rejected = 0
    bad = []
    for i, data in enumerate(mutations(payload, 300, seed=17 if what == "score" else 29)):
        rc, err = copy_in(table + "_back", [data])
        if rc == 0:
            accepted += 1
        elif sqlstate(err) in ("22P03", "22003"):
            rejected += 1
        else:
            bad.append((data.hex(), err.strip()[:200]))
    report(not bad, "%d random corruptions of a %s value: %d loaded, %d rejected cleanly"
           % (accepted + rejected + len(bad), what, accepted, rejected), "\n".join(map(str, bad[:5])))
    rc, out, err = psql("SELECT count(*) FROM %s_back WHERE s::text::%s::text IS DISTINCT FROM s::text"
                        % (table, "survey_score" if table == "scores" else "survey_summary"))
    report(rc == 0 and out.strip() == b"0", "every value loaded from corrupt %s input is valid" % table, err or out)

rc, out, _ = psql("SELECT 1")
report(rc == 0 and out.strip() == b"1", "server still up after fuzzing")
