/*
 * bench/cli/main.c - the `gcbench` command: one table of commands, from
 * which the help, the no-command error and the dispatch all come.
 *
 * Every command answers --help; every usage error exits 2 with one line
 * on stderr saying what is wrong and what is accepted (cli/options.c).
 */
#include <stdio.h>
#include <string.h>

#include "bench/cli/cli.h"
#include "config.h"

typedef struct gcb_command {
    const char *name;
    const char *summary;          /* one line of `gcbench --help` */
    int (*fn)(int argc, char **argv, char **full_argv);
} gcb_command_t;

static const gcb_command_t commands[] = {
    { "list", "list allocators, collectors, workloads or parameters", gcb_cmd_list },
    { "run", "run one allocator x collector x workload cell", gcb_cmd_run },
    { "matrix", "run a matrix of cells x repetitions, each in its own process", gcb_cmd_matrix },
    { "compare", "compare two result directories (medians, ratios, CIs, Mann-Whitney U)", gcb_cmd_compare },
    { "merge", "combine result directories from several machines", gcb_cmd_merge },
    { "plot", "draw the figures of a result directory with gnuplot (PNG and SVG)", gcb_cmd_plot },
    { "report", "write a result directory's report.md (tables, failures, figures)", gcb_cmd_report },
    { "validate", "the model's cells against their py: twins in real CPython (rankings, ratios, verdicts)",
      gcb_cmd_validate },
    { "trace", "record a program's malloc/free trace (for -w replay)", gcb_cmd_trace },
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void print_help(void)
{
    fputs("usage: gcbench COMMAND [ARGS]   (gcbench COMMAND --help for each)\n"
          "\n"
          "Measure what allocators and garbage-collection policies cost a runtime\n"
          "with Python's object model, in time, memory and pauses.\n"
          "\n"
          "commands:\n", stdout);
    for (size_t i = 0; i < NCOMMANDS; i++)
        printf("  %-9s %s\n", commands[i].name, commands[i].summary);
    printf("\n  %-9s %s\n", "--version", "print the version");
}

/* "list, run, ..., trace" */
static const char *command_names(void)
{
    static char buf[256];
    size_t len = 0;
    for (size_t i = 0; i < NCOMMANDS; i++)
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s", i ? ", " : "", commands[i].name);
    return buf;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        gcb_usage_error(NULL, "no command given; commands: %s (see gcbench --help)", command_names());
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        print_help();
        return GCB_EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("gcbench %s\n", GCB_VERSION);
        return GCB_EXIT_OK;
    }
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(cmd, commands[i].name) == 0)
            return commands[i].fn(argc - 1, argv + 1, argv);
    gcb_usage_error(NULL, "unknown command '%s'; commands: %s (see gcbench --help)", cmd, command_names());
}
