#!/bin/sh
# Write a synthetic organisation for the benchmark: AGENTS specs under
# DIR/agents and the matching `aws iam get-account-authorization-details`
# export in DIR/export.json, about 10 kB of export per agent.
#
# Usage: bench/gen-org.sh AGENTS DIR
#
# Most agents match their live role: it allows what `mandate build`
# would deploy for the spec, or less. Besides those, the organisation has
# what a real account has, in fixed proportions so that every size shows
# the same mix:
#   - every 10th agent's role also allows s3:PutObject (drift, MND210);
#   - every 25th agent's spec grants "s3:Put*" (a wildcard, MND130),
#     deployed only where the role allows "s3:*" (MND211 elsewhere);
#   - every 50th agent's role allows "s3:*" on "*" (drift on a wildcard);
#   - one role in 20 and one user in 50 belong to no spec (MND201);
#   - each agent's managed policy keeps five versions, as IAM does, of
#     which only the default one counts.
# The output depends only on AGENTS: no clock, no random source.
set -eu

if [ $# -ne 2 ]; then
	echo "usage: $0 AGENTS DIR" >&2
	exit 2
fi
case $1 in
'' | *[!0-9]*)
	echo "$0: AGENTS must be a positive number, not '$1'" >&2
	exit 2
	;;
esac

mkdir -p "$2/agents"
awk -v agents="$1" -v dir="$2" '
function q(s) { return "\"" s "\"" }

function spec(i, name, f) {
	f = dir "/agents/" name ".mandate"
	print "agent " q(name) " {" > f
	print "  kind        = workload" > f
	print "  description = " q("Synthetic workload number " i) > f
	print "  owner {" > f
	print "    technical = " q("tech" i "@example.com") > f
	print "    business  = " q("biz" i "@example.com") > f
	print "  }" > f
	print "  justification = " \
	    q("Moves the nightly batch of tenant " i " between stores") > f
	print "  review      { every = 90d  last = 2026-10-01  by = " \
	    q("biz" i "@example.com") " }" > f
	print "  expires     = 2027-09-30" > f
	print "  credentials { rotate = 30d  session = 1h" \
	    "  long_lived_keys = false }" > f
	print "  identity aws role " q(arn("role", name)) " {" > f
	print "    trusted_by = \"ecs-tasks.amazonaws.com\"" > f
	print "  }" > f
	print "  grant read on aws:s3 " q(bucket(i) "/*") " {" > f
	print "    because = \"The nightly batch is read from here\"" > f
	print "  }" > f
	if (i % 25 == 0) {
		print "  grant actions [\"s3:Put*\"] on " q(bucket(i) "/*") \
		    " {" > f
		print "    because = \"Writes the results back\"" > f
		print "  }" > f
	}
	print "  grant actions [\"dynamodb:GetItem\", \"dynamodb:Query\"]" > f
	print "        on " q(table(i)) " {" > f
	print "    because = \"Looks up the tenant of each record\"" > f
	print "  }" > f
	print "  grant actions [\"logs:CreateLogStream\", \"logs:PutLogEvents\"]" > f
	print "        on " q(logs(i)) " {" > f
	print "    because = \"Logs each batch it moves\"" > f
	print "  }" > f
	print "}" > f
	close(f)
}

function arn(kind, name) {
	return "arn:aws:iam::111122223333:" kind "/" name
}
function bucket(i) { return "arn:aws:s3:::bench-data-" i }
function logs(i) {
	return "arn:aws:logs:us-east-1:111122223333:log-group:/bench/" i ":*"
}
function queue(i) { return "arn:aws:sqs:us-east-1:111122223333:bench-" i }
function table(i) {
	return "arn:aws:dynamodb:us-east-1:111122223333:table/bench-" i
}

# Print a statement; ind is its indentation, acts a comma-separated list.
function statement(ind, acts, res, last,   n, a, k) {
	n = split(acts, a, ",")
	print ind "{"
	print ind "  \"Effect\": \"Allow\","
	print ind "  \"Action\": ["
	for (k = 1; k <= n; k++)
		print ind "    " q(a[k]) (k < n ? "," : "")
	print ind "  ],"
	print ind "  \"Resource\": " q(res)
	print ind "}" (last ? "" : ",")
}

function document(ind, i, version,   reads, ind2) {
	reads = "s3:GetObject,s3:GetObjectAcl,s3:GetObjectTagging," \
	    "s3:GetObjectVersion,s3:GetObjectVersionAcl," \
	    "s3:GetObjectVersionTagging"
	if (version < 5)
		reads = reads ",s3:GetObjectLegalHold,s3:GetObjectRetention"
	ind2 = ind "    "
	print ind "{"
	print ind "  \"Version\": \"2012-10-17\","
	print ind "  \"Statement\": ["
	statement(ind2, reads, bucket(i) "/*", 0)
	statement(ind2, "dynamodb:GetItem,dynamodb:Query", table(i), 0)
	if (version < 5)
		statement(ind2, "sqs:ReceiveMessage,sqs:DeleteMessage," \
		    "sqs:GetQueueAttributes,sqs:ChangeMessageVisibility",
		    queue(i), 0)
	statement(ind2, "logs:CreateLogStream,logs:PutLogEvents", logs(i), 1)
	print ind "  ]"
	print ind "}"
}

function trust(ind) {
	print ind "\"AssumeRolePolicyDocument\": {"
	print ind "  \"Version\": \"2012-10-17\","
	print ind "  \"Statement\": ["
	print ind "    {"
	print ind "      \"Effect\": \"Allow\","
	print ind "      \"Principal\": {"
	print ind "        \"Service\": \"ecs-tasks.amazonaws.com\""
	print ind "      },"
	print ind "      \"Action\": \"sts:AssumeRole\""
	print ind "    }"
	print ind "  ]"
	print ind "},"
}

function role(i, name, owned, last,   extra) {
	print "    {"
	print "      \"Path\": \"/\","
	print "      \"RoleName\": " q(name) ","
	printf "      \"RoleId\": \"AROA%016d\",\n", i
	print "      \"Arn\": " q(arn("role", name)) ","
	print "      \"CreateDate\": \"2024-03-01T10:00:00+00:00\","
	trust("      ")
	print "      \"InstanceProfileList\": [],"
	print "      \"RolePolicyList\": ["
	print "        {"
	print "          \"PolicyName\": \"batch\","
	print "          \"PolicyDocument\": {"
	print "            \"Version\": \"2012-10-17\","
	print "            \"Statement\": ["
	extra = owned && (i % 10 == 0 || i % 50 == 0)
	statement("              ", READS, bucket(i) "/*", !extra)
	if (owned && i % 50 == 0)
		statement("              ", "s3:*", "*", 1)
	else if (owned && i % 10 == 0)
		statement("              ", "s3:PutObject", bucket(i) "/*", 1)
	print "            ]"
	print "          }"
	print "        }"
	print "      ],"
	print "      \"AttachedManagedPolicies\": ["
	print "        {"
	print "          \"PolicyName\": " q(name "-data") ","
	print "          \"PolicyArn\": " q(arn("policy", name "-data"))
	print "        }"
	print "      ],"
	print "      \"Tags\": ["
	print "        { \"Key\": \"team\", \"Value\": " q("team-" i % 97) " }"
	print "      ],"
	print "      \"RoleLastUsed\": {}"
	print "    }" (last ? "" : ",")
}

function user(i, last,   name) {
	name = "bench-user-" i
	print "    {"
	print "      \"Path\": \"/\","
	print "      \"UserName\": " q(name) ","
	printf "      \"UserId\": \"AIDA%016d\",\n", i
	print "      \"Arn\": " q(arn("user", name)) ","
	print "      \"CreateDate\": \"2023-05-01T10:00:00+00:00\","
	print "      \"UserPolicyList\": [],"
	print "      \"GroupList\": [],"
	print "      \"AttachedManagedPolicies\": [],"
	print "      \"Tags\": []"
	print "    }" (last ? "" : ",")
}

function policy(i, name, last,   v) {
	print "    {"
	print "      \"PolicyName\": " q(name "-data") ","
	printf "      \"PolicyId\": \"ANPA%016d\",\n", i
	print "      \"Arn\": " q(arn("policy", name "-data")) ","
	print "      \"Path\": \"/\","
	print "      \"DefaultVersionId\": \"v5\","
	print "      \"AttachmentCount\": 1,"
	print "      \"PermissionsBoundaryUsageCount\": 0,"
	print "      \"IsAttachable\": true,"
	print "      \"CreateDate\": \"2024-03-01T10:00:00+00:00\","
	print "      \"UpdateDate\": \"2025-06-01T10:00:00+00:00\","
	print "      \"PolicyVersionList\": ["
	for (v = 1; v <= 5; v++) {
		print "        {"
		print "          \"Document\":"
		document("          ", i, v)
		print "          ,"
		print "          \"VersionId\": " q("v" v) ","
		print "          \"IsDefaultVersion\": " (v == 5 ? "true" : "false") ","
		print "          \"CreateDate\": \"2024-0" v "-01T10:00:00+00:00\""
		print "        }" (v < 5 ? "," : "")
	}
	print "      ]"
	print "    }" (last ? "" : ",")
}

BEGIN {
	# What `grant read` on an S3 object expands to in the catalog, as
	# mandate build would deploy it.
	READS = "s3:GetObject,s3:GetObjectAcl,s3:GetObjectAnnotation," \
	    "s3:GetObjectAttributes,s3:GetObjectLegalHold," \
	    "s3:GetObjectRetention,s3:GetObjectTagging,s3:GetObjectTorrent," \
	    "s3:GetObjectVersion,s3:GetObjectVersionAcl," \
	    "s3:GetObjectVersionAnnotation," \
	    "s3:GetObjectVersionAnnotationForReplication," \
	    "s3:GetObjectVersionAttributes," \
	    "s3:GetObjectVersionForReplication," \
	    "s3:GetObjectVersionTagging,s3:GetObjectVersionTorrent"
	unowned = int(agents / 20) + 1
	users = int(agents / 50) + 1
	for (i = 1; i <= agents; i++)
		spec(i, sprintf("bench-%05d", i))

	print "{"
	print "  \"UserDetailList\": ["
	for (i = 1; i <= users; i++)
		user(i, i == users)
	print "  ],"
	print "  \"GroupDetailList\": [],"
	print "  \"RoleDetailList\": ["
	for (i = 1; i <= agents + unowned; i++)
		role(i, i <= agents ? sprintf("bench-%05d", i) : \
		    sprintf("orphan-%05d", i), i <= agents, \
		    i == agents + unowned)
	print "  ],"
	print "  \"Policies\": ["
	for (i = 1; i <= agents + unowned; i++)
		policy(i, i <= agents ? sprintf("bench-%05d", i) : \
		    sprintf("orphan-%05d", i), i == agents + unowned)
	print "  ]"
	print "}"
}' >"$2/export.json"
