#include "common.h"
#include "cli.h"

int cmd_build(int argc UNUSED, char **argv UNUSED)
{
	/* TODO: replaced by the real command before this lands. */
	diag_plain(&cli.diag, DIAG_ERROR, "'build' is not available yet");
	return EXIT_ERROR;
}
