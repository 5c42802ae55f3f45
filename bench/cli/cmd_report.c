/*
 * bench/cli/cmd_report.c - `gcbench report DIR`: the figures, then
 * DIR/report.md (bench/report/report.c).
 */
#include <stdio.h>
#include <string.h>

#include "bench/cli/cli.h"
#include "bench/report/report.h"

static const char report_help[] =
    "usage: gcbench report DIR [--baseline ALLOCATOR/COLLECTOR] [--timeline FILTER]... [--bars]\n"
    "                          [--no-plots]\n"
    "\n"
    "Write DIR/report.md for a result directory: the context (machine, build, spec), a\n"
    "table per workload (median ops/s and peak RSS with 95% intervals, relative to the\n"
    "baseline, the best in bold), the failed runs, and the figures, which it draws first\n"
    "into DIR/plots as `gcbench plot` does.  `gcbench matrix` writes the same at its end.\n"
    "\n"
    "  --baseline A/C      the configuration ratios are relative to (default glibc/rc, or\n"
    "                      the first one when DIR has no glibc/rc cell)\n"
    "  --timeline FILTER   cells whose timeline is drawn (see gcbench plot --help)\n"
    "      --bars          draw the bar figures (throughput, peak_rss, gc_pauses) whatever\n"
    "                      the number of configurations (see gcbench plot --help)\n"
    "      --no-plots      write the report without drawing the figures\n"
    "  -h, --help          this text\n"
    "\n"
    "Exit status: 0 report and every figure written, 1 a figure or the report could not be\n"
    "written, 2 bad input, 4 report written but no figure drawn (no gnuplot).\n";

#define die_usage(...) gcb_usage_error("report", __VA_ARGS__)

int gcb_cmd_report(int argc, char **argv, char **full_argv)
{
    static const struct option opts[] = {
        { "baseline", required_argument, NULL, 'b' },
        { "timeline", required_argument, NULL, 't' },
        { "no-plots", no_argument, NULL, 'N' },
        { "bars", no_argument, NULL, 'B' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    gcb_plot_opts_t o;
    memset(&o, 0, sizeof o);
    const char *baseline = NULL;
    int no_plots = 0;
    char err[2048];
    static const gcb_cli_spec_t spec = { "report", "report", report_help, ":h", opts };
    gcb_cli_t cli;
    gcb_cli_start(&cli, &spec, argc, argv);
    int ch;
    while ((ch = gcb_cli_next(&cli)) != -1) {
        switch (ch) {
        case 'b': baseline = cli.arg; break;
        case 't': gcb_plot_cli_timeline(&o, cli.arg, "report"); break;
        case 'N': no_plots = 1; break;
        case 'B': o.bars = 1; break;
        }
    }
    if (argc - cli.optind != 1)
        die_usage("give one result directory (see gcbench report --help)");
    gcb_rset_t rs;
    char base[GCB_LABEL_MAX], note[512];
    gcb_plot_cli_load(argv[cli.optind], baseline, "report", &rs, base, sizeof base, note, sizeof note);
    if (gcb_report_check(rs.dir, no_plots, err, sizeof err))
        die_usage("%s", err); /* before any work (docs/promises.md) */
    gcb_plot_cli_timeline_check(&rs, &o, "report");
    o.baseline = base;
    gcb_plot_out_t out;
    memset(&out, 0, sizeof out);
    int rc = GCB_EXIT_OK;
    if (!no_plots)
        rc = gcb_plot(&rs, &o, &out, "report");
    if (gcb_report_write(&rs, base, note, no_plots ? NULL : &out, err, sizeof err)) {
        fprintf(stderr, "gcbench: report: %s\n", err);
        rc = GCB_EXIT_FAIL;
    } else {
        size_t drawn = gcb_plot_drawn(&out);
        fprintf(stderr, "gcbench: report: %s/report.md written", rs.dir);
        if (!no_plots)
            fprintf(stderr, ", %zu of %zu figures drawn in %s", drawn, out.n, out.outdir);
        fputc('\n', stderr);
    }
    gcb_plot_out_free(&out);
    gcb_rset_free(&rs);
    return rc;
}
