#ifndef MANDATE_RUNTIME_EVAL_H
#define MANDATE_RUNTIME_EVAL_H

#include "policy.h"

/*
 * IAM's policy evaluation for one request, shared by the drift check,
 * `mandate simulate` and the runtime library, so that compile time and
 * run time never disagree.
 *
 * The order is IAM's: an explicit Deny in any policy that applies wins;
 * then every level of the service control policy path must allow; then
 * the permissions boundary, when there is one, must allow; then an
 * identity policy or a resource policy must allow (both, when the
 * principal and the resource are in different accounts). Anything not
 * allowed is denied implicitly.
 *
 * A statement whose condition cannot be decided (an unknown operator, a
 * value of the wrong type) makes the decision undetermined when the
 * outcome depends on it; it is never read as a match or a non-match.
 */

enum eval_decision {
	EVAL_IMPLICIT_DENY,	/* no statement allows */
	EVAL_EXPLICIT_DENY,	/* a Deny statement applies */
	EVAL_ALLOW,
	EVAL_UNDETERMINED,	/* depends on a statement that cannot be decided */
};

/* The part a policy plays in the evaluation. */
enum eval_role {
	EVAL_IDENTITY,		/* inline or attached to the principal or its groups */
	EVAL_BOUNDARY,		/* the principal's permissions boundary */
	EVAL_SCP,		/* a service control policy of one level */
	EVAL_RESOURCE,		/* a resource-based policy, a role's trust policy */
};

/*
 * A policy and the name reviewers use for it. Reasons print the name
 * of an identity or resource policy as it is, so name it in words:
 * "inline policy 'ops' of role/x", "managed policy
 * arn:aws:iam::aws:policy/ReadOnlyAccess", "trust policy of role 'x'".
 * A boundary's name follows "permissions boundary ", an SCP's "SCP ".
 */
struct eval_policy {
	const char *name;
	const struct aws_policy_doc *doc;	/* NULL: skipped */
};

/* The SCPs attached at one level of the path from the root. */
struct eval_scp_level {
	const char *target;	/* "r-ab12", "ou-ab12-x", an account id */
	const struct eval_policy *policies;
	size_t npolicies;
};

/*
 * The policies that apply to one principal and one resource. A missing
 * part is empty: no boundary, no organization data, no resource policy.
 *
 * TODO: session policies and resource control policies are not taken,
 * so a request that only one of them would deny comes out allowed.
 */
struct eval_policies {
	const struct eval_policy *identity;
	size_t nidentity;
	const struct eval_policy *boundary;	/* NULL when none */
	const struct eval_scp_level *scp;	/* root first; empty: no SCPs */
	size_t nscp;
	const struct eval_policy *resource;
	size_t nresource;
	const char *resource_account;	/* NULL: the principal's account */
	/*
	 * Whether the resource policy must allow even within one account,
	 * as a role's trust policy and a KMS key policy must: identity
	 * policies then grant only where the resource policy allows the
	 * caller's account.
	 */
	bool resource_required;
};

/* One context key of a request and its values (several: multi-valued). */
struct eval_key {
	const char *key;	/* matched case-insensitively */
	const char *const *values;
	size_t nvalues;
};

/*
 * The kind of caller. Only IAM principals are subject to identity
 * policies, boundaries and SCPs. Resource policies alone decide for
 * the others.
 */
enum eval_principal_kind {
	/* A user, role, assumed-role session, federated user or root ARN */
	EVAL_PRINCIPAL_IAM,
	EVAL_PRINCIPAL_SERVICE,	/* "lambda.amazonaws.com" */
	EVAL_PRINCIPAL_ANONYMOUS,	/* an unauthenticated caller */
	/* An identity provider: "cognito-identity.amazonaws.com", a SAML ARN */
	EVAL_PRINCIPAL_FEDERATED,
	EVAL_PRINCIPAL_CANONICAL_USER,	/* an S3 canonical user id */
};

/*
 * One request. The evaluator adds no context keys of its own: the
 * caller supplies aws:username, aws:PrincipalArn, aws:CurrentTime and
 * the rest, and a key it leaves out is absent.
 */
struct eval_request {
	enum eval_principal_kind principal_kind;
	const char *principal;	/* ARN or service name; NULL when anonymous */
	const char *action;	/* "s3:GetObject" */
	const char *resource;	/* an ARN, or "*" */
	const struct eval_key *context;	/* every key the request carries */
	size_t ncontext;
};

/* A statement that took part in the decision. */
struct eval_match {
	const struct eval_policy *policy;
	enum eval_role role;
	const struct aws_statement *stmt;
	bool undecided;		/* it could not be decided */
	const struct eval_scp_level *level;	/* an SCP's level; else NULL */
	/* The condition that could not be decided, or NULL. */
	const struct aws_condition *cond;
	const char *why;	/* static text: why it is undecided; else NULL */
};

#define EVAL_MAX_MATCHES 64

struct eval_result {
	enum eval_decision decision;
	/*
	 * The statements that decided it: the Deny statements for an
	 * explicit deny; the allowing statements for an allow; the
	 * undecidable ones for undetermined. For an implicit deny, the
	 * level or policy kind that failed to allow is in reason.
	 */
	struct eval_match matches[EVAL_MAX_MATCHES];
	size_t nmatches;	/* at most EVAL_MAX_MATCHES; the rest are dropped */
	char reason[256];	/* one line for a reviewer; never empty */
	/*
	 * Whether some reading of the undecided statements allows the
	 * request: true for EVAL_ALLOW, false for either deny, and for
	 * EVAL_UNDETERMINED false when only the kind of deny is open.
	 */
	bool may_allow;
};

/*
 * Decide req against pol. Never allocates on the heap, and uses about
 * 64 KiB of stack (GCC 12's -fstack-usage at -O2, deepest path through
 * match_resource); safe to call from any thread on shared documents.
 *
 * The reason is one of these lines. STMT is "statement 'Sid'", or
 * "statement #N", counting from 1, when there is no Sid. POLICY is an
 * identity policy's name, "permissions boundary NAME", "SCP NAME at
 * TARGET" or "resource policy NAME". CALLER is "service NAME",
 * "anonymous callers", "federated principal NAME" or "canonical user
 * ID". WHY is static text such as "unknown condition operator 'OP'" or
 * "OP on 'KEY': a numeric operator's value is not a decimal number".
 *
 *   allowed by STMT of POLICY
 *   allowed by STMT of POLICY and STMT of resource policy NAME
 *     (across accounts: the identity side, then the resource side)
 *   allowed for the account's root user, whom identity policies do not
 *     limit
 *   denied by STMT of POLICY[ (and N more)]
 *   no statement of the service control policies at TARGET allows ACTION
 *   no statement of permissions boundary NAME allows ACTION on RESOURCE
 *   no identity or resource policy allows ACTION on RESOURCE
 *   no identity policy allows ACTION on RESOURCE, which a request to
 *     account ACCOUNT needs
 *   no resource policy of account ACCOUNT allows ACTION on RESOURCE for
 *     PRINCIPAL
 *   no resource policy allows ACTION on RESOURCE for CALLER
 *   undetermined: STMT of POLICY cannot be decided: WHY[ (and N more)]
 *   principal 'ARN' is not the ARN of a user, role, assumed-role
 *     session, federated user or root   (undetermined)
 *   the request has no action   (or no resource; undetermined)
 *
 * Text longer than the buffer is cut short.
 *
 * Within one account, a resource policy statement that names the
 * caller's own user, session or federated-user ARN grants even where
 * the permissions boundary does not allow, but one that names a role
 * grants only within the boundary: IAM lets a resource policy reach a
 * role session past its boundary, not the role. A grant to every
 * principal under a boundary that does not allow is undetermined,
 * because IAM does not document it. A resource policy Deny with
 * NotPrincipal applies to every principal that has a permissions
 * boundary, whatever it lists (IAM User Guide, "Permissions boundaries
 * for IAM entities").
 */
void eval_request(const struct eval_policies *pol,
		  const struct eval_request *req, struct eval_result *out);

/* "allow", "deny" (explicit or implicit) or "undetermined". */
const char *eval_decision_name(enum eval_decision d);

#endif
