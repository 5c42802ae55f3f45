/*
 * bench/exit.c - the one way bad input is reported, by any layer: one line
 * on stderr, "gcbench: [COMMAND: ]what is wrong and what is accepted", and
 * exit status 2 (docs/promises.md: bad input never crashes and never
 * leaves a half-written file, so callers check input before writing).
 */
#include "bench/exit.h"

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
