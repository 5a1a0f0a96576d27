# The CI templates in ci/, run as their CI systems would run them. The
# steps of the GitHub action and the script of the GitLab job are read
# from the YAML. They run in order in a checkout of the example, with
# the environment each system sets. Steps that call external actions are
# not run; the test checks the files those actions would have received.
# The SARIF, JUnit and Markdown reports are checked only when
# `mandate check --help` lists their format, and SKIP lines say which
# parts were left out.
. tests/cli/lib.sh

ACTION=ci/github/action.yml
GITLAB=ci/gitlab/mandate.gitlab-ci.yml
BUILD_DIR=$(dirname "$MANDATE")
unset MANDATE_STDLIB

has_format() {
	"$MANDATE" check --help | grep -q -- "$1"
}

# Make a checkout of a spec repository in $1: the example's specs and
# exports, with the exports' README, which is not an export.
make_checkout() {
	mkdir -p "$1/agents" "$1/exports"
	cp examples/agents/*.mandate "$1/agents/"
	cp examples/exports/*.json examples/exports/*.csv "$1/exports/"
	cp examples/exports/README.md "$1/exports/"
}

# Split a composite action into DIR/N.run, N.env, N.uses, N.with and
# N.if files, one set per step, and DIR/inputs (NAME=DEFAULT lines).
# This reads the block style the action is written in, not all of YAML:
# keys indented by two spaces per level and run scripts as "run: |".
split_action() {
	awk -v dir="$2" '
	function unquote(v) {
		sub(/^ +/, "", v)
		if (v ~ /^'\''.*'\''$/ || v ~ /^".*"$/)
			v = substr(v, 2, length(v) - 2)
		return v
	}
	/^inputs:/ { section = "inputs"; next }
	/^runs:/ { section = "runs"; next }
	/^[^ #]/ { section = "" }
	section == "inputs" && /^  [a-z][a-z-]*:$/ {
		input = $1; sub(/:$/, "", input); next
	}
	section == "inputs" && /^    default:/ {
		v = $0; sub(/^    default:/, "", v)
		print input "=" unquote(v) > (dir "/inputs"); next
	}
	section != "runs" { next }
	/^  (using|steps):/ { next }
	/^    - / { n++; block = ""; sub(/^    - /, "      ") }
	block == "run" && (/^        / || /^$/) {
		line = $0; sub(/^        /, "", line)
		print line > (dir "/" n ".run"); next
	}
	block != "" && /^        [A-Za-z_][A-Za-z0-9_-]*:/ {
		key = $1; sub(/:$/, "", key)
		v = $0; sub(/^ *[A-Za-z_][A-Za-z0-9_-]*:/, "", v)
		print key "=" unquote(v) > (dir "/" n "." block); next
	}
	/^      [a-z]+:/ {
		key = $1; sub(/:$/, "", key)
		v = $0; sub(/^ *[a-z]+:/, "", v); v = unquote(v)
		block = ""
		if (key == "run" && v == "|") block = "run"
		else if (key == "env" || key == "with") block = key
		else if (key == "run") print v > (dir "/" n ".run")
		else if (key == "uses" || key == "if") print v > (dir "/" n "." key)
		next
	}
	/^ *$/ { next }
	{ print "unexpected line " NR ": " $0 > "/dev/stderr"; bad = 1 }
	END { exit bad }
	' "$1"
}

# Replace ${{ inputs.NAME }} in file $1 with the inputs' values from file
# $2; any other expression is an error, since this test cannot run it.
expand_inputs() {
	awk -v inputs="$2" '
	BEGIN {
		while ((getline line < inputs) > 0) {
			i = index(line, "=")
			value[substr(line, 1, i - 1)] = substr(line, i + 1)
		}
	}
	{
		while (match($0, /\$\{\{ *inputs\.[a-z-]+ *\}\}/)) {
			name = substr($0, RSTART, RLENGTH)
			gsub(/^\$\{\{ *inputs\.| *\}\}$/, "", name)
			$0 = substr($0, 1, RSTART - 1) value[name] \
			     substr($0, RSTART + RLENGTH)
		}
		if (index($0, "${{")) {
			print "unsupported expression: " $0 > "/dev/stderr"
			bad = 1
		}
		print
	}
	END { exit bad }
	' "$1"
}

# Split the GitLab job $3 (default mandate) into $2/variables (VAR=VALUE
# lines of the top level), $2/script (one command a line) and $2/junit
# (the JUnit report's path).
split_gitlab() {
	awk -v dir="$2" -v job="${3:-mandate}" '
	function unquote(v) {
		sub(/^ +/, "", v)
		if (v ~ /^".*"$/ || v ~ /^'\''.*'\''$/)
			v = substr(v, 2, length(v) - 2)
		return v
	}
	/^variables:/ { section = "variables"; next }
	$0 == job ":" { section = "job"; next }
	/^[^ #]/ { section = "" }
	section == "variables" && /^  [A-Z_]+:/ {
		key = $1; sub(/:$/, "", key)
		v = $0; sub(/^  [A-Z_]+:/, "", v)
		print key "=" unquote(v) > (dir "/variables"); next
	}
	section == "job" && /^  [a-z_]+:/ { key = $1; sub(/:.*/, "", key) }
	section == "job" && key == "script" && /^    - / {
		sub(/^    - /, ""); print > (dir "/script"); next
	}
	section == "job" && /^      junit:/ {
		print unquote(substr($0, index($0, ":") + 1)) > (dir "/junit")
	}
	' "$1"
}

case_name "GitHub action steps"
mkdir "$TMP/gh"
split_action "$ACTION" "$TMP/gh" 2>"$err"
status=$?
expect_status 0
expect_eq "$(cat "$err")" "" "errors reading $ACTION"
expect_eq "$(ls "$TMP/gh" | grep -c '\.run$')" 5 "run steps"
expect_eq "$(cat "$TMP/gh"/*.uses)" "github/codeql-action/upload-sarif@v3" \
	"actions used"
uses_step=$(basename "$(ls "$TMP/gh"/*.uses)" .uses)
expect_eq "$(grep '^sarif_file=' "$TMP/gh/$uses_step.with")" \
	'sarif_file=${{ inputs.sarif-file }}' "file given to upload-sarif"
expect_eq "$(cat "$TMP/gh/$uses_step.if")" \
	"\${{ always() && hashFiles(inputs.sarif-file) != '' }}" \
	"upload-sarif runs when the gate fails and a report exists"
grep -q -- '--format sarif -o "$MANDATE_SARIF"' "$TMP/gh"/*.run ||
	fail "no step writes the SARIF report"
grep -q -- '--format markdown -o "$RUNNER_TEMP/mandate-summary.md"' \
	"$TMP/gh"/*.run || fail "no step writes the Markdown report"
grep -q -- '"$RUNNER_TEMP/mandate-summary.md" >> "$GITHUB_STEP_SUMMARY"' \
	"$TMP/gh"/*.run || fail "no step writes the step summary"

# Run the action's steps as a GitHub runner would, in a workflow that
# passes today = 2026-12-01 so the result does not depend on the date.
run_action() {
	work=$TMP/gh-work
	make_checkout "$work"
	mkdir "$TMP/runner"
	: >"$TMP/runner/path" && : >"$TMP/runner/summary"
	: >"$TMP/runner/output"
	grep -v '^today=' "$TMP/gh/inputs" >"$TMP/gh/with"
	echo "today=2026-12-01" >>"$TMP/gh/with"

	failed=0
	step=1
	while [ -f "$TMP/gh/$step.run" ] || [ -f "$TMP/gh/$step.uses" ]; do
		cond=$(cat "$TMP/gh/$step.if" 2>/dev/null)
		if [ "$failed" != 0 ] && ! expr "$cond" : '.*always()' >/dev/null; then
			step=$((step + 1))
			continue
		fi
		if [ -f "$TMP/gh/$step.uses" ]; then
			expand_inputs "$TMP/gh/$step.with" "$TMP/gh/with" \
				>"$TMP/gh/$step.with.expanded"
			step=$((step + 1))
			continue
		fi
		{
			[ -f "$TMP/gh/$step.env" ] &&
				sed 's/^\([^=]*\)=\(.*\)$/export \1="\2"/' \
					"$TMP/gh/$step.env"
			cat "$TMP/gh/$step.run"
		} >"$TMP/gh/$step.sh"

		expand_inputs "$TMP/gh/$step.sh" "$TMP/gh/with" \
			>"$TMP/gh/$step.expanded" || failed=2
		ghpath=$(tac "$TMP/runner/path" | tr '\n' ':')
		(
			cd "$work" &&
			env BUILD="$BUILD_DIR" CI=true GITHUB_ACTIONS=true \
				GITHUB_WORKSPACE="$work" \
				GITHUB_ACTION_PATH="$ROOT/ci/github" \
				GITHUB_PATH="$TMP/runner/path" \
				GITHUB_STEP_SUMMARY="$TMP/runner/summary" \
				GITHUB_OUTPUT="$TMP/runner/output" \
				RUNNER_TEMP="$TMP/runner" PATH="$ghpath$PATH" \
				bash --noprofile --norc -eo pipefail \
				"$TMP/gh/$step.expanded"
		) >>"$TMP/gh/log" 2>&1 || failed=$?
		step=$((step + 1))
	done
	status=$failed
}

if has_format sarif && has_format markdown; then
	case_name "GitHub action on the example"
	run_action
	# The example fails the gate, so the last step fails the job.
	expect_status 1
	grep -q "mandate: the gate failed" "$TMP/gh/log" ||
		fail "the job log lacks the verdict"
	expect_eq "$(cat "$TMP/runner/path")" \
		"$TMP/runner/mandate/bin" "directory added to PATH"
	[ -x "$TMP/runner/mandate/bin/mandate" ] ||
		fail "mandate was not installed under RUNNER_TEMP"
	sarif=$TMP/gh-work/$(sed -n 's/^sarif_file=//p' \
		"$TMP/gh/$uses_step.with.expanded")
	[ -f "$sarif" ] || fail "upload-sarif would get no file: $sarif"
	expect_eq "$(jq -r .version "$sarif")" 2.1.0 "SARIF version"
	expect_eq "$(jq -r '.runs | type' "$sarif")" array "SARIF runs"
	expect_eq "$(jq '[.runs[].results[] | select(.ruleId == "MND102")] | length' "$sarif")" \
		1 "results of MND102 in the SARIF report"
	[ -s "$TMP/runner/summary" ] || fail "the step summary is empty"
	grep -q "MND102" "$TMP/runner/summary" ||
		fail "the step summary lacks the finding MND102"
	[ $status -eq 1 ] || cat "$TMP/gh/log" >&2
else
	echo "SKIP: GitHub action run: mandate check has no sarif or markdown format"
fi

case_name "GitHub action with no exports in its exports directory"
check_step=$(grep -l 'MANDATE_EXPORTS' "$TMP/gh"/*.run)
mkdir -p "$TMP/noexp/work/agents" "$TMP/noexp/runner" "$TMP/noexp/bin"
cp examples/agents/ticket-summarizer.mandate "$TMP/noexp/work/agents/"
ln -s "$(command -v "$MANDATE" || echo "$MANDATE")" "$TMP/noexp/bin/mandate"
(
	cd "$TMP/noexp/work" &&
	env MANDATE_SPECS=agents MANDATE_EXPORTS=exprts MANDATE_FAIL_ON=high \
		MANDATE_TODAY=2026-12-01 MANDATE_SARIF=mandate.sarif \
		RUNNER_TEMP="$TMP/noexp/runner" PATH="$TMP/noexp/bin:$PATH" \
		bash --noprofile --norc -eo pipefail "$check_step"
) >"$out" 2>"$err"
expect_err "no .json or .csv export in 'exprts'"
expect_eq "$(cat "$TMP/noexp/runner/mandate-status")" 2 "recorded status"
[ -e "$TMP/noexp/work/mandate.sarif" ] && fail "a SARIF report was written"

# Make in $1 a spec repository with a pull request that adds write
# access, and a grant changed on main after the branch left it, which
# the diff must not count as the pull request's. Its origin is a bare
# clone beside it.
make_pull_request() {
	repo=$1
	mkdir -p "$repo/agents" || return 1
	git init -q -b main "$repo" || return 1
	cp examples/agents/ticket-summarizer.mandate "$repo/agents/"
	git -C "$repo" add -A &&
	git -C "$repo" commit -q -m "First agent" &&
	git -C "$repo" checkout -q -b feature || return 1
	cat >>"$repo/agents/ticket-summarizer.mandate" <<'EOF'

agent "pr-writer" {
  kind        = service_account
  description = "Writes the nightly report of the pull request tests"
  owner {
    technical = "alice@example.com"
    business  = "bob@example.com"
  }
  justification = "Writes the nightly report that the support leads read"
  review      { every = 90d  last = 2026-11-02  by = "bob@example.com" }
  expires     = 2027-11-01
  identity aws role "arn:aws:iam::111122223333:role/pr-writer"
  grant write on aws:s3 "arn:aws:s3:::pr-reports/*" {
    because = "Publishes the report"
  }
}
EOF
	git -C "$repo" commit -q -a -m "Add a writer" &&
	git -C "$repo" checkout -q main || return 1
	sed 's/support-exports/support-archive/' \
		"$repo/agents/ticket-summarizer.mandate" >"$repo.moved" &&
	mv "$repo.moved" "$repo/agents/ticket-summarizer.mandate" &&
	git -C "$repo" commit -q -a -m "Read the archive" &&
	git clone -q --bare "$repo" "$repo.git" &&
	git -C "$repo" remote add origin "$repo.git" &&
	git -C "$repo" checkout -q feature
}

case_name "GitHub diff step in a pull request"
diff_step=$(grep -l 'GITHUB_BASE_REF' "$TMP/gh"/*.run)
[ -n "$diff_step" ] || fail "no step compares with the pull request's base"
grep -q -- 'mandate diff --merge-base --fail-on-escalation' "$diff_step" ||
	fail "the diff step does not use --merge-base --fail-on-escalation"
expect_eq "$(grep '^diff=' "$TMP/gh/inputs")" "diff=false" "diff input"
pr=$TMP/pr
export GIT_AUTHOR_NAME=tester GIT_AUTHOR_EMAIL=tester@example.com
export GIT_COMMITTER_NAME=tester GIT_COMMITTER_EMAIL=tester@example.com
export GIT_CONFIG_NOSYSTEM=1 HOME=$TMP
make_pull_request "$pr" >"$TMP/pr.log" 2>&1 ||
	fail "making the pull request failed: $(cat "$TMP/pr.log")"
mkdir -p "$TMP/pr-runner" "$TMP/pr-bin"
ln -s "$(command -v "$MANDATE" || echo "$MANDATE")" "$TMP/pr-bin/mandate"
run_diff_step() {
	rm -f "$TMP/pr-runner/mandate-diff.md"
	(
		cd "$pr" &&
		env MANDATE_DIFF="$1" MANDATE_SPECS=agents \
			GITHUB_BASE_REF="$2" RUNNER_TEMP="$TMP/pr-runner" \
			PATH="$TMP/pr-bin:$PATH" \
			bash --noprofile --norc -eo pipefail "$diff_step"
	) >"$out" 2>"$err"
	status=$?
}
run_diff_step true main
expect_status 0
expect_eq "$(cat "$TMP/pr-runner/mandate-diff-status")" 1 "recorded diff status"
grep -qF 'pr-writer' "$TMP/pr-runner/mandate-diff.md" ||
	fail "the diff summary lacks the new agent"
grep -qF 'support-archive' "$TMP/pr-runner/mandate-diff.md" &&
	fail "the diff summary shows main's change as the pull request's"
grep -qF 'merge base of origin/main and HEAD' "$TMP/pr-runner/mandate-diff.md" ||
	fail "the diff summary does not name the merge base"
run_diff_step false main
expect_eq "$(cat "$TMP/pr-runner/mandate-diff-status")" 0 "status with diff off"
[ -e "$TMP/pr-runner/mandate-diff.md" ] && fail "diff ran with the input off"
run_diff_step true ""
expect_eq "$(cat "$TMP/pr-runner/mandate-diff-status")" 0 "status outside a pull request"
[ -e "$TMP/pr-runner/mandate-diff.md" ] && fail "diff ran outside a pull request"

case_name "GitHub verdict with the diff status"
verdict_step=$(grep -l 'mandate-diff-status' "$TMP/gh"/*.run | grep -v "$diff_step")
for statuses in "0 0 0" "0 1 1" "1 0 1" "1 1 1" "0 2 2" "2 1 2"; do
	set -- $statuses
	echo "$1" >"$TMP/pr-runner/mandate-status"
	echo "$2" >"$TMP/pr-runner/mandate-diff-status"
	RUNNER_TEMP="$TMP/pr-runner" bash --noprofile --norc -eo pipefail \
		"$verdict_step" >"$out" 2>"$err"
	status=$?
	expect_status "$3"
done

case_name "GitLab job script"
mkdir "$TMP/gl"
split_gitlab "$GITLAB" "$TMP/gl"
expect_eq "$(cat "$TMP/gl/junit")" mandate-junit.xml "JUnit report"
grep -q -- "--format junit -o mandate-junit.xml" "$TMP/gl/script" ||
	fail "no script line writes the JUnit report"
expect_eq "$(grep -c . "$TMP/gl/script")" 9 "script lines"
grep -q -- "no .json or .csv export in" "$TMP/gl/script" ||
	fail "no script line stops the job without an export"
expect_eq "$(sed -n 's/^MANDATE_SOURCE=//p' "$TMP/gl/variables")" \
	tools/mandate "MANDATE_SOURCE"

case_name "GitLab diff job in a merge request"
mkdir "$TMP/gld"
split_gitlab "$GITLAB" "$TMP/gld" mandate-diff
grep -q -- 'mandate diff --merge-base --fail-on-escalation' "$TMP/gld/script" ||
	fail "the diff job does not use --merge-base --fail-on-escalation"
grep -q 'merge_request_event' "$GITLAB" ||
	fail "the diff job does not run in merge request pipelines"
{
	echo "set -e"
	grep -v 'install-deps\|make -C\|export PATH' "$TMP/gld/script"
} >"$TMP/gld/job.sh"
(
	cd "$pr" &&
	env MANDATE_SPECS=agents CI_MERGE_REQUEST_TARGET_BRANCH_NAME=main \
		PATH="$TMP/pr-bin:$PATH" bash --noprofile --norc "$TMP/gld/job.sh"
) >"$out" 2>"$err"
status=$?
expect_status 1
expect_out "pr-writer"
expect_out "merge base of origin/main and HEAD"
expect_no_out "support-archive"
grep -qF 'pr-writer' "$pr/mandate-diff.md" ||
	fail "mandate-diff.md lacks the new agent"

if has_format junit; then
	case_name "GitLab job on the example"
	work=$TMP/gl-work
	make_checkout "$work"
	mkdir -p "$work/tools"
	ln -s "$ROOT" "$work/tools/mandate"	# the submodule
	{
		echo "set -e"
		sed 's/^\([^=]*\)=\(.*\)$/export \1="\2"/' "$TMP/gl/variables"
		# A variable set in the project's CI settings wins.
		echo 'export MANDATE_TODAY=2026-12-01'
		cat "$TMP/gl/script"
	} >"$TMP/gl/job.sh"
	(
		cd "$work" &&
		env BUILD="$BUILD_DIR" CI=true GITLAB_CI=true \
			CI_PROJECT_DIR="$work" bash --noprofile --norc \
			"$TMP/gl/job.sh"
	) >"$out" 2>"$err"
	status=$?
	expect_status 1
	expect_out "verdict: fail"
	junit=$work/$(cat "$TMP/gl/junit")
	[ -s "$junit" ] || fail "no JUnit report at $junit"
	expect_eq "$(head -c 5 "$junit")" "<?xml" "start of the JUnit report"
	grep -q "<testsuite" "$junit" || fail "the JUnit report has no testsuite"
	grep -q "MND102" "$junit" || fail "the JUnit report lacks MND102"
else
	echo "SKIP: GitLab job run: mandate check has no junit format"
fi

finish
