#!/bin/sh
# Every row of the IAM edge cases in tests/fixtures/cases, decided by
# `mandate simulate`. Each row names the case file (and any further
# --against or --resource-policy files), the request and the decision
# the case expects: allow, deny, or xdeny for an explicit deny.
. "$(dirname "$0")/lib.sh"

C=tests/fixtures/cases
A=arn:aws:iam::111122223333

# row ID EXPECT PRINCIPAL ACTION RESOURCE [MANDATE-ARGS...]
row() {
	case_name "case $1"
	shift
	decide "$@"
}

g=$C/01-statement-object.json
row 01-1 allow $A:user/dana s3:PutObject arn:aws:s3:::intake-bucket/2024/a.csv --against $g
row 01-2 deny $A:user/dana s3:GetObject arn:aws:s3:::intake-bucket/2024/a.csv --against $g
row 01-3 deny $A:user/dana s3:PutObject arn:aws:s3:::other-bucket/a.csv --against $g

g=$C/02-action-string-not-list.json
row 02-1 allow $A:role/reporting s3:GetObject arn:aws:s3:::any-bucket/k --against $g
row 02-2 allow $A:role/reporting s3:DeleteBucket arn:aws:s3:::any-bucket --against $g
row 02-3 deny $A:role/reporting iam:CreateUser $A:user/x --against $g
# A role's trust policy must allow too; role x trusts its account.
row 02-4 deny $A:role/reporting sts:AssumeRole $A:role/x --against $g \
	--against $C/role-x-gaad.json
row 02-5 allow $A:role/reporting cloudwatch:GetMetricData '*' --against $g
row 02-6 deny $A:role/reporting cloudwatch:PutMetricData '*' --against $g

g=$C/03-notaction-allow-unknown-action.json
row 03-1 allow $A:user/erin iam:CreateAccessKey $A:user/erin --against $g
row 03-2 allow $A:user/erin iam:AttachUserPolicy $A:user/erin --against $g
row 03-3 allow $A:user/erin s3:GetObject arn:aws:s3:::any-bucket/k --against $g
row 03-4 allow $A:user/erin ec2:TerminateInstances \
	arn:aws:ec2:eu-west-1:111122223333:instance/i-0abc --against $g

g="--against $C/05-scp-gaad.json --against $C/05-scp-organization.json"
row 05-1 allow $A:role/platform-admin s3:GetObject arn:aws:s3:::b/k $g
row 05-2 allow $A:role/platform-admin iam:ListRoles '*' $g
row 05-3 xdeny $A:role/platform-admin iam:AttachRolePolicy $A:role/x $g
row 05-4 xdeny $A:role/platform-admin iam:CreateUser $A:user/x $g
row 05-5 xdeny $A:role/platform-admin iam:PassRole $A:role/x $g
row 05-6 deny $A:role/platform-admin ec2:DescribeInstances '*' $g
row 05-7 allow $A:role/platform-admin sts:AssumeRole $A:role/x $g \
	--against $C/role-x-gaad.json
# Without the Organizations export, the role is administrator-equivalent.
row 05-8 allow $A:role/platform-admin ec2:DescribeInstances '*' \
	--against $C/05-scp-gaad.json

g=$C/06-action-wildcard-prefix-suffix-middle.json
row 06-1 allow $A:user/frank s3:DeleteObject arn:aws:s3:::b1/k --against $g
row 06-2 allow $A:user/frank s3:DeleteObjectVersion arn:aws:s3:::b1/k --against $g
row 06-3 allow $A:user/frank s3:DeleteObjectTagging arn:aws:s3:::b1/k --against $g
row 06-4 deny $A:user/frank s3:PutObject arn:aws:s3:::b1/k --against $g
row 06-5 allow $A:user/frank s3:GetObject arn:aws:s3:::b2/k --against $g
row 06-6 allow $A:user/frank s3:PutObject arn:aws:s3:::b2/k --against $g
row 06-7 allow $A:user/frank s3:DeleteObject arn:aws:s3:::b2/k --against $g
row 06-8 deny $A:user/frank s3:DeleteObjectTagging arn:aws:s3:::b2/k --against $g
row 06-9 allow $A:user/frank s3:GetObjectVersion arn:aws:s3:::b9/k --against $g
row 06-10 deny $A:user/frank s3:GetObjectVersionTagging arn:aws:s3:::b9/k --against $g
row 06-11 deny $A:user/frank s3:GetBucketVersioning arn:aws:s3:::b9 --against $g

g=$C/08-action-case-insensitive-resource-case-sensitive.json
row 08-1 xdeny $A:user/gita s3:DeleteObject arn:aws:s3:::b/k --against $g
row 08-2 allow $A:user/gita s3:GetObject arn:aws:s3:::b/k --against $g
row 08-3 allow $A:user/gita iam:ListUsers '*' --against $g
row 08-4 deny $A:user/gita iam:GetUser $A:user/gita --against $g
row 08-5 allow $A:user/gita iam:GetUser $A:user/Gita --against $g

g=$C/09-resource-wildcard-spans-slash-and-colon.json
row 09-1 allow $A:role/etl s3:GetObject arn:aws:s3:::data-bucket/foo/1/2/bar --against $g
row 09-2 allow $A:role/etl s3:GetObject arn:aws:s3:::data-bucket/foo//bar --against $g
row 09-3 deny $A:role/etl s3:GetObject arn:aws:s3:::data-bucket/foo/bar --against $g
row 09-4 allow $A:role/etl s3:PutObject arn:aws:s3:::data-bucket/exports:2024/jan.csv --against $g
row 09-5 deny $A:role/etl s3:PutObject arn:aws:s3:::data-bucket/exports:2025/jan.csv --against $g
row 09-6 allow $A:role/etl s3:DeleteObject arn:aws:s3:::data-bucket/tmp/file.txt --against $g
row 09-7 deny $A:role/etl s3:DeleteObject arn:aws:s3:::data-bucket/file.txt --against $g
row 09-8 allow $A:role/etl logs:PutLogEvents \
	arn:aws:logs:eu-west-1:111122223333:log-group:app-web:log-stream:i-0abc --against $g
row 09-9 deny $A:role/etl logs:PutLogEvents \
	arn:aws:logs:eu-west-1:444455556666:log-group:app-web:log-stream:i-0abc --against $g

g=$C/11-policy-variables-aws-username.json
row 11-1 allow $A:user/alice iam:ChangePassword $A:user/alice --against $g
row 11-2 deny $A:user/alice iam:ChangePassword $A:user/bob --against $g
row 11-3 allow $A:user/bob iam:ChangePassword $A:user/bob --against $g
row 11-4 allow $A:user/alice s3:PutObject arn:aws:s3:::home-bucket/home/alice/notes.txt --against $g
row 11-5 deny $A:user/alice s3:PutObject arn:aws:s3:::home-bucket/home/bob/notes.txt --against $g
row 11-6 allow $A:user/alice s3:ListBucket arn:aws:s3:::home-bucket --against $g \
	--context s3:prefix=home/alice/
row 11-7 deny $A:user/alice s3:ListBucket arn:aws:s3:::home-bucket --against $g \
	--context s3:prefix=home/bob/
row 11-8 deny $A:user/alice s3:ListBucket arn:aws:s3:::home-bucket --against $g

g=$C/12-missing-version-variables-literal.json
row 12-1 deny $A:user/hana s3:GetObject arn:aws:s3:::home-bucket/home/hana/a.txt --against $g
row 12-2 allow $A:user/hana s3:GetObject 'arn:aws:s3:::home-bucket/home/${aws:username}/a.txt' --against $g

g=$C/14-forallvalues-absent-key.json
row 14-1 allow $A:role/tagger ec2:CreateTags '*' --against $g
row 14-2 allow $A:role/tagger ec2:CreateTags '*' --against $g --context aws:TagKeys=env
row 14-3 deny $A:role/tagger ec2:CreateTags '*' --against $g \
	--context aws:TagKeys=env --context aws:TagKeys=owner
row 14-4 deny $A:role/tagger ec2:DeleteTags '*' --against $g
row 14-5 allow $A:role/tagger ec2:DeleteTags '*' --against $g --context aws:TagKeys=team
row 14-6 deny $A:role/tagger ec2:RunInstances '*' --against $g
row 14-7 allow $A:role/tagger ec2:RunInstances '*' --against $g \
	--context aws:TagKeys=env --context aws:TagKeys=owner
row 14-8 deny $A:role/tagger ec2:RunInstances '*' --against $g --context aws:TagKeys=owner

g="--against $C/16-publisher-gaad.json --resource-policy $C/16-bucket-policy.json --resource-account 111122223333"
row 16-1 allow anonymous s3:GetObject arn:aws:s3:::press-kit/public/logo.png $g
row 16-2 allow anonymous s3:ListBucket arn:aws:s3:::press-kit $g
row 16-3 allow anonymous s3:PutObject arn:aws:s3:::press-kit/inbox/x $g
row 16-4 deny anonymous s3:DeleteObject arn:aws:s3:::press-kit/public/logo.png $g
row 16-5 allow $A:role/publisher s3:DeleteObject arn:aws:s3:::press-kit/public/logo.png $g
# The named role is granted by the bucket policy, nobody else.
row 16-6 deny anonymous s3:DeleteObject arn:aws:s3:::press-kit/inbox/x $g

g=$C/18-deny-overrides-across-policies.json
row 18-1 xdeny $A:user/judy iam:CreateUser $A:user/x --against $g \
	--context aws:TokenIssueTime=2024-07-01T00:00:00Z
row 18-2 deny $A:user/judy s3:DeleteBucket arn:aws:s3:::b --against $g \
	--context aws:TokenIssueTime=2024-07-01T00:00:00Z
row 18-3 allow $A:user/judy s3:GetObject arn:aws:s3:::b/k --against $g \
	--context aws:TokenIssueTime=2024-07-01T00:00:00Z
row 18-4 xdeny $A:user/judy s3:GetObject arn:aws:s3:::b/k --against $g \
	--context aws:TokenIssueTime=2024-05-01T00:00:00Z
row 18-5 deny $A:user/judy organizations:ListAccounts '*' --against $g \
	--context aws:TokenIssueTime=2024-07-01T00:00:00Z

g=$C/20-gaad-url-encoded-documents.json
row 20-1 allow $A:user/kim apigateway:PUT \
	'arn:aws:apigateway:eu-central-1::/tags/arn%3Aaws%3Aapigateway%3Aeu-central-1%3A%3A%2Frestapis%2Fa1b2c3d4e5' \
	--against $g --resource-account 111122223333
row 20-2 deny $A:user/kim apigateway:PUT \
	'arn:aws:apigateway:eu-central-1::/tags/arn:aws:apigateway:eu-central-1::/restapis/a1b2c3d4e5' \
	--against $g --resource-account 111122223333
row 20-3 allow $A:user/kim s3:GetObject 'arn:aws:s3:::media-bucket/a+b/c.jpg' --against $g
row 20-4 deny $A:user/kim s3:GetObject 'arn:aws:s3:::media-bucket/a b/c.jpg' --against $g
row 20-5 allow $A:user/kim s3:GetObject 'arn:aws:s3:::media-bucket/café/menu.pdf' --against $g
row 20-6 allow $A:user/lee s3:ListBucket arn:aws:s3:::media-bucket --against $g
row 20-7 allow lambda.amazonaws.com sts:AssumeRole $A:role/svc --against $g

g=$C/30-notresource-allow-and-deny.json
row 30-1 allow $A:user/uma s3:GetObject arn:aws:s3:::other-bucket/k --against $g
row 30-2 deny $A:user/uma s3:GetObject arn:aws:s3:::secret-bucket/k --against $g
row 30-3 deny $A:user/uma s3:ListBucket arn:aws:s3:::secret-bucket --against $g
row 30-4 allow $A:user/uma s3:DeleteObject arn:aws:s3:::other-bucket/k --against $g
row 30-5 deny $A:user/uma ec2:TerminateInstances \
	arn:aws:ec2:eu-west-1:111122223333:instance/i-0prod0000000000001 --against $g
row 30-6 allow $A:user/uma ec2:TerminateInstances \
	arn:aws:ec2:eu-west-1:111122223333:instance/i-0sandbox000000001 --against $g
row 30-7 deny $A:user/uma iam:ListUsers '*' --against $g

# A document that is not strict JSON is rejected where the fault is.
case_name "case 22"
run simulate --against $C/01-statement-object.json \
	--resource-policy $C/22-trailing-comma-strict-json.json \
	--principal $A:user/dana --action s3:PutObject \
	--resource arn:aws:s3:::intake-bucket/a.csv
expect_status 2
expect_err "22-trailing-comma-strict-json.json:9:28: error:"
expect_eq "$(wc -c <"$out")" 0 "bytes on stdout"

finish
