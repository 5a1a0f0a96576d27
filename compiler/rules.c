#include "common.h"
#include "finding.h"

/* Every rule mandate reports, sorted by id. Ids never change meaning. */
static const struct rule rules[] = {
	{ "MND101", "technical-owner-missing", SEV_HIGH,
	  "the agent names no technical owner",
	  "add owner { technical = \"person@example.com\" }: the person who "
	  "holds the credentials and answers alerts",
	  "Someone must hold the agent's credentials and answer its "
	  "alerts, or a leaked key or a misbehaving agent goes unhandled." },
	{ "MND102", "business-owner-missing", SEV_HIGH,
	  "the agent names no business owner",
	  "add owner { business = \"person@example.com\" }: the person who "
	  "justifies the scope and approves changes",
	  "Access needs a person who answers for why it exists and "
	  "approves changes to it; without one nobody can say whether the "
	  "scope is still needed." },
	{ "MND103", "owner-invalid", SEV_HIGH,
	  "an owner is not an email address or does not match the gate's "
	  "owner_pattern",
	  "name an individual's address that matches the gate's "
	  "owner_pattern",
	  "An owner must be an individual who can be reached and held "
	  "accountable; a team alias or a malformed address hides who "
	  "decided." },
	{ "MND104", "owner-not-separated", SEV_LOW,
	  "one person is both the technical and the business owner",
	  "name a different business owner so that someone other than the "
	  "operator approves the scope",
	  "When the operator also approves the scope, nobody else checks "
	  "the access: separating the two duties puts a second person in "
	  "the loop." },
	{ "MND105", "agent-name-invalid", SEV_MEDIUM,
	  "the agent's name does not match the gate's agent_name_pattern",
	  "rename the agent to match the gate's agent_name_pattern",
	  "A naming convention lets reviewers and tools tell agents apart "
	  "from human accounts and find an agent from its name." },
	{ "MND110", "justification-missing", SEV_HIGH,
	  "the agent's justification is missing or a placeholder",
	  "write in justification why the business needs this agent, in a "
	  "sentence a reviewer can check",
	  "A reviewer can only judge whether access is still needed "
	  "against a stated business reason." },
	{ "MND111", "grant-without-because", SEV_HIGH,
	  "a write, tagging or permissions grant has no because",
	  "add because = \"...\" saying why the agent needs this access",
	  "Access that changes data or permissions must be justified one "
	  "grant at a time, so that each can be reviewed and removed when "
	  "its reason lapses." },
	{ "MND120", "review-overdue", SEV_HIGH,
	  "the last review plus the review cadence is before today, or no "
	  "review is recorded",
	  "review the agent's access with its business owner and set "
	  "review { last = DATE by = \"...\" }",
	  "Access that is not reviewed on schedule accumulates beyond what "
	  "the agent still needs." },
	{ "MND121", "agent-expired", SEV_HIGH,
	  "the agent is past its expiry date",
	  "decommission the agent, or renew it with its business owner and "
	  "set a new expires date",
	  "An agent past its end date keeps working credentials that "
	  "nobody intends it to have." },
	{ "MND122", "review-cadence-invalid", SEV_MEDIUM,
	  "the agent has no review cadence, or one longer than the gate "
	  "allows",
	  "set review { every = 90d } within the gate's "
	  "max_review_interval",
	  "Without a bounded cadence, reviews stop happening; frameworks "
	  "such as PCI DSS ask for reviews at least every six months." },
	{ "MND123", "expiry-missing", SEV_MEDIUM,
	  "the agent has no expiry date",
	  "set expires = YYYY-MM-DD so the agent's access ends unless it is "
	  "renewed",
	  "Access without an end date outlives the project that needed it." },
	{ "MND130", "wildcard-action", SEV_HIGH,
	  "a grant uses '*', 'service:*' or an action pattern that reaches "
	  "write or permissions actions",
	  "list the actions the agent needs, or grant an access level such "
	  "as read",
	  "A wildcard grants every current and future action that matches "
	  "it, including ones that write data or change permissions." },
	{ "MND131", "wildcard-resource", SEV_HIGH,
	  "a grant uses resource '*', or a pattern such as 'arn:*' or "
	  "'arn:aws:dynamodb:*' that matches every resource of the action's "
	  "types, for actions that support resource-level permissions",
	  "name the resources by ARN pattern, e.g. "
	  "\"arn:aws:s3:::bucket/prefix/*\"",
	  "Resource '*' and patterns that match every resource of a type "
	  "grant the actions on every resource of the account, not the "
	  "ones the agent works on." },
	{ "MND132", "permissions-without-approver", SEV_CRITICAL,
	  "a grant gives permissions-management access without an approver",
	  "have a security reviewer approve the grant and record "
	  "approver = \"...\"",
	  "Permissions-management actions let the agent change its own or "
	  "others' access, so a second person must approve them." },
	{ "MND133", "privilege-escalation", SEV_CRITICAL,
	  "the agent's grants, or a live role's or user's policies, together "
	  "enable a known privilege-escalation path",
	  "remove one of the actions of the path, or restrict it to "
	  "resources that cannot be used to escalate",
	  "A principal that holds every action of an escalation path can "
	  "give itself more access than it was granted." },
	{ "MND134", "unknown-name", SEV_HIGH,
	  "a grant names an unknown service, action or access level",
	  "use a name from the AWS action catalog; the note suggests the "
	  "nearest one",
	  "A misspelled or unknown name grants nothing, so the spec no "
	  "longer states what the agent can do." },
	{ "MND135", "grant-matches-nothing", SEV_MEDIUM,
	  "the grant's resource matches no resource type of its actions, so "
	  "it grants nothing",
	  "use an ARN of the resource type the actions act on, or \"*\" for "
	  "actions without resource-level permissions",
	  "A grant that matches no resource type does nothing, which "
	  "usually means its resource pattern is wrong." },
	{ "MND136", "condition-invalid", SEV_HIGH,
	  "a condition uses an unknown key, or an operator or value that does "
	  "not fit the key's type",
	  "use a condition key from the AWS catalog and an operator for its "
	  "type",
	  "A condition with an unknown key or the wrong operator never "
	  "matches as intended, so the grant is wider or narrower than "
	  "written." },
	{ "MND140", "restricted-without-approver", SEV_HIGH,
	  "a grant gives write or permissions access to a restricted "
	  "resource class without an approver",
	  "have the data owner approve the grant and record "
	  "approver = \"...\"",
	  "Writing to restricted data needs the consent of the data's "
	  "owner, not only of the agent's owners." },
	{ "MND150", "long-lived-credentials", SEV_HIGH,
	  "an AI agent allows long-lived keys, or credential rotation is "
	  "longer than the gate allows",
	  "set credentials { long_lived_keys = false rotate = 30d } and use "
	  "short-lived role sessions",
	  "Long-lived keys of an AI agent can be leaked through its "
	  "prompts, tools or logs, and stay valid until someone rotates "
	  "them." },
	{ "MND160", "decision-logging-missing", SEV_MEDIUM,
	  "an AI agent does not require its decisions to be logged",
	  "set audit { decisions = required context = [task, request_id] }",
	  "Without a decision log, nobody can reconstruct what an "
	  "autonomous agent accessed and why." },
	{ "MND170", "waiver-expired", SEV_MEDIUM,
	  "a waiver is past its until date and no longer silences anything",
	  "fix the finding it waived, or renew the waiver with an approver",
	  "A waiver is a time-limited exception; once it expires the "
	  "finding it covered is back and must be fixed or waived anew." },
	{ "MND171", "waiver-unused", SEV_LOW,
	  "a waiver matched no finding",
	  "remove the waiver",
	  "A waiver that silences nothing is stale, and would silence a "
	  "new finding nobody has looked at." },
	{ "MND201", "identity-unowned", SEV_HIGH,
	  "an identity in the export is claimed by no spec",
	  "write a spec for it that names its owners, or delete the "
	  "identity",
	  "An identity that no spec claims has no owner, no justification "
	  "and no review, and is the usual way access outlives its "
	  "purpose." },
	{ "MND202", "identity-absent", SEV_MEDIUM,
	  "an identity declared in a spec is not in the export",
	  "deploy the identity, correct its ARN, or export the account it "
	  "lives in",
	  "A spec for an identity that does not exist means the spec and "
	  "the account have drifted apart, or the wrong account was "
	  "exported." },
	{ "MND210", "permission-drift", SEV_HIGH,
	  "the live identity can do more than its spec grants",
	  "remove the excess access from the live policy, or declare it in "
	  "the spec with a because",
	  "Access beyond the spec was granted outside review, by hand or "
	  "by another pipeline, and is not justified anywhere." },
	{ "MND211", "grant-not-deployed", SEV_INFO,
	  "a declared grant is not deployed on the live identity",
	  "deploy the generated policy, or remove the grant from the spec",
	  "A grant in the spec that is not deployed means the spec no "
	  "longer describes the live identity." },
	{ "MND212", "trust-drift", SEV_HIGH,
	  "the live trust policy admits principals the spec does not",
	  "remove the principal from the role's trust policy, or add it to "
	  "trusted_by",
	  "A trust policy decides who can act as the identity; a principal "
	  "the spec does not name can use all of its access." },
	{ "MND213", "boundary-missing", SEV_MEDIUM,
	  "the permissions boundary the spec requires is not attached live",
	  "attach the boundary named in the spec to the live identity",
	  "A permissions boundary caps what any attached policy can grant; "
	  "without it, a later policy can widen the access unchecked." },
	{ "MND214", "live-policy-unknown", SEV_HIGH,
	  "a policy attached to the live identity is not in the export, so "
	  "its permissions cannot be checked",
	  "export with aws iam get-account-authorization-details without a "
	  "--filter, so every attached policy is included",
	  "Access that cannot be read cannot be checked, so it must not be "
	  "assumed to lie within the spec." },
	{ "MND220", "access-key-stale", SEV_HIGH,
	  "an access key is older than the rotation period",
	  "rotate the key, or move the workload to short-lived role "
	  "credentials",
	  "The longer a key lives, the longer a leaked copy of it works." },
	{ "MND221", "access-key-unused", SEV_MEDIUM,
	  "an access key has not been used for 90 days, or never",
	  "deactivate and delete the unused key",
	  "A key that is not used is not needed, and still works for "
	  "whoever has a copy." },
	{ "MND222", "access-keys-multiple", SEV_LOW,
	  "an identity has more than one active access key",
	  "deactivate the key that is no longer in use",
	  "Two active keys double the credentials that can leak, and "
	  "usually mean an old key was never retired." },
	{ "MND223", "access-key-forbidden", SEV_HIGH,
	  "an identity whose spec forbids long-lived keys has an active "
	  "access key",
	  "delete the key and use role sessions, or allow long-lived keys "
	  "in the spec with a reason",
	  "The spec says the identity uses short-lived sessions, so an "
	  "active key is a credential nobody meant to exist." },
	{ "MND224", "root-access-key", SEV_CRITICAL,
	  "the root user of an account has an active access key",
	  "delete the root user's access keys, and give the workload a "
	  "role or an identity of its own",
	  "A root key can do everything in the account, and no policy, "
	  "boundary or spec can narrow it." },
	{ "MND230", "grant-unused", SEV_MEDIUM,
	  "a declared grant was not used in the 90 days before the "
	  "service-last-accessed data was collected",
	  "remove the grant, or narrow it to the actions the agent still "
	  "uses",
	  "Access that the agent has not used in 90 days is probably not "
	  "needed, and removing it shrinks what a compromise can reach." },
	{ "MND301", "policy-too-large", SEV_HIGH,
	  "a generated policy exceeds the provider's size limit even after "
	  "splitting",
	  "narrow the grants, or split the agent into identities with "
	  "fewer grants each",
	  "A policy that does not fit the provider's limits cannot be "
	  "deployed, so the agent runs with other access than the spec "
	  "states." },
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
