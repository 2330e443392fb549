#!/usr/bin/env bash
# The examples of the reference pages run as written: every "sql" block of a
# page, in order, in one session on a fresh database with csmetrics installed
# (unless the page installs it itself), stopping at the first error that the
# page does not show as one.  doc/bi.md is run and
# its numbers checked by test/suites/bi_doc.sh.  What the examples print is
# checked against the hand-worked figures in the comments by the pg_regress
# suites; this suite proves that a reader can paste them.
set -u
. "$(dirname "$0")/../lib/assert.sh"
docdir=$(cd "$(dirname "$0")/../../doc" && pwd)

# guides, and the BI cookbook that has its own suite
skip='bi.md developing.md performance.md scale-out.md CHANGELOG.md'

# The page's sql blocks as one psql script.  A block that shows errors says
# so: each failing statement is followed by a comment line "-- ERROR: ...",
# and such a block runs with ON_ERROR_STOP off; every other block must run
# without error.
page_script() {
	awk '
		/^```/ {
			if (open) {
				if (take) {
					if (block ~ /\n-- ERROR:/) printf "\\set ON_ERROR_STOP 0\n%s\\set ON_ERROR_STOP 1\n", block
					else printf "%s", block
				}
				open = 0; take = 0; block = ""
			} else { open = 1; take = (substr($0, 4) == "sql"); block = "\n" }
			next
		}
		take { block = block $0 "\n" }' "$1"
}

# the reference pages with sql examples, one result each, and the count
with_sql=()
for page in "$docdir"/*.md; do
	case " $skip " in *" $(basename "$page") "*) continue ;; esac
	[ -n "$(page_script "$page")" ] && with_sql+=("$page")
done
plan $((${#with_sql[@]} + 1))

pages=0
for page in "${with_sql[@]}"; do
	name=$(basename "$page")
	sql=$(page_script "$page")
	pages=$((pages + 1))
	db=csm_doc_examples
	psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null 2>&1
	# pages that do not start from CREATE EXTENSION assume it
	if ! grep -q 'CREATE EXTENSION csmetrics' <<<"$sql"; then
		psql -X -q -d "$db" -c "CREATE EXTENSION csmetrics" >/dev/null
	fi
	documented=$(grep -c '^-- ERROR:' <<<"$sql")
	if out=$(psql -X -q -v ON_ERROR_STOP=1 -d "$db" <<<"$sql" 2>&1 >/dev/null); then
		raised=$(grep -c '^\(psql:[^ ]* \)\?ERROR:' <<<"$out")
		if [ "$raised" -eq "$documented" ]; then
			_csm_report ok "doc/$name: every sql block runs on a fresh database ($documented documented errors)"
		else
			_csm_report fail "doc/$name: every sql block runs on a fresh database" \
				"the page documents $documented errors, psql reported $raised:
$out"
		fi
	else
		_csm_report fail "doc/$name: every sql block runs on a fresh database" "$out"
	fi
	psql -X -q -d postgres -c "DROP DATABASE $db" >/dev/null
done

# the check itself must have found the pages
if [ "$pages" -ge 10 ]; then
	_csm_report ok "found $pages reference pages with examples"
else
	_csm_report fail "found $pages reference pages with examples" "expected at least 10"
fi
