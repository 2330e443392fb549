#!/usr/bin/env bash
# customer_flow binary form: COPY (FORMAT binary) round trips, and binary
# input that is corrupted byte by byte is refused cleanly (22P03), never
# crashes the server or yields an impossible summary.
set -uo pipefail
. "$(dirname "$0")/../lib/assert.sh"

work=$(mktemp -d "${TMPDIR:-/tmp}/retention_binary.XXXXXX")
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT

csm_sql "CREATE TABLE flows (id int, f customer_flow)" >/dev/null
csm_sql "INSERT INTO flows VALUES
	(1, '[2024-01-01,2024-02-01) rows=120 start=100 end=109 new=19 churned=10 transient=1'),
	(2, '[0044-03-15 BC,2024-01-02) rows=9223372036854775807 start=9223372036854775807 end=9223372036854775807 new=0 churned=0 transient=0'),
	(3, '[\"2024-01-01 00:00:00+00\",\"2024-01-01 00:00:00.5+00\") rows=3 start=1 end=1 new=1 churned=1 transient=1'),
	(4, NULL),
	(5, '[2024-01-01,2024-01-02) rows=0 start=0 end=0 new=0 churned=0 transient=0')" >/dev/null
csm_sql "CREATE TABLE flows_back (LIKE flows)" >/dev/null

# 1. round trip through a binary COPY file
psql -X -q -d "$CSM_DB" -c "\\copy flows TO '$work/flows.bin' (FORMAT binary)"
psql -X -q -d "$CSM_DB" -c "\\copy flows_back FROM '$work/flows.bin' (FORMAT binary)"
check "binary COPY round trip keeps every summary" \
	"SELECT count(*) FROM flows a JOIN flows_back b USING (id)
	 WHERE a.f::text IS NOT DISTINCT FROM b.f::text" "5"
check "binary COPY of an aggregate result" \
	"SELECT churn_rate(f), retention_rate(f) FROM flows_back WHERE id = 1" "10|90"

# 2. hand-made binary input: one row, one customer_flow field
# payload: version, kind, period_start, period_end, rows, start, churned, new, transient
make_file() {	# make_file NAME PYTHON-EXPRESSION-FOR-PAYLOAD-BYTES
	python3 - "$work/$1.bin" "$2" <<'PY'
import struct, sys
def flow(version=1, kind=0, ps=8766, pe=8797, rows=120, start=100, churned=10, new=19, transient=1):
    return struct.pack('>BBqqqqqqq', version, kind, ps, pe, rows, start, churned, new, transient)
payload = eval(sys.argv[2])
data = b'PGCOPY\n\xff\r\n\x00' + struct.pack('>ii', 0, 0)
data += struct.pack('>hi', 1, len(payload)) + payload + struct.pack('>h', -1)
open(sys.argv[1], 'wb').write(data)
PY
}
csm_sql "CREATE TABLE one (f customer_flow)" >/dev/null
load() {
	echo "\\copy one FROM '$work/$1.bin' (FORMAT binary)"
}

make_file valid "flow()"
psql -X -q -d "$CSM_DB" -c "$(load valid)"
check "a hand-made binary value is read" "SELECT f FROM one" \
	"[2024-01-01,2024-02-01) rows=120 start=100 end=109 new=19 churned=10 transient=1"
make_file valid_tz "flow(kind=1, ps=757382400000000, pe=760060800000000)"
csm_sql "TRUNCATE one" >/dev/null
psql -X -q -d "$CSM_DB" -c "$(load valid_tz)"
check "a hand-made timestamptz value is read" "SELECT f FROM one" \
	"[\"2024-01-01 00:00:00+00\",\"2024-02-01 00:00:00+00\") rows=120 start=100 end=109 new=19 churned=10 transient=1"

bad() {	# bad NAME PAYLOAD SQLSTATE
	make_file "$1" "$2"
	check_error "refused: $1" "$(load "$1")" "$3"
}
bad version_0 "flow(version=0)" 22P03
bad version_2 "flow(version=2)" 22P03
bad kind_2 "flow(kind=2)" 22P03
bad kind_255 "flow(kind=255)" 22P03
bad reversed_period "flow(ps=8797, pe=8766)" 22P03
bad empty_period "flow(pe=8766)" 22P03
bad infinite_date "flow(pe=2**31-1)" 22P03
bad minus_infinite_date "flow(ps=-2**31)" 22P03
bad date_beyond_int32 "flow(pe=2**40)" 22P03
bad date_before_julian_0 "flow(ps=-2451546)" 22P03
bad infinite_timestamp "flow(kind=1, ps=0, pe=2**63-1)" 22P03
bad negative_rows "flow(rows=-1)" 22P03
bad negative_start "flow(start=-1)" 22P03
bad negative_churned "flow(churned=-1)" 22P03
bad negative_new "flow(new=-1)" 22P03
bad negative_transient "flow(transient=-1)" 22P03
bad churned_over_start "flow(churned=101)" 22P03
bad counts_over_rows "flow(rows=119)" 22P03
bad counts_overflow "flow(rows=2**63-1, start=2**63-1, new=1, churned=0, transient=0)" 22P03
bad trailing_byte "flow() + b'\\x00'" 22P03
bad truncated "flow()[:-1]" 08P01
bad only_version "b'\\x01'" 08P01
bad empty "b''" 08P01

# 3. fuzz: every single-byte corruption of a valid value, and random ones,
# is either refused with an error or read as a valid summary
python3 - "$work" <<'PY'
import random, struct, sys
work = sys.argv[1]
base = struct.pack('>BBqqqqqqq', 1, 0, 8766, 8797, 120, 100, 10, 19, 1)
rng = random.Random(4)
payloads = []
for i in range(len(base)):
    for v in (0x00, 0xff, base[i] ^ 0x01, base[i] ^ 0x80):
        p = bytearray(base); p[i] = v; payloads.append(bytes(p))
for _ in range(200):
    p = bytearray(base)
    for _ in range(rng.randint(1, 6)):
        p[rng.randrange(len(p))] = rng.randrange(256)
    payloads.append(bytes(p))
data = b'PGCOPY\n\xff\r\n\x00' + struct.pack('>ii', 0, 0)
# one file per payload, each loaded in its own statement
for n, p in enumerate(payloads):
    with open(f"{work}/fuzz{n}.bin", 'wb') as f:
        f.write(data + struct.pack('>hi', 1, len(p)) + p + struct.pack('>h', -1))
PY
fuzz_total=$(ls "$work"/fuzz*.bin | wc -l)
csm_sql "CREATE TABLE fuzzed (f customer_flow)" >/dev/null
{
	for ((n = 0; n < fuzz_total; n++)); do
		echo "\\copy fuzzed FROM '$work/fuzz$n.bin' (FORMAT binary)"
	done
} >"$work/fuzz.sql"
psql -X -q -d "$CSM_DB" -f "$work/fuzz.sql" >"$work/fuzz.out" 2>&1
unexpected=$(grep 'ERROR' "$work/fuzz.out" |
	grep -v -e 'invalid customer_flow binary input' -e 'unsupported customer_flow binary version' \
		-e 'insufficient data left in message' -e 'incorrect binary data format' | head -5)
check_true "fuzzed binary input gives only the expected errors" test -z "$unexpected"
check "the server survived the fuzzing" "SELECT 1" "1"
check "every fuzzed value that was accepted is a valid summary" \
	"SELECT count(*) FROM fuzzed
	 WHERE customers_at_end(f) - new_customers(f) <> customers_at_start(f) - churned_customers(f)
	    OR churned_customers(f) > customers_at_start(f)
	    OR f::text::customer_flow::text <> f::text" "0"
check "some fuzzed values were refused and some accepted" \
	"SELECT count(*) > 0 AND count(*) < $fuzz_total FROM fuzzed" "t"
