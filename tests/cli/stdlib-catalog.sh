# The AWS catalog in the standard library is what counts, although the
# binary has it compiled in. A copy of the standard library whose
# catalog was edited after the build gives the edited results, and a
# damaged one is rejected.
. "$(dirname "$0")/lib.sh"

cp -R stdlib "$TMP/stdlib"
catalog=$TMP/stdlib/aws/catalog.txt
mkdir "$TMP/agents"
cat >"$TMP/agents/reader.mandate" <<'EOF'
agent "reader" {
  kind        = workload
  description = "Reads the nightly reports"
  owner {
    technical = "tech@example.com"
    business  = "biz@example.com"
  }
  justification = "Reads the nightly reports to build the summary"
  review      { every = 90d  last = 2026-10-01  by = "biz@example.com" }
  expires     = 2027-09-30
  identity aws role "arn:aws:iam::111122223333:role/reader" {
    trusted_by = "ecs-tasks.amazonaws.com"
  }
  grant read on aws:s3 "arn:aws:s3:::reports/*" {
    because = "The reports are read from here"
  }
}
EOF

# Build with the standard library at $1 into $TMP/out-$2.
build_with() {
	MANDATE_STDLIB=$1 "$MANDATE" build --target aws -o "$TMP/out-$2" \
		"$TMP/agents" >"$out" 2>"$err"
	status=$?
}

case_name "a copy of the standard library as shipped"
build_with "$TMP/stdlib" copy
expect_status 0
if ! grep -rq '"s3:GetObject"' "$TMP/out-copy"; then
	fail "read on aws:s3 does not grant s3:GetObject"
fi

case_name "an access level changed in the copy"
# s3:GetObject, a read action, becomes a write action.
awk -F '\t' 'BEGIN { OFS = "\t" }
	$1 == "S" { service = $2 }
	service == "s3" && $1 == "A" && $2 == "GetObject" { $3 = "W" }
	{ print }' "$catalog" >"$TMP/edited" && mv "$TMP/edited" "$catalog"
build_with "$TMP/stdlib" edited
expect_status 0
if grep -rq '"s3:GetObject"' "$TMP/out-edited"; then
	fail "read on aws:s3 still grants s3:GetObject after the edit"
fi
if ! grep -rq '"s3:GetObjectAcl"' "$TMP/out-edited"; then
	fail "read on aws:s3 lost the other read actions"
fi

case_name "an action added to the copy"
sed -i 's/"s3:GetObject"/"s3:ZzzNewAction"/' "$TMP/agents/reader.mandate"
sed -i 's/grant read on aws:s3 /grant actions ["s3:ZzzNewAction"] on /' \
	"$TMP/agents/reader.mandate"
build_with "$ROOT/stdlib" stock
expect_status 1
expect_err "unknown action 's3:ZzzNewAction' [MND134 high]"
# The new action sorts last among S3's, where the catalog needs it, and
# the end record counts one action more.
awk -F '\t' 'BEGIN { OFS = "\t" }
	$1 == "S" && service == "s3" {
		print "A", "ZzzNewAction", "R", "object*", "-"
	}
	$1 == "S" { service = $2 }
	$1 == "E" { $3 = $3 + 1 }
	{ print }' "$catalog" >"$TMP/edited" && mv "$TMP/edited" "$catalog"
build_with "$TMP/stdlib" added
expect_status 0
if ! grep -rq '"s3:ZzzNewAction"' "$TMP/out-added"; then
	fail "the added action is not granted"
	show
fi

case_name "a catalog cut short in a record"
head -n 20000 "$ROOT/stdlib/aws/catalog.txt" >"$catalog"
printf 'A\tGetObj' >>"$catalog"
build_with "$TMP/stdlib" cut
expect_status 2
expect_err "$catalog:20001:1: error: malformed catalog: record 'A' has 2 fields, expected 5"
if [ -e "$TMP/out-cut" ]; then
	fail "a build with a damaged catalog wrote output"
fi

case_name "a catalog cut short between records"
head -n 20000 "$ROOT/stdlib/aws/catalog.txt" >"$catalog"
build_with "$TMP/stdlib" short
expect_status 2
expect_err "$catalog: error: malformed catalog: no 'E' record at the end"

case_name "a catalog cut short by its last lines"
head -n -3 "$ROOT/stdlib/aws/catalog.txt" >"$catalog"
build_with "$TMP/stdlib" last
expect_status 2
expect_err "$catalog: error: malformed catalog: no 'E' record at the end"
if [ -e "$TMP/out-last" ]; then
	fail "a build with a damaged catalog wrote output"
fi
if [ -e "$TMP/out-short" ]; then
	fail "a build with a damaged catalog wrote output"
fi

finish
