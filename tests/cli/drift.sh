# mandate check --against: permission drift (MND210) decided by the
# containment proof, on six live roles that deploy one agent's grants
# (a condition, a grant and a deny) faithfully or not.
. tests/cli/lib.sh

EXPORT=tests/fixtures/cases/30-drift-conditions-and-denies.json
SPEC=tests/fixtures/specs/drift
ROLE=arn:aws:iam::111122223333:role

# Print the MND210 messages of role $1 in the JSON report in $out.
drift_of() {
	jq -r --arg id "$ROLE/$1" \
		'.findings[] | select(.rule == "MND210" and .identity == $id) | .message' \
		"$out"
}

run check --today 2026-12-01 --format json --against "$EXPORT" "$SPEC"
expect_status 1

case_name "MND210 count"
expect_eq "$(jq '[.findings[] | select(.rule == "MND210")] | length' "$out")" \
	4 "MND210 findings"

case_name "narrower condition and the deny deployed"
# vpc-1 is one of the spec's two VPCs, and the spec's deny is live.
expect_eq "$(drift_of probe-exact)" "" "drift of probe-exact"

case_name "deny in an attached managed policy"
expect_eq "$(drift_of probe-deny-managed)" "" "drift of probe-deny-managed"

case_name "condition missing live"
expect_eq "$(drift_of probe-no-condition)" \
	"live policy 'inline-0' statement 'ReadAnywhere' allows 's3:GetObject' on 'arn:aws:s3:::reports/*' beyond the spec: the spec grants it only under condition StringEquals 'aws:SourceVpc' that the live statement lacks" \
	"drift of probe-no-condition"

case_name "condition wider live"
expect_eq "$(drift_of probe-wider-vpc)" \
	"live policy 'inline-0' statement 'ReadFromTwoVpcs' allows 's3:GetObject' on 'arn:aws:s3:::reports/*' beyond the spec: the spec grants it only under condition StringEquals 'aws:SourceVpc', which the live statement's condition StringEquals 'aws:SourceVpc' does not imply" \
	"drift of probe-wider-vpc"

DENIED="live policy 'inline-0' statement 'WriteOut' allows 's3:PutObject' on 'arn:aws:s3:::reports/out/*' beyond the spec: denied in the spec by statement 'deny at line 44' of 'tests/fixtures/specs/drift/probe.mandate', and the live statement has no deny that covers it"

case_name "spec deny missing live"
expect_eq "$(drift_of probe-deny-dropped)" "$DENIED" \
	"drift of probe-deny-dropped"

case_name "live deny only under a condition"
# The live deny applies only to plain HTTP requests, so it does not
# stand for the spec's unconditional deny.
expect_eq "$(drift_of probe-conditional-deny)" "$DENIED" \
	"drift of probe-conditional-deny"

case_name "drift points at the live statement"
expect_eq "$(jq -r --arg id "$ROLE/probe-deny-dropped" \
	'.findings[] | select(.rule == "MND210" and .identity == $id) | "\(.file):\(.line)"' \
	"$out")" "$EXPORT:168" "location"

finish
