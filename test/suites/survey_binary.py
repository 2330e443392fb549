"""Binary I/O of survey_score and survey_summary: COPY (FORMAT binary)
round trips, the documented byte layouts, hand-made corrupt inputs refused
with 22P03 (22003 for a total that overflows), and random corruptions that
must either load a valid value or be refused cleanly."""
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import pgcopy as pc  # noqa: E402

pc.plan(38)

pc.sql("""
CREATE TABLE scores (s survey_score);
CREATE TABLE summaries (s survey_summary);
CREATE TABLE scores_back (s survey_score);
CREATE TABLE summaries_back (s survey_summary);
CREATE TABLE score_in (v survey_score);
CREATE TABLE summary_in (v survey_summary);
INSERT INTO scores SELECT CASE WHEN g = 11 THEN NULL ELSE g END FROM generate_series(0, 11) g;
INSERT INTO summaries VALUES ('{0,0,0,0,0,0,0,0,0,0,0}'), ('{1,0,0,0,0,2,0,5,3,4,9}'), (NULL),
    ('{9223372036854775807,0,0,0,0,0,0,0,0,0,0}');
""")

# round trips through COPY (FORMAT binary)
pc.round_trip("scores_back", "SELECT s FROM scores", 12)
pc.round_trip("summaries_back", "SELECT s FROM summaries", 4)

# the documented layouts: survey_score is one byte; survey_summary is a version byte and 11 int64
score_fields = pc.fields(pc.copy_out("SELECT '7'::survey_score"))
pc.report(score_fields == [b"\x07"], "survey_score binary form is one byte", score_fields)
summary_fields = pc.fields(pc.copy_out("SELECT '{1,0,0,0,0,2,0,5,3,4,9}'::survey_summary"))
good = b"\x01" + struct.pack("!11q", 1, 0, 0, 0, 0, 2, 0, 5, 3, 4, 9)
pc.report(summary_fields == [good], "survey_summary binary form is version 1 + eleven int64",
          summary_fields)

# hand-made corrupt inputs, each refused with its SQLSTATE
pc.check_rejected("score_in", [
    ("score 11", b"\x0b", "22P03"),
    ("score 255", b"\xff", "22P03"),
    ("empty score", b"", "22P03"),
    ("score with a trailing byte", b"\x05\x00", "22P03"),
])
pc.check_rejected("summary_in", [
    ("summary version 2", b"\x02" + good[1:], "22P03"),
    ("summary version 0", b"\x00" + good[1:], "22P03"),
    ("summary one byte short", good[:-1], "22P03"),
    ("summary with a trailing byte", good + b"\x00", "22P03"),
    ("summary with a negative count",
     b"\x01" + struct.pack("!11q", 1, 0, 0, 0, 0, -2, 0, 5, 3, 4, 9), "22P03"),
    ("summary whose total overflows",
     b"\x01" + struct.pack("!11q", 2**63 - 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0), "22003"),
    ("empty summary", b"", "22P03"),
    ("summary with no counts", b"\x01", "22P03"),
] + [("summary cut to %d bytes" % len(p), p, "22P03") for p in pc.truncations(good)[2::9]])
# the shared readers (src/csm_io.c) name what they refuse: the version byte, and a
# message that holds fewer than the eleven counts
pc.check_rejected("summary_in", [
    ("summary version 7, named", b"\x07" + good[1:], "22P03",
     "unsupported survey_summary binary version 7"),
    ("summary with ten of its eleven counts", good[:1 + 10 * 8], "22P03",
     "invalid binary input for type survey_summary"),
    ("summary with a negative last count", good[:-8] + struct.pack("!q", -1), "22P03",
     "negative count in survey_summary binary input"),
])

# random corruptions (fixed seeds): each either loads a value that survives a text round
# trip or is refused with 22P03 (22003: a summary whose total overflows)
pc.check_fuzz("score_in", "survey_score", pc.mutations(b"\x09", 300, seed=17), "a survey_score")
pc.check_fuzz("summary_in", "survey_summary", list(pc.mutations(good, 300, seed=29))
              + list(pc.truncations(good)), "a survey_summary", allowed=("22P03", "22003"))
pc.check_server_up()
