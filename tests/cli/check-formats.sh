# mandate check's reports for pipelines: SARIF checked with the SARIF
# Multitool, JUnit XML checked against the Jenkins JUnit schema, the
# compliance controls of every format, several reports in one run, and
# runs that fail without leaving a report behind.
. tests/cli/lib.sh

EX=examples/agents
GAAD=examples/exports/authorization-details.json
CREDS=examples/exports/credential-report.csv
XSD=tests/fixtures/junit/jenkins-junit.xsd

# The example with one finding waived, so that every report has a
# waived finding to show.
mkdir "$TMP/agents"
cp "$EX"/*.mandate "$TMP/agents/"
cat >"$TMP/agents/waivers.mandate" <<'SPEC'
waive MND102 for "forecast-trainer" {
  until    = 2027-01-31
  reason   = "The merchandising lead takes ownership in January"
  approver = "dara.walsh@fernbrook.example"
}
SPEC
CHECK="check --today 2026-12-01 --against $GAAD --against $CREDS $TMP/agents"

# Run the SARIF Multitool's validate verb on $1 and write its findings,
# a SARIF log, to $2. scripts/install-deps.sh installs it into .tools/.
sarif_validate() {
	tool=$(cd .tools 2>/dev/null &&
		node -p "require('@microsoft/sarif-multitool')" 2>/dev/null)
	if [ -z "$tool" ] || [ ! -x "$tool" ]; then
		fail "the SARIF Multitool is not installed; run sh scripts/install-deps.sh"
		return 1
	fi
	rm -f "$2"
	# Invariant globalization: the .NET program then needs no libicu.
	DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 "$tool" validate "$1" \
		-o "$2" -q >"$TMP/multitool.log" 2>&1
	if [ ! -f "$2" ]; then
		fail "the SARIF Multitool wrote no log"
		cat "$TMP/multitool.log" >&2
		return 1
	fi
}

# Print the validator's results other than the one warning that mandate
# cannot avoid: it has no home page to give as informationUri (the
# validator spells its message id "Toolnformation").
sarif_problems() {
	jq -r '.runs[0].results[]
		| select(.ruleId != "SARIF2005"
			 or (.message.id != "Warning_ProvideToolnformationUri"))
		| .ruleId + " " + (.level // "warning") + ": "
		  + (.message.arguments // [] | join(" | "))' "$1"
}

case_name "sarif passes the SARIF Multitool's validation"
run $CHECK --format sarif -o "$TMP/report.sarif"
expect_status 1
if sarif_validate "$TMP/report.sarif" "$TMP/validation.sarif"; then
	expect_eq "$(sarif_problems "$TMP/validation.sarif")" "" \
		"validation results"
	expect_eq "$(jq '.runs[0].invocations[0].executionSuccessful' "$TMP/validation.sarif")" \
		true "validation ran"
fi

case_name "the validation fails on a broken log"
jq 'del(.runs[0].results[0].message) | .runs[0].results[1].locations[0].physicalLocation.region.startLine = 0' \
	"$TMP/report.sarif" >"$TMP/broken.sarif"
if sarif_validate "$TMP/broken.sarif" "$TMP/broken-validation.sarif"; then
	expect_eq "$(jq '[.runs[0].results[] | select(.level == "error")] | length > 1' "$TMP/broken-validation.sarif")" \
		true "errors found in the broken log"
fi

case_name "sarif describes every rule"
S=$TMP/report.sarif
rules=$(grep -c '^| MND[0-9]* |' docs/rules.md)
expect_eq "$(jq '.runs[0].tool.driver.rules | length' "$S")" "$rules" "rules"
expect_eq "$(jq '[.runs[0].tool.driver.rules[]
	| select(.id and .name and .shortDescription.text
		 and .fullDescription.text and .help.text
		 and .defaultConfiguration.level
		 and (.properties.controls | keys | length == 3))] | length' "$S")" \
	"$rules" "complete rules"
expect_eq "$(jq -r '.runs[0].tool.driver.rules[] | select(.id == "MND160") | .defaultConfiguration.level' "$S")" \
	warning "level of a medium rule under fail-on high"
expect_eq "$(jq -r '.runs[0].tool.driver.rules[] | select(.id == "MND120") | .properties.controls.pci_dss | join(",")' "$S")" \
	"7.2.4,7.2.5.1" "controls of MND120"

case_name "sarif results carry locations and suppressions"
run $CHECK --format json
expect_eq "$(jq '.runs[0].results | length' "$S")" \
	"$(jq '.findings | length' "$out")" "results"
expect_eq "$(jq -r '.runs[0].results[] | select(.ruleId == "MND201") | .locations[0].physicalLocation
	| .artifactLocation.uri + ":" + (.region.startLine | tostring) + ":" + (.region.startColumn | tostring)' "$S")" \
	"$GAAD:40:5" "location of an export-only finding"
expect_eq "$(jq -r '.runs[0].results[] | select(.ruleId == "MND102") | .suppressions[0] | .kind + " " + .status + " " + .justification' "$S")" \
	"external accepted The merchandising lead takes ownership in January" \
	"suppression of the waived finding"
expect_eq "$(jq -r '.runs[0].results[] | select(.ruleId == "MND102") | .suppressions[0].location.physicalLocation.artifactLocation.uri' "$S")" \
	"file://$TMP/agents/waivers.mandate" "where the waiver is"
expect_eq "$(jq '[.runs[0].results[] | select(.suppressions)] | length' "$S")" \
	1 "suppressed results"
expect_eq "$(jq -r '[.runs[0].results[] | .level] | unique | join(",")' "$S")" \
	error "levels of the results"

case_name "json carries the controls of each finding"
expect_eq "$(jq -c '.findings[] | select(.rule == "MND220") | .controls' "$out")" \
	'{"soc2":["CC6.1"],"iso27001":["A.5.17","A.8.5"],"pci_dss":["8.6.3"]}' \
	"controls of MND220"
expect_eq "$(jq '[.findings[] | select(.controls | length != 3)] | length' "$out")" \
	0 "findings without all three frameworks"

case_name "text shows the controls compactly"
run $CHECK
expect_out "    controls: SOC 2 CC6.1; ISO 27001 A.5.17, A.8.5; PCI DSS 8.6.3"

case_name "the gate's frameworks select the controls shown"
mkdir "$TMP/soc2"
cp "$EX"/*.mandate "$TMP/soc2/"
sed 's/frameworks          = \[soc2, iso27001, pci_dss\]/frameworks = [soc2]/' \
	"$EX/gate.mandate" >"$TMP/soc2/gate.mandate"
run check --today 2026-12-01 --format json "$TMP/soc2"
expect_eq "$(jq -r '[.findings[].controls | keys[]] | unique | join(",")' "$out")" \
	soc2 "frameworks shown"
run check --today 2026-12-01 "$TMP/soc2"
expect_out "    controls: SOC 2 CC1.3, CC6.2, CC6.3
"
expect_no_out "ISO 27001"

case_name "junit validates against the JUnit schema"
run $CHECK --format junit -o "$TMP/report.xml"
expect_status 1
if ! xmllint --noout --schema "$XSD" "$TMP/report.xml" 2>"$TMP/xmllint.log"; then
	fail "xmllint rejected the JUnit report"
	cat "$TMP/xmllint.log" >&2
fi
J=$TMP/report.xml
expect_eq "$(xmllint --xpath 'count(//testcase)' "$J")" 7 \
	"test cases: five agents, one unclaimed role and the root user"
expect_eq "$(xmllint --xpath 'string(/testsuites/@failures)' "$J")" 5 \
	"failed test cases"
expect_eq "$(xmllint --xpath 'count(//testcase[@name="catalog-enricher"]/failure)' "$J")" 2 \
	"failures of catalog-enricher"
expect_eq "$(xmllint --xpath 'string(//testcase[@name="catalog-enricher"]/failure[1]/@type)' "$J")" \
	MND132 "type of a failure"
expect_eq "$(xmllint --xpath 'count(//testcase[@name="ticket-summarizer"]/*)' "$J")" 0 \
	"children of a passing agent"
expect_eq "$(xmllint --xpath 'count(//testcase[@name="forecast-trainer"]/failure)' "$J")" 0 \
	"failures of an agent whose finding is waived"
if ! xmllint --xpath 'string(//testcase[@name="forecast-trainer"]/system-out)' "$J" |
	grep -q '^waived: The merchandising lead takes ownership in January'; then
	fail "the waived finding is not in the test case's system-out"
fi
expect_eq "$(xmllint --xpath 'string(//testcase[@name="arn:aws:iam::123456789012:role/legacy-etl"]/@classname)' "$J")" \
	"$GAAD" "class of the unclaimed role"

expect_eq "$(xmllint --xpath 'string(//testcase[@name="arn:aws:iam::123456789012:root"]/failure/@type)' "$J")" \
	MND224 "failure of the root user's active key"

case_name "fail-on critical leaves fewer failures"
run $CHECK --fail-on critical --format junit
expect_eq "$(xmllint --xpath 'count(//failure)' "$out")" 3 "failures"
expect_eq "$(xmllint --xpath 'count(//testcase[@name="forecast-trainer"]/failure)' "$out")" 0 \
	"failures below the threshold"

case_name "the schema rejects a broken report"
sed 's/<testcase name="catalog-enricher"/<testcase/' "$J" >"$TMP/broken.xml"
if xmllint --noout --schema "$XSD" "$TMP/broken.xml" 2>/dev/null; then
	fail "xmllint accepted a test case without a name"
fi

case_name "several reports in one run"
run $CHECK --format sarif -o "$TMP/multi.sarif" --format junit \
	-o "$TMP/multi.xml" --format text
expect_status 1
expect_out "verdict: fail (8 findings at or above high)"
expect_eq "$(jq -r '.version' "$TMP/multi.sarif")" 2.1.0 "SARIF version"
expect_eq "$(xmllint --xpath 'count(//testcase)' "$TMP/multi.xml")" 7 \
	"test cases in the JUnit report"
run $CHECK --format markdown --format json -o "$TMP/multi.json"
expect_out "## mandate check: fail"
expect_eq "$(jq -r .verdict "$TMP/multi.json")" fail "verdict of the JSON report"
run $CHECK -o "$TMP/first.json" --format json
expect_eq "$(jq -r .verdict "$TMP/first.json")" fail \
	"an -o before the only --format"
expect_eq "$(ls "$TMP" | grep -c '\.tmp\.')" 0 "temporary files left"

case_name "a failed write leaves none of the reports"
run $CHECK --format sarif -o "$TMP/stale.sarif"
run $CHECK --format sarif -o "$TMP/stale.sarif" --format json -o /dev/full
expect_status 2
expect_err "/dev/full: error: cannot write"
if [ -e "$TMP/stale.sarif" ]; then
	fail "the SARIF report of a failed run is there"
fi
run $CHECK --format junit -o "$TMP/fresh.xml" --format json \
	-o "$TMP/no-such-dir/report.json"
expect_status 2
expect_err "$TMP/no-such-dir/report.json: error: cannot create"
if [ -e "$TMP/fresh.xml" ]; then
	fail "the JUnit report of a failed run is there"
fi
expect_eq "$(ls "$TMP" | grep -c '\.tmp\.')" 0 "temporary files left"

case_name "a run that cannot finish removes every earlier report"
run $CHECK --format sarif -o "$TMP/old.sarif" --format junit -o "$TMP/old.xml"
run check --today 2026-12-01 --format sarif -o "$TMP/old.sarif" \
	--format junit -o "$TMP/old.xml" "$TMP/no-such-specs"
expect_status 2
if [ -e "$TMP/old.sarif" ] || [ -e "$TMP/old.xml" ]; then
	fail "an earlier report is still there"
fi

case_name "usage errors of reports"
run $CHECK --format sarif --format json
expect_status 2
expect_err "reports 'sarif' and 'json' would both go to stdout; give one of them -o FILE"
run $CHECK --format sarif -o "$TMP/x" --format json -o "$TMP/x"
expect_status 2
expect_err "-o '$TMP/x' and -o '$TMP/x' are the same file"
run $CHECK --format sarif -o "$TMP/x" -o "$TMP/y"
expect_status 2
expect_err "-o '$TMP/x' and -o '$TMP/y' are both for --format sarif"
run $CHECK -o "$TMP/x" -o "$TMP/y" --format sarif
expect_status 2
expect_err "are for the same report"
run $CHECK --format yaml
expect_status 2
expect_err "invalid --format 'yaml'; expected text, json, sarif, junit or markdown"
if [ -e "$TMP/x" ] || [ -e "$TMP/y" ]; then
	fail "a usage error wrote a report"
fi

case_name "SARIF fingerprints do not change with the date"
for day in 2026-12-01 2026-12-02; do
	"$MANDATE" check --today $day --format sarif \
		--against examples/exports/authorization-details.json \
		--against examples/exports/credential-report.csv examples/agents |
		jq -r '.runs[0].results[] | .ruleId + " " + .partialFingerprints["mandateFinding/v1"]' \
		>"$TMP/fp.$day"
done
expect_eq "$(cat "$TMP/fp.2026-12-02")" "$(cat "$TMP/fp.2026-12-01")" \
	"fingerprints a day apart"
expect_eq "$(grep -c "^MND120 " "$TMP/fp.2026-12-01")" 1 "MND120 results"
expect_eq "$(cut -d' ' -f2 "$TMP/fp.2026-12-01" | sort | uniq -d)" "" \
	"fingerprints shared by two results"

finish
