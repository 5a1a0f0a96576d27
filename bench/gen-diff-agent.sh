#!/bin/sh
# Write a git repository for timing `mandate diff` on one large agent.
# In the commit tagged "base", the agent "bulk" grants read on GRANTS
# distinct S3 buckets, b0 to b(GRANTS-1). The working tree renames them
# c0 to c(GRANTS-1), so each grant's permissions are removed and added.
# With "wildcard" as the third argument, the patterns are "*b0/*" and
# so on after "arn:aws:s3:::", so that all share one literal prefix.
#
# Usage: bench/gen-diff-agent.sh GRANTS DIR [wildcard]
#
# Then: cd DIR && mandate diff base
# The output depends only on GRANTS and the third argument.
set -eu

if [ $# -lt 2 ] || [ $# -gt 3 ] || { [ $# -eq 3 ] && [ "$3" != wildcard ]; }
then
	echo "usage: bench/gen-diff-agent.sh GRANTS DIR [wildcard]" >&2
	exit 2
fi
grants=$1
dir=$2
lead=
[ $# -eq 3 ] && lead='*'

# Write the spec with buckets named PREFIX0 to PREFIX(GRANTS-1).
spec() {
	cat <<SPEC
agent "bulk" {
  kind          = service_account
  description   = "Reads every bucket of the data lake"
  owner {
    technical = "alice@example.com"
    business  = "bob@example.com"
  }
  justification = "Indexes the objects of each bucket for the search service"
  identity aws role "arn:aws:iam::111122223333:role/bulk"
SPEC
	awk -v n="$grants" -v p="$lead$1" 'BEGIN {
		for (i = 0; i < n; i++)
			printf "  grant read on aws:s3 \"arn:aws:s3:::%s%d/*\"\n", p, i
	}'
	echo "}"
}

mkdir -p "$dir/agents"
git init -q -b main "$dir"
spec b >"$dir/agents/bulk.mandate"
git -C "$dir" add -A
git -C "$dir" -c user.name=bench -c user.email=bench@example.com \
	commit -q -m "Bulk reader"
git -C "$dir" tag base
spec c >"$dir/agents/bulk.mandate"
