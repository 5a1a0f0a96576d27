# An identity with many live statements: the drift check looks its
# statements up by action from 16 statements on, and must decide each
# grant as a scan of every statement would. One role has 40 live
# statements: allows of s3:GetObject on buckets b0 to b29, except b7,
# unconditional denies of s3:GetObject on b3 and b4, a conditional deny
# on b5, and allows of sqs:SendMessage. The spec grants s3:GetObject on
# b0 to b9 and on b30.
. "$(dirname "$0")/lib.sh"

statement() {
	printf '{"Effect": "%s", "Action": ["%s"], "Resource": "%s"%s}' \
		"$1" "$2" "$3" "${4:-}"
}

{
	sep=
	i=0
	while [ "$i" -lt 30 ]; do
		if [ "$i" -ne 7 ]; then
			printf '%s' "$sep"
			statement Allow s3:GetObject "arn:aws:s3:::b$i/*"
			sep=,
		fi
		i=$((i + 1))
	done
	for i in 3 4; do
		printf ','
		statement Deny s3:GetObject "arn:aws:s3:::b$i/*"
	done
	printf ','
	statement Deny s3:GetObject "arn:aws:s3:::b5/*" \
		', "Condition": {"Bool": {"aws:SecureTransport": "false"}}'
	i=0
	while [ "$i" -lt 8 ]; do
		printf ','
		statement Allow sqs:SendMessage \
			"arn:aws:sqs:us-east-1:111122223333:q$i"
		i=$((i + 1))
	done
} >"$TMP/statements"

cat >"$TMP/export.json" <<EOF
{"UserDetailList": [], "GroupDetailList": [], "Policies": [],
 "RoleDetailList": [{"Path": "/", "RoleName": "many",
  "RoleId": "AROAEXAMPLE000000001",
  "Arn": "arn:aws:iam::111122223333:role/many",
  "CreateDate": "2024-01-01T00:00:00Z",
  "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [
   {"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"},
    "Action": "sts:AssumeRole"}]},
  "InstanceProfileList": [], "AttachedManagedPolicies": [], "Tags": [],
  "RolePolicyList": [{"PolicyName": "p", "PolicyDocument": {
   "Version": "2012-10-17", "Statement": [$(cat "$TMP/statements")]}}]}]}
EOF

mkdir "$TMP/agents"
{
	cat <<'EOF'
agent "many" {
  kind        = workload
  description = "Reads the buckets of many tenants"
  owner {
    technical = "tech@example.com"
    business  = "biz@example.com"
  }
  justification = "Reads each tenant's objects for the nightly summary"
  review      { every = 90d  last = 2026-10-01  by = "biz@example.com" }
  expires     = 2027-09-30
  identity aws role "arn:aws:iam::111122223333:role/many" {
    trusted_by = "ecs-tasks.amazonaws.com"
  }
EOF
	for i in 0 1 2 3 4 5 6 7 8 9 30; do
		printf '  grant actions ["s3:GetObject"] on "arn:aws:s3:::b%s/*" {\n' "$i"
		printf '    because = "Reads the objects of tenant %s"\n  }\n' "$i"
	done
	printf '}\n'
} >"$TMP/agents/many.mandate"

case_name "grants decided against 40 live statements"
run check --today 2026-12-01 --format json --against "$TMP/export.json" \
	"$TMP/agents"
expect_status 1
# Not live: b7 (no allow), b3 and b4 (denied), b30 (no allow). A
# conditional deny does not remove b5. b10 to b29 and the eight queues
# are drift.
got=$(jq -r '[.findings[] | select(.rule == "MND211") | .line]
	| sort | map(tostring) | join(" ")' "$out")
lines=$(grep -n 'arn:aws:s3:::b\(3\|4\|7\|30\)/' "$TMP/agents/many.mandate" |
	cut -d: -f1 | sort -n | tr '\n' ' ' | sed 's/ $//')
expect_eq "$got" "$lines" "lines of the MND211 findings"
count=$(jq '[.findings[] | select(.rule == "MND210")] | length' "$out")
expect_eq "$count" 28 "MND210 findings, one per statement beyond the spec"

finish
