#!/usr/bin/env bash
# One version string: the Makefile's EXTVERSION is the version of the
# control file, of META.json (as X.Y.0, PGXN's semantic versions), of the
# installed extension and of the last upgrade script; every released full
# script is reachable from 1.0 by upgrade scripts.
set -euo pipefail
. "$(dirname "$0")/../lib/assert.sh"
cd "$(dirname "$0")/../.."
plan 6

version=$(sed -n 's/^EXTVERSION = //p' Makefile)
meta=$(python3 -c 'import json; m = json.load(open("META.json")); print(m["version"], m["provides"]["csmetrics"]["version"], m["provides"]["csmetrics"]["file"])')
check_true "META.json version is the Makefile's $version" test "$meta" = "$version.0 $version.0 src/sql/csmetrics.sql"
check_true "csmetrics.control default_version is $version" grep -qx "default_version = '$version'" csmetrics.control
check "the installed extension is version $version" \
	"SELECT extversion FROM pg_extension WHERE extname = 'csmetrics'" "$version"
check "the server offers the update path 1.0 -> $version" \
	"SELECT path FROM pg_extension_update_paths('csmetrics') WHERE source = '1.0' AND target = '$version'" \
	"1.0--$version"
check_true "an upgrade script ends at $version" ls src/sql/csmetrics--*--"$version".sql
check "versions 1.0 and $version are available, $version trusted, 1.0 not" \
	"SELECT string_agg(version || ' ' || trusted, ', ' ORDER BY version) FROM pg_available_extension_versions WHERE name = 'csmetrics'" \
	"1.0 false, $version true"
