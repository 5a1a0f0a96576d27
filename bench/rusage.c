/*
 * Run a command and print what it cost, measured the same way for every
 * command the benchmark times: wall seconds (CLOCK_MONOTONIC), CPU
 * seconds (user plus system, from wait4) and peak resident set size in
 * kB (ru_maxrss of the child alone).
 *
 * Usage: rusage COMMAND [ARG...]. The command's stdout goes to
 * /dev/null; its stderr is kept. Prints "WALL CPU MAXRSS STATUS" on
 * stdout and exits 0, or 2 when the command could not be started.
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double seconds(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

int main(int argc, char **argv)
{
	struct timespec start, end;
	struct rusage ru;
	pid_t pid;
	int status, null_fd;

	if (argc < 2) {
		fprintf(stderr, "usage: rusage COMMAND [ARG...]\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &start);
	pid = fork();
	if (pid < 0) {
		perror("rusage: fork");
		return 2;
	}
	if (pid == 0) {
		null_fd = open("/dev/null", O_WRONLY);
		if (null_fd >= 0)
			dup2(null_fd, STDOUT_FILENO);
		execvp(argv[1], argv + 1);
		fprintf(stderr, "rusage: cannot run '%s': %s\n", argv[1],
			strerror(errno));
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0) {
		perror("rusage: wait4");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &end);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		return 2;
	printf("%.6f %.6f %ld %d\n",
	       (double)(end.tv_sec - start.tv_sec) +
		       (double)(end.tv_nsec - start.tv_nsec) / 1e9,
	       seconds(ru.ru_utime) + seconds(ru.ru_stime), ru.ru_maxrss,
	       WIFEXITED(status) ? WEXITSTATUS(status)
				 : 128 + WTERMSIG(status));
	return 0;
}
