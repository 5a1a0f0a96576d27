# What -o may overwrite or remove. A failed check removes only an
# earlier report of the same format that mandate wrote, and a usage
# error touches no file. No command writes over one of its inputs, two
# reports of one run never share a file, and -o - is stdout.
. tests/cli/lib.sh

EX=examples/agents
GAAD=examples/exports/authorization-details.json
TODAY="--today 2026-12-01"
printf 'agent {\n' >"$TMP/broken.mandate"

# Fail unless file $1 has the bytes of file $2.
expect_same_bytes() {
	if ! cmp -s "$1" "$2"; then
		fail "$1 was changed"
	fi
}

expect_gone() {
	if [ -e "$1" ]; then
		fail "$1 is still there"
	fi
}

case_name "failed check keeps a user file"
echo data >"$TMP/notes.txt"
cp "$TMP/notes.txt" "$TMP/notes.orig"
run check "$TMP/broken.mandate" --format markdown -o "$TMP/notes.txt"
expect_status 2
expect_same_bytes "$TMP/notes.txt" "$TMP/notes.orig"
expect_err "kept $TMP/notes.txt: it does not look like a mandate markdown report"

case_name "failed check keeps a read-only file"
echo data >"$TMP/readonly.txt"
chmod 0444 "$TMP/readonly.txt"
run check "$TMP/broken.mandate" --format json -o "$TMP/readonly.txt"
expect_status 2
expect_same_bytes "$TMP/readonly.txt" "$TMP/notes.orig"
expect_err "kept $TMP/readonly.txt"

case_name "failed check keeps another format's report"
run check $TODAY --format sarif -o "$TMP/other.json" "$EX"
expect_status 1
cp "$TMP/other.json" "$TMP/other.orig"
run check "$TMP/broken.mandate" --format json -o "$TMP/other.json"
expect_status 2
expect_same_bytes "$TMP/other.json" "$TMP/other.orig"
expect_err "does not look like a mandate json report"

case_name "failed check keeps an export"
cp "$GAAD" "$TMP/gaad.json"
run check "$TMP/broken.mandate" --format json -o "$TMP/gaad.json"
expect_status 2
expect_same_bytes "$TMP/gaad.json" "$GAAD"

for format in json sarif junit markdown text; do
	case_name "failed check removes earlier $format report"
	run check $TODAY --format "$format" -o "$TMP/earlier.$format" "$EX"
	expect_status 1
	if [ ! -s "$TMP/earlier.$format" ]; then
		fail "no $format report to start from"
	fi
	run check "$TMP/broken.mandate" --format "$format" \
		-o "$TMP/earlier.$format"
	expect_status 2
	expect_err "removed the earlier report $TMP/earlier.$format"
	expect_gone "$TMP/earlier.$format"
done

# A text report with no findings ends "0 findings" and a passing verdict.
case_name "failed check removes passing text report"
printf '0 findings\nverdict: pass (nothing at or above high)\n' \
	>"$TMP/pass.txt"
run check "$TMP/broken.mandate" -o "$TMP/pass.txt"
expect_status 2
expect_gone "$TMP/pass.txt"

case_name "failed check removes report through link"
run check $TODAY --format json -o "$TMP/target.json" "$EX"
ln -s target.json "$TMP/link.json"
run check "$TMP/broken.mandate" --format json -o "$TMP/link.json"
expect_status 2
expect_gone "$TMP/target.json"

case_name "usage error keeps earlier report"
run check $TODAY --format json -o "$TMP/kept.json" "$EX"
cp "$TMP/kept.json" "$TMP/kept.orig"
run check $TODAY --format json -o "$TMP/kept.json" --fail-on severe "$EX"
expect_status 2
expect_same_bytes "$TMP/kept.json" "$TMP/kept.orig"
run check $TODAY --format json -o "$TMP/kept.json" --format yaml "$EX"
expect_status 2
expect_same_bytes "$TMP/kept.json" "$TMP/kept.orig"

case_name "check rejects export as -o"
run check $TODAY --against "$TMP/gaad.json" --format json \
	-o "$TMP/gaad.json" "$EX"
expect_status 2
expect_err "cannot write '$TMP/gaad.json': it is the input '$TMP/gaad.json'"
expect_same_bytes "$TMP/gaad.json" "$GAAD"
if [ -s "$out" ]; then
	fail "check wrote to stdout"
fi

case_name "check rejects spec as -o"
mkdir "$TMP/agents"
cp "$EX"/*.mandate "$TMP/agents/"
spec=$(ls "$TMP/agents"/*.mandate | head -n 1)
cp "$spec" "$TMP/spec.orig"
run check $TODAY --format json -o "$spec" "$spec"
expect_status 2
expect_err "it is the input"
expect_same_bytes "$spec" "$TMP/spec.orig"
# Found by searching the directory, under another spelling.
run check $TODAY --format json -o "$TMP/agents/../agents/$(basename "$spec")" \
	"$TMP/agents"
expect_status 2
expect_err "it is the input"
expect_same_bytes "$spec" "$TMP/spec.orig"

case_name "check rejects one file twice"
mkdir "$TMP/twice"
(
	cd "$TMP/twice" &&
	"$MANDATE" check $TODAY --format json -o ./x.json --format sarif \
		-o x.json "$ROOT/$EX" >"$out" 2>"$err"
)
status=$?
expect_status 2
expect_err "-o './x.json' and -o 'x.json' are the same file"
run check $TODAY --format json -o "$TMP/twice/x.json" --format sarif \
	-o "$TMP/twice/../twice/x.json" "$EX"
expect_status 2
expect_err "are the same file"
run check $TODAY --format json -o "$TMP/twice/t.json" "$EX"
ln -s t.json "$TMP/twice/l.json"
cp "$TMP/twice/t.json" "$TMP/twice/t.orig"
run check $TODAY --format json -o "$TMP/twice/t.json" --format sarif \
	-o "$TMP/twice/l.json" "$EX"
expect_status 2
expect_err "are the same file"
expect_same_bytes "$TMP/twice/t.json" "$TMP/twice/t.orig"
if [ ! -L "$TMP/twice/l.json" ]; then
	fail "the link was replaced"
fi
ls "$TMP/twice" >"$TMP/listing"
expect_eq "$(tr '\n' ' ' <"$TMP/listing")" "l.json t.json t.orig " \
	"files after the rejected runs"

# A dangling link names the file it would create, through a chain of
# links too, so it clashes with an -o of that file.
case_name "check rejects dangling link to other -o"
mkdir "$TMP/dangling"
ln -s x.json "$TMP/dangling/y.json"
ln -s y.json "$TMP/dangling/z.json"
for link in y.json z.json; do
	run check $TODAY --format json -o "$TMP/dangling/x.json" \
		--format sarif -o "$TMP/dangling/$link" "$EX"
	expect_status 2
	expect_err "-o '$TMP/dangling/x.json' and -o '$TMP/dangling/$link' are the same file"
done
expect_gone "$TMP/dangling/x.json"
[ -L "$TMP/dangling/y.json" ] || fail "the link y.json was replaced"

case_name "check writes through dangling link"
run check $TODAY --format sarif -o "$TMP/dangling/z.json" "$EX"
expect_status 1
[ -L "$TMP/dangling/z.json" ] || fail "the link z.json was replaced"
[ -L "$TMP/dangling/y.json" ] || fail "the link y.json was replaced"
expect_eq "$(jq -r '.runs[0].tool.driver.name' "$TMP/dangling/x.json")" \
	mandate "driver of the SARIF file the links point to"

case_name "check rejects -o link loop"
ln -s loop.b "$TMP/dangling/loop.a"
ln -s loop.a "$TMP/dangling/loop.b"
run check $TODAY --format json -o "$TMP/dangling/loop.a" "$EX"
expect_status 2
expect_err "$TMP/dangling/loop.a: error: cannot write: Too many levels of symbolic links"
[ -L "$TMP/dangling/loop.a" ] || fail "the link loop.a was replaced"

case_name "check -o - is stdout"
run check $TODAY --format json -o - --format sarif -o "$TMP/dash.sarif" \
	"$EX"
expect_status 1
expect_eq "$(jq -r .verdict "$out")" fail "verdict of the JSON on stdout"
expect_eq "$(jq -r '.runs[0].tool.driver.name' "$TMP/dash.sarif")" \
	mandate "driver of the SARIF file"
expect_gone "./-"
run check $TODAY --format json -o - --format sarif "$EX"
expect_status 2
expect_err "would both go to stdout"

case_name "due rejects spec, takes -o -"
run due $TODAY -o "$spec" "$spec"
expect_status 2
expect_err "it is the input"
expect_same_bytes "$spec" "$TMP/spec.orig"
run due $TODAY -o "$TMP/agents/./$(basename "$spec")" "$TMP/agents"
expect_status 2
expect_err "it is the input"
expect_same_bytes "$spec" "$TMP/spec.orig"
run due $TODAY --format json -o - "$EX"
expect_status 0
expect_eq "$(jq -r .today "$out")" 2026-12-01 "today in due's JSON"
expect_gone "./-"

case_name "inventory rejects inputs, takes -o -"
run inventory --against "$TMP/gaad.json" -o "$TMP/gaad.json" "$EX"
expect_status 2
expect_err "it is the input"
expect_same_bytes "$TMP/gaad.json" "$GAAD"
run inventory --against "$GAAD" -o "$spec" "$TMP/agents"
expect_status 2
expect_err "it is the input"
expect_same_bytes "$spec" "$TMP/spec.orig"
run inventory --against "$GAAD" --format csv -o - "$EX"
expect_status 0
expect_out "identity,provider,kind"
expect_gone "./-"

case_name "adopt rejects export, takes -o -"
FIX=tests/fixtures/aws/cloudmapper-demo-gaad.json
ROLE=arn:aws:iam::123456789012:role/service-role/level1
cp "$FIX" "$TMP/demo.json"
run adopt --against "$TMP/demo.json" --identity "$ROLE" \
	-o "$TMP/demo.json"
expect_status 2
expect_err "it is the input"
expect_same_bytes "$TMP/demo.json" "$FIX"
run adopt --against "$FIX" --identity "$ROLE" -o -
expect_status 0
expect_out "agent "
expect_gone "./-"

case_name "init rejects template, takes -o -"
cp -r stdlib "$TMP/stdlib"
cp "$TMP/stdlib/templates/agent.mandate.in" "$TMP/template.orig"
export MANDATE_STDLIB="$TMP/stdlib"
run init --force -o "$TMP/stdlib/templates/agent.mandate.in" bot
unset MANDATE_STDLIB
expect_status 2
expect_err "it is the input"
expect_same_bytes "$TMP/stdlib/templates/agent.mandate.in" \
	"$TMP/template.orig"
run init $TODAY -o - bot
expect_status 0
expect_out 'agent "bot" {'
expect_gone "./-"

case_name "build rejects overwriting a spec"
run build --target aws -o "$TMP/build" "$EX"
expect_status 0
"$MANDATE" init $TODAY -o "$TMP/build/manifest.json" --force extra 2>/dev/null
cp "$TMP/build/manifest.json" "$TMP/manifest.orig"
run build --target aws -o "$TMP/build" "$EX" "$TMP/build/manifest.json"
expect_status 2
expect_err "cannot write '$TMP/build/manifest.json': it is the input"
expect_same_bytes "$TMP/build/manifest.json" "$TMP/manifest.orig"

finish
