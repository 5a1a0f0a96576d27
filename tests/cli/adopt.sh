# mandate adopt: starting specs for live roles and users, compared with
# golden files, checked against the export they came from, and narrowed
# by service-last-accessed data.
. tests/cli/lib.sh

FIX=tests/fixtures/aws
GOLD=tests/fixtures/adopt
GAAD=$FIX/cloudmapper-demo-gaad.json
LEVEL1=arn:aws:iam::123456789012:role/service-role/level1

# Compare stdout with a golden file.
expect_golden() {
	if ! diff -u "$1" "$out" >"$TMP/diff"; then
		fail "output differs from $1"
		head -40 "$TMP/diff" >&2
	fi
}

case_name "golden: role with inline policy"
run adopt --against "$GAAD" --identity "$LEVEL1"
expect_status 0
expect_golden "$GOLD/level1.mandate"
expect_err "wrote a spec for '$LEVEL1' with 4 grants; fill in the owner, justification, review and expires fields"

case_name "golden: conditions and merged statements"
run adopt --against "$FIX/cloudsplaining-example.json" --identity \
	arn:aws:iam::200611803367:role/AWS-QuickSetup-EnableCRecording-1clff_ap-northeast-1
expect_status 0
expect_golden "$GOLD/quicksetup-recording.mandate"

case_name "golden: a user's group policies"
run adopt --against "$FIX/cloudsplaining-example.json" --identity \
	arn:aws:iam::200611803367:user/privesc-sre-user
expect_status 0
expect_golden "$GOLD/privesc-sre-user.mandate"

case_name "golden: what the language can and cannot write"
run adopt --against "$GOLD/tagger-gaad.json" \
	--identity arn:aws:iam::111122223333:role/tagger
expect_status 0
expect_golden "$GOLD/tagger.mandate"
expect_err "6 parts of the live policies could not be written exactly"
mkdir "$TMP/tagger"
cp "$out" "$TMP/tagger/tagger.mandate"
run check --today 2026-12-01 --format json \
	--against "$GOLD/tagger-gaad.json" "$TMP/tagger"
expect_status 1
expect_eq "$(jq -r '[.findings[].rule] | map(select(. == "MND210" or . == "MND134" or . == "MND135" or . == "MND136")) | length' "$out")" \
	0 "drift and compile findings of the adopted spec"
expect_eq "$(jq -r '[.findings[].rule] | map(select(. == "MND212" or . == "MND213")) | length' "$out")" \
	0 "trust and boundary findings"

# Names from the export go into comments. A line break in one must not
# end the comment, or the rest of the name would become spec code.
case_name "line breaks in names stay in comments"
cat >"$TMP/hostile.json" <<'EOF'
{"RoleDetailList": [{"RoleName": "ops", "Arn": "arn:aws:iam::111122223333:role/ops",
  "AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow",
    "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
  "RolePolicyList": [{"PolicyName": "read\n}\nagent \"injected\" {",
    "PolicyDocument": {"Statement": [{"Sid": "a\nb", "Effect": "Allow",
      "Action": ["s3:GetObject", "s3:NoSuchAction\ngrant"],
      "Resource": "arn:aws:s3:::reports/*"}]}}]}]}
EOF
mkdir "$TMP/hostile"
run adopt --against "$TMP/hostile.json" \
	--identity arn:aws:iam::111122223333:role/ops -o "$TMP/hostile/ops.mandate"
expect_status 0
run check --today 2026-12-01 --format json --against "$TMP/hostile.json" \
	"$TMP/hostile"
expect_status 1
expect_eq "$(jq -r '[.findings[].agent] | unique | join(" ")' "$out")" \
	"ops" "agents"
expect_eq "$(grep -c "^  # from inline policy 'read?}?agent \"injected\" {' statement 'a?b'\$" "$TMP/hostile/ops.mandate")" \
	1 "comment lines naming the policy"

# level1-access-action-level.json: ecr last used 2018-12-01 and s3's
# tracked ListBucket never, in the 90 days before 2019-05-03.
case_name "golden: narrowed by last-accessed data"
run adopt --against "$GAAD" --against "$FIX/level1-access-action-level.json" \
	--today 2019-05-10 --identity "$LEVEL1"
expect_status 0
expect_golden "$GOLD/level1-narrowed.mandate"
expect_err "left out 2 unused services or actions"
expect_eq "$(grep -c 'grant actions' "$out")" 1 "grants kept"
expect_no_out '"ecr:'
expect_no_out '"s3:ListBucket"'

case_name "narrowed spec has no MND230 and drifts by what was left out"
mkdir "$TMP/narrowed"
cp "$out" "$TMP/narrowed/level1.mandate"
run check --today 2019-05-10 --format json --against "$GAAD" \
	--against "$FIX/level1-access-action-level.json" "$TMP/narrowed"
expect_status 1
expect_eq "$(jq '[.findings[] | select(.rule == "MND230")] | length' "$out")" \
	0 "MND230 findings"
expect_eq "$(jq -r '[.findings[] | select(.rule == "MND210" and .identity == "'"$LEVEL1"'") | .message] | sort | .[]' "$out")" \
	"live policy 'level1' statement #2 allows 's3:ListBucket' on 'arn:aws:s3:::level1.flaws2.cloud' beyond the spec: the spec grants s3 read only
live policy 'level1' statement #3 allows 3 actions beyond the spec, such as 'ecr:BatchGetImage' on 'arn:aws:ecr:*:123456789012:repository/level2'
live policy 'level1' statement #4 allows 'ecr:GetAuthorizationToken' on '*' beyond the spec: the spec grants no ecr action" \
	"MND210 of the left-out access"

case_name "stale last-accessed data gets a warning"
run adopt --against "$GAAD" --against "$FIX/level1-access-action-level.json" \
	--today 2019-06-20 --identity "$LEVEL1"
expect_status 0
expect_err "warning: the service-last-accessed data is 48 days old (the job completed on 2019-05-03)"

case_name "adopted spec fails the check on its fill-ins only"
mkdir "$TMP/one"
run adopt --against "$GAAD" --identity "$LEVEL1" -o "$TMP/one/level1.mandate"
expect_status 0
expect_eq "$(cat "$out")" "" "stdout with -o"
cmp -s "$TMP/one/level1.mandate" "$GOLD/level1.mandate" ||
	fail "-o wrote other bytes than stdout"
run check --today 2026-12-01 --format json "$TMP/one"
expect_status 1
expect_eq "$(jq -r '[.findings[].rule] | unique | join(" ")' "$out")" \
	"MND101 MND102 MND110 MND120 MND122 MND123" "rules"

case_name "filled-in spec passes"
sed -e 's/^  # owner {/  owner {/' -e 's/^  #   technical = "person@example.com"/    technical = "ana.silva@example.com"/' \
	-e 's/^  #   business  = "person@example.com"/    business  = "ben.carter@example.com"/' \
	-e 's/^  # }/  }/' \
	-e 's/^  # justification = .*/  justification = "Players download the level files and container image"/' \
	-e 's/^  # review  .*/  review { every = 90d  last = 2026-11-01  by = "ben.carter@example.com" }/' \
	-e 's/^  # expires = .*/  expires = 2027-06-01/' \
	"$TMP/one/level1.mandate" >"$TMP/one/filled"
mv "$TMP/one/filled" "$TMP/one/level1.mandate"
run check --today 2026-12-01 --format json --against "$GAAD" "$TMP/one"
expect_eq "$(jq -r '[.findings[] | select(.agent == "level1") | .rule] | unique | join(" ")' "$out")" \
	"" "findings of the filled-in agent"

case_name "output does not depend on the order of exports"
run adopt --against "$FIX/level1-access-action-level.json" --against "$GAAD" \
	--today 2019-05-10 --identity "$LEVEL1"
expect_status 0
expect_golden "$GOLD/level1-narrowed.mandate"

case_name "an existing file is kept"
printf '# mine\n' >"$TMP/mine.mandate"
run adopt --against "$GAAD" --identity "$LEVEL1" -o "$TMP/mine.mandate"
expect_status 2
expect_err "$TMP/mine.mandate: error: already exists; choose another file, or pass --force to overwrite it"
expect_no_err "wrote a spec"
expect_eq "$(cat "$TMP/mine.mandate")" "# mine" "the existing file"
run adopt --force --against "$GAAD" --identity "$LEVEL1" \
	-o "$TMP/mine.mandate"
expect_status 0
cmp -s "$TMP/mine.mandate" "$GOLD/level1.mandate" ||
	fail "--force did not write the spec"
run adopt --against "$GAAD" --identity "$LEVEL1" -o -
expect_status 0
expect_golden "$GOLD/level1.mandate"

case_name "unknown identity"
printf 'old\n' >"$TMP/keep.mandate"
run adopt --against "$GAAD" --identity arn:aws:iam::123456789012:role/nobody \
	--force -o "$TMP/keep.mandate"
expect_status 2
expect_err "error: no role or user 'arn:aws:iam::123456789012:role/nobody' in the exports"
expect_eq "$(cat "$TMP/keep.mandate")" "old" "file left as it was"

case_name "group"
run adopt --against "$GAAD" \
	--identity arn:aws:iam::aws:group/GROUP_WITH_BAD_INLINE_POLICY
expect_status 2
expect_err "is a group; adopt writes the spec of a user or role"

case_name "missing --identity"
run adopt --against "$GAAD"
expect_status 2
expect_err "mandate adopt: error: missing --identity ARN"

case_name "malformed export"
run adopt --against tests/fixtures/bad/truncated.json --identity "$LEVEL1"
expect_status 2
expect_err "tests/fixtures/bad/truncated.json:19:23: error: invalid JSON"
expect_eq "$(cat "$out")" "" "stdout"

case_name "help"
run adopt --help
expect_status 0
expect_out "usage: mandate adopt --against EXPORT... --identity ARN"

# cases-gaad.json: one identity for each limit of what adopt can write.
CASES=$GOLD/cases-gaad.json
ACCT=arn:aws:iam::111122223333
for name in user/literal user/variable role/google role/tagged-sessions \
	role/bounded role/bounded-by-condition role/denied; do
	case_name "golden: $name"
	run adopt --against "$CASES" --identity "$ACCT:$name"
	expect_status 0
	expect_golden "$GOLD/${name#*/}.mandate"
done

case_name "exact changes are not counted as inexact"
for name in user/literal role/denied; do
	run adopt --against "$CASES" --identity "$ACCT:$name"
	! grep -q "could not be written exactly" "$err" ||
		fail "$name: exact changes counted as inexact"
done

case_name "adopted cases compile and match the export"
mkdir "$TMP/cases"
for arn in $(jq -r '.RoleDetailList[].Arn, .UserDetailList[].Arn' "$CASES"); do
	run adopt --against "$CASES" --identity "$arn" \
		-o "$TMP/cases/${arn##*/}.mandate"
	expect_status 0
done
run check --today 2026-12-01 --format json --against "$CASES" "$TMP/cases"
expect_status 1
expect_eq "$(jq '[.findings[] | select(.rule == "MND210" or .rule == "MND211" or .rule == "MND134" or .rule == "MND135" or .rule == "MND136")] | length' "$out")" \
	0 "drift, undeployed and compile findings"
expect_eq "$(jq -r '[.findings[] | select(.rule == "MND212") | .message] | sort | .[]' "$out")" \
	"trust policy of 'cognito' admits Federated principal 'cognito-identity.amazonaws.com', which trusted_by does not name
trust policy of 'google' admits Federated principal 'accounts.google.com', which trusted_by does not name" \
	"MND212 of the federated principals left out"
expect_eq "$(jq '[.findings[] | select(.rule == "MND213")] | length' "$out")" \
	0 "boundary findings"

case_name "build emits the escaped literal unchanged"
run build --target aws -o "$TMP/cases-out" "$TMP/cases/literal.mandate"
expect_status 0
expect_eq "$(jq -r '.Statement[] | .Resource, (.Condition.StringLike["s3:prefix"] // empty)' "$TMP/cases-out/aws/literal/111122223333-user-literal/identity-policy.json" | sort)" \
	'${$}{aws:username}/*
arn:aws:s3:::home
arn:aws:s3:::home/${$}{aws:username}/*' "resources and condition values"

case_name "a variable does not match a literal of a version-less policy"
sed 's/\${\$}{/${/g' "$TMP/cases/literal.mandate" >"$TMP/variable.mandate"
mv "$TMP/variable.mandate" "$TMP/cases/literal.mandate"
run check --today 2026-12-01 --format json --against "$CASES" "$TMP/cases"
expect_eq "$(jq -r '[.findings[] | select(.rule == "MND210") | .message] | sort | .[]' "$out")" \
	"live policy 'home' statement #1 allows 's3:GetObject' on 'arn:aws:s3:::home/\${\$}{aws:username}/*' beyond the spec: the spec grants it on narrower resources
live policy 'home' statement #2 allows 's3:ListBucket' on 'arn:aws:s3:::home' beyond the spec: the spec grants it only under condition StringLike 's3:prefix', which the live statement's condition StringLike 's3:prefix' does not imply" \
	"MND210 of the literal user"
expect_eq "$(jq '[.findings[] | select(.rule == "MND210") | select(.note // "" | test("Version is not 2012-10-17"))] | length' "$out")" \
	2 "notes on the version"

case_name "a user's name matches its username variable"
sed 's|home/\${aws:username}/\*|home/variable/*|' "$GOLD/variable.mandate" \
	>"$TMP/cases/variable.mandate"
run check --today 2026-12-01 --format json --against "$CASES" "$TMP/cases"
expect_eq "$(jq -r '[.findings[] | select((.rule == "MND210" or .rule == "MND211") and .agent == "variable")] | length' "$out")" \
	0 "drift and undeployed findings of the user"

case_name "another user's name is drift"
sed 's|home/\${aws:username}/\*|home/other/*|' "$GOLD/variable.mandate" \
	>"$TMP/cases/variable.mandate"
run check --today 2026-12-01 --format json --against "$CASES" "$TMP/cases"
expect_eq "$(jq -r '[.findings[] | select(.rule == "MND210" and .agent == "variable") | .message] | .[]' "$out")" \
	"live policy 'home' statement #1 allows 's3:GetObject' on 'arn:aws:s3:::home/\${aws:username}/*' beyond the spec: the spec grants it on narrower resources" \
	"MND210 of the user"

case_name "no name is put into a version-less policy"
sed 's|home/\${\$}{aws:username}/\*|home/literal/*|' "$GOLD/literal.mandate" \
	>"$TMP/cases/literal.mandate"
run check --today 2026-12-01 --format json --against "$CASES" "$TMP/cases"
expect_eq "$(jq -r '[.findings[] | select(.rule == "MND210" and .agent == "literal") | .message] | .[]' "$out")" \
	"live policy 'home' statement #1 allows 's3:GetObject' on 'arn:aws:s3:::home/\${\$}{aws:username}/*' beyond the spec: the spec grants it on narrower resources" \
	"MND210 of the literal user"

case_name "trusted_by names a service, not a federated principal"
sed 's|^  }$|    trusted_by = "cognito-identity.amazonaws.com"\n  }|' \
	"$TMP/cases/cognito.mandate" >"$TMP/cognito.mandate"
mv "$TMP/cognito.mandate" "$TMP/cases/cognito.mandate"
run check --today 2026-12-01 --format json --against "$CASES" "$TMP/cases"
expect_eq "$(jq -r '[.findings[] | select(.rule == "MND212" and .agent == "cognito")] | length' "$out")" \
	1 "MND212 of the cognito role"

# The round trip: every role and user of every authorization-details
# fixture is adopted, and the adopted specs are checked against the
# export they came from. No MND210 may remain. The only unknown names
# may be actions the catalog lacks (retired services), which the
# adopted spec names and says so; no grant may match nothing and no
# condition may be invalid.
for gaad in "$FIX"/*.json; do
	jq -e '.RoleDetailList or .UserDetailList' "$gaad" >/dev/null 2>&1 ||
		continue
	name=$(basename "$gaad" .json)
	dir=$TMP/round/$name
	mkdir -p "$dir"
	adopted=0
	refused=0
	for arn in $(jq -r '(.RoleDetailList // [])[].Arn,
			    (.UserDetailList // [])[].Arn' "$gaad"); do
		case_name "round trip: adopt $arn"
		n=$((adopted + refused))
		run adopt --against "$gaad" --identity "$arn" -o "$dir/$n.mandate"
		case $arn in
		arn:aws:iam::[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]:*)
			expect_status 0
			adopted=$((adopted + 1))
			;;
		*)
			# Placeholder and made-up accounts: no spec can name them.
			expect_status 2
			expect_err "error: a spec cannot name '$arn'"
			refused=$((refused + 1))
			;;
		esac
	done
	echo "$name $adopted $refused" >>"$TMP/round/counts"
	[ "$adopted" -gt 0 ] || continue

	case_name "round trip: check $name"
	run check --today 2026-12-01 --format json --against "$gaad" "$dir"
	expect_status 1
	expect_eq "$(jq '[.findings[] | select(.rule == "MND135" or .rule == "MND136")] | length' "$out")" \
		0 "MND135 and MND136 findings"
	expect_eq "$(jq '[.findings[] | select(.rule == "MND210")] | length' "$out")" \
		0 "MND210 findings"
	jq -r '.findings[] | select(.rule == "MND134") | .file + " " + .message' "$out" >"$TMP/unknown"
	while read -r file message; do
		case $message in
		"unknown action '"*"'"|"unknown service '"*"' in action '"*"'")
			action=${message##* \'}
			action=${action%\'}
			grep -qF "# '$action' is not in the AWS catalog; the spec names it" "$file" ||
				fail "$file does not say why it names '$action'"
			;;
		*) fail "unexpected MND134 in $file: $message" ;;
		esac
	done <"$TMP/unknown"
	expect_eq "$(jq '[.findings[] | select(.rule == "MND201")] | length' "$out")" \
		"$refused" "identities left unowned"
	expect_eq "$(jq '[.findings[] | select(.rule == "MND101")] | length' "$out")" \
		"$adopted" "agents without a technical owner"
	# Besides the fill-ins, the rules may report only what the live
	# access itself is: broad (MND130 to MND133), too large to emit
	# (MND301), denied live (MND211), trusting principals that
	# trusted_by cannot name (MND212), or attached but not exported
	# (MND214).
	expect_eq "$(jq -r '[.findings[].rule] | unique | map(select(IN("MND101", "MND102", "MND110", "MND111", "MND120", "MND122", "MND123", "MND130", "MND131", "MND132", "MND133", "MND134", "MND201", "MND211", "MND212", "MND214", "MND301") | not)) | join(" ")' "$out")" \
		"" "other rules"
done

case_name "round trip counts"
expect_eq "$(sort "$TMP/round/counts")" "cloudmapper-demo-gaad 4 2
cloudsplaining-authz-details-for-overrides-complete 3 0
cloudsplaining-example 116 0
cloudsplaining-example_authz_v2 3 0
localstack-snapshot-filter_role 0 1
localstack-snapshot-no_filter 0 2
localstack-snapshot-with_inline_policies 0 2" "identities adopted and refused"

# Write to $1 an export of a role whose inline policy has $3
# statements, each made by jq expression $2 from its number.
make_role() {
	jq -n --argjson n "$3" '{"UserDetailList": [], "GroupDetailList": [],
	  "Policies": [], "RoleDetailList": [{"Path": "/", "RoleName": "big",
	  "RoleId": "AROAEXAMPLE000000001",
	  "Arn": "arn:aws:iam::111122223333:role/big",
	  "CreateDate": "2024-01-01T00:00:00Z", "AssumeRolePolicyDocument":
	    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
	     "Principal": {"Service": "ecs-tasks.amazonaws.com"},
	     "Action": "sts:AssumeRole"}]},
	  "InstanceProfileList": [], "AttachedManagedPolicies": [], "Tags": [],
	  "RolePolicyList": [{"PolicyName": "p", "PolicyDocument":
	    {"Version": "2012-10-17",
	     "Statement": [range($n) | '"$2"']}}]}]}' >"$1"
}
BIG=arn:aws:iam::111122223333:role/big

# Thousands of statements take adopt well under a second; each used to
# cost time or memory in proportion to all those before it.
case_name "thousands of denies"
make_role "$TMP/denies.json" \
	'{"Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::bkt\(.)/x/*"}' \
	5000
run adopt --against "$TMP/denies.json" --identity "$BIG" \
	-o "$TMP/denies.mandate"
expect_status 0
expect_eq "$(grep -c '^  deny actions \[$' "$TMP/denies.mandate")" 5000 \
	"deny items"
expect_eq "$(grep -c '^  \] on "arn:aws:s3:::bkt[0-9]*/x/\*"$' "$TMP/denies.mandate")" \
	5000 "deny resources"
expect_eq "$(grep -c '^    "s3:GetObject",$' "$TMP/denies.mandate")" 5000 \
	"denies of s3:GetObject"
run check --today 2026-12-01 --format json "$TMP/denies.mandate"
expect_status 1
expect_eq "$(jq -r '[.findings[].rule] | unique | join(" ")' "$out")" \
	"MND101 MND102 MND110 MND120 MND122 MND123 MND301" \
	"rules, with the policy too large for IAM"

# 6,000 such denies make a spec of about 8.8 MB, which no command reads.
case_name "spec over the file size limit"
make_role "$TMP/more-denies.json" \
	'{"Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::bkt\(.)/x/*"}' \
	6000
printf '# mine\n' >"$TMP/kept.mandate"
run adopt --against "$TMP/more-denies.json" --identity "$BIG" --force \
	-o "$TMP/kept.mandate"
expect_status 2
expect_err "error: the spec for '$BIG' would be larger than the maximum of 8388608 bytes for a spec file; its live policies make 6000 grant and deny items"
expect_err "$TMP/more-denies.json:6:5: error:"
expect_no_err "wrote a spec"
expect_eq "$(cat "$TMP/kept.mandate")" "# mine" "the existing file"
run adopt --against "$TMP/more-denies.json" --identity "$BIG"
expect_status 2
expect_eq "$(wc -c <"$out")" 0 "bytes on stdout"

case_name "thousands of statements merged"
make_role "$TMP/same.json" \
	'{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bkt/x/*"}' \
	16000
run adopt --against "$TMP/same.json" --identity "$BIG"
expect_status 0
expect_eq "$(grep -c '^  grant ' "$out")" 1 "grant items"
expect_out '  grant actions ["s3:GetObject"] on "arn:aws:s3:::bkt/x/*" {'
expect_eq "$(grep -c "^  # from inline policy 'p' statement [0-9]*$" "$out")" \
	16000 "statements named"
expect_err "with 1 grant;"

# What the language cannot hold is left out with a comment, so the
# adopted spec still checks.
case_name "values longer than the language allows"
long=$(printf 'x%.0s' $(seq 3000))
jq --arg long "$long" '(.RoleDetailList[] | select(.RoleName == "report-writer") | .RolePolicyList) = [{"PolicyName": "p", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
	{"Effect": "Allow", "Action": "s3:GetObject", "Resource": ("arn:aws:s3:::b/" + $long)},
	{"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::ok/*",
	 "Condition": {"StringEquals": {"aws:PrincipalTag/team": ("t" + $long)}}},
	{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::ok"}]}}]' \
	"$ROOT/examples/exports/authorization-details.json" >"$TMP/long.json"
run adopt --today 2026-12-01 --against "$TMP/long.json" \
	--identity arn:aws:iam::123456789012:role/report-writer \
	-o "$TMP/long.mandate"
expect_status 0
expect_eq "$(grep -c 'is not adopted: a resource is longer than a spec string may be' "$TMP/long.mandate")" \
	1 "comments on the long resource"
expect_eq "$(grep -c 'left out (a value is longer than a spec string may be)' "$TMP/long.mandate")" \
	1 "comments on the long condition value"
run check --today 2026-12-01 "$TMP/long.mandate"
if grep -q "bytes" "$err"; then
	fail "the adopted spec breaks a limit of the language"
fi
expect_no_err "longer than"

finish
