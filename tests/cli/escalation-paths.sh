# Every privilege-escalation path of the pathfinding.cloud catalogue
# (tests/fixtures/policy-tests/pathfinding) against the standard
# library's paths and against MND133 on live identities.
#
# One generated export contains, for every path, users whose policies
# allow the path's required actions, one action per policy, spread over
# the user's inline and managed policies and its group's. One user is
# allowed them all. For each action, one user lacks it, one is allowed
# it and denies it, and one has a permissions boundary that leaves it
# out. A last user per path has a boundary that allows exactly the
# path. Each user's MND133 finding must name exactly the paths whose
# actions it is allowed.
. tests/cli/lib.sh

YAML=tests/fixtures/policy-tests/pathfinding
STDLIB=stdlib/aws/escalation-paths.mandate
mkdir "$TMP/none"

# Print "id action..." for each path file, actions lower-cased and
# sorted: the permissions.required list of the pathfinding.cloud schema.
for f in "$YAML"/*.yaml; do
	awk '/^id:/ { id = $2; gsub(/"/, "", id) }
	     /^permissions:/ { perm = 1; next }
	     /^[a-zA-Z]/ { perm = 0 }
	     perm && /^  required:/ { req = 1; next }
	     perm && /^  [a-z]/ { req = 0 }
	     perm && req && /^ *- permission:/ {
		a = $3; gsub(/"/, "", a); list = list " " tolower(a)
	     }
	     END { print id list }' "$f"
done | while read -r id actions; do
	echo "$id $(printf '%s\n' $actions | sort | tr '\n' ' ')"
done | sed 's/ $//' | sort >"$TMP/yaml-paths"

# The same from the standard library's escalation blocks.
awk '/^escalation "/ { if (id) print id list; id = $2; gsub(/"/, "", id)
		       list = ""; next }
     /"[^"]*:[^"]*"/ && id {
	line = $0
	while (match(line, /"[^"]*:[^"]*"/)) {
		a = substr(line, RSTART + 1, RLENGTH - 2)
		list = list " " tolower(a)
		line = substr(line, RSTART + RLENGTH)
	}
     }
     END { if (id) print id list }' "$STDLIB" |
while read -r id actions; do
	echo "$id $(printf '%s\n' $actions | sort | tr '\n' ' ')"
done | sed 's/ $//' | sort >"$TMP/stdlib-paths"

case_name "the standard library has every pathfinding path"
expect_eq "$(wc -l <"$TMP/yaml-paths")" 65 "paths in the fixtures"
if ! diff -u "$TMP/yaml-paths" "$TMP/stdlib-paths" >"$TMP/diff"; then
	fail "stdlib/aws/escalation-paths.mandate differs from the fixtures"
	cat "$TMP/diff" >&2
fi

# Generate the export, and in $TMP/expected the paths each user should
# hold: every path whose actions are all among the user's.
awk -v expected="$TMP/expected" '
function policy(name, effect, key, action) {
	return sprintf("{\"Version\": \"2012-10-17\", \"Statement\": " \
		"[{\"Effect\": \"%s\", \"%s\": \"%s\", \"Resource\": \"*\"}]}",
		effect, key, action)
}
function managed(name, doc) {
	managed_list = managed_list (managed_list ? ",\n" : "") \
		sprintf("{\"PolicyName\": \"%s\", \"Arn\": \"%s%s\", " \
			"\"DefaultVersionId\": \"v1\", \"PolicyVersionList\": " \
			"[{\"Document\": %s, \"VersionId\": \"v1\", " \
			"\"IsDefaultVersion\": true}]}", name, POLICY, name, doc)
	return sprintf("{\"PolicyName\": \"%s\", \"PolicyArn\": \"%s%s\"}",
		       name, POLICY, name)
}
function append(list, item) {
	return list (list ? ", " : "") item
}
# Emit user u holding the actions of path p but action skip (0: none),
# denying action deny (0: none), with boundary the document of its
# permissions boundary ("" for none), which leaves out action excluded.
function user(u, p, skip, deny, boundary, excluded,
	      j, k, slot, doc, ui, um, gi, gm, held, out) {
	ui = um = gi = gm = ""
	for (j = 1; j <= n[p]; j++) {
		if (j == skip)
			continue
		held[act[p, j]] = 1
		doc = policy("", "Allow", "Action", act[p, j])
		slot = (j + p) % 4
		if (slot == 0)
			ui = append(ui, sprintf("{\"PolicyName\": \"%s-i%d\", " \
				"\"PolicyDocument\": %s}", u, j, doc))
		else if (slot == 1)
			um = append(um, managed(u "-m" j, doc))
		else if (slot == 2)
			gi = append(gi, sprintf("{\"PolicyName\": \"%s-gi%d\", " \
				"\"PolicyDocument\": %s}", u, j, doc))
		else
			gm = append(gm, managed(u "-gm" j, doc))
	}
	if (excluded)
		held[act[p, excluded]] = 0
	if (deny) {
		held[act[p, deny]] = 0
		ui = append(ui, sprintf("{\"PolicyName\": \"%s-deny\", " \
			"\"PolicyDocument\": %s}", u,
			policy("", "Deny", "Action", act[p, deny])))
	}
	out = sprintf("{\"UserName\": \"%s\", \"Arn\": \"%s%s\", " \
		"\"UserPolicyList\": [%s], \"AttachedManagedPolicies\": [%s], " \
		"\"GroupList\": [\"%s-g\"]", u, USER, u, ui, um, u)
	if (boundary != "") {
		managed(u "-boundary", boundary)
		out = out sprintf(", \"PermissionsBoundary\": " \
			"{\"PermissionsBoundaryType\": \"PermissionsBoundaryPolicy\", " \
			"\"PermissionsBoundaryArn\": \"%s%s-boundary\"}", POLICY, u)
	}
	users = users (users ? ",\n" : "") out "}"
	groups = groups (groups ? ",\n" : "") sprintf("{\"GroupName\": " \
		"\"%s-g\", \"Arn\": \"%s%s-g\", \"GroupPolicyList\": [%s], " \
		"\"AttachedManagedPolicies\": [%s]}", u, GROUP, u, gi, gm)

	out = u
	for (k = 1; k <= npaths; k++) {
		for (j = 1; j <= n[k]; j++)
			if (!held[act[k, j]])
				break
		if (j > n[k])
			out = out " " id[k]
	}
	print out >expected
}
BEGIN {
	USER = "arn:aws:iam::111122223333:user/"
	GROUP = "arn:aws:iam::111122223333:group/"
	POLICY = "arn:aws:iam::111122223333:policy/"
}
{
	id[NR] = $1
	n[NR] = NF - 1
	for (j = 2; j <= NF; j++)
		act[NR, j - 1] = $j
	npaths = NR
}
END {
	for (p = 1; p <= npaths; p++) {
		user(id[p] "--all", p, 0, 0, "", 0)
		for (j = 1; j <= n[p]; j++) {
			user(id[p] "--without-" j, p, j, 0, "", 0)
			user(id[p] "--deny-" j, p, 0, j, "", 0)
			user(id[p] "--boundary-without-" j, p, 0, 0,
			     policy("", "Allow", "NotAction", act[p, j]), j)
		}
		list = ""
		for (j = 1; j <= n[p]; j++)
			list = list (j > 1 ? ", " : "") "\"" act[p, j] "\""
		user(id[p] "--boundary-with-all", p, 0, 0,
		     "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": " \
		     "\"Allow\", \"Action\": [" list "], \"Resource\": \"*\"}]}",
		     0)
	}
	printf("{\"UserDetailList\": [\n%s],\n\"GroupDetailList\": [\n%s],\n" \
	       "\"RoleDetailList\": [],\n\"Policies\": [\n%s]}\n",
	       users, groups, managed_list)
}' "$TMP/yaml-paths" >"$TMP/export.json"

case_name "generated export"
run check --today 2026-12-01 --format json --against "$TMP/export.json" \
	"$TMP/none"
expect_status 1
cp "$out" "$TMP/report.json"

# Print "user path..." for each MND133 finding, from its details: either
# "paths: a, b" or one "path 'a': ..." line per path.
jq -r '.findings[] | select(.rule == "MND133") |
	(.identity | sub(".*:user/"; "")) + " " +
	([.details[] |
	  if startswith("paths: ") then (.[7:] | split(", ")[])
	  elif startswith("path '\''") then (.[6:] | split("'\''")[0])
	  else empty end] | join(" "))' "$TMP/report.json" |
	sort >"$TMP/got"
# Users expected to hold no path have no finding.
awk 'NF > 1' "$TMP/expected" | sort >"$TMP/want"

case_name "each user holds exactly the paths of its actions"
expect_eq "$(wc -l <"$TMP/want")" "$(wc -l <"$TMP/got")" "users with MND133"
if ! diff -u "$TMP/want" "$TMP/got" >"$TMP/diff"; then
	fail "MND133 paths differ from the actions each user holds"
	head -40 "$TMP/diff" >&2
fi

# The same, path by path, so that a failure names the path.
while read -r id actions; do
	case_name "path $id"
	set -- $actions
	grep -q "^$id--all .* $id\( \|$\)\|^$id--all $id\( \|$\)" "$TMP/got" ||
		fail "user $id--all holding $* has no MND133 naming $id"
	j=1
	for action in "$@"; do
		for variant in without deny boundary-without; do
			if grep -q "^$id--$variant-$j .*\b$id\b" "$TMP/got"; then
				fail "$id--$variant-$j ($action) still holds $id"
			fi
		done
		j=$((j + 1))
	done
	grep -q "^$id--boundary-with-all .*\b$id\b\|^$id--boundary-with-all $id" \
		"$TMP/got" ||
		fail "a boundary allowing every action of $id hides it"
done <"$TMP/yaml-paths"

# A finding names, for each action, the policy and statement granting
# it: iam-014's two actions come from a policy attached to the user and
# from a group's inline policy.
case_name "finding names each action's policy"
expect_eq "$(jq -r '.findings[] | select(.identity | endswith("user/iam-014--all")) | .details[] | select(startswith("path '\''iam-014'\''"))' "$TMP/report.json")" \
	"path 'iam-014': iam:AttachRolePolicy from managed policy 'iam-014--all-m1' statement #1; sts:AssumeRole from inline policy 'iam-014--all-gi2' of group 'iam-014--all-g' statement #1" \
	"iam-014 details"

finish
