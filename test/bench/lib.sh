# test/bench/lib.sh: timing helpers for the benchmark scripts in test/bench/.
# Queries are timed with psql's \timing, in alternating rounds, and reported
# as medians and as ratios to the first (baseline) query of the group, all
# measured in the same run.  Nothing here asserts a time.
#
# With BENCH_BASE_DB set (test/bench/compare-release), a second database
# holds an earlier release of csmetrics: bench_sql prepares both databases
# alike, and bench_compare runs every query in both, alternately, and prints
# the ratio of the two builds beside the usual ratios.

BENCH_ROUNDS=${BENCH_ROUNDS:-5}

# medians of every query timed so far, by "TITLE|LABEL", for bench_ratio
declare -gA BENCH_MEDIAN

# Time one query (its result is discarded) in database $2 (default
# BENCH_DB); print milliseconds
bench_time_once() {
	psql -X -q -d "${2:-${BENCH_DB:-bench}}" -o /dev/null -c '\timing on' -c "$1" |
		awk '/^Time:/ { t = $2 } END { print t }'
}

# Run SQL (psql arguments, or a script on standard input when no -c is
# given) in BENCH_DB and, when set, in BENCH_BASE_DB
bench_sql() {
	local db sql="" args=("$@") a
	for a in "${args[@]}"; do
		[ "$a" = "-c" ] && sql=-c
	done
	[ -z "$sql" ] && sql=$(cat)
	for db in "$BENCH_DB" ${BENCH_BASE_DB:+"$BENCH_BASE_DB"}; do
		if [ "$sql" = "-c" ]; then
			psql -X -q -d "$db" "${args[@]}"
		else
			psql -X -q -d "$db" "${args[@]}" <<<"$sql"
		fi
	done
}

_bench_median() {
	sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# bench_compare TITLE LABEL1 QUERY1 LABEL2 QUERY2 ...
# Runs every query once to warm up, then BENCH_ROUNDS rounds in turn, and
# prints each query's median time and its ratio to the first query.  With
# BENCH_BASE_DB set, every query also runs there, right after its run in
# BENCH_DB, and each line shows both builds and their ratio (now / base).
bench_compare() {
	local title=$1
	shift
	local labels=() queries=() dbs=() i r n
	while [ $# -gt 0 ]; do
		if [ -n "${BENCH_BASE_DB:-}" ]; then
			labels+=("$1 [base]")
			queries+=("$2")
			dbs+=("$BENCH_BASE_DB")
		fi
		labels+=("$1")
		queries+=("$2")
		dbs+=("$BENCH_DB")
		shift 2
	done
	n=${#queries[@]}
	local -a times
	for ((i = 0; i < n; i++)); do
		bench_time_once "${queries[$i]}" "${dbs[$i]}" >/dev/null
		times[$i]=""
	done
	for ((r = 0; r < BENCH_ROUNDS; r++)); do
		for ((i = 0; i < n; i++)); do
			times[$i]+="$(bench_time_once "${queries[$i]}" "${dbs[$i]}") "
		done
	done
	printf '\n%s (median of %d runs)\n' "$title" "$BENCH_ROUNDS"
	local -a meds
	for ((i = 0; i < n; i++)); do
		meds[$i]=$(printf '%s\n' ${times[$i]} | _bench_median)
		BENCH_MEDIAN["$title|${labels[$i]}"]=${meds[$i]}
	done
	if [ -z "${BENCH_BASE_DB:-}" ]; then
		for ((i = 0; i < n; i++)); do
			printf '  %-48s %10.1f ms  %6.2fx\n' "${labels[$i]}" "${meds[$i]}" \
				"$(awk -v a="${meds[$i]}" -v b="${meds[0]}" 'BEGIN { print a / b }')"
		done
		return
	fi
	printf '  %-48s %19s %19s %9s\n' "" "base (x baseline)" "now (x baseline)" "now/base"
	for ((i = 0; i < n; i += 2)); do
		printf '  %-48s %9.1f ms %6.2fx %9.1f ms %6.2fx %8.2fx\n' "${labels[$i + 1]}" \
			"${meds[$i]}" "$(awk -v a="${meds[$i]}" -v b="${meds[0]}" 'BEGIN { print a / b }')" \
			"${meds[$i + 1]}" "$(awk -v a="${meds[$i + 1]}" -v b="${meds[1]}" 'BEGIN { print a / b }')" \
			"$(awk -v a="${meds[$i + 1]}" -v b="${meds[$i]}" 'BEGIN { print a / b }')"
	done
}

# bench_ratio TEXT "TITLE_A|LABEL_A" "TITLE_B|LABEL_B": print how many times
# faster query A ran than query B (B's median / A's median), both timed above
bench_ratio() {
	local a=${BENCH_MEDIAN[$2]:-} b=${BENCH_MEDIAN[$3]:-}
	if [ -z "$a" ] || [ -z "$b" ]; then
		echo "bench_ratio: no median for '$2' or '$3'" >&2
		return 1
	fi
	printf '  %-72s %6.2fx\n' "$1" "$(awk -v a="$a" -v b="$b" 'BEGIN { print b / a }')"
}
