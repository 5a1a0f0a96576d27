# mandate loads PCRE2 with dlopen only for a gate's owner_pattern and
# agent_name_pattern: the binary does not link it, a check without them
# runs when the library cannot be loaded, and a check with one then
# stops with exit 2, naming the library and the field.
#
# The loader searches LD_LIBRARY_PATH before the system's directories,
# so a directory holding a file of PCRE2's soname that is not a shared
# object makes every load of PCRE2 fail. A binary linked with -lpcre2-8
# does not start at all then (the loader exits 127), and one that loaded
# PCRE2 at start-up would report it for a check without patterns.
. tests/cli/lib.sh

SONAME=$(sh scripts/soname.sh libpcre2-8 pcre2-8 "${CC:-cc}")

case_name "PCRE2 soname found"
[ -n "$SONAME" ] || fail "scripts/soname.sh printed no soname for PCRE2"

case_name "binary does not link PCRE2"
ldd "$MANDATE" >"$TMP/ldd" 2>&1 || fail "ldd $MANDATE failed"
if grep -F libpcre2 "$TMP/ldd" >&2; then
	fail "ldd lists libpcre2"
fi

# One agent whose name and owners match the patterns, one whose name and
# technical owner do not, and one whose business owner is no address.
SPECS=$TMP/specs
mkdir -p "$SPECS"
agent() {
	cat <<SPEC
agent "$1" {
  kind        = workload
  description = "A test agent"
  owner {
    technical = "$2"
    business  = "$3"
  }
  justification = "Needed to exercise the gate's patterns"
  review      { every = 90d  last = 2026-11-01  by = "ben.carter@example.com" }
  expires     = 2027-06-01
  credentials { rotate = 30d  long_lived_keys = false }
}
SPEC
}
agent good-name ana.silva@example.com ben.carter@example.com \
	>"$SPECS/good.mandate"
agent Bad_Name ana.silva@example.org ben.carter@example.com \
	>"$SPECS/bad.mandate"
agent no-address ana.silva@example.com "ben carter@example.com" \
	>"$SPECS/no-address.mandate"
PATTERNS=$TMP/patterns
mkdir -p "$PATTERNS"
cp "$SPECS"/*.mandate "$PATTERNS/"
cat >"$PATTERNS/gate.mandate" <<'SPEC'
gate {
  owner_pattern      = "^[a-z]+\\.[a-z]+@example\\.com$"
  agent_name_pattern = "^[a-z][a-z0-9-]*$"
}
SPEC

case_name "gate patterns match and reject"
run check --today 2026-12-01 --color never "$PATTERNS"
expect_status 1
expect_out "bad.mandate:1:7: warning: agent name 'Bad_Name' does not match the gate's agent_name_pattern '^[a-z][a-z0-9-]*\$' [MND105 medium]"
expect_out "bad.mandate:5:17: error: technical owner 'ana.silva@example.org' does not match the gate's owner_pattern '^[a-z]+\\.[a-z]+@example\\.com\$' [MND103 high]"
expect_out "no-address.mandate:6:17: error: business owner 'ben carter@example.com' is not an email address [MND103 high]"
expect_no_out "good.mandate"
expect_no_out "'good-name'"
expect_eq "$(grep -c 'MND10[35]' "$out")" 3 "findings of MND103 and MND105"
cp "$out" "$TMP/patterns.out"

case_name "owner address checked without patterns"
run check --today 2026-12-01 --color never "$SPECS"
expect_status 1
expect_out "no-address.mandate:6:17: error: business owner 'ben carter@example.com' is not an email address [MND103 high]"
expect_no_out "MND105"
expect_eq "$(grep -c 'MND103' "$out")" 1 "findings of MND103"
cp "$out" "$TMP/specs.out"

# A final newline, written "\n" in the spec, must not get an address or
# a name past a check, because PCRE2's '$' would match before it. The
# address would also differ from the same one without it, so the check
# that owners do not approve waivers of their own agents missed it.
NEWLINE=$TMP/newline
mkdir -p "$NEWLINE"
agent trailing-owner 'ana.silva@example.com\n' ben.carter@example.com \
	>"$NEWLINE/owner.mandate"
agent 'trailing-name\n' ana.silva@example.com ben.carter@example.com \
	>"$NEWLINE/name.mandate"
cp "$PATTERNS/gate.mandate" "$NEWLINE/"

case_name "final newline in an owner or a name"
run check --today 2026-12-01 --color never "$NEWLINE"
expect_status 1
expect_out "owner.mandate:5:17: error: technical owner 'ana.silva@example.com?' is not an email address [MND103 high]"
expect_out "name.mandate:1:7: warning: agent name 'trailing-name?' does not match the gate's agent_name_pattern '^[a-z][a-z0-9-]*\$' [MND105 medium]"
expect_eq "$(grep -c 'MND10[35]' "$out")" 2 "findings of MND103 and MND105"

case_name "final newline in an owner without patterns"
rm "$NEWLINE/gate.mandate"
run check --today 2026-12-01 --color never "$NEWLINE"
expect_status 1
expect_out "owner.mandate:5:17: error: technical owner 'ana.silva@example.com?' is not an email address [MND103 high]"
expect_no_out "MND105"

# A pattern that backtracks through every way to split its subject
# reaches PCRE2's match limit, which mandate sets low. The pattern then
# neither matches nor fails to, so the check stops with exit 2 and
# nothing written, rather than report an owner or a name that may match.
SLOW=$TMP/slow
mkdir -p "$SLOW"
cp "$SPECS"/*.mandate "$SLOW/"
cat >"$SLOW/gate.mandate" <<'SPEC'
gate {
  owner_pattern      = "^(?:(.|.)*#|.+)$"
  agent_name_pattern = "^(?:(.|.|.|.)*#|.+)$"
}
SPEC

case_name "gate patterns reach the match limit"
run check --today 2026-12-01 --color never "$SLOW"
expect_status 2
expect_err "gate.mandate:2:24: error: matching owner_pattern against '"
expect_err "gate.mandate:3:24: error: matching agent_name_pattern against '"
expect_err "' failed: match limit exceeded; write a pattern that backtracks less"
expect_eq "$(grep -c 'error: matching' "$err")" 2 "errors of matching"
expect_err "2 errors"
[ -s "$out" ] && fail "check wrote findings although a pattern failed"

# The limits leave room for an ordinary pattern: on the longest string a
# spec may hold, 2,048 bytes, this one needs 4,075 steps and as deep a
# backtracking.
LONG=$TMP/long
mkdir -p "$LONG"
agent long-owner "$(printf '%02036d' 0 | tr 0 a)@example.com" \
	ben.carter@example.com >"$LONG/long.mandate"
cat >"$LONG/gate.mandate" <<'SPEC'
gate {
  owner_pattern = "^(?:[a-z]|\\.)+@example\\.com$"
}
SPEC

case_name "ordinary pattern on the longest owner"
run check --today 2026-12-01 --color never "$LONG"
expect_status 0
expect_no_out "MND103"
expect_no_err "error"

BROKEN=$TMP/broken
mkdir -p "$BROKEN"
echo "not a shared object" >"$BROKEN/$SONAME"
LACKING=$TMP/lacking
mkdir -p "$LACKING"
echo "int pcre2_config_8(unsigned w, void *p) { return w && p; }" \
	>"$TMP/lacking.c"
built_lacking=true
if ! "${CC:-cc}" -shared -fPIC -Wl,-soname,"$SONAME" \
	-o "$LACKING/$SONAME" "$TMP/lacking.c" 2>"$TMP/cc.err"; then
	cat "$TMP/cc.err" >&2
	built_lacking=false
fi

# grep links PCRE2 too, so only mandate runs with the directory.
run_with_library_path() {
	dir=$1
	shift
	LD_LIBRARY_PATH=$dir "$MANDATE" "$@" >"$out" 2>"$err"
	status=$?
	if [ "$status" -gt 2 ]; then
		fail "mandate $* crashed or did not start: status $status"
		show
	fi
}

case_name "check without patterns runs without PCRE2"
run_with_library_path "$BROKEN" check --today 2026-12-01 --color never "$SPECS"
expect_status 1
expect_no_err "$SONAME"
cmp -s "$out" "$TMP/specs.out" ||
	fail "the findings differ from those of a run that can load PCRE2"

case_name "gate pattern reports PCRE2 that cannot load"
run_with_library_path "$BROKEN" check --today 2026-12-01 --color never "$PATTERNS"
expect_status 2
expect_err "gate.mandate:2:24: error: cannot load $SONAME, which 'owner_pattern' needs: $BROKEN/$SONAME: "
expect_err "gate.mandate:3:24: error: cannot load $SONAME, which 'agent_name_pattern' needs: $BROKEN/$SONAME: "
expect_err "mandate: note: a gate's owner_pattern and agent_name_pattern are compiled with PCRE2, so install the PCRE2 release that provides $SONAME"
expect_eq "$(grep -c 'note: a gate' "$err")" 1 "notes on installing PCRE2"
expect_err "2 errors"
[ -s "$out" ] && fail "check wrote findings although PCRE2 did not load"

case_name "gate pattern reports PCRE2 lacking functions"
if $built_lacking; then
	run_with_library_path "$LACKING" check --today 2026-12-01 \
		--color never "$PATTERNS"
	expect_status 2
	expect_err "gate.mandate:2:24: error: cannot find 'pcre2_"
	expect_err "_8' in $SONAME, which 'owner_pattern' needs: $LACKING/$SONAME: undefined symbol: pcre2_"
	[ -s "$out" ] && fail "check wrote findings although PCRE2 lacked functions"
else
	echo "SKIP: PCRE2 lacking functions: cannot build a shared library with ${CC:-cc}"
fi

case_name "gate patterns match again once PCRE2 loads"
run check --today 2026-12-01 --color never "$PATTERNS"
expect_status 1
cmp -s "$out" "$TMP/patterns.out" || fail "the findings changed"

finish
