#ifndef MANDATE_RUNTIME_POLICY_H
#define MANDATE_RUNTIME_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * IAM policy documents as the importers read them and the evaluator
 * decides on them. The importers check the grammar (see
 * compiler/aws_policy.h); everything here is already well formed. A
 * document is read-only once built and may be shared between threads.
 */

struct source;

/* A span of source text. A loc with src == NULL means "no location". */
struct loc {
	struct source *src;
	uint32_t off;		/* byte offset of the first byte */
	uint32_t len;		/* bytes underlined; 0 for a caret only */
};

/* One condition of a statement: "StringEquals": {"aws:SourceVpc": [...]}. */
struct aws_condition {
	const char *op;		/* as written: "ForAllValues:StringLike" */
	const char *key;	/* as written: "aws:PrincipalTag/team" */
	const char **values;	/* JSON booleans and numbers as text */
	size_t nvalues;
};

/* One entry of Principal or NotPrincipal. */
struct aws_principal {
	const char *type;	/* "AWS", "Service", "Federated", "CanonicalUser", or "*" for "Principal": "*" */
	const char *value;	/* "*", an account id, an ARN, a service */
};

struct aws_statement {
	uint32_t index;		/* 0-based position in the document */
	const char *sid;	/* NULL when absent */
	bool deny;
	bool not_action;
	bool not_resource;
	bool not_principal;
	/* No Resource or NotResource: the resource the policy is attached to */
	bool resource_implicit;
	const char **actions;	/* Action or NotAction values */
	size_t nactions;
	const char **resources;	/* Resource or NotResource values */
	size_t nresources;
	struct aws_principal *principals;
	size_t nprincipals;
	struct aws_condition *conds;
	size_t nconds;
	struct loc loc;		/* the statement in the export */
};

struct aws_policy_doc {
	const char *version;	/* NULL when the document has none */
	struct aws_statement *stmts;
	size_t nstmts;
	struct loc loc;		/* the document in the export */
};

#endif
