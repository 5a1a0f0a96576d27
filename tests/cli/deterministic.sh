# check (text and json), build (every file and the manifest),
# inventory and diff give the same bytes for the same inputs in any order. The
# orders changed: spec files created or named in another order, the
# actions, resources, statements and identities of an export shuffled,
# and the --against exports given in another order.
. "$(dirname "$0")/lib.sh"

today="--today 2026-12-01"
shuffles="1 2 3 4 5"

# Print the lines of stdin in an order that depends only on seed $1.
shuffle() {
	awk -v seed="$1" 'BEGIN { srand(seed) }
		{ print rand() "\t" $0 }' | LC_ALL=C sort -k1,1 | cut -f2-
}

# Recreate $2 with the specs of $1, the files created in the order of
# shuffle $3.
lay_out_specs() {
	rm -rf "$2"
	mkdir -p "$2"
	for f in $(ls "$1" | shuffle "$3"); do
		cp "$1/$f" "$2/$f"
	done
}

# Print the paths of the specs in $1 in the order of shuffle $2.
spec_paths() {
	ls "$1" | shuffle "$2" | sed "s|^|$1/|"
}

# Print the export $2 with every array of actions, resources,
# statements, identities and managed policies in the order of shuffle
# $1. IAM gives every such order the same meaning.
shuffle_export() {
	jq --argjson seed "$1" '
	def perm($s): to_entries
		| sort_by((.key * 7919 + $s * 104729) % 1009)
		| map(.value);
	def stir($s): walk(
		if type == "object" then
			with_entries(
				if (.key == "Action" or .key == "NotAction" or
				    .key == "Resource" or
				    .key == "NotResource" or
				    .key == "Statement") and
				   (.value | type) == "array"
				then .value |= perm($s) else . end)
		else . end);
	stir($seed)
	| .RoleDetailList |= perm($seed)
	| .UserDetailList |= perm($seed + 1)
	| .Policies |= perm($seed + 2)' "$2"
}

# Print every output of the commands for the specs in $1 (files named
# in the order given by $2) and the exports that follow.
outputs() {
	dir=$1 order=$2
	shift 2
	against=
	for e in "$@"; do
		against="$against --against $e"
	done
	# shellcheck disable=SC2086
	set -- $(spec_paths "$dir" "$order")
	for format in text json; do
		echo "== check $format (directory)"
		"$MANDATE" check $today --format $format $against "$dir"
		echo "== exit $?"
		echo "== check $format (files)"
		"$MANDATE" check $today --format $format $against "$@"
		echo "== exit $?"
	done
	for format in text json csv; do
		echo "== inventory $format"
		"$MANDATE" inventory --format $format $against "$dir"
		echo "== exit $?"
	done
	echo "== build"
	rm -rf "$TMP/build-out"
	"$MANDATE" build --target aws -o "$TMP/build-out" "$@" |
		sed "s|$TMP/build-out|OUT|"
	(cd "$TMP/build-out" && find . -type f | LC_ALL=C sort | xargs cksum)
}

# Compare a shuffle's outputs with the unshuffled ones, and show the
# first lines that differ on failure.
expect_same() {
	if ! cmp -s "$1" "$2"; then
		fail "outputs differ from the unshuffled run"
		diff "$1" "$2" | head -n 20 >&2
	fi
}

# The examples: five specs, the authorization details and the
# credential report.
gaad=examples/exports/authorization-details.json
creds=examples/exports/credential-report.csv
lay_out_specs examples/agents "$TMP/specs" 0
cp "$gaad" "$TMP/gaad.json"
outputs "$TMP/specs" 0 "$TMP/gaad.json" "$creds" >"$TMP/want" 2>&1
for phrase in "== check text" "MND210" "MND201" "manifest.json"; do
	if ! grep -q "$phrase" "$TMP/want"; then
		fail "the outputs lack '$phrase'; the comparison proves little"
	fi
done

for s in $shuffles; do
	case_name "examples, spec order $s"
	lay_out_specs examples/agents "$TMP/specs" "$s"
	outputs "$TMP/specs" "$s" "$TMP/gaad.json" "$creds" >"$TMP/got" 2>&1
	expect_same "$TMP/want" "$TMP/got"

	case_name "examples, --against order $s"
	outputs "$TMP/specs" "$s" "$creds" "$TMP/gaad.json" >"$TMP/got" 2>&1
	expect_same "$TMP/want" "$TMP/got"
done

# Shuffling an export moves its lines, and findings name the line and
# the statement number of what they report. So the check is made on
# the JSON report without those, and with the findings in one order.
normalise() {
	jq -S '.findings |= (map(del(.line, .column)
		| .message |= gsub("statement #[0-9]+"; "statement")
		| .details |= (map(gsub("statement #[0-9]+"; "statement"))
			| sort))
		| sort_by(.rule, .agent, .identity, .message))'
}
shuffled_export_case() {
	jq . "$2" >"$TMP/gaad.json"
	"$MANDATE" check $today --format json --against "$TMP/gaad.json" \
		$3 "$1" | normalise >"$TMP/want"
	for s in $shuffles; do
		case_name "$2, export shuffle $s"
		shuffle_export "$s" "$2" >"$TMP/gaad.json"
		if cmp -s "$TMP/gaad.json" "$2"; then
			fail "shuffle $s left the export unchanged"
		fi
		"$MANDATE" check $today --format json \
			--against "$TMP/gaad.json" $3 "$1" |
			normalise >"$TMP/got"
		expect_same "$TMP/want" "$TMP/got"
		"$MANDATE" inventory --format csv --against "$TMP/gaad.json" \
			"$1" >"$TMP/got"
		"$MANDATE" inventory --format csv --against "$2" "$1" \
			>"$TMP/want-inventory"
		expect_same "$TMP/want-inventory" "$TMP/got"
	done
}
shuffled_export_case examples/agents "$gaad" "--against $creds"

# A synthetic organisation with drift, wildcards and unowned roles.
sh bench/gen-org.sh 60 "$TMP/org"
shuffled_export_case "$TMP/org/agents" "$TMP/org/export.json" ""

# diff between a commit of the examples and a working tree that
# changes them, in repositories whose files were created in other
# orders, with the PATHs named in other orders.
diff_outputs() {
	repo=$1 order=$2
	rm -rf "$repo"
	mkdir -p "$repo"
	git -C "$repo" init -q -b main
	lay_out_specs examples/agents "$repo/agents" "$order"
	git -C "$repo" add -A
	git -C "$repo" -c user.name=t -c user.email=t@example.com \
		commit -q -m base
	sed 's|"arn:aws:s3:::fernbrook-sales-history/\*"|"arn:aws:s3:::fernbrook-*"|' \
		examples/agents/report-writer.mandate \
		>"$repo/agents/report-writer.mandate"
	rm "$repo/agents/ticket-summarizer.mandate"
	sed 's/"ticket-summarizer"/"ticket-triager"/' \
		examples/agents/ticket-summarizer.mandate \
		>"$repo/agents/triager.mandate"
	paths=$(printf 'agents/%s\n' $(ls examples/agents) triager.mandate |
		shuffle "$order")
	for format in text json markdown; do
		echo "== diff $format"
		# shellcheck disable=SC2086
		(cd "$repo" && "$MANDATE" diff --format $format main -- $paths)
		echo "== exit $?"
	done
}
diff_outputs "$TMP/repo" 0 >"$TMP/want" 2>&1
for phrase in "report-writer" "ticket-triager" "escalation"; do
	if ! grep -q "$phrase" "$TMP/want"; then
		fail "the diff lacks '$phrase'; the comparison proves little"
	fi
done
for s in $shuffles; do
	case_name "diff, file and PATH order $s"
	diff_outputs "$TMP/repo" "$s" | sed "s/\"[0-9a-f]\{40\}\"/COMMIT/" \
		>"$TMP/got" 2>&1
	sed "s/\"[0-9a-f]\{40\}\"/COMMIT/" "$TMP/want" >"$TMP/want-diff"
	expect_same "$TMP/want-diff" "$TMP/got"
done

finish
