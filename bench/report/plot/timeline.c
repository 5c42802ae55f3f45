/*
 * bench/report/plot/timeline.c - timeline_WORKLOAD: live bytes and RSS over time, one line per cell.
 */
#include "bench/report/plot/figure.h"

/* Live bytes and RSS over time, per workload: timeline_WORKLOAD.
 *
 * Design.  One line per cell told apart by colour alone stops working past
 * half a dozen lines, and one figure mixing two comparisons (every
 * allocator under rc, and glibc under every collector) had to give one of
 * them a single colour and tell its lines apart by dashes only, which
 * nobody can read.  So the figure holds two comparisons side by side, each
 * a column of two panels on the same time axis (live bytes above, RSS
 * below), and each uses colour for the thing it compares:
 *   (a) every allocator under the baseline's collector, coloured by
 *       allocator (the bar figures' colours, `colours`);
 *   (b) every collector under the baseline's allocator, coloured by
 *       collector from a palette of its own (`coll_colours`, Okabe-Ito:
 *       distinct for the common colour blindnesses, none of them an
 *       allocator's colour, so (a) and (b) are never confused).
 * One figure rather than two: the reader sees both comparisons at once on
 * one time axis, and the report keeps one figure per workload.  Within a
 * column, each line also gets its own dash pattern and point marker (by
 * its place in the column), so the figure reads in grey and two lines that
 * lie on each other still show both markers; the markers of successive
 * lines are staggered along the line for the same reason.  The y axes are
 * each panel's own: (b) compares collectors with each other, and the
 * baseline cell, drawn in both columns, is the bridge between them.  The
 * key sits right of each column's top panel and serves both of its panels
 * (the margins are fixed in screen coordinates, so the two panels of a
 * column align and nothing of the key reaches the next column).
 *
 * A column with a single line is left out (it is the baseline cell, drawn
 * in the other); cells in neither column (pool under gen, say) are not
 * drawn (the caption says so; --timeline draws them).  With --timeline the chosen
 * cells make one column, coloured by allocator when they share a
 * collector, by collector when they share an allocator, else line by
 * line. */
#define TL_MAX_PANELS 2
typedef enum { TL_BY_ALLOC, TL_BY_COLL, TL_BY_LINE } tl_colour_by_t;
typedef struct tl_panel {
    char what[256];          /* "allocators under rc", ... (the column's title after its letter) */
    tl_colour_by_t by;
    size_t n;
    const gcb_rcell_t *c[TIMELINE_MAX_CELLS];
} tl_panel_t;

/* A line's second and third cues, by its place in its column. */
static const char *const tl_dashes[] = { "1", "(10,5)", "(3,4)", "(14,4,3,4)", "(6,3,2,3,2,3)", "(18,6)",
                                         "(2,6)", "(10,3,3,3,3,3)" };
#define TL_NDASHES (sizeof tl_dashes / sizeof tl_dashes[0])
static const int tl_points[] = { 7, 5, 9, 13, 6, 4, 8, 12, 11, 1, 2 };
#define TL_NPOINTS (sizeof tl_points / sizeof tl_points[0])
_Static_assert(TL_NDASHES * TL_NPOINTS >= TIMELINE_MAX_CELLS, "a column's lines differ in dash or marker");
#define TL_MARKS 6               /* point markers along each line */
#define TL_COL_W 560             /* a column's plot area, pixels, */
#define TL_PANEL_H 330           /*   a panel's, */
#define TL_LEFT_PX 80            /*   room for the y tics and label, */
#define TL_TOP_PX 70             /*   for the figure's and the column's titles, */
#define TL_MID_PX 40             /*   between the two panels, */
#define TL_BOTTOM_PX 60          /*   under the lower panel (tics, label) */

static const char *tl_colour(const plotter_t *P, const tl_panel_t *p, size_t k)
{
    switch (p->by) {
    case TL_BY_ALLOC: return gcb__colour_of(P, p->c[k]->alloc);
    case TL_BY_COLL: return gcb__coll_colour_of(P, p->c[k]);
    default: return colours[k % NCOLOURS];
    }
}

/* A line's name in its column's key: what the column compares (the
 * allocator with the parameters that tell the cells apart, or the
 * collector with them), the whole series when it compares cells. */
static void tl_label(const tl_panel_t *p, size_t k, char *out, size_t n)
{
    const gcb_rcell_t *c = p->c[k];
    const char *params = strchr(gcb__coll_label(c), ' ');
    if (p->by == TL_BY_ALLOC)
        snprintf(out, n, "%s%s", c->alloc, params ? params : "");
    else if (p->by == TL_BY_COLL)
        snprintf(out, n, "%s", gcb__coll_label(c));
    else
        snprintf(out, n, "%s", c->series);
}

static int tl_add(tl_panel_t *p, const gcb_rcell_t *c)
{
    if (p->n == TIMELINE_MAX_CELLS)
        return -1;
    p->c[p->n++] = c;
    return 0;
}

static int has_timeline(const gcb_rcell_t *c)
{
    return json_array_size(json_object_get(json_object_get(c->median_run, GCB_K_TIMELINE), GCB_K_TL_POINTS)) > 0;
}

/* One timeline figure in the making: its columns, the cells drawn (each
 * once: the baseline cell serves both columns) and the ranges. */
typedef struct tl_fig {
    const char *wl;
    char stem[300];
    tl_panel_t pan[TL_MAX_PANELS];
    size_t npan, dropped, neither;
    const gcb_rcell_t *cell[TL_MAX_PANELS * TIMELINE_MAX_CELLS];
    size_t ncell, idx[TL_MAX_PANELS][TIMELINE_MAX_CELLS], npts[TL_MAX_PANELS * TIMELINE_MAX_CELLS];
    /* one time axis for the figure; bytes in each column's own unit (its own y range) */
    double tmax, lmax[TL_MAX_PANELS], rmax[TL_MAX_PANELS];
} tl_fig_t;

static json_t *tl_run_points(const gcb_rcell_t *c) { return json_object_get(json_object_get(c->median_run, GCB_K_TIMELINE), GCB_K_TL_POINTS); }

/* The default columns: (a) allocators under the baseline's collector,
 * (b) collectors under its allocator. */
static void tl_default_panels(const plotter_t *P, tl_fig_t *X)
{
    const gcb_rset_t *rs = P->rs;
    char balloc[GCB_LABEL_MAX], bcoll[GCB_LABEL_MAX];
    snprintf(balloc, sizeof balloc, "%s", P->o->baseline);
    char *slash = strchr(balloc, '/');
    snprintf(bcoll, sizeof bcoll, "%s", slash ? slash + 1 : "");
    if (slash)
        *slash = '\0';
    tl_panel_t *a = &X->pan[0], *b = &X->pan[1];
    a->by = TL_BY_ALLOC;
    b->by = TL_BY_COLL;
    snprintf(a->what, sizeof a->what, "allocators under %s", bcoll);
    snprintf(b->what, sizeof b->what, "collectors under %s", balloc);
    for (size_t i = 0; i < rs->ncells; i++) {
        const gcb_rcell_t *c = &rs->cells[i];
        if (strcmp(c->wl, X->wl) != 0 || !has_timeline(c))
            continue;
        int ina = strcmp(c->coll, bcoll) == 0, inb = strcmp(c->alloc, balloc) == 0;
        X->neither += !ina && !inb;
        if ((ina && tl_add(a, c)) | (inb && tl_add(b, c)))
            X->dropped++;
    }
    /* a column of one line repeats a line of the other */
    if (a->n < 2 && b->n >= 2)
        X->pan[0] = X->pan[1], b->n = 0;
    X->npan = X->pan[0].n > 0 ? 1 : 0;
    X->npan += X->pan[1].n >= 2;
}

/* One column of the chosen cells (--timeline), or of every cell when
 * neither default column has one, coloured by what they differ in. */
static void tl_chosen_panel(const plotter_t *P, tl_fig_t *X, size_t *matched)
{
    const gcb_rset_t *rs = P->rs;
    tl_panel_t *p = &X->pan[0];
    memset(p, 0, sizeof *p);
    X->neither = X->dropped = 0;
    const char *a0 = NULL, *c0 = NULL;
    int same_a = 1, same_c = 1;
    for (size_t i = 0; i < rs->ncells; i++) {
        const gcb_rcell_t *c = &rs->cells[i];
        if (strcmp(c->wl, X->wl) != 0)
            continue;
        int want = P->o->ntimeline == 0;
        for (size_t k = 0; k < P->o->ntimeline && !want; k++)
            want = gcb_rset_match(c, P->o->timeline[k]);
        if (!want)
            continue;
        (*matched)++;
        if (!has_timeline(c))
            continue;
        if (tl_add(p, c)) {
            X->dropped++;
            continue;
        }
        same_a &= !a0 || strcmp(a0, c->alloc) == 0;
        same_c &= !c0 || strcmp(c0, c->coll) == 0;
        a0 = c->alloc;
        c0 = c->coll;
    }
    if (p->n > 1 && same_c) {
        p->by = TL_BY_ALLOC;
        snprintf(p->what, sizeof p->what, "allocators under %s", c0);
    } else if (p->n > 1 && same_a) {
        p->by = TL_BY_COLL;
        snprintf(p->what, sizeof p->what, "collectors under %s", a0);
    } else {
        p->by = TL_BY_LINE;
        snprintf(p->what, sizeof p->what, "%s", P->o->ntimeline ? "cells chosen with --timeline" : "every cell");
    }
    X->npan = p->n > 0;
}

/* Each cell drawn once, and the ranges of time and bytes. */
static void tl_gather(tl_fig_t *X)
{
    for (size_t j = 0; j < X->npan; j++)
        for (size_t k = 0; k < X->pan[j].n; k++) {
            size_t i = 0;
            while (i < X->ncell && X->cell[i] != X->pan[j].c[k])
                i++;
            X->idx[j][k] = i;
            if (i == X->ncell)
                X->cell[X->ncell++] = X->pan[j].c[k];
            size_t q;
            json_t *pt;
            json_array_foreach(tl_run_points(X->pan[j].c[k]), q, pt)
            {
                double t = json_number_value(json_array_get(pt, 0));
                double lb = json_number_value(json_array_get(pt, 2)), rb = json_number_value(json_array_get(pt, 4));
                X->tmax = t > X->tmax ? t : X->tmax;
                X->lmax[j] = lb > X->lmax[j] ? lb : X->lmax[j];
                X->rmax[j] = rb > X->rmax[j] ? rb : X->rmax[j];
            }
        }
}

static void tl_dat(const plotter_t *P, FILE *d, tl_fig_t *X)
{
    fprintf(d, "# %s.dat - live bytes and RSS during workload %s (written by gcbench plot from %s)\n", X->stem,
            X->wl, P->rs->dir);
    fprintf(d, "# One block per cell (gnuplot index 0, 1, ...), from the run with the median ops/s.\n"
               "# Columns: time since the workload started (s), objects allocated so far,\n"
               "# live bytes (the runtime's exact count), live objects, RSS bytes (/proc/self/statm).\n");
    for (size_t j = 0; j < X->npan; j++)
        fprintf(d, "# panel %c: %s\n", (int)('a' + j), X->pan[j].what);
    for (size_t k = 0; k < X->ncell; k++) {
        json_t *run = X->cell[k]->median_run;
        fprintf(d, "%s# index %zu: %s (cell %s, repetition %lld)\n", k ? "\n\n" : "", k, X->cell[k]->series,
                X->cell[k]->name, (long long)json_integer_value(json_object_get(run, GCB_K_REP)));
        size_t i;
        json_t *p, *pts = tl_run_points(X->cell[k]);
        X->npts[k] = json_array_size(pts);
        json_array_foreach(pts, i, p)
        {
            for (size_t c = 0; c < 5; c++)
                gcb__dat_num(d, json_number_value(json_array_get(p, c)));
            fputc('\n', d);
        }
    }
}

static void tl_texts(plotter_t *P, const tl_fig_t *X, char *title, size_t tn, char *caption, size_t cn)
{
    const gcb_rcell_t *any = X->cell[0];
    char cols[600] = "";
    snprintf(title, tn, "Live bytes and RSS over time: %s%s%s", X->wl, any->wl_params[0] ? " " : "", any->wl_params);
    for (size_t j = 0; j < X->npan; j++)
        snprintf(cols + strlen(cols), sizeof cols - strlen(cols), "%s(%c) %s, coloured by %s", j ? "; " : "",
                 (int)('a' + j), X->pan[j].what,
                 X->pan[j].by == TL_BY_ALLOC ? "allocator" : X->pan[j].by == TL_BY_COLL ? "collector" : "cell");
    snprintf(caption, cn,
             "Workload %s: the runtime's live bytes (top) and the process's resident set (bottom) while the "
             "workload runs, one line per cell (the run with the median ops/s): %s%s%s.",
             X->wl, cols, X->neither ? "; cells of neither the baseline's allocator nor its collector are not drawn "
                                       "(choose them with --timeline)" : "",
             X->dropped ? "; more cells matched than fit, choose some with --timeline" : "");
    if (X->dropped)
        gcb__skip(P, "%s: %zu more cells not drawn (at most %d lines a column; choose with --timeline)", X->stem,
                  X->dropped, TIMELINE_MAX_CELLS);
}

/* The lines of one panel (row 0 live bytes, 1 RSS) of column j; the
 * upper panel's key serves both. */
static void tl_gp_lines(const plotter_t *P, FILE *g, const tl_fig_t *X, size_t j, int row)
{
    const tl_panel_t *p = &X->pan[j];
    fputs("plot \\\n", g);
    for (size_t k = 0; k < p->n; k++) {
        size_t i = X->idx[j][k];
        size_t every = X->npts[i] / TL_MARKS ? X->npts[i] / TL_MARKS : 1;
        size_t first = every * (2 * k + 1) / (2 * p->n); /* staggered: < every */
        const char *col = tl_colour(P, p, k), *dt = tl_dashes[k % TL_NDASHES];
        int pt = tl_points[k % TL_NPOINTS];
        char y[32];
        snprintf(y, sizeof y, row ? "($5/rdiv_%c)" : "($3/ldiv_%c)", (int)('a' + j));
        if (k == 0)
            fprintf(g, "  '%s.dat'", X->stem);
        else
            fputs("  ''", g);
        fprintf(g, " index %zu using ($1/tdiv):%s with lines linewidth 1.6 linecolor rgb '%s' "
                   "dashtype %s notitle, \\\n",
                i, y, col, dt);
        fprintf(g, "  '' index %zu every %zu::%zu using ($1/tdiv):%s with points pointtype %d "
                   "pointsize 1.1 linecolor rgb '%s' notitle",
                i, every, first, y, pt, col);
        if (row == 1) {
            fputs(k + 1 < p->n ? ", \\\n" : "\n", g);
            continue;
        }
        fprintf(g, ", \\\n  NaN with linespoints linewidth 1.6 linecolor rgb '%s' dashtype %s pointtype %d "
                   "pointsize 1.1 title ",
                col, dt, pt);
        char lab[GCB_LABEL_MAX];
        tl_label(p, k, lab, sizeof lab);
        gp_str(g, lab);
        fputs(k + 1 < p->n ? ", \\\n" : "\n", g);
    }
}

/* Column j's two panels, its plot area starting x0 px into a W x H canvas. */
static void tl_gp_column(const plotter_t *P, FILE *g, const tl_fig_t *X, size_t j, int x0, int W, int H)
{
    const tl_panel_t *p = &X->pan[j];
    double l = (double)(x0 + TL_LEFT_PX) / W, r = (double)(x0 + TL_LEFT_PX + TL_COL_W) / W;
    fprintf(g, "set lmargin at screen %.4f; set rmargin at screen %.4f\n", l, r);
    for (int row = 0; row < 2; row++) {
        int top = TL_TOP_PX + row * (TL_PANEL_H + TL_MID_PX);
        fprintf(g, "# panel %c %s: %s\n", (int)('a' + j), row ? "rss" : "live", p->what);
        fprintf(g, "set tmargin at screen %.4f; set bmargin at screen %.4f\n", 1 - (double)top / H,
                1 - (double)(top + TL_PANEL_H) / H);
        if (row == 0) {
            char head[300];
            snprintf(head, sizeof head, "(%c) %s", (int)('a' + j), p->what);
            fputs("set title ", g);
            gp_str(g, head);
            fputs(" font ',11'\nset format x ''\nunset xlabel\n", g);
            fprintf(g, "set key at screen %.4f, screen %.4f left top vertical Left reverse noenhanced "
                       "samplen 4 spacing 1.2 width 1 title ",
                    (double)(x0 + TL_LEFT_PX + TL_COL_W + 15) / W, 1 - (double)top / H);
            gp_str(g, p->by == TL_BY_ALLOC ? "allocator" : p->by == TL_BY_COLL ? "collector" : "cell");
            fprintf(g, "\nset ylabel 'live bytes, '.lunit_%c\n", (int)('a' + j));
        } else {
            fprintf(g, "unset title\nunset key\nset format x '%% h'\n"
                       "set xlabel 'time since the workload started, '.tunit\nset ylabel 'RSS, '.runit_%c\n",
                    (int)('a' + j));
        }
        tl_gp_lines(P, g, X, j, row);
    }
}

/* The canvas: per column its plot area and its key right of it. */
static int tl_layout(const tl_fig_t *X, int *colpx, int *H)
{
    int W = 0;
    size_t most = 0;
    for (size_t j = 0; j < X->npan; j++) {
        size_t chars = 0;
        for (size_t k = 0; k < X->pan[j].n; k++) {
            char lab[GCB_LABEL_MAX];
            tl_label(&X->pan[j], k, lab, sizeof lab);
            chars = strlen(lab) > chars ? strlen(lab) : chars;
        }
        colpx[j] = TL_LEFT_PX + TL_COL_W + 90 + (int)chars * KEY_CHAR_PX;
        W += colpx[j];
        most = X->pan[j].n > most ? X->pan[j].n : most;
    }
    /* the key (at most 16 lines of 17 px) may run down beside the lower panel */
    *H = TL_TOP_PX + 2 * TL_PANEL_H + TL_MID_PX + TL_BOTTOM_PX;
    *H = *H > TL_TOP_PX + 20 + 17 * (int)most ? *H : TL_TOP_PX + 20 + 17 * (int)most;
    return W;
}

static void tl_gp(const plotter_t *P, FILE *g, const tl_fig_t *X, const char *title)
{
    int colpx[TL_MAX_PANELS], H, W = tl_layout(X, colpx, &H);
    unit_t tu = gcb_fmt_time_unit(X->tmax);
    gcb__gp_begin(g, P, X->stem, title, W, H);
    fputs("set multiplot title ", g);
    gp_str(g, title);
    fprintf(g, "\n# units: the data file holds seconds and bytes; live (l) and RSS (r) per column\n"
               "tdiv = %g; tunit = '%s'\n",
            tu.div, tu.name);
    for (size_t j = 0; j < X->npan; j++) {
        unit_t lu = gcb_fmt_byte_unit(X->lmax[j]), ru = gcb_fmt_byte_unit(X->rmax[j]);
        fprintf(g, "ldiv_%c = %g; lunit_%c = '%s'; rdiv_%c = %g; runit_%c = '%s'\n", (int)('a' + j), lu.div,
                (int)('a' + j), lu.name, (int)('a' + j), ru.div, (int)('a' + j), ru.name);
    }
    fprintf(g, "set grid\nset yrange [0:*]\nset xrange [0:%g/tdiv]\nset offsets 0, 0, graph 0.03, 0\n", X->tmax);
    int x0 = 0;
    for (size_t j = 0; j < X->npan; j++) {
        tl_gp_column(P, g, X, j, x0, W, H);
        x0 += colpx[j];
    }
    fputs("unset multiplot\n", g);
    gp_end(g);
}

static void fig_timeline(plotter_t *P, size_t w, size_t *matched)
{
    tl_fig_t *X = calloc(1, sizeof *X);
    X->wl = P->rs->wl[w];
    char sw[256];
    gcb__sanitize(sw, sizeof sw, X->wl);
    snprintf(X->stem, sizeof X->stem, "timeline_%s", sw);
    if (P->o->ntimeline == 0)
        tl_default_panels(P, X);
    if (X->npan == 0)
        tl_chosen_panel(P, X, matched);
    if (!X->npan) {
        if (P->o->ntimeline == 0)
            gcb__skip(P, "%s: no ok run of workload %s has a timeline (made with --no-timeline, or every run failed)",
                      X->stem, X->wl);
        free(X);
        return;
    }
    tl_gather(X);
    FILE *d = gcb__open_file(P, X->stem, "dat"), *g = NULL;
    if (d) {
        tl_dat(P, d, X);
        gcb__close_file(P, d, X->stem, "dat");
        char title[512], caption[1400];
        tl_texts(P, X, title, sizeof title, caption, sizeof caption);
        if ((g = gcb__open_file(P, X->stem, "gp"))) {
            tl_gp(P, g, X, title);
            if (gcb__close_file(P, g, X->stem, "gp") == 0)
                gcb__add_figure(P, X->stem, title, caption);
        }
    }
    free(X);
}

void gcb__fig_timelines(plotter_t *P)
{
    size_t matched = 0;
    for (size_t w = 0; w < P->rs->nwl; w++)
        fig_timeline(P, w, &matched);
    if (P->o->ntimeline && !matched)
        gcb__say(P, "warning: no cell matches --timeline %s%s: no timeline drawn", P->o->timeline[0],
            P->o->ntimeline > 1 ? " (or the others)" : "");
}
