/*
 * bench/cli/cmd_trace.c - `gcbench trace`: its usage text and options;
 * the recording is bench/trace/capture.c's.
 */
#include "bench/cli/cli.h"

#include "bench/trace/capture.h"

#include <getopt.h>
#include <stddef.h>

static const char trace_help[] =
    "usage: gcbench trace -o FILE -- CMD [ARGS...]\n"
    "\n"
    "Run CMD with libgcbtrace.so preloaded and record every malloc, calloc,\n"
    "realloc, free and aligned allocation it makes into FILE (format:\n"
    "docs/traces.md).  PYTHONMALLOC=malloc is set, so a python3 CMD shows its\n"
    "object allocations.  Replay the trace with\n"
    "  gcbench run -a ALLOCATOR -c rc -w replay -p trace=FILE\n"
    "\n"
    "  -o, --output FILE   where the trace goes (overwritten)\n"
    "  -h, --help          this text\n"
    "\n"
    "Exit status: 0 success, 1 CMD failed or left no complete trace, 2 bad input.\n";

int gcb_cmd_trace(int argc, char **argv, char **full_argv)
{
    static const struct option opts[] = {
        { "output", required_argument, NULL, 'o' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    /* "+": the options end at the command (or at "--") */
    static const gcb_cli_spec_t spec = { "trace", NULL, trace_help, "+:o:h", opts };
    gcb_cli_t cli;
    gcb_cli_start(&cli, &spec, argc, argv);
    const char *outpath = NULL;
    int ch;
    while ((ch = gcb_cli_next(&cli)) != -1)
        if (ch == 'o') {
            if (outpath)
                gcb_usage_error(NULL, "-o given twice ('%s', then '%s'): give one output file", outpath, cli.arg);
            outpath = cli.arg;
        }
    if (!outpath)
        gcb_usage_error(NULL, "trace needs -o FILE (see gcbench trace --help)");
    if (cli.optind >= argc)
        gcb_usage_error(NULL, "trace needs a command to run after -- (see gcbench trace --help)");
    return gcb_trace_capture(outpath, argv + cli.optind);
}
