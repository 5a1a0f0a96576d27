#ifndef MANDATE_COMPILER_FINDING_H
#define MANDATE_COMPILER_FINDING_H

#include "ast.h"

/*
 * Findings: what the rules report. Each has a stable rule id, a
 * severity, a location in a spec or an export, the agent and identity
 * it concerns, a one-line message quoting the offending value, a fix
 * hint, and optional details (such as every excess action of a drift).
 */
struct rule {
	const char *id;		/* "MND101" */
	const char *name;	/* "technical-owner-missing" */
	enum severity severity;	/* the default */
	const char *summary;	/* what it checks, one line */
	const char *hint;	/* how to fix, one line */
	const char *rationale;	/* why it matters, one or two sentences */
};

/* Return the rule with this id, or NULL. */
const struct rule *rule_find(const char *id);

/* Return the table of every rule, sorted by id. */
const struct rule *rule_table(size_t *n);

struct finding {
	const struct rule *rule;
	enum severity severity;
	const char *agent;		/* NULL for an unclaimed identity */
	const char *identity;		/* ARN or other id; may be NULL */
	struct loc loc;			/* src NULL when there is none */
	char *message;
	const char *hint;		/* defaults to the rule's hint */
	char *note;			/* e.g. "did you mean 's3:GetObject'?" */
	char **details;
	size_t ndetails, details_cap;
	const struct waiver *waiver;	/* the waiver that silences it */
	uint32_t line, col;		/* of loc, set by findings_sort */
};

struct findings {
	struct finding *v;
	size_t n, cap;
	struct arena arena;		/* messages, notes and details */
};

void findings_init(struct findings *f);
void findings_release(struct findings *f);

/*
 * Add a finding of rule id at loc with a printf-style message and
 * return it so the caller can set hint, note or details. The severity
 * is the rule's default. The pointer is valid until the next
 * findings_add.
 */
struct finding *findings_add(struct findings *f, const char *rule_id,
			     const struct loc *loc, const char *agent,
			     const char *identity, const char *fmt, ...)
	PRINTF_LIKE(6, 7);

/* Set a finding's note with a printf-style message. */
void finding_note(struct findings *f, struct finding *x, const char *fmt,
		  ...) PRINTF_LIKE(3, 4);

/* Append a detail line to a finding. */
void finding_detail(struct findings *f, struct finding *x, const char *fmt,
		    ...) PRINTF_LIKE(3, 4);

/*
 * Sort into the order every report uses: by file, line, column, rule
 * and message, with findings that have no location last. The order
 * does not depend on the order inputs were given in.
 */
void findings_sort(struct findings *f);

/*
 * Return the file, line and column of a finding for reports. After
 * findings_sort they come from its single pass; before, each call counts.
 */
void finding_position(const struct finding *x, const char **file,
		      uint32_t *line, uint32_t *col);

#endif
