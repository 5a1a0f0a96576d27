# mandate loads libgit2 with dlopen only for diff: the binary does not
# link it, the other commands run when it cannot be loaded, and diff
# then stops with exit 2, naming the library and the loader's reason.
. tests/cli/lib.sh

SONAME=$(sh scripts/soname.sh libgit2 git2 "${CC:-cc}")
export GIT_AUTHOR_NAME=tester GIT_AUTHOR_EMAIL=tester@example.com
export GIT_COMMITTER_NAME=tester GIT_COMMITTER_EMAIL=tester@example.com
export GIT_CONFIG_NOSYSTEM=1 HOME=$TMP

case_name "libgit2 soname found"
[ -n "$SONAME" ] || fail "scripts/soname.sh printed no soname for libgit2"

case_name "binary links neither libgit2 nor libcrypto"
ldd "$MANDATE" >"$TMP/ldd" 2>&1 || fail "ldd $MANDATE failed"
if grep -E 'libgit2|libcrypto' "$TMP/ldd" >&2; then
	fail "ldd lists libgit2 or libcrypto"
fi

# A repository with one spec in two commits, so diff has work to do.
REPO=$TMP/repo
mkdir -p "$REPO/agents"
git init -q -b main "$REPO"
cp examples/agents/forecast-trainer.mandate "$REPO/agents/"
git -C "$REPO" add -A >/dev/null 2>&1 || fail "git add failed"
git -C "$REPO" commit -q -m "First spec" || fail "git commit failed"
git -C "$REPO" tag v1
echo "# a comment" >>"$REPO/agents/forecast-trainer.mandate"
git -C "$REPO" commit -q -am "Second" || fail "git commit failed"

case_name "diff loads libgit2"
run diff --repo "$REPO" --format json v1 HEAD
expect_status 0
expect_no_err "cannot load"

# Directories for LD_LIBRARY_PATH, which the loader searches first: one
# with a file of the library's name that is not a shared object, one
# with a real shared object of that name that lacks libgit2's functions.
BROKEN=$TMP/broken
mkdir -p "$BROKEN"
echo "not a shared object" >"$BROKEN/$SONAME"
LACKING=$TMP/lacking
mkdir -p "$LACKING"
echo "int git_libgit2_init(void) { return 1; }" >"$TMP/lacking.c"
built_lacking=true
if ! "${CC:-cc}" -shared -fPIC -Wl,-soname,"$SONAME" \
	-o "$LACKING/$SONAME" "$TMP/lacking.c" 2>"$TMP/cc.err"; then
	cat "$TMP/cc.err" >&2
	built_lacking=false
fi

LD_LIBRARY_PATH=$BROKEN
export LD_LIBRARY_PATH

case_name "check runs without libgit2"
run check --today 2026-12-01 examples/agents
expect_status 1
expect_no_err "$SONAME"

case_name "diff reports libgit2 that cannot load"
run diff --repo "$REPO" --format json -o "$TMP/report.json" v1 HEAD
expect_status 2
expect_err "mandate: error: cannot load $SONAME: $BROKEN/$SONAME: "
expect_err "mandate: note: mandate diff reads git repositories with libgit2"
expect_err "1 error"
[ -s "$out" ] && fail "diff wrote to stdout although libgit2 did not load"
[ -e "$TMP/report.json" ] && fail "diff wrote a report without libgit2"

case_name "diff reports libgit2 lacking functions"
if $built_lacking; then
	LD_LIBRARY_PATH=$LACKING
	run diff --repo "$REPO" --format json v1 HEAD
	expect_status 2
	expect_err "mandate: error: cannot find 'git_"
	expect_err "in $SONAME: $LACKING/$SONAME: undefined symbol: git_"
	expect_err "mandate: note: mandate diff reads git repositories"
else
	echo "SKIP: libgit2 lacking functions: cannot build a shared library with ${CC:-cc}"
fi
unset LD_LIBRARY_PATH

finish
