# make bench at its smallest size: the generator, check and the cJSON
# baseline all run, and the page has a well-formed table. Timing is not
# tested here; make bench measures it.
. "$(dirname "$0")/lib.sh"

build=$(dirname "$MANDATE")

case_name "generator output"
sh bench/gen-org.sh 50 "$TMP/org"
run check --today 2026-12-01 --format json --against "$TMP/org/export.json" \
	"$TMP/org/agents"
expect_status 1
for rule in MND130 MND201 MND210; do
	expect_out "\"rule\":	\"$rule\""
done
specs=$(ls "$TMP/org/agents" | wc -l)
expect_eq "$specs" 50 "number of specs"
"$build/bench/cjson-parse" "$TMP/org/export.json"
expect_eq "$?" 0 "cjson-parse status on the export"
printf '{"a": [1,' >"$TMP/cut.json"
"$build/bench/cjson-parse" "$TMP/cut.json" 2>/dev/null
expect_eq "$?" 2 "cjson-parse status on a truncated export"

case_name "same organisation each run"
sh bench/gen-org.sh 50 "$TMP/again"
if ! diff -r "$TMP/org" "$TMP/again" >/dev/null; then
	fail "two runs of gen-org.sh 50 differ"
fi

case_name "table"
if ! BENCH_RUNS=1 sh bench/run.sh "$build" "$TMP/bench.md" 100 \
	2>"$TMP/bench.err"; then
	fail "bench/run.sh failed"
	cat "$TMP/bench.err" >&2
fi
number='[0-9][0-9]*\.*[0-9]*'
rows=$(grep -c "^| 100 |\( $number |\)\{10\}$" "$TMP/bench.md")
expect_eq "$rows" 1 "result rows of 100 agents"
rows=$(grep -c "^| 100 |\( $number |\)\{3\}$" "$TMP/bench.md")
expect_eq "$rows" 1 "growth rows of 100 agents"
for field in "- CPU: " "- memory: " "- kernel: " "- compiler: "; do
	grep -q -- "^$field" "$TMP/bench.md" || fail "no '$field' line"
done
header=$(grep -c '^| agents | export MB |' "$TMP/bench.md")
expect_eq "$header" 1 "result table headers"

finish
