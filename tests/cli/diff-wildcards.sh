# mandate diff on one agent with 3000 grants whose resource patterns all
# start with a wildcard after "arn:aws:s3:::", so that they share their
# literal prefix. Each grant is renamed, narrowed or widened, and only
# the permissions that no pattern on the other side covers are listed.
. tests/cli/lib.sh

REPO=$TMP/repo
export GIT_AUTHOR_NAME=tester GIT_AUTHOR_EMAIL=tester@example.com
export GIT_COMMITTER_NAME=tester GIT_COMMITTER_EMAIL=tester@example.com
export GIT_CONFIG_NOSYSTEM=1 HOME=$TMP

# Write the agent with grants 1000 to 3999, the pattern of grant i
# chosen by awk's function pattern(i).
write_agent() {
	{
		cat <<'SPEC'
agent "bulk" {
  kind = workload
  owner { technical = "a.b@example.com" business = "c.d@example.com" }
  justification = "Indexes the objects of each bucket"
  review { every = 90d last = 2026-11-01 by = "c.d@example.com" }
  expires = 2027-06-01
  identity aws role "arn:aws:iam::111122223333:role/bulk" { trusted_by = "ecs-tasks.amazonaws.com" }
SPEC
		awk "$1"' BEGIN {
			for (i = 1000; i < 4000; i++)
				printf "  grant read on aws:s3 \"arn:aws:s3:::%s\" { because = \"Index\" }\n", pattern(i)
		}'
		echo "}"
	} >"$REPO/agents/bulk.mandate"
}

mkdir -p "$REPO/agents"
git init -q -b main "$REPO"
write_agent 'function pattern(i) { return "*x" i "/*" }'
git -C "$REPO" add -A
git -C "$REPO" commit -q -m base
git -C "$REPO" tag base
# i % 3 == 0 renames, 1 narrows, 2 widens. Every number has four
# digits, so "*1001/*" covers "*x1001/*" and no other base pattern.
write_agent 'function pattern(i) {
	if (i % 3 == 0) return "*y" i "/*"
	if (i % 3 == 1) return "*x" i "/a*"
	return "*" i "/*"
}'

case_name "diff of 3000 wildcard grants"
run diff --repo "$REPO" --color never base
expect_status 0
# read on S3 is 16 actions: 1000 renamed and 1000 widened are added,
# 1000 renamed and 1000 narrowed are removed.
expect_eq "$(grep -c '^  + ' "$out")" 32000 "added permissions"
expect_eq "$(grep -c '^  - ' "$out")" 32000 "removed permissions"
expect_out "  + s3:GetObject on arn:aws:s3:::*y1002/*"
expect_out "  - s3:GetObject on arn:aws:s3:::*x1002/*"
expect_out "  - s3:GetObject on arn:aws:s3:::*x1000/*"
expect_no_out "s3:GetObject on arn:aws:s3:::*x1000/a*"
expect_out "  + s3:GetObject on arn:aws:s3:::*1001/*"
expect_no_out "s3:GetObject on arn:aws:s3:::*x1001/*"

finish
