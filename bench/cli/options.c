/*
 * bench/cli/options.c - the one option loop every command uses (bad input
 * goes through bench/exit.c's gcb_usage_error).
 *
 * gcb_cli_next wraps getopt_long with the errors every command words the
 * same way: "option '--x' needs a value (see gcbench CMD --help)", "unknown
 * option '--x' (see ...)", and -h/--help printing the command's usage text
 * on stdout and exiting 0.  Bad input is one line on stderr, "gcbench:
 * [COMMAND: ]what is wrong and what is accepted", and exit status 2
 * (docs/architecture.md: bad input never crashes and never leaves a
 * half-written file, so commands check their input before writing).
 */
#include "bench/cli/cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

void gcb_cli_start(gcb_cli_t *c, const gcb_cli_spec_t *spec, int argc, char **argv)
{
    c->spec = spec;
    c->argc = argc;
    c->argv = argv;
    c->arg = NULL;
    optind = 1;
    opterr = 0;
}

int gcb_cli_next(gcb_cli_t *c)
{
    const gcb_cli_spec_t *s = c->spec;
    int ch = getopt_long(c->argc, c->argv, s->shortopts, s->longopts, NULL);
    c->arg = optarg;
    c->optind = optind;
    switch (ch) {
    case -1:
        return -1;
    case 'h':
        fputs(s->help, stdout);
        exit(GCB_EXIT_OK);
    case ':':
        gcb_usage_error(s->prefix, "option '%s' needs a value (see gcbench %s --help)", c->argv[optind - 1],
                        s->name);
    case '?':
        gcb_usage_error(s->prefix, "unknown option '%s' (see gcbench %s --help)", c->argv[optind - 1], s->name);
    default:
        return ch;
    }
}

void gcb_cli_no_more(const gcb_cli_t *c)
{
    if (c->optind < c->argc)
        gcb_usage_error(c->spec->prefix, "unexpected argument '%s' (see gcbench %s --help)", c->argv[c->optind],
                        c->spec->name);
}
