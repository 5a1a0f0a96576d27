#include "mandate.h"

#include "match.h"

const char *mandate_version(void)
{
	return "0.1.0";
}

bool mandate_action_matches(const char *pattern, const char *action)
{
	if (!pattern || !action)
		return false;
	return match_action(pattern, action);
}

bool mandate_resource_matches(const char *pattern, const char *resource)
{
	if (!pattern || !resource)
		return false;
	return match_resource(pattern, resource);
}
