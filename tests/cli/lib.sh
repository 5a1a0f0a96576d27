# Helpers for the command-line tests, sourced by tests/cli/*.sh.
#
#   run ARGS...            run mandate; sets $status, files $out, $err
#   expect_status N        the last run exited with N
#   expect_out TEXT        stdout contains TEXT (fixed string)
#   expect_err TEXT        stderr contains TEXT
#   expect_no_out TEXT     stdout does not contain TEXT
#   expect_no_err TEXT     stderr does not contain TEXT
#   expect_eq GOT WANT WHAT
#   decide WANT WHO ACTION RESOURCE ARGS...
#                          `mandate simulate` decides WANT: allow, deny,
#                          xdeny (an explicit deny) or undetermined
#
# A failed expectation prints what was expected and the output, and the
# script carries on; finish ends the script with status 1 if any failed.
set -u

: "${MANDATE:?MANDATE must name the mandate binary}"
: "${ROOT:?ROOT must name the repository}"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
out=$TMP/stdout
err=$TMP/stderr
status=0
fails=0
CURRENT=${CURRENT:-}

cd "$ROOT"

# Name the case the following expectations belong to.
case_name() {
	CURRENT=$1
}

run() {
	"$MANDATE" "$@" >"$out" 2>"$err"
	status=$?
	if [ "$status" -gt 2 ]; then
		fail "mandate $* crashed with status $status"
	fi
}

fail() {
	fails=$((fails + 1))
	echo "FAIL ${CURRENT:+[$CURRENT] }$1" >&2
}

show() {
	echo "--- stdout:" >&2
	head -c 4000 "$out" >&2
	echo "--- stderr:" >&2
	head -c 4000 "$err" >&2
}

expect_status() {
	if [ "$status" != "$1" ]; then
		fail "exit status $status, expected $1"
		show
	fi
}

expect_out() {
	if ! grep -qF -- "$1" "$out"; then
		fail "stdout lacks '$1'"
		show
	fi
}

expect_err() {
	if ! grep -qF -- "$1" "$err"; then
		fail "stderr lacks '$1'"
		show
	fi
}

expect_no_out() {
	if grep -qF -- "$1" "$out"; then
		fail "stdout contains '$1'"
		show
	fi
}

expect_no_err() {
	if grep -qF -- "$1" "$err"; then
		fail "stderr contains '$1'"
		show
	fi
}

expect_eq() {
	if [ "$1" != "$2" ]; then
		fail "$3 is '$1', expected '$2'"
	fi
}

# Compare the compact output of jq expression $1 over the last stdout
# with $2.
expect_jq() {
	got=$(jq -c "$1" "$out" 2>&1)
	if [ "$got" != "$2" ]; then
		fail "jq '$1' gave '$got', expected '$2'"
	fi
}

finish() {
	[ "$fails" -eq 0 ] || exit 1
	exit 0
}

decide() {
	want=$1 who=$2 action=$3 resource=$4
	shift 4
	run simulate --format json --today 2024-07-15 --principal "$who" \
		--action "$action" --resource "$resource" "$@"
	case $want in
	undetermined) expect_status 1 ;;
	*) expect_status 0 ;;
	esac
	case $want in
	xdeny)
		expect_out '"decision":	"deny"'
		expect_out '"explicit":	true'
		;;
	*) expect_out "\"decision\":	\"$want\"" ;;
	esac
}
