# Running out of memory while reading an input is an error naming that
# input, exit 2, whichever command reads it. A sparse export of 1.5 GB
# under a 400 MB address-space limit (ulimit -v) fails when it is read.
# Generated exports and specs under a series of smaller limits fail
# while they are read or parsed, and then the message names the file.
. tests/cli/lib.sh

gaad=examples/exports/authorization-details.json
today="--today 2026-12-01"

# AddressSanitizer reserves terabytes of address space at start, so a
# sanitizer build cannot run under ulimit -v at all.
if ! (ulimit -v 400000 && exec "$MANDATE" --version) >/dev/null 2>&1; then
	echo "SKIP: out-of-memory cases need a build without sanitizers"
	finish
fi

# Run mandate with its address space limited to $1 KiB.
run_limited() {
	limit=$1
	shift
	(ulimit -v "$limit" && exec "$MANDATE" "$@") >"$out" 2>"$err"
	status=$?
}

# Expect the last run to have run out of memory reading $1.
expect_oom_naming() {
	expect_status 2
	expect_err "$1: error: out of memory allocating "
	expect_err " bytes while reading this file"
	expect_no_err "mandate: error: out of memory"
}

truncate -s 1500M "$TMP/huge.json"
huge=$TMP/huge.json
role=arn:aws:iam::123456789012:role/report-writer

case_name "check of an export too large for memory"
run_limited 400000 check $today --against "$huge" examples/agents
expect_oom_naming "$huge"
expect_err "allocating 1572864001 bytes"

case_name "inventory of an export too large for memory"
run_limited 400000 inventory --against "$huge" examples/agents
expect_oom_naming "$huge"

case_name "adopt from an export too large for memory"
run_limited 400000 adopt --against "$huge" --identity "$role"
expect_oom_naming "$huge"

case_name "simulate with an export too large for memory"
run_limited 400000 simulate --against "$huge" --principal "$role" \
	--action s3:GetObject --resource '*'
expect_oom_naming "$huge"

case_name "simulate with a resource policy too large for memory"
run_limited 400000 simulate --against "$gaad" --resource-policy "$huge" \
	--principal "$role" --action s3:GetObject --resource '*'
expect_oom_naming "$huge"
rm "$huge"

# Run the command under a series of limits. Each run that runs out of
# memory must exit 2 with one line saying so. While an input is read or
# parsed, that line names the file: the export, the spec, or the
# standard library's catalog when the limit is too small even for that.
# Later, while the rules run, no one input is at fault and the line
# names none. The series must include a failure of the first kind, or
# it tests nothing. The limits that reach it depend on the build, so the
# series is wide.
oom_series() {
	named=0
	for limit in 6000 8000 10000 12000 16000 20000 24000 28000 32000 \
		40000 48000; do
		run_limited "$limit" "$@"
		grep -q "out of memory" "$err" || continue
		if grep -q "^[^ ]*: error: out of memory allocating [0-9]* bytes while reading this file$" "$err"; then
			named=$((named + 1))
		elif ! grep -q "^mandate: error: out of memory allocating [0-9]* bytes$" "$err"; then
			fail "under $limit KiB, an unexpected out-of-memory message"
			show
		fi
		if [ "$status" -ne 2 ]; then
			fail "under $limit KiB, out of memory exited $status"
		fi
	done
	if [ "$named" -eq 0 ]; then
		fail "no limit of the series ran out of memory reading a file"
	fi
}

case_name "check of a large export under a series of limits"
jq -c '.RoleDetailList[0] as $role | .RoleDetailList = [range(3000) |
	. as $i | $role | .RoleName = "r\($i)" |
	.Arn = "arn:aws:iam::123456789012:role/r\($i)" |
	.RoleId = "AROA\($i)"]' "$gaad" >"$TMP/wide.json"
oom_series check $today --against "$TMP/wide.json" examples/agents

case_name "check of a large spec under a series of limits"
{
	printf 'agent "bulk" {\n  kind = service_account\n'
	awk 'BEGIN {
		for (i = 0; i < 80000; i++)
			printf "  grant read on aws:s3 \"arn:aws:s3:::b%d/*\"\n", i
	}'
	printf '}\n'
} >"$TMP/bulk.mandate"
oom_series check $today "$TMP/bulk.mandate"

finish
