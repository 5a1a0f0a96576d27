# ci/pre-commit in a real git repository: a compliant spec commits, a
# spec that fails the gate, does not compile or is not in canonical
# layout is refused, and only the staged version of a file counts.
. tests/cli/lib.sh

repo=$TMP/repo
git init -q "$repo"
git -C "$repo" config user.email "test@example.com"
git -C "$repo" config user.name "mandate test"
cp ci/pre-commit "$repo/.git/hooks/pre-commit"
mkdir "$repo/agents"
export MANDATE MANDATE_SPECS=agents
export MANDATE_CHECK_OPTIONS="--today 2026-12-01 --color never"

# Copy a spec into the repository in canonical layout.
add_spec() {
	cp "$1" "$repo/agents/${2:-$(basename "$1")}"
	"$MANDATE" fmt "$repo/agents/${2:-$(basename "$1")}" ||
		fail "cannot format $1"
}

commit() {
	git -C "$repo" add -A
	git -C "$repo" commit -q -m "$1" >"$out" 2>"$err"
	status=$?
}

case_name "compliant spec commits"
add_spec examples/agents/ticket-summarizer.mandate
commit "Add the ticket summarizer"
expect_status 0
expect_eq "$(git -C "$repo" log --oneline | wc -l)" 1 "commits"

case_name "spec failing the gate is refused"
add_spec examples/agents/forecast-trainer.mandate
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
add_spec "$TMP/fixed.mandate" forecast-trainer.mandate
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
add_spec examples/agents/report-writer.mandate
git -C "$repo" add -A
(
	cd "$repo" &&
	MANDATE=tools/mandate git commit -q -m "Add the report writer"
) >"$out" 2>"$err"
status=$?
expect_status 0
expect_eq "$(git -C "$repo" log --oneline | wc -l)" 3 "commits"

case_name "a badly formatted spec is refused"
# The example with its blocks on one line each, as people often write them.
cp tests/fixtures/specs/unformatted/invoice-reconciler.mandate "$repo/agents/"
commit "Add the invoice reconciler"
expect_status 1
expect_err "pre-commit: these specs are not in canonical layout; run 'mandate fmt' on them and add them again:"
expect_err "    agents/invoice-reconciler.mandate"
expect_err "pre-commit: commit refused"
expect_eq "$(git -C "$repo" log --oneline | wc -l)" 3 "commits"

case_name "formatted, it reaches the gate"
"$MANDATE" fmt "$repo/agents/invoice-reconciler.mandate"
commit "Add the invoice reconciler"
expect_status 1
expect_err "review was due on 2025-11-30"
expect_err "pre-commit: the specs fail mandate's gate; commit refused"
rm "$repo/agents/invoice-reconciler.mandate"
git -C "$repo" add -A

case_name "a spec the commit does not touch keeps its layout"
cp examples/agents/catalog-enricher.mandate "$repo/agents/"
sed -i 's/"s3:\*"/"s3:GetObject"/' "$repo/agents/catalog-enricher.mandate"
git -C "$repo" add -A
git -C "$repo" commit -q --no-verify -m "Add the enricher unformatted" ||
	fail "cannot commit without the hook"
echo "# notes" >"$repo/NOTES"
commit "Add notes"
expect_status 0
expect_eq "$(git -C "$repo" log --oneline | wc -l)" 5 "commits"

# MANDATE_SPECS is still "agents", a directory this repository lacks.
case_name "a repository without specs commits"
empty=$TMP/empty
git init -q "$empty"
git -C "$empty" config user.email "test@example.com"
git -C "$empty" config user.name "mandate test"
cp ci/pre-commit "$empty/.git/hooks/pre-commit"
echo "# Agents" >"$empty/README"
git -C "$empty" add -A
git -C "$empty" commit -q -m "Start the repository" >"$out" 2>"$err"
status=$?
expect_status 0
expect_eq "$(git -C "$empty" log --oneline | wc -l)" 1 "commits"
export MANDATE_SPECS=.
git -C "$empty" commit -q --allow-empty -m "Again" >"$out" 2>"$err"
status=$?
expect_status 0
expect_eq "$(git -C "$empty" log --oneline | wc -l)" 2 "commits"

case_name "a spec only in a hidden directory is not gated"
mkdir "$empty/.drafts"
printf 'agent "half" {\n' >"$empty/.drafts/half.mandate"
git -C "$empty" add -A
git -C "$empty" commit -q -m "Keep a draft" >"$out" 2>"$err"
status=$?
expect_status 0

case_name "the first spec is gated"
printf 'agent "half" {\n  kind = workload\n' >"$empty/agents.mandate"
git -C "$empty" add -A
git -C "$empty" commit -q -m "Add half a spec" >"$out" 2>"$err"
status=$?
expect_status 1
expect_err "pre-commit: mandate could not check the specs; commit refused"
expect_eq "$(git -C "$empty" log --oneline | wc -l)" 3 "commits"

finish
