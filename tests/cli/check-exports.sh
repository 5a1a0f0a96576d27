# mandate check --against: every real AWS export in tests/fixtures/aws,
# with no specs (every workload identity is unowned) and with specs that
# claim identities of the demo account (drift, trust, absence).
. tests/cli/lib.sh

FIX=tests/fixtures/aws
SPECS=tests/fixtures/specs/cloudmapper
mkdir "$TMP/none"

# Print how many findings of rule $1 the JSON report in $out holds.
count() {
	jq --arg r "$1" '[.findings[] | select(.rule == $r)] | length' "$out"
}

# Print the messages of rule $1, one per line.
messages() {
	jq -r --arg r "$1" '.findings[] | select(.rule == $r) | .message' "$out"
}

# Unowned identities per export: workload roles and users, less
# service-linked roles and IAM Identity Center roles (counted by reading
# each file's RoleDetailList paths and UserDetailList). The last number
# is of identities allowed a privilege-escalation path (MND133): the
# administrators of the demo and overrides accounts, and in
# cloudsplaining-example.json the lab's users and roles built to
# escalate, its administrators and four AWS roles (tests/cli/escalation.sh
# checks them one by one).
for case in \
	cloudmapper-demo-gaad.json:6:1 \
	cloudsplaining-authz-details-for-overrides-complete.json:3:2 \
	cloudsplaining-example.json:106:82 \
	cloudsplaining-example_authz_v2.json:3:0 \
	localstack-snapshot-filter_role.json:1:0 \
	localstack-snapshot-no_filter.json:2:0 \
	localstack-snapshot-with_inline_policies.json:2:0
do
	file=${case%%:*}
	want=${case#*:}
	escalations=${want#*:}
	want=${want%%:*}
	case_name "unowned in $file"
	run check --today 2026-12-01 --format json --against "$FIX/$file" \
		"$TMP/none"
	expect_status 1
	expect_eq "$(count MND201)" "$want" "MND201 findings"
	expect_eq "$(count MND133)" "$escalations" "MND133 findings"
	expect_eq "$(jq -r .verdict "$out")" fail "verdict"
	expect_eq "$(jq '.findings | length' "$out")" \
		"$((want + escalations))" "all findings"
done

case_name "unowned messages name the identity"
run check --today 2026-12-01 --against "$FIX/cloudmapper-demo-gaad.json" \
	"$TMP/none"
expect_status 1
expect_out "role 'arn:aws:iam::123456789012:role/exfiller' is claimed by no spec [MND201 high]"
expect_out "user 'arn:aws:iam::aws:user/USER' is claimed by no spec"
expect_out "$FIX/cloudmapper-demo-gaad.json:"

case_name "service-linked and SSO roles are not unowned"
run check --today 2026-12-01 --format json \
	--against "$FIX/cloudsplaining-example.json" "$TMP/none"
expect_status 1
expect_eq "$(messages MND201 | grep -c 'aws-service-role')" 0 \
	"service-linked roles flagged"
expect_eq "$(messages MND201 | grep -c 'AWSReservedSSO')" 0 \
	"Identity Center roles flagged"
expect_eq "$(messages MND201 | grep -c "^role ")" 65 "unowned roles"
expect_eq "$(messages MND201 | grep -c "^user ")" 41 "unowned users"

case_name "fail-on critical passes high findings"
run check --today 2026-12-01 --fail-on critical \
	--against "$FIX/localstack-snapshot-no_filter.json" "$TMP/none"
expect_status 0
expect_out "verdict: pass"

case_name "fail-on critical fails on an administrator's escalation"
run check --today 2026-12-01 --fail-on critical \
	--against "$FIX/cloudmapper-demo-gaad.json" "$TMP/none"
expect_status 1
expect_out "role 'arn:aws:iam::123456789012:role/bad_role' is allowed every action of 65 privilege escalation paths"

# The demo account with specs for three of its roles and one absent one.
case_name "claimed identities"
run check --today 2026-12-01 --format json \
	--against "$FIX/cloudmapper-demo-gaad.json" "$SPECS"
expect_status 1
expect_eq "$(count MND201)" 3 "MND201 findings"
expect_eq "$(count MND202)" 1 "MND202 findings"
expect_eq "$(messages MND202)" \
	"'arn:aws:iam::123456789012:role/never-deployed' is not in the export" \
	"MND202 message"

case_name "exact spec has no drift"
expect_eq "$(jq '[.findings[] | select(.agent == "flaws-level1")] | length' "$out")" \
	0 "findings of flaws-level1"

case_name "s3:* on * is drift of every S3 action"
# The catalog lists 180 S3 actions; the spec grants reads on one prefix,
# which covers none of them on resource '*'.
expect_eq "$(jq -r '[.findings[] | select(.rule == "MND210" and .agent == "exfiller")] | length' "$out")" \
	1 "MND210 findings of exfiller"
expect_eq "$(jq -r '.findings[] | select(.rule == "MND210" and .agent == "exfiller") | .message' "$out")" \
	"live policy 'tmp' statement #1 allows 180 actions beyond the spec, such as 's3:AbortMultipartUpload' on '*'" \
	"exfiller drift"
expect_eq "$(jq -r '.findings[] | select(.rule == "MND210" and .agent == "exfiller") | .details | length' "$out")" \
	180 "excess actions listed"
expect_eq "$(jq -r '.findings[] | select(.rule == "MND210" and .agent == "exfiller") | .details[] | select(startswith("s3:GetObject on *"))' "$out")" \
	"s3:GetObject on *: the spec grants it on narrower resources" \
	"reason for a read action"
expect_eq "$(jq -r '.findings[] | select(.rule == "MND210" and .agent == "exfiller") | .details[] | select(startswith("s3:DeleteBucket on *"))' "$out")" \
	"s3:DeleteBucket on *: the spec grants s3 read only" \
	"reason for a write action"

case_name "wildcard trust is critical"
expect_eq "$(jq -r '.findings[] | select(.rule == "MND212") | .severity + " " + .message' "$out")" \
	"critical trust policy of 'bad_role' admits AWS principal '*', that is anyone" \
	"MND212"

case_name "Action * is drift of every catalog action"
expect_eq "$(jq -r '.findings[] | select(.rule == "MND210" and .agent == "bad-role") | .message' "$out" | grep -c "live policy 'dostuff' statement #1 allows 22091 actions beyond the spec")" \
	1 "dostuff drift"

case_name "drift names what the spec grants in the service"
# bad-role's spec grants ssm:SendCommand, a write action, and nothing
# else; its live policies reach every service.
expect_eq "$(jq -r '.findings[] | select(.rule == "MND210" and .agent == "bad-role") | .details[] | select(startswith("a2c:"))' "$out")" \
	"a2c:* on *: the spec grants no a2c action (all 4 actions)" \
	"service the spec leaves out"
expect_eq "$(jq -r '.findings[] | select(.rule == "MND210" and .agent == "bad-role") | .details[] | select(startswith("ssm:DescribeAssociation "))' "$out" | sort -u)" \
	"ssm:DescribeAssociation on *: the spec grants ssm write only" \
	"service the spec grants at another level"

case_name "text report of the claimed identities"
run check --today 2026-12-01 --against "$FIX/cloudmapper-demo-gaad.json" \
	"$SPECS"
expect_status 1
expect_out "error: live policy 'tmp' statement #1 allows 180 actions beyond the spec"
expect_out "    ... and 170 more (--format json lists all)"
expect_out "verdict: fail"

# Credential reports: counts worked out from each file's columns with
# today fixed at 2026-12-01 and the default 90-day rotation: MND220,
# MND221, MND222 and MND224. The root user's keys count only as MND224.
for spec in \
	cloudmapper-demo-get-credential-report.json:3:3:1:1 \
	cloudmapper-demo-get-credential-report-base64.json:3:3:1:1 \
	c7n-unused-keys.csv:7:7:0:1
do
	file=${spec%%:*}
	rest=${spec#*:}
	case_name "access keys in $file"
	run check --today 2026-12-01 --format json --against "$FIX/$file" \
		"$TMP/none"
	expect_status 1
	expect_eq "$(count MND220)" "${rest%%:*}" "MND220 findings"
	rest=${rest#*:}
	expect_eq "$(count MND221)" "${rest%%:*}" "MND221 findings"
	rest=${rest#*:}
	expect_eq "$(count MND222)" "${rest%%:*}" "MND222 findings"
	expect_eq "$(count MND224)" "${rest#*:}" "MND224 findings"
done

case_name "the root user's active key"
run check --today 2026-12-01 --against "$FIX/c7n-unused-keys.csv" "$TMP/none"
expect_out "the root user of account 619193117841 has an active access key 1 [MND224 critical]"

case_name "stale key message"
run check --today 2026-12-01 --against \
	"$FIX/cloudmapper-demo-get-credential-report.json" "$TMP/none"
expect_out "access key 1 of 'auditor_tmp' was last rotated on 2019-05-07"

case_name "credential report with a duplicate user cannot be read"
run check --today 2026-12-01 --against "$FIX/c7n-account-credential-report.csv" \
	"$TMP/none"
expect_status 2
expect_err "$FIX/c7n-account-credential-report.csv:10:"
expect_eq "$(wc -c <"$out")" 0 "stdout bytes"

case_name "JSON findings carry the documented fields"
run check --today 2026-12-01 --format json \
	--against "$FIX/cloudmapper-demo-gaad.json" "$SPECS"
expect_eq "$(jq -r '.findings[0] | [has("rule"), has("severity"), has("agent"), has("identity"), has("file"), has("line"), has("column"), has("message")] | all' "$out")" \
	true "fields"
expect_eq "$(jq -r '.counts | [has("critical"), has("high"), has("medium"), has("low"), has("info")] | all' "$out")" \
	true "counts"

# An export rewritten while check reads it must not crash the run:
# check reads the whole file first, and a shorter file read later is
# an error like any other cut export.
case_name "export cut while check runs"
sh bench/gen-org.sh 300 "$TMP/big" >/dev/null
for delay in 0.02 0.05 0.1; do
	cp "$TMP/big/export.json" "$TMP/cut.json"
	"$MANDATE" check --today 2026-12-01 --format json \
		--against "$TMP/cut.json" "$TMP/big/agents" \
		>"$TMP/cut-report.json" 2>"$TMP/cut-err" &
	pid=$!
	sleep "$delay"
	truncate -s 100000 "$TMP/cut.json"
	wait "$pid"
	status=$?
	case $status in
	1) ;;
	2) grep -q "cut.json" "$TMP/cut-err" ||
		fail "the error does not name the export (delay $delay)" ;;
	*) fail "check exited $status with the export cut after ${delay}s" ;;
	esac
done

finish
