# The same export given twice to --against is a usage error naming both
# paths, exit 2, before anything is read: spelt alike, through another
# path, a symbolic link or a hard link. Loading it twice would report
# each of its identities as a duplicate of itself.
. tests/cli/lib.sh

gaad=examples/exports/authorization-details.json
creds=examples/exports/credential-report.csv
role=arn:aws:iam::123456789012:role/report-writer
today="--today 2026-12-01"

# Expect a usage error of command $1 that names $2 and, when given, $3.
expect_repeat_error() {
	expect_status 2
	if [ $# -eq 2 ]; then
		expect_err "mandate $1: error: '$2' is given to --against twice; give each export once"
	else
		expect_err "mandate $1: error: '$2' and '$3' are the same file, given to --against twice; give each export once"
	fi
	expect_no_err "duplicate"
	if [ -s "$out" ]; then
		fail "$1 wrote to stdout"
	fi
}

case_name "check with one export twice"
run check $today --against "$gaad" --against "$creds" --against "$gaad" \
	examples/agents
expect_repeat_error check "$gaad"

case_name "check with one export by two paths"
run check $today --against "$gaad" --against "./$gaad" examples/agents
expect_repeat_error check "$gaad" "./$gaad"

case_name "inventory with an export and a symbolic link to it"
ln -s "$ROOT/$gaad" "$TMP/link.json"
run inventory --against "$TMP/link.json" --against "$gaad" examples/agents
expect_repeat_error inventory "$TMP/link.json" "$gaad"

case_name "adopt with an export and a hard link to it"
cp "$creds" "$TMP/creds.csv"
ln "$TMP/creds.csv" "$TMP/creds-again.csv"
run adopt --against "$gaad" --against "$TMP/creds.csv" \
	--against "$TMP/creds-again.csv" --identity "$role"
expect_repeat_error adopt "$TMP/creds.csv" "$TMP/creds-again.csv"

case_name "simulate with one export twice"
run simulate --against "$gaad" --against "$gaad" --principal "$role" \
	--action s3:GetObject --resource '*'
expect_repeat_error simulate "$gaad"

case_name "first repeat on the command line is named"
cp "$gaad" "$TMP/gaad.json"
run check $today --against "$TMP/gaad.json" --against "$creds" \
	--against "$creds" --against "$TMP/gaad.json" examples/agents
expect_repeat_error check "$creds"

case_name "two copies of an export are two files"
run check $today --against "$gaad" --against "$TMP/gaad.json" \
	examples/agents
expect_status 2
expect_err "duplicate ARN"
expect_no_err "given to --against twice"

case_name "missing export named twice"
run check $today --against "$TMP/none.json" --against "$TMP/none.json" \
	examples/agents
expect_status 2
expect_err "$TMP/none.json: error: cannot open: No such file or directory"

finish
