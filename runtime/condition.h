#ifndef MANDATE_RUNTIME_CONDITION_H
#define MANDATE_RUNTIME_CONDITION_H

#include "eval.h"
#include "match.h"

/*
 * IAM condition operators and policy variables, decided against one
 * request's context. Nothing here allocates on the heap or prints.
 *
 * Every result has three values. A condition whose operator is unknown
 * or whose values are of the wrong type for the operator is neither
 * true nor false, and the caller gets the reason as a static string.
 */

enum truth {
	TRUTH_FALSE,
	TRUTH_TRUE,
	TRUTH_UNKNOWN,
};

/* Kleene's three-valued AND and OR. */
enum truth truth_and(enum truth a, enum truth b);
enum truth truth_or(enum truth a, enum truth b);
enum truth truth_not(enum truth a);

/*
 * Room for a pattern after policy variables are put in: every character
 * of a substituted value may become a four-byte escape such as "${*}".
 */
#define PATTERN_MAX (8 * MATCH_MAX + 1)

enum expand_result {
	EXPAND_OK,
	EXPAND_UNRESOLVED,	/* a variable's key is absent, no default */
	EXPAND_UNKNOWN,		/* IAM's result is not known; see *why */
};

/*
 * Write text to out as a pattern in match.h's syntax, with each policy
 * variable replaced by its value from req: "${aws:username}",
 * "${aws:PrincipalTag/team, 'none'}" (a default for an absent key), and
 * the escapes "${*}", "${?}" and "${$}" for the characters themselves.
 * Substituted characters come out escaped, so they never act as
 * wildcards. With variables false (a policy without Version
 * "2012-10-17") nothing is substituted and every '$' is escaped, so
 * "${...}" stays literal text.
 *
 * With wildcards true, a substituted value that contains '*' or '?' gives
 * EXPAND_UNKNOWN: IAM does not document whether such characters match
 * as wildcards. So do a multi-valued key and a malformed variable.
 */
enum expand_result policyvar_expand(char *out, size_t size, const char *text,
				    bool variables, bool wildcards,
				    const struct eval_request *req,
				    const char **why);

/*
 * Decide one condition (an operator, a key and its values) against
 * req's context. variables is true when the policy's Version allows
 * policy variables. On TRUTH_UNKNOWN, *why names the reason.
 */
enum truth condition_eval(const struct aws_condition *c, bool variables,
			  const struct eval_request *req, const char **why);

/*
 * Return whether op is an IAM condition operator: a base operator such
 * as "StringLike", with an optional "ForAllValues:" or "ForAnyValue:"
 * prefix and an optional "IfExists" suffix (which Null does not take).
 * Operators are case-sensitive.
 */
bool condition_operator_known(const char *op);

/* Return the context key named key (case-insensitively), or NULL. */
const struct eval_key *condition_find_key(const struct eval_request *req,
					  const char *key);

#endif
