#!/bin/sh
# Run libFuzzer targets for a set time each. Usage:
#   fuzz/run.sh FUZZ_BUILD SECONDS TARGET...
# FUZZ_BUILD contains the targets built by `make fuzz` (bin/TARGET). Each
# run starts from the working corpus FUZZ_BUILD/corpus/TARGET, seeds
# copied now from the test fixtures and the inputs in fuzz/regress/,
# with fuzz/TARGET.dict when there is one. Inputs that crash go to
# FUZZ_BUILD/crashes/TARGET/ and the logs to FUZZ_BUILD/logs/. Prints
# one line per target and exits 1 when any target found a fault.
# FUZZ_MAX_LEN, when set, caps the length of inputs in bytes; shorter
# inputs run faster, longer ones reach what only large exports contain.
set -u

FUZZ_BUILD=$1
SECONDS_EACH=$2
shift 2
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 2

# Copy the files that find prints into dir, named by their path so that
# fixtures of one name in two folders both stay.
copy_seeds() {
	dir=$1
	shift
	find "$@" -type f | while IFS= read -r f; do
		cp "$f" "$dir/$(printf '%s' "$f" | tr '/' '_')"
	done
}

seed_target() {
	dir=$FUZZ_BUILD/seed/$1
	rm -rf "$dir"
	mkdir -p "$dir"
	case $1 in
	spec)
		copy_seeds "$dir" tests/lang tests/fixtures examples \
			-name '*.mandate' ;;
	credreport)
		copy_seeds "$dir" tests/fixtures examples \
			\( -name '*.csv' -o -name '*.json' \) ;;
	*)
		copy_seeds "$dir" tests/fixtures examples -name '*.json' ;;
	esac
}

# Run one target; its options are this function's positional parameters.
run_target() {
	target=$1
	crashes=$FUZZ_BUILD/crashes/$target
	mkdir -p "$FUZZ_BUILD/corpus/$target" "$crashes"
	seed_target "$target"
	set -- -max_total_time="$SECONDS_EACH" -timeout=10 \
		-rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$crashes/"
	[ -f "fuzz/$target.dict" ] && set -- "$@" -dict="fuzz/$target.dict"
	[ -n "${FUZZ_MAX_LEN:-}" ] && set -- "$@" -max_len="$FUZZ_MAX_LEN"
	set -- "$@" "$FUZZ_BUILD/corpus/$target" "$FUZZ_BUILD/seed/$target"
	[ -d "fuzz/regress/$target" ] && set -- "$@" "fuzz/regress/$target"
	"$FUZZ_BUILD/bin/$target" "$@"
}

failed=0
mkdir -p "$FUZZ_BUILD/logs"
for target in "$@"; do
	log=$FUZZ_BUILD/logs/$target.log
	if run_target "$target" >"$log" 2>&1; then
		status=ok
	else
		status="FAILED (see $log and $FUZZ_BUILD/crashes/$target/)"
		failed=1
	fi
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	echo "fuzz: $target: ${runs:-0} executions in ${SECONDS_EACH}s: $status"
done
exit $failed
