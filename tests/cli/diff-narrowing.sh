# mandate diff: changes that a reviewer must see, and changes that only
# narrow access and so are no escalation, each committed on top of one
# base revision of a small repository.
. tests/cli/lib.sh

REPO=$TMP/repo
export GIT_AUTHOR_NAME=tester GIT_AUTHOR_EMAIL=tester@example.com
export GIT_COMMITTER_NAME=tester GIT_COMMITTER_EMAIL=tester@example.com
export GIT_CONFIG_NOSYSTEM=1 HOME=$TMP

git_repo() {
	git -C "$REPO" "$@" >/dev/null 2>&1 || fail "git $* failed"
}

# Write specs/app.mandate: the agent's identity lines in $1, its grants
# in $2, and what follows the agent (waivers) in $3.
write_app() {
	cat >"$REPO/specs/app.mandate" <<EOF
resource "vault" {
  match       = ["arn:aws:s3:::vault/*"]
  sensitivity = restricted
}
agent "app" {
  kind = workload
  owner { technical = "a.b@example.com" business = "c.d@example.com" }
  justification = "Nightly app job"
  review { every = 90d last = 2026-11-01 by = "c.d@example.com" }
  expires = 2027-06-01
$1
$2
}
$3
EOF
}

APP_ID='  identity aws role "arn:aws:iam::111122223333:role/app" { trusted_by = "ecs-tasks.amazonaws.com" }'
APP_GRANTS='  grant read on aws:s3 "arn:aws:s3:::data/*" {
    because = "Input"
    when "aws:MultiFactorAuthAge" < 1h
  }
  grant write on aws:s3 "arn:aws:s3:::vault/*" { because = "Stores results" approver = "sec.one@example.com" }'
APP_WAIVER='waive MND140 for "app" {
  until    = 2027-01-31
  reason   = "Approver on leave until January"
  approver = "sec.one@example.com"
}'

mkdir -p "$REPO/specs"
git init -q -b main "$REPO"
write_app "$APP_ID" "$APP_GRANTS" "$APP_WAIVER"
git_repo add -A
git_repo commit -q -m base
git_repo tag base

# Commit the working tree as a new revision on base and name it $1.
commit_as() {
	git_repo add -A
	git_repo commit -q -m "$1"
	git_repo tag "$1"
	git_repo checkout -q base
}

case_name "waiver reason and approver"
git_repo checkout -q base
write_app "$APP_ID" "$APP_GRANTS" 'waive MND140 for "app" {
  until    = 2027-01-31
  reason   = "Approver away until February"
  approver = "sec.two@example.com"
}'
commit_as waiver-fields
run diff --repo "$REPO" --format json base waiver-fields
expect_status 0
expect_jq '[.unit[] | [.kind, .name, .field, .before, .after, .escalation]]' \
	'[["waiver","MND140 for '"'"'app'"'"'","reason","Approver on leave until January","Approver away until February",false],["waiver","MND140 for '"'"'app'"'"'","approver","sec.one@example.com","sec.two@example.com",true]]'
run diff --repo "$REPO" --fail-on-escalation base waiver-fields
expect_status 1
expect_out "unit: waiver MND140 for 'app' reason: 'Approver on leave until January' -> 'Approver away until February'"
expect_out "unit: waiver MND140 for 'app' approver: 'sec.one@example.com' -> 'sec.two@example.com'"
expect_out "  escalation [waiver]: waiver MND140 for 'app' has another approver"

case_name "numeric bound tightened"
write_app "$APP_ID" "$(printf '%s\n' "$APP_GRANTS" | sed 's/< 1h/< 15m/')" "$APP_WAIVER"
commit_as mfa-15m
run diff --repo "$REPO" --format json --fail-on-escalation base mfa-15m
expect_status 0
expect_jq '[.agents[] | .name]' '["app"]'
expect_jq '[.agents[].escalations[]]' '[]'
write_app "$APP_ID" "$(printf '%s\n' "$APP_GRANTS" | sed 's/< 1h/< 2h/')" "$APP_WAIVER"
commit_as mfa-2h
run diff --repo "$REPO" --format json --fail-on-escalation base mfa-2h
expect_status 1
expect_jq '[.agents[].escalations[] | .kind]' '["removed-condition"]'
write_app "$APP_ID" "$(printf '%s\n' "$APP_GRANTS" | sed 's/< 1h/<= 1h/')" "$APP_WAIVER"
commit_as mfa-le-1h
run diff --repo "$REPO" --format json --fail-on-escalation base mfa-le-1h
expect_status 1
expect_jq '[.agents[].escalations[] | .kind]' '["removed-condition"]'

# A grant on the whole input bucket with a deny cut into it.
DATA_ALL='  grant read on aws:s3 "arn:aws:s3:::input/*" { because = "Input" }'
DENY_SECRET='  deny actions ["s3:GetObject"] on "arn:aws:s3:::input/secret/*"'
DENY_VAULT='  deny actions ["s3:PutObject"] on "arn:aws:s3:::vault/*"'
DENY_VAULT_OLD='  deny actions ["s3:PutObject"] on "arn:aws:s3:::vault/old/*"'
git_repo checkout -q base
write_app "$APP_ID" "$DATA_ALL
$DENY_SECRET
$APP_GRANTS
$DENY_VAULT" "$APP_WAIVER"
commit_as denies
git_repo checkout -q denies

case_name "deny removed with its grant"
write_app "$APP_ID" "$APP_GRANTS
$DENY_VAULT" "$APP_WAIVER"
git_repo add -A
git_repo commit -q -m "Drop the data grant and its deny"
git_repo tag no-data
git_repo checkout -q denies
run diff --repo "$REPO" --format json --fail-on-escalation denies no-data
expect_status 0
expect_jq '[.agents[].escalations[]]' '[]'
expect_jq '[.agents[].removed[] | select(.effect == "deny") | .action]' \
	'["s3:GetObject"]'

case_name "deny removed under a grant kept"
write_app "$APP_ID" "$DATA_ALL
$APP_GRANTS
$DENY_VAULT" "$APP_WAIVER"
git_repo add -A
git_repo commit -q -m "Drop the deny only"
git_repo tag no-deny
git_repo checkout -q denies
run diff --repo "$REPO" --format json --fail-on-escalation denies no-deny
expect_status 1
expect_jq '[.agents[].escalations[] | [.kind, .resource]]' \
	'[["removed-deny","arn:aws:s3:::input/secret/*"]]'

case_name "deny narrowed"
write_app "$APP_ID" "$DATA_ALL
$DENY_SECRET
$APP_GRANTS
$DENY_VAULT_OLD" "$APP_WAIVER"
git_repo add -A
git_repo commit -q -m "Deny only the old vault"
git_repo tag vault-old
git_repo checkout -q denies
run diff --repo "$REPO" --format json --fail-on-escalation denies vault-old
expect_status 1
expect_jq '[.agents[].added[] | [.effect, .action, .resource]]' \
	'[["deny","s3:PutObject","arn:aws:s3:::vault/old/*"]]'
expect_jq '[.agents[].removed[] | [.effect, .action, .resource]]' \
	'[["deny","s3:PutObject","arn:aws:s3:::vault/*"]]'
expect_jq '[.agents[].escalations[] | [.kind, .resource]]' \
	'[["removed-deny","arn:aws:s3:::vault/*"]]'
expect_jq '[.agents[].escalations[] | .message]' \
	'["deny on '"'"'arn:aws:s3:::vault/*'"'"' narrowed to '"'"'arn:aws:s3:::vault/old/*'"'"', so the rest no longer limits access: s3:PutObject"]'
run diff --repo "$REPO" denies vault-old
expect_out "+ deny s3:PutObject on arn:aws:s3:::vault/old/*"
expect_out "- deny s3:PutObject on arn:aws:s3:::vault/*"

case_name "trust narrowed to a role of the account"
git_repo checkout -q base
ROOT_ID='  identity aws role "arn:aws:iam::111122223333:role/app" { trusted_by = "arn:aws:iam::444455556666:root" }'
write_app "$ROOT_ID" "$APP_GRANTS" "$APP_WAIVER"
commit_as trust-root
git_repo checkout -q trust-root
write_app "$(printf '%s\n' "$ROOT_ID" | sed 's/:root"/:role\/some-role"/')" \
	"$APP_GRANTS" "$APP_WAIVER"
git_repo add -A
git_repo commit -q -m "Trust one role of the account"
git_repo tag trust-role
write_app "$(printf '%s\n' "$ROOT_ID" | sed 's/444455556666:root"/777788889999:role\/some-role"/')" \
	"$APP_GRANTS" "$APP_WAIVER"
git_repo add -A
git_repo commit -q -m "Trust a role of another account"
git_repo tag trust-other
run diff --repo "$REPO" --format json --fail-on-escalation trust-root trust-role
expect_status 0
expect_jq '[.agents[].fields[] | .field]' \
	'["identity arn:aws:iam::111122223333:role/app trusted_by"]'
expect_jq '[.agents[].escalations[]]' '[]'
run diff --repo "$REPO" --format json --fail-on-escalation trust-role trust-root
expect_status 1
expect_jq '[.agents[].escalations[] | .kind]' '["trust"]'
run diff --repo "$REPO" --format json --fail-on-escalation trust-root trust-other
expect_status 1
expect_jq '[.agents[].escalations[] | .kind]' '["trust"]'

case_name "approver removed from a restricted write"
git_repo checkout -q base
write_app "$APP_ID" "$(printf '%s\n' "$APP_GRANTS" | sed 's/ approver = "sec.one@example.com"//')" "$APP_WAIVER"
commit_as no-approver
run diff --repo "$REPO" --format json --fail-on-escalation base no-approver
expect_status 1
expect_jq '[.agents[].escalations[] | [.kind, .resource]] | unique' \
	'[["approver","arn:aws:s3:::vault/*"]]'
expect_jq '[.agents[].escalations[] | .message][0]' \
	'"write access to restricted resource class '"'"'vault'"'"' through '"'"'arn:aws:s3:::vault/*'"'"' no longer has an approver: s3:AbortMultipartUpload, s3:DeleteObject, s3:DeleteObjectAnnotation and 13 more"'

case_name "added and removed agents list their fields"
git_repo checkout -q base
cat >"$REPO/specs/batch.mandate" <<'EOF'
agent "batch" {
  kind = service_account
  owner { technical = "e.f@example.com" business = "g.h@example.com" }
  justification = "Weekly batch export"
  review { every = 30d last = 2026-11-15 by = "g.h@example.com" }
  expires = 2027-03-01
  identity aws role "arn:aws:iam::111122223333:role/batch" { trusted_by = "ecs-tasks.amazonaws.com" }
  grant read on aws:sqs "arn:aws:sqs:us-east-1:111122223333:batch" { because = "Jobs" }
}
EOF
commit_as batch
run diff --repo "$REPO" --format json base batch
expect_status 0
expect_jq '[.agents[] | [.name, .change]]' '[["batch","added"]]'
expect_jq '[.agents[].fields[] | select(.from == null) | [.field, .to]]' \
	'[["kind","service_account"],["owner.technical","e.f@example.com"],["owner.business","g.h@example.com"],["justification","Weekly batch export"],["expires","2027-03-01"],["review.every","30d"],["review.last","2026-11-15"],["review.by","g.h@example.com"],["identity arn:aws:iam::111122223333:role/batch trusted_by","ecs-tasks.amazonaws.com"]]'
run diff --repo "$REPO" --format json batch base
expect_jq '[.agents[] | [.name, .change]]' '[["batch","removed"]]'
expect_jq '[.agents[].fields[] | select(.to == null) | .field]' \
	'["kind","owner.technical","owner.business","justification","expires","review.every","review.last","review.by"]'
run diff --repo "$REPO" base batch
expect_out "  owner.business: 'g.h@example.com'"
expect_out "  justification: 'Weekly batch export'"
expect_out "  expires: '2027-03-01'"
expect_out "  review.every: '30d'"
expect_no_out "(unset) -> 'Weekly batch export'"
run diff --repo "$REPO" batch base
expect_out "  owner.technical: 'e.f@example.com'"
expect_no_out "'e.f@example.com' -> (unset)"
run diff --repo "$REPO" --format markdown base batch
expect_out "| owner.business | (unset) | g.h@example.com |"
expect_out "| kind | (unset) | service\\_account |"

case_name "identity moved keeps its trust"
git_repo checkout -q batch
cat >"$REPO/specs/batch.mandate" <<'EOF'
agent "batch" {
  kind = service_account
  owner { technical = "e.f@example.com" business = "g.h@example.com" }
  justification = "Weekly batch export"
  review { every = 30d last = 2026-11-15 by = "g.h@example.com" }
  expires = 2027-03-01
  identity aws role "arn:aws:iam::111122223333:role/batch" { trusted_by = "ecs-tasks.amazonaws.com" }
  identity aws role "arn:aws:iam::111122223333:role/app" { trusted_by = "ecs-tasks.amazonaws.com" }
  grant read on aws:sqs "arn:aws:sqs:us-east-1:111122223333:batch" { because = "Jobs" }
}
EOF
write_app '  identity aws role "arn:aws:iam::111122223333:role/app2" { trusted_by = "ecs-tasks.amazonaws.com" }' \
	"$APP_GRANTS" "$APP_WAIVER"
git_repo add -A
git_repo commit -q -m "Move the app role to batch"
git_repo tag moved
run diff --repo "$REPO" batch moved
expect_no_out "role/app trusted_by: (unset)"
run diff --repo "$REPO" --format json batch moved
expect_jq '[.agents[] | select(.name == "batch") | .fields[]]' '[]'

case_name "identity moved loses a condition"
git_repo checkout -q batch
cat >"$REPO/specs/batch.mandate" <<'EOF'
agent "batch" {
  kind = service_account
  owner { technical = "e.f@example.com" business = "g.h@example.com" }
  justification = "Weekly batch export"
  review { every = 30d last = 2026-11-15 by = "g.h@example.com" }
  expires = 2027-03-01
  identity aws role "arn:aws:iam::111122223333:role/batch" { trusted_by = "ecs-tasks.amazonaws.com" }
  identity aws role "arn:aws:iam::111122223333:role/app" { trusted_by = "ecs-tasks.amazonaws.com" }
  grant actions ["s3:GetObject"] on "arn:aws:s3:::data/*" { because = "Input" }
}
EOF
write_app '  identity aws role "arn:aws:iam::111122223333:role/app2" { trusted_by = "ecs-tasks.amazonaws.com" }' \
	"$APP_GRANTS" "$APP_WAIVER"
git_repo add -A
git_repo commit -q -m "Move the app role to batch without its condition"
git_repo tag moved-data
run diff --repo "$REPO" --format json batch moved-data
expect_jq '[.agents[] | select(.name == "batch") | .escalations[] | .message]' \
	'["identity '"'"'arn:aws:iam::111122223333:role/app'"'"', new to these grants, gains access to '"'"'arn:aws:s3:::data/*'"'"' without the condition NumericLessThan aws:MultiFactorAuthAge [3600]: s3:GetObject"]'

case_name "renamed_by names the pairing"
git_repo checkout -q batch
git_repo mv specs/batch.mandate specs/weekly.mandate
sed -i 's|role/batch"|role/weekly"|' "$REPO/specs/weekly.mandate"
git_repo commit -q -a -m "Move batch to another file with another role"
git_repo tag batch-name
git_repo checkout -q batch
git_repo mv specs/batch.mandate specs/weekly.mandate
sed -i 's|role/batch"|role/weekly"|; s|agent "batch"|agent "weekly"|' \
	"$REPO/specs/weekly.mandate"
git_repo commit -q -a -m "Rename batch and its file and role"
git_repo tag batch-file
git_repo checkout -q batch
git_repo mv specs/batch.mandate specs/weekly.mandate
git_repo commit -q -a -m "Move batch to another file"
git_repo tag batch-moved
run diff --repo "$REPO" --format json batch batch-name
expect_jq '[.agents[] | [.name, .change, .renamed_by]]' \
	'[["batch","changed","name"]]'
run diff --repo "$REPO" --format json batch batch-file
expect_jq '[.agents[] | [.name, .change, .old_name, .renamed_by]]' \
	'[["weekly","changed","batch","file"]]'
run diff --repo "$REPO" --format json batch batch-moved
expect_jq '[.agents[] | [.name, .change, .renamed_by]]' \
	'[["batch","changed","identity"]]'

case_name "a name build cannot write stops the comparison"
git_repo checkout -q main
sed 's/^agent "app" {/agent "a b" {/; s/^waive MND140 for "app"/waive MND140 for "a b"/' "$REPO/specs/app.mandate" \
	>"$TMP/renamed.mandate"
cp "$TMP/renamed.mandate" "$REPO/specs/app.mandate"
run diff --repo "$REPO" main
expect_status 2
expect_err "agent name 'a b' cannot be used as a directory name"
expect_err "the specs in the working tree do not compile"
git_repo checkout -q -- specs

case_name "a pull-request comment mentions nobody"
sed 's/^agent "app" {/agent "@security" {/; s/^waive MND140 for "app"/waive MND140 for "@security"/; s/Nightly app job/Nightly job, ask @octocat or ops@example.com/' \
	"$REPO/specs/app.mandate" >"$TMP/mention.mandate"
cp "$TMP/mention.mandate" "$REPO/specs/app.mandate"
run diff --repo "$REPO" --format markdown main
expect_status 0
expect_out "### &#64;security (renamed from app)"
expect_out "ask &#64;octocat or ops@example.com"
if grep -q "[^a-z.]@[a-z]" "$out"; then
	fail "a mention is left in the Markdown report"
fi
git_repo checkout -q -- specs

finish
