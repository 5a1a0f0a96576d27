#!/bin/sh
# Further requests for each kind of fault that the IAM edge cases stand
# for, over the exports in tests/fixtures/kinds: three accounts, the
# service control policies of two of them, and a bucket policy shared
# across accounts.
. "$(dirname "$0")/lib.sh"

K=tests/fixtures/kinds
A=arn:aws:iam::111122223333
B=arn:aws:iam::222233334444
M=arn:aws:iam::333344445555
G1="--against $K/gaad-111122223333.json"
ALL="$G1 --against $K/gaad-222233334444.json
	--against $K/gaad-333344445555.json
	--against $K/organization-222233334444.json
	--against $K/organization-333344445555.json"

# kind ID WANT WHO ACTION RESOURCE ARGS...
kind() {
	case_name "$1"
	shift
	decide "$@"
}

# shellcheck disable=SC2086 # the option lists split on purpose
{
# A Statement written as one object, in a trust policy.
kind trust-object allow ec2.amazonaws.com sts:AssumeRole $A:role/svc-obj $G1
kind trust-object-other deny lambda.amazonaws.com sts:AssumeRole $A:role/svc-obj $G1

# NotAction and Resource written as strings.
kind strings-allow allow $A:user/strings s3:GetObject arn:aws:s3:::b/k $G1
kind strings-notaction deny $A:user/strings iam:ListUsers '*' $G1
kind strings-resource deny $A:user/strings s3:GetObject arn:aws:s3:::c/k $G1

# NotAction on a Deny, naming an action the catalog lacks.
kind notaction-deny-inside allow $A:user/notaction-deny s3:GetObject arn:aws:s3:::b/k $G1
kind notaction-deny-outside xdeny $A:user/notaction-deny ec2:RunInstances '*' $G1

# Service control policies: two OU levels, a Deny at the root, the
# management account and service-linked roles exempt.
kind scp-inner-ou deny $B:role/admin2 iam:ListRoles '*' $ALL
kind scp-allowed allow $B:role/admin2 ec2:RunInstances '*' $ALL
kind scp-root-deny xdeny $B:role/admin2 organizations:LeaveOrganization '*' $ALL
kind scp-service-linked allow $B:role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport \
	iam:ListRoles '*' $ALL
kind scp-management allow $M:role/root-admin iam:ListRoles '*' $ALL

# '?' is one character, also a character of two bytes.
kind qmark-ascii allow $A:user/qmark s3:GetObject arn:aws:s3:::b/cafe.txt $G1
kind qmark-utf8 allow $A:user/qmark s3:GetObject 'arn:aws:s3:::b/café.txt' $G1
kind qmark-none deny $A:user/qmark s3:GetObject arn:aws:s3:::b/caf.txt $G1
kind qmark-action deny $A:user/qmark s3:GetOObject arn:aws:s3:::b/cafe.txt $G1

# An action in capitals in a Deny; a resource that differs in case.
kind shouting-deny xdeny $A:user/shouting s3:getobject arn:aws:s3:::Bucket/k $G1
kind shouting-case allow $A:user/shouting s3:PutObject arn:aws:s3:::Bucket/k $G1
kind shouting-lower deny $A:user/shouting s3:PutObject arn:aws:s3:::bucket/k $G1

# Policy variables: a default value, and a key the principal lacks.
kind variable-default allow $A:role/untagged s3:ListBucket arn:aws:s3:::none-bucket $G1
kind variable-absent deny $A:role/untagged s3:GetObject arn:aws:s3:::home/untagged/a $G1

# Without Version, a variable in a condition value is literal text.
kind literal-text allow $A:user/literal s3:ListBucket arn:aws:s3:::home $G1 \
	--context 's3:prefix=${aws:username}/notes'
kind literal-name deny $A:user/literal s3:ListBucket arn:aws:s3:::home $G1 \
	--context s3:prefix=literal/notes

# Absent keys and the operator families.
kind absent-negated allow $A:user/absent s3:GetObject arn:aws:s3:::b/k $G1
kind present-negated deny $A:user/absent s3:GetObject arn:aws:s3:::b/k $G1 \
	--context aws:SourceVpc=vpc-bad
kind ifexists-absent allow $A:user/absent s3:PutObject arn:aws:s3:::b/k $G1
kind ifexists-other deny $A:user/absent s3:PutObject arn:aws:s3:::b/k $G1 \
	--context aws:SourceVpc=vpc-other
kind null-absent allow $A:user/absent ec2:CreateTags '*' $G1
kind null-present deny $A:user/absent ec2:CreateTags '*' $G1 --context aws:TagKeys=env
kind anyvalue-like allow $A:user/absent ec2:RunInstances '*' $G1 \
	--context aws:TagKeys=owner --context aws:TagKeys=team-data
kind anyvalue-none deny $A:user/absent ec2:RunInstances '*' $G1 \
	--context aws:TagKeys=owner
kind ip-v4 allow $A:user/absent s3:DeleteObject arn:aws:s3:::b/k $G1 \
	--context aws:SourceIp=203.0.113.9
kind ip-v6 allow $A:user/absent s3:DeleteObject arn:aws:s3:::b/k $G1 \
	--context aws:SourceIp=2001:db8::1
kind ip-outside deny $A:user/absent s3:DeleteObject arn:aws:s3:::b/k $G1 \
	--context aws:SourceIp=198.51.100.1
kind ip-absent deny $A:user/absent s3:DeleteObject arn:aws:s3:::b/k $G1
kind numeric-small allow $A:user/absent ec2:StopInstances '*' $G1 --context ec2:Count=3
kind numeric-large deny $A:user/absent ec2:StopInstances '*' $G1 --context ec2:Count=4
kind numeric-malformed undetermined $A:user/absent ec2:StartInstances '*' $G1 \
	--context ec2:Count=1
kind bool-json-false xdeny $A:user/absent s3:GetObject arn:aws:s3:::b/k $G1 \
	--context aws:SecureTransport=false

# Resource policies: an account principal delegates, a named role is
# granted, NotPrincipal, and cross-account requests need both sides.
P="--resource-policy $K/shared-bucket-policy.json --resource-account 111122223333"
kind own-account-delegates deny $A:role/reader s3:PutObject arn:aws:s3:::shared-bucket/k $ALL $P
# The NotPrincipal Deny lists the role but not its account, so it still
# denies the role: IAM excludes a principal only when every name of it
# is listed.
kind named-role xdeny $A:role/reader s3:DeleteObject arn:aws:s3:::shared-bucket/k $ALL $P
kind notprincipal-deny xdeny $A:user/strings s3:DeleteObject arn:aws:s3:::shared-bucket/k $ALL $P
kind cross-account-both allow $B:role/visitor s3:GetObject arn:aws:s3:::shared-bucket/k $ALL $P
kind cross-account-no-identity deny $B:role/stranger s3:GetObject arn:aws:s3:::shared-bucket/k $ALL $P
kind cross-account-no-resource deny $B:role/visitor s3:PutObject arn:aws:s3:::shared-bucket/k $ALL $P
kind cross-account-no-policy deny $B:role/visitor s3:GetObject arn:aws:s3:::shared-bucket/k $ALL \
	--resource-account 111122223333

# A permissions boundary caps, and its Deny is explicit.
kind boundary-inside allow $A:user/capped s3:GetObject arn:aws:s3:::b/k $G1
kind boundary-outside deny $A:user/capped s3:PutObject arn:aws:s3:::b/k $G1
kind boundary-deny xdeny $A:user/capped-deny iam:ListUsers '*' $G1
kind boundary-allows allow $A:user/capped-deny ec2:RunInstances '*' $G1

# A percent-encoded trust policy.
kind encoded-trust allow lambda.amazonaws.com sts:AssumeRole $A:role/svc-encoded $G1
kind encoded-trust-other deny ec2.amazonaws.com sts:AssumeRole $A:role/svc-encoded $G1

# NotResource with wildcards on a Deny.
kind notresource-open allow $A:role/fenced s3:GetObject arn:aws:s3:::open-data/k $G1
kind notresource-closed xdeny $A:role/fenced s3:GetObject arn:aws:s3:::closed/k $G1
}

finish
