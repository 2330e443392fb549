#!/usr/bin/env bash
# survival_summary binary form: COPY round trips, and binary input that is
# truncated, corrupted or forged must be refused with 22P03 (or 08P01 for
# data that ends early), never crash the server or give a wrong summary.
set -uo pipefail
cd "$(dirname "$0")/../.."
. test/lib/assert.sh

work=$(mktemp -d "${TMPDIR:-/tmp}/survival_binary.XXXXXX")
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT

csm_sql "CREATE TABLE surv_src (id int, s survival_summary);
	INSERT INTO surv_src VALUES
		(1, '{(6,3,1),(7,1,0),(9,0,1),(10,1,1)}'),
		(2, '{}'),
		(3, NULL),
		(4, '{(0,1,0),(1e-300,0,2),(0.1,5,0),(1e300,0,9223372036854775790)}');
	INSERT INTO surv_src SELECT 5, survival_agg(i / 7.0, i % 3 = 0) FROM generate_series(1, 5000) i;
	CREATE TABLE surv_dst (LIKE surv_src);
	CREATE TABLE surv_one (s survival_summary);" >/dev/null

# 1. binary COPY out and back in gives the same values
csm_sql "\\copy surv_src TO '$work/src.bin' (FORMAT binary)"
csm_sql "\\copy surv_dst FROM '$work/src.bin' (FORMAT binary)"
check "binary COPY round trip" \
	"SELECT count(*) FROM surv_src a JOIN surv_dst b USING (id)
	 WHERE a.s::text IS NOT DISTINCT FROM b.s::text" "5"
check "send is stable through recv" \
	"SELECT bool_and(survival_summary_send(a.s) = survival_summary_send(b.s))
	 FROM surv_src a JOIN surv_dst b USING (id) WHERE a.s IS NOT NULL" "t"

# Every payload below goes into a binary COPY file holding one field; one
# python3 run writes them all (cases/NAME.bin and fuzz/N.bin).
python3 - "$work" <<'PY'
import os, struct, sys
work = sys.argv[1]
def entry(t, d, c): return struct.pack('!dqq', t, d, c)
def count(n): return struct.pack('!i', n)
def copy_file(path, payload):
    with open(path, "wb") as f:
        f.write(b"PGCOPY\n\xff\r\n\x00" + struct.pack("!ii", 0, 0))
        f.write(struct.pack("!hi", 1, len(payload)) + payload)
        f.write(struct.pack("!h", -1))
os.makedirs(f"{work}/cases"); os.makedirs(f"{work}/fuzz")
cases = {
    "good": b"\x01" + count(2) + entry(6, 3, 1) + entry(7, 1, 0),
    "version": b"\x02" + count(1) + entry(6, 1, 0),
    "negcount": b"\x01" + count(-1),
    "hugecount": b"\x01" + count(2147483647) + entry(6, 1, 0),
    "shortcount": b"\x01" + count(2) + entry(6, 1, 0),
    "trailing": b"\x01" + count(1) + entry(6, 1, 0) + b"\x00",
    "nocount": b"\x01",
    "empty": b"",
    "decreasing": b"\x01" + count(2) + entry(7, 1, 0) + entry(6, 1, 0),
    "repeated": b"\x01" + count(2) + entry(6, 1, 0) + entry(6, 1, 0),
    "negtenure": b"\x01" + count(1) + entry(-1, 1, 0),
    "negzero": b"\x01" + count(1) + entry(-0.0, 1, 0),
    "nan": b"\x01" + count(1) + entry(float("nan"), 1, 0),
    "inf": b"\x01" + count(1) + entry(float("inf"), 1, 0),
    "negchurned": b"\x01" + count(1) + entry(6, -1, 0),
    "negcensored": b"\x01" + count(1) + entry(6, 0, -5),
    "nobody": b"\x01" + count(1) + entry(6, 0, 0),
    "overflow": b"\x01" + count(2) + entry(6, 9223372036854775807, 0) + entry(7, 1, 0),
}
for name, payload in cases.items():
    copy_file(f"{work}/cases/{name}.bin", payload)
# single-byte corruptions of a valid value, and a psql script that loads each
base = b"\x01" + count(3) + entry(1.5, 2, 1) + entry(4, 0, 3) + entry(9, 1, 0)
n = 0
with open(f"{work}/fuzz.sql", "w") as script:
    for i in range(len(base)):
        for v in (0x00, 0xFF, 0x80, 0x7F, base[i] ^ 0x01):
            mutated = base[:i] + bytes([v]) + base[i + 1:]
            if mutated == base:
                continue
            copy_file(f"{work}/fuzz/{n}.bin", mutated)
            script.write(f"\\echo case {n}\n\\copy surv_one FROM '{work}/fuzz/{n}.bin' (FORMAT binary)\n")
            n += 1
PY

check_true "a hand-made binary value is accepted" \
	csm_sql "\\copy surv_one FROM '$work/cases/good.bin' (FORMAT binary)"
check "and reads back as written" "SELECT s FROM surv_one" "{(6,3,1),(7,1,0)}"

bad_case() {	# name sqlstate case
	check_error "$1" "\\copy surv_one FROM '$work/cases/$3.bin' (FORMAT binary)" "$2"
}
bad_case "unknown version" 22P03 version
bad_case "negative entry count" 22P03 negcount
bad_case "entry count beyond the data (checked before allocating)" 22P03 hugecount
bad_case "entry count one more than the data" 22P03 shortcount
bad_case "trailing bytes" 22P03 trailing
bad_case "no count" 08P01 nocount
bad_case "empty value" 08P01 empty
bad_case "decreasing tenures" 22P03 decreasing
bad_case "repeated tenure" 22P03 repeated
bad_case "negative tenure" 22P03 negtenure
bad_case "negative zero tenure" 22P03 negzero
bad_case "NaN tenure" 22P03 nan
bad_case "infinite tenure" 22P03 inf
bad_case "negative churned count" 22P03 negchurned
bad_case "negative censored count" 22P03 negcensored
bad_case "entry without customers" 22P03 nobody
bad_case "counts that overflow in total" 22P03 overflow

# single-byte corruptions of a valid value, loaded in one session: each is
# refused with 22P03 or 08P01, or decodes to a valid summary; the server
# stays up throughout
psql -X -q -At -d "$CSM_DB" -v VERBOSITY=verbose -f "$work/fuzz.sql" >"$work/fuzz.out" 2>&1
summary=$(awk '
	/^case / { n++; next }
	/ERROR:  (22P03|08P01):/ { refused++; next }
	/ERROR:|FATAL|server closed|connection/ { bad = bad $0 "\n"; next }
	END { printf "%d %d %s", n, refused, bad }' "$work/fuzz.out")
read -r cases refused rest <<<"$summary"
accepted=$(csm_sql "SELECT count(*) - 1 FROM surv_one")
if [ -z "$rest" ] && [ "$cases" -gt 0 ] && [ $((refused + accepted)) -eq "$cases" ]; then
	_csm_report ok "single-byte corruptions: $cases cases, $refused refused, $accepted accepted"
else
	_csm_report fail "single-byte corruptions" "cases $cases refused $refused accepted $accepted
$rest"
fi
# whatever was accepted is a valid summary: it passes every check on the way out
check "accepted corruptions are valid summaries" \
	"SELECT count(*) = count(s::text::survival_summary) FROM surv_one" "t"
check "server still answers" "SELECT 1" "1"

csm_sql "DROP TABLE surv_src, surv_dst, surv_one" >/dev/null
