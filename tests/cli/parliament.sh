# Parliament's finding types that mandate also checks, one case each
# that triggers the rule and one that does not. The mapping and the
# types left out are in tests/fixtures/policy-tests/README.md.
. tests/cli/lib.sh

mkdir "$TMP/none"

# Run check on the compliant example agent with its grants replaced by
# the grant given as $1; sets $out like run.
check_grant() {
	sed -e '/^  grant read/,$d' examples/agents/ticket-summarizer.mandate \
		>"$TMP/agent.mandate"
	printf '%s\n}\n' "$1" >>"$TMP/agent.mandate"
	run check --today 2026-12-01 --format json "$TMP/agent.mandate"
}

# Print how many findings of rule $1 the report in $out contains.
count() {
	jq --arg r "$1" '[.findings[] | select(.rule == $r)] | length' "$out"
}

# Check an export of one user with the policy document $1.
check_policy() {
	printf '{"UserDetailList": [{"UserName": "u", "Arn": "arn:aws:iam::111122223333:user/u", "UserPolicyList": [{"PolicyName": "p", "PolicyDocument": %s}]}]}\n' \
		"$1" >"$TMP/export.json"
	run check --today 2026-12-01 --format json \
		--against "$TMP/export.json" "$TMP/none"
}

case_name "PRIVILEGE_ESCALATION is MND133"
check_policy '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["iam:CreateAccessKey", "iam:DeleteAccessKey"], "Resource": "*"}]}'
expect_eq "$(count MND133)" 1 "MND133 for iam:CreateAccessKey"
check_policy '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["iam:ListAccessKeys", "iam:GetUser"], "Resource": "*"}]}'
expect_eq "$(count MND133)" 0 "MND133 for read-only IAM access"

case_name "PERMISSIONS_MANAGEMENT_ACTIONS is MND132"
check_grant '  grant actions ["iam:PutUserPolicy"] on "arn:aws:iam::123456789012:user/x" { because = "test" }'
expect_eq "$(count MND132)" 1 "MND132 for iam:PutUserPolicy"
check_grant '  grant actions ["iam:GetUser"] on "arn:aws:iam::123456789012:user/x" { because = "test" }'
expect_eq "$(count MND132)" 0 "MND132 for iam:GetUser"

case_name "RESOURCE_STAR is MND131"
check_grant '  grant actions ["s3:GetObject"] on "*" { because = "test" }'
expect_eq "$(count MND131)" 1 "MND131 for resource '*'"
check_grant '  grant actions ["s3:GetObject"] on "arn:aws:s3:::bucket/*" { because = "test" }'
expect_eq "$(count MND131)" 0 "MND131 for an object ARN"

case_name "UNKNOWN_ACTION is MND134"
check_grant '  grant actions ["s3:GetObjet"] on "arn:aws:s3:::bucket/*" { because = "test" }'
expect_eq "$(count MND134)" 1 "MND134 for s3:GetObjet"
expect_eq "$(jq -r '.findings[] | select(.rule == "MND134") | .message' "$out")" \
	"unknown action 's3:GetObjet'" "message"
check_grant '  grant actions ["s3:GetObject"] on "arn:aws:s3:::bucket/*" { because = "test" }'
expect_eq "$(count MND134)" 0 "MND134 for s3:GetObject"

case_name "UNKNOWN_PREFIX is MND134"
check_grant '  grant actions ["s4:GetObject"] on "arn:aws:s3:::bucket/*" { because = "test" }'
expect_eq "$(count MND134)" 1 "MND134 for service s4"

case_name "RESOURCE_MISMATCH is MND135"
check_grant '  grant actions ["s3:GetObject"] on "arn:aws:s3:::bucket" { because = "test" }'
expect_eq "$(count MND135)" 1 "MND135 for an object action on a bucket"
check_grant '  grant actions ["s3:ListBucket"] on "arn:aws:s3:::bucket" { because = "test" }'
expect_eq "$(count MND135)" 0 "MND135 for a bucket action on a bucket"

case_name "MISMATCHED_TYPE is MND136"
check_grant '  grant actions ["s3:GetObject"] on "arn:aws:s3:::bucket/*" { because = "test"  when "aws:SecureTransport" == "yes" }'
expect_eq "$(count MND136)" 1 "MND136 for a Bool key compared with 'yes'"
check_grant '  grant actions ["s3:GetObject"] on "arn:aws:s3:::bucket/*" { because = "test"  when "aws:SecureTransport" == true }'
expect_eq "$(count MND136)" 0 "MND136 for a Bool key compared with true"

# A trust policy is the one policy with a principal. MND212 reads it for
# a role a spec claims.
check_trust() {
	printf '{"RoleDetailList": [{"RoleName": "ticket-summarizer", "Arn": "arn:aws:iam::123456789012:role/ticket-summarizer", "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", %s, "Action": "sts:AssumeRole"}]}}]}\n' \
		"$1" >"$TMP/export.json"
	run check --today 2026-12-01 --format json \
		--against "$TMP/export.json" \
		examples/agents/ticket-summarizer.mandate
}

case_name "NOTPRINCIPAL_WITH_ALLOW is MND212"
check_trust '"NotPrincipal": {"AWS": "arn:aws:iam::123456789012:root"}'
expect_eq "$(count MND212)" 1 "MND212 for NotPrincipal"
expect_eq "$(jq -r '.findings[] | select(.rule == "MND212") | .severity' "$out")" \
	critical "severity"
check_trust '"Principal": {"Service": "bedrock.amazonaws.com"}'
expect_eq "$(count MND212)" 0 "MND212 for the principal trusted_by names"

case_name "a wildcard principal under conditions is high, not critical"
check_trust '"Principal": {"AWS": "*"}, "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}'
expect_eq "$(jq -r '.findings[] | select(.rule == "MND212") | .severity' "$out")" \
	high "severity"
expect_out "that is anyone its conditions admit"
check_trust '"Principal": {"AWS": "*"}'
expect_eq "$(jq -r '.findings[] | select(.rule == "MND212") | .severity' "$out")" \
	critical "severity without conditions"

# The policy errors Parliament reports as findings stop mandate: the
# export is rejected with its position and exit status 2.
for case in \
	'MALFORMED_JSON:{"Version": "2012-10-17", "Statement": [}' \
	'MALFORMED:{"Version": "2012-10-17", "Statement": [{"Action": "s3:GetObject", "Resource": "*"}]}' \
	'INVALID_VERSION:{"Version": "2012-10-18", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}'
do
	type=${case%%:*}
	case_name "$type is an invalid export"
	check_policy "${case#*:}"
	expect_status 2
	expect_err "$TMP/export.json:1:"
done

# An operator IAM does not define may be newer than mandate: the export
# loads with a warning, and requests the statement decides are
# undetermined.
case_name "UNKNOWN_OPERATOR is a warning"
check_policy '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEqualz": {"aws:username": "a"}}}]}'
expect_status 1
expect_err "warning: "
expect_err "unknown condition operator 'StringEqualz'"

case_name "a valid policy is a valid export"
check_policy '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {"aws:username": "a"}}}]}'
expect_status 1
expect_eq "$(count MND201)" 1 "MND201 findings"

finish
