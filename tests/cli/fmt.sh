# mandate fmt: the golden layouts in tests/fmt, --check, idempotence and
# unchanged meaning over every spec in the repository, and files with
# errors left alone.
. tests/cli/lib.sh

# The findings of a check run without their positions, which formatting
# moves, sorted; and the verdict.
findings_of() {
	"$MANDATE" check --today 2026-12-01 --format json "$@" 2>/dev/null |
		jq -c '[.verdict, .counts,
			([.findings[] | del(.line, .column)
			  | .file |= sub(".*/"; "")] | sort)]'
}

for input in tests/fmt/*.in; do
	name=$(basename "$input" .in)
	case_name "golden layout $name"
	cp "$input" "$TMP/$name.mandate"
	run fmt "$TMP/$name.mandate"
	expect_status 0
	if ! cmp -s "tests/fmt/$name.out" "$TMP/$name.mandate"; then
		fail "formatted $input differs from tests/fmt/$name.out"
		diff -u "tests/fmt/$name.out" "$TMP/$name.mandate" >&2
	fi
	run fmt --check "tests/fmt/$name.out"
	expect_status 0
	expect_eq "$(cat "$out")" "" "files listed for a formatted case"
done

case_name "check lists the files that would change"
cp tests/fmt/layout.in "$TMP/messy.mandate"
cp tests/fmt/layout.out "$TMP/tidy.mandate"
run fmt --check "$TMP/messy.mandate" "$TMP/tidy.mandate"
expect_status 1
expect_eq "$(cat "$out")" "$TMP/messy.mandate" "files listed"
if ! cmp -s tests/fmt/layout.in "$TMP/messy.mandate"; then
	fail "--check changed the file"
fi

case_name "only files that change are written"
inode_before=$(ls -i "$TMP/tidy.mandate" | cut -d' ' -f1)
run fmt "$TMP/messy.mandate" "$TMP/tidy.mandate"
expect_status 0
expect_eq "$(ls -i "$TMP/tidy.mandate" | cut -d' ' -f1)" "$inode_before" \
	"inode of the file already in layout"
if ! cmp -s tests/fmt/layout.out "$TMP/messy.mandate"; then
	fail "the messy file was not formatted"
fi

case_name "a rewritten file keeps its permissions"
cp tests/fmt/layout.in "$TMP/private.mandate"
chmod 600 "$TMP/private.mandate"
run fmt "$TMP/private.mandate"
expect_status 0
expect_eq "$(stat -c %a "$TMP/private.mandate")" 600 "mode"

case_name "a directory is searched for specs"
mkdir -p "$TMP/tree/sub"
cp tests/fmt/layout.in "$TMP/tree/sub/a.mandate"
cp tests/fmt/layout.in "$TMP/tree/notes.txt"
run fmt --check "$TMP/tree"
expect_status 1
expect_eq "$(cat "$out")" "$TMP/tree/sub/a.mandate" "files listed"

case_name "a file with errors is never rewritten"
printf 'agent "x" {\n  kind=ai_agent\n  owner { technical = "a@example.com"\n' \
	>"$TMP/broken.mandate"
cp "$TMP/broken.mandate" "$TMP/broken.orig"
cp tests/fmt/layout.in "$TMP/good.mandate"
run fmt "$TMP/broken.mandate" "$TMP/good.mandate"
expect_status 2
expect_err "$TMP/broken.mandate:3:38: error: unexpected end of file, expected '}'"
if ! cmp -s "$TMP/broken.mandate" "$TMP/broken.orig"; then
	fail "the file with errors was rewritten"
fi
if ! cmp -s tests/fmt/layout.out "$TMP/good.mandate"; then
	fail "the file without errors beside it was not formatted"
fi
run fmt --check "$TMP/broken.mandate"
expect_status 2
expect_eq "$(cat "$out")" "" "files listed when one has errors"
expect_eq "$(ls "$TMP" | grep -c '^\.\|tmp')" 0 "temporary files left"

case_name "a type error stops formatting too"
printf 'agent "x" {\n  kind = ai_agent\n  expires = 90d\n}\n' >"$TMP/typed.mandate"
run fmt --check "$TMP/typed.mandate"
expect_status 2
expect_err "$TMP/typed.mandate:3:"

case_name "usage"
run fmt
expect_status 2
expect_err "missing PATH"
run fmt --check "$TMP/absent.mandate"
expect_status 2
expect_err "$TMP/absent.mandate"

# Every spec in the repository: formatting twice changes nothing the
# second time, and never changes what the specs mean.
case_name "idempotent over the repository's specs"
for spec in $(find examples tests/lang/accepted stdlib tests/fixtures \
		-name '*.mandate' | sort); do
	copy=$TMP/idem.mandate
	cp "$spec" "$copy"
	run fmt "$copy"
	expect_status 0
	run fmt --check "$copy"
	if [ "$status" != 0 ]; then
		fail "formatting $spec twice changes it again"
	fi
	# Only blanks and list commas may differ.
	if [ "$(tr -d ' \t\n,' <"$spec")" != "$(tr -d ' \t\n,' <"$copy")" ]; then
		fail "formatting $spec changed more than layout"
	fi
done

case_name "same findings before and after formatting"
for unit in examples/agents tests/fixtures/specs/cloudmapper \
		tests/fixtures/specs/drift tests/fixtures/specs/build \
		tests/fixtures/adopt tests/lang/accepted; do
	rm -rf "$TMP/unit"
	cp -R "$unit" "$TMP/unit"
	run fmt "$TMP/unit"
	expect_status 0
	for spec in "$unit"/*.mandate; do
		copy=$TMP/unit/$(basename "$spec")
		before=$(findings_of "$spec")
		after=$(findings_of "$copy")
		# A file without agents is not a unit that check takes.
		grep -q '^agent' "$spec" || continue
		[ -n "$before" ] || fail "no findings report for $spec"
		expect_eq "$after" "$before" "findings of formatted $spec"
	done
	expect_eq "$(findings_of "$TMP/unit")" "$(findings_of "$unit")" \
		"findings of formatted $unit"
done

case_name "a read-only file is not rewritten"
cp tests/fmt/layout.in "$TMP/readonly.mandate"
chmod 0444 "$TMP/readonly.mandate"
run fmt "$TMP/readonly.mandate"
expect_status 2
expect_err "$TMP/readonly.mandate: error: is read-only, so it was not rewritten; make it writable to format it"
cmp -s tests/fmt/layout.in "$TMP/readonly.mandate" ||
	fail "fmt changed a read-only file"
expect_eq "$(stat -c %a "$TMP/readonly.mandate")" 444 \
	"permissions of the read-only file"
run fmt --check "$TMP/readonly.mandate"
expect_status 1
expect_out "$TMP/readonly.mandate"

case_name "hard links keep the same content"
mkdir "$TMP/links"
cp tests/fmt/layout.in "$TMP/links/first.mandate"
ln "$TMP/links/first.mandate" "$TMP/second.mandate"
run fmt "$TMP/links/first.mandate"
expect_status 0
cmp -s tests/fmt/layout.out "$TMP/links/first.mandate" ||
	fail "the formatted name lacks the canonical layout"
cmp -s tests/fmt/layout.out "$TMP/second.mandate" ||
	fail "the other hard link kept the old content"
expect_eq "$(stat -c %h "$TMP/second.mandate")" 2 "links to the file"
expect_eq "$(stat -c %i "$TMP/second.mandate")" \
	"$(stat -c %i "$TMP/links/first.mandate")" "inode of both names"

finish
