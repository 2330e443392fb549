#!/usr/bin/env bash
# rate_summary binary I/O (see rates_binary.py)
exec python3 -B "$(dirname "$0")/rates_binary.py"
