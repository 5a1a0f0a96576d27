#ifndef MANDATE_COMPILER_COMPILE_H
#define MANDATE_COMPILER_COMPILE_H

#include "buf.h"
#include "ast.h"
#include "catalog.h"
#include "finding.h"

/*
 * The program: every agent's grants expanded through the AWS action
 * catalog into the exact actions each grants on each resource pattern,
 * with conditions typed and turned into IAM condition operators. The
 * rules, the drift check and the policy emitter all read this, so they
 * agree on what a grant means.
 */

/* One IAM condition: "StringEquals": {"aws:SourceVpc": ["vpc-1"]}. */
struct iam_cond {
	const char *op;
	const char *key;
	const char **values;
	size_t nvalues;
};

/* The actions a grant gives on one of its resource patterns. */
struct xresource {
	const char *pattern;
	uint32_t *actions;	/* catalog ids, ascending */
	size_t nactions;
	/*
	 * Actions named exactly that the catalog lacks, such as those of a
	 * retired service: kept by name, after MND134, so that the drift
	 * check counts them as declared. They are not emitted.
	 */
	const char **unlisted;
	size_t nunlisted;
	struct loc loc;
};

struct xgrant {
	const struct grant *grant;
	bool deny;
	struct xresource *res;
	size_t nres;
	unsigned levels;	/* ACCESS_* bits the actions reach */
	struct iam_cond *conds;
	size_t nconds;
	/*
	 * False when a name in the grant is unknown or a condition is
	 * invalid, so what it grants is not what was declared.
	 */
	bool usable;
};

struct xagent {
	const struct agent *agent;
	struct xgrant *grants;
	size_t ngrants;
};

/* An escalation path with its actions resolved to catalog ids. */
struct xescalation {
	const struct escalation *esc;
	uint32_t *actions;
	size_t nactions;
};

struct program {
	struct arena arena;
	const struct spec_unit *unit;
	const struct catalog *cat;
	struct xagent *agents;
	size_t nagents;
	struct xescalation *escalations;
	size_t nescalations;
};

/*
 * Expand every AWS grant of u. Unknown names (MND134), grants that
 * match nothing (MND135) and invalid conditions (MND136) are added to
 * f. Returns 0, or -1 after reporting to d a fault in the standard
 * library's escalation paths.
 */
int program_compile(struct program *p, const struct spec_unit *u,
		    const struct catalog *cat, struct findings *f,
		    struct diag *d);
void program_release(struct program *p);

/*
 * Add to out the actions the agent's grants allow on some resource,
 * less those a deny takes away everywhere without conditions: what the
 * escalation paths (MND133) are checked against. out is initialised by
 * the caller for the catalog's count.
 */
void xagent_allowed_actions(const struct xagent *xa, struct actset *out);

/*
 * Return whether a resource pattern names every resource: "*", or an
 * ARN whose fields after the partition and service are only '*' and
 * ':', such as "arn:*", "arn:aws:dynamodb:*" or "arn:aws:s3:::*".
 */
bool pattern_is_everything(const char *pattern);

/*
 * Return whether the pattern names every resource that action a can
 * act on: it is everything, or it covers each of a's resource types
 * in any partition and account, as "arn:aws:s3:::*" does for
 * s3:GetObject. False for an action without resource types unless the
 * pattern is everything. MND131 and mandate diff share this test.
 */
bool catalog_action_everywhere(const struct catalog *cat,
			       const struct cat_action *a, const char *pattern);

/*
 * State for running that test on many actions against one pattern,
 * with the result kept for each resource type. Call everywhere_init,
 * then everywhere_action for each action, then everywhere_release.
 */
struct everywhere {
	const struct catalog *cat;
	bool everything;
	struct buf outer;		/* the pattern in any partition */
	struct everywhere_type {
		const struct cat_resource_type *type;
		bool covers;
	} *known;
	size_t nknown, cap;
};

void everywhere_init(struct everywhere *e, const struct catalog *cat,
		     const char *pattern);
bool everywhere_action(struct everywhere *e, const struct cat_action *a);
void everywhere_release(struct everywhere *e);

/*
 * Return the IAM operator, such as "StringLike", that a `when` operator
 * becomes for a condition key of the type, before any ForAllValues or
 * ForAnyValue prefix; NULL when the operator does not apply to the type.
 */
const char *cond_iam_operator(enum cond_type type, enum cond_op op);

/*
 * Return what a value of a key of the type must be ("a number") when
 * value is not one, or NULL when it fits.
 */
const char *cond_value_problem(enum cond_type type, const char *value);

/* Return whether two IAM conditions are the same, as IAM reads them. */
bool iam_cond_equal(const struct iam_cond *a, const struct iam_cond *b);

/*
 * Return whether s is an action name of the form service:Action, with
 * letters, digits, '-' and '_' only: one a grant keeps by name when the
 * catalog lacks it.
 */
bool compile_plain_action(const char *s);

#endif
