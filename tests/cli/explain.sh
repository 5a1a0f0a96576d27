# mandate explain: a rule's check, reason, fix, severity and controls,
# looked up by id or name; unknown rules with a suggestion.
. tests/cli/lib.sh

case_name "explain a rule by id"
run explain MND220
expect_status 0
expect_out "MND220 access-key-stale"
expect_out "severity: high"
expect_out "checks: an access key is older than the rotation period."
expect_out "why: The longer a key lives, the longer a leaked copy of it works."
expect_out "fix: rotate the key, or move the workload to short-lived role"
expect_out "  SOC 2: CC6.1"
expect_out "  ISO/IEC 27001:2022: A.5.17, A.8.5"
expect_out "  PCI DSS v4.0.1: 8.6.3"
expect_eq "$(wc -c <"$err")" 0 "stderr bytes"

case_name "explain by name or lowercase id"
run explain access-key-stale
expect_status 0
expect_out "MND220 access-key-stale"
run explain mnd120
expect_status 0
expect_out "MND120 review-overdue"
expect_out "  PCI DSS v4.0.1: 7.2.4, 7.2.5.1"

case_name "every rule of docs/rules.md can be explained"
for id in $(sed -n 's/^| \(MND[0-9]*\) |.*/\1/p' docs/rules.md); do
	run explain "$id"
	expect_status 0
	expect_out "$id "
	expect_no_out "none mapped"
done

case_name "unknown rule"
run explain MND1022
expect_status 2
expect_err "mandate: error: unknown rule 'MND1022'"
expect_err "mandate: note: did you mean 'MND102'?"
expect_eq "$(wc -c <"$out")" 0 "stdout bytes"
run explain wildcard-actoin
expect_status 2
expect_err "did you mean 'wildcard-action'?"
run explain nothing-like-any-rule-at-all
expect_status 2
expect_err "unknown rule 'nothing-like-any-rule-at-all'"
expect_err "rule ids run from MND101 to"

case_name "usage"
run explain
expect_status 2
expect_err "expected one rule id or name"
run explain MND101 MND102
expect_status 2
run explain --help
expect_status 0
expect_out "usage: mandate explain RULE"
run --help
expect_out "explain"

case_name "a missing mapping file"
MANDATE_STDLIB=$TMP/nowhere "$MANDATE" explain MND101 >"$out" 2>"$err"
expect_eq "$?" 2 "exit status without a standard library"
mkdir -p "$TMP/stdlib/aws" "$TMP/stdlib/controls"
cp stdlib/aws/catalog.txt "$TMP/stdlib/aws/"
printf 'MND101 soc2=CC6.1 iso27001=A.5.15\n' >"$TMP/stdlib/controls/rules.txt"
MANDATE_STDLIB=$TMP/stdlib "$MANDATE" explain MND101 >"$out" 2>"$err"
expect_eq "$?" 2 "exit status with a rule that lacks a framework"
expect_err "rules.txt:1:1: error: rule MND101 has no pci_dss controls; add pci_dss=..."
printf 'MND101 soc2=A.5.15 iso27001=A.5.15 pci_dss=7.2.1\n' >"$TMP/stdlib/controls/rules.txt"
MANDATE_STDLIB=$TMP/stdlib "$MANDATE" explain MND101 >"$out" 2>"$err"
expect_eq "$?" 2 "exit status with a control of the wrong framework"
expect_err "error: invalid SOC 2 control 'A.5.15'"
printf 'MND999 soc2=CC6.1 iso27001=A.5.15 pci_dss=7.2.1\n' >"$TMP/stdlib/controls/rules.txt"
MANDATE_STDLIB=$TMP/stdlib "$MANDATE" explain MND101 >"$out" 2>"$err"
expect_eq "$?" 2 "exit status with an unknown rule"
expect_err "error: unknown rule 'MND999'"

# Every command that reports controls rejects a mapping file with no
# rule in it, as the findings would lose their controls without a word.
case_name "an empty mapping file"
rm -rf "$TMP/stdlib"
cp -r stdlib "$TMP/stdlib"
RULES=$TMP/stdlib/controls/rules.txt
export MANDATE_STDLIB="$TMP/stdlib"
for content in "" '# Compliance controls of each mandate rule.\n\n'; do
	printf "$content" >"$RULES"
	run explain MND101
	expect_status 2
	expect_err "$RULES: error: maps no rule to its controls; the standard library is damaged, so reinstall it"
	expect_eq "$(wc -c <"$out")" 0 "bytes explain wrote"
	rm -f "$TMP/report.json"
	run check --today 2026-12-01 --format json -o "$TMP/report.json" \
		examples/agents
	expect_status 2
	expect_err "$RULES: error: maps no rule to its controls; the standard library is damaged, so reinstall it"
	[ -e "$TMP/report.json" ] && fail "check wrote a report without controls"
done

# A mapping cut short loses the lines of its last rules, which the rule
# table still has.
case_name "a mapping file cut short"
head -n -2 stdlib/controls/rules.txt >"$RULES"
last=$(tail -n 2 stdlib/controls/rules.txt | head -n 1 | cut -d ' ' -f 1)
run check --today 2026-12-01 examples/agents
expect_status 2
expect_err "$RULES: error: has no line for rule $last and 1 more; the standard library is damaged, so reinstall it"
head -n -1 stdlib/controls/rules.txt >"$RULES"
last=$(tail -n 1 stdlib/controls/rules.txt | cut -d ' ' -f 1)
run explain MND101
expect_status 2
expect_err "$RULES: error: has no line for rule $last; the standard library is damaged, so reinstall it"
unset MANDATE_STDLIB

finish
