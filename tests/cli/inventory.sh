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

case_name "example inventory as CSV"
run inventory --format csv --against "$GAAD" --against "$CREDS" examples/agents
expect_status 0
printf '%s\r\n' \
	'identity,provider,kind,agent,technical_owner,business_owner,last_review,expiry,last_used,unowned' \
	'arn:aws:iam::123456789012:role/catalog-enricher,aws,role,catalog-enricher,chen.li@fernbrook.example,dara.walsh@fernbrook.example,2026-10-15,2027-06-30,,false' \
	'arn:aws:iam::123456789012:role/legacy-etl,aws,role,,,,,,,true' \
	'arn:aws:iam::123456789012:role/report-writer,aws,role,report-writer,hugo.martin@fernbrook.example,ines.costa@fernbrook.example,2026-10-01,2027-09-30,,false' \
	'arn:aws:iam::123456789012:role/service-role/forecast-trainer,aws,role,forecast-trainer,grace.ndlovu@fernbrook.example,,2026-11-20,2027-05-31,,false' \
	'arn:aws:iam::123456789012:role/ticket-summarizer,aws,role,ticket-summarizer,alice.moreau@fernbrook.example,bilal.okafor@fernbrook.example,2026-11-02,2027-11-01,,false' \
	'arn:aws:iam::123456789012:user/dana.ops,aws,user,,,,,,2026-11-28,false' \
	'arn:aws:iam::123456789012:user/invoice-reconciler,aws,user,invoice-reconciler,erik.lund@fernbrook.example,farah.haddad@fernbrook.example,2025-09-01,2027-03-31,2026-11-30,false' \
	>"$TMP/want.csv"
if ! cmp -s "$TMP/want.csv" "$out"; then
	fail "CSV inventory differs"
	diff "$TMP/want.csv" "$out" >&2
fi

case_name "CSV last use of a role, from RoleLastUsed"
run inventory --format csv --against \
	tests/fixtures/aws/cloudsplaining-example.json "$TMP/none"
expect_status 0
expect_out 'arn:aws:iam::200611803367:role/AWS-QuickSetup-EnableCRecording-1clff_eu-west-1,aws,role,,,,,,2022-08-07,true'
expect_eq "$(wc -l <"$out")" 117 "records"

case_name "hostile names in CSV"
# IAM paths may hold any printable character and role names '=', so a
# name from the export or a spec can carry quotes, commas, line breaks,
# formulas and escape sequences.
mkdir "$TMP/hostile"
cat >"$TMP/hostile/gaad.json" <<'JSON'
{
  "UserDetailList": [], "GroupDetailList": [], "Policies": [],
  "RoleDetailList": [
    {
      "Path": "/a,\"b\"/", "RoleName": "=cmd",
      "RoleId": "AROAEXHOSTILE0000000",
      "Arn": "arn:aws:iam::111122223333:role/a,\"b\"/=cmd",
      "AssumeRolePolicyDocument": {
        "Version": "2012-10-17",
        "Statement": [{ "Effect": "Allow",
          "Principal": { "Service": "lambda.amazonaws.com" },
          "Action": "sts:AssumeRole" }]
      },
      "RolePolicyList": [], "AttachedManagedPolicies": [], "Tags": [],
      "RoleLastUsed": { "LastUsedDate": "2026-11-29T08:00:00Z" }
    },
    {
      "Path": "/", "RoleName": "\u001b[31mesc", "RoleId": "AROAEXHOSTILE0000001",
      "Arn": "arn:aws:iam::111122223333:role/\u001b[31mesc",
      "AssumeRolePolicyDocument": {
        "Version": "2012-10-17",
        "Statement": [{ "Effect": "Allow",
          "Principal": { "Service": "lambda.amazonaws.com" },
          "Action": "sts:AssumeRole" }]
      },
      "RolePolicyList": [], "AttachedManagedPolicies": [], "Tags": []
    }
  ]
}
JSON
cat >"$TMP/hostile/hostile.mandate" <<'SPEC'
agent "=HYPERLINK(\"http://evil.example/\",\"open\")" {
  kind = workload
  owner { technical = "@SUM(1+1)"  business = "-2+3\nline two" }
  review { every = 90d  last = 2026-11-02  by = "x@example.com" }
  expires = 2027-01-31
  identity aws role "arn:aws:iam::111122223333:role/a,\"b\"/=cmd"
}
SPEC
run inventory --format csv --against "$TMP/hostile/gaad.json" "$TMP/hostile"
expect_status 0
# Rows sort by ARN, so the escape character (0x1b) comes first. The
# line break inside the quoted business owner is the spec's own LF.
{
	printf '%s\r\n' \
		'identity,provider,kind,agent,technical_owner,business_owner,last_review,expiry,last_used,unowned' \
		'arn:aws:iam::111122223333:role/?[31mesc,aws,role,,,,,,,true'
	printf '%s\n' '"arn:aws:iam::111122223333:role/a,""b""/=cmd",aws,role,"'"'"'=HYPERLINK(""http://evil.example/"",""open"")",'"'"'@SUM(1+1),"'"'"'-2+3'
	printf '%s\r\n' 'line two",2026-11-02,2027-01-31,2026-11-29,false'
} >"$TMP/want.csv"
if ! cmp -s "$TMP/want.csv" "$out"; then
	fail "CSV of hostile names differs"
	od -c "$out" | head -40 >&2
fi
expect_eq "$(tr -d '\033' <"$out" | wc -c)" "$(wc -c <"$out")" \
	"bytes once escape characters are removed"

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
expect_err "invalid --format 'yaml'; expected text, json or csv"

case_name "malformed export"
run inventory --against tests/fixtures/bad/truncated.json examples/agents
expect_status 2
expect_err "tests/fixtures/bad/truncated.json:"
expect_eq "$(wc -c <"$out")" 0 "stdout bytes"

finish
