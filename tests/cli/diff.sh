# mandate diff: each agent's change in effective permissions between two
# git revisions of a real repository, read from the object database.
. tests/cli/lib.sh

REPO=$TMP/repo
export GIT_AUTHOR_NAME=tester GIT_AUTHOR_EMAIL=tester@example.com
export GIT_COMMITTER_NAME=tester GIT_COMMITTER_EMAIL=tester@example.com
export GIT_CONFIG_NOSYSTEM=1 HOME=$TMP

git_repo() {
	git -C "$REPO" "$@" >/dev/null 2>&1 || fail "git $* failed"
}

# Write spec file $1 of agent $2 with role $3, business owner $4 and
# the grants in $5.
write_agent() {
	cat >"$REPO/$1" <<EOF
agent "$2" {
  kind        = service_account
  description = "An agent of the diff tests"
  owner {
    technical = "alice@example.com"
    business  = "$4"
  }
  justification = "Moves the nightly exports between the test systems"
  review      { every = 90d  last = 2026-11-02  by = "bob@example.com" }
  expires     = 2027-11-01

  identity aws role "arn:aws:iam::111122223333:role/$3"
$5
}
EOF
}

mkdir -p "$REPO/agents"
git init -q -b main "$REPO"
cat >"$REPO/agents/gate.mandate" <<'EOF'
resource "payments" {
  match       = ["arn:aws:s3:::payments/*"]
  sensitivity = restricted
}
EOF
write_agent agents/digest.mandate digest digest bob@example.com '
  grant read on aws:sqs "arn:aws:sqs:us-east-1:111122223333:jobs"

  grant actions ["dynamodb:Query"]
        on "arn:aws:dynamodb:us-east-1:111122223333:table/tickets" {
    when "dynamodb:LeadingKeys" in ["${aws:PrincipalTag/tenant}"]
  }'
write_agent agents/old.mandate old-bot old bob@example.com '
  grant read on aws:sqs "arn:aws:sqs:us-east-1:111122223333:old"'
write_agent agents/etl.mandate etl etl bob@example.com '
  grant actions ["sqs:SendMessage"] on "arn:aws:sqs:us-east-1:111122223333:etl" {
    because = "Queues the nightly load"
  }'
write_agent agents/mover.mandate mover mover bob@example.com '
  grant actions ["sqs:ReceiveMessage"] on "arn:aws:sqs:us-east-1:111122223333:moves"'
git_repo add -A
git_repo commit -q -m "First agents"
git_repo tag v1

# The feature branch: a level rewritten as the same explicit list, a
# removed condition, a new wildcard, a new owner, a deleted agent, an
# agent renamed with its identity kept, and a spec file renamed.
git_repo checkout -q -b feature
write_agent agents/digest.mandate digest digest carol@example.com '
  grant actions ["sqs:ReceiveMessage", "sqs:getqueueurl", "sqs:GetQueueAttributes",
                 "sqs:ListDeadLetterSourceQueues", "sqs:ListMessageMoveTasks",
                 "sqs:ListQueueTags"]
        on "arn:aws:sqs:us-east-1:111122223333:jobs"

  grant actions ["dynamodb:Query"]
        on "arn:aws:dynamodb:us-east-1:111122223333:table/tickets"

  grant actions ["s3:Put*"] on "arn:aws:s3:::reports/*" {
    because = "Writes the digest"
  }'
git_repo rm -q agents/old.mandate
write_agent agents/etl.mandate etl-loader etl bob@example.com '
  grant actions ["sqs:SendMessage"] on "arn:aws:sqs:us-east-1:111122223333:etl" {
    because = "Queues the nightly load"
  }

  grant actions ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"]
        on "*" {
    because = "Deploys the loader"
  }'
git_repo mv agents/mover.mandate agents/shipper.mandate
sed -e 's/"mover"/"shipper"/' -e 's,role/mover,role/shipper,' \
	"$REPO/agents/shipper.mandate" >"$TMP/shipper"
cp "$TMP/shipper" "$REPO/agents/shipper.mandate"
git_repo add -A
git_repo commit -q -m "Widen the agents"
git_repo tag v2

# A branch whose spec does not parse.
git_repo checkout -q -b broken
printf 'agent "broken" {\n  kind = \n}\n' >"$REPO/agents/broken.mandate"
git_repo add -A
git_repo commit -q -m "Break a spec"
git_repo checkout -q feature

# Hooks and filters that must never run: libgit2 reads the objects.
for hook in post-checkout pre-commit post-commit post-index-change \
	reference-transaction pre-auto-gc; do
	printf '#!/bin/sh\ntouch "%s/hook-ran"\n' "$TMP" \
		>"$REPO/.git/hooks/$hook"
	chmod +x "$REPO/.git/hooks/$hook"
done
printf '*.mandate filter=mark\n' >"$REPO/.git/info/attributes"
git_repo config filter.mark.clean "touch $TMP/filter-ran; cat"
git_repo config filter.mark.smudge "touch $TMP/filter-ran; cat"
git_repo config core.fsmonitor "$REPO/.git/hooks/post-checkout"

case_name "tags: JSON lists each changed agent"
run diff --repo "$REPO" --format json v1 v2
expect_status 0
expect_jq '[.agents[] | [.name, .change]]' \
	'[["digest","changed"],["etl-loader","changed"],["old-bot","removed"],["shipper","changed"]]'
expect_jq '.base, .head' '"v1"
"v2"'
expect_jq '.base_commit' "\"$(git -C "$REPO" rev-parse v1^{commit})\""
expect_jq '.head_commit' "\"$(git -C "$REPO" rev-parse v2^{commit})\""

case_name "a level rewritten as the same list is no change"
expect_jq '[.agents[] | select(.name == "digest") | .added[], .removed[]
	| select(.action | startswith("sqs:"))] | length' '0'

case_name "a removed condition"
expect_jq '.agents[] | select(.name == "digest") | .removed' \
	'[{"action":"dynamodb:Query","resource":"arn:aws:dynamodb:us-east-1:111122223333:table/tickets","effect":"allow","conditions":["ForAllValues:StringEquals dynamodb:LeadingKeys [${aws:PrincipalTag/tenant}]","Null dynamodb:LeadingKeys [false]"]}]'
expect_jq '.agents[] | select(.name == "digest") | .escalations[]
	| select(.kind == "removed-condition") | .actions' '["dynamodb:Query"]'

case_name "a new wildcard action and its write access"
expect_jq '.agents[] | select(.name == "digest") | .added
	| map(select(.resource == "arn:aws:s3:::reports/*")) | length > 5' 'true'
expect_jq '.agents[] | select(.name == "digest") | .escalations
	| map(.kind)' \
	'["write","tagging","permissions","wildcard-action","removed-condition"]'
expect_jq '.agents[] | select(.name == "digest") | .escalations[]
	| select(.kind == "wildcard-action") | .message' \
	'"new wildcard action '"'"'s3:Put*'"'"'"'

case_name "an owner change"
expect_jq '.agents[] | select(.name == "digest") | .fields' \
	'[{"field":"owner.business","from":"bob@example.com","to":"carol@example.com"}]'

case_name "a deleted agent"
expect_jq '.agents[] | select(.name == "old-bot") | [.file, .added, .escalations, (.removed | map(.action))]' \
	'["agents/old.mandate",[],[],["sqs:GetQueueAttributes","sqs:GetQueueUrl","sqs:ListDeadLetterSourceQueues","sqs:ListMessageMoveTasks","sqs:ListQueueTags","sqs:ReceiveMessage"]]'
expect_jq '.agents[] | select(.name == "old-bot") | .identities' \
	'{"added":[],"removed":["aws role arn:aws:iam::111122223333:role/old"]}'

case_name "an agent renamed, its identity kept"
expect_jq '.agents[] | select(.name == "etl-loader") | [.old_name, .renamed_by, .file, (.removed | length)]' \
	'["etl","identity","agents/etl.mandate",0]'
expect_jq '.agents[] | select(.name == "etl-loader") | .escalations[]
	| select(.kind == "escalation-path") | .actions' \
	'["iam:PassRole","lambda:CreateFunction","lambda:InvokeFunction"]'

case_name "a spec file renamed"
expect_jq '.agents[] | select(.name == "shipper") | [.old_name, .old_file, .file, .renamed_by, .added, .removed]' \
	'["mover","agents/mover.mandate","agents/shipper.mandate","file",[],[]]'
expect_jq '.agents[] | select(.name == "shipper") | .identities' \
	'{"added":["aws role arn:aws:iam::111122223333:role/shipper"],"removed":["aws role arn:aws:iam::111122223333:role/mover"]}'

case_name "branches and relative revisions compare the same"
cp "$out" "$TMP/tags.json"
run diff --repo "$REPO" --format json main feature
expect_status 0
jq '.agents' "$TMP/tags.json" >"$TMP/a"
jq '.agents' "$out" >"$TMP/b"
cmp -s "$TMP/a" "$TMP/b" || fail "main..feature differs from v1..v2"
run diff --repo "$REPO" --format json HEAD~1 HEAD
expect_status 0
jq '.agents' "$out" >"$TMP/b"
cmp -s "$TMP/a" "$TMP/b" || fail "HEAD~1..HEAD differs from v1..v2"
run diff --repo "$REPO" --format json feature v2
expect_status 0
expect_jq '.agents' '[]'

case_name "--fail-on-escalation"
run diff --repo "$REPO" --fail-on-escalation v1 v2
expect_status 1
run diff --repo "$REPO" --fail-on-escalation v2 v1
expect_status 0
expect_out "agent 'mover' renamed from 'shipper' (agents/shipper.mandate -> agents/mover.mandate)"

case_name "text output"
run diff --repo "$REPO" v1 v2
expect_status 0
expect_out "mandate diff v1 -> v2: 4 agents changed (1 removed, 2 renamed), 8 escalations"
expect_out "agent 'digest' changed (agents/digest.mandate)"
expect_out "  owner.business: 'bob@example.com' -> 'carol@example.com'"
expect_out "  escalation [removed-condition]: condition ForAllValues:StringEquals dynamodb:LeadingKeys [\${aws:PrincipalTag/tenant}] and Null dynamodb:LeadingKeys [false] no longer limits access to 'arn:aws:dynamodb:us-east-1:111122223333:table/tickets': dynamodb:Query"
expect_out "  + s3:PutObject on arn:aws:s3:::reports/*"
expect_out "  - dynamodb:Query on arn:aws:dynamodb:us-east-1:111122223333:table/tickets when ForAllValues:StringEquals dynamodb:LeadingKeys [\${aws:PrincipalTag/tenant}]"
expect_out "  + dynamodb:Query on arn:aws:dynamodb:us-east-1:111122223333:table/tickets"
expect_out "agent 'old-bot' removed (agents/old.mandate)"
expect_out "  - identity aws role arn:aws:iam::111122223333:role/old"
expect_out "agent 'shipper' renamed from 'mover' (agents/mover.mandate -> agents/shipper.mandate)"
expect_no_out "sqs:GetQueueUrl on arn:aws:sqs:us-east-1:111122223333:jobs"

case_name "markdown output"
run diff --repo "$REPO" --format markdown v1 v2
expect_status 0
expect_eq "$(head -n 1 "$out")" \
	"**mandate diff** v1 → v2: 4 agents changed (1 removed, 2 renamed), 8 escalations" \
	"the summary line"
expect_out "## Escalations"
expect_out "- **etl-loader**: grants now enable privilege escalation path 'lambda-001'"
expect_out "### digest (changed)"
expect_out "| owner.business | bob@example.com | carol@example.com |"
expect_out '```diff'
esc_line=$(grep -n '^## Escalations' "$out" | cut -d: -f1)
agents_line=$(grep -n '^## Agents' "$out" | cut -d: -f1)
[ "${esc_line:-0}" -gt 0 ] && [ "${esc_line:-0}" -lt "${agents_line:-0}" ] ||
	fail "escalations do not come before the agents"

case_name "PATH limits the specs read"
run diff --repo "$REPO" --format json v1 v2 -- agents/digest.mandate
expect_status 0
expect_jq '[.agents[].name]' '["digest"]'
run diff --repo "$REPO" --format json v1 v2 agents/old.mandate
expect_status 0
expect_jq '[.agents[].name]' '["old-bot"]'
run diff --repo "$REPO" --format json v1 v2 -- ./agents/ nowhere
expect_status 0
expect_jq '[.agents[] | [.name, .change]]' \
	'[["digest","changed"],["etl-loader","changed"],["old-bot","removed"],["shipper","changed"]]'
run diff --repo "$REPO" --format json v1 v2 -- .
expect_status 0
expect_jq '[.agents[] | [.name, .change]]' \
	'[["digest","changed"],["etl-loader","changed"],["old-bot","removed"],["shipper","changed"]]'

case_name "working tree changes, uncommitted"
write_agent agents/digest.mandate digest digest carol@example.com '
  grant actions ["sqs:ReceiveMessage", "sqs:getqueueurl", "sqs:GetQueueAttributes",
                 "sqs:ListDeadLetterSourceQueues", "sqs:ListMessageMoveTasks",
                 "sqs:ListQueueTags"]
        on "arn:aws:sqs:us-east-1:111122223333:jobs"

  grant actions ["dynamodb:Query"]
        on "arn:aws:dynamodb:us-east-1:111122223333:table/tickets"

  grant actions ["s3:Put*"] on "arn:aws:s3:::reports/*" {
    because = "Writes the digest"
  }

  grant actions ["s3:GetObject"] on "arn:aws:s3:::payments/*"'
write_agent agents/fresh.mandate fresh fresh bob@example.com '
  grant actions ["sqs:SendMesage"] on "arn:aws:sqs:us-east-1:111122223333:fresh"'
mv "$REPO/agents/shipper.mandate" "$REPO/agents/carrier.mandate"
sed 's,role/etl",role/etl" { trusted_by = "lambda.amazonaws.com" },' \
	"$REPO/agents/etl.mandate" >"$TMP/etl"
cp "$TMP/etl" "$REPO/agents/etl.mandate"
(cd "$REPO" && "$MANDATE" diff --format json HEAD) >"$out" 2>"$err"
status=$?
expect_status 0
expect_jq '.base_commit' "\"$(git -C "$REPO" rev-parse HEAD)\""
expect_jq '.head_commit' 'null'
expect_jq '[.head, ([.agents[] | [.name, .change]])]' \
	'[null,[["digest","changed"],["etl-loader","changed"],["fresh","added"],["shipper","changed"]]]'
expect_jq '.agents[] | select(.name == "digest") | .escalations' \
	'[{"kind":"restricted","principal":null,"resource":"arn:aws:s3:::payments/*","actions":["s3:GetObject"],"message":"new access to restricted resource class '"'"'payments'"'"' through '"'"'arn:aws:s3:::payments/*'"'"': s3:GetObject"}]'
expect_jq '.agents[] | select(.name == "shipper") | [.old_file, .file, .renamed_by]' \
	'["agents/shipper.mandate","agents/carrier.mandate","identity"]'
expect_jq '.agents[] | select(.name == "etl-loader") | [.fields, .added, .removed]' \
	'[[{"field":"identity arn:aws:iam::111122223333:role/etl trusted_by","from":null,"to":"lambda.amazonaws.com"}],[],[]]'
expect_jq '.agents[] | select(.name == "etl-loader") | .escalations[] | [.kind, .message]' \
	'["trust","new trusted principal '"'"'lambda.amazonaws.com'"'"' may now assume '"'"'arn:aws:iam::111122223333:role/etl'"'"'"]'
expect_jq '.agents[] | select(.name == "fresh") | .identities.added' \
	'["aws role arn:aws:iam::111122223333:role/fresh"]'
expect_err "agents/fresh.mandate:14:18: warning: unknown action 'sqs:SendMesage' [MND134], so the diff may not show what the grant was meant to give"
expect_jq '.agents[] | select(.name == "fresh") | [.added[].action]' \
	'["sqs:SendMesage"]'

# A second repository for trust: identities gained, created and moved.
TRUST=$TMP/trust
trust_agent() {
	cat >"$TRUST/$1" <<EOF
agent "$2" {
  kind        = service_account
  description = "An agent of the trust tests"
  owner {
    technical = "alice@example.com"
    business  = "bob@example.com"
  }
  justification = "Moves the nightly exports between the test systems"
  review      { every = 90d  last = 2026-11-02  by = "bob@example.com" }
  expires     = 2027-11-01
$3
}
EOF
}
git_trust() {
	git -C "$TRUST" "$@" >/dev/null 2>&1 || fail "git $* failed"
}
git init -q -b main "$TRUST"
mkdir -p "$TRUST/agents"
trust_agent agents/a.mandate alpha '
  identity aws role "arn:aws:iam::111122223333:role/alpha"
  identity aws role "arn:aws:iam::111122223333:role/shared"
  grant actions ["s3:*"] on "arn:aws:s3:::alpha/*"'
trust_agent agents/b.mandate beta '
  identity aws role "arn:aws:iam::111122223333:role/beta"
  grant actions ["sqs:ReceiveMessage"] on "arn:aws:sqs:us-east-1:111122223333:beta"'
git_trust add -A
git_trust commit -q -m "Trust base"
git_trust tag t1

case_name "new identity trusting another account in an agent"
trust_agent agents/b.mandate beta '
  identity aws role "arn:aws:iam::111122223333:role/beta"
  identity aws role "arn:aws:iam::111122223333:role/open" {
    trusted_by = "444455556666"
  }
  grant actions ["sqs:ReceiveMessage"] on "arn:aws:sqs:us-east-1:111122223333:beta"'
run diff --repo "$TRUST" --format json --fail-on-escalation t1
expect_status 1
expect_jq '[.agents[] | [.name, .change]]' '[["beta","changed"]]'
expect_jq '.agents[0].escalations | map([.kind, .resource])' \
	'[["trust","arn:aws:iam::111122223333:role/open"]]'
expect_jq '.agents[0].escalations[0].message' \
	'"new trusted principal '"'"'444455556666'"'"' may now assume '"'"'arn:aws:iam::111122223333:role/open'"'"'"'
expect_jq '.agents[0].fields' \
	'[{"field":"identity arn:aws:iam::111122223333:role/open trusted_by","from":null,"to":"444455556666"}]'
run diff --repo "$TRUST" t1
expect_out "  identity arn:aws:iam::111122223333:role/open trusted_by: (unset) -> '444455556666'"
git_trust checkout -q -- agents/b.mandate

case_name "new agent trusting another account"
trust_agent agents/c.mandate gamma '
  identity aws role "arn:aws:iam::111122223333:role/gamma" {
    trusted_by = "444455556666"
  }
  grant actions ["sqs:ReceiveMessage"] on "arn:aws:sqs:us-east-1:111122223333:gamma"'
run diff --repo "$TRUST" --format json --fail-on-escalation t1
expect_status 1
expect_jq '[.agents[] | [.name, .change]]' '[["gamma","added"]]'
expect_jq '.agents[0].escalations | map(select(.kind == "trust") | .message)' \
	'["new trusted principal '"'"'444455556666'"'"' may now assume '"'"'arn:aws:iam::111122223333:role/gamma'"'"'"]'
expect_jq '.agents[0].fields | map(select(.field | startswith("identity")) | .field, .to)' \
	'["identity arn:aws:iam::111122223333:role/gamma trusted_by","444455556666"]'
rm "$TRUST/agents/c.mandate"

case_name "identity moved to an agent trusting a foreign account"
trust_agent agents/a.mandate alpha '
  identity aws role "arn:aws:iam::111122223333:role/alpha"
  grant actions ["s3:*"] on "arn:aws:s3:::alpha/*"'
trust_agent agents/b.mandate beta '
  identity aws role "arn:aws:iam::111122223333:role/beta"
  identity aws role "arn:aws:iam::111122223333:role/shared" {
    trusted_by = "arn:aws:iam::999988887777:root"
  }
  grant actions ["sqs:ReceiveMessage"] on "arn:aws:sqs:us-east-1:111122223333:beta"
  grant actions ["sqs:SendMessage"] on "arn:aws:sqs:us-east-1:111122223333:beta"'
run diff --repo "$TRUST" --format json --fail-on-escalation t1
expect_status 1
expect_jq '[.agents[] | [.name, .change]]' '[["alpha","changed"],["beta","changed"]]'
expect_jq '.agents[] | select(.name == "beta") | .escalations | map([.principal, .kind, .resource])' \
	'[[null,"write","arn:aws:sqs:us-east-1:111122223333:beta"],[null,"trust","arn:aws:iam::111122223333:role/shared"],["arn:aws:iam::111122223333:role/shared","write","arn:aws:sqs:us-east-1:111122223333:beta"]]'
expect_jq '.agents[] | select(.name == "beta") | .identities.added' \
	'["aws role arn:aws:iam::111122223333:role/shared"]'
expect_jq '.agents[] | select(.name == "alpha") | .escalations' '[]'
expect_jq '.escalations | length' '3'

case_name "identity moved with its trust"
trust_agent agents/a.mandate alpha '
  identity aws role "arn:aws:iam::111122223333:role/alpha"
  identity aws role "arn:aws:iam::111122223333:role/shared" {
    trusted_by = "arn:aws:iam::999988887777:root"
  }
  grant actions ["s3:*"] on "arn:aws:s3:::alpha/*"'
trust_agent agents/b.mandate beta '
  identity aws role "arn:aws:iam::111122223333:role/beta"
  grant actions ["sqs:ReceiveMessage"] on "arn:aws:sqs:us-east-1:111122223333:beta"'
git_trust add -A
git_trust commit -q -m "Trust a foreign account"
git_trust tag t2
trust_agent agents/a.mandate alpha '
  identity aws role "arn:aws:iam::111122223333:role/alpha"
  grant actions ["s3:*"] on "arn:aws:s3:::alpha/*"'
trust_agent agents/b.mandate beta '
  identity aws role "arn:aws:iam::111122223333:role/beta"
  identity aws role "arn:aws:iam::111122223333:role/shared" {
    trusted_by = "arn:aws:iam::999988887777:root"
  }
  grant actions ["sqs:ReceiveMessage"] on "arn:aws:sqs:us-east-1:111122223333:beta"'
run diff --repo "$TRUST" --format json --fail-on-escalation t2
expect_status 0
expect_jq '[.agents[].escalations[] | .kind]' '[]'
git_trust checkout -q -- agents

case_name "wildcard widened to the same actions"
sed 's/"s3:\*"/"*"/' "$TRUST/agents/a.mandate" >"$TMP/alpha"
cp "$TMP/alpha" "$TRUST/agents/a.mandate"
run diff --repo "$TRUST" --format json --fail-on-escalation t2
expect_status 0
expect_jq '.agents' '[]'
expect_jq '.escalations' '0'
git_trust checkout -q -- agents

case_name "-o a working-tree spec is rejected"
cp "$TRUST/agents/a.mandate" "$TMP/a.before"
run diff --repo "$TRUST" -o "$TRUST/agents/a.mandate" t1
expect_status 2
expect_err "cannot write '$TRUST/agents/a.mandate': it is the input"
cmp -s "$TMP/a.before" "$TRUST/agents/a.mandate" ||
	fail "diff -o overwrote the spec it read"
(cd "$TRUST/agents" && "$MANDATE" diff -o ./b.mandate t1) >"$out" 2>"$err"
status=$?
expect_status 2
expect_err "cannot write './b.mandate': it is the input"
git_trust diff --quiet || fail "diff -o changed a tracked file"

case_name "-o - writes to stdout"
run diff --repo "$TRUST" --format json -o - t1 t2
expect_status 0
expect_jq '[.agents[].name]' '["alpha"]'
[ ! -e ./- ] || fail "diff -o - wrote a file named '-'"

case_name "-o FILE writes the report"
run diff --repo "$TRUST" --format json -o "$TMP/report.json" t1 t2
expect_status 0
expect_eq "$(jq -c '[.agents[].name]' "$TMP/report.json")" '["alpha"]' \
	"the agents in the -o file"

# A repository whose main gained a grant after the feature branch left
# it: comparing the tips shows that grant as a change of the branch.
MB=$TMP/merge-base
git_mb() {
	git -C "$MB" "$@" >/dev/null 2>&1 || fail "git $* failed"
}
mkdir -p "$MB"
git init -q -b main "$MB"
REPO=$MB write_agent mb.mandate mb mb bob@example.com '
  grant actions ["sqs:ReceiveMessage"] on "arn:aws:sqs:us-east-1:111122223333:mb"'
git_mb add -A
git_mb commit -q -m "First agent"
git_mb tag fork-point
git_mb checkout -q -b feature
REPO=$MB write_agent mb.mandate mb mb carol@example.com '
  grant actions ["sqs:ReceiveMessage"] on "arn:aws:sqs:us-east-1:111122223333:mb"'
git_mb commit -q -a -m "New business owner"
git_mb checkout -q main
REPO=$MB write_agent mb.mandate mb mb bob@example.com '
  grant actions ["sqs:ReceiveMessage"] on "arn:aws:sqs:us-east-1:111122223333:mb"

  grant actions ["sqs:DeleteQueue"] on "arn:aws:sqs:us-east-1:111122223333:mb" {
    because = "Cleans up"
  }'
git_mb commit -q -a -m "Grant a delete on main"
git_mb checkout -q feature
fork=$(git -C "$MB" rev-parse fork-point)

case_name "branch tips show main's grant as removed"
run diff --repo "$MB" --format json main feature
expect_status 0
expect_jq '[.agents[].removed[]?.action]' '["sqs:DeleteQueue"]'

case_name "--merge-base compares from the fork point"
run diff --repo "$MB" --format json --merge-base --fail-on-escalation \
	main feature
expect_status 0
expect_jq '.base_commit' "\"$fork\""
expect_jq '.base' "\"$(echo "$fork" | cut -c1-12) (merge base of main and feature)\""
expect_jq '[.agents[] | [.name, .change]]' '[["mb","changed"]]'
expect_jq '[.agents[].removed[]?.action]' '[]'
expect_jq '[.agents[].fields[].to]' '["carol@example.com"]'

case_name "--merge-base with the working tree"
run diff --repo "$MB" --format json --merge-base main
expect_status 0
expect_jq '.base_commit' "\"$fork\""
expect_jq '[.agents[].removed[]?.action]' '[]'
expect_jq '[.agents[].fields[].to]' '["carol@example.com"]'

case_name "--merge-base on the reverse side escalates"
run diff --repo "$MB" --merge-base --fail-on-escalation feature main
expect_status 1
expect_out "merge base of feature and main"
expect_out "sqs:DeleteQueue"

case_name "--merge-base without a common ancestor"
git_mb checkout -q --orphan lone
git_mb commit -q -m "Unrelated history"
run diff --repo "$MB" --merge-base main lone
expect_status 2
expect_err "error: 'main' and 'lone' have no merge base: no commit is an ancestor of both"
git_mb checkout -q -f feature

case_name "--merge-base with a tree"
run diff --repo "$MB" --merge-base "main^{tree}" feature
expect_status 2
expect_err "error: --merge-base needs commits, but 'main^{tree}' names a tree"

case_name "HEAD@{N} reads the reflog of HEAD"
git_mb checkout -q main
git_mb checkout -q feature
main_id=$(git -C "$MB" rev-parse main)
expect_eq "$(git -C "$MB" rev-parse 'HEAD@{1}')" "$main_id" "git's HEAD@{1}"
run diff --repo "$MB" --format json 'HEAD@{1}' feature
expect_status 0
expect_jq '.base_commit' "\"$main_id\""
run diff --repo "$MB" --format json feature 'HEAD@{1}'
expect_status 0
expect_jq '.head_commit' "\"$main_id\""
head2=$(git -C "$MB" rev-parse 'HEAD@{2}')
run diff --repo "$MB" --format json 'HEAD@{2}' feature
expect_status 0
expect_jq '.base_commit' "\"$head2\""
run diff --repo "$MB" --format json 'HEAD@{1}~1' feature
expect_status 0
expect_jq '.base_commit' "\"$(git -C "$MB" rev-parse 'HEAD@{1}~1')\""

case_name "HEAD@{N} past the reflog"
entries=$(git -C "$MB" reflog show HEAD | wc -l | tr -d ' ')
run diff --repo "$MB" "HEAD@{$((entries + 1))}" feature
expect_status 2
expect_err "error: revision 'HEAD@{$((entries + 1))}' is not in the repository at '$MB': the reflog of HEAD has only $entries entries"

case_name "reflog dates are rejected"
run diff --repo "$MB" 'HEAD@{yesterday}' feature
expect_status 2
expect_err "error: revision 'HEAD@{yesterday}' selects a reflog entry by date, which diff does not resolve; give the commit id that git rev-parse 'HEAD@{yesterday}' prints"
run diff --repo "$MB" main 'main@{1 hour ago}'
expect_status 2
expect_err "error: revision 'main@{1 hour ago}' selects a reflog entry by date"

case_name "HEAD past the history"
run diff --repo "$MB" main~1 HEAD~5
expect_status 2
expect_err "error: revision 'HEAD~5' is not in the repository at '$MB': the history of 'HEAD' is shorter than that"
expect_no_err "neither a revision nor a path"

case_name "a parent the commit lacks"
run diff --repo "$MB" 'HEAD^2'
expect_status 2
expect_err "error: revision 'HEAD^2' is not in the repository at '$MB': commit 'HEAD' has only one parent"
merge=$(git -C "$MB" commit-tree -p feature -p main -m "Merge main" \
	'feature^{tree}') || fail "git commit-tree of a merge failed"
git_mb branch merged "$merge"
run diff --repo "$MB" 'merged^3'
expect_status 2
expect_err "error: revision 'merged^3' is not in the repository at '$MB': commit 'merged' has only 2 parents"
run diff --repo "$MB" main 'merged~1^2'
expect_status 2
expect_err "error: revision 'merged~1^2' is not in the repository at '$MB': commit 'merged~1' has only one parent"
run diff --repo "$MB" --format json 'merged^2' feature
expect_status 0
expect_jq '.base_commit' "\"$main_id\""
run diff --repo "$MB" 'fork-point^2'
expect_status 2
expect_err "the history of 'fork-point' is shorter than that"
git_mb branch -D merged

case_name "@{u} of a branch without upstream"
run diff --repo "$MB" '@{u}'
expect_status 2
expect_err "error: revision '@{u}' names the upstream of branch 'feature', which has no upstream; set one with git branch --set-upstream-to=REMOTE/BRANCH feature"
expect_no_err "config value"
run diff --repo "$MB" main 'main@{upstream}'
expect_status 2
expect_err "error: revision 'main@{upstream}' names the upstream of branch 'main', which has no upstream"
git_mb checkout -q --detach
run diff --repo "$MB" 'HEAD@{u}'
expect_status 2
expect_err "error: revision 'HEAD@{u}' names the upstream of the current branch, but HEAD is not on a branch"
git_mb checkout -q feature

case_name "several --format -o pairs write each report"
rm -f "$TMP/report.json" "$TMP/report.md"
run diff --repo "$TRUST" --format json -o "$TMP/report.json" \
	--format markdown -o "$TMP/report.md" --format text t1 t2
expect_status 0
expect_eq "$(jq -c '[.agents[].name]' "$TMP/report.json")" '["alpha"]' \
	"the agents in the json report"
grep -q '^##* ' "$TMP/report.md" || fail "no markdown heading in report.md"
grep -qF 'alpha' "$TMP/report.md" || fail "report.md does not name alpha"
expect_out "alpha"
expect_no_out '"agents"'

case_name "several reports: usage errors"
run diff --repo "$TRUST" --format json -o "$TMP/a.json" -o "$TMP/b.json" t1 t2
expect_status 2
expect_err "-o '$TMP/a.json' and -o '$TMP/b.json' are both for --format json"
run diff --repo "$TRUST" --format json --format text t1 t2
expect_status 2
expect_err "reports 'json' and 'text' would both go to stdout"
run diff --repo "$TRUST" --format json -o "$TMP/same" --format text \
	-o "$TMP/./same" t1 t2
expect_status 2
expect_err "are the same file"
[ ! -e "$TMP/same" ] || fail "a usage error wrote a report"

case_name "several reports: a failed write keeps none"
rm -f "$TMP/report.json"
run diff --repo "$TRUST" --format json -o "$TMP/report.json" \
	--format text -o "$TMP/no-such-dir/report.txt" t1 t2
expect_status 2
[ ! -e "$TMP/report.json" ] || fail "the json report was written alone"

case_name "third revision is rejected"
run diff --repo "$TRUST" t1 t2 t1
expect_status 2
expect_err "error: 't1' is a third revision, but diff compares two: BASE and HEAD ('t1' and 't2')"
expect_no_err "neither a revision nor a path"
run diff --repo "$TRUST" t1 t2 nosuch
expect_status 2
expect_err "'nosuch' is neither a revision nor a path"

case_name "PATH with '..' leaving the repository"
run diff --repo "$TRUST" t1 -- ../../etc/passwd
expect_status 2
expect_err "PATH '../../etc/passwd' leaves the repository"
run diff --repo "$TRUST" t1 t2 -- agents/../../trust/agents
expect_status 2
expect_err "PATH 'agents/../../trust/agents' leaves the repository"
run diff --repo "$TRUST" --format json t1 t2 -- agents/../agents/a.mandate
expect_status 0
expect_jq '[.agents[].name]' '["alpha"]'

case_name "symbolic links in the working tree"
mkdir -p "$TMP/outside"
cat >"$TMP/outside/evil.mandate" <<'EOF'
agent "evil" {
  kind = workload
  identity aws role "arn:aws:iam::111122223333:role/evil" {
    trusted_by = "*"
  }
}
EOF
ln -s /etc/passwd "$TRUST/agents/pw.mandate"
ln -s "$TMP/outside" "$TRUST/linked"
ln -s "$TMP/outside" "$TRUST/agents/out"
run diff --repo "$TRUST" --format json t2
expect_status 0
expect_jq '.agents' '[]'
expect_err "warning: skipping symbolic link 'agents/pw.mandate' in the working tree"
expect_err "warning: skipping symbolic link 'linked' in the working tree"
expect_err "warning: skipping symbolic link 'agents/out' in the working tree"
run diff --repo "$TRUST" t2 -- agents/pw.mandate
expect_status 2
expect_err "PATH 'agents/pw.mandate' resolves outside the repository"
run diff --repo "$TRUST" t2 -- linked/evil.mandate
expect_status 2
expect_err "PATH 'linked/evil.mandate' resolves outside the repository"
ln -s a.mandate "$TRUST/agents/inside.mandate"
run diff --repo "$TRUST" --format json t2 -- agents
expect_status 0
expect_jq '.agents' '[]'
expect_err "warning: skipping symbolic link 'agents/inside.mandate' in the working tree"
rm "$TRUST/agents/pw.mandate" "$TRUST/agents/out" "$TRUST/linked" \
	"$TRUST/agents/inside.mandate"

case_name "a hook or filter in the repository never runs"
[ ! -e "$TMP/hook-ran" ] || fail "a git hook ran"
[ ! -e "$TMP/filter-ran" ] || fail "a filter ran"

case_name "a side that does not compile"
run diff --repo "$REPO" v1 broken
expect_status 2
expect_err "broken:agents/broken.mandate:2:9: error: missing a value after '='"
expect_err "note: the specs at revision 'broken' do not compile"
expect_no_err "compare one by naming its directories"

case_name "many errors keep the closing notes"
MANY=$TMP/many
mkdir -p "$MANY/specs"
git init -q -b main "$MANY"
git -C "$MANY" commit -q --allow-empty -m "No specs" >/dev/null 2>&1 ||
	fail "git commit of no specs failed"
git -C "$MANY" tag empty
for i in $(seq 1 25); do
	printf 'agent "a%s" {\n  kind = workload\n  bogus = 1\n}\n' "$i"
done >"$MANY/specs/a.mandate"
git -C "$MANY" add -A >/dev/null 2>&1
git -C "$MANY" commit -q -m "Unknown fields" >/dev/null 2>&1 ||
	fail "git commit of the unknown fields failed"
run diff --repo "$MANY" HEAD
expect_status 2
expect_err "too many errors, stopping after 20"
expect_err "note: the specs at revision 'HEAD' do not compile"
expect_no_err "compare one by naming its directories"
git -C "$MANY" rm -q specs/a.mandate >/dev/null 2>&1
for i in $(seq 1 25); do
	mkdir -p "$MANY/team-$i"
	printf 'gate {\n  fail_on = high\n}\n' >"$MANY/team-$i/gate.mandate"
done
git -C "$MANY" add -A >/dev/null 2>&1
git -C "$MANY" commit -q -m "A gate per team" >/dev/null 2>&1 ||
	fail "git commit of the gates failed"
run diff --repo "$MANY" HEAD
expect_status 2
expect_err "too many errors, stopping after 20"
expect_err "note: the specs at revision 'HEAD' do not compile"
expect_err "note: diff compiles every spec of the repository as one unit"
rm "$MANY"/team-*/gate.mandate
REPO=$MANY write_agent team-1/dup.mandate dup dup bob@example.com ''
REPO=$MANY write_agent team-2/dup.mandate dup dup2 bob@example.com ''
run diff --repo "$MANY" empty -- team-1 team-2
expect_status 2
expect_err "note: the specs in the working tree do not compile"
expect_no_err "diff compiles every spec of the repository as one unit"
run diff --repo "$MANY" empty
expect_status 2
expect_err "duplicate agent name 'dup'"
expect_err "note: the specs in the working tree do not compile"
expect_err "note: diff compiles every spec of the repository as one unit"

case_name "working-tree messages name relative paths"
(cd "$MANY" && "$MANDATE" diff empty >"$out" 2>"$err")
expect_err "team-2/dup.mandate:1:7: error: duplicate agent name 'dup'"
expect_no_err "$MANY/"
(cd "$MANY/team-1" && "$MANDATE" diff empty >"$out" 2>"$err")
expect_err "../team-2/dup.mandate:1:7: error: duplicate agent name 'dup'"
(cd "$MANY/team-2" && "$MANDATE" diff empty >"$out" 2>"$err")
expect_err "
dup.mandate:1:7: error: duplicate agent name 'dup'"
run diff --repo "$MANY" empty
expect_err "$MANY/team-2/dup.mandate:1:7: error: duplicate agent name 'dup'"

case_name "repository without commits"
git init -q -b main "$TMP/no-commits"
run diff --repo "$TMP/no-commits" HEAD
expect_status 2
expect_err "error: revision 'HEAD' is not in the repository at '$TMP/no-commits', which has no commits yet; commit the specs first"

case_name "markdown escapes backslashes"
BS=$TMP/backslash
mkdir -p "$BS"
git init -q -b main "$BS"
printf 'gate {\n  owner_pattern = "^[a-z.]+@example\\\\.com$"\n}\n' \
	>"$BS/gate.mandate"
REPO=$BS write_agent a.mandate a a bob@example.com ''
git -C "$BS" add -A >/dev/null 2>&1
git -C "$BS" commit -q -m "Gate" >/dev/null 2>&1 || fail "git commit failed"
sed 's/com\$/org$/' "$BS/gate.mandate" >"$TMP/gate.bs"
cp "$TMP/gate.bs" "$BS/gate.mandate"
run diff --repo "$BS" --format markdown HEAD
expect_status 0
expect_out "'^\[a-z.]+@example\\\\.com\$' -> '^\[a-z.]+@example\\\\.org\$'"


case_name "a revision not in the repository"
run diff --repo "$REPO" mian
expect_status 2
expect_err "revision 'mian' is not in the repository"
expect_err "did you mean 'main'?"

case_name "a range is not a revision"
run diff --repo "$REPO" v1..HEAD
expect_status 2
expect_err "error: revision 'v1..HEAD' is a range, which diff does not accept; give BASE and HEAD as two arguments: mandate diff v1 HEAD"
grep -q "unknown libgit2 error" "$err" && fail "a range gave an unknown libgit2 error"
run diff --repo "$REPO" v1 v1..HEAD
expect_status 2
expect_err "error: revision 'v1..HEAD' is a range, which diff does not accept"
run diff --repo "$REPO" v1...feature
expect_status 2
expect_err "mandate diff v1 feature"
expect_err "give the merge base: mandate diff \$(git merge-base v1 feature) feature"

case_name "history shorter than the revision"
run diff --repo "$REPO" main~5
expect_status 2
expect_err "error: revision 'main~5' is not in the repository at '$REPO': the history of 'main' is shorter than that"

case_name "misspelt HEAD is not a path"
run diff --repo "$REPO" v1 HAED
expect_status 2
expect_err "error: 'HAED' is neither a revision nor a path in the repository at '$REPO'"
expect_err "note: did you mean 'HEAD'?"
run diff --repo "$REPO" v1 v2 agents/nowhere.mandate
expect_status 2
expect_err "error: 'agents/nowhere.mandate' is neither a revision nor a path"
run diff --repo "$REPO" --format json v1 v2 -- agents/nowhere.mandate
expect_status 2
expect_err "no agent specs found at either side under the paths given"

case_name "a name that is a branch and a path"
git_repo branch agents v1
run diff --repo "$REPO" agents
expect_status 2
expect_err "error: 'agents' is both a revision and a path in the working tree"
expect_err "note: put '--' after the revisions to say which: mandate diff BASE [HEAD] -- PATH..."
run diff --repo "$REPO" v1 agents
expect_status 2
expect_err "error: 'agents' is both a revision and a path in the working tree"
run diff --repo "$REPO" --format json v1 agents --
expect_status 0
expect_jq '[.head, (.agents | length)]' '["agents",0]'
run diff --repo "$REPO" --format json v1 v2 -- agents
expect_status 0
expect_jq '[.head, (.agents | length)]' '["v2",4]'
run diff --repo "$REPO" --format json v1 -- agents
expect_status 0
expect_jq '.head' 'null'
git_repo branch -D agents

case_name "a shallow clone lacks BASE"
git clone -q --depth 1 --branch feature "file://$REPO" "$TMP/shallow" \
	>/dev/null 2>&1 || fail "git clone --depth 1 failed"
run diff --repo "$TMP/shallow" origin/main
expect_status 2
expect_err "revision 'origin/main' is not in the repository"
expect_err "git fetch origin main:refs/remotes/origin/main"
expect_err "git fetch --unshallow"
run diff --repo "$TMP/shallow" HEAD~1 HEAD
expect_status 2
expect_err "error: revision 'HEAD~1' is not in the repository at '$TMP/shallow': it is older than the commits this shallow clone fetched"
expect_err "git fetch --unshallow, or in CI check out with a fetch depth of 0"
run diff --repo "$TMP/shallow" origin/featrue
expect_status 2
expect_err "error: revision 'origin/featrue' is not in the repository"
expect_err "note: did you mean 'origin/feature'?"
expect_no_err "git fetch origin"
run diff --repo "$TMP/shallow" origin/mian
expect_status 2
expect_err "error: revision 'origin/mian' is not in the repository at '$TMP/shallow'"
expect_err "note: to fetch 'origin/mian' from remote 'origin': git fetch origin mian:refs/remotes/origin/mian"
git -C "$TMP/shallow" fetch -q --depth 1 origin main:refs/remotes/origin/main \
	>/dev/null 2>&1 || fail "git fetch of main into the shallow clone failed"
run diff --repo "$TMP/shallow" origin/mian
expect_status 2
expect_err "note: did you mean 'origin/main'?"
expect_no_err "git fetch origin"
run diff --repo "$TMP/shallow" --format json origin/main
expect_status 0
expect_jq '[.agents[].name]' '["digest","etl-loader","old-bot","shipper"]'

case_name "a shallow clone lacks the merge base"
git clone -q --depth 1 --branch feature "file://$MB" "$TMP/shallow-mb" \
	>/dev/null 2>&1 || fail "git clone --depth 1 of $MB failed"
git -C "$TMP/shallow-mb" fetch -q --depth 1 origin \
	main:refs/remotes/origin/main >/dev/null 2>&1 ||
	fail "git fetch of main into the shallow clone failed"
run diff --repo "$TMP/shallow-mb" --merge-base origin/main HEAD
expect_status 2
expect_err "error: cannot find the merge base of 'origin/main' and 'HEAD': it is not in this shallow clone, whose history stops before the two meet"
expect_err "git fetch --unshallow, or in CI check out with a fetch depth of 0"
expect_no_err "object not found"

case_name "a bare repository has no working tree"
git clone -q --bare "$REPO" "$TMP/bare.git" >/dev/null 2>&1 ||
	fail "git clone --bare failed"
run diff --repo "$TMP/bare.git" --format json v1 v2
expect_status 0
expect_jq '[.agents[].name]' '["digest","etl-loader","old-bot","shipper"]'
run diff --repo "$TMP/bare.git" v1
expect_status 2
expect_err "has no working tree; name the HEAD revision to compare with"

# A third repository for repository-wide definitions, kept apart from
# the agents: like check's directories, the PATHs name the whole unit.
POLICY=$TMP/policy
git_policy() {
	git -C "$POLICY" "$@" >/dev/null 2>&1 || fail "git $* failed"
}
mkdir -p "$POLICY/agents" "$POLICY/policy"
git init -q -b main "$POLICY"
REPO=$POLICY write_agent agents/reader.mandate reader reader bob@example.com '
  grant actions ["s3:GetObject"] on "arn:aws:s3:::fernbrook-reports/*"'
cat >"$POLICY/policy/gate.mandate" <<'EOF'
gate {
  fail_on = high
}

resource "payments" {
  match       = ["arn:aws:s3:::payments/*"]
  sensitivity = restricted
}

escalation "local-001" {
  description = "rewrites its own policy"
  requires    = ["iam:PutRolePolicy"]
}
EOF
git_policy add -A
git_policy commit -q -m base
git_policy tag p1
cat >"$POLICY/policy/gate.mandate" <<'EOF'
gate {
  fail_on = critical
}
EOF
git_policy commit -q -a -m relax
git_policy tag p2

case_name "unit: relaxed gate, class and path"
run diff --repo "$POLICY" --format json p1 p2 -- agents/reader.mandate policy
expect_status 0
expect_jq '[.unit[] | [.kind, .name, .field, .before, .after, .escalation]]' \
	'[["gate","gate","fail_on","high","critical",true],["resource","payments",null,"restricted",null,true],["escalation","local-001",null,"iam:PutRolePolicy",null,true]]'
expect_jq '.escalations' '3'
expect_jq '.agents' '[]'
run diff --repo "$POLICY" --format json p2 p1 -- agents/ policy
expect_status 0
expect_jq '[.unit[] | [.kind, .name, .field, .before, .after, .escalation]]' \
	'[["gate","gate","fail_on","critical","high",false],["resource","payments",null,null,"restricted",false],["escalation","local-001",null,null,"iam:PutRolePolicy",false]]'
expect_jq '.escalations' '0'

case_name "unit: PATHs leave out specs outside them"
run diff --repo "$POLICY" --format json p1 p2 -- agents/
expect_status 0
expect_jq '.unit' '[]'
expect_jq '.escalations' '0'

case_name "unit: text and markdown"
run diff --repo "$POLICY" --fail-on-escalation p1 p2 -- agents/ policy/
expect_status 1
expect_out "unit: gate fail_on: 'high' -> 'critical'"
expect_out "  escalation [gate]: gate fail_on relaxed from high to critical, so fewer findings fail the gate"
expect_out "unit: resource class 'payments' removed (was 'restricted')"
expect_out "  escalation [resource]: restricted resource class 'payments' removed"
expect_out "unit: escalation path 'local-001' removed (was 'iam:PutRolePolicy')"
expect_out "  escalation [escalation-path]: escalation path 'local-001' removed"
expect_no_out "escalation [unit]"
run diff --repo "$POLICY" --format markdown p1 p2
expect_status 0
expect_out "## Repository-wide changes"
expect_out "- **repository**: restricted resource class 'payments' removed"
expect_out "- resource class 'payments' removed (was 'restricted')"

case_name "widened or narrowed resource"
REPO=$POLICY write_agent agents/reader.mandate reader reader bob@example.com '
  grant actions ["s3:GetObject"] on "arn:aws:s3:::fernbrook-reports/sales/*"'
git_policy commit -q -a -m narrow
git_policy tag p3
run diff --repo "$POLICY" --format json p3 p2 -- agents/
expect_status 0
expect_jq '.agents[] | [.name, ([.added[].resource]), ([.removed[].resource])]' \
	'["reader",["arn:aws:s3:::fernbrook-reports/*"],[]]'
run diff --repo "$POLICY" --format json p2 p3 -- agents/
expect_status 0
expect_jq '.agents[] | [.name, ([.added[].resource]), ([.removed[].resource])]' \
	'["reader",[],["arn:aws:s3:::fernbrook-reports/*"]]'
expect_jq '.escalations' '0'

# A fourth repository for the working tree as git sees it: ignored
# files, a nested repository, a nested worktree and a submodule hold
# specs that must not be read, and untracked specs that git does not
# ignore must be.
WT=$TMP/worktree
git_wt() {
	git -C "$WT" "$@" >/dev/null 2>&1 || fail "git $* failed"
}
mkdir -p "$WT/agents"
git init -q -b main "$WT"
REPO=$WT write_agent agents/kept.mandate kept kept bob@example.com '
  grant actions ["sqs:ReceiveMessage"] on "arn:aws:sqs:us-east-1:111122223333:kept"'
git_wt add -A
git_wt commit -q -m base
git_wt tag w1
printf 'scratch/\n*.local.mandate\nkept.mandate\n' >"$WT/.gitignore"
printf 'private.mandate\n' >>"$WT/.git/info/exclude"
mkdir -p "$WT/scratch"
REPO=$WT write_agent scratch/evil.mandate evil evil bob@example.com '
  grant actions ["iam:*"] on "*"'
REPO=$WT write_agent agents/mine.local.mandate local local bob@example.com '
  grant actions ["s3:*"] on "*"'
REPO=$WT write_agent agents/private.mandate private private bob@example.com '
  grant actions ["s3:*"] on "*"'
git init -q -b main "$WT/nested"
mkdir -p "$WT/nested/agents"
REPO=$WT write_agent nested/agents/other.mandate other other bob@example.com '
  grant actions ["s3:*"] on "*"'
git -C "$WT/nested" add -A >/dev/null 2>&1
git -C "$WT/nested" commit -q -m nested >/dev/null 2>&1 ||
	fail "git commit in the nested repository failed"
git_wt worktree add -q "$WT/linked-tree" w1
git clone -q "$WT/nested" "$TMP/sub-origin" >/dev/null 2>&1 ||
	fail "git clone of the submodule's origin failed"
git_wt -c protocol.file.allow=always submodule add -q "$TMP/sub-origin" sub
git_wt commit -q -m "Add a submodule"
git_wt tag w2
REPO=$WT write_agent agents/kept.mandate kept kept carol@example.com '
  grant actions ["sqs:ReceiveMessage"] on "arn:aws:sqs:us-east-1:111122223333:kept"'
REPO=$WT write_agent agents/new.mandate new new bob@example.com '
  grant actions ["sqs:ReceiveMessage"] on "arn:aws:sqs:us-east-1:111122223333:new"'

case_name "working tree: ignored and nested specs are not read"
run diff --repo "$WT" --format json w2
expect_status 0
expect_jq '[.agents[] | [.name, .change]]' '[["kept","changed"],["new","added"]]'
expect_jq '.agents[] | select(.name == "kept") | .fields' \
	'[{"field":"owner.business","from":"bob@example.com","to":"carol@example.com"}]'
expect_jq '.escalations' '0'
[ -s "$err" ] && fail "diff wrote to stderr: $(cat "$err")"

case_name "working tree: an ignored directory named as a PATH"
run diff --repo "$WT" --format json w2 -- scratch
expect_status 2
expect_err "error: PATH 'scratch' is ignored by git, so diff does not read it"
expect_no_err "no agent specs found"

case_name "working tree: an ignored spec named as a PATH"
run diff --repo "$WT" --format json w2 -- scratch/evil.mandate
expect_status 2
expect_err "error: PATH 'scratch/evil.mandate' is ignored by git, so diff does not read it"
run diff --repo "$WT" --format json w2 -- agents/private.mandate
expect_status 2
expect_err "error: PATH 'agents/private.mandate' is ignored by git"
[ -s "$out" ] && fail "diff wrote a report: $(cat "$out")"

case_name "working tree: a spec inside a nested repository"
run diff --repo "$WT" --format json w2 -- nested/agents/other.mandate
expect_status 2
expect_err "error: PATH 'nested/agents/other.mandate' is inside 'nested', another git repository"
[ -s "$out" ] && fail "diff wrote a report: $(cat "$out")"
run diff --repo "$WT" --format json w2 -- nested/agents
expect_status 2
expect_err "error: PATH 'nested/agents' is inside 'nested', another git repository"

case_name "working tree: nested repositories named as PATHs"
for dir in nested sub linked-tree; do
	run diff --repo "$WT" --format json w2 -- "$dir"
	expect_status 2
	expect_err "error: PATH '$dir' is another git repository (a nested repository, submodule or worktree), which diff does not read"
	expect_no_err "no agent specs found"
done
run diff --repo "$WT" --format json w2 -- sub/agents/other.mandate
expect_status 2
expect_err "error: PATH 'sub/agents/other.mandate' is inside 'sub', another git repository"

case_name "huge spec in the working tree"
truncate -s 20M "$WT/agents/huge.mandate"
run diff --repo "$WT" w2
expect_status 2
expect_err "error: 'agents/huge.mandate' in the working tree is 20971520 bytes, larger than the limit of 8388608 bytes for a spec file"
mv "$WT/agents/huge.mandate" "$WT/scratch/huge.mandate"
run diff --repo "$WT" --format json w2
expect_status 0
rm "$WT/scratch/huge.mandate"

case_name "huge spec at a revision is not inflated"
head -c 9000000 /dev/zero | tr '\0' '#' >"$WT/agents/huge.mandate"
git_wt add -f agents/huge.mandate
git_wt commit -q -m "Add a huge spec"
git_wt tag w3
huge_id=$(git -C "$WT" rev-parse w3:agents/huge.mandate)
huge_object=$WT/.git/objects/$(echo "$huge_id" | cut -c1-2)/$(echo "$huge_id" | cut -c3-)
# Replace the loose object with a zlib stream that holds only the object
# header in a stored block: its size can be read, its content cannot.
chmod u+w "$huge_object"
printf '\170\001\000\015\000\362\377blob 9000000\000' >"$huge_object"
# libgit2 1.5.1 spins on this stream when asked for the content, so a
# diff that reads the blob ends by the timeout.
timeout 60 "$MANDATE" diff --repo "$WT" w3 w2 >"$out" 2>"$err"
status=$?
expect_status 2
expect_err "error: 'agents/huge.mandate' at 'w3' is 9000000 bytes, larger than the limit of 8388608 bytes for a spec file"
git_wt rm -q --cached agents/huge.mandate
rm -f "$WT/agents/huge.mandate"

case_name "--color always, never and auto"
run diff --repo "$REPO" --color always v1 v2
expect_status 0
esc=$(printf '\033')
grep -q "$esc\[1;31mescalation \[write\]:$esc\[0m" "$out" ||
	fail "--color always gave no coloured escalation"
grep -q "^  $esc\[32m+ s3:PutObject on arn:aws:s3:::reports/\*$esc\[0m$" "$out" ||
	fail "--color always gave no green added permission"
run diff --repo "$REPO" --color never v1 v2
expect_status 0
grep -q "$esc" "$out" && fail "--color never wrote an escape"
run diff --repo "$REPO" v1 v2
expect_status 0
grep -q "$esc" "$out" && fail "--color auto wrote an escape into a pipe"
run diff --repo "$REPO" --color always --format json v1 v2
expect_status 0
grep -q "$esc" "$out" && fail "--color always wrote an escape into JSON"
run diff --repo "$REPO" --color sometimes v1 v2
expect_status 2
expect_err "invalid --color 'sometimes'; expected auto, always or never"

# A fifth repository for controls that widen access without a grant:
# boundary, keys, rotation, session, audit, expiry, review and kind.
CTRL=$TMP/controls
git_ctrl() {
	git -C "$CTRL" "$@" >/dev/null 2>&1 || fail "git $* failed"
}
# Write the agent "keeper" of kind $1 with the credentials, audit,
# review, expires and identity lines in $2.
ctrl_agent() {
	cat >"$CTRL/agents/keeper.mandate" <<EOF
agent "keeper" {
  kind        = $1
  description = "An agent of the control tests"
  owner {
    technical = "alice@example.com"
    business  = "bob@example.com"
  }
  justification = "Keeps the nightly exports of the test systems"
$2
  grant actions ["sqs:ReceiveMessage"] on "arn:aws:sqs:us-east-1:111122223333:keeper"
}
EOF
}
mkdir -p "$CTRL/agents"
git init -q -b main "$CTRL"
ctrl_agent ai_agent '
  review      { every = 90d  last = 2026-11-02  by = "bob@example.com" }
  expires     = 2027-11-01
  credentials { rotate = 30d  session = 1h  long_lived_keys = false }
  audit       { decisions = required  context = [task, user] }
  identity aws role "arn:aws:iam::111122223333:role/keeper" {
    boundary = "arn:aws:iam::111122223333:policy/agent-boundary"
  }
  identity aws role "arn:aws:iam::111122223333:role/keeper-batch"'
git_ctrl add -A
git_ctrl commit -q -m "Keeper with its controls"
git_ctrl tag c1

case_name "weakened controls are escalations"
ctrl_agent service_account '
  review      { every = 180d  last = 2026-11-02  by = "bob@example.com" }
  expires     = 2028-11-01
  credentials { rotate = 90d  session = 12h  long_lived_keys = true }
  audit       { decisions = optional  context = [task] }
  identity aws role "arn:aws:iam::111122223333:role/keeper"
  identity aws role "arn:aws:iam::111122223333:role/keeper-batch"'
run diff --repo "$CTRL" --format json --fail-on-escalation c1
expect_status 1
expect_jq '[.agents[] | [.name, .change]]' '[["keeper","changed"]]'
expect_jq '.agents[0].escalations | map(.kind)' \
	'["boundary","long-lived-keys","rotation","session","audit","audit","expiry","review","kind"]'
expect_jq '.agents[0].escalations | map(select(.kind == "boundary")) | .[0] | [.resource, .message]' \
	'["arn:aws:iam::111122223333:role/keeper","permissions boundary '"'"'arn:aws:iam::111122223333:policy/agent-boundary'"'"' removed from '"'"'arn:aws:iam::111122223333:role/keeper'"'"'"]'
expect_jq '.agents[0].escalations | map(select(.kind == "session")) | .[0].message' \
	'"sessions may now last longer: credentials.session 1h -> 12h"'
expect_jq '.agents[0].escalations | map(select(.kind == "audit")) | map(.message)' \
	'["decision logging weakened: audit.decisions required -> optional","logged decisions no longer need context field '"'"'user'"'"'"]'
expect_jq '.escalations' '9'
run diff --repo "$CTRL" c1
expect_out "  escalation [long-lived-keys]: long-lived access keys no longer forbidden: credentials.long_lived_keys false -> true"
expect_out "  escalation [rotation]: access keys may now go longer without rotation: credentials.rotate 30d -> 90d"
expect_out "  escalation [expiry]: access now expires later: expires 2027-11-01 -> 2028-11-01"
expect_out "  escalation [review]: reviews now fall due less often: review.every 90d -> 180d"
expect_out "  escalation [kind]: kind changed from ai_agent to service_account"

case_name "removed controls are escalations"
ctrl_agent ai_agent '
  identity aws role "arn:aws:iam::111122223333:role/keeper" {
    boundary = "arn:aws:iam::111122223333:policy/wider-boundary"
  }
  identity aws role "arn:aws:iam::111122223333:role/keeper-batch"'
run diff --repo "$CTRL" --format json --fail-on-escalation c1
expect_status 1
expect_jq '.agents[0].escalations | map(.kind)' \
	'["boundary","long-lived-keys","rotation","session","audit","audit","audit","expiry","review"]'
expect_jq '.agents[0].escalations | map(select(.kind == "audit")) | .[0].message' \
	'"decision logging weakened: audit.decisions required -> unset"'
expect_jq '.agents[0].escalations | map(.message) | .[0:4]' \
	'["permissions boundary of '"'"'arn:aws:iam::111122223333:role/keeper'"'"' replaced: '"'"'arn:aws:iam::111122223333:policy/agent-boundary'"'"' -> '"'"'arn:aws:iam::111122223333:policy/wider-boundary'"'"', which may allow more","long-lived access keys no longer forbidden: credentials.long_lived_keys false -> unset","access keys no longer need rotation: credentials.rotate 30d removed","sessions no longer have a maximum length: credentials.session 1h removed"]'
expect_jq '.agents[0].escalations | map(select(.kind == "expiry" or .kind == "review")) | map(.message)' \
	'["access no longer expires: expires 2027-11-01 removed","the agent no longer has a review cadence: review.every 90d removed"]'

case_name "narrowed controls are not escalations"
ctrl_agent ai_agent '
  review      { every = 30d  last = 2026-11-02  by = "bob@example.com" }
  expires     = 2027-06-01
  credentials { rotate = 7d  session = 30m  long_lived_keys = false }
  audit       { decisions = required  context = [task, user, request_id] }
  identity aws role "arn:aws:iam::111122223333:role/keeper" {
    boundary = "arn:aws:iam::111122223333:policy/agent-boundary"
  }
  identity aws role "arn:aws:iam::111122223333:role/keeper-batch" {
    boundary = "arn:aws:iam::111122223333:policy/agent-boundary"
  }'
run diff --repo "$CTRL" --format json --fail-on-escalation c1
expect_status 0
expect_jq '[.agents[] | [.name, .change]]' '[["keeper","changed"]]'
expect_jq '.agents[0].escalations' '[]'
expect_jq '.agents[0].fields | map(.field)' \
	'["expires","review.every","credentials.rotate","credentials.session","audit.context","identity arn:aws:iam::111122223333:role/keeper-batch boundary"]'
expect_jq '.escalations' '0'
git_ctrl checkout -q -- agents

case_name "gate limits raised and waivers added"
cat >"$CTRL/agents/gate.mandate" <<'EOF'
gate {
  max_rotation        = 365d
  max_review_interval = 365d
}

waive MND104 for "keeper" {
  until    = 2027-01-01
  reason   = "A second owner joins in January"
  approver = "carol@example.com"
}
EOF
run diff --repo "$CTRL" --format json --fail-on-escalation c1
expect_status 1
expect_jq '[.unit[] | [.kind, .name, .field, .before, .after, .escalation]]' \
	'[["gate","gate","max_review_interval","180d","365d",true],["gate","gate","max_rotation","90d","365d",true],["waiver","MND104 for '"'"'keeper'"'"'",null,null,"2027-01-01",true]]'
run diff --repo "$CTRL" c1
expect_out "unit: waiver MND104 for 'keeper' added (until '2027-01-01')"
expect_out "  escalation [waiver]: waiver MND104 for 'keeper' added, so its findings stop failing the gate"
git_ctrl add -A
git_ctrl commit -q -m "Relax the gate"
git_ctrl tag c2
sed 's/2027-01-01/2026-12-15/' "$CTRL/agents/gate.mandate" >"$TMP/gate"
cp "$TMP/gate" "$CTRL/agents/gate.mandate"
run diff --repo "$CTRL" --format json --fail-on-escalation c2
expect_status 0
expect_jq '[.unit[] | [.kind, .field, .before, .after, .escalation]]' \
	'[["waiver","until","2027-01-01","2026-12-15",false]]'
git_ctrl checkout -q -- agents

# A sixth repository for pairing agents by identity before name.
PAIR=$TMP/pairing
git_pair() {
	git -C "$PAIR" "$@" >/dev/null 2>&1 || fail "git $* failed"
}
# Write spec file $1 of agent $2 with role $3 and sqs action $4.
pair_agent() {
	cat >"$PAIR/$1" <<EOF
agent "$2" {
  kind        = service_account
  description = "An agent of the pairing tests"
  owner {
    technical = "alice@example.com"
    business  = "bob@example.com"
  }
  justification = "Moves the nightly exports between the test systems"
  identity aws role "arn:aws:iam::111122223333:role/$3"
  grant actions ["sqs:$4"] on "arn:aws:sqs:us-east-1:111122223333:$3"
}
EOF
}
mkdir -p "$PAIR/agents"
git init -q -b main "$PAIR"
pair_agent agents/a.mandate alpha alpha ReceiveMessage
pair_agent agents/b.mandate beta beta SendMessage
git_pair add -A
git_pair commit -q -m "Two agents"
git_pair tag q1

case_name "agents that swap names stay apart"
pair_agent agents/a.mandate beta alpha ReceiveMessage
pair_agent agents/b.mandate alpha beta SendMessage
run diff --repo "$PAIR" --format json --fail-on-escalation q1
expect_status 0
expect_jq '[.agents[] | [.name, .change, .old_name, .renamed_by, .file]]' \
	'[["alpha","changed","beta","identity","agents/b.mandate"],["beta","changed","alpha","identity","agents/a.mandate"]]'
expect_jq '[.agents[].renamed]' '[true,true]'
expect_jq '[.agents[] | .added, .removed, .identities.added, .identities.removed] | flatten' '[]'
expect_jq '.escalations' '0'

case_name "renamed agent whose old name is reused"
pair_agent agents/a.mandate alpha-reader alpha ReceiveMessage
pair_agent agents/c.mandate alpha gamma ReceiveMessage
pair_agent agents/b.mandate beta beta SendMessage
run diff --repo "$PAIR" --format json q1
expect_status 0
expect_jq '[.agents[] | [.name, .change, .old_name]]' \
	'[["alpha","added",null],["alpha-reader","changed","alpha"]]'
expect_jq '.agents[] | select(.name == "alpha-reader") | [.added, .removed]' '[[],[]]'
rm "$PAIR/agents/c.mandate"
git_pair checkout -q -- agents

case_name "agent whose identity is replaced keeps its name"
pair_agent agents/a.mandate alpha delta ReceiveMessage
run diff --repo "$PAIR" --format json q1
expect_status 0
expect_jq '[.agents[] | [.name, .change]]' '[["alpha","changed"]]'
expect_jq '.agents[0].identities' \
	'{"added":["aws role arn:aws:iam::111122223333:role/delta"],"removed":["aws role arn:aws:iam::111122223333:role/alpha"]}'
git_pair checkout -q -- agents

# A seventh repository holding two units, each with its own gate, as
# check compiles each directory named as one unit, and hidden specs.
UNITS=$TMP/units
git_units() {
	git -C "$UNITS" "$@" >/dev/null 2>&1 || fail "git $* failed"
}
mkdir -p "$UNITS/team-a" "$UNITS/team-b" "$UNITS/.github/agents/.old"
git init -q -b main "$UNITS"
for team in a b; do
	REPO=$UNITS write_agent team-$team/$team.mandate $team-bot $team \
		bob@example.com '
  grant actions ["sqs:ReceiveMessage"] on "arn:aws:sqs:us-east-1:111122223333:'$team'"'
	printf 'gate {\n  fail_on = high\n}\n' >"$UNITS/team-$team/gate.mandate"
done
REPO=$UNITS write_agent .github/agents/ci.mandate ci-bot ci bob@example.com ''
REPO=$UNITS write_agent .github/agents/.old/gone.mandate gone-bot gone \
	bob@example.com ''
git_units add -A
git_units commit -q -m base
git_units tag u1
REPO=$UNITS write_agent team-a/a.mandate a-bot a carol@example.com ''
REPO=$UNITS write_agent .github/agents/ci.mandate ci-bot ci carol@example.com ''
REPO=$UNITS write_agent .github/agents/.old/gone.mandate gone-bot gone \
	carol@example.com ''

case_name "units: whole repository is one unit"
run diff --repo "$UNITS" u1
expect_status 2
expect_err "second gate block"
expect_err "compare one by naming its directories as check takes them"

case_name "units: PATH reads only its unit"
run diff --repo "$UNITS" --format json u1 -- team-a
expect_status 0
expect_jq '[.agents[] | [.name, .change]]' '[["a-bot","changed"]]'
git_units commit -q -a -m "new owners"
git_units tag u2
run diff --repo "$UNITS" --format json u1 u2 -- team-a
expect_status 0
expect_jq '[.agents[] | [.name, .change]]' '[["a-bot","changed"]]'
run diff --repo "$UNITS" --format json u1 u2 team-b
expect_status 0
expect_jq '.agents' '[]'

case_name "units: PATHs relative to the current directory"
(cd "$UNITS/team-a" && "$MANDATE" diff --format json u1 u2 -- . \
	>"$out" 2>"$err")
expect_eq "$?" 0 "diff from team-a"
expect_jq '[.agents[].name]' '["a-bot"]'
(cd "$UNITS/team-a" && "$MANDATE" diff --format json u1 u2 a.mandate \
	>"$out" 2>"$err")
expect_eq "$?" 0 "diff of a.mandate from team-a"
expect_jq '[.agents[].name]' '["a-bot"]'
(cd "$UNITS/team-a" && "$MANDATE" diff u1 u2 -- ../../x >"$out" 2>"$err")
expect_eq "$?" 2 "diff of a path above the repository"
expect_err "PATH '../../x' leaves the repository"
(cd "$UNITS" && "$MANDATE" check team-b >"$out" 2>"$err")
expect_eq "$?" 0 "check of team-b"
(cd "$UNITS" && "$MANDATE" diff --format json u1 u2 -- team-b \
	>"$out" 2>"$err")
expect_eq "$?" 0 "diff of team-b"
run diff --repo "$UNITS" --format json u1 u2 -- "$UNITS/team-a"
expect_status 0
expect_jq '[.agents[].name]' '["a-bot"]'

case_name "units: named hidden directory"
run diff --repo "$UNITS" --format json u1 u2 -- .github/agents
expect_status 0
expect_jq '[.agents[] | [.name, .change]]' '[["ci-bot","changed"]]'
run diff --repo "$UNITS" --format json u1 -- .github/agents
expect_status 0
expect_jq '[.agents[] | [.name, .change]]' '[["ci-bot","changed"]]'
run diff --repo "$UNITS" --format json u1 u2 -- .github/agents/.old \
	.github/agents/ci.mandate
expect_status 0
expect_jq '[.agents[].name]' '["ci-bot","gone-bot"]'
run diff --repo "$UNITS" --format json u1 u2 -- .github
expect_status 0
expect_jq '[.agents[].name]' '["ci-bot"]'
run diff --repo "$UNITS" --format json u1 u2 -- team-a team-a/a.mandate
expect_status 0
expect_jq '[.agents[].name]' '["a-bot"]'

case_name "units: GIT_DIR and GIT_WORK_TREE"
(cd "$TMP" && GIT_DIR="$UNITS/.git" GIT_WORK_TREE="$UNITS" \
	"$MANDATE" diff --format json u1 u2 -- team-a >"$out" 2>"$err")
expect_eq "$?" 0 "diff with GIT_DIR"
expect_jq '[.agents[].name]' '["a-bot"]'

# Clones of one branch, as CI makes them, for the advice on fetching.
git_units branch side u2
SHALLOW=$TMP/one-branch
git clone -q --depth 1 --single-branch --branch side "file://$UNITS" \
	"$SHALLOW" 2>/dev/null || fail "git clone --depth 1 failed"

case_name "fetch advice: branch of a shallow clone"
run diff --repo "$SHALLOW" main HEAD -- team-a
expect_status 2
expect_err "revision 'main' is not in the repository"
expect_err "git fetch origin main:refs/remotes/origin/main, then mandate diff origin/main"
expect_err "if 'main' is a tag, fetch it: git fetch origin tag main"
git -C "$SHALLOW" fetch -q origin main:refs/remotes/origin/main 2>/dev/null ||
	fail "the advised git fetch failed"
run diff --repo "$SHALLOW" --format json origin/main HEAD -- team-a
expect_status 0
run diff --repo "$SHALLOW" main HEAD -- team-a
expect_status 2
expect_err "the remote-tracking branch 'origin/main' exists; compare with it: mandate diff origin/main"
expect_no_err "git fetch origin"

case_name "fetch advice: tag of a shallow clone"
run diff --repo "$SHALLOW" u1 HEAD -- team-a
expect_status 2
expect_err "git fetch origin tag u1"
git -C "$SHALLOW" fetch -q origin tag u1 2>/dev/null ||
	fail "the advised git fetch of a tag failed"
run diff --repo "$SHALLOW" --format json u1 HEAD -- team-a
expect_status 0
expect_jq '[.agents[].name]' '["a-bot"]'

case_name "fetch advice: tag missing beside another"
# A commit and tag that only the origin has; u1 is here now, so a guess
# would name it for the u9 not fetched.
extra_id=$(git -C "$UNITS" commit-tree -p u1 -m "Only upstream" "u1^{tree}")
git_units tag u9 "$extra_id"
run diff --repo "$SHALLOW" u9 HEAD -- team-a
expect_status 2
expect_err "revision 'u9' is not in the repository"
expect_err "git fetch origin tag u9"
expect_err "this is a shallow clone"
expect_no_err "did you mean"

case_name "fetch advice: short hexadecimal names"
for rev in d1 add; do
	run diff --repo "$SHALLOW" "$rev" HEAD -- team-a
	expect_status 2
	expect_err "error: revision '$rev' is not a branch or tag in the repository at '$SHALLOW', and an abbreviated commit id needs at least 4 hexadecimal digits"
	expect_err "git fetch origin $rev:refs/remotes/origin/$rev"
	expect_err "git fetch origin tag $rev"
	expect_err "this is a shallow clone"
done
git_units branch ad1 u1
run diff --repo "$UNITS" ad HEAD -- team-a
expect_status 2
expect_err "an abbreviated commit id needs at least 4 hexadecimal digits"
expect_err "did you mean 'ad1'?"
git_units branch -D ad1

case_name "fetch advice: full commit id"
run diff --repo "$SHALLOW" "$extra_id" HEAD -- team-a
expect_status 2
expect_err "to fetch commit '$extra_id' from remote 'origin': git fetch origin $extra_id, or fetch the whole history: git fetch --unshallow"
expect_no_err "fetch origin tag"
git -C "$SHALLOW" fetch -q origin "$extra_id" 2>/dev/null ||
	fail "the advised git fetch of a commit failed"
run diff --repo "$SHALLOW" --format json "$extra_id" HEAD -- team-a
expect_status 0
git_units tag -d u9

case_name "fetch advice: misspelt or unknown remote"
run diff --repo "$SHALLOW" origin/mian HEAD -- team-a
expect_status 2
expect_err "did you mean 'origin/main'?"
expect_no_err "git fetch origin"
run diff --repo "$SHALLOW" upstream/main HEAD -- team-a
expect_status 2
expect_err "there is no remote 'upstream' and no branch or tag 'upstream/main'; the remotes are: origin"
expect_no_err "git fetch origin"

# A sparse checkout, and a file marked skip-worktree: git takes both
# from the index, and reports no change.
SPARSE=$TMP/sparse
git clone -q "$UNITS" "$SPARSE" 2>/dev/null || fail "git clone failed"
git -C "$SPARSE" sparse-checkout set team-a >/dev/null 2>&1 ||
	fail "git sparse-checkout failed"

case_name "sparse checkout: files outside the cone"
expect_eq "$(git -C "$SPARSE" status --porcelain)" "" "git status"
expect_eq "$(ls "$SPARSE/team-b" 2>&1 >/dev/null | wc -l)" 1 "team-b absent"
run diff --repo "$SPARSE" --format json HEAD -- team-b
expect_status 0
expect_jq '.agents' '[]'
run diff --repo "$SPARSE" --format json u1 -- team-b
expect_status 0
expect_jq '.agents' '[]'
run diff --repo "$SPARSE" --format json u1 -- .github/agents
expect_status 0
expect_jq '[.agents[] | [.name, .change]]' '[["ci-bot","changed"]]'
git -C "$SPARSE" sparse-checkout disable >/dev/null 2>&1 ||
	fail "git sparse-checkout disable failed"

case_name "skip-worktree file read from the index"
git -C "$SPARSE" update-index --skip-worktree team-b/b.mandate ||
	fail "git update-index failed"
REPO=$SPARSE write_agent team-b/b.mandate b-bot b carol@example.com ''
expect_eq "$(git -C "$SPARSE" status --porcelain)" "" "git status"
run diff --repo "$SPARSE" --format json HEAD -- team-b
expect_status 0
expect_jq '.agents' '[]'
run diff --repo "$SPARSE" --format json HEAD -- team-b/b.mandate
expect_status 0
expect_jq '.agents' '[]'

case_name "symbolic link committed as a spec"
git_units checkout -q -b links u2
ln -s ../team-a/a.mandate "$UNITS/team-b/link.mandate"
git_units add -A
git_units commit -q -m "link a spec"
run diff --repo "$UNITS" --format json u2 links -- team-b
expect_status 0
expect_err "warning: skipping symbolic link 'team-b/link.mandate' at 'links'; diff reads only regular files"
expect_no_err "at 'u2'"
expect_jq '.agents' '[]'
run diff --repo "$UNITS" --format json links -- team-b
expect_status 0
expect_err "warning: skipping symbolic link 'team-b/link.mandate' at 'links'"
expect_err "warning: skipping symbolic link 'team-b/link.mandate' in the working tree"
git_units checkout -q main

case_name "revision errors name the reason"
# Two blobs whose ids both start with 9788.
printf 'spec 124\n' | git -C "$UNITS" hash-object -w --stdin >/dev/null
printf 'spec 126\n' | git -C "$UNITS" hash-object -w --stdin >/dev/null
git_units branch fed
while IFS='|' read -r rev want; do
	run diff --repo "$UNITS" "$rev" -- team-a
	expect_status 2
	expect_err "error: $want"
done <<REVS
fde|revision 'fde' is not a branch or tag in the repository at '$UNITS', and an abbreviated commit id needs at least 4 hexadecimal digits
9788|revision '9788' is ambiguous: more than one object id starts with it; give more hexadecimal digits
9788f0f|revision '9788f0f' names a blob, not a commit or tree; give a branch, tag or commit
:|revision ':' names a file in the index, which diff does not compare; without HEAD, diff compares BASE with the working tree
^HEAD|revision '^HEAD' excludes the commits of 'HEAD', as in git log, which diff does not accept; give BASE and HEAD as two arguments
HEAD^{blob}|invalid revision 'HEAD^{blob}': diff compares commits and trees, so '^{...}' may name only a commit or a tree, as in HEAD^{tree}
HEAD:team-a/a.mandate|revision 'HEAD:team-a/a.mandate' names a file, not a commit or tree; give the commit, and the file after '--': mandate diff HEAD -- team-a/a.mandate
HEAD:nosuch|revision 'HEAD:nosuch' names no file or directory: 'nosuch' is not at 'HEAD'
HEAD^@|revision 'HEAD^@' names every parent of 'HEAD', which diff does not accept; name one parent, as in HEAD^1
HEAD:team-a|revision 'HEAD:team-a' names the directory 'team-a', not the top of a commit, so its paths would not match the other side's; give the commit, and the directory after '--': mandate diff HEAD -- team-a
HEAD~1x|invalid revision 'HEAD~1x': '~' and '^' take only a number, as in HEAD~2 or HEAD^2
HEAD^!|revision 'HEAD^!' is a range, which diff does not accept; give BASE and HEAD as two arguments: mandate diff HEAD^ HEAD
HEAD^-|revision 'HEAD^-' is a range, which diff does not accept; give BASE and HEAD as two arguments: mandate diff HEAD^ HEAD
HEAD~9|revision 'HEAD~9' is not in the repository at '$UNITS': the history of 'HEAD' is shorter than that
REVS
run diff --repo "$UNITS" fed -- team-a
expect_status 0
run diff --repo "$UNITS" u1 HEAD:team-a -- team-a
expect_status 2
expect_err "error: revision 'HEAD:team-a' names the directory 'team-a', not the top of a commit"
expect_no_err "renamed"
run diff --repo "$UNITS" --format json HEAD: HEAD -- team-a
expect_status 0
expect_jq '.agents' '[]'
run diff --repo "$UNITS" "" -- team-a
expect_status 2
expect_err "error: the revision is empty; give a branch, tag or commit"

case_name "tag and branch of one name"
git_units tag dup u1
git_units branch dup u2
run diff --repo "$UNITS" dup u2 -- team-a
expect_status 2
expect_err "error: revision 'dup' is ambiguous: 'dup' is both 'refs/heads/dup' and 'refs/tags/dup'"
expect_err "note: name the one meant in full, such as 'refs/heads/dup' or 'refs/tags/dup'"
expect_no_out "mandate diff"
run diff --repo "$UNITS" u1 dup~0 -- team-a
expect_status 2
expect_err "error: revision 'dup~0' is ambiguous"
run diff --repo "$UNITS" --format json refs/tags/dup refs/heads/dup -- team-a
expect_status 0
expect_jq '[.agents[].name]' '["a-bot"]'

case_name "empty repository"
git init -q "$TMP/empty"
run diff --repo "$TMP/empty" HEAD
expect_status 2
expect_err "error: revision 'HEAD' is not in the repository at '$TMP/empty', which has no commits yet; commit the specs first"
expect_no_err "did you mean"

case_name "markdown cut to a comment's size"
git_units checkout -q -b wide u2
REPO=$UNITS write_agent team-a/a.mandate a-bot a bob@example.com '
  grant actions ["*"] on "*" {
    because  = "Administers the account"
    approver = "sec@example.com"
  }'
git_units commit -q -a -m "grant everything"
run diff --repo "$UNITS" --format json u2 wide -- team-a
expect_status 0
total=$(jq '.agents[0].added | length' "$out")
run diff --repo "$UNITS" --format markdown u2 wide -- team-a
expect_status 0
size=$(wc -c <"$out")
[ "$size" -le 60000 ] || fail "markdown is $size bytes, over 60000"
[ "$size" -ge 50000 ] || fail "markdown is $size bytes, cut too short"
expect_out "- **a-bot**: new wildcard action '\*'"
expect_out "_The diff is cut to 60000 bytes to fit a pull-request comment._"
escalations=$(grep -n '^## Escalations' "$out" | cut -d: -f1)
agents=$(grep -n '^## Agents' "$out" | cut -d: -f1)
[ "${escalations:-9}" -lt "${agents:-0}" ] ||
	fail "escalations at line ${escalations:-none}, agents at ${agents:-none}"
shown=$(grep -c '^+ ' "$out")
left=$(sed -n 's/^\.\.\. and \([0-9]*\) more (see --format json)$/\1/p' "$out")
expect_eq "$((shown + ${left:-0}))" "$total" "permissions shown and left out"
git_units checkout -q main

case_name "failed run removes its earlier report"
for format in text markdown json; do
	report=$TMP/report.$format
	run diff --repo "$UNITS" --format "$format" -o "$report" u1 u2 -- team-a
	expect_status 0
	[ -s "$report" ] || fail "$format: no report written"
	run diff --repo "$UNITS" --format "$format" -o "$report" nosuch u2 \
		-- team-a
	expect_status 2
	expect_err "removed the earlier report $report"
	[ ! -e "$report" ] || fail "$format: the earlier report is still there"
done
echo "notes of the user" >"$TMP/notes.md"
run diff --repo "$UNITS" --format markdown -o "$TMP/notes.md" nosuch u2 \
	-- team-a
expect_status 2
expect_err "kept $TMP/notes.md: it does not look like a mandate diff markdown report"
expect_eq "$(cat "$TMP/notes.md")" "notes of the user" "the user's file"
run diff --repo "$UNITS" --format json -o "$TMP/report.json" u1 u2 -- team-a
expect_status 0
run diff --repo "$UNITS" --format json -o "$TMP/report.json"
expect_status 2
expect_err "missing BASE revision"
[ -s "$TMP/report.json" ] || fail "a usage error removed the report"

case_name "file name not UTF-8"
git_units checkout -q -b latin1 u2
latin1=$(printf 'team-a/caf\351.mandate')
REPO=$UNITS write_agent "$latin1" cafe-bot cafe bob@example.com ''
run diff --repo "$UNITS" --format json u2 -- team-a
expect_status 2
expect_err "$UNITS/team-a/caf?.mandate: error: file name is not valid UTF-8; rename the file or its directory"
iconv -f UTF-8 -t UTF-8 "$err" >/dev/null 2>&1 || fail "stderr is not UTF-8"
expect_eq "$(wc -c <"$out")" 0 "bytes on stdout"
git_units add -A
git_units commit -q -m "a spec whose name is Latin-1"
run diff --repo "$UNITS" --format json u2 latin1 -- team-a
expect_status 2
expect_err "latin1:team-a/caf?.mandate: error: file name is not valid UTF-8; rename the file or its directory"
iconv -f UTF-8 -t UTF-8 "$err" >/dev/null 2>&1 || fail "stderr is not UTF-8"
expect_eq "$(wc -c <"$out")" 0 "bytes on stdout"
git_units checkout -q main
# A seventh repository for comparing what permissions mean rather than
# how they are written: conditions, wildcards, principals and pairing.
SEM=$TMP/semantics
git_sem() {
	git -C "$SEM" "$@" >/dev/null 2>&1 || fail "git $* failed"
}
# Write spec file $1 of the ai_agent $2 with role $3 and the grants in $4.
sem_agent() {
	cat >"$SEM/$1" <<EOF
agent "$2" {
  kind        = ai_agent
  description = "An agent of the semantic diff tests"
  owner {
    technical = "alice@example.com"
    business  = "bob@example.com"
  }
  justification = "Summarises the nightly reports for the test systems"
  review      { every = 90d  last = 2026-11-02  by = "bob@example.com" }
  expires     = 2027-06-30
  credentials { rotate = 30d  session = 1h  long_lived_keys = false }
  audit       { decisions = required  context = [task, request_id] }
  identity aws role "arn:aws:iam::111122223333:role/$3" {
    trusted_by = "bedrock.amazonaws.com"
  }
$4
}
EOF
}
# Commit the working tree of $SEM and tag it $1.
sem_commit() {
	git_sem add -A
	git_sem commit -q -m "$1"
	git_sem tag "$1"
}
mkdir -p "$SEM/agents"
git init -q -b main "$SEM"

case_name "condition value with a comma widened to two values"
sem_agent agents/aa.mandate aa role-a '
  grant read on aws:s3 "arn:aws:s3:::r1/*" {
    when "aws:PrincipalTag/team" in ["data, ops"]
  }'
sem_commit s1
sem_agent agents/aa.mandate aa role-a '
  grant read on aws:s3 "arn:aws:s3:::r1/*" {
    when "aws:PrincipalTag/team" in ["data", "ops"]
  }'
run diff --repo "$SEM" --format json --fail-on-escalation s1
expect_status 1
expect_jq '[.agents[0].escalations[].kind] | unique' '["removed-condition"]'
expect_jq '.agents[0].added[0].conditions' \
	'["StringEquals aws:PrincipalTag/team [data, ops]"]'
expect_jq '.agents[0].removed[0].conditions' \
	'["StringEquals aws:PrincipalTag/team [\"data, ops\"]"]'
git_sem checkout -q -- agents

case_name "resource patterns that name every table"
sem_agent agents/aa.mandate aa role-a '
  grant actions ["dynamodb:GetItem"]
        on "arn:aws:dynamodb:us-east-1:111122223333:table/jobs"'
sem_commit s2
for pattern in '*' 'arn:*' 'arn:*:*' 'arn:aws:dynamodb:*' \
	'arn:aws:dynamodb:*:*:*' 'arn:aws:dynamodb:*:*:table/*'; do
	sem_agent agents/aa.mandate aa role-a "
  grant actions [\"dynamodb:GetItem\"] on \"$pattern\""
	run diff --repo "$SEM" --format json --fail-on-escalation s2
	expect_status 1
	expect_jq '[.agents[0].escalations[].kind]' '["wildcard-resource"]'
	run check --today 2026-12-01 "$SEM/agents"
	expect_out "resource '$pattern' for 1 action that supports resource-level permissions"
done
sem_agent agents/aa.mandate aa role-a '
  grant actions ["dynamodb:GetItem"]
        on "arn:aws:dynamodb:us-east-1:*:table/*"'
run diff --repo "$SEM" --format json --fail-on-escalation s2
expect_status 0
run check --today 2026-12-01 "$SEM/agents"
expect_no_out "MND131"
git_sem checkout -q -- agents

case_name "role merged into a writer gains write"
sem_agent agents/aa.mandate aa role-a '
  grant write on aws:s3 "arn:aws:s3:::wa/*"'
sem_agent agents/bb.mandate bb role-b '
  grant read on aws:s3 "arn:aws:s3:::rb/*"'
sem_commit s3
rm "$SEM/agents/bb.mandate"
sem_agent agents/aa.mandate aa role-a '
  identity aws role "arn:aws:iam::111122223333:role/role-b" {
    trusted_by = "bedrock.amazonaws.com"
  }
  grant write on aws:s3 "arn:aws:s3:::wa/*"'
run diff --repo "$SEM" --format json --fail-on-escalation s3
expect_status 1
expect_jq '[.agents[] | select(.name == "aa") | .escalations[] | [.principal, .kind, .resource]] | unique' \
	'[["arn:aws:iam::111122223333:role/role-b","write","arn:aws:s3:::wa/*"]]'
run diff --repo "$SEM" --fail-on-escalation s3
expect_out "identity 'arn:aws:iam::111122223333:role/role-b', new to these grants, gains new write access to 'arn:aws:s3:::wa/*'"
git_sem checkout -q -- agents

case_name "user added to an agent gains its access"
sem_agent agents/aa.mandate aa role-a '
  identity aws user "arn:aws:iam::111122223333:user/aa-bot"
  grant write on aws:s3 "arn:aws:s3:::wa/*"'
run diff --repo "$SEM" --format json --fail-on-escalation s3
expect_status 1
expect_jq '[.agents[0].escalations[] | [.principal, .kind]] | unique' \
	'[["arn:aws:iam::111122223333:user/aa-bot","write"]]'
git_sem checkout -q -- agents

case_name "agent moved between directories of a unit is renamed"
mkdir -p "$SEM/agents/team-a" "$SEM/agents/team-b"
sem_agent agents/team-a/mover.mandate mover mover '
  grant read on aws:s3 "arn:aws:s3:::bucket-m/*"'
sem_agent agents/team-b/other.mandate other other ''
sem_commit s4
git_sem mv agents/team-a/mover.mandate agents/team-b/mover.mandate
run diff --repo "$SEM" --format json --fail-on-escalation s4 -- agents
expect_status 0
expect_jq '[.agents[] | [.name, .change, .old_file, .file]]' \
	'[["mover","changed","agents/team-a/mover.mandate","agents/team-b/mover.mandate"]]'
expect_jq '.escalations' '0'
# A PATH names the unit, as check's do: the agent is new to team-b.
run diff --repo "$SEM" --format json s4 -- agents/team-b
expect_status 0
expect_jq '[.agents[] | [.name, .change]]' '[["mover","added"]]'
git_sem reset -q --hard
rm -r "$SEM/agents/team-a" "$SEM/agents/team-b"

case_name "wildcard action narrowed"
sem_agent agents/aa.mandate aa role-a '
  grant actions ["*"] on "arn:aws:s3:::wa/*" {
    approver = "carol@example.com"
  }'
sem_commit s5
for actions in '"s3:*"' '"s3:Get*"'; do
	sem_agent agents/aa.mandate aa role-a "
  grant actions [$actions] on \"arn:aws:s3:::wa/*\" {
    approver = \"carol@example.com\"
  }"
	run diff --repo "$SEM" --format json --fail-on-escalation s5
	expect_status 0
	expect_jq '.escalations' '0'
done
sem_agent agents/aa.mandate aa role-a '
  grant actions ["*"] on "arn:aws:s3:::wa/*" {
    approver = "carol@example.com"
  }
  grant actions ["sqs:Get*"] on "arn:aws:sqs:us-east-1:111122223333:q"'
run diff --repo "$SEM" --format json --fail-on-escalation s5
expect_status 1
expect_jq '[.agents[0].escalations[] | [.kind, .message]]' \
	'[["wildcard-action","new wildcard action '"'"'sqs:Get*'"'"'"]]'
git_sem checkout -q -- agents

case_name "level rewritten as a wildcard of the same actions"
sem_agent agents/aa.mandate aa role-a '
  grant read on aws:s3 "arn:aws:s3:::data/*"'
sem_commit s5b
sem_agent agents/aa.mandate aa role-a '
  grant actions ["s3:GetObject*"] on "arn:aws:s3:::data/*"'
run diff --repo "$SEM" --format json --fail-on-escalation s5b
expect_status 0
expect_jq '.escalations' '0'
sem_agent agents/aa.mandate aa role-a '
  grant actions ["s3:Put*"] on "arn:aws:s3:::data/*"'
run diff --repo "$SEM" --format json --fail-on-escalation s5b
expect_status 1
expect_jq '[.agents[0].escalations[].kind | select(. == "wildcard-action" or . == "write")]' \
	'["write","wildcard-action"]'
git_sem checkout -q -- agents

case_name "account id rewritten as its root ARN"
sed 's/trusted_by = "bedrock.amazonaws.com"/trusted_by = ["bedrock.amazonaws.com", "999988887777"]/' \
	"$SEM/agents/aa.mandate" >"$TMP/aa"
cp "$TMP/aa" "$SEM/agents/aa.mandate"
sem_commit s5c
sed 's/"999988887777"/"arn:aws:iam::999988887777:root"/' \
	"$SEM/agents/aa.mandate" >"$TMP/aa"
cp "$TMP/aa" "$SEM/agents/aa.mandate"
run diff --repo "$SEM" --format json --fail-on-escalation s5c
expect_status 0
expect_jq '.escalations' '0'
sed 's/:999988887777:root"/:999988887778:root"/' \
	"$SEM/agents/aa.mandate" >"$TMP/aa"
cp "$TMP/aa" "$SEM/agents/aa.mandate"
run diff --repo "$SEM" --format json --fail-on-escalation s5c
expect_status 1
expect_jq '[.agents[0].escalations[].kind]' '["trust"]'
git_sem checkout -q -- agents

case_name "condition value set narrowed"
sem_agent agents/aa.mandate aa role-a '
  grant read on aws:s3 "arn:aws:s3:::r1/*" {
    when "aws:SourceIp" in ["10.0.0.0/8", "192.168.0.0/16"]
    when "aws:PrincipalTag/team" not_in ["guest"]
  }'
sem_commit s5d
sem_agent agents/aa.mandate aa role-a '
  grant read on aws:s3 "arn:aws:s3:::r1/*" {
    when "aws:SourceIp" in ["10.0.0.0/8"]
    when "aws:PrincipalTag/team" not_in ["guest", "intern"]
  }'
run diff --repo "$SEM" --format json --fail-on-escalation s5d
expect_status 0
expect_jq '.escalations' '0'
sem_agent agents/aa.mandate aa role-a '
  grant read on aws:s3 "arn:aws:s3:::r1/*" {
    when "aws:SourceIp" in ["10.0.0.0/8"]
    when "aws:PrincipalTag/team" not_in ["intern"]
  }'
run diff --repo "$SEM" --format json --fail-on-escalation s5d
expect_status 1
expect_jq '[.agents[0].escalations[].kind] | unique' '["removed-condition"]'
sem_agent agents/aa.mandate aa role-a '
  grant read on aws:s3 "arn:aws:s3:::r1/*" {
    when "aws:SourceIp" in ["10.0.0.0/8", "172.16.0.0/12"]
    when "aws:PrincipalTag/team" not_in ["guest"]
  }'
run diff --repo "$SEM" --format json --fail-on-escalation s5d
expect_status 1
expect_jq '[.agents[0].escalations[].kind] | unique' '["removed-condition"]'
git_sem checkout -q -- agents

case_name "grant blocked by a deny"
sem_agent agents/aa.mandate aa role-a '
  grant read on aws:s3 "arn:aws:s3:::d/*"
  deny actions ["s3:*"] on "arn:aws:s3:::secret/*"'
sem_commit s5e
sem_agent agents/aa.mandate aa role-a '
  grant read on aws:s3 "arn:aws:s3:::d/*"
  grant write on aws:s3 "arn:aws:s3:::secret/*"
  deny actions ["s3:*"] on "arn:aws:s3:::secret/*"'
run diff --repo "$SEM" --format json --fail-on-escalation s5e
expect_status 0
expect_jq '.escalations' '0'
sem_agent agents/aa.mandate aa role-a '
  grant read on aws:s3 "arn:aws:s3:::d/*"
  grant write on aws:s3 "arn:aws:s3:::secret2/*"
  deny actions ["s3:*"] on "arn:aws:s3:::secret/*"'
run diff --repo "$SEM" --format json --fail-on-escalation s5e
expect_status 1
expect_jq '[.agents[0].escalations[].kind] | unique' '["write"]'
git_sem checkout -q -- agents

case_name "waiver narrowed to one identity"
cat >"$SEM/agents/waivers.mandate" <<'EOF'
waive MND104 for "aa" {
  until    = 2027-01-31
  reason   = "The second owner joins in January"
  approver = "carol@example.com"
}
EOF
sem_commit s5f
cat >"$SEM/agents/waivers.mandate" <<'EOF'
waive MND104 for "aa" {
  until    = 2027-01-31
  reason   = "The second owner joins in January"
  approver = "carol@example.com"
  identity = "arn:aws:iam::111122223333:role/role-a"
}
EOF
run diff --repo "$SEM" --format json --fail-on-escalation s5f
expect_status 0
expect_jq '[.unit[] | [.change // .field, .escalation]]' '[[null,false],[null,false]]'
sed 's/2027-01-31/2027-02-28/' "$SEM/agents/waivers.mandate" >"$TMP/w"
cp "$TMP/w" "$SEM/agents/waivers.mandate"
run diff --repo "$SEM" --format json --fail-on-escalation s5f
expect_status 1
rm "$SEM/agents/waivers.mandate"
sem_commit s5g

case_name "audit context fields changed"
sem_agent agents/aa.mandate aa role-a ''
sem_commit s6
sed 's/context = \[task, request_id\]/context = [task, request_id, user]/' \
	"$SEM/agents/aa.mandate" >"$TMP/aa"
cp "$TMP/aa" "$SEM/agents/aa.mandate"
run diff --repo "$SEM" --format json --fail-on-escalation s6
expect_status 0
expect_jq '.agents[0].fields' \
	'[{"field":"audit.context","from":"request_id, task","to":"request_id, task, user"}]'
git_sem checkout -q -- agents
sed 's/context = \[task, request_id\]/context = [task]/' \
	"$SEM/agents/aa.mandate" >"$TMP/aa"
cp "$TMP/aa" "$SEM/agents/aa.mandate"
run diff --repo "$SEM" --format json --fail-on-escalation s6
expect_status 1
expect_jq '.agents[0].fields' \
	'[{"field":"audit.context","from":"request_id, task","to":"task"}]'
expect_jq '[.agents[0].escalations[].kind]' '["audit"]'
git_sem checkout -q -- agents

case_name "grant approver removed and because changed"
sem_agent agents/aa.mandate aa role-a '
  grant actions ["iam:PutRolePolicy"]
        on "arn:aws:iam::111122223333:role/app-*" {
    because  = "Attaches the app policies"
    approver = "carol@example.com"
  }'
sem_commit s7
sem_agent agents/aa.mandate aa role-a '
  grant actions ["iam:PutRolePolicy"]
        on "arn:aws:iam::111122223333:role/app-*" {
    because  = "Attaches the policies of every app"
  }'
run diff --repo "$SEM" --format json --fail-on-escalation s7
expect_status 1
expect_jq '.agents[0].fields' \
	'[{"field":"grant actions [iam:PutRolePolicy] on arn:aws:iam::111122223333:role/app-* because","from":"Attaches the app policies","to":"Attaches the policies of every app"},{"field":"grant actions [iam:PutRolePolicy] on arn:aws:iam::111122223333:role/app-* approver","from":"carol@example.com","to":null}]'
expect_jq '[.agents[0].escalations[] | [.kind, .resource, .actions]]' \
	'[["approver","arn:aws:iam::111122223333:role/app-*",["iam:PutRolePolicy"]]]'
run diff --repo "$SEM" s7
expect_out "escalation [approver]: permissions-management access to 'arn:aws:iam::111122223333:role/app-*' no longer has an approver: iam:PutRolePolicy"
run check --today 2026-12-01 "$SEM/agents"
expect_out "MND132"
git_sem checkout -q -- agents

case_name "agents without identities pair by permissions"
# Write agent $1 without identities, granting read on bucket $2.
bare_agent() {
	cat <<EOF
agent "$1" {
  kind          = service_account
  description   = "An agent of the semantic diff tests without an identity"
  owner {
    technical = "alice@example.com"
    business  = "bob@example.com"
  }
  justification = "Copies the nightly exports between the test systems"
  grant read on aws:s3 "arn:aws:s3:::$2/*"
}
EOF
}
{ bare_agent p-one bucket-1; bare_agent p-two bucket-2; } \
	>"$SEM/agents/pair.mandate"
sem_commit s8
git_sem mv agents/pair.mandate agents/pairs.mandate
{ bare_agent q-two bucket-2; bare_agent q-one bucket-1; } \
	>"$SEM/agents/pairs.mandate"
run diff --repo "$SEM" --format json --fail-on-escalation s8
expect_status 0
expect_jq '[.agents[] | [.name, .change, .old_name, .renamed_by]]' \
	'[["q-one","changed","p-one","file"],["q-two","changed","p-two","file"]]'
expect_jq '[.agents[] | .added, .removed] | flatten' '[]'
git_sem reset -q --hard
rm "$SEM/agents/pair.mandate"

case_name "large agent compares in near-linear time"
# Each of 3,000 grants on its own bucket is removed and another added.
# A diff that compares every pair of permissions needs about a minute
# at this size (docs/BENCHMARKS.md), well past the timeout.
sh bench/gen-diff-agent.sh 3000 "$TMP/bulk" >/dev/null ||
	fail "bench/gen-diff-agent.sh failed"
(cd "$TMP/bulk" && timeout 30 "$MANDATE" diff --format json base) \
	>"$out" 2>"$err"
status=$?
expect_status 0
expect_jq '[.agents[0].name, (.agents[0].added | length), (.agents[0].removed | length), .escalations]' \
	'["bulk",48000,48000,0]'

case_name "gate patterns and restricted match loosened"
cat >"$SEM/agents/gate.mandate" <<'EOF'
gate {
  owner_pattern      = "@example\\.com"
  agent_name_pattern = "^[a-z]+"
}

resource "ledger" {
  match       = ["arn:aws:s3:::ledger/*", "arn:aws:dynamodb:*:*:table/ledger"]
  sensitivity = restricted
}
EOF
sem_commit s10
cat >"$SEM/agents/gate.mandate" <<'EOF'
gate {
  owner_pattern      = "^[a-z.]+@example\\.com$"
  agent_name_pattern = "^[a-z]+$"
}

resource "ledger" {
  match       = ["arn:aws:s3:::ledger*", "arn:aws:dynamodb:*:*:table/ledger"]
  sensitivity = restricted
}
EOF
run diff --repo "$SEM" --format json --fail-on-escalation s10
expect_status 1
expect_jq '[.unit[] | [.field, .escalation]]' \
	'[["owner_pattern",true],["agent_name_pattern",false],["match",false]]'
expect_jq '[.unit[] | select(.escalation) | .message]' \
	'["gate owner_pattern changed from '"'"'@example\\.com'"'"' to '"'"'^[a-z.]+@example\\.com$'"'"', which may accept more owner addresses"]'
cat >"$SEM/agents/gate.mandate" <<'EOF'
gate {
  owner_pattern      = ".*"
  agent_name_pattern = "^[a-z]+"
}

resource "ledger" {
  match       = ["arn:aws:s3:::ledger/2026/*", "arn:aws:dynamodb:*:*:table/ledger"]
  sensitivity = restricted
}
EOF
run diff --repo "$SEM" --format json --fail-on-escalation s10
expect_status 1
expect_jq '[.unit[] | [.field, .escalation]]' \
	'[["owner_pattern",true],["match",true]]'
expect_jq '[.unit[] | select(.field == "match") | .message]' \
	'["restricted resource class '"'"'ledger'"'"' no longer matches all of '"'"'arn:aws:s3:::ledger/*'"'"'"]'
cat >"$SEM/agents/gate.mandate" <<'EOF'
gate {
  owner_pattern      = "^@example\\.com$"
  agent_name_pattern = "^[a-z]+$"
}

resource "ledger" {
  match       = ["arn:aws:s3:::ledger/*", "arn:aws:dynamodb:*:*:table/ledger"]
  sensitivity = restricted
}
EOF
run diff --repo "$SEM" --format json --fail-on-escalation s10
expect_status 0
expect_jq '[.unit[] | [.field, .escalation]]' \
	'[["owner_pattern",false],["agent_name_pattern",false]]'
rm "$SEM/agents/gate.mandate"
sem_commit s10b

case_name "not a repository"
mkdir -p "$TMP/plain"
run diff --repo "$TMP/plain" main
expect_status 2
expect_err "is not in a git repository"

case_name "usage errors"
run diff --repo "$REPO"
expect_status 2
expect_err "missing BASE revision"
run diff --repo "$REPO" --format yaml v1
expect_status 2
expect_err "invalid --format 'yaml'"

case_name "option errors name the command"
run diff -x
expect_status 2
expect_err "mandate diff: invalid option -- 'x'"
grep -q '^diff:' "$err" && fail "a message starts with 'diff:'"
run diff --bogus
expect_status 2
expect_err "mandate diff: unrecognized option '--bogus'"

# More renamed files than libgit2 pairs by default (rename_limit 1000):
# each file is renamed and its agent and role renamed, so only the file
# rename pairs the two sides.
MANY=$TMP/many-renames
mkdir -p "$MANY/agents"
git init -q -b main "$MANY"
many_agent() {
	cat >"$MANY/agents/$1.mandate" <<EOF
agent "$2" {
  kind        = service_account
  description = "One of many agents whose spec files are renamed"
  owner {
    technical = "alice@example.com"
    business  = "bob@example.com"
  }
  justification = "Moves the nightly exports between the test systems"
  review      { every = 90d  last = 2026-11-02  by = "bob@example.com" }
  expires     = 2027-11-01
  identity aws role "arn:aws:iam::111122223333:role/$2"
  grant actions ["sqs:ReceiveMessage"] on "arn:aws:sqs:us-east-1:111122223333:jobs"
}
EOF
}
i=1
while [ $i -le 1050 ]; do
	many_agent "old$i" "old-$i"
	i=$((i + 1))
done
git -C "$MANY" add -A && git -C "$MANY" commit -q -m "Many agents" ||
	fail "commit of many agents failed"
rm "$MANY"/agents/*.mandate
i=1
while [ $i -le 1050 ]; do
	many_agent "new$i" "new-$i"
	i=$((i + 1))
done

case_name "every one of 1050 renamed files is paired"
run diff --repo "$MANY" --format json main
expect_status 0
expect_jq '[.agents[] | select(.renamed_by == "file")] | length' '1050'
expect_jq '[.agents[] | select(.renamed | not)] | length' '0'
expect_jq '.agents[] | select(.name == "new-1050") | [.old_name, .old_file]' \
	'["old-1050","agents/old1050.mandate"]'

case_name "verbose counts agents"
run diff --repo "$UNITS" -v u1 u2 -- team-a
expect_status 0
expect_err "mandate: compiled 1 agent"
expect_no_err "compiled 1 agents"

finish
