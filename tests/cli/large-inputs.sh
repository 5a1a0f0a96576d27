# Large inputs give complete results. One agent with thousands of
# grants of the same actions: build merges them into statements whose
# resources are complete and sorted, and check reports the managed
# policies they need. Grants are written in an order that differs from
# the sorted one, so the merge has to sort. An export on one line with
# thousands of findings: each finding is reported, without an excerpt
# of the line.
. tests/cli/lib.sh

# Write a spec of one agent with $1 read grants on buckets b0 to
# b($1-1), the last bucket first.
large_agent() {
	cat <<'SPEC'
agent "bulk" {
  kind          = service_account
  description   = "Reads every bucket of the data lake"
  owner {
    technical = "alice@example.com"
    business  = "bob@example.com"
  }
  justification = "Indexes the objects of each bucket for the search service"
  review { every = 90d  last = 2026-11-02  by = "bob@example.com" }
  expires = 2027-11-01
  identity aws role "arn:aws:iam::123456789012:role/bulk" {
    trusted_by = "glue.amazonaws.com"
  }
SPEC
	awk -v n="$1" 'BEGIN {
		for (i = n - 1; i >= 0; i--)
			printf "  grant read on aws:s3 \"arn:aws:s3:::b%d/*\"\n", i
	}'
	echo "}"
}

case_name "build of an agent with 1500 grants"
large_agent 1500 >"$TMP/bulk.mandate"
run build --target aws -o "$TMP/out" "$TMP/bulk.mandate"
expect_status 0
policies=$TMP/out/aws/bulk/123456789012-role-bulk
expect_eq "$(ls "$policies" | grep -c '^identity-policy-')" 8 \
	"managed policies"
awk 'BEGIN {
	for (i = 0; i < 1500; i++)
		printf "arn:aws:s3:::b%d/*\n", i
}' | LC_ALL=C sort >"$TMP/want"
# Files in order 1 to 8, then each statement's resources as written.
for i in 1 2 3 4 5 6 7 8; do
	jq -r '.Statement[].Resource[]' "$policies/identity-policy-$i.json"
done >"$TMP/got"
if ! cmp -s "$TMP/want" "$TMP/got"; then
	fail "resources are not every bucket once, in sorted order"
	diff "$TMP/want" "$TMP/got" | head -5 >&2
fi
expect_eq "$(jq -s '[.[].Statement[].Action | length] | unique' \
	"$policies"/identity-policy-*.json | jq -c .)" "[16]" \
	"read actions of each statement"

case_name "check of an agent with 20000 grants"
large_agent 20000 >"$TMP/bulk.mandate"
run check --today 2026-12-01 --color never --format json "$TMP/bulk.mandate"
expect_status 1
expect_jq '[.findings[].rule] | unique' '["MND301"]'
expect_jq '.findings[0].message' \
	"\"the identity policy of 'arn:aws:iam::123456789012:role/bulk' needs 128 managed policies; IAM attaches at most 10 to one identity by default\""

case_name "export on one line with 3000 unowned roles"
jq -c '.RoleDetailList[0] as $role | .RoleDetailList = [range(3000) |
	. as $i | $role | .RoleName = "r\($i)" |
	.Arn = "arn:aws:iam::123456789012:role/r\($i)" |
	.RoleId = "AROA\($i)"]' examples/exports/authorization-details.json \
	>"$TMP/wide.json"
expect_eq "$(wc -l <"$TMP/wide.json")" 1 "lines of the export"
run check --today 2026-12-01 --color never --against "$TMP/wide.json" \
	examples/agents
expect_status 1
expect_eq "$(grep -c ":role/r[0-9]*. is claimed by no spec \[MND201 high\]" "$out")" 3000 \
	"unowned roles reported"
expect_out "$TMP/wide.json:1:"
expect_no_out '    {"'

finish
