/*
 * bench/cli/cli.h - the commands (argv[0] is the command's name; full_argv
 * is the whole command line, for the commands that re-execute gcbench) and
 * the one way a command reports bad input.
 */
#ifndef GCB_CLI_H
#define GCB_CLI_H

#include "bench/exit.h"

/* "usage.c" */
/* Bad input: "gcbench: COMMAND: message" on one line, exit 2. */
void gcb_usage_error(const char *command, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 2, 3)));

int gcb_cmd_matrix(int argc, char **argv, char **full_argv);
int gcb_cmd_compare(int argc, char **argv);
int gcb_cmd_merge(int argc, char **argv);

int gcb_cmd_plot(int argc, char **argv);
int gcb_cmd_report(int argc, char **argv);

int gcb_cmd_trace(int argc, char **argv);

#endif
