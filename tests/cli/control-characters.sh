# Control characters, C1 controls and bidirectional controls in user
# text print as '?' wherever mandate shows that text: source excerpts,
# Markdown reports, inventory and due listings, simulate's output, log
# lines and usage errors. A reader then sees that something is there, and the text
# cannot drive the terminal. Tabs stay in excerpts, so the caret lines
# up, and become spaces in Markdown cells.
. tests/cli/lib.sh

gaad=examples/exports/authorization-details.json
today="--today 2026-12-01"
esc=$(printf '\033')
rlo=$(printf '\342\200\256')	# U+202E RIGHT-TO-LEFT OVERRIDE
nel=$(printf '\302\205')	# U+0085 NEXT LINE, a C1 control

# Fail if the last stdout or stderr contains ESC, U+202E or U+0085.
expect_no_controls() {
	for stream in "$out" "$err"; do
		for c in "$esc" "$rlo" "$nel"; do
			if grep -q "$c" "$stream"; then
				fail "a control character reached $(basename "$stream")"
			fi
		done
	done
}

case_name "excerpt with controls in a comment"
printf 'agent "a" {\n  kind = 1  # c\033[1m \342\200\256x\302\205y\tz\n}\n' \
	>"$TMP/comment.mandate"
run check $today --color never "$TMP/comment.mandate"
expect_status 2
expect_err "$TMP/comment.mandate:2:10: error:"
expect_err "$(printf '      kind = 1  # c?[1m ?x?y\tz')"
expect_no_controls

case_name "excerpt with a control in a string"
printf 'agent "a" {\n  description = "x\001y"\n}\n' >"$TMP/string.mandate"
run check $today --color never "$TMP/string.mandate"
expect_status 2
expect_err "$TMP/string.mandate:2:19: error: control character 0x01 in a string"
expect_err '      description = "x?y"'

# An export whose file name contains an escape sequence and whose inline
# policy name contains a C1 and a bidirectional control.
bad="$TMP/ex${esc}[31mport.json"
jq '.RoleDetailList[0].RolePolicyList[0].PolicyName = "hot\u202efix\u0085y"' \
	"$gaad" >"$bad"

case_name "markdown report with controls"
run check $today --color never --format markdown --against "$bad" \
	examples/agents
expect_status 1
expect_out "| $TMP/ex?\\[31mport.json:27:15 | live policy 'hot?fix?y'"
expect_no_controls

case_name "text report with controls"
run check $today --color never --against "$bad" examples/agents
expect_status 1
expect_out "$TMP/ex?[31mport.json:27:15: error: live policy 'hot?fix?y'"
expect_no_controls

case_name "log line with a control"
run check -v $today --color never --against "$bad" examples/agents
expect_status 1
expect_err "mandate: reading export $TMP/ex?[31mport.json"
expect_no_controls

case_name "simulate answer with controls"
run simulate --today 2026-12-01 --against "$bad" \
	--principal arn:aws:iam::123456789012:role/report-writer \
	--action s3:AbortMultipartUpload --resource arn:aws:s3:::x/y
expect_status 0
expect_out "allowed by statement #1 of inline policy 'hot?fix?y' of role 'report-writer'"
expect_no_controls

case_name "inventory of a role name with controls"
jq '.RoleDetailList[1].RoleName = "legacy\u202eetl\u0085x" |
	.RoleDetailList[1].Arn = "arn:aws:iam::123456789012:role/legacy\u202eetl\u0085x"' \
	"$gaad" >"$TMP/names.json"
run inventory --against "$TMP/names.json" examples/agents
expect_status 0
expect_out "arn:aws:iam::123456789012:role/legacy?etl?x"
expect_no_controls

case_name "due listing of an owner with controls"
mkdir "$TMP/due"
sed "s/\"dara.walsh@fernbrook.example\"/\"dara${rlo}walsh${nel}@fernbrook.example\"/" \
	examples/agents/catalog-enricher.mandate >"$TMP/due/a.mandate"
run due --today 2027-06-20 "$TMP/due"
expect_status 0
expect_out "dara?walsh?@fernbrook.example"
expect_no_controls

case_name "usage error with controls in an argument"
run check --format "x${esc}[31m${rlo}y"
expect_status 2
expect_err "mandate check: error: invalid --format 'x?[31m?y'"
expect_no_controls

finish
