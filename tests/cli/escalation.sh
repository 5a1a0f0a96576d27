# MND133 on live identities: how policies combine, where the finding
# points, and the expected results of Cloudsplaining's data
# (tests/fixtures/policy-tests/cloudsplaining) and its lab account.
. tests/cli/lib.sh

CS=tests/fixtures/policy-tests/cloudsplaining
LAB=tests/fixtures/aws/cloudsplaining-example.json
STDLIB=stdlib/aws/escalation-paths.mandate
ACCOUNT=arn:aws:iam::111122223333
mkdir "$TMP/none"

# Print an export with one user per argument "name=POLICY[;POLICY...]",
# each POLICY a document given to the user as its own inline policy.
export_of() {
	first=1
	printf '{"UserDetailList": ['
	for spec in "$@"; do
		name=${spec%%=*}
		docs=${spec#*=}
		[ $first = 1 ] || printf ','
		first=0
		printf '\n{"UserName": "%s", "Arn": "%s:user/%s", "UserPolicyList": [' \
			"$name" "$ACCOUNT" "$name"
		i=0
		echo "$docs" | tr ';' '\n' | while IFS= read -r doc; do
			[ $i = 0 ] || printf ', '
			i=$((i + 1))
			printf '{"PolicyName": "p%d", "PolicyDocument": %s}' "$i" "$doc"
		done
		printf ']}'
	done
	printf '\n]}\n'
}

allow() {
	printf '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "%s": %s, "Resource": %s}]}' \
		"${3:-Action}" "$1" "${2:-\"*\"}"
}

# Print the path ids of user $1's MND133 finding in the report in $out.
paths_of() {
	jq -r --arg u "$ACCOUNT:user/$1" '.findings[] |
		select(.rule == "MND133" and .identity == $u) | .details[] |
		if startswith("paths: ") then (.[7:] | split(", ")[])
		elif startswith("path '\''") then (.[6:] | split("'\''")[0])
		else empty end' "$out" | sort | tr '\n' ' ' | sed 's/ $//'
}

check_export() {
	export_of "$@" >"$TMP/export.json"
	run check --today 2026-12-01 --format json \
		--against "$TMP/export.json" "$TMP/none"
}

case_name "policies combine across statements, NotAction and wildcards"
check_export \
	"notaction=$(allow '["iam:ListUsers"]' '"*"' NotAction);{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Deny\", \"NotAction\": [\"iam:PassRole\", \"lambda:CreateFunction\", \"lambda:InvokeFunction\"], \"Resource\": \"*\"}]}" \
	"put-wildcard=$(allow '"iam:Put*Policy"')" \
	"wrong-resource=$(allow '"iam:CreatePolicyVersion"' '"arn:aws:s3:::bucket"')" \
	"conditional-deny=$(allow '"iam:PutUserPolicy"');{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Deny\", \"Action\": \"iam:PutUserPolicy\", \"Resource\": \"*\", \"Condition\": {\"Bool\": {\"aws:MultiFactorAuthPresent\": \"false\"}}}]}" \
	"narrow-deny=$(allow '"iam:PutUserPolicy"');{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Deny\", \"Action\": \"iam:PutUserPolicy\", \"Resource\": \"$ACCOUNT:user/admin\"}]}" \
	"lower-case=$(allow '["IAM:passrole", "EC2:runinstances"]')"
expect_status 1
# NotAction ["iam:ListUsers"] allows iam:PassRole; the Deny with
# NotAction takes away all but the three actions of lambda-001.
expect_eq "$(paths_of notaction)" lambda-001 "paths of NotAction"
expect_eq "$(paths_of put-wildcard)" "iam-005 iam-007 iam-011" \
	"paths of iam:Put*Policy"
expect_eq "$(paths_of wrong-resource)" "" \
	"paths of an action on a resource it cannot act on"
expect_eq "$(paths_of conditional-deny)" iam-007 \
	"paths under a conditional deny"
expect_eq "$(paths_of narrow-deny)" iam-007 \
	"paths under a deny of one user"
expect_eq "$(paths_of lower-case)" ec2-001 "paths of lower-case actions"
expect_out "user 'arn:aws:iam::111122223333:user/put-wildcard' is allowed every action of 3 privilege escalation paths, such as 'iam-005' (iam:PutRolePolicy), so it raises its own permissions"

# Of two statements granting an action, the finding names the one
# without conditions, and marks a grant that has only conditional ones.
case_name "unconditional grant named first"
mfa='"Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}'
conditional="{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"iam:PutUserPolicy\", \"Resource\": \"*\", $mfa}]}"
check_export "both=$conditional;$(allow '"iam:PutUserPolicy"')" \
	"conditional=$conditional"
expect_eq "$(jq -r '.findings[] | select(.identity | endswith(":user/both")) | .details[]' "$out")" \
	"path 'iam-007': iam:PutUserPolicy from inline policy 'p2' statement #1" \
	"details with a plain grant"
expect_eq "$(jq -r '.findings[] | select(.identity | endswith(":user/conditional")) | .details[]' "$out")" \
	"path 'iam-007': iam:PutUserPolicy from inline policy 'p1' statement #1 (under conditions)" \
	"details with a conditional grant"

# A spec that claims a user moves its finding to the spec and names the
# agent, so that a waiver of the agent can silence it.
case_name "claimed identity"
mkdir "$TMP/specs"
sed -e 's|role "arn:aws:iam::123456789012:role/ticket-summarizer"|user "arn:aws:iam::111122223333:user/put-wildcard"|' \
	-e '/trusted_by/d' -e '/boundary/d' \
	examples/agents/ticket-summarizer.mandate >"$TMP/specs/agent.mandate"
check_export "put-wildcard=$(allow '"iam:Put*Policy"')"
run check --today 2026-12-01 --format json \
	--against "$TMP/export.json" "$TMP/specs"
expect_status 1
expect_eq "$(jq -r '.findings[] | select(.rule == "MND133") | [.agent, .file, .line] | map(tostring) | join(" ")' "$out")" \
	"ticket-summarizer $TMP/specs/agent.mandate 30" "place of the finding"

# Cloudsplaining's escalation methods, with the pathfinding.cloud path
# privesc-method-to-pathfinding.json maps each to. A method's actions are
# those of the path it matches exactly in the gap analysis. The four
# methods that match no path exactly are listed by hand from the notes
# of the mapping file and Cloudsplaining's method names.
jq -r '.by_status[][] | select(.coverage.exact_match_methods | length > 0) |
	.coverage.exact_match_methods[] as $m |
	$m + " " + (.required_actions | join(" "))' \
	"$CS/privesc-gap-analysis.json" >"$TMP/methods"
cat >>"$TMP/methods" <<'EOF'
SetExistingDefaultPolicyVersion iam:setdefaultpolicyversion
UpdateRolePolicyToAssumeIt iam:updateassumerolepolicy sts:assumerole
PassExistingRoleToNewLambdaThenTriggerWithNewDynamo iam:passrole lambda:createfunction lambda:createeventsourcemapping dynamodb:createtable dynamodb:putitem
PassExistingRoleToNewDataPipeline iam:passrole datapipeline:createpipeline
EOF

case_name "every Cloudsplaining method has its actions"
expect_eq "$(cut -d' ' -f1 "$TMP/methods" | sort -u | wc -l)" \
	"$(jq '._meta.total_methods' "$CS/privesc-method-to-pathfinding.json")" \
	"methods"

users=""
while read -r method actions; do
	list=$(printf '"%s", ' $actions | sed 's/, $//')
	users="$users
$method=$(allow "[$list]")"
done <"$TMP/methods"
echo "$users" | sed '/^$/d' >"$TMP/users"
set --
while IFS= read -r u; do
	set -- "$@" "$u"
done <"$TMP/users"
check_export "$@"
expect_status 1

while read -r method actions; do
	path=$(jq -r --arg m "$method" '.[$m].path_id // "none"' \
		"$CS/privesc-method-to-pathfinding.json")
	basis=$(jq -r --arg m "$method" '.[$m].basis // ""' \
		"$CS/privesc-method-to-pathfinding.json")
	got=" $(paths_of "$method") "
	case_name "method $method"
	case $path:$basis in
	none:*)
		# No path of the catalogue uses iam:SetDefaultPolicyVersion.
		expect_eq "$got" "  " "paths of $method"
		;;
	*"path is superset"*)
		# The path needs more actions than the method: holding the
		# method's alone is not the whole path.
		case $got in *" $path "*)
			fail "$method alone holds $path, which needs more" ;;
		esac
		;;
	*)
		case $got in *" $path "*) ;; *)
			fail "$method ($actions) holds '$got', not $path" ;;
		esac
		;;
	esac
done <"$TMP/methods"

# With the two actions the method lacks, the data pipeline path is whole.
case_name "data pipeline with its whole path"
check_export "pipeline=$(allow '["iam:PassRole", "datapipeline:CreatePipeline", "datapipeline:PutPipelineDefinition", "datapipeline:ActivatePipeline"]')"
expect_eq "$(paths_of pipeline)" datapipeline-001 "paths"

# The gap analysis lists each path's required actions. Every one of its
# paths that the catalogue at the fixtures' commit contains must agree
# with the standard library. ecs-006 came later and is listed as a gap
# in tests/fixtures/policy-tests/README.md.
case_name "gap analysis agrees with the standard library"
jq -r '.by_status[][] | .id + " " + (.required_actions | sort | join(" "))' \
	"$CS/privesc-gap-analysis.json" | sort >"$TMP/gap"
expect_eq "$(wc -l <"$TMP/gap")" 66 "paths in the gap analysis"
while read -r id actions; do
	want=$(awk -v id="\"$id\"" '
		$1 == "escalation" && $2 == id { on = 1; next }
		on && /^}/ { exit }
		on { line = $0
		     while (match(line, /"[^"]*:[^"]*"/)) {
			print tolower(substr(line, RSTART + 1, RLENGTH - 2))
			line = substr(line, RSTART + RLENGTH) } }' "$STDLIB" |
		sort | tr '\n' ' ' | sed 's/ $//')
	if [ "$id" = ecs-006 ]; then
		expect_eq "$want" "" "ecs-006 in the standard library"
		continue
	fi
	expect_eq "$want" "$actions" "actions of $id"
done <"$TMP/gap"

# Cloudsplaining's example policies as a user's only policy.
case_name "Cloudsplaining example policies"
check_export "wildcards=$(tr -d '\n' <"$CS/wildcards.json")" \
	"explicit=$(tr -d '\n' <"$CS/explicit-actions.json")" \
	"test-policy=$(tr -d '\n' <"$CS/test_policy_file.json")"
expect_status 1
# ecr:* and s3:* reach no path.
expect_eq "$(paths_of wildcards)" "" "paths of wildcards.json"
# iam:CreateAccessKey and iam:DeleteAccessKey on users: iam-002 and
# iam-003. The resource is the caller's own user through
# ${aws:username}, which mandate does not narrow.
expect_eq "$(paths_of explicit)" "iam-002 iam-003" \
	"paths of explicit-actions.json"
expect_eq "$(paths_of test-policy)" "iam-002 iam-003" \
	"paths of test_policy_file.json"

# The same policies as spec grants give the wildcard findings.
case_name "Cloudsplaining wildcards as a spec grant"
sed -e '/^  grant read/,$d' examples/agents/ticket-summarizer.mandate \
	>"$TMP/wild.mandate"
cat >>"$TMP/wild.mandate" <<'EOF'
  grant actions ["ecr:*", "s3:*"] on "*" {
    because = "Cloudsplaining's wildcards.json"
  }
}
EOF
run check --today 2026-12-01 --format json "$TMP/wild.mandate"
expect_status 1
expect_eq "$(jq -r '[.findings[] | select(.rule == "MND130") | .message] | join("; ")' "$out")" \
	"wildcard action 'ecr:*'; wildcard action 's3:*'" "MND130 findings"
expect_eq "$(jq '[.findings[] | select(.rule == "MND131")] | length' "$out")" \
	1 "MND131 findings"
expect_eq "$(jq '[.findings[] | select(.rule == "MND133")] | length' "$out")" \
	0 "MND133 findings"

# Cloudsplaining's lab account: each user built to escalate by one
# method is allowed the path of that method, named by the mapping file.
case_name "lab account users"
run check --today 2026-12-01 --format json --against "$LAB" "$TMP/none"
expect_status 1
ACCOUNT=arn:aws:iam::200611803367
for pair in \
	privesc1-CreateNewPolicyVersion:iam-001 \
	privesc3-CreateEC2WithExistingInstanceProfile:ec2-001 \
	privesc4-CreateAccessKey:iam-002 \
	privesc5-CreateLoginProfile:iam-004 \
	privesc6-UpdateLoginProfile:iam-006 \
	privesc7-AttachUserPolicy:iam-008 \
	privesc8-AttachGroupPolicy:iam-010 \
	privesc9-AttachRolePolicy:iam-009 \
	privesc10-PutUserPolicy:iam-007 \
	privesc11-PutGroupPolicy:iam-011 \
	privesc12-PutRolePolicy:iam-005 \
	privesc13-AddUserToGroup:iam-013 \
	privesc14-UpdatingAssumeRolePolicy:iam-012 \
	privesc15-PassExistingRoleToNewLambdaThenInvoke:lambda-001 \
	privesc16-PassRoleToNewLambdaThenTriggerWithNewDynamo:lambda-002 \
	privesc17-EditExistingLambdaFunctionWithRole:lambda-003 \
	privesc18-PassExistingRoleToNewGlueDevEndpoint:glue-001 \
	privesc19-UpdateExistingGlueDevEndpoint:glue-002 \
	privesc20-PassExistingRoleToCloudFormation:cloudformation-001 \
	privesc21-PassExistingRoleToNewDataPipeline:datapipeline-001
do
	user=${pair%%:*}-user
	path=${pair##*:}
	case " $(paths_of "$user") " in *" $path "*) ;; *)
		fail "lab user $user does not hold $path" ;;
	esac
	# Each user has a role of the same name with the same policy.
	role=$ACCOUNT:role/${pair%%:*}-role
	got=$(jq -r --arg r "$role" '.findings[] |
		select(.rule == "MND133" and .identity == $r) | .details[]' \
		"$out")
	case $got in *"$path"*) ;; *)
		fail "lab role $role does not hold $path" ;;
	esac
done

# A boundary the export does not contain cannot be read, so it caps
# nothing, and the importer warns about it.
case_name "boundary missing from the export"
ACCOUNT=arn:aws:iam::111122223333
cat >"$TMP/export.json" <<EOF
{"UserDetailList": [{"UserName": "bounded", "Arn": "$ACCOUNT:user/bounded",
  "UserPolicyList": [{"PolicyName": "p1", "PolicyDocument": $(allow '"iam:PutUserPolicy"')}],
  "PermissionsBoundary": {"PermissionsBoundaryType": "PermissionsBoundaryPolicy",
    "PermissionsBoundaryArn": "$ACCOUNT:policy/absent"}}]}
EOF
run check --today 2026-12-01 --format json --against "$TMP/export.json" \
	"$TMP/none"
expect_status 1
expect_eq "$(paths_of bounded)" iam-007 "paths under an absent boundary"
expect_err "absent"

finish
