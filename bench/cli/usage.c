/*
 * bench/cli/usage.c - the one way a command reports bad input: one line on
 * stderr, "gcbench: COMMAND: what is wrong and what is accepted", and exit
 * status 2 (docs/architecture.md: bad input never crashes and never leaves
 * a half-written file, so commands check their input before writing).
 */
#include "bench/cli/cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void gcb_usage_error(const char *command, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("gcbench: ", stderr);
    if (command)
        fprintf(stderr, "%s: ", command);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(GCB_EXIT_USAGE);
}
