#!/usr/bin/env bash
# rate_summary binary form: COPY (FORMAT binary) round trips, hand-made
# binary input with each kind of defect, and fuzzed bytes.  Every defect
# must give SQLSTATE 22P03 and leave the server running.
set -euo pipefail
. "$(dirname "$0")/../lib/assert.sh"

work=$(mktemp -d "${TMPDIR:-/tmp}/rates_binary.XXXXXX")
trap 'rm -rf "$work"' EXIT

# copy_in FILE: COPY a binary file into rates_in, print psql's output
copy_in() {
	psql -X -q -At -d "$CSM_DB" -v ON_ERROR_STOP=1 -v VERBOSITY=verbose \
		-c "COPY rates_in FROM STDIN (FORMAT binary)" <"$1" 2>&1
}

# Every input file at once (one interpreter start): binary COPY files with
# one rate_summary column, named after what they hold.
python3 - "$work" <<'PY'
import random, struct, sys
work = sys.argv[1]

def enc(s, t, version=1):
    return bytes([version]) + struct.pack(">qq", s, t)

def copy_file(name, *fields):
    out = bytearray(b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0))
    for f in fields:
        out += struct.pack(">h", 1)
        out += struct.pack(">i", -1) if f is None else struct.pack(">i", len(f)) + f
    out += struct.pack(">h", -1)
    open(f"{work}/{name}.bin", "wb").write(out)

copy_file("good", enc(3, 7), None)
copy_file("bad_version_2", enc(1, 2, 2))
copy_file("bad_version_0", enc(1, 2, 0))
copy_file("bad_successes_above_trials", enc(3, 2))
copy_file("bad_negative_successes", enc(-1, 2))
copy_file("bad_negative_trials", enc(0, -5))
copy_file("bad_empty", b"")
copy_file("bad_version_byte_alone", b"\x01")
copy_file("bad_truncated_trials", enc(1, 2)[:15])
copy_file("bad_trailing_byte", enc(1, 2) + b"\x00")

# fuzz: overwrite, cut or append bytes of valid values
random.seed(20240603)
base = [enc(0, 0), enc(9, 10), enc(5, 5), enc(1, 2**40)]
for i in range(200):
    b = bytearray(random.choice(base))
    for _ in range(random.randint(1, 3)):
        op = random.random()
        if op < 0.7 and b:
            b[random.randrange(len(b))] = random.randrange(256)
        elif op < 0.85 and b:
            del b[random.randrange(len(b)):]
        else:
            b += bytes([random.randrange(256)])
    copy_file(f"fuzz{i:03d}", bytes(b))
PY

csm_sql "CREATE TABLE rates_out (id serial, s rate_summary)" >/dev/null
csm_sql "CREATE TABLE rates_in (s rate_summary)" >/dev/null
csm_sql "INSERT INTO rates_out (s) VALUES ('(0,0)'), ('(9,10)'), ('(0,10)'), ('(10,10)'), (NULL),
	('(9223372036854775807,9223372036854775807)'), ('(1,9223372036854775807)')" >/dev/null

# 1. round trip through COPY binary
psql -X -q -d "$CSM_DB" -c "COPY (SELECT s FROM rates_out ORDER BY id) TO STDOUT (FORMAT binary)" >"$work/out.bin"
check_true "binary COPY out" test -s "$work/out.bin"
check_true "binary COPY in accepts what COPY out wrote" copy_in "$work/out.bin"
check "binary round trip is exact" \
	"SELECT string_agg(coalesce(s::text, 'NULL'), ' ') FROM rates_in" \
	"(0,0) (9,10) (0,10) (10,10) NULL (9223372036854775807,9223372036854775807) (1,9223372036854775807)"
check "send gives version byte and two big-endian int64" \
	"SELECT rate_summary_send('(9,10)')" '\x010000000000000009000000000000000a'

# 2. a hand-made value, then each defect
csm_sql "TRUNCATE rates_in" >/dev/null
check_true "hand-made binary value is read" copy_in "$work/good.bin"
check "hand-made value and NULL arrive intact" \
	"SELECT string_agg(coalesce(s::text, 'NULL'), ' ') || ' ' || round(max(rate(s))::numeric, 4) FROM rates_in" \
	"(3,7) NULL 42.8571"
for f in "$work"/bad_*.bin; do
	name=$(basename "$f" .bin)
	out=$(copy_in "$f" || true)
	if printf '%s' "$out" | grep -q "ERROR:  22P03:"; then
		_csm_report ok "refused with 22P03: ${name#bad_}"
	else
		_csm_report fail "refused with 22P03: ${name#bad_}" "got: $out"
	fi
done

# 3. fuzz: each value must be read as a valid value (successes <= trials,
# text form round-trips) or refused with 22P03.  One session runs every
# file; a refused file only fails its own \copy.
csm_sql "TRUNCATE rates_in" >/dev/null
for f in "$work"/fuzz*.bin; do
	printf '\\copy rates_in from %s (format binary)\n' "$f"
done >"$work/fuzz.sql"
psql -X -d "$CSM_DB" -v VERBOSITY=verbose -f "$work/fuzz.sql" >"$work/fuzz.out" 2>&1 || true
total=$(ls "$work"/fuzz*.bin | wc -l)
accepted=$(grep -c '^COPY 1$' "$work/fuzz.out" || true)
refused=$(grep -c 'ERROR:  22P03:' "$work/fuzz.out" || true)
other=$(grep 'ERROR:' "$work/fuzz.out" | grep -v 'ERROR:  22P03:' || true)
if [ -z "$other" ] && [ $((accepted + refused)) -eq "$total" ]; then
	_csm_report ok "$total fuzzed values: $accepted accepted, $refused refused with 22P03, no other outcome"
else
	_csm_report fail "fuzzed values: $accepted accepted, $refused refused of $total" "$other"
fi
check "every accepted fuzzed value is valid and round-trips as text" \
	"SELECT count(*) FILTER (WHERE successes(s) > trials(s) OR successes(s) < 0
		OR s::text::rate_summary::text <> s::text) FROM rates_in" "0"
check "server still answers" "SELECT rate('(1,4)')" "25"

csm_sql "DROP TABLE rates_out, rates_in" >/dev/null
