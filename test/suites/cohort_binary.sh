#!/usr/bin/env bash
# cohort_summary and revenue_cohort_summary: binary COPY round trips and
# receive functions fed corrupted bytes (every rejection is 22P03 or a
# clean error, never a crash or a wrong value)
set -u
. "$(dirname "$0")/../lib/assert.sh"

csm_sql "CREATE TABLE cs (id int, s cohort_summary, r revenue_cohort_summary)" >/dev/null
csm_sql "INSERT INTO cs VALUES
	(1, 'month; 2024-01-01 3 {0:1, 2:1}; 2024-02-01 2 {0:1, 3:1}', 'month; 2024-01-01 {0:150.00, 1:120.50, 3:180}; 2024-02-01 {0:30}'),
	(2, 'week', 'week'),
	(3, 'day; 2024-02-29 9223372036854775807 {}', 'year; 2024-01-01 {0:-123456789012345678901234567890.123456789, 7:0.000}'),
	(4, NULL, NULL)" >/dev/null
csm_sql "INSERT INTO cs SELECT 5, cohort_agg(DATE '2020-01-01' + (g * 7919) % 1500, CASE WHEN g % 3 = 0 THEN NULL ELSE DATE '2020-01-01' + (g * 7919) % 1500 + g % 400 END, 'week'),
	revenue_cohort_agg(DATE '2020-01-01' + g % 900, DATE '2020-01-01' + g % 900 + g % 200, (g % 97) / 7.0, 'month') FROM generate_series(1, 20000) g" >/dev/null

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 777 "$tmp"

# binary COPY out and back in gives the same text
psql -X -q -d "$CSM_DB" -c "\\copy cs TO '$tmp/cs.bin' (FORMAT binary)"
csm_sql "CREATE TABLE cs2 (LIKE cs)" >/dev/null
psql -X -q -d "$CSM_DB" -c "\\copy cs2 FROM '$tmp/cs.bin' (FORMAT binary)"
check "binary COPY round trip of both summary types" \
	"SELECT count(*) FROM cs a JOIN cs2 b USING (id) WHERE a.s::text IS NOT DISTINCT FROM b.s::text AND a.r::text IS NOT DISTINCT FROM b.r::text" "5"

# send gives: version, grain, ncells, cells
check "binary layout of a small cohort_summary" \
	"SELECT encode(cohort_summary_send('month; 2024-01-01 2 {1:1}'), 'hex')" \
	"0103000000020000223effffffff00000000000000010000223e000000010000000000000001"

# corrupt bytes: feed hand-made messages to the receive function via COPY
bad() {	# name hexbytes column
	printf 'PGCOPY\n\377\r\n\0' > "$tmp/bad.bin"
	printf '\0\0\0\0\0\0\0\0' >> "$tmp/bad.bin"
	local hex=$2 len
	len=$(( ${#hex} / 2 ))
	printf '\0\1' >> "$tmp/bad.bin"
	printf "$(printf '\\x%02x\\x%02x\\x%02x\\x%02x' $((len >> 24 & 255)) $((len >> 16 & 255)) $((len >> 8 & 255)) $((len & 255)))" >> "$tmp/bad.bin"
	printf "$(echo "$hex" | sed 's/../\\x&/g')" >> "$tmp/bad.bin"
	printf '\377\377' >> "$tmp/bad.bin"
	check_error "$1" "CREATE TEMP TABLE t (v $3); COPY t FROM '$tmp/bad.bin' (FORMAT binary)" "$4"
}
bad "cohort: unknown version" "02030000000000" cohort_summary 22P03
bad "cohort: unknown grain" "01090000000000" cohort_summary 22P03
bad "cohort: negative cell count" "0103ffffffff" cohort_summary 22P03
bad "cohort: cell count larger than the message" "01037fffffff00000000" cohort_summary 22P03
bad "cohort: truncated cell" "01030000000100002220ffffffff00" cohort_summary 22P03
bad "cohort: zero count" "0103000000010000223effffffff0000000000000000" cohort_summary 22P03
bad "cohort: negative count" "0103000000010000223effffffffffffffffffffffff" cohort_summary 22P03
bad "cohort: period below -1" "0103000000010000223efffffffe0000000000000001" cohort_summary 22P03
bad "cohort: cohort date not a period start" "0103000000010000223fffffffff0000000000000001" cohort_summary 22P03
bad "cohort: cells out of order" "0103000000020000225dffffffff00000000000000010000223effffffff0000000000000001" cohort_summary 22P03
bad "cohort: duplicate cell" "0103000000020000223effffffff00000000000000010000223effffffff0000000000000001" cohort_summary 22P03
bad "cohort: cohort size overflows" "0103000000020000223effffffff7fffffffffffffff0000223e000000000000000000000001" cohort_summary 22003
bad "cohort: trailing bytes" "0103000000000000" cohort_summary 22P03
bad "revenue: unknown version" "02030000000000" revenue_cohort_summary 22P03
bad "revenue: cell count larger than the message" "0103000000050000223e00000000" revenue_cohort_summary 22P03
bad "revenue: sum length past the end" "01030000000100002220000000000000ffff0000000000000000" revenue_cohort_summary 22P03
bad "revenue: negative period" "0103000000010000223effffffff00000008000000000000000000000000" revenue_cohort_summary 22P03
bad "revenue: NaN sum" "0103000000010000223e0000000000000008000000000000c0000000" revenue_cohort_summary 22P03

# random corruption of a valid binary COPY file never crashes the server
psql -X -q -d "$CSM_DB" -c "\\copy (SELECT s, r FROM cs WHERE id IN (1, 3)) TO '$tmp/good.bin' (FORMAT binary)"
csm_sql "CREATE TABLE fuzz (s cohort_summary, r revenue_cohort_summary)" >/dev/null
python3 - "$tmp" <<'PY'
import random, sys
d = sys.argv[1]
data = open(d + "/good.bin", "rb").read()
random.seed(20240229)
for i in range(150):
    b = bytearray(data)
    for _ in range(random.randint(1, 3)):
        pos = random.randrange(19, len(b) - 2)
        b[pos] = random.randrange(256)
    open("%s/fuzz%03d.bin" % (d, i), "wb").write(bytes(b))
PY
crashes=0
for f in "$tmp"/fuzz*.bin; do
	out=$(psql -X -q -d "$CSM_DB" -c "\\copy fuzz FROM '$f' (FORMAT binary)" 2>&1)
	case "$out" in
		*"server closed the connection"*|*"terminated abnormally"*) crashes=$((crashes + 1)) ;;
	esac
done
check "150 corrupted binary files: no crash" "SELECT $crashes" "0"
check "server alive after fuzzing" "SELECT 1" "1"
check "whatever was accepted is valid (text output works)" \
	"SELECT count(*) FROM fuzz WHERE length(s::text) >= 0 AND length(r::text) >= 0 OR s IS NULL OR r IS NULL" \
	"$(csm_sql 'SELECT count(*) FROM fuzz')"
