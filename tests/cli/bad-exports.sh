# Every malformed export in tests/fixtures/bad stops the check with
# exit status 2, an error at the file's line and column, and no report.
. tests/cli/lib.sh

mkdir "$TMP/none"
n=0
for f in tests/fixtures/bad/*; do
	case $f in *.md) continue ;; esac
	n=$((n + 1))
	case_name "$f"
	run check --today 2026-12-01 --format json -o "$TMP/report.json" \
		--against "$f" "$TMP/none"
	expect_status 2
	if ! grep -qE "^$f:[0-9]+:[0-9]+: error: " "$err"; then
		fail "no error at a line and column of $f"
		show
	fi
	if [ -e "$TMP/report.json" ]; then
		fail "a report was written for $f"
		rm -f "$TMP/report.json"
	fi
done
case_name "fixtures"
if [ "$n" -lt 70 ]; then
	fail "only $n malformed exports found"
fi

finish
