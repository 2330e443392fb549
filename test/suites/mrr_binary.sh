#!/usr/bin/env bash
# mrr_bridge binary I/O (see mrr_binary.py)
exec python3 -B "$(dirname "$0")/mrr_binary.py"
