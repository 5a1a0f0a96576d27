#include "common.h"
#include "finding.h"

/* Every rule mandate reports, sorted by id. Ids never change meaning. */
static const struct rule rules[] = {
	{ "MND101", "technical-owner-missing", SEV_HIGH,
	  "the agent names no technical owner",
	  "add owner { technical = \"person@example.com\" }: the person who "
	  "holds the credentials and answers alerts" },
	{ "MND102", "business-owner-missing", SEV_HIGH,
	  "the agent names no business owner",
	  "add owner { business = \"person@example.com\" }: the person who "
	  "justifies the scope and approves changes" },
	{ "MND103", "owner-invalid", SEV_HIGH,
	  "an owner is not an email address or does not match the gate's "
	  "owner_pattern",
	  "name an individual's address that matches the gate's "
	  "owner_pattern" },
	{ "MND104", "owner-not-separated", SEV_LOW,
	  "one person is both the technical and the business owner",
	  "name a different business owner so that someone other than the "
	  "operator approves the scope" },
	{ "MND105", "agent-name-invalid", SEV_MEDIUM,
	  "the agent's name does not match the gate's agent_name_pattern",
	  "rename the agent to match the gate's agent_name_pattern" },
	{ "MND110", "justification-missing", SEV_HIGH,
	  "the agent's justification is missing or a placeholder",
	  "write in justification why the business needs this agent, in a "
	  "sentence a reviewer can check" },
	{ "MND111", "grant-without-because", SEV_HIGH,
	  "a write, tagging or permissions grant has no because",
	  "add because = \"...\" saying why the agent needs this access" },
	{ "MND120", "review-overdue", SEV_HIGH,
	  "the last review plus the review cadence is before today, or no "
	  "review is recorded",
	  "review the agent's access with its business owner and set "
	  "review { last = DATE by = \"...\" }" },
	{ "MND121", "agent-expired", SEV_HIGH,
	  "the agent is past its expiry date",
	  "decommission the agent, or renew it with its business owner and "
	  "set a new expires date" },
	{ "MND122", "review-cadence-invalid", SEV_MEDIUM,
	  "the agent has no review cadence, or one longer than the gate "
	  "allows",
	  "set review { every = 90d } within the gate's "
	  "max_review_interval" },
	{ "MND123", "expiry-missing", SEV_MEDIUM,
	  "the agent has no expiry date",
	  "set expires = YYYY-MM-DD so the agent's access ends unless it is "
	  "renewed" },
	{ "MND130", "wildcard-action", SEV_HIGH,
	  "a grant uses '*', 'service:*' or an action pattern that reaches "
	  "write or permissions actions",
	  "list the actions the agent needs, or grant an access level such "
	  "as read" },
	{ "MND131", "wildcard-resource", SEV_HIGH,
	  "a grant uses resource '*' for actions that support resource-level "
	  "permissions",
	  "name the resources by ARN pattern, e.g. "
	  "\"arn:aws:s3:::bucket/prefix/*\"" },
	{ "MND132", "permissions-without-approver", SEV_CRITICAL,
	  "a grant gives permissions-management access without an approver",
	  "have a security reviewer approve the grant and record "
	  "approver = \"...\"" },
	{ "MND133", "privilege-escalation", SEV_CRITICAL,
	  "the agent's grants, or a live role's or user's policies, together "
	  "enable a known privilege-escalation path",
	  "remove one of the actions of the path, or restrict it to "
	  "resources that cannot be used to escalate" },
	{ "MND134", "unknown-name", SEV_HIGH,
	  "a grant names an unknown service, action or access level",
	  "use a name from the AWS action catalog; the note suggests the "
	  "nearest one" },
	{ "MND135", "grant-matches-nothing", SEV_MEDIUM,
	  "the grant's resource matches no resource type of its actions, so "
	  "it grants nothing",
	  "use an ARN of the resource type the actions act on, or \"*\" for "
	  "actions without resource-level permissions" },
	{ "MND136", "condition-invalid", SEV_HIGH,
	  "a condition uses an unknown key, or an operator or value that does "
	  "not fit the key's type",
	  "use a condition key from the AWS catalog and an operator for its "
	  "type" },
	{ "MND140", "restricted-without-approver", SEV_HIGH,
	  "a grant gives write or permissions access to a restricted "
	  "resource class without an approver",
	  "have the data owner approve the grant and record "
	  "approver = \"...\"" },
	{ "MND150", "long-lived-credentials", SEV_HIGH,
	  "an AI agent allows long-lived keys, or credential rotation is "
	  "longer than the gate allows",
	  "set credentials { long_lived_keys = false rotate = 30d } and use "
	  "short-lived role sessions" },
	{ "MND160", "decision-logging-missing", SEV_MEDIUM,
	  "an AI agent does not require its decisions to be logged",
	  "set audit { decisions = required context = [task, request_id] }" },
	{ "MND170", "waiver-expired", SEV_MEDIUM,
	  "a waiver is past its until date and no longer silences anything",
	  "fix the finding it waived, or renew the waiver with an approver" },
	{ "MND171", "waiver-unused", SEV_LOW,
	  "a waiver matched no finding",
	  "remove the waiver" },
	{ "MND201", "identity-unowned", SEV_HIGH,
	  "an identity in the export is claimed by no spec",
	  "write a spec for it that names its owners, or delete the "
	  "identity" },
	{ "MND202", "identity-absent", SEV_MEDIUM,
	  "an identity declared in a spec is not in the export",
	  "deploy the identity, correct its ARN, or export the account it "
	  "lives in" },
	{ "MND210", "permission-drift", SEV_HIGH,
	  "the live identity can do more than its spec grants",
	  "remove the excess access from the live policy, or declare it in "
	  "the spec with a because" },
	{ "MND211", "grant-not-deployed", SEV_INFO,
	  "a declared grant is not deployed on the live identity",
	  "deploy the generated policy, or remove the grant from the spec" },
	{ "MND212", "trust-drift", SEV_HIGH,
	  "the live trust policy admits principals the spec does not",
	  "remove the principal from the role's trust policy, or add it to "
	  "trusted_by" },
	{ "MND213", "boundary-missing", SEV_MEDIUM,
	  "the permissions boundary the spec requires is not attached live",
	  "attach the boundary named in the spec to the live identity" },
	{ "MND214", "live-policy-unknown", SEV_HIGH,
	  "a policy attached to the live identity is not in the export, so "
	  "its permissions cannot be checked",
	  "export with aws iam get-account-authorization-details without a "
	  "--filter, so every attached policy is included" },
	{ "MND220", "access-key-stale", SEV_HIGH,
	  "an access key is older than the rotation period",
	  "rotate the key, or move the workload to short-lived role "
	  "credentials" },
	{ "MND221", "access-key-unused", SEV_MEDIUM,
	  "an access key has not been used for 90 days, or never",
	  "deactivate and delete the unused key" },
	{ "MND222", "access-keys-multiple", SEV_LOW,
	  "an identity has more than one active access key",
	  "deactivate the key that is no longer in use" },
	{ "MND223", "access-key-forbidden", SEV_HIGH,
	  "an identity whose spec forbids long-lived keys has an active "
	  "access key",
	  "delete the key and use role sessions, or allow long-lived keys "
	  "in the spec with a reason" },
	{ "MND230", "grant-unused", SEV_MEDIUM,
	  "a declared grant was not used in the 90 days before the "
	  "service-last-accessed data was collected",
	  "remove the grant, or narrow it to the actions the agent still "
	  "uses" },
	{ "MND301", "policy-too-large", SEV_HIGH,
	  "a generated policy exceeds the provider's size limit even after "
	  "splitting",
	  "narrow the grants, or split the agent into identities with "
	  "fewer grants each" },
};

const struct rule *rule_find(const char *id)
{
	size_t lo = 0, hi = ARRAY_SIZE(rules);

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(id, rules[mid].id);

		if (!c)
			return &rules[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const struct rule *rule_table(size_t *n)
{
	*n = ARRAY_SIZE(rules);
	return rules;
}
