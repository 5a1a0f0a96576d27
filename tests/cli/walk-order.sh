# Diagnostics about the files of a spec tree come in sorted path order,
# whatever order the directory lists its entries in and whatever order
# the paths are given in, so that every machine prints the same
# messages. Entries are created in an order that differs from the
# sorted one.
. tests/cli/lib.sh

today="--today 2026-12-01"
tree=$TMP/tree
mkdir -p "$TMP/outside" "$tree/b" "$tree/c" "$tree/a"
spec='agent "a" {\n  kind = workload\n}\n'

# Print the path of each error and warning in the last stderr.
message_paths() {
	sed -n 's/: \(error\|warning\): .*//p' "$err"
}

touch "$tree/z-caf$(printf '\351').mandate"
ln -s . "$tree/c/self"
mkfifo "$tree/m.mandate"
touch "$tree/b/caf$(printf '\351').mandate"
ln -s /etc/passwd "$tree/b-link.mandate"
mkfifo "$tree/b.mandate"
ln -s "$TMP/outside" "$tree/a/out"
printf "$spec" >"$tree/c/ok.mandate"

# '-' and '.' sort before '/', so b-link.mandate and b.mandate come
# before the files in b/.
cat >"$TMP/want" <<WANT
$tree/a/out
$tree/b-link.mandate
$tree/b.mandate
$tree/b/caf?.mandate
$tree/c/self
$tree/m.mandate
$tree/z-caf?.mandate
WANT

case_name "check of a tree with several faults"
run check $today --color never "$tree"
expect_status 2
message_paths >"$TMP/got"
if ! cmp -s "$TMP/want" "$TMP/got"; then
	fail "messages are not in sorted path order"
	diff "$TMP/want" "$TMP/got" >&2
fi
expect_err "$tree/a/out: error: symbolic link leads to"
expect_err "$tree/c/self: error: symbolic link loop"
expect_err "$tree/m.mandate: warning: skipping: not a regular file"

case_name "fmt of a tree with several faults"
run fmt --check "$tree"
expect_status 2
message_paths >"$TMP/got"
if ! cmp -s "$TMP/want" "$TMP/got"; then
	fail "messages are not in sorted path order"
	diff "$TMP/want" "$TMP/got" >&2
fi

case_name "paths given in either order"
other=$TMP/other
mkdir "$other"
touch "$other/caf$(printf '\351').mandate"
run check $today --color never "$tree" "$other"
expect_status 2
cp "$err" "$TMP/forward"
run check $today --color never "$other" "$tree"
expect_status 2
if ! cmp -s "$TMP/forward" "$err"; then
	fail "the order of the paths changed the messages"
	diff "$TMP/forward" "$err" >&2
fi
expect_eq "$(message_paths | LC_ALL=C sort -c 2>&1)" "" "message order"

case_name "diff of a working tree with symbolic links"
repo=$TMP/repo
export GIT_AUTHOR_NAME=tester GIT_AUTHOR_EMAIL=tester@example.com
export GIT_COMMITTER_NAME=tester GIT_COMMITTER_EMAIL=tester@example.com
export GIT_CONFIG_NOSYSTEM=1 HOME=$TMP
git init -q -b main "$repo"
mkdir "$repo/agents"
printf "$spec" >"$repo/agents/a.mandate"
git -C "$repo" add . && git -C "$repo" commit -q -m specs ||
	fail "git commit failed"
for name in zeta q m agents/mid agents-b c alpha y b; do
	ln -s /etc/passwd "$repo/$name.mandate"
done
run diff --repo "$repo" --format json HEAD
expect_status 0
sed -n "s/.*skipping symbolic link '\([^']*\)'.*/\1/p" "$err" >"$TMP/got"
expect_eq "$(tr '\n' ' ' <"$TMP/got")" "agents-b.mandate agents/mid.mandate \
alpha.mandate b.mandate c.mandate m.mandate q.mandate y.mandate \
zeta.mandate " "symbolic links warned about"

finish
