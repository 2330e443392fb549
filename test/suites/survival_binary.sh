#!/usr/bin/env bash
# survival_summary binary I/O (see survival_binary.py)
exec python3 -B "$(dirname "$0")/survival_binary.py"
