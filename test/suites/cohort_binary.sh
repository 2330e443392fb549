#!/usr/bin/env bash
# cohort_summary and revenue_cohort_summary binary I/O (see cohort_binary.py)
exec python3 -B "$(dirname "$0")/cohort_binary.py"
