/*
 * bench/cli/cmd_plot.c - `gcbench plot DIR`: the figures of a result
 * directory (bench/report/plot/), and the options `gcbench report` shares
 * with it (--timeline, loading DIR and resolving --baseline).
 */
#include <stdio.h>
#include <string.h>

#include "bench/cli/cli.h"
#include "bench/report/plot/plot.h"
#include "bench/resultdir/filter.h"

#define HELP_STR_(x) #x
#define HELP_STR(x) HELP_STR_(x) /* a tunable's value in the help */

static const char plot_help[] =
    "usage: gcbench plot DIR [--baseline ALLOCATOR/COLLECTOR] [--timeline FILTER]... [--bars]\n"
    "                        [--out PLOTDIR]\n"
    "\n"
    "Draw the figures of a result directory with gnuplot, each as PNG and SVG, into\n"
    "DIR/plots (or PLOTDIR): throughput and peak RSS per workload relative to the\n"
    "baseline, GC pause percentiles per collector, live bytes and RSS over time,\n"
    "parameter sweeps (when DIR has one), and the time-memory trade-off with its\n"
    "Pareto front.  Beside each figure: NAME.dat (the numbers) and NAME.gp (the\n"
    "script; edit it and run `gnuplot NAME.gp` to redraw).  docs/plots.md.\n"
    "\n"
    "Throughput and peak RSS are drawn twice: throughput_heatmap and peak_rss_heatmap,\n"
    "always (one row per allocator/collector configuration, one column per workload,\n"
    "each cell the ratio of medians to the baseline's, blue better, red worse, in\n"
    "parentheses when a Mann-Whitney U test gives p >= " HELP_STR(GCB_PLOT_HEATMAP_ALPHA) ", 'fail' when every run\n"
    "failed), and throughput and peak_rss, bars with 95% CIs, only when there are at\n"
    "most " HELP_STR(GCB_PLOT_BARS_MAX_CONFIGS) " configurations (more bars are unreadable; the heatmaps replace them).\n"
    "GC pauses likewise: gc_pauses_heatmap whenever a run paused (one row per\n"
    "configuration that paused, grouped by collector, one column per workload, each\n"
    "cell the median p99 pause over the runs and the longest pause, log colour\n"
    "scale), and gc_pauses, p50, p99 and max bars per collector, under the same rule.\n"
    "\n"
    "  --baseline A/C      the configuration ratios are relative to (default glibc/rc,\n"
    "                      or the first one when DIR has no glibc/rc cell)\n"
    "  --timeline FILTER   cells whose timeline is drawn; repeatable (FILTER below)\n"
    "                      (default: two comparisons side by side, (a) every allocator\n"
    "                      under the baseline's collector, coloured by allocator, and\n"
    "                      (b) every collector under its allocator, coloured by\n"
    "                      collector; the chosen cells make one column)\n"
    "      --bars          draw the bar figures (throughput, peak_rss, gc_pauses) whatever\n"
    "                      the number of configurations\n"
    "      --out PLOTDIR   write the figures there instead of DIR/plots\n"
    "  -h, --help          this text\n"
    "\n"
    GCB_FILTER_HELP
    "\n"
    "gnuplot: $GCBENCH_GNUPLOT (a path, or none), else the one found at build time, else PATH.\n"
    "Exit status: 0 every figure drawn, 1 gnuplot failed on a figure or a file could not be\n"
    "written, 2 bad input, 4 no gnuplot: data files and scripts written, no figure drawn.\n";

size_t gcb_plot_drawn(const gcb_plot_out_t *out)
{
    size_t drawn = 0;
    for (size_t i = 0; i < out->n; i++)
        drawn += (size_t)out->fig[i].drawn;
    return drawn;
}

void gcb_plot_cli_timeline(gcb_plot_opts_t *o, const char *filter, const char *command)
{
    char err[2048];
    gcb_filter_t f;
    if (gcb_filter_parse(filter, &f, err, sizeof err))
        gcb_usage_error(command, "--timeline: %s", err);
    if (o->ntimeline == GCB_PLOT_MAX_FILTERS)
        gcb_usage_error(command, "--timeline: at most %d filters", GCB_PLOT_MAX_FILTERS);
    o->timeline[o->ntimeline++] = filter;
}

void gcb_plot_cli_timeline_check(const gcb_rset_t *rs, const gcb_plot_opts_t *o, const char *command)
{
    for (size_t k = 0; k < o->ntimeline; k++) {
        size_t i = 0;
        while (i < rs->ncells && !gcb_rset_match(&rs->cells[i], o->timeline[k]))
            i++;
        if (i < rs->ncells)
            continue;
        gcb_filter_t f;
        char err[2048];
        gcb_filter_parse(o->timeline[k], &f, err, sizeof err);
        gcb_filter_no_match(&f, rs->dir, rs->runs.line, rs->runs.n, err, sizeof err);
        gcb_usage_error(command, "--timeline: %s", err);
    }
}

void gcb_plot_cli_load(const char *dir, const char *baseline, const char *command, gcb_rset_t *rs,
                       char *base, size_t baselen, char *note, size_t notelen)
{
    char err[2048];
    if (gcb_rset_load(dir, rs, err, sizeof err))
        gcb_usage_error(command, "%s", err);
    if (gcb_rset_baseline(rs, baseline, base, baselen, note, notelen, err, sizeof err))
        gcb_usage_error(command, "%s", err);
}

#define die_usage(...) gcb_usage_error("plot", __VA_ARGS__)

int gcb_cmd_plot(int argc, char **argv, char **full_argv)
{
    static const struct option opts[] = {
        { "baseline", required_argument, NULL, 'b' },
        { "timeline", required_argument, NULL, 't' },
        { "out", required_argument, NULL, 'o' },
        { "bars", no_argument, NULL, 'B' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    gcb_plot_opts_t o;
    memset(&o, 0, sizeof o);
    const char *baseline = NULL;
    static const gcb_cli_spec_t spec = { "plot", "plot", plot_help, ":h", opts };
    gcb_cli_t cli;
    gcb_cli_start(&cli, &spec, argc, argv);
    int ch;
    while ((ch = gcb_cli_next(&cli)) != -1) {
        switch (ch) {
        case 'b': baseline = cli.arg; break;
        case 't': gcb_plot_cli_timeline(&o, cli.arg, "plot"); break;
        case 'o': o.outdir = cli.arg; break;
        case 'B': o.bars = 1; break;
        }
    }
    if (argc - cli.optind != 1)
        die_usage("give one result directory (see gcbench plot --help)");
    gcb_rset_t rs;
    char base[GCB_LABEL_MAX], note[512];
    gcb_plot_cli_load(argv[cli.optind], baseline, "plot", &rs, base, sizeof base, note, sizeof note);
    if (note[0])
        fprintf(stderr, "gcbench: plot: note: %s\n", note);
    o.baseline = base;
    char err[4600];
    if (gcb_plot_check(&rs, &o, err, sizeof err))
        die_usage("%s", err); /* before any work (docs/promises.md) */
    gcb_plot_cli_timeline_check(&rs, &o, "plot");
    gcb_plot_out_t out;
    int rc = gcb_plot(&rs, &o, &out, "plot");
    size_t drawn = gcb_plot_drawn(&out);
    for (size_t i = 0; i < out.nskipped; i++)
        fprintf(stderr, "gcbench: plot: not drawn: %s\n", out.skipped[i]);
    if (!out.gnuplot_missing)
        fprintf(stderr, "gcbench: plot: %zu of %zu figures drawn in %s\n", drawn, out.n, out.outdir);
    gcb_plot_out_free(&out);
    gcb_rset_free(&rs);
    return rc;
}
