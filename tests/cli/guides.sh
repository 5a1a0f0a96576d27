# The walk-through of docs/guide-first-spec.md, run as a reader would:
# the spec is put together from the guide's code blocks, and the
# findings, the syntax error and the passing check that the guide shows
# must be what mandate prints.
. tests/cli/lib.sh

GUIDE=docs/guide-first-spec.md

# Write each indented code block of the guide to $TMP/block.N, counting
# from 1, without the indent and without trailing blank lines.
awk -v dir="$TMP" '
	/^    / {
		if (!inblock) { n++; inblock = 1; blanks = 0 }
		for (; blanks > 0; blanks--) print "" > (dir "/block." n)
		sub(/^    /, ""); print > (dir "/block." n); next
	}
	/^$/ { if (inblock) blanks++; next }
	{ inblock = 0; blanks = 0 }
' "$GUIDE"

block() {
	cat "$TMP/block.$1"
}

case_name "guide's code blocks"
expect_eq "$(block 1)" "mandate init churn-scorer" "block 1"
expect_eq "$(block 5)" "mandate check --today 2026-12-01 agents" "block 5"
expect_eq "$(head -1 "$TMP/block.2")" 'agent "churn-scorer" {' "block 2"

# The first draft: the fields, then the grants of blocks 3 and 4 inside
# the agent, indented by two spaces.
mkdir -p "$TMP/repo/agents"
cp examples/agents/gate.mandate "$TMP/repo/agents/"
spec=$TMP/repo/agents/churn-scorer.mandate
{
	sed '$d' "$TMP/block.2"
	echo
	sed 's/^/  /' "$TMP/block.3" "$TMP/block.4"
	echo "}"
} >"$spec"

check_repo() {
	(cd "$TMP/repo" && "$MANDATE" check --color never "$@" agents) \
		>"$out" 2>"$err"
	status=$?
}

expect_text() {
	if ! cmp -s "$1" "$2"; then
		fail "$3 differs from the guide"
		diff -u "$1" "$2" >&2
	fi
}

case_name "first draft fails as the guide shows"
check_repo --today 2026-12-01
expect_status 1
expect_text "$TMP/block.6" "$out" "output of the first draft"

case_name "misspelt block stops the run"
sed 's/^  owner {$/  ownr {/' "$spec" >"$TMP/ownr"
cp "$spec" "$TMP/draft"
cp "$TMP/ownr" "$spec"
check_repo --today 2026-12-01
expect_status 2
expect_text "$TMP/block.7" "$err" "error of the misspelt block"
cp "$TMP/draft" "$spec"

case_name "fixed spec passes"
# Block 8: the new justification, then the corrected grants, which
# replace the last two grant lines of the draft.
justification=$(head -1 "$TMP/block.8")
{
	sed '$d' "$TMP/draft" | sed '$d' | sed '$d' |
		awk -v line="  $justification" '
			/^  justification = / { print line; next } { print }'
	sed '1,2d; s/^/  /' "$TMP/block.8"
	echo "}"
} >"$spec"
expect_eq "$(grep -c 'because' "$spec")" 3 "grants with because"
check_repo --today 2026-12-01
expect_status 0
sed '1d' "$TMP/block.9" >"$TMP/want"
expect_text "$TMP/want" "$out" "output of the fixed spec"
expect_eq "$(head -1 "$TMP/block.9")" "\$ $(block 5)" "command of block 9"

finish
