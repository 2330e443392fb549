#!/usr/bin/env bash
# customer_flow binary I/O (see retention_binary.py)
exec python3 -B "$(dirname "$0")/retention_binary.py"
