#!/usr/bin/env bash
# mrr_bridge binary form: COPY (FORMAT binary) round trips, and the receive
# function refusing corrupted bytes with 22P03 (never a crash, never a
# silently different value).
set -uo pipefail
cd "$(dirname "$0")/../.."
. test/lib/assert.sh

tmp=$(mktemp -d)
chmod 777 "$tmp"
trap 'rm -rf "$tmp"' EXIT

csm_sql "CREATE TABLE mb (id int, b mrr_bridge);
INSERT INTO mb SELECT 1, mrr_bridge_agg(p, c, paid) FROM (VALUES
	(NULL::numeric, 100::numeric, NULL::boolean), (0, 50, true), (200, 250, true),
	(300, 240.50, true), (150, 0, true), (400, 400, true), (NULL, NULL, false)) v(p, c, paid);
INSERT INTO mb SELECT 2, mrr_bridge_agg(NULL::numeric, NULL::numeric, NULL::boolean);
INSERT INTO mb SELECT 3, mrr_bridge_agg(0, 12345678901234567890123456.123456789012, false);
INSERT INTO mb VALUES (4, NULL);
CREATE TABLE mb2 (LIKE mb);" >/dev/null

# round trip through a binary COPY file
psql -X -q -d "$CSM_DB" -c "\\copy mb TO '$tmp/mb.bin' WITH (FORMAT binary)"
psql -X -q -d "$CSM_DB" -c "\\copy mb2 FROM '$tmp/mb.bin' WITH (FORMAT binary)"
check "binary COPY round trip keeps every summary exactly" \
	"SELECT count(*) FROM mb JOIN mb2 USING (id) WHERE mb.b::text IS NOT DISTINCT FROM mb2.b::text" "4"
check "binary round trip keeps the scale" \
	"SELECT b::text FROM mb2 WHERE id = 3" \
	"{starting_mrr=0.000000000000, new_mrr=12345678901234567890123456.123456789012, expansion_mrr=0.000000000000, reactivation_mrr=0.000000000000, contraction_mrr=0.000000000000, churned_mrr=0.000000000000, new=1, expansion=0, reactivation=0, contraction=0, churn=0, unchanged=0, inactive=0}"

# the bytes of one summary, fed back through a one-row binary COPY file
# (19-byte header, int16 field count, int32 length, data, int16 -1)
hex=$(csm_sql "SELECT encode(mrr_bridge_send(b), 'hex') FROM mb WHERE id = 1")
feed() {
	python3 - "$1" "$tmp/one.bin" <<'PY'
import sys, struct
data = bytes.fromhex(sys.argv[1])
out = b'PGCOPY\n\xff\r\n\x00' + struct.pack('!ii', 0, 0)
out += struct.pack('!h', 1) + struct.pack('!i', len(data)) + data + struct.pack('!h', -1)
open(sys.argv[2], 'wb').write(out)
PY
	psql -X -q -d "$CSM_DB" -At -c "\\set VERBOSITY verbose" \
		-c "CREATE TEMP TABLE one (b mrr_bridge)" \
		-c "\\copy one FROM '$tmp/one.bin' WITH (FORMAT binary)" \
		-c "SELECT b::text FROM one" 2>&1
}
got=$(feed "$hex")
want=$(csm_sql "SELECT b::text FROM mb WHERE id = 1")
if [ "$got" = "$want" ]; then
	_csm_report ok "fed-back bytes give the same summary"
else
	_csm_report fail "fed-back bytes give the same summary" "$got"
fi

bad_binary() {	# NAME HEX: feeding HEX fails with 22P03
	local out
	out=$(feed "$2")
	if printf '%s' "$out" | grep -q "ERROR:  22P03:"; then
		_csm_report ok "$1"
	else
		_csm_report fail "$1" "$out"
	fi
}
# offsets in hex digits: version 0, flags 2, counts 4..115, amounts from 116
bad_binary "wrong version" "02${hex:2}"
bad_binary "flags set" "${hex:0:2}01${hex:4}"
bad_binary "negative count" "${hex:0:4}ffffffffffffffff${hex:20}"
bad_binary "truncated in the counts" "${hex:0:30}"
bad_binary "truncated in an amount" "${hex:0:$(( ${#hex} - 6 ))}"
bad_binary "trailing byte" "${hex}00"
bad_binary "amount length too long" "${hex:0:116}7fffffff${hex:124}"
bad_binary "amount length not matching its digits" "${hex:0:116}00000009${hex:124}00"
bad_binary "customers without MRR (new=0, new MRR > 0)" "${hex:0:4}0000000000000000${hex:20}"
# the starting amount replaced by NaN (ndigits 0, weight 0, sign 0xC000, dscale 0)
first_len=$(( 0x${hex:116:8} ))
rest=${hex:$((124 + 2 * first_len))}
bad_binary "NaN amount" "${hex:0:116}00000008000000000000c0000000${rest}"
bad_binary "negative amount" "${hex:0:124}${hex:124:8}4000${hex:136}"
# flip each byte in turn: every result is refused with 22P03 / 22003 or is
# a valid summary; the server never crashes
bad=0
for ((i = 0; i < ${#hex}; i += 2)); do
	flipped="${hex:0:$i}$(printf '%02x' $(( 0x${hex:$i:2} ^ 0x5a )))${hex:$((i + 2))}"
	out=$(feed "$flipped")
	if ! printf '%s' "$out" | grep -qE '^\{starting_mrr=|ERROR:  (22P03|22003):'; then
		bad=$((bad + 1))
		echo "# offset $((i / 2)): $out"
	fi
done
if [ "$bad" -eq 0 ]; then
	_csm_report ok "every single-byte corruption is refused or gives a valid summary"
else
	_csm_report fail "every single-byte corruption is refused or gives a valid summary" "$bad bad"
fi
check "server still up" "SELECT 1" "1"
csm_sql "DROP TABLE mb, mb2" >/dev/null
