#!/bin/sh
# `mandate simulate`: the keys it derives, its reports, and the requests
# and inputs it refuses.
. "$(dirname "$0")/lib.sh"

G=tests/fixtures/simulate/gaad.json
C=tests/fixtures/cases
A=arn:aws:iam::111122223333

case_name "aws:CurrentTime comes from --today"
run simulate --against $G --principal $A:role/nightly \
	--action s3:GetObject --resource arn:aws:s3:::reports/a.csv \
	--today 2024-12-31
expect_status 0
expect_out "allow: $A:role/nightly s3:GetObject on arn:aws:s3:::reports/a.csv"
expect_out "'UntilYearEnd' of inline policy 'reports' of role 'nightly'"
expect_out "at $G:"
run simulate --against $G --principal $A:role/nightly \
	--action s3:GetObject --resource arn:aws:s3:::reports/a.csv \
	--today 2025-01-01
expect_status 0
expect_out "deny: $A:role/nightly"

case_name "a given aws:CurrentTime wins over --today"
run simulate --against $G --principal $A:role/nightly \
	--action s3:GetObject --resource arn:aws:s3:::reports/a.csv \
	--today 2025-06-01 --context aws:CurrentTime=2024-03-01T12:00:00Z
expect_status 0
expect_out "allow: "

case_name "principal tags fill policy variables"
run simulate --against $G --principal $A:role/nightly \
	--action s3:ListBucket --resource arn:aws:s3:::data-bucket
expect_status 0
expect_out "allow: "
run simulate --against $G --principal $A:role/nightly \
	--action s3:ListBucket --resource arn:aws:s3:::ops-bucket
expect_out "deny: "

case_name "an assumed-role session is its role, with aws:userid"
run simulate --format json --against $G \
	--principal arn:aws:sts::111122223333:assumed-role/nightly/run-42 \
	--action s3:PutObject --resource arn:aws:s3:::reports/a.csv
expect_status 0
expect_out '"decision":	"allow"'
expect_out '"AROAEXNIGHTLY0000000:run-42"'
expect_out '"aws:PrincipalArn":	["arn:aws:iam::111122223333:role/nightly"]'
run simulate --against $G --principal $A:role/nightly \
	--action s3:PutObject --resource arn:aws:s3:::reports/a.csv
expect_out "deny: "

case_name "a missing policy leaves the decision open"
run simulate --format json --against $G --principal $A:user/orphan \
	--action s3:GetObject --resource arn:aws:s3:::b/k
expect_status 1
expect_out '"decision":	"undetermined"'
expect_out "policy/gone is not in the exports"

case_name "a missing policy cannot undo an explicit deny"
run simulate --format json --against $G --principal $A:user/orphan \
	--action s3:DeleteBucket --resource arn:aws:s3:::b
expect_status 0
expect_out '"decision":	"deny"'
expect_out '"explicit":	true'
expect_out '"sid":	"KeepBuckets"'
expect_out '"effect":	"Deny"'
expect_out '"kind":	"identity"'

case_name "the user's name is derived unless given"
run simulate --format json --against $C/11-policy-variables-aws-username.json \
	--principal $A:user/alice --action iam:ChangePassword \
	--resource $A:user/alice
expect_out '"aws:username":	["alice"]'
expect_out '"aws:PrincipalType":	["User"]'
expect_out '"aws:PrincipalAccount":	["111122223333"]'
run simulate --against $C/11-policy-variables-aws-username.json \
	--principal $A:user/alice --action iam:ChangePassword \
	--resource $A:user/bob --context aws:username=bob
expect_out "allow: "

case_name "an explicit deny names the SCP statement"
run simulate --against $C/05-scp-gaad.json \
	--against $C/05-scp-organization.json \
	--principal $A:role/platform-admin --action iam:CreateUser \
	--resource $A:user/x
expect_status 0
expect_out "deny: "
expect_out "'NoIamWrites' of service control policy 'DenyIamWrites' at 111122223333"
expect_out "at $C/05-scp-organization.json:"

case_name "refused requests"
for args in "--action s3:Get* --resource arn:aws:s3:::b/k" \
	"--action GetObject --resource arn:aws:s3:::b/k" \
	"--action s3:GetObject --resource bucket/k" \
	"--action s3:GetObject --resource arn::s3:::b/k" \
	"--action s3:GetObject --resource arn:aws:s3:::b/k --context novalue" \
	"--action s3:GetObject --resource arn:aws:s3:::b/k --resource-account 12" \
	"--action s3:GetObject --resource arn:aws:s3:::b/k --format xml"; do
	# shellcheck disable=SC2086
	run simulate --against $G --principal $A:role/nightly $args
	expect_status 2
	expect_err "mandate simulate: "
	expect_eq "$(wc -c <"$out")" 0 "bytes on stdout for $args"
done

case_name "unknown principals"
run simulate --against $G --principal $A:role/nobody \
	--action s3:GetObject --resource arn:aws:s3:::b/k
expect_status 2
expect_err "principal '$A:role/nobody' is in none of the exports"
run simulate --against $G --principal "not a principal" \
	--action s3:GetObject --resource arn:aws:s3:::b/k
expect_status 2
expect_err "invalid --principal 'not a principal'"

case_name "missing parts of the request"
run simulate --principal $A:role/nightly --action s3:GetObject \
	--resource arn:aws:s3:::b/k
expect_status 2
expect_err "missing --against EXPORT"
run simulate --against $G --action s3:GetObject --resource arn:aws:s3:::b/k
expect_status 2
expect_err "missing --principal WHO"

case_name "a broken export stops the run"
run simulate --against tests/fixtures/bad/org-short-account-id.json \
	--against $G --principal $A:role/nightly --action s3:GetObject \
	--resource arn:aws:s3:::b/k
expect_status 2
expect_err "org-short-account-id.json:2:16: error:"
expect_eq "$(wc -c <"$out")" 0 "bytes on stdout"

T=tests/fixtures/simulate/trust-gaad.json
KEY=arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab

case_name "a trust policy must allow within the account"
decide deny $A:user/ops sts:AssumeRole $A:role/lambda-only --against $T
expect_out "identity policies alone do not grant it"
decide allow $A:user/ops sts:AssumeRole $A:role/account-trust --against $T
decide deny $A:user/named sts:AssumeRole $A:role/account-trust --against $T
decide allow $A:user/named sts:AssumeRole $A:role/named-trust --against $T
decide allow lambda.amazonaws.com sts:AssumeRole $A:role/lambda-only --against $T
decide undetermined $A:user/ops sts:AssumeRole $A:role/not-exported --against $T
expect_out "trust policy of role $A:role/not-exported is not in the exports"

case_name "a key policy must allow within the account"
decide deny $A:user/ops kms:Decrypt $KEY --against $T \
	--resource-policy tests/fixtures/simulate/key-policy-role.json
decide allow $A:role/lambda-only kms:Decrypt $KEY --against $T \
	--resource-policy tests/fixtures/simulate/key-policy-role.json
decide allow $A:user/ops kms:Decrypt $KEY --against $T \
	--resource-policy tests/fixtures/simulate/key-policy-account.json
decide deny $A:user/named kms:Decrypt $KEY --against $T \
	--resource-policy tests/fixtures/simulate/key-policy-account.json
decide undetermined $A:user/ops kms:Decrypt $KEY --against $T
expect_out "give it with --resource-policy"

case_name "a group the export lacks leaves the decision open"
decide undetermined $A:user/grouped s3:GetObject arn:aws:s3:::b/k --against $T
expect_out "group 'gone' of user 'grouped' is not in the exports"

case_name "context values of typed keys"
for bad in aws:SourceIp=10.0.0.0/24 aws:SourceIp=ten aws:MultiFactorAuthAge=abc \
	aws:SecureTransport=yes aws:CurrentTime=yesterday; do
	run simulate --against $T --principal $A:user/ops --action s3:GetObject \
		--resource arn:aws:s3:::b/k --context "$bad"
	expect_status 2
	expect_err "invalid --context $bad; "
	expect_eq "$(wc -c <"$out")" 0 "bytes on stdout for $bad"
done
run simulate --against $T --principal $A:user/ops --action s3:GetObject \
	--resource arn:aws:s3:::b/k --context aws:SourceIp=2001:db8::1 \
	--context aws:MultiFactorAuthAge=30 --context aws:SecureTransport=true
expect_status 0

case_name "options given twice or contradicting"
run simulate --against $T --principal $A:user/ops --principal $A:user/named \
	--action s3:GetObject --resource arn:aws:s3:::b/k
expect_status 2
expect_err "--principal given twice"
run simulate --against $T --principal $A:user/ops --action sqs:SendMessage \
	--resource arn:aws:sqs:eu-west-1:111122223333:q --resource-account 444455556666
expect_status 2
expect_err "--resource-account 444455556666 contradicts the account 111122223333"

case_name "principals simulate does not decide for"
run simulate --against $T --principal $A:root --action s3:GetObject \
	--resource arn:aws:s3:::b/k
expect_status 2
expect_err "the account's root user is not a principal simulate can decide for"
run simulate --against $T \
	--principal arn:aws:sts::111122223333:federated-user/carol \
	--action s3:GetObject --resource arn:aws:s3:::b/k
expect_status 2
expect_err "the federated user is not a principal"

case_name "control characters in a request"
run simulate --against $T --principal $A:user/ops --action s3:GetObject \
	--resource "$(printf 'arn:aws:s3:::b/\033[31mred')"
expect_status 2
expect_err "invalid --resource: it contains a control character"
if grep -q "$(printf '\033')" "$err"; then
	fail "an escape character reached stderr"
fi

case_name "an action the catalog lacks"
run simulate --against $T --principal $A:user/ops --action s3:NoSuchAction \
	--resource arn:aws:s3:::b/k
expect_status 0
expect_err "warning: action 's3:NoSuchAction' is not in the AWS catalog"

case_name "service control policies of an account no export covers"
run simulate --against tests/fixtures/kinds/organization-222233334444.json \
	--against $T --principal $A:user/ops --action s3:ListAllMyBuckets \
	--resource '*'
expect_status 0
expect_err "organization-222233334444.json:1:1: warning: the service control policies are for account 222233334444, but no loaded authorization-details export has a user or role of it"
run check --today 2026-12-01 --against tests/fixtures/kinds/organization-222233334444.json \
	--against $T tests/fixtures/kinds
expect_err "warning: the service control policies are for account 222233334444"

finish
