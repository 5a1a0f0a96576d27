# mandate inventory: every role and user of the exports with the agent
# and owners that claim it; unowned workloads flagged.
. tests/cli/lib.sh

GAAD=examples/exports/authorization-details.json
CREDS=examples/exports/credential-report.csv
mkdir "$TMP/none"

case_name "example inventory as JSON"
run inventory --format json --against "$GAAD" --against "$CREDS" examples/agents
expect_status 0
expect_eq "$(jq '.identities | length' "$out")" 7 "identities"
expect_eq "$(jq '.counts.claimed' "$out")" 5 "claimed"
expect_eq "$(jq '.counts.unowned' "$out")" 1 "unowned"
expect_eq "$(jq -r '.identities[] | select(.unowned) | .id' "$out")" \
	arn:aws:iam::123456789012:role/legacy-etl "the unowned identity"
expect_eq "$(jq -c '.identities[] | select(.agent == "ticket-summarizer") | [.provider, .kind, .id, .owners.technical, .owners.business, .assumable_by_services]' "$out")" \
	'["aws","role","arn:aws:iam::123456789012:role/ticket-summarizer","alice.moreau@fernbrook.example","bilal.okafor@fernbrook.example",["bedrock.amazonaws.com"]]' \
	"a claimed role"
expect_eq "$(jq -c '.identities[] | select(.agent == "forecast-trainer") | .owners' "$out")" \
	'{"technical":"grace.ndlovu@fernbrook.example","business":null}' \
	"a missing owner is null"
expect_eq "$(jq -c '.identities[] | select(.id | endswith("user/invoice-reconciler")) | [.active_access_keys, .last_used]' "$out")" \
	'[1,"2026-11-30"]' "keys and last use from the credential report"
expect_eq "$(jq -c '.identities[] | select(.id | endswith("user/dana.ops")) | [.class, .agent, .unowned]' "$out")" \
	'["human (console user)",null,false]' "a console user is not unowned"

case_name "without the credential report a user cannot be told from a workload"
run inventory --format json --against "$GAAD" examples/agents
expect_status 0
expect_eq "$(jq '.counts.unowned' "$out")" 2 "unowned"
expect_eq "$(jq -c '.identities[] | select(.id | endswith("user/dana.ops")) | .active_access_keys' "$out")" \
	null "keys unknown"

case_name "text inventory"
run inventory --against "$GAAD" --against "$CREDS" examples/agents
expect_status 0
expect_out "UNOWNED"
expect_out "7 identities: 5 claimed by a spec, 1 unowned, 1 not workloads"
expect_eq "$(grep -c 'arn:aws:iam::123456789012:' "$out")" 7 "rows"

case_name "a large real export with no specs"
# 75 roles (8 service-linked, 2 IAM Identity Center) and 41 users.
run inventory --format json --against \
	tests/fixtures/aws/cloudsplaining-example.json "$TMP/none"
expect_status 0
expect_eq "$(jq '.counts.identities' "$out")" 116 "identities"
expect_eq "$(jq '.counts.unowned' "$out")" 106 "unowned"
expect_eq "$(jq '[.identities[] | select(.class == "service-linked")] | length' "$out")" \
	8 "service-linked roles"
expect_eq "$(jq '[.identities[] | select(.class == "human (IAM Identity Center)")] | length' "$out")" \
	2 "Identity Center roles"

case_name "written to a file"
run inventory --format json -o "$TMP/inv.json" --against "$GAAD" examples/agents
expect_status 0
expect_eq "$(wc -c <"$out")" 0 "stdout bytes"
expect_eq "$(jq '.identities | length' "$TMP/inv.json")" 7 "identities in the file"

case_name "usage errors"
run inventory examples/agents
expect_status 2
expect_err "missing --against EXPORT"
run inventory --format yaml --against "$GAAD" examples/agents
expect_status 2
expect_err "invalid --format 'yaml'"

case_name "malformed export"
run inventory --against tests/fixtures/bad/truncated.json examples/agents
expect_status 2
expect_err "tests/fixtures/bad/truncated.json:"
expect_eq "$(wc -c <"$out")" 0 "stdout bytes"

finish
