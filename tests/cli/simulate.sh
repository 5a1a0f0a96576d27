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

finish
