# Many waivers: the check for a repeated waiver sorts the waivers by
# rule and target, and must report the same waivers, in the same order
# and each with its first waiver, as a comparison of every pair would.
# A unit of 160,000 waivers must finish well inside the timeout. When
# measured on 2 shared cores, the comparison of every pair took more
# than 40 seconds at that size and the sort 0.3 seconds.
. "$(dirname "$0")/lib.sh"

RW=arn:aws:iam::123456789012:role/report-writer

# Print a waiver of rule $1 for the target $2, five lines long, or six
# with the agent's identity $3.
waiver() {
	printf 'waive %s for %s {\n  until = 2027-01-31\n' "$1" "$2"
	[ -n "${3:-}" ] && printf '  identity = "%s"\n' "$3"
	printf '  reason = "Retired"\n  approver = "dana@example.com"\n}\n'
}

# Print waivers of MND201 for roles old-$1 to old-$2, five lines each.
old_roles() {
	awk -v from="$1" -v to="$2" 'BEGIN {
		for (i = from; i <= to; i++)
			printf "waive MND201 for identity " \
			       "\"arn:aws:iam::111122223333:role/old-%d\" {\n" \
			       "  until = 2027-01-31\n  reason = \"Retired\"\n" \
			       "  approver = \"dana@example.com\"\n}\n", i
	}'
}

mkdir "$TMP/mixed"
cp examples/agents/report-writer.mandate "$TMP/mixed/"
{
	old_roles 1 3000					# lines 1-15000
	waiver MND201 'identity "arn:aws:iam::111122223333:role/old-1"'
	waiver MND133 'identity "arn:aws:iam::111122223333:role/old-1"'
	waiver MND104 '"report-writer"'				# 15011
	waiver MND104 '"report-writer"' "$RW"			# 15016
	waiver MND104 "identity \"$RW\""			# 15022
	waiver MND104 '"report-writer"'				# 15027
	waiver MND201 'identity "arn:aws:iam::111122223333:role/old-3000"'
	waiver MND104 '"report-writer"' "$RW"			# 15037
	waiver MND201 'identity "arn:aws:iam::111122223333:role/old-1"'
	waiver MND104 "identity \"$RW\""			# 15048
} >"$TMP/mixed/waivers.mandate"

case_name "repeated waivers among 3,000"
run check --today 2026-12-01 --color never "$TMP/mixed"
expect_status 2
W=$TMP/mixed/waivers.mandate
grep -E '^[^ ].*: (error|note):' "$err" >"$TMP/got"
cat >"$TMP/want" <<EOF
$W:15001:1: error: duplicate waiver of MND201 for the same identity
$W:1:1: note: the first waiver is here
$W:15027:1: error: duplicate waiver of MND104 for the same agent
$W:15011:1: note: the first waiver is here
$W:15032:1: error: duplicate waiver of MND201 for the same identity
$W:14996:1: note: the first waiver is here
$W:15037:1: error: duplicate waiver of MND104 for the same agent
$W:15016:1: note: the first waiver is here
$W:15043:1: error: duplicate waiver of MND201 for the same identity
$W:1:1: note: the first waiver is here
$W:15048:1: error: duplicate waiver of MND104 for the same identity
$W:15022:1: note: the first waiver is here
EOF
if ! cmp -s "$TMP/want" "$TMP/got"; then
	fail "repeated waivers reported otherwise"
	diff -u "$TMP/want" "$TMP/got" >&2
fi
expect_eq "$(tail -n 1 "$err")" "6 errors" "error count"

# 160,000 waivers in four files, each under the size limit of a spec
# file, and one more at the end that repeats the first.
mkdir "$TMP/many"
cp examples/agents/report-writer.mandate "$TMP/many/"
for part in 0 1 2 3; do
	old_roles $((part * 40000 + 1)) $((part * 40000 + 40000)) \
		>"$TMP/many/w$part.mandate"
done
waiver MND201 'identity "arn:aws:iam::111122223333:role/old-1"' \
	>>"$TMP/many/w3.mandate"

case_name "160,000 waivers in near-linear time"
timeout 30 "$MANDATE" check --today 2026-12-01 --color never "$TMP/many" \
	>"$out" 2>"$err"
status=$?
expect_status 2
expect_err "$TMP/many/w3.mandate:200001:1: error: duplicate waiver of MND201 for the same identity"
expect_err "$TMP/many/w0.mandate:1:1: note: the first waiver is here"
expect_eq "$(tail -n 1 "$err")" "1 error" "error count"

finish
