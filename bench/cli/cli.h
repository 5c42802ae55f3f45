/*
 * bench/cli/cli.h - the only code that knows argv: the command table
 * (cli/main.c), one file per command (cli/cmd_*.c, each with its usage
 * text), and the one option loop and error path they share (options.c).
 *
 * A command is gcb_cmd_X(argc, argv, full_argv): argv[0] is the command's
 * name, full_argv the whole command line (for the commands that re-execute
 * gcbench).  Adding a command: one cmd_X.c, one line in main.c's table,
 * one meson line.
 */
#ifndef GCB_CLI_H
#define GCB_CLI_H

#include <getopt.h>
#include <stddef.h>

#include "bench/exit.h"

/* ------------------------------------------------------- "options.c" */

typedef struct gcb_cli_spec {
    const char *name;              /* "matrix": in "(see gcbench matrix --help)" */
    const char *prefix;            /* "matrix" in "gcbench: matrix: ..."; NULL: none */
    const char *help;              /* printed on -h/--help (then exit 0) */
    const char *shortopts;         /* getopt's, starting with ':' (or "+:" to stop at a command) */
    const struct option *longopts;
} gcb_cli_spec_t;

typedef struct gcb_cli {
    const gcb_cli_spec_t *spec;
    int argc;
    char **argv;
    const char *arg;               /* the value of the option just returned */
    int optind;                    /* argv index of the first argument not yet read */
} gcb_cli_t;

void gcb_cli_start(gcb_cli_t *c, const gcb_cli_spec_t *spec, int argc, char **argv);
/* The next option's val, or -1 after the last option (c->optind is then
 * the first positional argument).  -h/--help, a missing value and an
 * unknown option never return (exit 0, 2, 2). */
int gcb_cli_next(gcb_cli_t *c);
/* Bad input when positional arguments are left. */
void gcb_cli_no_more(const gcb_cli_t *c);

/* ----------------------------------------------------- "cmd_plot.c" */

struct gcb_plot_opts;
struct gcb_rset;
/* Shared by `gcbench plot` and `gcbench report` (bad input exits 2 with
 * "gcbench: COMMAND: ..."): add a --timeline filter; load a result
 * directory and resolve the baseline ("" note when the default applied
 * as asked). */
void gcb_plot_cli_timeline(struct gcb_plot_opts *o, const char *filter, const char *command);
void gcb_plot_cli_load(const char *dir, const char *baseline, const char *command, struct gcb_rset *rs,
                       char *base, size_t baselen, char *note, size_t notelen);
/* Exit 2 naming what the directory holds when a --timeline filter
 * matches no cell of it (before any work). */
void gcb_plot_cli_timeline_check(const struct gcb_rset *rs, const struct gcb_plot_opts *o, const char *command);


/* ------------------------------------------------------ the commands */

int gcb_cmd_list(int argc, char **argv, char **full_argv);
int gcb_cmd_run(int argc, char **argv, char **full_argv);
int gcb_cmd_matrix(int argc, char **argv, char **full_argv);
int gcb_cmd_compare(int argc, char **argv, char **full_argv);
int gcb_cmd_merge(int argc, char **argv, char **full_argv);
int gcb_cmd_plot(int argc, char **argv, char **full_argv);
int gcb_cmd_report(int argc, char **argv, char **full_argv);
int gcb_cmd_trace(int argc, char **argv, char **full_argv);
int gcb_cmd_validate(int argc, char **argv, char **full_argv);

#endif
