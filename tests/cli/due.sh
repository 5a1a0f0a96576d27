# mandate due: reviews and expiries within the window or past, grouped
# by business owner, as text and JSON, with concrete dates.
. tests/cli/lib.sh

DUE=tests/fixtures/specs/due

case_name "text within the default 30 days"
run due --today 2027-03-01 "$DUE"
expect_status 0
cat >"$TMP/want" <<'WANT'
4 due within 30 days of 2027-03-01, or past

amir@example.com
  expired           expiry  2027-02-27  2 days ago
  expiring-soon     expiry  2027-03-15  in 14 days

zoe@example.com
  overdue-reviewer  review  2027-01-30  30 days ago

(no business owner)
  due-today         review  2027-03-01  today
WANT
if ! cmp -s "$TMP/want" "$out"; then
	fail "text listing differs"
	diff -u "$TMP/want" "$out" >&2
fi

case_name "a wider window"
run due --today 2027-03-01 --within 11w "$DUE"
expect_status 0
expect_out "  far-off           review  2027-05-16  in 76 days"
expect_no_out "2029-01-01"
expect_out "5 due within 77 days of 2027-03-01, or past"

case_name "the window's last day is in it"
run due --today 2027-03-01 --within 14d "$DUE"
expect_out "expiring-soon     expiry  2027-03-15  in 14 days"
run due --today 2027-03-01 --within 13d "$DUE"
expect_no_out "expiring-soon"

case_name "json"
run due --today 2027-03-01 --format json "$DUE"
expect_status 0
expect_eq "$(jq -r .today "$out")" 2027-03-01 "today"
expect_eq "$(jq -r .within_days "$out")" 30 "within_days"
expect_eq "$(jq -c '[.owners[].owner]' "$out")" \
	'["amir@example.com","zoe@example.com",null]' "owner groups"
expect_eq "$(jq -r '[.owners[].items[] | [.agent, .due, .date, (.days | tostring)] | join(" ")] | join(", ")' "$out")" \
	"expired expiry 2027-02-27 -2, expiring-soon expiry 2027-03-15 14, overdue-reviewer review 2027-01-30 -30, due-today review 2027-03-01 0" \
	"items"
expect_eq "$(jq -r '.owners[0].items[0] | .file + ":" + (.line | tostring)' "$out")" \
	"$DUE/agents.mandate:29" "position of an item"

case_name "nothing due"
run due --today 2026-01-01 --within 1d "$DUE"
expect_status 0
expect_eq "$(cat "$out")" "nothing due within 1 day of 2026-01-01" "output"
run due --today 2026-01-01 --within 1d --format json "$DUE"
expect_eq "$(jq -c .owners "$out")" "[]" "owners"

case_name "output to a file"
run due --today 2027-03-01 -o "$TMP/due.txt" "$DUE"
expect_status 0
expect_eq "$(head -1 "$TMP/due.txt")" "4 due within 30 days of 2027-03-01, or past" "first line"

case_name "bad usage and bad specs"
run due --today 2027-03-01 --within 30 "$DUE"
expect_status 2
expect_err "invalid --within '30'"
run due --today 2027-03-01 --within 40000w "$DUE"
expect_status 2
run due --today 2027-02-30 "$DUE"
expect_status 2
expect_err "invalid --today '2027-02-30'"
run due --format xml "$DUE"
expect_status 2
printf 'agent "x" {\n  kind = workload\n  expires = 2027-02-30\n}\n' \
	>"$TMP/bad.mandate"
run due --today 2027-03-01 "$TMP/bad.mandate"
expect_status 2
expect_err "bad.mandate:3:13: error: invalid date '2027-02-30'"
expect_eq "$(cat "$out")" "" "stdout of a failed run"

finish
