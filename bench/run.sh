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
# BENCH_RUNS (default 3) sets how many times each command runs; the
# table keeps the fastest run by wall time, and its CPU time and RSS.
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
runs=${BENCH_RUNS:-3}
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

# Print "WALL CPU MAXRSS" of the fastest of $runs runs of a command
# whose exit status must be $1.
measure() {
	want=$1
	shift
	i=0
	: >"$work/runs"
	while [ "$i" -lt "$runs" ]; do
		"$rusage" "$@" >"$work/one" 2>"$work/stderr"
		read -r wall cpu rss got <"$work/one"
		if [ "$got" != "$want" ]; then
			echo "$0: '$*' exited $got, expected $want:" >&2
			cat "$work/stderr" >&2
			exit 2
		fi
		echo "$wall $cpu $rss" >>"$work/runs"
		i=$((i + 1))
	done
	sort -n "$work/runs" | head -n 1
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
	# The organisation has drift and unowned roles, so the gate fails.
	set -- $(measure 1 "$mandate" check --today 2026-12-01 \
		--against "$org/export.json" "$org/agents")
	check_wall=$1 check_cpu=$2 check_rss=$3
	set -- $(measure 0 "$parse" "$org/export.json")
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
	echo "it (bench/cjson-parse.c). Each command ran $runs times; the table"
	echo "shows the fastest run by wall time. CPU is user plus system time"
	echo "and RSS the peak resident set size, both from wait4(2) of the"
	echo "child (bench/rusage.c)."
	echo
	echo "Targets: check within 2x the time of the parse alone, and peak"
	echo "RSS within 4x the export's size."
	echo
	echo "Run on $(date -u +%Y-%m-%d):"
	echo
	machine
	echo
	echo "| agents | export MB | check wall s | check CPU s | check RSS MB | parse wall s | parse CPU s | parse RSS MB | time ratio (wall) | time ratio (CPU) | RSS / export |"
	echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
	awk '{
		mb = $2 / 1048576
		printf "| %d | %.1f | %.3f | %.3f | %.1f | %.3f | %.3f | %.1f |",
		    $1, mb, $3, $4, $5 / 1024, $6, $7, $8 / 1024
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
