#!/usr/bin/env bash
# doc/bi.md's views read from a real client library, as a BI tool reads them:
# psycopg 3 (Debian's python3-psycopg), text and binary transfer.  See
# test/lib/bi_client.py.  /usr/bin/python3 on purpose: a python3 earlier on PATH (pyenv,
# a virtualenv) does not see Debian's packages.
set -euo pipefail
. "$(dirname "$0")/../lib/assert.sh"
plan 31
. "$(dirname "$0")/../lib/bi_doc.sh"

check_true "doc/bi.md: every sql block runs" bi_doc_setup
exec /usr/bin/python3 "$(dirname "$0")/../lib/bi_client.py" "$_csm_n"
