#ifndef MANDATE_COMPILER_SEVERITY_H
#define MANDATE_COMPILER_SEVERITY_H

/* Finding severities, ordered so that a larger value is more severe. */
enum severity {
	SEV_INFO,
	SEV_LOW,
	SEV_MEDIUM,
	SEV_HIGH,
	SEV_CRITICAL,
};

#define SEV_COUNT 5

/* Return "info", "low", "medium", "high" or "critical". */
const char *severity_name(enum severity s);

/* Parse a severity name; returns 0, or -1 when name is not one. */
int severity_parse(const char *name, enum severity *out);

#endif
