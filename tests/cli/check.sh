# mandate check: the verdict and exit status, the text and JSON reports,
# -o, --fail-on, --today, waivers, and runs that cannot finish.
. tests/cli/lib.sh

EX=examples/agents
GAAD=examples/exports/authorization-details.json
CREDS=examples/exports/credential-report.csv

case_name "example against its exports"
run check --today 2026-12-01 --format json --against "$GAAD" \
	--against "$CREDS" "$EX"
expect_status 1
expect_eq "$(jq -r .verdict "$out")" fail "verdict"
expect_eq "$(jq -c .counts "$out")" \
	'{"critical":3,"high":6,"medium":0,"low":0,"info":0,"waived":0,"failing":9}' \
	"counts"
# One fault per agent, as examples/agents describes them, and the
# unclaimed administrator role of the export, unowned and escalating.
expect_eq "$(jq -r '[.findings[] | .rule + ":" + (.agent // "-")] | join(" ")' "$out")" \
	"MND132:catalog-enricher MND130:catalog-enricher MND102:forecast-trainer MND120:invoice-reconciler MND210:report-writer MND133:- MND201:- MND224:- MND220:invoice-reconciler" \
	"findings"
expect_eq "$(jq -r '.findings[] | select(.rule == "MND102") | [.file, .line, .column] | map(tostring) | join(":")' "$out")" \
	"examples/agents/forecast-trainer.mandate:7:3" "position of a finding"
expect_eq "$(jq -r '.findings[] | select(.rule == "MND220") | .identity' "$out")" \
	"arn:aws:iam::123456789012:user/invoice-reconciler" "identity of a key finding"
expect_eq "$(jq '[.findings[] | select(.agent == "ticket-summarizer")] | length' "$out")" \
	0 "findings of the compliant agent"

case_name "the compliant agent alone passes"
run check --today 2026-12-01 "$EX/ticket-summarizer.mandate" "$EX/gate.mandate"
expect_status 0
expect_out "0 findings"
expect_out "verdict: pass (nothing at or above high)"

case_name "spec findings without exports"
run check --today 2026-12-01 "$EX"
expect_status 1
expect_out "examples/agents/forecast-trainer.mandate:7:3: error: agent 'forecast-trainer' has no business owner [MND102 high]"
expect_out "4 findings: 1 critical, 3 high"

case_name "fail-on critical still fails on a critical finding"
run check --today 2026-12-01 --fail-on critical "$EX"
expect_status 1
expect_out "verdict: fail (1 finding at or above critical)"
expect_out "warning: agent 'forecast-trainer' has no business owner"

case_name "today moves the date rules"
run check --today 2026-11-25 --format json "$EX"
expect_eq "$(jq -r '[.findings[] | select(.rule == "MND120") | .agent] | join(" ")' "$out")" \
	invoice-reconciler "overdue reviews"
run check --today 2025-10-01 --format json "$EX"
expect_eq "$(jq '[.findings[] | select(.rule == "MND120") | select(.message | endswith("is after today; record the date of a review that took place"))] | length' "$out")" \
	4 "reviews recorded in the future"
run check --today 2027-12-01 --format json "$EX"
expect_eq "$(jq '[.findings[] | select(.rule == "MND121")] | length' "$out")" \
	5 "agents expired by then"

case_name "report written to a file"
run check --today 2026-12-01 --format json -o "$TMP/report.json" "$EX"
expect_status 1
expect_eq "$(wc -c <"$out")" 0 "stdout bytes"
expect_eq "$(jq -r .verdict "$TMP/report.json")" fail "verdict in the file"
expect_eq "$(ls "$TMP" | grep -c 'report.json.tmp')" 0 "temporary files left"

case_name "waivers"
mkdir "$TMP/waived"
cp "$EX"/*.mandate "$TMP/waived/"
cat >"$TMP/waived/waivers.mandate" <<'SPEC'
waive MND102 for "forecast-trainer" {
  until    = 2027-01-31
  reason   = "The merchandising lead takes ownership in January"
  approver = "dara.walsh@fernbrook.example"
}
waive MND120 for "invoice-reconciler" {
  until    = 2026-11-15
  reason   = "Review booked for November"
  approver = "farah.haddad@fernbrook.example"
}
waive MND104 for "ticket-summarizer" {
  until    = 2027-06-30
  reason   = "Kept from an earlier version of the spec"
  approver = "bilal.okafor@fernbrook.example"
}
SPEC
run check --today 2026-12-01 --format json "$TMP/waived"
expect_status 1
expect_eq "$(jq .counts.waived "$out")" 1 "waived findings"
expect_eq "$(jq -r '.findings[] | select(.waived) | .rule + " " + .waiver.approver' "$out")" \
	"MND102 dara.walsh@fernbrook.example" "the waived finding"
expect_eq "$(jq -r '.findings[] | select(.rule == "MND170") | .message' "$out")" \
	"waiver of MND120 for 'invoice-reconciler' expired on 2026-11-15" \
	"expired waiver"
expect_eq "$(jq '[.findings[] | select(.rule == "MND120" and (.waived | not))] | length' "$out")" \
	1 "an expired waiver silences nothing"
expect_eq "$(jq -r '.findings[] | select(.rule == "MND171") | .message' "$out")" \
	"waiver of MND104 for 'ticket-summarizer' matches no finding" \
	"unused waiver"
run check --today 2026-12-01 "$TMP/waived"
expect_out "(1 waived)"
expect_no_out "has no business owner"

case_name "malformed export: exit 2 and no report"
run check --today 2026-12-01 -o "$TMP/bad-report.json" \
	--against tests/fixtures/bad/truncated.json "$EX"
expect_status 2
expect_err "tests/fixtures/bad/truncated.json:"
expect_err "1 error"
if [ -e "$TMP/bad-report.json" ]; then
	fail "a report was written for a run that could not finish"
fi

case_name "export of an unknown shape"
echo '{"Items": []}' >"$TMP/unknown.json"
run check --today 2026-12-01 --against "$TMP/unknown.json" "$EX"
expect_status 2
expect_err "unrecognized export"
expect_eq "$(wc -c <"$out")" 0 "stdout bytes"

case_name "no specs found"
mkdir "$TMP/empty"
run check --today 2026-12-01 "$TMP/empty"
expect_status 2
expect_err "no agent specs found in the paths given"

case_name "a failed run removes an earlier report"
run check --today 2026-12-01 -o "$TMP/old-report.json" "$EX"
expect_status 1
run check --today 2026-12-01 -o "$TMP/old-report.json" "$TMP/empty"
expect_status 2
if [ -e "$TMP/old-report.json" ]; then
	fail "the earlier report is still there"
fi

case_name "output that cannot be written"
run check --today 2026-12-01 -o /dev/full "$EX"
expect_status 2
expect_err "/dev/full: error: cannot write"
if [ ! -c /dev/full ]; then
	fail "/dev/full is no longer a device"
fi
"$MANDATE" check --today 2026-12-01 "$EX" >/dev/full 2>"$err"
expect_eq "$?" 2 "exit status with stdout on a full device"
expect_err "No space left on device"

case_name "missing files"
run check --today 2026-12-01 --against "$TMP/nope.json" "$EX"
expect_status 2
expect_err "$TMP/nope.json: error: cannot open"
run check --today 2026-12-01 "$TMP/nope"
expect_status 2
expect_err "$TMP/nope: error: cannot read"

case_name "usage errors"
run check --format yaml "$EX"
expect_status 2
expect_err "invalid --format 'yaml'; expected text, json, sarif, junit or markdown"
run check --fail-on severe "$EX"
expect_status 2
expect_err "invalid --fail-on 'severe'"
run check --today 2026-02-30 "$EX"
expect_status 2
expect_err "invalid --today '2026-02-30'"
run check --no-such-option "$EX"
expect_status 2
run check --color sometimes "$EX"
expect_status 2
expect_err "invalid --color 'sometimes'"

case_name "help and version"
run check --help
expect_status 0
expect_out "usage: mandate check"
run --version
expect_status 0
expect_out "mandate 0.1.0"
run
expect_status 2
run frobnicate
expect_status 2
expect_err "unknown command 'frobnicate'"

case_name "the demo script"
sh scripts/demo.sh "$MANDATE" >"$out" 2>"$err"
expect_eq "$?" 0 "demo exit status"
expect_out "demo: mandate ran; the gate failed on the findings above"

case_name "an export of no identity's account does not pass the gate"
mkdir -p "$TMP/uncovered"
cp examples/agents/ticket-summarizer.mandate "$TMP/uncovered/"
printf '{"RoleDetailList": [], "UserDetailList": [], "GroupDetailList": [], "Policies": []}\n' \
	>"$TMP/empty-gaad.json"
run check --today 2026-12-01 --format json --against "$TMP/empty-gaad.json" \
	"$TMP/uncovered"
expect_status 1
expect_eq "$(jq -r '.findings[] | select(.rule == "MND202") | .severity' "$out")" \
	high "severity of MND202 for an uncovered account"
expect_eq "$(jq -r '.verdict' "$out")" fail "verdict"

# check generates the policies only to find those IAM cannot hold, and
# skips that for a policy whose size bound fits one managed policy.
case_name "policy too large for IAM fails check"
run check --today 2026-12-01 --format json tests/fixtures/specs/too-large.mandate
expect_status 1
expect_eq "$(jq -r '[.findings[] | select(.rule == "MND301")] | length' "$out")" \
	1 "MND301 findings"
expect_out "needs 16 managed policies; IAM attaches at most 10"

case_name "policy split across managed policies passes check"
run check --today 2026-12-01 --format json tests/fixtures/specs/build
expect_eq "$(jq -r '[.findings[] | select(.rule == "MND301")] | length' "$out")" \
	0 "MND301 findings of policies that fit once split"

case_name "an empty argument is named"
for args in '--against ""' '""' '-o ""'; do
	eval "run check --today 2026-12-01 \"\$ROOT/examples/agents\" $args"
	expect_status 2
	expect_err "mandate check: error: argument"
	expect_err "is empty; name a file or give a value"
done

finish
