# An export whose condition uses an operator IAM does not define still
# loads: the check runs to its verdict, and a warning at the operator
# names the policy and the statement.
. tests/cli/lib.sh

mkdir "$TMP/none"
for pair in \
	condition-unknown-operator.json:StringEqual \
	condition-null-if-exists.json:NullIfExists
do
	file=tests/fixtures/warn/${pair%%:*}
	op=${pair##*:}
	case_name "$file"
	run check --today 2026-12-01 --format json --against "$file" \
		"$TMP/none"
	# The role is unowned (MND201), so the gate fails, but the run ends.
	expect_status 1
	expect_eq "$(jq -r .verdict "$out")" fail "verdict"
	expect_eq "$(jq '[.findings[] | select(.rule == "MND201")] | length' \
		"$out")" 1 "MND201 findings"
	expect_err "$file:34:19: warning: RoleDetailList[0].RolePolicyList[0].PolicyDocument.Statement[0].Condition.$op: unknown condition operator '$op'; requests that the statement could decide are undetermined (in role 'reporter' inline policy 'read-reports')"
	if grep -q ": error: " "$err"; then
		fail "an error was reported for $file"
		show
	fi
done

finish
