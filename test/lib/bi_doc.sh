# test/lib/bi_doc.sh: the SQL of doc/bi.md, for the suites that check it.
#
#   bi_doc_sql [INFO]   print, in order, every fenced block of doc/bi.md whose
#                       info string is exactly INFO (default "sql")
#   bi_doc_setup        run the "sql" blocks in $CSM_DB (psql, stop at the first
#                       error); prints psql's output only when it fails
#
# The page is written to run top to bottom on a fresh database, so the suites
# build the cookbook's schema, data and views from the page itself.

BI_DOC=${BI_DOC:-$(dirname "${BASH_SOURCE[0]}")/../../doc/bi.md}

bi_doc_sql() {
	awk -v want="${1:-sql}" '
		/^```/ {
			if (open) { open = 0; take = 0 }
			else { open = 1; take = (substr($0, 4) == want) }
			next
		}
		take { print }' "$BI_DOC"
}

bi_doc_setup() {
	local out
	if ! out=$(bi_doc_sql sql | psql -X -q -v ON_ERROR_STOP=1 -d "$CSM_DB" 2>&1 >/dev/null); then
		printf '%s\n' "$out" >&2
		return 1
	fi
}
