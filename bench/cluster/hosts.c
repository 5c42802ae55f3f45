/*
 * bench/cluster/hosts.c - which machine measured each run, and what the
 * report and compare make of runs from several.
 *
 * A host difference is not an allocator difference: two cells measured on
 * two machines differ by the machines too.  So compare pairs cells only
 * when both sides come from the same set of hosts (one host each, or, with
 * --shard-by rep, every host alike) unless told otherwise, and report.md
 * names the hosts in its context table and beside each table and figure
 * whose runs came from more than one.
 *
 * The host is $GCBENCH_HOST when set, else the kernel's host name; the
 * matrix records it in every line of runs.jsonl and in run.json's context
 * (bench/context.c asks here too), so both always agree.
 */
#include "bench/cluster/cluster.h"
#include "bench/exit.h"
#include "bench/exit.h"
#include "bench/resultdir/files.h"
#include "bench/cell/cell.h"

#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

const char *gcb_host_name(void)
{
    static char name[256];
    if (name[0])
        return name;
    const char *env = getenv("GCBENCH_HOST");
    if (env && *env)
        snprintf(name, sizeof name, "%s", env);
    else if (gethostname(name, sizeof name - 1) != 0 || !name[0])
        snprintf(name, sizeof name, "unknown");
    return name;
}

const char *gcb_line_host(json_t *l)
{
    const char *h = json_string_value(json_object_get(l, GCB_K_HOST));
    if (!h)
        h = json_string_value(json_object_get(json_object_get(l, GCB_K_CONTEXT), GCB_K_HOST));
    return h ? h : "unknown";
}

void gcb_hostset_add(gcb_hostset_t *s, json_t *line)
{
    const char *h = gcb_line_host(line);
    size_t i = 0;
    while (i < s->n && strcmp(s->h[i], h) < 0)
        i++;
    if ((i < s->n && strcmp(s->h[i], h) == 0) || s->n == GCB_HOSTSET_MAX)
        return;
    memmove(s->h + i + 1, s->h + i, (s->n - i) * sizeof *s->h);
    s->h[i] = h;
    s->n++;
}

int gcb_hostset_equal(const gcb_hostset_t *a, const gcb_hostset_t *b)
{
    if (a->n != b->n)
        return 0;
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->h[i], b->h[i]) != 0)
            return 0;
    return 1;
}

void gcb_hostset_str(const gcb_hostset_t *s, char *buf, size_t n)
{
    size_t off = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < s->n && off < n; i++)
        off += (size_t)snprintf(buf + off, n - off, "%s%s", i ? ", " : "", s->h[i]);
}

/* --- report.md ------------------------------------------------------------ */

typedef struct host_count {
    const char *host;
    size_t runs, cells;
} host_count_t;

typedef struct cell_host {
    const char *cell, *host;
} cell_host_t;

static int cmp_cell_host(const void *a, const void *b)
{
    const cell_host_t *x = a, *y = b;
    int c = strcmp(x->cell, y->cell);
    return c ? c : strcmp(x->host, y->host);
}

static int cmp_host_count(const void *a, const void *b)
{
    return strcmp(((const host_count_t *)a)->host, ((const host_count_t *)b)->host);
}

/* Per host, sorted by name: runs and cells (of the runs of `workload`, or
 * all); *mixed: cells whose runs came from more than one host; *pairs (to
 * free): the (cell, host) pairs, sorted, *npairs of them.  Returns the
 * number of hosts. */
static size_t count_hosts(const gcb_runs_t *runs, const char *workload, host_count_t *hc, size_t max,
                          size_t *mixed, cell_host_t **pairs, size_t *npairs)
{
    cell_host_t *v = malloc((runs->n + 1) * sizeof *v);
    size_t n = 0, nh = 0, np = 0;
    for (size_t i = 0; i < runs->n; i++)
        if (!workload || strcmp(gcb_json_str(runs->line[i], GCB_K_WORKLOAD), workload) == 0)
            v[n++] = (cell_host_t){ gcb_json_str(runs->line[i], GCB_K_CELL), gcb_line_host(runs->line[i]) };
    qsort(v, n, sizeof *v, cmp_cell_host);
    *mixed = 0;
    size_t hosts_of_cell = 0;
    for (size_t i = 0; i < n; i++) {
        int new_cell = i == 0 || strcmp(v[i].cell, v[i - 1].cell) != 0;
        int new_pair = new_cell || strcmp(v[i].host, v[i - 1].host) != 0;
        hosts_of_cell = new_cell ? 1 : hosts_of_cell + (size_t)new_pair;
        *mixed += (size_t)(new_pair && hosts_of_cell == 2);
        size_t k = 0;
        while (k < nh && strcmp(hc[k].host, v[i].host) != 0)
            k++;
        if (k == nh && nh < max)
            hc[nh++] = (host_count_t){ v[i].host, 0, 0 };
        if (new_pair)
            v[np++] = v[i]; /* np <= i: compacting in place keeps what is still to read */
        if (k == nh)
            continue;
        hc[k].runs++;
        hc[k].cells += (size_t)new_pair;
    }
    qsort(hc, nh, sizeof *hc, cmp_host_count);
    *pairs = v;
    *npairs = np;
    return nh;
}

static const char *plural(size_t n, const char *one, const char *many) { return n == 1 ? one : many; }

void gcb_hosts_context_row(FILE *f, const gcb_runs_t *runs, json_t *runjson)
{
    host_count_t hc[GCB_HOSTSET_MAX];
    cell_host_t *pairs;
    size_t mixed, np, nh = count_hosts(runs, NULL, hc, GCB_HOSTSET_MAX, &mixed, &pairs, &np);
    free(pairs);
    if (nh < 2)
        return;
    fprintf(f, "| hosts | %zu machines made the runs:", nh);
    for (size_t k = 0; k < nh; k++)
        fprintf(f, "%s %s (%zu %s of %zu %s)", k ? "," : "", hc[k].host, hc[k].runs, plural(hc[k].runs, "run", "runs"),
                hc[k].cells, plural(hc[k].cells, "cell", "cells"));
    const char *by = gcb_json_str(runjson, GCB_K_SHARD_BY);
    if (mixed)
        fprintf(f, "; %zu cells have runs from more than one host%s, so host variation is noise within those "
                   "cells",
                mixed, strcmp(by, "rep") == 0 ? " (sharded by repetition)" : "");
    else
        fputs("; each cell was measured on one host (runs.jsonl names it per run), so a difference between cells "
              "measured on different hosts includes the difference between the hosts",
              f);
    fputs(" (docs/cluster.md) |\n", f);
}

/* --- tunables ------------------------------------------------------------ */
#define CELLS_NAMED_PER_HOST 8   /* cells listed per host beside a workload's table */

void gcb_hosts_figure_note(FILE *f, const gcb_runs_t *runs, const char *workload)
{
    host_count_t hc[GCB_HOSTSET_MAX];
    cell_host_t *pairs;
    size_t mixed, np, nh = count_hosts(runs, workload, hc, GCB_HOSTSET_MAX, &mixed, &pairs, &np);
    if (nh < 2) {
        free(pairs);
        return;
    }
    fprintf(f, "Hosts: the runs %s came from %zu machines (", workload ? "shown here" : "of this result", nh);
    for (size_t k = 0; k < nh; k++) {
        fprintf(f, "%s%s: %zu %s of %zu %s", k ? "; " : "", hc[k].host, hc[k].runs, plural(hc[k].runs, "run", "runs"),
                hc[k].cells, plural(hc[k].cells, "cell", "cells"));
        size_t named = 0;
        for (size_t i = 0; workload && !mixed && i < np; i++) /* which cells, beside a table */
            if (strcmp(pairs[i].host, hc[k].host) == 0 && named++ < CELLS_NAMED_PER_HOST)
                fprintf(f, "%s`%s`", named == 1 ? ", " : " ", pairs[i].cell);
        if (named > CELLS_NAMED_PER_HOST)
            fprintf(f, " and %zu more", named - CELLS_NAMED_PER_HOST);
    }
    free(pairs);
    if (mixed)
        fprintf(f, "); %zu of the cells mix hosts.\n\n", mixed);
    else
        fputs("); each cell on one host, so differences between cells of different hosts include the hosts' "
              "difference.\n\n",
              f);
}
int gcb_hosts_check_pair(const char *cell, const gcb_hostset_t *a, const gcb_hostset_t *b, int allow)
{
    if (gcb_hostset_equal(a, b))
        return 0;
    if (allow)
        return 1;
    char ha[1024], hb[1024];
    gcb_hostset_str(a, ha, sizeof ha);
    gcb_hostset_str(b, hb, sizeof hb);
    gcb_usage_error("compare", "cell '%s': A was measured on %s, B on %s: a host difference is not an allocator "
                               "difference (pass --allow-mixed-hosts to compare anyway)",
                    cell, ha, hb);
    return 1;
}

const char *gcb_hosts_stem_workload(const char *stem, const char *const *wl, size_t nwl)
{
    size_t sl = strlen(stem);
    const char *best = NULL;
    for (size_t i = 0; i < nwl; i++) {
        size_t l = strlen(wl[i]);
        if (l < sl && stem[sl - l - 1] == '_' && strcmp(stem + sl - l, wl[i]) == 0 && (!best || l > strlen(best)))
            best = wl[i];
    }
    return best;
}
