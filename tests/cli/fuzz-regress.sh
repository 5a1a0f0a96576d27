# Every input in fuzz/regress/TARGET once made a fuzz target crash,
# hang, leak or trip a sanitizer. Each is replayed through the target's
# entry point without libFuzzer (build/fuzz/replay-TARGET), which must
# return normally, and read by the mandate binary, which must reject it
# with exit status 2 and an error at the input's line and column.
. tests/cli/lib.sh

BUILD_DIR=$(dirname "$MANDATE")
mkdir "$TMP/none"

# Run mandate on input f the way a user would give it to the target.
run_as_user() {
	target=$1 f=$2
	case $target in
	spec)
		run check --today 2026-12-01 --color never "$f" ;;
	policy)
		run simulate --today 2026-12-01 --color never \
			--against tests/fixtures/simulate/gaad.json \
			--principal arn:aws:iam::111122223333:role/nightly \
			--action s3:GetObject --resource arn:aws:s3:::b/k \
			--resource-policy "$f" ;;
	*)
		run check --today 2026-12-01 --color never --against "$f" \
			"$TMP/none" ;;
	esac
}

n=0
for dir in fuzz/regress/*/; do
	target=$(basename "$dir")
	replay=$BUILD_DIR/fuzz/replay-$target
	case_name "$target"
	if [ ! -x "$replay" ]; then
		fail "no replay driver $replay for fuzz/regress/$target"
		continue
	fi
	for f in "$dir"*; do
		[ -f "$f" ] || continue
		n=$((n + 1))
		f=${f#./}
		case_name "$f"
		"$replay" "$f" >"$out" 2>"$err"
		status=$?
		expect_status 0
		expect_out "replayed 1 input"

		run_as_user "$target" "$f"
		expect_status 2
		if ! grep -qE "^$f:[0-9]+:[0-9]+: error: " "$err"; then
			fail "no error at a line and column of $f"
			show
		fi
	done
done
case_name "inputs"
if [ "$n" -eq 0 ]; then
	fail "no inputs found in fuzz/regress"
fi

finish
