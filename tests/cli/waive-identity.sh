# Waivers for one identity: they silence export findings about an
# identity that no spec claims, and expire or go unused like the
# waivers for an agent.
. tests/cli/lib.sh

EX=examples/agents
GAAD=examples/exports/authorization-details.json
CREDS=examples/exports/credential-report.csv
LEGACY=arn:aws:iam::123456789012:role/legacy-etl

mkdir "$TMP/specs"
cp "$EX"/*.mandate "$TMP/specs/"
cat >"$TMP/specs/waivers.mandate" <<SPEC
waive MND201 for identity "$LEGACY" {
  until = 2027-01-31
  reason = "The ETL team retires the role in January"
  approver = "dana.ross@fernbrook.example"
}

waive MND133 for identity "$LEGACY" {
  until = 2026-11-30
  reason = "Accepted until the role's policy was cut down"
  approver = "dana.ross@fernbrook.example"
}

waive MND201 for identity "arn:aws:iam::123456789012:role/gone" {
  until = 2027-01-31
  reason = "A role deleted last week"
  approver = "dana.ross@fernbrook.example"
}
SPEC

case_name "a waiver silences the unowned identity"
run check --today 2026-12-01 --format json --against "$GAAD" \
	--against "$CREDS" "$TMP/specs"
expect_status 1
expect_eq "$(jq -r ".findings[] | select(.rule == \"MND201\") | [.identity, .waived, .waiver.approver] | map(tostring) | join(\" \")" "$out")" \
	"$LEGACY true dana.ross@fernbrook.example" "the unowned identity's finding"
expect_eq "$(jq .counts.waived "$out")" 1 "waived findings"

case_name "an expired identity waiver silences nothing"
expect_eq "$(jq -r '.findings[] | select(.rule == "MND133" and .agent == null) | .waived' "$out")" \
	false "the escalation finding"
expect_eq "$(jq -r '.findings[] | select(.rule == "MND170") | .message' "$out")" \
	"waiver of MND133 for identity '$LEGACY' expired on 2026-11-30" \
	"expired waiver"

case_name "an identity waiver that matches nothing"
expect_eq "$(jq -r '.findings[] | select(.rule == "MND171") | [.identity, .message] | join(" ")' "$out")" \
	"arn:aws:iam::123456789012:role/gone waiver of MND201 for identity 'arn:aws:iam::123456789012:role/gone' matches no finding" \
	"unused waiver"

case_name "the identity's waiver does not reach other rules"
run check --today 2026-12-01 --against "$GAAD" --against "$CREDS" \
	"$TMP/specs"
expect_out "(1 waived)"
expect_no_out "role/legacy-etl' is claimed by no spec"
expect_out "is allowed every action of 65 privilege escalation paths"

case_name "without exports an export rule's waiver is not unused"
cat >"$TMP/specs/spec-waiver.mandate" <<SPEC
waive MND104 for "report-writer" {
  until = 2027-01-31
  reason = "The owners are separated in the January reorganisation"
  approver = "dana.ross@fernbrook.example"
}
SPEC
run check --today 2026-12-01 --format json "$TMP/specs"
expect_eq "$(jq -r '[.findings[] | select(.rule == "MND171") | .message] | join("; ")' "$out")" \
	"waiver of MND104 for 'report-writer' matches no finding" \
	"unused waivers without exports"
expect_eq "$(jq '[.findings[] | select(.rule == "MND170")] | length' "$out")" \
	1 "expired waivers without exports"

case_name "a credential report alone does not run MND201"
run check --today 2026-12-01 --format json --against "$CREDS" "$TMP/specs"
expect_eq "$(jq -r '[.findings[] | select(.rule == "MND171") | .message] | join("; ")' "$out")" \
	"waiver of MND104 for 'report-writer' matches no finding" \
	"unused waivers with a credential report"

finish
