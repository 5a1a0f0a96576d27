# mandate build --target aws: the generated policies, their merging and
# splitting, the manifest, byte-identical output, and that nothing is
# written when a build cannot finish.
. tests/cli/lib.sh

EX=examples/agents
FIX=tests/fixtures/specs

case_name "example builds"
run build --target aws -o "$TMP/out" "$EX"
expect_status 0
expect_out "$TMP/out/manifest.json"
TS=$TMP/out/aws/ticket-summarizer/123456789012-role-ticket-summarizer
expect_eq "$(ls "$TS")" "identity-policy.json
identity.json
tags.json
trust-policy.json" "files of ticket-summarizer"
expect_eq "$(find "$TMP/out" -type f | wc -l)" 20 "files written"

case_name "identity settings"
expect_eq "$(jq -c . "$TS/identity.json")" \
	'{"Arn":"arn:aws:iam::123456789012:role/ticket-summarizer","PermissionsBoundary":"arn:aws:iam::123456789012:policy/agent-boundary","MaxSessionDuration":3600}' \
	"identity.json"

case_name "identity policy of the compliant agent"
expect_eq "$(jq -r '.Version' "$TS/identity-policy.json")" 2012-10-17 "Version"
expect_eq "$(jq '.Statement | length' "$TS/identity-policy.json")" 3 "statements"
expect_eq "$(jq -r '[.Statement[] | select(.Condition) | .Action[]] | join(" ")' "$TS/identity-policy.json")" \
	"dynamodb:GetItem dynamodb:Query" "conditioned actions"
expect_eq "$(jq -r '.Statement[] | select(.Condition) | .Condition["ForAllValues:StringEquals"]["dynamodb:LeadingKeys"]' "$TS/identity-policy.json")" \
	'${aws:PrincipalTag/tenant}' "LeadingKeys condition"
expect_eq "$(jq -r '.Statement[] | select(.Condition) | .Condition.Null["dynamodb:LeadingKeys"]' "$TS/identity-policy.json")" \
	false "Null check of the multivalued key"
# s3 Read actions on an object ARN: the object-level Get actions only.
expect_eq "$(jq -r '.Statement[] | select(.Resource == "arn:aws:s3:::fernbrook-support-exports/tickets/*") | .Action | length' "$TS/identity-policy.json")" \
	16 "read actions on the ticket objects"
expect_eq "$(jq -r '.Statement[] | select(.Resource == "arn:aws:s3:::fernbrook-support-exports/tickets/*") | .Action | map(select(startswith("s3:GetBucket"))) | length' "$TS/identity-policy.json")" \
	0 "bucket actions on an object ARN"
expect_eq "$(jq -r '[.Statement[].Sid] | map(test("^(Allow|Deny)[A-Za-z0-9]+$")) | all' "$TS/identity-policy.json")" \
	true "statement ids"

case_name "trust policy and tags"
expect_eq "$(jq -c '.Statement' "$TS/trust-policy.json")" \
	'[{"Effect":"Allow","Principal":{"Service":"bedrock.amazonaws.com"},"Action":"sts:AssumeRole"}]' \
	"trust statements"
expect_eq "$(jq -r 'map(.Key + "=" + .Value) | join(" ")' "$TS/tags.json")" \
	"mandate:agent=ticket-summarizer mandate:business-owner=bilal.okafor@fernbrook.example mandate:expires=2027-11-01 mandate:spec=ticket-summarizer.mandate mandate:technical-owner=alice.moreau@fernbrook.example" \
	"tags"

case_name "manifest hashes every file"
jq -r '.files[] | .sha256 + "  " + .path' "$TMP/out/manifest.json" \
	>"$TMP/sums"
expect_eq "$(wc -l <"$TMP/sums")" 19 "manifest entries"
if ! (cd "$TMP/out" && sha256sum -c --quiet "$TMP/sums"); then
	fail "a manifest hash does not match its file"
fi

case_name "same specs in another order give the same bytes"
run build --target aws -o "$TMP/again" \
	$(ls "$EX"/*.mandate | sort -r)
expect_status 0
if ! diff -r "$TMP/out" "$TMP/again" >"$TMP/diff"; then
	fail "output differs with the files in reverse order"
	cat "$TMP/diff" >&2
fi

case_name "the directory the build runs from does not matter"
(cd "$EX" && "$MANDATE" build --target aws -o "$TMP/from-inside" .) \
	>/dev/null 2>&1
if ! diff -r "$TMP/out" "$TMP/from-inside" >"$TMP/diff"; then
	fail "output differs when built from inside the spec directory"
	cat "$TMP/diff" >&2
fi
run build --target aws -o "$TMP/absolute" "$ROOT/$EX"
if ! diff -r "$TMP/out" "$TMP/absolute" >"$TMP/diff"; then
	fail "output differs when the directory is given as an absolute path"
	cat "$TMP/diff" >&2
fi

case_name "tag values fit IAM"
mkdir -p "$TMP/odd/team (ml),#1"
sed 's/ticket-summarizer/odd-tags/g' "$EX/ticket-summarizer.mandate" \
	>"$TMP/odd/team (ml),#1/bot.mandate"
run build --target aws -o "$TMP/odd-out" "$TMP/odd"
expect_status 0
expect_eq "$(jq -r '.[] | select(.Key == "mandate:spec") | .Value' \
	"$TMP"/odd-out/aws/odd-tags/*/tags.json)" "team _ml___1/bot.mandate" \
	"spec tag with characters IAM does not take"

case_name "merging"
run build --target aws -o "$TMP/merge" "$FIX/build/merge.mandate"
expect_status 0
M=$TMP/merge/aws/merge-demo/111122223333-role-merge-demo
expect_eq "$(jq '.Statement | length' "$M/identity-policy.json")" 3 \
	"statements after merging"
expect_eq "$(jq -c '.Statement[] | select(.Action == "dynamodb:GetItem") | .Resource' "$M/identity-policy.json")" \
	'["arn:aws:dynamodb:us-east-1:111122223333:table/a","arn:aws:dynamodb:us-east-1:111122223333:table/b"]' \
	"one statement for two tables"
expect_eq "$(jq -r '.Statement[] | select(.Resource == "arn:aws:s3:::merge-bucket" and .Effect == "Allow") | .Action | index("s3:ListBucket") != null and index("s3:GetBucketPolicy") != null' "$M/identity-policy.json")" \
	true "list and read merged on the bucket"
expect_eq "$(jq -c '.Statement[] | select(.Effect == "Deny")' "$M/identity-policy.json" | jq -r .Action)" \
	s3:DeleteBucket "deny statement"
expect_eq "$(jq -c '[.Statement[].Principal]' "$M/trust-policy.json")" \
	'[{"Service":"lambda.amazonaws.com"},{"AWS":"arn:aws:iam::444455556666:root"}]' \
	"an account id becomes its root ARN"

case_name "splitting at the managed policy size"
S=$TMP/merge/aws/split-demo/111122223333-role-split-demo
run build --target aws -o "$TMP/merge" "$FIX/build"
expect_status 0
expect_eq "$(ls "$S" | grep -c '^identity-policy-[0-9]*\.json$')" 2 \
	"policies after splitting"
for f in "$S"/identity-policy-*.json; do
	size=$(jq -c . "$f" | tr -d ' \t\n' | wc -c)
	if [ "$size" -gt 6144 ]; then
		fail "$f has $size characters, over 6144"
	fi
done
expect_eq "$(cat "$S"/identity-policy-*.json | jq -s '[.[].Statement[].Resource | if type == "array" then .[] else . end] | unique | length')" \
	120 "resources kept across the parts"

case_name "many buckets split by resources"
{
	sed -n '1,/^  identity/p' "$FIX/build/merge.mandate" | sed 's/merge-demo/many-buckets/g'
	echo '    trusted_by = "lambda.amazonaws.com"'
	echo '  }'
	i=0
	while [ $i -lt 150 ]; do
		echo "  grant read on aws:s3 \"arn:aws:s3:::bucket-number-$i\""
		i=$((i + 1))
	done
	echo '}'
} >"$TMP/many.mandate"
run build --target aws -o "$TMP/many" "$TMP/many.mandate"
expect_status 0
B=$TMP/many/aws/many-buckets/111122223333-role-many-buckets
parts=$(ls "$B" | grep -c '^identity-policy')
if [ "$parts" -gt 2 ]; then
	fail "150 buckets took $parts managed policies"
fi
expect_eq "$(cat "$B"/identity-policy*.json | jq -s '[.[].Statement[].Resource | if type == "array" then .[] else . end] | length')" \
	150 "each bucket named once"

case_name "stale files of an earlier build are removed"
echo "kept" >"$TMP/merge/notes.txt"
run build --target aws -o "$TMP/merge" "$FIX/build/merge.mandate"
expect_status 0
if [ -e "$S" ] || [ -e "$TMP/merge/aws/split-demo" ]; then
	fail "files or directories of split-demo are left behind"
fi
expect_eq "$(cat "$TMP/merge/notes.txt")" kept "a file the build did not write"

case_name "temporary files of a killed build are removed"
# A build killed with SIGKILL cannot remove its staged files; the next
# one removes those beside files it writes, and nothing else.
TSP=$TMP/out/aws/ticket-summarizer/123456789012-role-ticket-summarizer
echo partial >"$TSP/identity-policy.json.tmp.Ab3xYz"
echo partial >"$TMP/out/manifest.json.tmp.Q1w2E3"
echo mine >"$TSP/notes.txt.tmp.Ab3xYz"
echo mine >"$TSP/identity-policy.json.tmp.short"
echo mine >"$TSP/identity-policy.json.tmp.Ab-xYz"
run build --target aws -v -o "$TMP/out" "$EX"
expect_status 0
for f in "$TSP/identity-policy.json.tmp.Ab3xYz" \
	"$TMP/out/manifest.json.tmp.Q1w2E3"; do
	[ -e "$f" ] && fail "$f is left behind"
	expect_err "removed $f, left by a build that was killed"
done
for f in notes.txt.tmp.Ab3xYz identity-policy.json.tmp.short \
	identity-policy.json.tmp.Ab-xYz; do
	expect_eq "$(cat "$TSP/$f")" mine "$f, which no build of these specs stages"
done
rm -f "$TSP"/*.tmp.*
expect_eq "$(find "$TMP/out" -type f | wc -l)" 20 "files after the rebuild"

case_name "rebuild of 300 agents removes only the dropped ones"
# Agents a0 to a299 in one spec; the rebuild keeps the even ones. The
# names sort apart from the order they are written in (a10 before a2).
many_agents() {
	awk -v step="$1" 'BEGIN {
		for (i = 0; i < 300; i += step)
			printf "agent \"a%d\" {\n  kind = workload\n  owner { technical = \"a.b@example.com\" business = \"c.d@example.com\" }\n  justification = \"Reads its bucket\"\n  identity aws role \"arn:aws:iam::111122223333:role/a%d\" { trusted_by = \"ecs-tasks.amazonaws.com\" }\n  grant read on aws:s3 \"arn:aws:s3:::bkt%d/*\" { because = \"Input\" }\n}\n", i, i, i
	}'
}
many_agents 1 >"$TMP/many.mandate"
run build --target aws -o "$TMP/many" "$TMP/many.mandate"
expect_status 0
many_agents 2 >"$TMP/many.mandate"
run build --target aws -o "$TMP/many" "$TMP/many.mandate"
expect_status 0
expect_eq "$(find "$TMP/many/aws" -mindepth 1 -maxdepth 1 | wc -l)" 150 \
	"agent directories left"
expect_eq "$(find "$TMP/many/aws" -type f | wc -l)" 600 "files left"
expect_eq "$(jq '.files | length' "$TMP/many/manifest.json")" 600 \
	"files in the manifest"
for i in 0 2 10 100 298; do
	[ -f "$TMP/many/aws/a$i/111122223333-role-a$i/identity-policy.json" ] ||
		fail "the policy of a$i was removed"
done
for i in 1 3 11 101 299; do
	[ -e "$TMP/many/aws/a$i" ] && fail "the files of a$i are left behind"
done

case_name "policy too large for IAM: nothing written"
run build --target aws -o "$TMP/large" "$FIX/too-large.mandate"
expect_status 1
expect_err "needs 16 managed policies; IAM attaches at most 10"
expect_err "[MND301 high]"
expect_err "nothing written"
if [ -e "$TMP/large" ]; then
	fail "output directory created for a failed build"
fi

case_name "unknown action: nothing written"
cat >"$TMP/typo.mandate" <<'SPEC'
agent "typo" {
  kind = workload
  identity aws role "arn:aws:iam::111122223333:role/typo" {
    trusted_by = "lambda.amazonaws.com"
  }
  grant actions ["s3:GetObjet"] on "arn:aws:s3:::b/*"
}
SPEC
run build --target aws -o "$TMP/typo-out" "$TMP/typo.mandate"
expect_status 1
expect_err "unknown action 's3:GetObjet' [MND134 high]"
expect_err "note: did you mean 's3:GetObject'?"
if [ -e "$TMP/typo-out" ]; then
	fail "output written for a spec with an unknown action"
fi

case_name "spec that does not parse: nothing written"
printf 'agent "broken" {\n  kind = \n' >"$TMP/broken.mandate"
run build --target aws -o "$TMP/broken-out" "$TMP/broken.mandate"
expect_status 2
expect_err "$TMP/broken.mandate:2:9: error: unexpected end of file"
if [ -e "$TMP/broken-out" ]; then
	fail "output written for a spec that does not parse"
fi

case_name "output directory that cannot be created"
echo "a file" >"$TMP/blocker"
run build --target aws -o "$TMP/blocker/out" "$EX"
expect_status 2
expect_err "$TMP/blocker"

case_name "usage errors"
run build -o "$TMP/x" "$EX"
expect_status 2
expect_err "missing --target"
run build --target gcp -o "$TMP/x" "$EX"
expect_status 2
expect_err "target 'gcp' is not supported"
run build --target aws "$EX"
expect_status 2
expect_err "missing -o DIR"

finish
