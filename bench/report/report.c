/*
 * bench/report/report.c - DIR/report.md, the page a user reads first: the
 * context of the measurement, one table per workload (median ops/s and
 * peak RSS with their intervals, relative to the baseline, the best in
 * bold), the failed runs, and the figures of bench/report/plot/plot.c embedded.
 *
 * `gcbench matrix` writes it at its end (gcb_report_after_matrix);
 * `gcbench report DIR` writes it again for any result directory (say after
 * a resume, a merge, or with another baseline).  The figures are drawn
 * first, so the page embeds only figures that exist; without gnuplot it
 * says so and links the data files and scripts instead.
 *
 * Statistics are those of `gcbench compare` and summary.csv (bench/analysis/stats.c):
 * the interval of a median is its order-statistic 95% CI, which needs 6
 * runs; with fewer the range of the runs is shown and starred.  A ratio's
 * interval is the Moses CI (needs 4 runs a side), else the range of the
 * runs over the baseline median, starred.
 */
#include "bench/exit.h"
#include "bench/report/report.h"
#include "bench/report/answer.h"
#include "bench/report/format.h"
#include "bench/report/threads.h"
#include "bench/analysis/validate.h"
#include "bench/resultdir/files.h"
#include "bench/analysis/stats.h"
#include "bench/cluster/cluster.h"
#include "util/outpath.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One table cell: text without the characters that would break a row. */
static void md_text(FILE *f, const char *s, size_t max)
{
    size_t n = 0;
    for (; *s && n < max; s++, n++) {
        if (*s == '|')
            fputs("\\|", f);
        else if (*s == '\n' || *s == '\r' || *s == '\t')
            fputc(' ', f);
        else if (*s == '`')
            fputc('\'', f);
        else
            fputc(*s, f);
    }
    if (*s)
        fputs("...", f);
}

/* "75.8 M" and its interval "73.5 M .. 76.3 M" (starred below 95%). */
static void fmt_median(const gcb_rcell_t *c, gcb_metric_t m, const char *unit, char *med, size_t mn, char *ci,
                       size_t cn)
{
    if (!c->n[m]) {
        snprintf(med, mn, "-");
        snprintf(ci, cn, "-");
        return;
    }
    double lo, hi, cov;
    double v = gcb_rset_median(c, m, &lo, &hi, &cov);
    gcb_fmt_human(med, mn, v, unit);
    char l[32], h[32];
    gcb_fmt_human(l, sizeof l, lo, unit);
    gcb_fmt_human(h, sizeof h, hi, unit);
    snprintf(ci, cn, "%s .. %s%s", l, h, cov < 0.95 ? "*" : "");
}

static void fmt_ratio(const gcb_rset_t *rs, const gcb_rcell_t *c, const char *baseline, gcb_metric_t m, char *b,
                      size_t n)
{
    const gcb_rcell_t *base = gcb_rset_base_cell(rs, c, baseline);
    if (base == c) {
        snprintf(b, n, "baseline");
        return;
    }
    double lo, hi;
    const char *how;
    double r = gcb_rset_ratio(c, base, m, &lo, &hi, &how);
    if (isnan(r))
        snprintf(b, n, "-");
    else
        snprintf(b, n, "%.3g (%.3g..%.3g)%s", r, lo, hi, strcmp(how, "range") == 0 ? "*" : "");
}

/* The run rows of the context: id, when, how long, the command line. */
static void context_run_rows(FILE *f, json_t *rj)
{
    char took[64];
    gcb_fmt_elapsed(took, sizeof took, json_number_value(json_object_get(rj, GCB_K_LAST_SESSION)));
    if (json_object_get(rj, GCB_K_MERGED_FROM))
        fprintf(f, "| run | `%s`, made by `gcbench merge` (sources below) |\n",
                gcb_json_str(rj, GCB_K_RUN_ID)[0] ? gcb_json_str(rj, GCB_K_RUN_ID) : "-");
    else {
        fprintf(f, "| run | `%s`, started %s, ", gcb_json_str(rj, GCB_K_RUN_ID)[0] ? gcb_json_str(rj, GCB_K_RUN_ID) : "-",
                gcb_json_str(rj, GCB_K_STARTED)[0] ? gcb_json_str(rj, GCB_K_STARTED) : "-");
        if (gcb_json_str(rj, GCB_K_FINISHED)[0])
            fprintf(f, "finished %s (last session %s)", gcb_json_str(rj, GCB_K_FINISHED), took);
        else
            fputs("not finished (interrupted: `gcbench matrix --resume DIR` runs the rest)", f);
        fputs(" |\n", f);
    }
    json_t *cmd = json_object_get(rj, GCB_K_COMMAND);
    if (json_array_size(cmd)) {
        fputs("| command | `", f);
        size_t i;
        json_t *a;
        json_array_foreach(cmd, i, a)
        {
            if (i)
                fputc(' ', f);
            md_text(f, json_string_value(a) ? json_string_value(a) : "", 200);
        }
        fputs("` |\n", f);
    }
}

/* The machine rows of the context: host, pages, build, libraries. */
static void context_machine_rows(FILE *f, json_t *ctx)
{
    char mem[32];
    gcb_fmt_human(mem, sizeof mem, json_number_value(json_object_get(ctx, GCB_K_MEMORY)), "B");
    fprintf(f, "| machine | %s: %s, %lld CPUs, %s memory, Linux %s %s |\n", gcb_json_str(ctx, GCB_K_HOST),
            gcb_json_str(ctx, GCB_K_CPU_MODEL), (long long)json_integer_value(json_object_get(ctx, GCB_K_CPU_COUNT)), mem,
            gcb_json_str(ctx, GCB_K_KERNEL), gcb_json_str(ctx, GCB_K_ARCH));
    json_t *fpr = json_object_get(ctx, GCB_K_FPR);
    if (json_object_get(ctx, GCB_K_THP) || json_is_boolean(fpr))
        fprintf(f, "| pages | transparent huge pages: %s%s |\n",
                gcb_json_str(ctx, GCB_K_THP)[0] ? gcb_json_str(ctx, GCB_K_THP) : "unknown",
                json_is_true(fpr) ? "; a virtio balloon reports free pages to the host, so huge pages arrive "
                                    "cold and huge-page cells are slower and noisier than on bare metal"
                                  : "");
    fprintf(f, "| build | gcbench %s, %s, commit `%s` |\n", gcb_json_str(ctx, GCB_K_VERSION), gcb_json_str(ctx, GCB_K_COMPILER),
            gcb_json_str(ctx, GCB_K_GIT_COMMIT)[0] ? gcb_json_str(ctx, GCB_K_GIT_COMMIT) : "unknown");
    json_t *libs = json_object_get(ctx, GCB_K_LIBRARIES);
    if (json_object_size(libs)) {
        fputs("| libraries |", f);
        const char *k;
        json_t *v;
        int first = 1;
        json_object_foreach(libs, k, v)
        {
            if (strcmp(k, "malloc_in_effect") == 0 || !json_string_value(v) || !*json_string_value(v))
                continue;
            fprintf(f, "%s %s %s", first ? "" : ",", k, json_string_value(v));
            first = 0;
        }
        fputs(" |\n", f);
    }
}

/* The spec row: the lists, the parameter axes, repetitions and limits. */
static void context_spec_row(FILE *f, json_t *spec)
{
    fputs("| spec |", f);
    static const char *const lists[] = { GCB_K_SP_ALLOCATORS, GCB_K_SP_COLLECTORS, GCB_K_SP_WORKLOADS };
    for (int l = 0; l < 3; l++) {
        fprintf(f, " %s:", lists[l]);
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(spec, lists[l]), i, v) fprintf(f, "%s %s", i ? "," : "",
                                                                            json_string_value(v));
        fputc(';', f);
    }
    size_t i;
    json_t *ax;
    json_array_foreach(json_object_get(spec, GCB_K_SP_AXES), i, ax)
    {
        fprintf(f, " %s =", gcb_json_str(ax, GCB_K_SP_KEY));
        size_t j;
        json_t *v;
        json_array_foreach(json_object_get(ax, GCB_K_SP_VALUES), j, v) fprintf(f, "%s %s", j ? "," : "",
                                                                          json_string_value(v));
        fputc(';', f);
    }
    char lim[32];
    json_int_t ml = json_integer_value(json_object_get(spec, GCB_K_SP_MEMLIMIT));
    if (ml > 0)
        gcb_fmt_human(lim, sizeof lim, (double)ml, "B");
    else
        snprintf(lim, sizeof lim, "none");
    fprintf(f, " %lld repetitions after 1 warm-up per cell, in a random order per round; seed %lld; "
               "timeout %g s and memory limit %s per run; timeline %s |\n",
            (long long)json_integer_value(json_object_get(spec, GCB_K_SP_REPS)),
            (long long)json_integer_value(json_object_get(spec, GCB_K_SEED)),
            json_number_value(json_object_get(spec, GCB_K_SP_TIMEOUT)), lim,
            json_is_true(json_object_get(spec, GCB_K_TIMELINE)) ? "on" : "off");
}

/* The budget's chosen scale and the sources of a merged directory. */
static void context_scale_merge_rows(FILE *f, json_t *rj)
{
    json_t *budget = json_object_get(rj, GCB_K_BUDGET);
    if (budget)
        fprintf(f, "| scale | %g, the largest whose estimated time (%.0f s) fit the %g s budget (docs/matrix.md) |\n",
                json_number_value(json_object_get(budget, GCB_K_CHOSEN_SCALE)),
                json_number_value(json_object_get(budget, GCB_K_ESTIMATED_S)),
                json_number_value(json_object_get(budget, GCB_K_BUDGET_S)));
    json_t *merged = json_object_get(rj, GCB_K_MERGED_FROM);
    if (json_array_size(merged)) {
        fprintf(f, "| merged | from %zu result directories:", json_array_size(merged));
        size_t i;
        json_t *m;
        json_array_foreach(merged, i, m) fprintf(f, "%s `%s` (%s)", i ? "," : "", gcb_json_str(m, GCB_K_RUN_ID),
                                                 gcb_json_str(json_object_get(m, GCB_K_CONTEXT), GCB_K_HOST));
        fprintf(f, "%s |\n", json_is_true(json_object_get(rj, GCB_K_MIXED_HOSTS)) ? "; **hosts mixed in cells**" : "");
    }
}

static void context_section(FILE *f, const gcb_rset_t *rs)
{
    json_t *rj = rs->runjson, *ctx = gcb_rset_context(rs);
    json_t *spec = json_object_get(rj, GCB_K_SPEC);
    fputs("## Context\n\n| | |\n| --- | --- |\n", f);
    if (rj)
        context_run_rows(f, rj);
    if (ctx)
        context_machine_rows(f, ctx);
    if (spec)
        context_spec_row(f, spec);
    context_scale_merge_rows(f, rj);
    gcb_hosts_context_row(f, &rs->runs, rj); /* when several machines made the runs */
    fprintf(f, "| runs | %zu ok, %zu failed, in %zu cells |\n\n", rs->runs_ok, rs->runs_failed, rs->ncells);
}

static void workload_tables(FILE *f, const gcb_rset_t *rs, const char *baseline)
{
    fputs("## Results per workload\n\n", f);
    fprintf(f, "Each row is one configuration (allocator/collector, and the parameters that differ between the "
               "cells of the workload). ops/s and peak RSS are medians of the ok runs; the interval beside "
               "each is the 95%% confidence interval of the median from order statistics, or, with fewer than 6 "
               "runs, the range of the runs (starred: its coverage is lower, 75%% with 3 runs). \"vs %s\" is the "
               "ratio of the medians to the %s cell of the same workload, with the 95%% Moses interval of the "
               "ratio as `gcbench compare` computes it (starred: too few runs for it, the range of the runs over "
               "the baseline median). **Bold**: the best median of the column (most ops/s, least peak RSS). Peak "
               "RSS is the whole process's resident set as `wait4` reports it; p99 pause is the median over runs "
               "of each run's 99th-percentile collection pause. \"unstable\": the ops/s of the runs spread by more "
               "than 5%% (1.4826 * MAD / median), too much to resolve a 10%% difference (docs/matrix.md).\n\n",
            baseline, baseline);
    for (size_t w = 0; w < rs->nwl; w++) {
        const gcb_rcell_t *first = NULL;
        double best_ops = -INFINITY, best_rss = INFINITY;
        for (size_t i = 0; i < rs->ncells; i++) {
            const gcb_rcell_t *c = &rs->cells[i];
            if (strcmp(c->wl, rs->wl[w]) != 0)
                continue;
            first = first ? first : c;
            if (c->n[GCB_M_OPS]) {
                double v = gcb_median(c->v[GCB_M_OPS], c->n[GCB_M_OPS]);
                best_ops = v > best_ops ? v : best_ops;
            }
            if (c->n[GCB_M_RSS]) {
                double v = gcb_median(c->v[GCB_M_RSS], c->n[GCB_M_RSS]);
                best_rss = v < best_rss ? v : best_rss;
            }
        }
        if (!first)
            continue;
        fprintf(f, "### %s%s%s%s\n\n", rs->wl[w], first->wl_params[0] ? " (" : "", first->wl_params,
                first->wl_params[0] ? ")" : "");
        json_t *unit = NULL;
        for (size_t i = 0; i < rs->runs.n && !unit; i++)
            if (strcmp(gcb_json_str(rs->runs.line[i], GCB_K_WORKLOAD), rs->wl[w]) == 0 &&
                json_is_string(json_object_get(rs->runs.line[i], GCB_K_OPS_UNIT)))
                unit = json_object_get(rs->runs.line[i], GCB_K_OPS_UNIT);
        if (unit)
            fprintf(f, "One op: %s.\n\n", json_string_value(unit));
        gcb_hosts_figure_note(f, &rs->runs, rs->wl[w]);
        int has_base = 0;
        for (size_t i = 0; i < rs->ncells; i++)
            has_base |= strcmp(rs->cells[i].wl, rs->wl[w]) == 0 && strcmp(rs->cells[i].base, baseline) == 0;
        if (!has_base)
            fprintf(f, "(No %s cell on this workload: no ratios.)\n\n", baseline);
        fprintf(f, "| configuration | ops/s | 95%% CI | vs %s | peak RSS | 95%% CI | vs %s | p99 pause | runs |\n",
                baseline, baseline);
        fputs("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n", f);
        for (size_t i = 0; i < rs->ncells; i++) {
            const gcb_rcell_t *c = &rs->cells[i];
            if (strcmp(c->wl, rs->wl[w]) != 0)
                continue;
            char om[32], oci[80], rm[32], rci[80], orat[80], rrat[80], p99[32];
            fmt_median(c, GCB_M_OPS, "", om, sizeof om, oci, sizeof oci);
            fmt_median(c, GCB_M_RSS, "B", rm, sizeof rm, rci, sizeof rci);
            fmt_ratio(rs, c, baseline, GCB_M_OPS, orat, sizeof orat);
            fmt_ratio(rs, c, baseline, GCB_M_RSS, rrat, sizeof rrat);
            gcb_fmt_duration3_ns(p99, sizeof p99, c->n[GCB_M_P99] ? gcb_median(c->v[GCB_M_P99], c->n[GCB_M_P99]) : NAN);
            int bo = c->n[GCB_M_OPS] && gcb_median(c->v[GCB_M_OPS], c->n[GCB_M_OPS]) == best_ops;
            int br = c->n[GCB_M_RSS] && gcb_median(c->v[GCB_M_RSS], c->n[GCB_M_RSS]) == best_rss;
            fputs("| ", f);
            md_text(f, c->series, 200);
            fprintf(f, " | %s%s%s | %s | %s | %s%s%s | %s | %s | %s | %zu", bo ? "**" : "", om, bo ? "**" : "", oci,
                    orat, br ? "**" : "", rm, br ? "**" : "", rci, rrat, p99, c->nok);
            if (c->nfail)
                fprintf(f, " + %zu failed", c->nfail);
            double rcv = gcb_robust_cv(c->v[GCB_M_OPS], c->n[GCB_M_OPS]);
            if (rcv > GCB_UNSTABLE_RCV)
                fprintf(f, " (unstable: %.0f%% spread)", rcv * 100);
            fputs(" |\n", f);
        }
        fputc('\n', f);
    }
}

/* Lines of runs.jsonl the load did not trust (issue 10: a corrupt line is
 * skipped with a warning and counted in the report), said only when there
 * are some, so a clean directory's report is unchanged. */
static void skipped_lines_note(FILE *f, const gcb_rset_t *rs)
{
    size_t inv = gcb_rset_invalid_lines(rs), dup = gcb_rset_duplicate_lines(rs);
    if (inv)
        fprintf(f, "%zu line%s of runs.jsonl %s skipped: not a record of a known schema (the warnings of "
                   "`gcbench report` name each file and line).\n\n",
                inv, inv == 1 ? "" : "s", inv == 1 ? "was" : "were");
    if (dup)
        fprintf(f, "%zu line%s of runs.jsonl repeated an earlier (cell, repetition) and %s counted once.\n\n",
                dup, dup == 1 ? "" : "s", dup == 1 ? "was" : "were");
}

static void failures_section(FILE *f, const gcb_rset_t *rs)
{
    fputs("## Failures\n\n", f);
    skipped_lines_note(f, rs);
    if (!rs->runs_failed) {
        fputs("None: every recorded run succeeded.\n\n", f);
        return;
    }
    fprintf(f, "%zu recorded run%s failed (docs/matrix.md says what each kind means; runs.jsonl holds the last "
               "2000 bytes of each one's stderr).\n\n",
            rs->runs_failed, rs->runs_failed == 1 ? "" : "s");
    fputs("| cell | repetition | kind | exit status / signal | last line of stderr |\n"
          "| --- | ---: | --- | --- | --- |\n",
          f);
    for (size_t i = 0; i < rs->runs.n; i++) {
        json_t *l = rs->runs.line[i];
        if (gcb_run_ok(l))
            continue;
        json_t *fl = json_object_get(l, GCB_K_FAILURE);
        char how[64];
        if (json_is_integer(json_object_get(fl, GCB_K_F_EXIT)))
            snprintf(how, sizeof how, "exit %lld", (long long)json_integer_value(json_object_get(fl, GCB_K_F_EXIT)));
        else if (gcb_json_str(fl, GCB_K_F_SIGNAME)[0])
            snprintf(how, sizeof how, "%s", gcb_json_str(fl, GCB_K_F_SIGNAME));
        else
            snprintf(how, sizeof how, "-");
        /* the last non-empty line of the stderr tail */
        const char *tail = gcb_json_str(fl, GCB_K_F_STDERR);
        const char *end = tail + strlen(tail);
        while (end > tail && (end[-1] == '\n' || end[-1] == ' '))
            end--;
        const char *start = end;
        while (start > tail && start[-1] != '\n')
            start--;
        char last[256];
        snprintf(last, sizeof last, "%.*s", (int)(end - start), start);
        fputs("| ", f);
        md_text(f, gcb_json_str(l, GCB_K_CELL), 200);
        fprintf(f, " | %lld | %s | %s | ", (long long)json_integer_value(json_object_get(l, GCB_K_REP)),
                gcb_json_str(fl, GCB_K_F_KIND)[0] ? gcb_json_str(fl, GCB_K_F_KIND) : "-", how);
        if (last[0]) {
            fputc('`', f);
            md_text(f, last, 160);
            fputc('`', f);
        } else {
            fputc('-', f);
        }
        fputs(" |\n", f);
    }
    fputc('\n', f);
}

/* The plot directory relative to DIR when it is DIR/plots, else as given. */
static void figures_section(FILE *f, const gcb_rset_t *rs, const gcb_plot_out_t *p)
{
    fputs("## Figures\n\n", f);
    if (!p) {
        fprintf(f, "Not drawn with this report; `gcbench plot %s` draws them.\n\n", rs->dir);
        return;
    }
    char rel[GCB_PATH_MAX];
    size_t dl = strlen(rs->dir);
    if (strncmp(p->outdir, rs->dir, dl) == 0 && p->outdir[dl] == '/')
        snprintf(rel, sizeof rel, "%s", p->outdir + dl + 1);
    else
        snprintf(rel, sizeof rel, "%s", p->outdir);
    if (p->gnuplot_missing)
        fprintf(f, "gnuplot was not available, so no figure is drawn; each one's data file and gnuplot script "
                   "are linked below. Draw them with `gcbench plot %s` once gnuplot is installed, or run a "
                   "script by hand (docs/plots.md).\n\n",
                rs->dir);
    else
        fprintf(f, "Drawn by gnuplot into `%s/` as PNG and SVG; beside each are its data file and its script "
                   "(edit and re-run with `gnuplot NAME.gp`; docs/plots.md).\n\n",
                rel);
    for (size_t i = 0; i < p->n; i++) {
        const gcb_figure_t *g = &p->fig[i];
        fprintf(f, "### %s\n\n%s\n\n", g->title, g->caption);
        gcb_hosts_figure_note(f, &rs->runs, gcb_hosts_stem_workload(g->stem, rs->wl, rs->nwl));
        if (g->drawn)
            fprintf(f, "![%s](%s/%s.png)\n\n[SVG](%s/%s.svg) | ", g->title, rel, g->stem, rel, g->stem);
        else if (!p->gnuplot_missing)
            fputs("(gnuplot failed on this figure; see gnuplot.log in the plot directory.)\n\n", f);
        fprintf(f, "[data](%s/%s.dat) | [script](%s/%s.gp)\n\n", rel, g->stem, rel, g->stem);
    }
    if (p->nskipped) {
        fputs("Not drawn:\n\n", f);
        for (size_t i = 0; i < p->nskipped; i++)
            fprintf(f, "- %s\n", p->skipped[i]);
        fputc('\n', f);
    }
}

int gcb_report_write(const gcb_rset_t *rs, const char *baseline, const char *baseline_note,
                     const gcb_plot_out_t *plots, char *err, size_t errlen)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f) {
        snprintf(err, errlen, "out of memory writing the report");
        return -1;
    }
    const char *id = gcb_json_str(rs->runjson, GCB_K_RUN_ID);
    fprintf(f, "# gcbench report%s%s\n\n", id[0] ? ": " : "", id);
    fprintf(f, "What each allocator x collector costs a runtime with Python's object model on each workload, in "
               "time, memory and pauses: %zu cells, %zu recorded runs (%zu failed), each run in its own process "
               "(docs/matrix.md). Relative figures are against **%s**%s%s.\n\n",
            rs->ncells, rs->runs_ok + rs->runs_failed, rs->runs_failed, baseline,
            baseline_note && baseline_note[0] ? "; " : "", baseline_note ? baseline_note : "");
    fputs("Contents: [Context](#context), [Results per workload](#results-per-workload), [Failures](#failures), "
          "[Figures](#figures). Raw data: `runs.jsonl` (one record per run, docs/results.md) and `summary.csv` "
          "(one row per cell).\n\n",
          f);
    gcb_report_answer(f, rs);          /* the main job's answer (bench/report/answer.c) */
    context_section(f, rs);
    gcb_report_drift_section(f, rs);   /* drift and steady state (bench/report/drift.c) */
    workload_tables(f, rs, baseline);
    gcb_report_threads_section(f, rs); /* scaling per mode (bench/report/threads.c) */
    gcb_validate_report_section(f, rs);
    failures_section(f, rs);
    figures_section(f, rs, plots);
    /* "bench/report.c" is the file's path before bench/ was split into folders:
     * kept, as report.md is an on-disk format (results/reference) */
    fputs("---\nWritten by `gcbench report` (bench/report.c). Re-write it with `gcbench report DIR`.\n", f);
    if (fclose(f) != 0) {
        free(text);
        snprintf(err, errlen, "out of memory writing the report");
        return -1;
    }
    char path[GCB_PATH_MAX];
    snprintf(path, sizeof path, "%s/report.md", rs->dir);
    int rc = gcb_write_text_atomic(path, text, err, errlen);
    free(text);
    return rc;
}

/* ---------------------------------------------------------- the commands */

int gcb_report_check(const char *dir, int no_plots, char *err, size_t errlen)
{
    char path[GCB_PATH_MAX];
    snprintf(path, sizeof path, "%s/report.md", dir);
    if (gcb_outpath_check("the report", path, 0, err, errlen) != 0)
        return -1;
    snprintf(path, sizeof path, "%s/plots", dir);
    return no_plots ? 0 : gcb_outdir_check("the plot directory", path, err, errlen);
}

int gcb_report_after_matrix(const char *dir)
{
    gcb_rset_t rs;
    char err[2048], base[GCB_LABEL_MAX], note[512];
    if (gcb_rset_load(dir, &rs, err, sizeof err)) {
        fprintf(stderr, "gcbench: matrix: no report: %s\n", err);
        return -1;
    }
    gcb_rset_baseline(&rs, NULL, base, sizeof base, note, sizeof note, err, sizeof err);
    gcb_plot_opts_t o;
    memset(&o, 0, sizeof o);
    o.baseline = base;
    gcb_plot_out_t out;
    /* no gnuplot is not a failure of the matrix: the report says so */
    int rc = gcb_plot(&rs, &o, &out, "matrix");
    rc = rc == GCB_EXIT_OK || rc == GCB_EXIT_NOPLOT ? 0 : -1;
    size_t drawn = gcb_plot_drawn(&out);
    if (gcb_report_write(&rs, base, note, &out, err, sizeof err)) {
        fprintf(stderr, "gcbench: matrix: %s\n", err);
        rc = -1;
    } else
        fprintf(stderr, "gcbench: matrix: report in %s/report.md, %zu of %zu figures drawn in %s\n", dir, drawn,
                out.n, out.outdir);
    gcb_plot_out_free(&out);
    gcb_rset_free(&rs);
    return rc;
}
