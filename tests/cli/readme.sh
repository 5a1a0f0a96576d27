# The README's first run shows the real output of the demo command, so
# it is compared with what mandate prints now.
. tests/cli/lib.sh

# The indented block after the sentence that introduces the output.
awk '/claimed by no spec:$/ { start = 1; next }
     start && /^    / { seen = 1; sub(/^    /, ""); print; next }
     start && seen && /^$/ { print; next }
     start && seen { exit }' README.md | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' \
	>"$TMP/readme.out"

case_name "README shows the demo's output"
run check --today 2026-12-01 --color never \
	--against examples/exports/authorization-details.json \
	--against examples/exports/credential-report.csv examples/agents
expect_status 1
if ! diff -u "$TMP/readme.out" "$out" >"$TMP/diff"; then
	fail "README.md's output differs from the demo's"
	head -40 "$TMP/diff" >&2
fi
expect_eq "$(wc -l <"$TMP/readme.out")" "$(wc -l <"$out")" "lines"

finish
