#!/bin/sh
# Time `mandate check --against` beside cJSON alone parsing the same
# export, at several sizes of a synthetic organisation (bench/gen-org.sh),
# and write the table with the machine it ran on.
#
# Usage: bench/run.sh BUILD_DIR OUTPUT [AGENTS...]
#   BUILD_DIR  contains mandate, bench/cjson-parse and bench/rusage
#   OUTPUT     the Markdown page to write (written whole, then renamed)
#   AGENTS     the sizes, in agents; default 100 1000 10000 (about 1, 10
#              and 100 MB of export)
# BENCH_RUNS (default 5) sets how many times each command runs; the
# table keeps each command's run with the least CPU time.
# BENCH_DIR names the scratch directory (default: a new one in /tmp).
set -eu

if [ $# -lt 2 ]; then
	echo "usage: $0 BUILD_DIR OUTPUT [AGENTS...]" >&2
	exit 2
fi
build=$1
output=$2
shift 2
[ $# -gt 0 ] || set -- 100 1000 10000
runs=${BENCH_RUNS:-5}
here=$(cd "$(dirname "$0")" && pwd)
mandate=$build/mandate
parse=$build/bench/cjson-parse
rusage=$build/bench/rusage
for tool in "$mandate" "$parse" "$rusage"; do
	if [ ! -x "$tool" ]; then
		echo "$0: '$tool' is missing; run make bench" >&2
		exit 2
	fi
done

if [ -n "${BENCH_DIR:-}" ]; then
	work=$BENCH_DIR
	mkdir -p "$work"
else
	work=$(mktemp -d)
	trap 'rm -rf "$work"' EXIT
fi

# Run a command once, whose exit status must be $2, and add
# "CPU WALL MAXRSS" to the file $1.
run_once() {
	file=$1
	want=$2
	shift 2
	"$rusage" "$@" >"$work/one" 2>"$work/stderr"
	read -r wall cpu rss got <"$work/one"
	if [ "$got" != "$want" ]; then
		echo "$0: '$*' exited $got, expected $want:" >&2
		cat "$work/stderr" >&2
		exit 2
	fi
	echo "$cpu $wall $rss" >>"$file"
}

# Print "WALL CPU MAXRSS" of the run with the least CPU time in file $1.
best() {
	sort -n "$1" | head -n 1 | awk '{ print $2, $1, $3 }'
}

machine() {
	cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null |
		head -n 1)
	cores=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?')
	mem=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' \
		/proc/meminfo 2>/dev/null)
	echo "- CPU: ${cpu:-unknown}, $cores cores online"
	echo "- memory: ${mem:-unknown}"
	echo "- kernel: $(uname -sr)"
	echo "- compiler: $(${CC:-cc} --version 2>/dev/null | head -n 1)"
	echo "- cJSON: $(pkg-config --modversion libcjson 2>/dev/null ||
		echo unknown)"
}

rows=$work/rows
: >"$rows"
for agents in "$@"; do
	org=$work/org-$agents
	rm -rf "$org"
	sh "$here/gen-org.sh" "$agents" "$org"
	bytes=$(wc -c <"$org/export.json")
	# Check and the parse take turns, so that both meet the same load
	# on a shared machine. The organisation has drift and unowned
	# roles, so the gate fails.
	: >"$work/check-runs"
	: >"$work/parse-runs"
	i=0
	while [ "$i" -lt "$runs" ]; do
		run_once "$work/check-runs" 1 "$mandate" check \
			--today 2026-12-01 --against "$org/export.json" \
			"$org/agents"
		run_once "$work/parse-runs" 0 "$parse" "$org/export.json"
		i=$((i + 1))
	done
	set -- $(best "$work/check-runs")
	check_wall=$1 check_cpu=$2 check_rss=$3
	set -- $(best "$work/parse-runs")
	echo "$agents $bytes $check_wall $check_cpu $check_rss $1 $2 $3" \
		>>"$rows"
	echo "bench: $agents agents done" >&2
	rm -rf "$org"
done

{
	echo "# Benchmarks"
	echo
	echo "\`make bench\` ran \`mandate check --against\` on a synthetic"
	echo "organisation (bench/gen-org.sh) at each size, and in the same run"
	echo "a program that only parses the export with cJSON_Parse and frees"
	echo "it (bench/cjson-parse.c). The two took turns, $runs runs each;"
	echo "the table shows each one's run with the least CPU time. CPU is"
	echo "user plus system time and RSS the peak resident set size, both"
	echo "from wait4(2) of the child (bench/rusage.c)."
	echo
	echo "Targets: check within 2x the time of the parse alone, and peak"
	echo "RSS within 4x the export's size."
	echo
	echo "Run on $(date -u +%Y-%m-%d):"
	echo
	machine
	echo
	echo "| agents | export MB | check wall ms | check CPU ms | check RSS MB | parse wall ms | parse CPU ms | parse RSS MB | time ratio (wall) | time ratio (CPU) | RSS / export |"
	echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
	awk '{
		mb = $2 / 1048576
		printf "| %d | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f |",
		    $1, mb, $3 * 1000, $4 * 1000, $5 / 1024, $6 * 1000,
		    $7 * 1000, $8 / 1024
		printf " %.2f | %.2f | %.2f |\n", ($6 > 0 ? $3 / $6 : 0),
		    ($7 > 0 ? $4 / $7 : 0), $5 * 1024 / $2
	}' "$rows"
	echo
	echo "Cost per MB of export at each size; equal rows mean linear growth:"
	echo
	echo "| agents | check CPU ms per MB | parse CPU ms per MB | check RSS MB per MB |"
	echo "|---:|---:|---:|---:|"
	awk '{
		mb = $2 / 1048576
		printf "| %d | %.1f | %.1f | %.2f |\n", $1, $4 * 1000 / mb,
		    $7 * 1000 / mb, $5 / 1024 / mb
	}' "$rows"
	if [ -f "$here/notes.md" ]; then
		echo
		cat "$here/notes.md"
	fi
} >"$output.tmp"
mv "$output.tmp" "$output"
echo "bench: wrote $output" >&2
