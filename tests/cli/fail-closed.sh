# A run that breaks half way exits 2 and leaves no partial output. The
# breaks: an export cut short, a policy document that does not parse,
# an output directory that cannot be written, and a full disk (the file
# size limit of ulimit -f). An earlier build stays as it was, an
# earlier report is removed or left whole, and no temporary file
# remains.
. "$(dirname "$0")/lib.sh"

gaad=examples/exports/authorization-details.json
creds=examples/exports/credential-report.csv
specs=examples/agents
today="--today 2026-12-01"

# Print a checksum line for every file under $1 and the name of every
# directory, in a stable order.
snapshot() {
	(cd "$1" && find . -type f | LC_ALL=C sort | xargs cksum)
	(cd "$1" && find . -type d | LC_ALL=C sort)
}

# Fail if $1 contains a temporary file of an atomic write.
expect_no_temporary() {
	leftover=$(find "$1" -name '*.tmp.*' | head -n 1)
	if [ -n "$leftover" ]; then
		fail "temporary file '$leftover' left behind"
	fi
}

# Fail unless the report at $1 is gone or still has the earlier bytes.
expect_report_whole() {
	if [ -e "$1" ] && ! cmp -s "$1" "$TMP/earlier-report"; then
		fail "the report at $1 was changed by a run that failed"
	fi
}

# Run check and inventory on the export $1, with an earlier report in
# place. Each must exit 2 with an error and no output.
expect_check_fails() {
	mkdir -p "$TMP/reports"
	printf '{"verdict": "pass"}\n' >"$TMP/earlier-report"
	cp "$TMP/earlier-report" "$TMP/reports/report.json"
	run check $today --format json -o "$TMP/reports/report.json" \
		--against "$1" "$specs"
	expect_status 2
	expect_err "error: "
	if [ -s "$out" ]; then
		fail "check wrote to stdout"
	fi
	expect_report_whole "$TMP/reports/report.json"
	expect_no_temporary "$TMP/reports"
	run check $today --against "$1" "$specs"
	expect_status 2
	if [ -s "$out" ]; then
		fail "check without -o wrote to stdout"
	fi
	run inventory --against "$1" "$specs"
	expect_status 2
	if [ -s "$out" ]; then
		fail "inventory wrote to stdout"
	fi
}

size=$(wc -c <"$gaad")
for cut in 1 2 100 1000 $((size / 3)) $((size / 2)) $((size - 2)); do
	case_name "export cut at byte $cut of $size"
	head -c "$cut" "$gaad" >"$TMP/cut.json"
	expect_check_fails "$TMP/cut.json"
done

size=$(wc -c <"$creds")
for cut in 20 $((size / 2)) $((size - 20)); do
	case_name "credential report cut at byte $cut of $size"
	head -c "$cut" "$creds" >"$TMP/cut.csv"
	expect_check_fails "$TMP/cut.csv"
done

case_name "percent-encoded document does not parse"
sed 's/"PolicyDocument": "%7B%22Version/"PolicyDocument": "%7B%22Ver%22sion/' \
	"$gaad" >"$TMP/bad.json"
if ! grep -q 'Ver%22sion' "$TMP/bad.json"; then
	fail "the fixture has no percent-encoded document to break"
fi
expect_check_fails "$TMP/bad.json"

case_name "statement is a number"
jq '.RoleDetailList[0].RolePolicyList[0].PolicyDocument.Statement = 5' \
	"$gaad" >"$TMP/bad.json"
expect_check_fails "$TMP/bad.json"

case_name "managed policy version does not parse"
jq '.Policies[0].PolicyVersionList[0].Document = "{\"Statement\": ["' \
	"$gaad" >"$TMP/bad.json"
expect_check_fails "$TMP/bad.json"

# An earlier build from specs that differ, so a half-written new build
# would show.
cp -R "$specs" "$TMP/old-specs"
sed 's/Renders the nightly sales reports/Renders the sales reports/' \
	"$specs/report-writer.mandate" >"$TMP/old-specs/report-writer.mandate"
make_earlier_build() {
	rm -rf "$1"
	"$MANDATE" build --target aws -o "$1" "$TMP/old-specs" >/dev/null
	snapshot "$1" >"$TMP/earlier-build"
}

case_name "full disk during build"
make_earlier_build "$TMP/disk/out"
# ulimit -f counts 512-byte blocks; the identity policies are larger.
(ulimit -f 1 && exec "$MANDATE" build --target aws -o "$TMP/disk/out" \
	"$specs") >"$out" 2>"$err"
status=$?
expect_status 2
expect_err "File too large"
snapshot "$TMP/disk/out" >"$TMP/after-build"
if ! cmp -s "$TMP/earlier-build" "$TMP/after-build"; then
	fail "the earlier build changed"
fi
expect_no_temporary "$TMP/disk"
(ulimit -f 1 && exec "$MANDATE" build --target aws -o "$TMP/disk/fresh" \
	"$specs") >"$out" 2>"$err"
status=$?
expect_status 2
if [ -e "$TMP/disk/fresh" ]; then
	fail "a build into a new directory left $(find "$TMP/disk/fresh" | wc -l) entries"
fi

case_name "full disk during build of a new agent"
# The earlier build lacks catalog-enricher, the first agent written, so
# the build creates its directories before the first write fails.
mkdir "$TMP/fewer-specs"
cp "$TMP/old-specs"/*.mandate "$TMP/fewer-specs/"
rm "$TMP/fewer-specs/catalog-enricher.mandate"
rm -rf "$TMP/disk/out"
"$MANDATE" build --target aws -o "$TMP/disk/out" "$TMP/fewer-specs" >/dev/null
snapshot "$TMP/disk/out" >"$TMP/earlier-build"
(ulimit -f 1 && exec "$MANDATE" build --target aws -o "$TMP/disk/out" \
	"$specs") >"$out" 2>"$err"
status=$?
expect_status 2
expect_err "aws/catalog-enricher/123456789012-role-catalog-enricher/identity-policy.json: error: cannot write"
expect_err "File too large"
snapshot "$TMP/disk/out" >"$TMP/after-build"
if ! cmp -s "$TMP/earlier-build" "$TMP/after-build"; then
	fail "the earlier build changed"
	diff "$TMP/earlier-build" "$TMP/after-build" >&2
fi

case_name "full disk during check report"
printf '{"verdict": "pass"}\n' >"$TMP/earlier-report"
cp "$TMP/earlier-report" "$TMP/disk/report.json"
(ulimit -f 1 && exec "$MANDATE" check $today --format json \
	-o "$TMP/disk/report.json" --against "$gaad" "$specs") \
	>"$out" 2>"$err"
status=$?
expect_status 2
expect_err "File too large"
expect_report_whole "$TMP/disk/report.json"
expect_no_temporary "$TMP/disk"

case_name "full disk during inventory"
cp "$TMP/earlier-report" "$TMP/disk/inventory.csv"
(ulimit -f 1 && exec "$MANDATE" inventory --format csv \
	-o "$TMP/disk/inventory.csv" --against "$gaad" "$specs") \
	>"$out" 2>"$err"
status=$?
expect_status 2
expect_err "File too large"
expect_report_whole "$TMP/disk/inventory.csv"
expect_no_temporary "$TMP/disk"

# Root may write anywhere, so the read-only cases run as nobody when
# the tests run as root (as user 65534, nobody on Debian).
as_other=
if [ "$(id -u)" = 0 ]; then
	if command -v setpriv >/dev/null 2>&1; then
		as_other="setpriv --reuid=65534 --regid=65534 --clear-groups"
	else
		echo "SKIP: read-only output as root needs setpriv"
		finish
	fi
fi
ro=$TMP/ro
mkdir -p "$ro"
chmod 755 "$TMP"
make_earlier_build "$ro/out"
printf '{"verdict": "pass"}\n' >"$TMP/earlier-report"
cp "$TMP/earlier-report" "$ro/report.json"
chmod -R a-w "$ro"

run_other() {
	$as_other "$MANDATE" "$@" >"$out" 2>"$err"
	status=$?
}

case_name "build into a read-only directory"
run_other build --target aws -o "$ro/new" "$specs"
expect_status 2
expect_err "Permission denied"
if [ -e "$ro/new" ]; then
	fail "build created $ro/new"
fi

case_name "build over a read-only earlier build"
run_other build --target aws -o "$ro/out" "$specs"
expect_status 2
expect_err "Permission denied"
snapshot "$ro/out" >"$TMP/after-build"
if ! cmp -s "$TMP/earlier-build" "$TMP/after-build"; then
	fail "the earlier build changed"
fi
expect_no_temporary "$ro"

case_name "check report into a read-only directory"
run_other check $today --format json -o "$ro/report.json" \
	--against "$gaad" "$specs"
expect_status 2
expect_err "Permission denied"
expect_report_whole "$ro/report.json"
run_other check $today -o "$ro/new-report" --against "$gaad" "$specs"
expect_status 2
if [ -e "$ro/new-report" ]; then
	fail "check created $ro/new-report"
fi
expect_no_temporary "$ro"

case_name "build that meets a read-only directory part way"
# The earlier build lacks catalog-enricher, written first, so the build
# creates its directories and stages its files before it reaches the
# read-only directory of forecast-trainer.
part=$TMP/part
mkdir "$part"
"$MANDATE" build --target aws -o "$part/out" "$TMP/fewer-specs" >/dev/null
chmod -R a+rwX "$part"
chmod a-w "$part/out/aws/forecast-trainer/123456789012-role-forecast-trainer"
snapshot "$part/out" >"$TMP/earlier-build"
run_other build --target aws -o "$part/out" "$specs"
expect_status 2
expect_err "forecast-trainer/123456789012-role-forecast-trainer/identity-policy.json: error: cannot create: Permission denied"
snapshot "$part/out" >"$TMP/after-build"
if ! cmp -s "$TMP/earlier-build" "$TMP/after-build"; then
	fail "the earlier build changed"
	diff "$TMP/earlier-build" "$TMP/after-build" >&2
fi
expect_no_temporary "$part"

chmod -R u+w "$ro"
case_name "an empty escalation-path file in the standard library"
cp -r "$ROOT/stdlib" "$TMP/stdlib-empty"
: >"$TMP/stdlib-empty/aws/escalation-paths.mandate"
MANDATE_STDLIB=$TMP/stdlib-empty "$MANDATE" check --today 2026-12-01 \
	"$ROOT/examples/agents" >"$TMP/out" 2>"$TMP/err"
expect_eq "$?" 2 "exit status"
if ! grep -q "escalation-paths.mandate: error: declares no escalation path" \
	"$TMP/err"; then
	fail "the damaged standard library is not named"
fi
expect_eq "$(wc -c <"$TMP/out")" 0 "stdout bytes"

finish
