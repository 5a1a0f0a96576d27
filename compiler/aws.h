#ifndef MANDATE_COMPILER_AWS_H
#define MANDATE_COMPILER_AWS_H

#include "arena.h"
#include "policy.h"
#include "diag.h"
#include "strtab.h"

/*
 * The live AWS IAM state read from exports given with --against:
 * `aws iam get-account-authorization-details` output (users, groups,
 * roles, managed policies) and IAM credential reports. Several exports
 * may be loaded into one struct aws_state; each keeps its own source so
 * that findings point into the file and line they came from.
 *
 * All strings are interned in the state's strtab and live in its arena,
 * so ARNs compare with ==. The state owns everything it returns.
 */

struct aws_managed_policy {
	const char *arn;
	const char *name;
	const char *default_version;	/* "v3" */
	struct aws_policy_doc *doc;	/* the default version's document */
	bool aws_managed;		/* arn:aws:iam::aws:policy/... */
	struct loc loc;
};

struct aws_inline_policy {
	const char *name;
	struct aws_policy_doc *doc;
	struct loc loc;
};

/*
 * A reference to a managed policy: an attachment, or a permissions
 * boundary. policy is NULL when the export does not contain the policy
 * (AWS-managed policies are often left out); the importer reports that.
 */
struct aws_policy_ref {
	const char *arn;
	const char *name;
	const struct aws_managed_policy *policy;
	struct loc loc;
};

struct aws_tag {
	const char *key;
	const char *value;
};

enum aws_entity_kind {
	AWS_USER,
	AWS_ROLE,
	AWS_GROUP,
};

struct aws_entity {
	enum aws_entity_kind kind;
	const char *name;
	const char *arn;
	const char *id;		/* AIDA..., AROA..., AGPA... */
	const char *path;	/* "/", "/aws-service-role/..." */
	const char *create_date;	/* as exported, NULL if absent */
	struct aws_inline_policy *inline_policies;
	size_t ninline;
	struct aws_policy_ref *attached;
	size_t nattached;
	struct aws_entity **groups;	/* a user's groups */
	size_t ngroups;
	/*
	 * A user's GroupList as exported. A name that is not a group of the
	 * same export has no entry in groups and was reported as a warning.
	 */
	const char **group_names;
	size_t ngroup_names;
	struct aws_policy_doc *trust;	/* a role's AssumeRolePolicyDocument */
	struct aws_policy_ref boundary;	/* arn NULL when none */
	struct aws_tag *tags;
	size_t ntags;
	const char *last_used;	/* RoleLastUsed.LastUsedDate, NULL if none */
	int32_t last_used_day;	/* the same in days since 1970-01-01; -1 if none */
	struct loc loc;		/* the entity's object in the export */
};

/* One access key column pair of a credential report row. */
struct aws_access_key {
	bool active;
	int32_t last_rotated;	/* days since 1970-01-01; -1 when N/A */
	int32_t last_used;	/* -1 when never used (N/A) */
};

struct aws_credential_row {
	const char *user;	/* "<root_account>" for the root user */
	const char *arn;
	int32_t created;	/* user_creation_time in days; -1 when N/A */
	bool mfa_active;	/* false when the column is absent */
	bool password_enabled;
	int32_t password_last_used;	/* -1 when N/A or no_information */
	struct aws_access_key keys[2];
	struct loc loc;		/* the CSV line */
};

struct aws_export {
	struct source *src;
	struct aws_entity **users, **roles, **groups;
	size_t nusers, nroles, ngroups;
	struct aws_managed_policy **policies;
	size_t npolicies;
};

struct aws_credential_report {
	struct source *src;
	struct aws_credential_row *rows;
	size_t nrows;
};

/* A service control policy attached at one level of an account's path. */
struct aws_scp {
	const char *name;
	const char *arn;	/* NULL when the export has none */
	struct aws_policy_doc *doc;
	struct loc loc;
};

/* One level of the path from the organization's root to an account. */
struct aws_org_level {
	const char *target;	/* "r-ab12", "ou-ab12-x", an account id */
	const char *type;	/* "ROOT", "ORGANIZATIONAL_UNIT", "ACCOUNT" */
	struct aws_scp *scps;
	size_t nscps;
	struct loc loc;
};

/* The service control policies over one member account, root first. */
struct aws_org_path {
	struct source *src;
	const char *account;
	const char *management_account;	/* NULL when not exported */
	struct aws_org_level *levels;
	size_t nlevels;
};

/* When an identity last used one tracked action of a service. */
struct aws_action_access {
	const char *action;	/* "s3:PutObject" */
	int32_t last_day;	/* days since 1970-01-01; -1: not used */
	struct loc loc;
};

/*
 * When an identity last used one service, from service-last-accessed
 * data (IAM access advisor). Entries of one identity, one per service,
 * are chained by next; see aws_find_service_access.
 */
struct aws_service_access {
	const char *arn;	/* the user or role */
	const char *service;	/* ServiceNamespace: "s3" */
	int32_t last_day;	/* LastAuthenticated in days; -1: not used */
	int32_t completed;	/* the job's JobCompletionDate in days */
	bool action_level;	/* TrackedActionsLastAccessed was reported */
	struct aws_action_access *actions;	/* sorted by action */
	size_t nactions;
	struct loc loc;		/* the entry in the export */
	struct aws_service_access *next;
};

/* One file of `aws iam get-service-last-accessed-details[-with-entities]`. */
struct aws_access_report {
	struct source *src;
	const char *arn;	/* the identity; NULL for a with-entities file */
	struct loc arn_loc;	/* where the file names arn */
	int32_t completed;	/* JobCompletionDate in days */
	struct loc completed_loc;
	struct aws_service_access *entries;
	size_t nentries;
};

struct aws_state {
	struct arena arena;
	struct strtab strtab;
	struct aws_export **exports;
	size_t nexports;
	struct aws_credential_report **reports;
	size_t nreports;
	struct aws_org_path **orgs;
	size_t norgs;
	struct aws_access_report **access;
	size_t naccess;
	struct aws_index *index;	/* by ARN, see aws_find_* */
};

void aws_state_init(struct aws_state *st);
void aws_state_release(struct aws_state *st);

/*
 * Read the export at path, detect its format from its content, and add
 * it to st. Returns 0, or -1 after reporting to d an error that names
 * the file and the line and column, or the JSON path, of the fault.
 *
 * Formats: `aws iam get-account-authorization-details` output (a JSON
 * object with UserDetailList, GroupDetailList, RoleDetailList or
 * Policies), the IAM credential report as CSV or as the JSON of
 * `aws iam get-credential-report` (Content as base64 or as CSV text),
 * an Organizations path export (a JSON object with TargetPath; see
 * aws_org.h; one per account), and service-last-accessed details (see
 * aws_access.h).
 *
 * Rules beyond the formats themselves:
 * - "IsTruncated": true (one page of a paginated result) is an error;
 * - an ARN defined twice, in one export or across exports, is an
 *   error, except an AWS-managed policy (arn:aws:iam::aws:policy/...)
 *   because every account's export may contain it. aws_find_policy
 *   returns the first one loaded;
 * - attachments, permissions boundaries and a user's groups resolve
 *   within the same export. A missing one stays NULL, or out of
 *   groups, and gets a warning naming the identity;
 * - of a managed policy, only the default version's document is read
 *   and checked. The others must be valid JSON but are not interpreted.
 * - service-last-accessed data for an identity that a loaded file
 *   already covers is an error naming both files: a second file of the
 *   identity's own job, or a service of it that two files report.
 * A failed load adds nothing to st.
 */
int aws_state_load(struct aws_state *st, const char *path, struct diag *d);

/*
 * Like aws_state_load, for a source already in memory. Takes src: on
 * success st owns it, on failure it is freed.
 */
int aws_state_load_source(struct aws_state *st, struct source *src,
			  struct diag *d);

enum aws_format {
	AWS_FORMAT_UNKNOWN,
	AWS_FORMAT_GAAD,		/* get-account-authorization-details */
	AWS_FORMAT_CREDENTIAL_CSV,	/* credential report as CSV */
	AWS_FORMAT_CREDENTIAL_JSON,	/* get-credential-report output */
	AWS_FORMAT_ORGANIZATION,	/* service control policies of a path */
	AWS_FORMAT_SERVICE_ACCESS,	/* get-service-last-accessed-details */
	AWS_FORMAT_SERVICE_ACCESS_ENTITIES,	/* ...-with-entities */
};

/*
 * Return which AWS export text looks like, from its first top-level
 * keys or its CSV header, without checking the rest. For routing files
 * among importers; aws_state_load checks the whole file.
 */
enum aws_format aws_detect_format(const char *text, size_t len);

/*
 * Find a user, role or group by ARN across every loaded export; NULL if
 * none. arn need not be interned.
 */
struct aws_entity *aws_find_entity(const struct aws_state *st,
				   const char *arn);

/* Find a managed policy by ARN across every loaded export; NULL if none. */
const struct aws_managed_policy *
aws_find_policy(const struct aws_state *st, const char *arn);

/*
 * Find the service control policy path of an account; NULL when no
 * Organizations export covers it.
 */
const struct aws_org_path *aws_find_org(const struct aws_state *st,
					const char *account);

/*
 * Warn of each Organizations export whose account has no user or role
 * in the loaded exports. Call once every export is loaded.
 */
void aws_warn_unused_orgs(const struct aws_state *st, struct diag *d);

/* Find a credential report row by user ARN; NULL if none. */
const struct aws_credential_row *
aws_find_credentials(const struct aws_state *st, const char *arn);

/*
 * Find the service-last-accessed entry of identity arn for service (a
 * namespace such as "s3", compared case-insensitively); NULL when no
 * loaded data covers it. aws_state_load lets one file report it.
 */
const struct aws_service_access *
aws_find_service_access(const struct aws_state *st, const char *arn,
			const char *service);

/* Return whether any service-last-accessed data names identity arn. */
bool aws_has_service_access(const struct aws_state *st, const char *arn);

/*
 * Convert an ISO 8601 timestamp as IAM writes it to whole seconds since
 * 1970-01-01T00:00:00Z: 2016-05-16T18:13:11Z, with +00:00 or another
 * offset in place of Z, and with an optional fraction of a second, which
 * is dropped. A space may replace the 'T', as RFC 3339 allows and
 * Python's datetime prints it. Returns 0, or -1 when s is not such a
 * timestamp or lies before 1970.
 */
int aws_parse_time(const char *s, size_t n, int64_t *seconds);

/* Convert a timestamp as aws_parse_time does, to days since 1970-01-01. */
int aws_parse_timestamp(const char *s, size_t n, int32_t *days);

#endif
