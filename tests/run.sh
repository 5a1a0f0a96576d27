#!/bin/sh
# Run every test: unit binaries, golden language tests and command-line
# tests. Usage: tests/run.sh BUILD_DIR [FILTER]. Prints one line per
# failure and a summary; exits 1 when anything failed.
set -u

BUILD=${1:-build}
FILTER=${2:-}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
MANDATE="$ROOT/$BUILD/mandate"
case $BUILD in /*) MANDATE="$BUILD/mandate" ;; esac
export MANDATE ROOT
# Golden output must not depend on the terminal or the caller's locale.
export LC_ALL=C
unset MANDATE_TRACE

passed=0
failed=0
failures=""

record() {
	if [ "$1" = 0 ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		failures="$failures
  $2"
	fi
}

matches_filter() {
	[ -z "$FILTER" ] && return 0
	case $1 in *"$FILTER"*) return 0 ;; esac
	return 1
}

# Unit tests.
for bin in "$ROOT/$BUILD"/tests/unit/*; do
	[ -x "$bin" ] && [ -f "$bin" ] || continue
	case $bin in *.o|*.d) continue ;; esac
	matches_filter "$bin" || continue
	if "$bin" >/dev/null 2>"$ROOT/$BUILD/unit.err"; then
		record 0 "$bin"
	else
		cat "$ROOT/$BUILD/unit.err" >&2
		record 1 "unit: $(basename "$bin")"
	fi
done

# Golden language tests: tests/lang/AREA/CASE.mandate (or a directory
# CASE/ compiled as one unit) with CASE.err (expected stderr, exit 2) or
# CASE.out (expected stdout). CASE.args adds options; CASE.exit sets the
# expected exit code.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$ROOT"
for expect in tests/lang/*/*.err tests/lang/*/*.out; do
	[ -f "$expect" ] || continue
	case_path=${expect%.*}
	matches_filter "$case_path" || continue
	if [ -d "$case_path" ]; then
		input=$case_path
	else
		input=$case_path.mandate
	fi
	args="--today 2026-12-01 --color never"
	[ -f "$case_path.args" ] && args="$args $(cat "$case_path.args")"
	# shellcheck disable=SC2086
	"$MANDATE" check $args "$input" >"$tmp/out" 2>"$tmp/err"
	status=$?
	case $expect in
	*.err) want=2; got_file=$tmp/err ;;
	*.out) want=; got_file=$tmp/out ;;
	esac
	[ -f "$case_path.exit" ] && want=$(cat "$case_path.exit")
	ok=0
	if ! cmp -s "$expect" "$got_file"; then
		diff -u "$expect" "$got_file" >&2
		ok=1
	fi
	if [ -n "$want" ] && [ "$status" != "$want" ]; then
		echo "$case_path: exit $status, expected $want" >&2
		ok=1
	fi
	if [ "$status" -gt 2 ]; then
		echo "$case_path: crashed with status $status" >&2
		ok=1
	fi
	record $ok "lang: $case_path"
done

# Command-line tests: each tests/cli/*.sh exits 0 when it passes and
# prints a line starting with SKIP for each part it could not run.
for script in tests/cli/*.sh; do
	[ -f "$script" ] || continue
	case $script in */lib.sh) continue ;; esac
	matches_filter "$script" || continue
	if sh "$script" >"$tmp/cli.log" 2>&1; then
		record 0 "$script"
		grep '^SKIP' "$tmp/cli.log"	# parts a script left out
	else
		cat "$tmp/cli.log" >&2
		record 1 "cli: $script"
	fi
done

total=$((passed + failed))
if [ "$failed" -ne 0 ]; then
	echo "FAILED:$failures" >&2
	echo "$failed of $total tests failed" >&2
	exit 1
fi
echo "all $total tests passed"
