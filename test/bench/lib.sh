# test/bench/lib.sh: timing helpers for the benchmark scripts in test/bench/.
# Queries are timed with psql's \timing, in alternating rounds, and reported
# as medians and as ratios to the first (baseline) query of the group, all
# measured in the same run.  Nothing here asserts a time.

BENCH_ROUNDS=${BENCH_ROUNDS:-5}

# medians of every query timed so far, by "TITLE|LABEL", for bench_ratio
declare -gA BENCH_MEDIAN

# Time one query (its result is discarded); print milliseconds
bench_time_once() {
	psql -X -q -d "${BENCH_DB:-bench}" -o /dev/null -c '\timing on' -c "$1" |
		awk '/^Time:/ { t = $2 } END { print t }'
}

_bench_median() {
	sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# bench_compare TITLE LABEL1 QUERY1 LABEL2 QUERY2 ...
# Runs every query once to warm up, then BENCH_ROUNDS rounds in turn, and
# prints each query's median time and its ratio to the first query.
bench_compare() {
	local title=$1
	shift
	local labels=() queries=() i r n
	while [ $# -gt 0 ]; do
		labels+=("$1")
		queries+=("$2")
		shift 2
	done
	n=${#queries[@]}
	local -a times
	for ((i = 0; i < n; i++)); do
		bench_time_once "${queries[$i]}" >/dev/null
		times[$i]=""
	done
	for ((r = 0; r < BENCH_ROUNDS; r++)); do
		for ((i = 0; i < n; i++)); do
			times[$i]+="$(bench_time_once "${queries[$i]}") "
		done
	done
	printf '\n%s (median of %d runs)\n' "$title" "$BENCH_ROUNDS"
	local base med
	for ((i = 0; i < n; i++)); do
		med=$(printf '%s\n' ${times[$i]} | _bench_median)
		BENCH_MEDIAN["$title|${labels[$i]}"]=$med
		[ $i -eq 0 ] && base=$med
		printf '  %-48s %10.1f ms  %6.2fx\n' "${labels[$i]}" "$med" \
			"$(awk -v a="$med" -v b="$base" 'BEGIN { print a / b }')"
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
