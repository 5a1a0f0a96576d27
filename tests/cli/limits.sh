# Every input limit: inputs past a size, line, string, word, list,
# nesting or file-count limit, and specs that are not UTF-8 text. Also
# spec trees with symbolic link loops, links out of the tree, unreadable
# entries, FIFOs, sockets and odd file names. Each run exits 2 with an
# error naming the file and, inside a spec, the line and column, and
# writes no report. Big inputs are made in $TMP: sparse files take no
# disk, and the largest file written is 10 MB.
. "$(dirname "$0")/lib.sh"

gaad=examples/exports/authorization-details.json
specs=examples/agents
today="--today 2026-12-01"
report=$TMP/report.json
mkdir "$TMP/none"

# Run check with a JSON report and expect exit 2 and no report.
check_rejects() {
	run check $today --color never --format json -o "$report" "$@"
	expect_status 2
	if [ -e "$report" ]; then
		fail "a report was written"
		rm -f "$report"
	fi
}

# Write a spec of one agent whose line 2 is $1, a printf format
# without '%', so that octal escapes in it become bytes.
spec_with() {
	printf "agent \"a\" {\n  $1\n}\n"
}

# Print $1 repeated $2 times.
repeat() {
	awk -v s="$1" -v n="$2" 'BEGIN { while (n-- > 0) printf "%s", s }'
}

case_name "spec larger than 8 MiB, checked before reading"
truncate -s 9M "$TMP/big.mandate"
check_rejects "$TMP/big.mandate"
expect_err "$TMP/big.mandate: error: file is 9437184 bytes, larger than the maximum of 8388608 bytes"

case_name "10 MB identifier"
{ printf 'agent "a" {\n  '; repeat xxxxxxxxxx 1000000; printf ' = 1\n}\n'; } \
	>"$TMP/ident.mandate"
check_rejects "$TMP/ident.mandate"
expect_err "$TMP/ident.mandate: error: file is 10000021 bytes, larger than the maximum of 8388608 bytes"
rm "$TMP/ident.mandate"

for dev in /dev/zero /dev/urandom; do
	case_name "spec read from $dev"
	check_rejects "$dev"
	expect_err "$dev: error: input is larger than the maximum of 8388608 bytes"
done

case_name "FIFO without a writer named as a spec"
mkfifo "$TMP/idle.mandate"
run_timed() {
	timeout 20 "$MANDATE" "$@" >"$out" 2>"$err"
	status=$?
}
run_timed check $today -o "$report" "$TMP/idle.mandate"
expect_status 2
expect_err "$TMP/idle.mandate: error: file is empty"
[ -e "$report" ] && fail "a report was written"
rm -f "$report"

case_name "empty spec file among others"
mkdir "$TMP/with-empty"
cp "$specs"/*.mandate "$TMP/with-empty/"
: >"$TMP/with-empty/new-agent.mandate"
printf '# to do\n' >"$TMP/with-empty/notes.mandate"
check_rejects "$TMP/with-empty"
expect_err "$TMP/with-empty/new-agent.mandate: error: file is empty; write an agent or a gate, resource or waive block in it, or remove the file"
expect_err "$TMP/with-empty/notes.mandate: error: file declares nothing, only comments"
expect_err "2 errors"
run build --target aws -o "$TMP/with-empty-out" "$TMP/with-empty"
expect_status 2
expect_err "$TMP/with-empty/new-agent.mandate: error: file is empty"
run due "$TMP/with-empty"
expect_status 2
expect_err "$TMP/with-empty/new-agent.mandate: error: file is empty"
run fmt --check "$TMP/with-empty"
expect_status 2
expect_err "$TMP/with-empty/new-agent.mandate: error: file is empty"
rm -rf "$TMP/with-empty"

case_name "FIFO longer than the limit"
mkfifo "$TMP/flood.mandate"
head -c 9000000 /dev/zero >"$TMP/flood.mandate" 2>/dev/null &
writer=$!
run_timed check $today -o "$report" "$TMP/flood.mandate"
expect_status 2
expect_err "$TMP/flood.mandate: error: input is larger than the maximum of 8388608 bytes"
[ -e "$report" ] && fail "a report was written"
kill "$writer" 2>/dev/null
wait "$writer" 2>/dev/null

case_name "export read from a FIFO"
mkfifo "$TMP/export.fifo"
cat "$gaad" >"$TMP/export.fifo" &
writer=$!
run_timed check $today --against "$TMP/export.fifo" "$specs"
expect_status 1
expect_out "verdict: fail"
# A run that failed before it opened the FIFO leaves the writer blocked.
kill "$writer" 2>/dev/null
wait "$writer" 2>/dev/null

# Every export kind goes through the reader these commands share; a
# sparse file past the limit is rejected by its size alone.
truncate -s 3G "$TMP/huge.json"
huge_msg="$TMP/huge.json: error: file is 3221225472 bytes, larger than the maximum of 2147483648 bytes"
case_name "export larger than 2 GiB"
check_rejects --against "$TMP/huge.json" "$specs"
expect_err "$huge_msg"
case_name "export larger than 2 GiB in inventory"
run inventory --against "$TMP/huge.json" "$specs"
expect_status 2
expect_err "$huge_msg"
case_name "export larger than 2 GiB in adopt"
run adopt --against "$TMP/huge.json" --identity arn:aws:iam::1:role/r
expect_status 2
expect_err "$huge_msg"
case_name "export larger than 2 GiB in simulate"
run simulate --against "$TMP/huge.json" --principal arn:aws:iam::1:role/r \
	--action s3:GetObject --resource '*'
expect_status 2
expect_err "$huge_msg"
case_name "resource policy larger than 2 GiB"
run simulate --against "$gaad" --resource-policy "$TMP/huge.json" \
	--principal arn:aws:iam::123456789012:role/report-writer \
	--action s3:GetObject --resource '*'
expect_status 2
expect_err "$huge_msg"
rm "$TMP/huge.json"

case_name "fmt of a spec larger than 8 MiB"
run fmt "$TMP/big.mandate"
expect_status 2
expect_err "$TMP/big.mandate: error: file is 9437184 bytes"
rm "$TMP/big.mandate"

case_name "policy document nested deeper than JSON allows"
deep=$(repeat '{"a":' 600)1$(repeat '}' 600)
printf '{"RoleDetailList":[{"RoleName":"r","Arn":"arn:aws:iam::111122223333:role/r","RolePolicyList":[{"PolicyName":"p","PolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":%s}]}}]}]}\n' \
	"$deep" >"$TMP/deep.json"
check_rejects --against "$TMP/deep.json" "$TMP/none"
expect_err "$TMP/deep.json:1:"
expect_err "nesting deeper than 512 levels"

case_name "percent-encoded policy document nested too deep"
enc=$(repeat '%7B%22a%22%3A' 600)1$(repeat '%7D' 600)
printf '{"RoleDetailList":[{"RoleName":"r","Arn":"arn:aws:iam::111122223333:role/r","RolePolicyList":[{"PolicyName":"p","PolicyDocument":"%%7B%%22Statement%%22%%3A%s%%7D"}]}]}\n' \
	"$enc" >"$TMP/deep-enc.json"
check_rejects --against "$TMP/deep-enc.json" "$TMP/none"
expect_err "RoleDetailList[0].RolePolicyList[0].PolicyDocument: invalid JSON in the percent-decoded document: nesting deeper than 512 levels"

# Bytes a spec may not hold, each reported at its line and column.
case_name "NUL byte"
printf 'agent "a" {\n  kind = wo\000rkload\n}\n' >"$TMP/nul.mandate"
check_rejects "$TMP/nul.mandate"
expect_err "$TMP/nul.mandate:2:12: error: unexpected NUL byte"

case_name "NUL byte in a string"
spec_with 'description = "ab\000c"' >"$TMP/nul-str.mandate"
check_rejects "$TMP/nul-str.mandate"
expect_err "$TMP/nul-str.mandate:2:20: error: unexpected NUL byte in a string"

utf8_case() {
	case_name "$1"
	spec_with "$2" >"$TMP/utf8.mandate"
	check_rejects "$TMP/utf8.mandate"
	expect_err "$TMP/utf8.mandate:$3: error: invalid UTF-8 byte $4"
}
utf8_case "overlong encoding of '/'" 'description = "a\300\257b"' 2:19 0xc0
utf8_case "overlong three-byte encoding" 'description = "\340\200\257"' 2:18 0xe0
utf8_case "UTF-16 surrogate" 'description = "\355\240\200"' 2:18 0xed
utf8_case "code point past U+10FFFF" 'description = "\364\220\200\200"' 2:18 0xf4
utf8_case "stray continuation byte" 'description = "\303\251\200"' 2:19 0x80
utf8_case "truncated sequence in a string" 'description = "x\342\202"' 2:19 0xe2
utf8_case "truncated sequence in a comment" '# caf\303' 2:8 0xc3
utf8_case "invalid byte outside a string" 'kind = \377' 2:10 0xff
case_name "invalid bytes are not echoed"
if grep -q "$(printf '\377')" "$err"; then
	fail "the invalid byte reached stderr"
fi

case_name "truncated sequence at the end of the file"
printf 'agent "a" {\n}\n# \342\202' >"$TMP/eof.mandate"
check_rejects "$TMP/eof.mandate"
expect_err "$TMP/eof.mandate:3:3: error: invalid UTF-8 byte 0xe2"

case_name "line longer than 4096 bytes"
spec_with "description = \"$(repeat 'é' 2100)\"" >"$TMP/line.mandate"
check_rejects "$TMP/line.mandate"
# Byte 4097 of the line is inside the 2040th 'é', at column 17 + 2040.
expect_err "$TMP/line.mandate:2:2057: error: line is 4218 bytes long; the maximum is 4096 bytes"

case_name "string of a million characters"
{
	printf 'agent "a" {\n  description = "'
	repeat x 1000000
	printf '"\n}\n'
} >"$TMP/million.mandate"
check_rejects "$TMP/million.mandate"
expect_err "$TMP/million.mandate:2:4097: error: line is 1000018 bytes long; the maximum is 4096 bytes"

case_name "build of a spec with a long line writes nothing"
run build --target aws -o "$TMP/policies" "$TMP/million.mandate"
expect_status 2
expect_err "$TMP/million.mandate:2:4097: error: line is 1000018 bytes long"
if [ -e "$TMP/policies" ]; then
	fail "build created $TMP/policies"
fi

case_name "fmt of a spec with a long line leaves it as it was"
cp "$TMP/million.mandate" "$TMP/million.before"
run fmt "$TMP/million.mandate"
expect_status 2
expect_err "$TMP/million.mandate:2:4097: error: line is 1000018 bytes long"
if ! cmp -s "$TMP/million.mandate" "$TMP/million.before"; then
	fail "fmt changed the spec"
fi
rm "$TMP/million.mandate" "$TMP/million.before"

case_name "string longer than 2048 bytes"
{
	printf 'agent "a" {\n  kind = workload\n  description = "'
	repeat 'abc\\n' 600
	printf '"\n}\n'
} >"$TMP/string.mandate"
check_rejects "$TMP/string.mandate"
expect_err "$TMP/string.mandate:3:17: error: string is 2400 bytes long; the maximum is 2048 bytes"

case_name "unquoted word longer than 256 bytes"
spec_with "$(repeat k 257) = 1" >"$TMP/word.mandate"
check_rejects "$TMP/word.mandate"
expect_err "$TMP/word.mandate:2:3: error: 'kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk...' is 257 bytes long; an unquoted word is at most 256 bytes"

case_name "number longer than 256 bytes"
spec_with "x = $(repeat 9 300)" >"$TMP/number.mandate"
check_rejects "$TMP/number.mandate"
expect_err "$TMP/number.mandate:2:7: error: '99999999999999999999999999999999...' is 300 bytes long"

case_name "list of a million actions"
{
	printf 'agent "a" {\n  kind = workload\n  grant actions [\n'
	awk 'BEGIN {
		for (i = 0; i < 1000000; i++)
			printf "\"s3:A\",%s", i % 500 == 499 ? "\n" : ""
	}'
	printf '  ] on "*"\n}\n'
} >"$TMP/million-list.mandate"
check_rejects "$TMP/million-list.mandate"
# Items come 500 a line from line 4, so item 10001 starts line 24.
expect_err "$TMP/million-list.mandate:24:1: error: list has more than 10000 items"
rm "$TMP/million-list.mandate"

case_name "list of 10000 items is accepted"
{
	printf 'agent "a" {\n  kind = workload\n  audit {\n    context = ['
	awk 'BEGIN {
		for (i = 0; i < 10000; i++)
			printf "f%d,%s", i, i % 100 == 99 ? "\n" : " "
	}'
	printf ']\n  }\n}\n'
} >"$TMP/list-ok.mandate"
run check $today --color never "$TMP/list-ok.mandate"
if grep -q "list has more than" "$err"; then
	fail "a list of 10000 items was rejected"
	show
fi

case_name "lists nested 17 deep"
spec_with "x = $(repeat '[' 17)a$(repeat ']' 17)" >"$TMP/nest.mandate"
check_rejects "$TMP/nest.mandate"
expect_err "$TMP/nest.mandate:2:23: error: lists nested more than 16 deep"

case_name "lists nested 100000 deep"
{ printf 'agent "a" {\n  x = '; repeat '[\n' 100000; printf '}\n'; } \
	>"$TMP/deep.mandate"
check_rejects "$TMP/deep.mandate"
expect_err "$TMP/deep.mandate:18:1: error: lists nested more than 16 deep"
if grep -q "memory exhausted" "$err"; then
	fail "the parser ran out of stack"
fi

case_name "braces nested 100000 deep"
{ printf 'agent "a" {\n'; repeat '{\n' 100000; } >"$TMP/braces.mandate"
check_rejects "$TMP/braces.mandate"
expect_err "$TMP/braces.mandate:2:1: error: unexpected '{'"

# Spec directories.
case_name "more than 100000 spec files"
# 1000 files seen through 100 more links to their directory: the limit
# counts the paths found, and making 100001 files would take too long.
mkdir -p "$TMP/many/files"
(cd "$TMP/many/files" && awk 'BEGIN {
	for (i = 0; i < 1000; i++)
		printf " f%d.mandate", i
}' | xargs touch)
(cd "$TMP/many" && awk 'BEGIN {
	for (i = 0; i < 100; i++)
		printf " l%d", i
}' | xargs -n 1 ln -s files)
check_rejects "$TMP/many"
expect_err "error: more than 100000 spec files; refusing to read them all"
rm -rf "$TMP/many"

tree=$TMP/tree
reset_tree() {
	rm -rf "$tree"
	mkdir -p "$tree/sub"
	cp "$specs"/*.mandate "$tree/sub/"
}

case_name "symbolic link loop"
reset_tree
ln -s .. "$tree/sub/up"
check_rejects "$tree"
expect_err "$tree/sub/up: error: symbolic link loop: this directory is already being read"

case_name "directory symbolic link to itself"
reset_tree
ln -s . "$tree/sub/self"
check_rejects "$tree"
expect_err "$tree/sub/self: error: symbolic link loop"

case_name "symbolic link to a directory outside"
reset_tree
mkdir "$TMP/outside"
printf 'agent "outside" {\n  kind = workload\n}\n' >"$TMP/outside/other.mandate"
ln -s "$TMP/outside" "$tree/sub/out"
check_rejects "$tree"
expect_err "$tree/sub/out: error: symbolic link leads to '$(cd "$TMP/outside" && pwd -P)', outside the directories named"

case_name "symbolic link to a directory outside, named too"
run check $today --color never "$tree" "$TMP/outside"
expect_status 1
if grep -q "symbolic link" "$err"; then
	fail "a link into a directory named was rejected"
	show
fi

case_name "fmt through a symbolic link to a directory outside"
cp tests/fmt/layout.in "$TMP/outside/messy.mandate"
run fmt "$tree"
expect_status 2
expect_err "$tree/sub/out: error: symbolic link leads to"
if ! cmp -s tests/fmt/layout.in "$TMP/outside/messy.mandate"; then
	fail "fmt rewrote a spec outside the tree"
fi
rm "$TMP/outside/messy.mandate"

case_name "symbolic link to a file outside"
reset_tree
ln -s /etc/passwd "$tree/sub/passwd.mandate"
check_rejects "$tree"
expect_err "$tree/sub/passwd.mandate: error: symbolic link leads to '/etc/passwd'"
if grep -q "root:" "$err"; then
	fail "the linked file was read"
fi

case_name "symbolic link out of the tree that is not a spec"
reset_tree
ln -s /etc/passwd "$tree/sub/README"
run check $today --color never "$tree"
expect_status 1
if grep -q "symbolic link" "$err"; then
	fail "a link that is never read was rejected"
	show
fi

case_name "FIFO and socket in a spec tree"
reset_tree
mkfifo "$tree/sub/pipe.mandate"
mkfifo "$tree/sub/pipe"
if command -v python3 >/dev/null 2>&1; then
	python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' \
		"$tree/sub/sock.mandate"
fi
run_timed check $today --color never "$tree"
expect_status 1
expect_err "$tree/sub/pipe.mandate: warning: skipping: not a regular file"
if [ -S "$tree/sub/sock.mandate" ]; then
	expect_err "$tree/sub/sock.mandate: warning: skipping: not a regular file"
else
	echo "SKIP: socket in a spec tree needs python3"
fi

case_name "file name with a newline"
reset_tree
spec_with 'kind = 1' >"$tree/sub/new
line.mandate"
check_rejects "$tree"
expect_err "$tree/sub/new?line.mandate:2:10: error:"

case_name "file name that is not UTF-8"
reset_tree
touch "$tree/sub/caf$(printf '\351').mandate"
check_rejects "$tree"
expect_err "$tree/sub/caf?.mandate: error: file name is not valid UTF-8"

case_name "directory name that is not UTF-8"
reset_tree
mkdir "$tree/sub/caf$(printf '\351')"
spec_with '# empty' >"$tree/sub/caf$(printf '\351')/a.mandate"
check_rejects "$tree"
expect_err "$tree/sub/caf?/a.mandate: error: file name is not valid UTF-8"

# Root reads any file whatever its mode, so the unreadable cases run
# as nobody (user 65534) when the tests run as root.
as_other=
if [ "$(id -u)" = 0 ]; then
	if command -v setpriv >/dev/null 2>&1; then
		as_other="setpriv --reuid=65534 --regid=65534 --clear-groups"
	else
		as_other=none
	fi
fi
if [ "$as_other" = none ]; then
	echo "SKIP: unreadable files as root need setpriv"
else
	chmod 755 "$TMP"
	reset_tree
	chmod -R a+rX "$tree"
	chmod 000 "$tree/sub/gate.mandate"
	case_name "unreadable spec file"
	$as_other "$MANDATE" check $today --color never "$tree" \
		>"$out" 2>"$err"
	status=$?
	expect_status 2
	expect_err "$tree/sub/gate.mandate: error: cannot open: Permission denied"

	case_name "unreadable spec directory"
	chmod 644 "$tree/sub/gate.mandate"
	chmod 000 "$tree/sub"
	$as_other "$MANDATE" check $today --color never "$tree" \
		>"$out" 2>"$err"
	status=$?
	expect_status 2
	expect_err "$tree/sub: error: cannot read directory: Permission denied"
	chmod 755 "$tree/sub"
fi

finish
