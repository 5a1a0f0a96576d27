#ifndef MANDATE_COMPILER_PERMDIFF_H
#define MANDATE_COMPILER_PERMDIFF_H

#include "arena.h"
#include "compile.h"

/*
 * The change in what each agent may do between two compiled programs,
 * the base and the head: permissions as expanded catalog actions on
 * resource patterns, so that a grant rewritten in another form that
 * means the same is no change. Everything lives in the diff's arena.
 */

/* One action allowed (or denied) on one resource pattern. */
struct perm {
	const char *action;
	const char *resource;
	const char *const *conds;	/* "StringEquals aws:SourceVpc [vpc-1]" */
	const struct iam_cond *iam_conds;	/* the same, values sorted */
	size_t nconds;
	const char *cond_key;		/* the set of conditions, for comparing */
	bool deny;
	enum access_level level;	/* 0 for an action not in the catalog */
	bool typed;			/* supports resource-level permissions */
	bool approved;			/* every grant giving it has an approver */
};

enum agent_change {
	AGENT_ADDED,
	AGENT_REMOVED,
	AGENT_CHANGED,
	AGENT_RENAMED,
};

/* A field such as "owner.business"; from or to is NULL when unset. */
struct field_change {
	const char *field;
	const char *from;
	const char *to;
};

enum escalation_kind {
	ESC_WRITE,
	ESC_TAGGING,
	ESC_PERMISSIONS,
	ESC_WILDCARD_ACTION,
	ESC_WILDCARD_RESOURCE,
	ESC_RESTRICTED,
	ESC_PATH,
	ESC_REMOVED_CONDITION,
	ESC_REMOVED_DENY,
	ESC_TRUST,
	/* controls weakened, with no permission of their own */
	ESC_BOUNDARY,		/* a permissions boundary removed or replaced */
	ESC_LONG_LIVED_KEYS,	/* long-lived keys no longer forbidden */
	ESC_ROTATION,		/* a longer key rotation, or none */
	ESC_SESSION,		/* a longer session, or no maximum */
	ESC_AUDIT,		/* less decision logging or context */
	ESC_EXPIRY,		/* a later expiry, or none */
	ESC_REVIEW,		/* a longer review cadence, or none */
	ESC_KIND,		/* no longer an ai_agent, so its rules lapse */
	ESC_APPROVER,		/* access that MND132 or MND140 guards, unapproved */
};

/*
 * An escalation, with the resource and actions it concerns if any.
 * principal is NULL for the agent's own change, or the ARN of an
 * identity new to the agent, whose gain is measured from what it could
 * do in the base: nothing, or the grants of the agent that held it.
 */
struct perm_escalation {
	enum escalation_kind kind;
	const char *principal;
	const char *resource;
	const char **actions;
	size_t nactions;
	const char *message;
};

struct agent_diff {
	enum agent_change change;
	const char *name;		/* the head's name unless removed */
	const char *old_name;		/* renamed: the base's name */
	const char *file;		/* below the top of the repository */
	const char *old_file;
	const char *rename_reason;	/* "identity", "name" or "file" */
	struct field_change *fields;
	size_t nfields;
	struct perm *added, *removed;
	size_t nadded, nremoved;
	const char **ids_added, **ids_removed;
	size_t nids_added, nids_removed;
	struct perm_escalation *escalations;
	size_t nescalations;
};

/*
 * A change to a repository-wide definition: kind is "gate", "resource",
 * "escalation" or "waiver", and name the class, the path, the waiver
 * ("MND130 for 'digest'") or "gate" for the gate.
 * field is NULL when the whole definition was added or removed, and
 * before or after is then NULL on the side where it is missing.
 */
struct unit_change {
	const char *kind;
	const char *name;
	const char *field;
	const char *before;
	const char *after;
	const char *message;	/* why it escalates; NULL when it does not */
};

struct perm_diff {
	struct arena arena;
	struct agent_diff *agents;	/* changed agents, sorted by name */
	size_t nagents;
	struct unit_change *unit;	/* gate, classes, paths, waivers */
	size_t nunit;
	size_t nescalations;		/* over every agent and the unit */
};

/* One side's file renamed to another, as git's rename detection finds. */
struct file_rename {
	const char *from;
	const char *to;
};

/*
 * Compare base with head. Agents are paired by the cloud identities
 * they declare first, and among those, agents that also keep their
 * name come first. Then agents are paired by name, and last by spec
 * files renamed one to the other (renames). So an agent renamed with
 * its identity kept is renamed, and agents that swap names are each
 * compared with themselves. Unchanged agents are left out, and so are
 * pairs with neither side's spec file under one of paths (none when
 * npaths is 0), which are relative to the top of the repository.
 * Pairing considers every agent of base and head before paths are
 * applied, so when the programs hold more than the paths, an agent
 * moved into them is renamed, not added. Free with perm_diff_release.
 */
void perm_diff_compute(struct perm_diff *out, const struct program *base,
		       const struct program *head,
		       const struct file_rename *renames, size_t nrenames,
		       char *const *paths, size_t npaths);
void perm_diff_release(struct perm_diff *d);

/* Return the kind's name as output: "write", "removed-condition". */
const char *escalation_kind_name(enum escalation_kind k);

/* Return "added", "removed", "changed" or "renamed". */
const char *agent_change_name(enum agent_change c);

#endif
