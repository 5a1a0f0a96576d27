# mandate init: the starting spec parses, fails check on exactly the
# values marked TODO, and passes once they are filled in.
. tests/cli/lib.sh

SPEC=$TMP/digest.mandate

case_name "written to a file"
run init --today 2026-12-01 -o "$SPEC" digest-bot
expect_status 0
expect_err "wrote $SPEC; fill in the values marked TODO"
expect_eq "$(cat "$out")" "" "stdout"
grep -q '^agent "digest-bot" {$' "$SPEC" || fail "no agent 'digest-bot'"
grep -q '^    last  = 2026-12-01$' "$SPEC" || fail "review date is not --today"
grep -q '^  expires = 2027-12-01$' "$SPEC" || fail "expiry is not a year on"

case_name "check fails on the TODO values only"
run check --today 2026-12-01 --format json "$SPEC"
expect_status 1
expect_eq "$(jq -r '[.findings[] | .rule + "@" + (.line | tostring)] | join(" ")' "$out")" \
	"MND103@13 MND103@14 MND110@16" "findings"
expect_eq "$(jq -r '[.findings[] | select(.message | contains("TODO"))] | length' "$out")" \
	3 "findings that quote the TODO value"
expect_eq "$(grep -c TODO "$SPEC")" 4 "lines that mention TODO"

case_name "the spec is in canonical layout"
run fmt --check "$SPEC"
expect_status 0

case_name "check passes once the TODO values are filled in"
sed -e 's/"TODO: the technical owner.s email address"/"alice@example.com"/' \
	-e 's/"TODO: the business owner.s email address"/"bob@example.com"/' \
	-e 's/"TODO: why the business needs this agent"/"Support leads need a weekly digest of tickets"/' \
	"$SPEC" >"$TMP/filled.mandate"
run check --today 2026-12-01 "$TMP/filled.mandate"
expect_status 0
expect_out "0 findings"

case_name "a year later the filled spec is due"
run check --today 2027-12-02 --format json "$TMP/filled.mandate"
expect_status 1
expect_eq "$(jq -r '[.findings[].rule] | join(" ")' "$out")" "MND120 MND121" \
	"findings a year on"

case_name "stdout, and a name that needs escaping"
run init --today 2026-12-01 'say "hi" \ now'
expect_status 0
expect_out 'agent "say \"hi\" \\ now" {'
cp "$out" "$TMP/escaped.mandate"
run check --today 2026-12-01 --format json "$TMP/escaped.mandate"
expect_status 1
expect_eq "$(jq -r '.findings[0].agent' "$out")" 'say "hi" \ now' "agent name"

case_name "an existing file is kept"
echo "# mine" >"$TMP/mine.mandate"
run init -o "$TMP/mine.mandate" other
expect_status 2
expect_err "already exists"
expect_eq "$(cat "$TMP/mine.mandate")" "# mine" "the existing file"
run init --force -o "$TMP/mine.mandate" other
expect_status 0
grep -q '^agent "other" {$' "$TMP/mine.mandate" || fail "--force did not write"

case_name "bad names and usage"
run init
expect_status 2
expect_err "missing NAME"

case_name "a rejected name writes nothing"
for name in "" "$(printf 'two\nlines')" "$(printf 'bell\007')" \
	"$(printf 'esc\033[1m')" "$(printf 'del\177')"; do
	rm -f "$TMP/rejected.mandate"
	run init -o "$TMP/rejected.mandate" "$name"
	expect_status 2
	[ -e "$TMP/rejected.mandate" ] && fail "wrote a spec for a bad name"
	expect_eq "$(grep -c 'error:' "$err")" 1 "errors for one bad name"
	expect_eq "$(grep -c 'UTF-8' "$err")" 0 "UTF-8 errors for a bad name"
done
run init ""
expect_status 2
expect_err "the agent's NAME is empty"
run init "$(printf 'two\nlines')"
expect_status 2
expect_err "control character 0x0a"
run init "$(printf 'bell\007')"
expect_status 2
expect_err "control character 0x07"
expect_eq "$(cat "$out")" "" "stdout of a name with a control character"
run init "$(printf 'bad\377')"
expect_status 2
expect_err "must be valid UTF-8"
expect_eq "$(cat "$out")" "" "stdout of a rejected name"
run init a b
expect_status 2
run init --today 2026-13-01 x
expect_status 2

case_name "a name longer than a spec string"
run init "$(printf 'x%.0s' $(seq 2049))"
expect_status 2
expect_err "invalid NAME: it is 2049 bytes long, more than the maximum of 2048 bytes for a spec string"
expect_no_err "UTF-8"
run init "$(printf 'x%.0s' $(seq 2048))"
expect_status 0

# Each damaged template is blamed on itself, not on the agent's name.
case_name "a damaged template"
cp -r stdlib "$TMP/stdlib"
TEMPLATE=$TMP/stdlib/templates/agent.mandate.in
export MANDATE_STDLIB="$TMP/stdlib"
for damage in "" 'garbage {{{' '\377' '# only a comment\n' \
	'agent "fixed" {\n  kind = ai_agent\n}\n'; do
	printf "$damage" >"$TEMPLATE"
	rm -f "$TMP/damaged.mandate"
	run init -o "$TMP/damaged.mandate" foo
	expect_status 2
	expect_err "$TEMPLATE: error: does not make the spec of one agent named {{name}}; the standard library is damaged, so reinstall it"
	expect_no_err "foo"
	[ -e "$TMP/damaged.mandate" ] && fail "wrote a spec from a damaged template"
done
rm "$TEMPLATE"
run init foo
expect_status 2
expect_err "$TEMPLATE: error: cannot open"
unset MANDATE_STDLIB

finish
