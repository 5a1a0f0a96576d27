# make install and make uninstall. The installed binary finds its
# standard library relative to its own path, even after the staged tree
# is moved or copied. The manual pages render without warnings and cover
# every command and option. Uninstall removes every installed file.
. tests/cli/lib.sh

unset MANDATE_STDLIB
BUILD_DIR=$(dirname "$MANDATE")
STAGE=$TMP/stage
PREFIX=/usr/local

install_into() {
	make -s -C "$ROOT" BUILD="$BUILD_DIR" PREFIX=$PREFIX DESTDIR="$1" \
		"$2" >"$out" 2>"$err"
	status=$?
}

case_name "install puts each file in its place"
install_into "$STAGE" install
expect_status 0
find "$STAGE" -type f | sed "s|^$STAGE||" | LC_ALL=C sort >"$TMP/files"
{
	echo $PREFIX/bin/mandate
	for f in $(find stdlib -type f ! -name '*.py'); do
		echo "$PREFIX/share/mandate/$f"
	done
	echo $PREFIX/share/man/man1/mandate.1
	echo $PREFIX/share/man/man5/mandate.5
} | LC_ALL=C sort >"$TMP/want"
if ! cmp -s "$TMP/want" "$TMP/files"; then
	fail "installed files differ"
	diff "$TMP/want" "$TMP/files" >&2
fi
expect_eq "$(stat -c %a "$STAGE$PREFIX/bin/mandate")" 755 "binary mode"
expect_eq "$(stat -c %a "$STAGE$PREFIX/share/man/man5/mandate.5")" 644 \
	"manual page mode"

# The reference output of the example, from the build tree.
"$MANDATE" check --today 2026-12-01 --color never \
	--against examples/exports/authorization-details.json \
	--against examples/exports/credential-report.csv \
	examples/agents >"$TMP/want.out" 2>&1
mkdir "$TMP/work"
cp -R examples "$TMP/work/"

# Run the example with an installed binary from a directory outside the
# repository, and compare with the build tree's output.
check_example() {
	(
		cd "$TMP/work" &&
		"$1" check --today 2026-12-01 --color never \
			--against examples/exports/authorization-details.json \
			--against examples/exports/credential-report.csv \
			examples/agents
	) >"$out" 2>&1
	status=$?
	expect_status 1
	if ! cmp -s "$TMP/want.out" "$out"; then
		fail "output of $1 differs from the build tree's"
		diff "$TMP/want.out" "$out" | head -20 >&2
	fi
}

case_name "moved staging tree finds its stdlib"
mv "$STAGE" "$TMP/moved"
check_example "$TMP/moved$PREFIX/bin/mandate"

case_name "copied prefix tree finds its stdlib"
cp -R "$TMP/moved$PREFIX" "$TMP/copy"
check_example "$TMP/copy/bin/mandate"

case_name "symbolic link to the installed binary"
mkdir "$TMP/links"
ln -s "$TMP/copy/bin/mandate" "$TMP/links/mandate"
check_example "$TMP/links/mandate"

case_name "binary without its stdlib"
mkdir -p "$TMP/alone/bin"
cp "$TMP/copy/bin/mandate" "$TMP/alone/bin/"
(cd "$TMP/work" && "$TMP/alone/bin/mandate" check examples/agents) \
	>"$out" 2>"$err"
status=$?
expect_status 2
expect_err "standard library not found beside the binary in $TMP/alone/bin: neither $TMP/alone/bin/../share/mandate/stdlib nor $TMP/alone/bin/../stdlib has aws/catalog.txt; set MANDATE_STDLIB to its directory"

case_name "manual pages render without warnings"
for page in man1/mandate.1 man5/mandate.5; do
	file=$TMP/copy/share/man/$page
	groff -man -ww -z "$file" >"$out" 2>"$err"
	status=$?
	expect_status 0
	expect_eq "$(cat "$err")" "" "groff warnings on $page"
	if command -v man >/dev/null 2>&1; then
		MANWIDTH=80 man --warnings -l "$file" >"$out" 2>"$err"
		status=$?
		expect_status 0
		expect_eq "$(cat "$err")" "" "man warnings on $page"
	fi
	groff -man -Tutf8 -P-cbou "$file" >"$out" 2>/dev/null
	expect_out "NAME"
	expect_out "SEE ALSO"
done
groff -man -Tutf8 -P-cbou "$TMP/copy/share/man/man1/mandate.1" >"$out"
expect_out "mandate - policy compiler and CI gate for non-human identities"
groff -man -Tutf8 -P-cbou "$TMP/copy/share/man/man5/mandate.5" >"$out"
expect_out "mandate - the spec language of non-human identities"

case_name "manual pages carry the version"
version=$("$MANDATE" --version | sed 's/^mandate //')
expect_eq "$(sed -n '1s/.*"mandate \([^"]*\)".*/\1/p' docs/mandate.1)" \
	"$version" "version of mandate(1)"
expect_eq "$(sed -n '1s/.*"mandate \([^"]*\)".*/\1/p' docs/mandate.5)" \
	"$version" "version of mandate(5)"

case_name "mandate(1) has each command and option"
# Each command of `mandate --help` has a section (.SS NAME), and every
# long option its --help prints appears in that section.
commands=$("$MANDATE" --help | awk '/^commands:/ { on = 1; next }
	on && /^  [a-z]/ { print $1 } on && /^$/ { exit }')
expect_eq "$(echo "$commands" | wc -w)" \
	"$("$MANDATE" --help | grep -c '^  [a-z]')" "commands found in --help"
for cmd in $commands; do
	awk -v cmd="$cmd" '$0 == ".SS " cmd { on = 1; next }
		on && /^\.S[SH] / { exit } on { print }' docs/mandate.1 |
		sed 's/\\-/-/g' >"$TMP/section"
	if [ ! -s "$TMP/section" ]; then
		fail "mandate(1) has no section for '$cmd'"
		continue
	fi
	for opt in $("$MANDATE" "$cmd" --help | grep -o -- '--[a-z][a-z-]*' |
		     sort -u); do
		grep -q -- "$opt" "$TMP/section" ||
			fail "mandate(1) section '$cmd' lacks '$opt'"
	done
done

case_name "uninstall removes every installed file"
install_into "$TMP/moved" uninstall
expect_status 0
expect_eq "$(find "$TMP/moved" -type f | wc -l)" 0 "files left"
expect_eq "$(find "$TMP/moved" -path '*/share/mandate' | wc -l)" 0 \
	"share/mandate left"
expect_eq "$(find "$TMP/moved" -type d | sed "s|^$TMP/moved||" |
	LC_ALL=C sort | tr '\n' ' ')" \
	" /usr /usr/local /usr/local/bin /usr/local/share /usr/local/share/man /usr/local/share/man/man1 /usr/local/share/man/man5 " \
	"directories left"

finish
