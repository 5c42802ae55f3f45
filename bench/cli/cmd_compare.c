/*
 * bench/cli/cmd_compare.c - `gcbench compare`: its usage text and options;
 * the comparison is bench/analysis/compare.c's.
 */
#include "bench/cli/cli.h"

#include "bench/analysis/compare.h"
#include "bench/resultdir/filter.h"
#include "bench/resultdir/keys.h"
#include "util/params.h"

#include <getopt.h>
#include <math.h>
#include <string.h>

static const char compare_help[] =
    "usage: gcbench compare A B [--alpha P] [--fail-above PCT] [--metric NAME] [--allow-mixed-hosts]\n"
    "       gcbench compare DIR FILTER_A FILTER_B [options]\n"
    "\n"
    "Compare two result directories cell by cell (or, in one directory, the cells that\n"
    "FILTER_A selects with their counterparts that FILTER_B selects, both KEY=VALUE\n"
    "filters, e.g. `gcbench compare results/x allocator=glibc allocator=jemalloc`).\n"
    "\n"
    "For each cell: median of A and of B, ratio B/A, its 95% confidence interval\n"
    "(Moses/Hodges-Lehmann on log values), the two-sided Mann-Whitney U p-value, and\n"
    "'*' when p < alpha; a geometric-mean row at the end.\n"
    "\n"
    "  --alpha P          significance level (default 0.05)\n"
    "  --fail-above PCT   exit 1 if a cell got worse by more than PCT percent and the\n"
    "                     change is significant (or the sample is too small to tell)\n"
    "  --metric NAME      ops_per_sec (default; higher is better), peak_rss_bytes, wall_s,\n"
    "                     user_s, minor_faults, fragmentation, gc.gc_time_s,\n"
    "                     gc.pause_ns.p99, ... (any numeric field; lower is better)\n"
    "  --allow-mixed-hosts compare cells whose runs come from different hosts (refused\n"
    "                     otherwise: a host difference is not an allocator difference)\n"
    "  -h, --help         this text\n"
    "\n"
    GCB_FILTER_HELP
    "\n"
    "Exit status: 0, 1 a regression above --fail-above, 2 bad input.\n";

#define die_usage(...) gcb_usage_error("compare", __VA_ARGS__)

int gcb_cmd_compare(int argc, char **argv, char **full_argv)
{
    (void)full_argv;
    static const struct option opts[] = {
        { "alpha", required_argument, NULL, 'A' },
        { "fail-above", required_argument, NULL, 'F' },
        { "metric", required_argument, NULL, 'M' },
        { "allow-mixed-hosts", no_argument, NULL, 'H' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    gcb_compare_opts_t o = { .alpha = 0.05, .fail_above = NAN, .metric = GCB_K_OPS };
    char err[1024];
    static const gcb_cli_spec_t cli_spec = { "compare", "compare", compare_help, ":h", opts };
    gcb_cli_t cli;
    gcb_cli_start(&cli, &cli_spec, argc, argv);
    int ch;
    while ((ch = gcb_cli_next(&cli)) != -1) {
        switch (ch) {
        case 'A':
            if (gcb_parse_double(cli.arg, &o.alpha) || o.alpha <= 0 || o.alpha >= 1)
                die_usage("--alpha '%s': give a decimal number greater than 0 and less than 1, e.g. 0.05", cli.arg);
            break;
        case 'F':
            if (gcb_opt_double("--fail-above (percent)", cli.arg, 0, 1e6, &o.fail_above, err, sizeof err))
                die_usage("%s", err);
            break;
        case 'M': o.metric = cli.arg; break;
        case 'H': o.allow_mixed = 1; break;
        }
    }
    int npos = argc - cli.optind;
    if (npos != 2 && npos != 3)
        die_usage("give two result directories, or one directory and two filters (see gcbench compare --help)");
    o.dir_a = argv[cli.optind];
    if (npos == 2) {
        o.dir_b = argv[cli.optind + 1];
    } else {
        o.filter_a = argv[cli.optind + 1];
        o.filter_b = argv[cli.optind + 2];
    }
    return gcb_compare(&o);
}
