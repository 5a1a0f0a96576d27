# ci/pre-commit in a real git repository: a compliant spec commits, a
# spec that fails the gate or does not compile is refused, and only the
# staged version of a file counts.
. tests/cli/lib.sh

repo=$TMP/repo
git init -q "$repo"
git -C "$repo" config user.email "test@example.com"
git -C "$repo" config user.name "mandate test"
cp ci/pre-commit "$repo/.git/hooks/pre-commit"
mkdir "$repo/agents"
export MANDATE MANDATE_SPECS=agents
export MANDATE_CHECK_OPTIONS="--today 2026-12-01 --color never"

commit() {
	git -C "$repo" add -A
	git -C "$repo" commit -q -m "$1" >"$out" 2>"$err"
	status=$?
}

case_name "compliant spec commits"
cp examples/agents/ticket-summarizer.mandate "$repo/agents/"
commit "Add the ticket summarizer"
expect_status 0
expect_eq "$(git -C "$repo" log --oneline | wc -l)" 1 "commits"

case_name "spec failing the gate is refused"
cp examples/agents/forecast-trainer.mandate "$repo/agents/"
commit "Add the forecast trainer"
expect_status 1
expect_err "has no business owner [MND102 high]"
expect_err "pre-commit: the specs fail mandate's gate; commit refused"
expect_eq "$(git -C "$repo" log --oneline | wc -l)" 1 "commits"

case_name "an unstaged fix does not count"
sed 's/technical = "grace.ndlovu@fernbrook.example"/technical = "grace.ndlovu@fernbrook.example"\n    business  = "dara.walsh@fernbrook.example"/' \
	examples/agents/forecast-trainer.mandate >"$TMP/fixed.mandate"
git -C "$repo" commit -q -m "Try again" >"$out" 2>"$err"
status=$?
expect_status 1
cp "$TMP/fixed.mandate" "$repo/agents/forecast-trainer.mandate"
commit "Add the forecast trainer with both owners"
expect_status 0
expect_eq "$(git -C "$repo" log --oneline | wc -l)" 2 "commits"

case_name "spec that does not compile is refused"
printf 'agent "half" {\n  kind = workload\n' >"$repo/agents/half.mandate"
commit "Add half a spec"
expect_status 1
expect_err "agents/half.mandate:2:18: error: unexpected end of file, expected '}'"
expect_err "pre-commit: mandate could not check the specs; commit refused"

case_name "a relative MANDATE is taken from the top of the repository"
rm "$repo/agents/half.mandate"
mkdir "$repo/tools"
ln -s "$(command -v "$MANDATE" || echo "$MANDATE")" "$repo/tools/mandate"
echo "tools/" >>"$repo/.git/info/exclude"
cp examples/agents/report-writer.mandate "$repo/agents/"
git -C "$repo" add -A
(
	cd "$repo" &&
	MANDATE=tools/mandate git commit -q -m "Add the report writer"
) >"$out" 2>"$err"
status=$?
expect_status 0
expect_eq "$(git -C "$repo" log --oneline | wc -l)" 3 "commits"

finish
