# mandate check --against with service-last-accessed data: MND230 for
# declared grants that were not used in the 90 days before the job
# completed, a warning when the data is older than 30 days or names an
# identity nothing else does, and an error when it is from after --today.
. tests/cli/lib.sh

FIX=tests/fixtures/aws
SPECS=tests/fixtures/specs/cloudmapper
GAAD=$FIX/cloudmapper-demo-gaad.json
LEVEL1=arn:aws:iam::123456789012:role/service-role/level1

# Print "LINE MESSAGE" of every MND230 finding in the JSON report.
unused() {
	jq -r '.findings[] | select(.rule == "MND230") |
		"\(.line) \(.message)"' "$out"
}

# level1-access-action-level.json: job completed on 2019-05-03; ecr last
# used 2018-12-01 (155 days before); s3 used 2019-04-20 with the tracked
# action GetObject used and ListBucket never used.
case_name "unused service and tracked action"
run check --today 2019-05-10 --format json --against "$GAAD" \
	--against "$FIX/level1-access-action-level.json" "$SPECS"
expect_status 1
expect_eq "$(unused)" "20 the grant's action 's3:ListBucket' was not used in the 90 days before 2019-05-03 (never used)
21 the grant's 'ecr' actions were not used in the 90 days before 2019-05-03 (service 'ecr' last used on 2018-12-01)
23 the grant's 'ecr' actions were not used in the 90 days before 2019-05-03 (service 'ecr' last used on 2018-12-01)" \
	"MND230 findings"
expect_eq "$(jq -r '[.findings[] | select(.rule == "MND230")] | map(.severity + " " + .agent + " " + .identity + " " + .file) | unique | .[]' "$out")" \
	"medium flaws-level1 $LEVEL1 $SPECS/level1.mandate" \
	"severity, agent, identity and file"

case_name "no warning on data 7 days old"
if grep -q "days old" "$err"; then
	fail "warned about fresh data"
	show
fi

case_name "text report names the rule"
run check --today 2019-05-10 --against "$GAAD" \
	--against "$FIX/level1-access-action-level.json" "$SPECS"
expect_status 1
expect_out "$SPECS/level1.mandate:20:3: warning: the grant's action 's3:ListBucket' was not used in the 90 days before 2019-05-03 (never used) [MND230 medium]"

# Only a service in the data is judged: the job-74 data lists logs,
# which no grant of level1 names.
case_name "services the data does not list are not judged"
run check --today 2019-05-10 --format json --against "$GAAD" \
	--against "$FIX/cloudmapper-demo-service-last-accessed-job-74.json" \
	"$SPECS"
expect_status 1
expect_eq "$(unused)" "" "MND230 findings"

case_name "data older than 30 days gets a warning"
run check --today 2019-06-03 --format json --against "$GAAD" \
	--against "$FIX/level1-access-action-level.json" "$SPECS"
expect_status 1
expect_err "$FIX/level1-access-action-level.json:2:26: warning: the service-last-accessed data is 31 days old (the job completed on 2019-05-03); generate it again so that MND230 judges recent use"
expect_eq "$(jq '[.findings[] | select(.rule == "MND230")] | length' "$out")" \
	3 "MND230 findings"

case_name "data 30 days old gets none"
run check --today 2019-06-02 --format json --against "$GAAD" \
	--against "$FIX/level1-access-action-level.json" "$SPECS"
expect_status 1
if grep -q "days old" "$err"; then
	fail "warned about data 30 days old"
	show
fi

# Several unused tracked actions in one grant, the window's first day,
# and a deny, which is never judged. 2019-02-02 is 90 days before
# 2019-05-03, so a service last used then counts as used.
mkdir "$TMP/specs"
cat >"$TMP/access.json" <<EOF
{
    "JobStatus": "COMPLETED",
    "JobType": "ACTION_LEVEL",
    "JobCompletionDate": "2019-05-03T21:56:43Z",
    "Arn": "$LEVEL1",
    "ServicesLastAccessed": [
        {"ServiceNamespace": "ecr",
         "LastAuthenticated": "2019-02-02T08:00:00Z"},
        {"ServiceNamespace": "logs",
         "LastAuthenticated": "2019-02-01T23:59:59Z"},
        {"ServiceNamespace": "s3",
         "LastAuthenticated": "2019-04-20T09:30:00Z",
         "TrackedActionsLastAccessed": [
            {"ActionName": "GetObject",
             "LastAccessedTime": "2019-04-20T09:30:00Z"},
            {"ActionName": "DeleteObject",
             "LastAccessedTime": "2018-01-01T00:00:00Z"},
            {"ActionName": "ListBucket"}]}
    ]
}
EOF
cat >"$TMP/specs/level1.mandate" <<EOF
agent "flaws-level1" {
  kind = workload
  identity aws role "$LEVEL1"
  grant actions ["s3:GetObject", "s3:ListBucket", "s3:DeleteObject"]
        on ["arn:aws:s3:::level1.flaws2.cloud", "arn:aws:s3:::level1.flaws2.cloud/*"]
  grant actions ["ecr:GetAuthorizationToken"] on "*"
  grant actions ["logs:CreateLogGroup"] on "*"
  deny actions ["logs:DeleteLogGroup"] on "*"
}
EOF
case_name "several unused actions and the window's edge"
run check --today 2019-05-10 --format json --against "$TMP/access.json" \
	"$TMP/specs"
expect_status 1
expect_eq "$(unused)" "4 2 of the grant's 's3' actions were not used in the 90 days before 2019-05-03, such as 's3:DeleteObject'
7 the grant's 'logs' actions were not used in the 90 days before 2019-05-03 (service 'logs' last used on 2019-02-01)" \
	"MND230 findings"
expect_eq "$(jq -r '.findings[] | select(.rule == "MND230" and .line == 4) | .details | join("; ")' "$out")" \
	"s3:DeleteObject: last used on 2018-01-01; s3:ListBucket: never used" \
	"details"

case_name "a waiver silences MND230"
cat >>"$TMP/specs/level1.mandate" <<EOF
waive MND230 for "flaws-level1" {
  until    = 2019-06-01
  reason   = "The nightly job that lists the bucket is being rewritten"
  approver = "ben.carter@example.com"
}
EOF
run check --today 2019-05-10 --format json --against "$TMP/access.json" \
	"$TMP/specs"
expect_status 1
expect_eq "$(jq '[.findings[] | select(.rule == "MND230" and .waived)] | length' "$out")" \
	2 "waived MND230 findings"
expect_eq "$(jq '[.findings[] | select(.rule == "MND230" and (.waived | not))] | length' "$out")" \
	0 "unwaived MND230 findings"

# A job cannot complete after --today; both commands that read the data
# stop at JobCompletionDate before writing anything.
cat >"$TMP/future.json" <<EOF
{
    "JobStatus": "COMPLETED",
    "JobCreationDate": "2019-05-03T21:56:40Z",
    "JobCompletionDate": "2019-05-03T21:56:43Z",
    "Arn": "$LEVEL1",
    "ServicesLastAccessed": [
        {"ServiceNamespace": "s3",
         "LastAuthenticated": "2019-04-20T09:30:00Z"}
    ]
}
EOF
future_error="$TMP/future.json:4:26: error: JobCompletionDate: the job completed on 2019-05-03, after --today (2019-05-02), but service-last-accessed data cannot come from the future; check --today or the data"

case_name "check rejects data from after --today"
run check --today 2019-05-02 --format json --against "$GAAD" \
	--against "$TMP/future.json" -o "$TMP/report.json" "$SPECS"
expect_status 2
expect_err "$future_error"
expect_eq "$(test -e "$TMP/report.json" && echo written)" "" "report file"

case_name "check accepts data completed on --today"
run check --today 2019-05-03 --format json --against "$GAAD" \
	--against "$TMP/future.json" "$SPECS"
expect_status 1

case_name "adopt rejects data from after --today"
run adopt --today 2019-05-02 --against "$GAAD" --against "$TMP/future.json" \
	--identity "$LEVEL1" -o "$TMP/level1.mandate"
expect_status 2
expect_err "$future_error"
expect_eq "$(test -e "$TMP/level1.mandate" && echo written)" "" "spec file"

# Data for an identity that no export and no spec names is unused.
sed "s|$LEVEL1|arn:aws:iam::123456789012:role/ghost|" "$TMP/future.json" \
	>"$TMP/ghost.json"

case_name "check warns of data for an unknown identity"
run check --today 2019-05-10 --format json --against "$GAAD" \
	--against "$TMP/ghost.json" "$SPECS"
expect_status 1
expect_err "$TMP/ghost.json:5:12: warning: 'arn:aws:iam::123456789012:role/ghost' is in no authorization-details export and no spec declares it, so its service-last-accessed data is unused"

case_name "adopt warns of data for an unknown identity"
run adopt --today 2019-05-10 --against "$GAAD" --against "$TMP/ghost.json" \
	--identity "$LEVEL1"
expect_status 0
expect_err "$TMP/ghost.json:5:12: warning: 'arn:aws:iam::123456789012:role/ghost' is in no authorization-details export, so its service-last-accessed data is unused"

case_name "no warning for an identity a spec declares"
run check --today 2019-05-10 --format json --against "$TMP/future.json" \
	"$SPECS"
expect_status 1
if grep -q "is in no authorization-details export" "$err"; then
	fail "warned about data a spec uses"
	show
fi

# A file name that starts like the URL-encoded ARN of an identity must
# be one. A name that does not start like an ARN is not read, so
# LastAuthenticatedEntity ties the file.
LEVEL3_DATA="$FIX/arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Flevel3.json"
mkdir "$TMP/names"

# Check with a copy of level3's data named $1 and expect an error
# naming that file and saying $2.
expect_name_rejected() {
	cp "$LEVEL3_DATA" "$TMP/names/$1"
	run check --today 2019-05-10 --against "$GAAD" \
		--against "$TMP/names/$1" "$SPECS"
	expect_status 2
	expect_err "$TMP/names/$1: error: file name '$1' $2"
	rm "$TMP/names/$1"
}

case_name "file name of a bucket's ARN"
expect_name_rejected 'arn%3Aaws%3As3%3A%3A%3Alevel3-logs.json' \
	"is URL-encoded 'arn:aws:s3:::level3-logs', not the ARN of a user or role"

case_name "file name of a group's ARN"
expect_name_rejected 'arn%3Aaws%3Aiam%3A%3A123456789012%3Agroup%2Fops' \
	"is URL-encoded 'arn:aws:iam::123456789012:group/ops', not the ARN of a user or role"

# The whole decoded name must be the ARN. A NUL would otherwise cut
# the ARN short, and another control character would hide in output.
case_name "file name with a NUL after the ARN"
expect_name_rejected 'arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Flevel3%00garbage.json' \
	"decodes to text with control character 0x00, not the ARN of a user or role"

case_name "file name with a newline after the ARN"
expect_name_rejected 'arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Flevel3%0A.json' \
	"decodes to text with control character 0x0a, not the ARN of a user or role"

case_name "file name with a space in the role name"
expect_name_rejected 'arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Flevel3%20x.json' \
	"is URL-encoded 'arn:aws:iam::123456789012:role/level3 x', not the ARN of a user or role"

case_name "file name with an 11-digit account"
expect_name_rejected 'arn%3Aaws%3Aiam%3A%3A12345678901%3Arole%2Flevel3.json' \
	"is URL-encoded 'arn:aws:iam::12345678901:role/level3', not the ARN of a user or role"

case_name "file name with a role name of 65 characters"
long=$(printf '%065d' 0)
expect_name_rejected "arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2F$long" \
	"is URL-encoded 'arn:aws:iam::123456789012:role/$long', not the ARN of a user or role"

case_name "file name with a broken escape"
expect_name_rejected 'arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Flevel3%Z.json' \
	"is not a URL-encoded ARN: a '%' is not followed by two hex digits"

case_name "file name of an ARN that is not encoded"
expect_name_rejected 'arn:aws:iam::123456789012:role%2Flevel3.json' \
	"is an ARN that is not URL-encoded"

case_name "file name and Arn key that disagree"
jq --arg arn "$LEVEL1" 'del(.ServicesLastAccessed[].LastAuthenticatedEntity) |
	. + {Arn: $arn}' "$LEVEL3_DATA" \
	>"$TMP/names/arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Flevel3.json"
run check --today 2019-05-10 --against "$GAAD" \
	--against "$TMP/names/arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Flevel3.json" \
	"$SPECS"
expect_status 2
expect_err ":13:10: error: Arn: '$LEVEL1' is not 'arn:aws:iam::123456789012:role/level3', the ARN that the file name spells; rename the file or correct the key"

case_name "file name of the identity without .json"
cp "$LEVEL3_DATA" "$TMP/names/arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Flevel3"
run check --today 2019-05-10 --against "$GAAD" \
	--against "$TMP/names/arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Flevel3" \
	"$SPECS"
expect_no_err "error:"
if [ "$status" = 2 ]; then
	fail "a file named by its identity's ARN was rejected"
fi

case_name "file name of a role with a path"
jq 'del(.ServicesLastAccessed[].LastAuthenticatedEntity)' "$LEVEL3_DATA" \
	>"$TMP/names/arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fops%2Flevel3"
run check --today 2019-05-10 --against "$GAAD" \
	--against "$TMP/names/arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fops%2Flevel3" \
	"$SPECS"
expect_no_err "error:"
expect_err "'arn:aws:iam::123456789012:role/ops/level3' is in no authorization-details export"

case_name "file name that is not an ARN"
cp "$LEVEL3_DATA" "$TMP/names/level3-access.json"
run check --today 2019-05-10 --against "$GAAD" \
	--against "$TMP/names/level3-access.json" "$SPECS"
expect_no_err "error:"
if [ "$status" = 2 ]; then
	fail "a file tied by LastAuthenticatedEntity was rejected"
fi


# Two files of one identity's own job are an error naming both, in
# either order, even when one is a byte-for-byte copy of the other:
# two jobs can disagree, and neither is known to be right. In one,
# level3 used s3 two days before the job completed. In the other it
# never did, which alone gives MND230.
LEVEL3=arn:aws:iam::123456789012:role/level3
mkdir "$TMP/level3"
cat >"$TMP/level3/level3.mandate" <<EOF
agent "flaws-level3" {
  kind = workload
  identity aws role "$LEVEL3"
  grant actions ["s3:GetObject"] on "arn:aws:s3:::level3.flaws2.cloud/*"
}
EOF
for use in used unused; do
	if [ $use = used ]; then
		last=', "LastAuthenticated": "2026-11-28T08:00:00Z"'
	else
		last=
	fi
	cat >"$TMP/level3-$use.json" <<EOF
{
    "JobStatus": "COMPLETED",
    "JobCompletionDate": "2026-11-30T10:00:00Z",
    "Arn": "$LEVEL3",
    "ServicesLastAccessed": [
        {"ServiceNamespace": "s3"$last}
    ]
}
EOF
done

case_name "one file saying a service was never used"
run check --today 2026-12-01 --format json \
	--against "$TMP/level3-unused.json" "$TMP/level3"
expect_status 1
expect_eq "$(unused)" "4 the grant's 's3' actions were not used in the 90 days before 2026-11-30 (service 's3' never used)" \
	"MND230 findings"

# Check with the files $1 and $2 and expect the error for $2 at :4:12.
expect_second_file_error() {
	run check --today 2026-12-01 --format json --against "$1" \
		--against "$2" -o "$TMP/report.json" "$TMP/level3"
	expect_status 2
	expect_err "$2:4:12: error: '$LEVEL3' already has service-last-accessed data from '$1'; give one job's output per identity, since two jobs can disagree on when a service was last used"
	expect_err "$1:4:12: note: '$LEVEL3' is first named here"
	expect_eq "$(test -e "$TMP/report.json" && echo written)" "" \
		"report file"
}

case_name "conflicting files of one identity"
expect_second_file_error "$TMP/level3-used.json" "$TMP/level3-unused.json"

case_name "conflicting files in the other order"
expect_second_file_error "$TMP/level3-unused.json" "$TMP/level3-used.json"

case_name "copy of a file of one identity"
cp "$TMP/level3-unused.json" "$TMP/level3-copy.json"
expect_second_file_error "$TMP/level3-unused.json" "$TMP/level3-copy.json"

case_name "adopt rejects a second file of one identity"
run adopt --today 2026-12-01 --against "$GAAD" \
	--against "$TMP/level3-used.json" --against "$TMP/level3-unused.json" \
	--identity "$LEVEL3" -o "$TMP/adopted.mandate"
expect_status 2
expect_err "$TMP/level3-unused.json:4:12: error: '$LEVEL3' already has service-last-accessed data from '$TMP/level3-used.json'"
expect_eq "$(test -e "$TMP/adopted.mandate" && echo written)" "" "spec file"

# A with-entities file reports one service for many identities, so it
# conflicts with an identity's own file only on that service.
WITH_ENTITIES=$FIX/awscli-doc-service-last-accessed-with-entities-iam.json
ADMIN=arn:aws:iam::123456789012:user/admin
for service in s3 iam; do
	cat >"$TMP/admin-$service.json" <<EOF
{
    "JobStatus": "COMPLETED",
    "JobCompletionDate": "2019-10-01T03:55:42Z",
    "Arn": "$ADMIN",
    "ServicesLastAccessed": [
        {"ServiceNamespace": "$service"}
    ]
}
EOF
done

case_name "with-entities file and another service"
run check --today 2019-10-02 --against "$WITH_ENTITIES" \
	--against "$TMP/admin-s3.json" "$TMP/level3"
expect_no_err "error:"

case_name "with-entities file and the same service"
run check --today 2019-10-02 --against "$TMP/admin-iam.json" \
	--against "$WITH_ENTITIES" "$TMP/level3"
expect_status 2
expect_err "$WITH_ENTITIES:7:9: error: '$ADMIN' already has service-last-accessed data for service 'iam' from '$TMP/admin-iam.json'; give each identity's use of a service once, since two jobs can disagree on it"
expect_err "$TMP/admin-iam.json:6:9: note: the data for 'iam' that is loaded first"

case_name "real file and its copy under the identity's name"
run check --today 2019-05-10 --against "$GAAD" \
	--against "$FIX/cloudmapper-demo-service-last-accessed-job-75.json" \
	--against "$LEVEL3_DATA" "$SPECS"
expect_status 2
expect_err "$LEVEL3_DATA:1:1: error: '$LEVEL3' already has service-last-accessed data from '$FIX/cloudmapper-demo-service-last-accessed-job-75.json'"

finish
