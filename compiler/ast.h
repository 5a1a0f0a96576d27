#ifndef MANDATE_COMPILER_AST_H
#define MANDATE_COMPILER_AST_H

#include "arena.h"
#include "diag.h"
#include "severity.h"
#include "strtab.h"

/*
 * The typed syntax tree of a compilation unit: every *.mandate file
 * under the paths given, compiled as one. The parser's actions fill it
 * through the builders in build.c, which check each field's name and
 * type as it is parsed, so a tree that parsed without errors is well
 * typed. Cross-file checks (unique names, one gate) run in unit.c.
 *
 * Every node and string comes from the unit's arena; strings are
 * interned in the unit's strtab, so equal names are equal pointers.
 * Lists are singly linked in source order, with a count.
 *
 * A field that was not written has its zero value: a NULL string, an
 * unset date or duration, an absent block.
 */

/* A string with where it was written. s is NULL when absent. */
struct sval {
	const char *s;
	struct loc loc;
};

/* A list of strings or identifiers, e.g. [task, request_id]. */
struct slist {
	struct sval *items;
	size_t n;
	bool set;
	struct loc loc;		/* the whole list */
};

/* A calendar date as days since 1970-01-01. */
struct dval {
	int32_t days;
	bool set;
	struct loc loc;
};

/* A duration in seconds, written 30m, 12h, 90d or 2w. */
struct durval {
	int64_t seconds;
	bool set;
	struct loc loc;
};

struct bval {
	bool v;
	bool set;
	struct loc loc;
};

enum agent_kind {
	AGENT_KIND_UNSET,
	AGENT_AI_AGENT,
	AGENT_SERVICE_ACCOUNT,
	AGENT_API_KEY,
	AGENT_OAUTH_CLIENT,
	AGENT_WORKLOAD,
};

enum provider {
	PROVIDER_AWS,
	PROVIDER_GCP,
	PROVIDER_AZURE,
	PROVIDER_K8S,
};

enum identity_kind {
	IDENTITY_AWS_ROLE,
	IDENTITY_AWS_USER,
	IDENTITY_GCP_SERVICE_ACCOUNT,
	IDENTITY_AZURE_SERVICE_PRINCIPAL,
	IDENTITY_K8S_SERVICE_ACCOUNT,
};

enum audit_decisions {
	AUDIT_UNSET,
	AUDIT_REQUIRED,
	AUDIT_OPTIONAL,
	AUDIT_OFF,
};

/* AWS access levels, as bits so that a grant may name several. */
enum access_level {
	ACCESS_LIST = 1 << 0,
	ACCESS_READ = 1 << 1,
	ACCESS_WRITE = 1 << 2,
	ACCESS_TAGGING = 1 << 3,
	ACCESS_PERMISSIONS = 1 << 4,
};

#define ACCESS_ALL 0x1fu

enum sensitivity {
	SENSITIVITY_UNSET,
	SENSITIVITY_PUBLIC,
	SENSITIVITY_INTERNAL,
	SENSITIVITY_CONFIDENTIAL,
	SENSITIVITY_RESTRICTED,
};

/*
 * Operators of a `when KEY OP VALUE` condition. The IAM operator they
 * become depends on the condition key's type (String, ARN, Numeric,
 * Date, Bool, IP address) and on whether the key is multivalued.
 */
enum cond_op {
	COND_EQ,		/* == */
	COND_NE,		/* != */
	COND_IN,		/* in [...] */
	COND_NOT_IN,		/* not_in [...] */
	COND_LIKE,		/* like "pattern*" */
	COND_NOT_LIKE,		/* not_like */
	COND_LT,		/* < */
	COND_LE,		/* <= */
	COND_GT,		/* > */
	COND_GE,		/* >= */
	COND_ANY_IN,		/* any_in [...]: one of a multivalued key */
};

struct owner_block {
	bool present;
	struct loc loc;
	struct sval technical;
	struct sval business;
};

struct review_block {
	bool present;
	struct loc loc;
	struct durval every;
	struct dval last;
	struct sval by;
};

struct credentials_block {
	bool present;
	struct loc loc;
	struct durval rotate;		/* maximum access key age */
	struct durval session;		/* maximum session length */
	struct bval long_lived_keys;
};

struct audit_block {
	bool present;
	struct loc loc;
	enum audit_decisions decisions;
	struct loc decisions_loc;
	struct slist context;		/* fields each decision must carry */
};

struct agent;

/* A concrete principal an agent runs as. */
struct identity {
	struct identity *next;
	const struct agent *agent;
	enum provider provider;
	enum identity_kind kind;
	struct sval id;		/* ARN, email, "namespace/name" */
	struct slist trusted_by;	/* roles: who may assume it */
	struct sval boundary;		/* required permissions boundary */
	struct loc loc;			/* the `identity` keyword */
};

struct condition {
	struct condition *next;
	struct sval key;		/* e.g. "aws:SourceIp" */
	enum cond_op op;
	struct loc op_loc;
	struct slist values;		/* one value is a list of one */
	bool values_is_list;		/* written as [...] */
	struct loc loc;
};

/*
 * `grant LEVEL on SERVICE RESOURCE` or `grant actions [...] on
 * RESOURCE`, or the same with `deny`. by_level records which form it
 * is. A level name that is not an access level stays in level_names
 * only, so that the compiler can report it with the nearest valid name.
 */
struct grant {
	struct grant *next;
	const struct agent *agent;
	bool deny;
	bool by_level;			/* levels, not explicit actions */
	unsigned levels;		/* ACCESS_* bits of the known levels */
	struct slist level_names;	/* the levels as written */
	struct loc levels_loc;
	enum provider provider;
	struct sval service;		/* "s3" of aws:s3; NULL if omitted */
	struct slist actions;		/* explicit actions, as written */
	struct slist resources;		/* at least one pattern */
	struct sval because;
	struct sval approver;		/* who approved sensitive access */
	struct condition *conds;
	size_t nconds;
	struct loc loc;			/* the `grant` or `deny` keyword */
};

struct agent {
	struct agent *next;
	struct sval name;
	enum agent_kind kind;
	struct loc kind_loc;
	struct sval description;
	struct sval justification;
	struct owner_block owner;
	struct review_block review;
	struct dval expires;
	struct credentials_block credentials;
	struct audit_block audit;
	struct identity *identities;
	size_t nidentities;
	struct grant *grants;
	size_t ngrants;
	struct loc loc;			/* the `agent` keyword */
	struct source *src;
};

/* Repository-wide settings; at most one gate block per unit. */
struct gate {
	bool present;
	struct loc loc;
	enum severity fail_on;
	bool fail_on_set;
	struct loc fail_on_loc;
	struct durval max_review_interval;
	struct durval max_rotation;
	struct sval owner_pattern;	/* PCRE2 */
	struct sval agent_name_pattern;	/* PCRE2 */
	struct slist frameworks;	/* soc2, iso27001, pci_dss */
};

/* A named class of sensitive resources, matched by ARN pattern. */
struct resource_class {
	struct resource_class *next;
	struct sval name;
	struct slist match;
	enum sensitivity sensitivity;
	struct loc sensitivity_loc;
	struct sval environment;
	struct loc loc;
};

/* `waive RULE for "agent" { until, reason, approver }`. */
struct waiver {
	struct waiver *next;
	struct sval rule;		/* "MND104" */
	struct sval agent;		/* NULL in a waiver for an identity */
	struct sval identity;		/* optional with an agent */
	struct dval until;
	struct sval reason;
	struct sval approver;
	struct loc loc;
};

/* A known privilege-escalation combination, kept in stdlib. */
struct escalation {
	struct escalation *next;
	struct sval name;
	struct sval description;
	struct slist requires;		/* actions that together escalate */
	struct loc loc;
};

struct spec_unit {
	struct arena arena;
	struct strtab strtab;
	struct source **sources;
	size_t nsources, sources_cap;
	struct agent *agents, **agents_tail;
	size_t nagents;
	struct gate gate;
	struct resource_class *classes, **classes_tail;
	size_t nclasses;
	struct waiver *waivers, **waivers_tail;
	size_t nwaivers;
	struct escalation *escalations, **escalations_tail;
	size_t nescalations;
	/*
	 * Errors for a definition repeated in another file, such as a
	 * second gate block or an agent name used twice: the sign of two
	 * units compiled as one.
	 */
	size_t nclashes;
};

void unit_init(struct spec_unit *u);
void unit_release(struct spec_unit *u);

/* A walk that finds more spec files than this is rejected. */
#define UNIT_FILES_MAX 100000

/*
 * Parse every spec under paths into u: a file is taken whatever its
 * name, a directory is searched recursively for *.mandate files,
 * skipping hidden entries. Files are parsed in sorted order of path,
 * each once however many paths name it. Then run the cross-file checks. Returns 0, or -1 when
 * any error was reported to d; u is then incomplete but safe to release.
 * In a directory, a symbolic link to a directory or *.mandate file that
 * leads outside the directories named, a symbolic link loop and a spec
 * path that is not UTF-8 are errors. A *.mandate entry that is neither a file nor a directory (a
 * FIFO, a socket) is skipped with a warning.
 */
int unit_load_paths(struct spec_unit *u, char *const *paths, size_t npaths,
		    struct diag *d);

/*
 * Find the spec files under paths as unit_load_paths does, with the same
 * checks, and store their paths in *out, sorted and each file once. The
 * caller frees each path and the array. Returns 0, or -1 when any error
 * was reported to d. On -1, *out still contains the files found.
 */
int unit_find_files(char ***out, size_t *n, char *const *paths,
		    size_t npaths, struct diag *d);

/* Parse one source into u; the unit takes ownership of src. */
int unit_parse_source(struct spec_unit *u, struct source *src,
		      struct diag *d);

/* Run the cross-file checks after the last unit_parse_source. */
int unit_check(struct spec_unit *u, struct diag *d);

/* Names of enum values as written in specs, e.g. "ai_agent". */
const char *agent_kind_name(enum agent_kind k);
const char *identity_kind_name(enum identity_kind k);
const char *provider_name(enum provider p);
const char *access_level_name(enum access_level one);

/* Return the ACCESS_* bit of a level name, or -1 when it is not one. */
int access_level_parse(const char *name);

/* Return the access level nearest to a misspelt name, or NULL. */
const char *access_level_suggest(const char *name);
const char *cond_op_name(enum cond_op op);
const char *sensitivity_name(enum sensitivity s);

/* Format days since 1970-01-01 as YYYY-MM-DD into out[11]. */
void date_format(int32_t days, char out[11]);

/*
 * Parse YYYY-MM-DD, from 1970-01-01 on; returns 0, or -1 when it is
 * not a valid date.
 */
int date_parse(const char *s, size_t n, int32_t *days);

/*
 * Write into why[size] the reason date_parse rejects s, such as
 * "February 2027 has 28 days".
 */
void date_explain(const char *s, size_t n, char *why, size_t size);

/* Format a duration the way specs write it (90d, 12h, 30m, 45s). */
void duration_format(int64_t seconds, char out[32]);

#endif
