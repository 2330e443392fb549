#!/usr/bin/env bash
# Binary I/O of survey_score and survey_summary: COPY (FORMAT binary) round
# trips, hand-made corrupt inputs rejected with 22P03, and random
# corruptions that must either load a valid value or fail cleanly.
exec python3 -B "$(dirname "$0")/survey_binary.py"
