#ifndef MANDATE_COMPILER_RULES_H
#define MANDATE_COMPILER_RULES_H

#include "compile.h"

struct aws_state;

/* The gate's settings with their defaults applied. */
struct gate_settings {
	enum severity fail_on;
	int64_t max_review_interval;	/* seconds */
	int64_t max_rotation;		/* seconds */
};

/*
 * Defaults when the unit has no gate block: fail on high; review at
 * least every 180 days (PCI DSS v4.0.1 requirement 7.2.4 asks for a
 * review of accounts and their access at least once every six months);
 * rotate keys at least every 90 days (CIS AWS Foundations Benchmark,
 * "Ensure access keys are rotated every 90 days or less").
 */
#define GATE_DEFAULT_FAIL_ON SEV_HIGH
#define GATE_DEFAULT_MAX_REVIEW ((int64_t)180 * 86400)
#define GATE_DEFAULT_MAX_ROTATION ((int64_t)90 * 86400)

struct check_context {
	const struct spec_unit *unit;
	const struct program *prog;
	const struct catalog *cat;
	const struct aws_state *aws;	/* NULL without --against */
	struct findings *f;
	struct diag *d;			/* warnings that are not findings */
	struct gate_settings gate;
	int32_t today;			/* days since 1970-01-01 */
};

void gate_settings_from_unit(struct gate_settings *g,
			     const struct spec_unit *u);

/*
 * Run the rules that read only the specs (MND101 to MND160). Returns 0,
 * or -1 after reporting to d a gate pattern that does not compile.
 */
int rules_spec_run(struct check_context *cx, struct diag *d);

/* Run the rules that compare the specs with the AWS exports. */
void rules_aws_run(struct check_context *cx);

/*
 * Mark findings silenced by a current waiver, and report expired
 * (MND170) and unused (MND171) waivers.
 */
void rules_apply_waivers(struct check_context *cx);


/* How an identity in an export is classified for ownership rules. */
enum nhi_class {
	NHI_WORKLOAD,		/* a non-human identity: must be claimed */
	NHI_SERVICE_LINKED,	/* created and managed by an AWS service */
	NHI_HUMAN_SSO,		/* an IAM Identity Center permission set */
	NHI_HUMAN_SAML,		/* assumed only through SAML federation */
	NHI_HUMAN_USER,		/* console password and no access keys */
};

struct aws_entity;
struct aws_credential_row;

/* Classify a user or role; row is its credential report row or NULL. */
enum nhi_class aws_classify(const struct aws_entity *e,
			    const struct aws_credential_row *row);
const char *nhi_class_name(enum nhi_class c);

/* Return the account id of an ARN into out[13], or "" if it has none. */
void arn_account(const char *arn, char out[13]);

#endif
