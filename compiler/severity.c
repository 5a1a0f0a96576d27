#include "common.h"
#include "severity.h"

static const char *const names[SEV_COUNT] = {
	[SEV_INFO] = "info",
	[SEV_LOW] = "low",
	[SEV_MEDIUM] = "medium",
	[SEV_HIGH] = "high",
	[SEV_CRITICAL] = "critical",
};

const char *severity_name(enum severity s)
{
	if ((unsigned)s >= SEV_COUNT)
		BUG("severity %d", (int)s);
	return names[s];
}

int severity_parse(const char *name, enum severity *out)
{
	int i;

	for (i = 0; i < SEV_COUNT; i++) {
		if (!strcmp(name, names[i])) {
			*out = (enum severity)i;
			return 0;
		}
	}
	return -1;
}
