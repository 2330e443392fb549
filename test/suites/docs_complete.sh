#!/usr/bin/env bash
# The reference documentation covers everything the extension installs:
# every user-facing function and aggregate, by name, and every type must
# appear in backquotes in a table row of a reference page (doc/*.md except the
# guides listed below), so that the docs cannot silently fall behind the code.
#
# Which functions are user-facing is read from the catalogs, not from names:
# everything that depends on the extension (pg_depend deptype 'e') except
#   - a type's input, output, receive and send functions (and typmod/analyze);
#   - aggregate transition, inverse, combine, serialize and deserialize
#     functions, and final functions that take `internal` (a final function
#     over a summary type, such as rate(rate_summary), is an accessor users
#     call, so it is checked);
#   - the functions behind operators (the operators are documented as
#     operators) and operator-class support functions (btree/hash).
# and the explicit exclusions below.  One TAP line per name.
set -euo pipefail
. "$(dirname "$0")/../lib/assert.sh"
docdir=$(cd "$(dirname "$0")/../../doc" && pwd)

# guides, not reference pages (nor places for the examples checked below)
guides='bi.md developing.md performance.md security.md scale-out.md CHANGELOG.md'

# explicit exclusions (extended regular expressions on the function name), each
# with the reason:
#   _nonempty$  final functions that return the summary, or NULL when it is
#               empty (survey_agg and friends return NULL over no rows)
excluded='_nonempty$'

objects=$(csm_sql "
WITH ext AS (
	SELECT oid FROM pg_extension WHERE extname = 'csmetrics'
), members AS (
	SELECT d.classid, d.objid FROM pg_depend d JOIN ext ON d.refobjid = ext.oid
	WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
), support(f) AS (
	SELECT unnest(ARRAY[typinput, typoutput, typreceive, typsend, typmodin, typmodout, typanalyze]::oid[])
	FROM pg_type
	UNION ALL
	SELECT unnest(ARRAY[aggtransfn, aggcombinefn, aggserialfn, aggdeserialfn, aggmtransfn, aggminvtransfn]::oid[])
	FROM pg_aggregate
	UNION ALL
	SELECT fn FROM pg_aggregate, unnest(ARRAY[aggfinalfn, aggmfinalfn]::oid[]) fn
	WHERE EXISTS (SELECT 1 FROM pg_proc q
				  WHERE q.oid = fn AND 'internal'::regtype::oid = ANY (q.proargtypes::oid[]))
	UNION ALL
	SELECT unnest(ARRAY[oprcode, oprrest, oprjoin]::oid[]) FROM pg_operator
	UNION ALL
	SELECT amproc FROM pg_amproc
)
SELECT DISTINCT CASE p.prokind WHEN 'a' THEN 'aggregate' ELSE 'function' END || ' ' || p.proname
FROM members m JOIN pg_proc p ON m.classid = 'pg_proc'::regclass AND p.oid = m.objid
WHERE p.oid NOT IN (SELECT f FROM support) AND p.proname !~ '$excluded'
  AND p.prorettype <> 'trigger'::regtype
UNION
SELECT 'type ' || t.typname
FROM members m JOIN pg_type t ON m.classid = 'pg_type'::regclass AND t.oid = m.objid
ORDER BY 1")

# the names in backquotes on table rows of the reference pages
documented=$(
	for f in "$docdir"/*.md; do
		case " $guides " in *" $(basename "$f") "*) continue ;; esac
		grep '^|' "$f" || true
	done | grep -o '`[^`]*`' | grep -oE '[A-Za-z_][A-Za-z0-9_]*' | sort -u
)

# check_listed WORDS WHERE HINT: one TAP line per "kind name" line on
# standard input, ok when name is one of the WORDS (one per line)
check_listed() {
	local kind name
	while read -r kind name; do
		[ -n "$name" ] || continue
		# a here-string, not a pipe: grep -q stops reading at the first match,
		# and under pipefail the writer's SIGPIPE would turn a hit into a miss
		if grep -qxF "$name" <<<"$1"; then
			_csm_report ok "$kind $name is $2"
		else
			_csm_report fail "$kind $name is $2" "$3"
		fi
	done
}

count=$(grep -c . <<<"$objects")
casts=$(csm_sql "SELECT DISTINCT p.proname FROM pg_cast c JOIN pg_proc p ON p.oid = c.castfunc
				 JOIN pg_depend d ON d.objid = p.oid AND d.classid = 'pg_proc'::regclass
				 WHERE d.deptype = 'e'")
callable=$(grep -E '^(function|aggregate) ' <<<"$objects" | grep -vxFf <(sed 's/^/function /' <<<"$casts"))
plan $((count + $(grep -c . <<<"$callable") + 1))

check_listed "$documented" "in a reference table in doc/" \
	"add a row for it to the table of its family's page" <<<"$objects"

# every function and aggregate is also called in an example: "name(" in the
# code (not the comments) of a "sql" block of a reference page or README.md
# (casts are used as ::, so cast functions are left out here)
in_examples=$(
	for f in "$docdir"/*.md "$docdir"/../README.md; do
		case " $guides " in *" $(basename "$f") "*) continue ;; esac
		awk '/^```/ { if (open) { open = 0; take = 0 } else { open = 1; take = (substr($0, 4) == "sql") } next }
			 take { sub(/--.*/, ""); print }' "$f"
	done | grep -oE '[A-Za-z_][A-Za-z0-9_]*[[:space:]]*\(' | grep -oE '^[A-Za-z_][A-Za-z0-9_]*' | sort -u
)
check_listed "$in_examples" "used in an example in doc/" \
	"call it in a sql block of its family's page" <<<"$callable"

# the check itself must have found the extension's objects
[ "$count" -gt 50 ] && _csm_report ok "found $count functions, aggregates and types" ||
	_csm_report fail "found only $count functions, aggregates and types"
