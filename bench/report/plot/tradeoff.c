/*
 * bench/report/plot/tradeoff.c - tradeoff_WORKLOAD and tradeoff: time against peak RSS, the Pareto front.
 */
#include "bench/report/plot/figure.h"

/* Points (x, y) and the Pareto front of "lower is better" in both. */
typedef struct point {
    char label[GCB_LABEL_MAX];
    const char *group;     /* collector and its parameters: the colour */
    const char *alloc;
    double x, xlo, xhi, y, ylo, yhi;
    int front;
} point_t;

static int cmp_point_x(const void *a, const void *b)
{
    const point_t *p = *(const point_t *const *)a, *q = *(const point_t *const *)b;
    return p->x < q->x ? -1 : p->x > q->x ? 1 : (p->y < q->y ? -1 : p->y > q->y);
}

static void pareto(point_t *pt, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        pt[i].front = 1;
        for (size_t j = 0; j < n && pt[i].front; j++)
            if (j != i && pt[j].x <= pt[i].x && pt[j].y <= pt[i].y && (pt[j].x < pt[i].x || pt[j].y < pt[i].y))
                pt[i].front = 0;
    }
}

/* A plot's frame in pixels of the canvas and its ranges, fixed in the
 * script, so that a position in data units has a known pixel. */
typedef struct frame {
    int left, right, top, bottom, w, h;
    double x0, x1, y0, y1;
} frame_t;

static double frame_px(const frame_t *F, double x) { return F->left + (x - F->x0) / (F->x1 - F->x0) * (F->w - F->left - F->right); }
static double frame_py(const frame_t *F, double y) { return F->top + (F->y1 - y) / (F->y1 - F->y0) * (F->h - F->top - F->bottom); }

/* The names of the Pareto front's points (f, nf of them, by x), placed
 * so that no two overlap, as `set label`s in graph coordinates on a white
 * ground.  Each name wants its point's height.  Names that would overlap
 * form a block, one line apart, centred on the mean of the heights they
 * want (and kept inside the plot); blocks that then overlap merge, until
 * none do.  A name stands right of its point, or left of it where it would
 * leave the plot; one moved off its point's height gets a thin line to it. */
static void tradeoff_names(FILE *g, const frame_t *F, point_t *const *f, size_t nf)
{
    double pw = F->w - F->left - F->right, ph = F->h - F->top - F->bottom;
    double *y = malloc((nf + 1) * sizeof *y);
    size_t *ord = malloc((nf + 1) * sizeof *ord);
    for (size_t i = 0; i < nf; i++) {
        y[i] = frame_py(F, f[i]->y);
        ord[i] = i;
    }
    /* by height, top first (insertion sort: a front has few points) */
    for (size_t i = 1; i < nf; i++)
        for (size_t j = i; j > 0 && y[ord[j]] < y[ord[j - 1]]; j--) {
            size_t t = ord[j];
            ord[j] = ord[j - 1];
            ord[j - 1] = t;
        }
    const double lh = TRADEOFF_NAME_PX, first = F->top + lh, last = F->top + ph - lh / 2;
    /* blocks, top to bottom: the first name, how many, the sum of the heights wanted, the top */
    size_t *bfirst = malloc((nf + 1) * sizeof *bfirst), *bn = malloc((nf + 1) * sizeof *bn), nb = 0;
    double *bsum = malloc((nf + 1) * sizeof *bsum), *btop = malloc((nf + 1) * sizeof *btop);
    for (size_t k = 0; k < nf; k++) {
        bfirst[nb] = k;
        bn[nb] = 1;
        bsum[nb] = y[ord[k]];
        btop[nb] = fmin(fmax(y[ord[k]], first), last);
        nb++;
        /* invariant: blocks 0 .. nb-2 do not overlap; merge the last into the one above while they do */
        while (nb > 1 && btop[nb - 2] + (double)bn[nb - 2] * lh > btop[nb - 1]) {
            nb--;
            bn[nb - 1] += bn[nb];
            bsum[nb - 1] += bsum[nb];
            double n = (double)bn[nb - 1], top = bsum[nb - 1] / n - (n - 1) * lh / 2;
            btop[nb - 1] = fmax(first, fmin(top, last - (n - 1) * lh));
        }
    }
    double *slot = malloc((nf + 1) * sizeof *slot);
    for (size_t b = 0; b < nb; b++)
        for (size_t j = 0; j < bn[b]; j++)
            slot[bfirst[b] + j] = btop[b] + (double)j * lh;
    free(bfirst);
    free(bn);
    free(bsum);
    free(btop);
    fputs("set style textbox opaque noborder margins 1, 0\n", g);
    for (size_t k = 0; k < nf; k++) {
        const point_t *p = f[ord[k]];
        double px = frame_px(F, p->x), py = y[ord[k]];
        double tw = (double)strlen(p->label) * TRADEOFF_NAME_CHAR_PX;
        int right = px + 8 + tw <= F->left + pw - 2 || px - 8 - tw < F->left + 2;
        double lx = right ? px + 8 : px - 8;
        fprintf(g, "set label %zu ", 100 + k);
        gp_str(g, p->label);
        fprintf(g, " at graph %.5f, graph %.5f %s font ',8' boxed front\n", (lx - F->left) / pw, 1 - (slot[k] - F->top) / ph,
                right ? "left" : "right");
        if (fabs(slot[k] - py) > 3)
            fprintf(g, "set arrow %zu from graph %.5f, graph %.5f to first %.6g/xdiv, first %.6g/ydiv nohead "
                       "linewidth 0.5 linecolor rgb 'gray50' front\n",
                    100 + k, (lx + (right ? -2 : 2) - F->left) / pw, 1 - (slot[k] - F->top) / ph, p->x, p->y);
    }
    free(slot);
    free(ord);
    free(y);
}

/* xlabel and ylabel name the data file's units; the axes show the data
 * divided by xu.div and yu.div, named xu.name and yu.name ("" for ratios). */
static void write_tradeoff(plotter_t *P, const char *stem, point_t *pt, size_t n, const char *title,
                           const char *caption, const char *xlabel, const char *ylabel, const char *what, unit_t xu,
                           unit_t yu)
{
    pareto(pt, n);
    FILE *d = gcb__open_file(P, stem, "dat");
    if (!d)
        return;
    fprintf(d, "# %s.dat - %s (written by gcbench plot from %s)\n", stem, what, P->rs->dir);
    fprintf(d, "# index 0, one row per point: label, x, x low, x high, y, y low, y high, on the Pareto front (1/0),\n"
               "#   colour group (0, 1, ...: the collector and its parameters), the group's name\n"
               "#   x: %s; y: %s\n"
               "# index 1: the Pareto front (no other point is both faster and smaller), by x: x, y\n",
            xlabel, ylabel);
    const char *groups[256];
    size_t ng = 0;
    for (size_t i = 0; i < n; i++) {
        size_t k = 0;
        while (k < ng && strcmp(groups[k], pt[i].group) != 0)
            k++;
        if (k == ng && ng < 256)
            groups[ng++] = pt[i].group;
    }
    for (size_t i = 0; i < n; i++) {
        gcb__dat_str(d, pt[i].label);
        gcb__dat_num(d, pt[i].x);
        gcb__dat_num(d, pt[i].xlo);
        gcb__dat_num(d, pt[i].xhi);
        gcb__dat_num(d, pt[i].y);
        gcb__dat_num(d, pt[i].ylo);
        gcb__dat_num(d, pt[i].yhi);
        size_t k = 0;
        while (k < ng && strcmp(groups[k], pt[i].group) != 0)
            k++;
        fprintf(d, " %d %zu ", pt[i].front, k);
        gcb__dat_str(d, pt[i].group);
        fputc('\n', d);
    }
    fputs("\n\n# index 1: the Pareto front\n", d);
    point_t **f = malloc((n + 1) * sizeof *f);
    size_t nf = 0;
    for (size_t i = 0; i < n; i++)
        if (pt[i].front)
            f[nf++] = &pt[i];
    qsort(f, nf, sizeof *f, cmp_point_x);
    for (size_t i = 0; i < nf; i++) {
        gcb__dat_num(d, f[i]->x);
        gcb__dat_num(d, f[i]->y);
        fputc('\n', d);
    }
    gcb__close_file(P, d, stem, "dat");
    FILE *g = gcb__open_file(P, stem, "gp");
    if (!g) {
        free(f);
        return;
    }
    /* The frame in pixels and the ranges in the data file's units, fixed
     * so that the names of the front can be placed (tradeoff_names). */
    size_t keychars = strlen("Pareto front");
    for (size_t k = 0; k < ng; k++)
        keychars = strlen(groups[k]) > keychars ? strlen(groups[k]) : keychars;
    /* the key: its title or its entries after their samples */
    size_t keypx = (size_t)KEY_CHAR_PX * (keychars + 6 > strlen(TRADEOFF_KEY_TITLE) ? keychars + 6 : strlen(TRADEOFF_KEY_TITLE));
    frame_t F = { .left = 90, .right = 40 + (int)keypx, .top = 50, .bottom = 70 };
    F.w = clampi(F.left + 720 + F.right, MIN_W, MAX_W);
    F.h = MIN_H + 100;
    double xmin = INFINITY, xmax = -INFINITY, ymax = 0;
    for (size_t i = 0; i < n; i++) {
        double xs[3] = { pt[i].x, pt[i].xlo, pt[i].xhi }, ys[3] = { pt[i].y, pt[i].ylo, pt[i].yhi };
        for (int k = 0; k < 3; k++) {
            if (!isnan(xs[k])) {
                xmin = fmin(xmin, xs[k]);
                xmax = fmax(xmax, xs[k]);
            }
            if (!isnan(ys[k]))
                ymax = fmax(ymax, ys[k]);
        }
    }
    double span = xmax > xmin ? xmax - xmin : fabs(xmax) > 0 ? fabs(xmax) / 10 : 1;
    F.x0 = xmin - 0.05 * span;
    F.x1 = xmax + 0.15 * span;
    F.y0 = 0;
    F.y1 = ymax > 0 ? ymax * 1.1 : 1;
    gcb__gp_begin(g, P, stem, title, F.w, F.h);
    fputs("set title ", g);
    gp_str(g, title);
    fprintf(g, "\n# units of the axes (the data file: %s; %s)\nxdiv = %g; xunit = '%s'; ydiv = %g; yunit = '%s'\n",
            xlabel, ylabel, xu.div, xu.name, yu.div, yu.name);
    fputs("set xlabel ", g);
    gp_str(g, xlabel);
    fputs(xu.name[0] ? ".', '.xunit\nset ylabel " : "\nset ylabel ", g);
    gp_str(g, ylabel);
    fputs(yu.name[0] ? ".', '.yunit\n" : "\n", g);
    fputs("set grid\n", g);
    gcb__gp_key(g, TRADEOFF_KEY_TITLE, keychars);
    fprintf(g, "# the frame, in pixels of the %dx%d canvas, and the ranges (data file units over xdiv, ydiv):\n"
               "# the names of the front are placed for them\n",
            F.w, F.h);
    fprintf(g, "set lmargin at screen %.5f\nset rmargin at screen %.5f\n", (double)F.left / F.w,
            1 - (double)F.right / F.w);
    fprintf(g, "set tmargin at screen %.5f\nset bmargin at screen %.5f\n", 1 - (double)F.top / F.h,
            (double)F.bottom / F.h);
    fprintf(g, "set xrange [%.6g/xdiv:%.6g/xdiv]\nset yrange [%.6g/ydiv:%.6g/ydiv]\n", F.x0, F.x1, F.y0, F.y1);
    fputs("# names beside the points on the Pareto front, a thin line to each moved off its point's height;\n"
          "# to name every point instead, add to the plot\n"
          "#   '' index 0 using ($2/xdiv):($5/ydiv):1 with labels left offset char 0.6 font ',8' notitle\n",
          g);
    tradeoff_names(g, &F, f, nf);
    free(f);
    for (size_t k = 0; k < ng; k++) {
        if (k == 0)
            fprintf(g, "plot '%s.dat' index 0", stem);
        else
            fputs("  '' index 0", g);
        fprintf(g, " using ($9 == %zu ? $2/xdiv : NaN):($5/ydiv):($3/xdiv):($4/xdiv):($6/ydiv):($7/ydiv) "
                   "with xyerrorbars pointtype 7 pointsize 0.8 linecolor rgb '%s' title ",
                k, colours[gcb__index_of(P->coll, P->ncoll, groups[k]) % NCOLOURS]);
        gp_str(g, groups[k]);
        fputs(", \\\n", g);
    }
    fprintf(g, "  '' index 1 using ($1/xdiv):($2/ydiv) with steps linewidth 2 linecolor rgb '%s' title 'Pareto front', "
               "\\\n",
            colours[3]);
    fprintf(g, "  '' index 1 using ($1/xdiv):($2/ydiv) with points pointtype 6 pointsize 1.6 linecolor rgb '%s' "
               "notitle\n",
            colours[3]);
    gp_end(g);
    if (gcb__close_file(P, g, stem, "gp") == 0)
        gcb__add_figure(P, stem, title, caption);
}

static void fig_tradeoff_wl(plotter_t *P, size_t w)
{
    const gcb_rset_t *rs = P->rs;
    point_t *pt = calloc(rs->ncells + 1, sizeof *pt);
    size_t n = 0;
    const gcb_rcell_t *any = NULL;
    for (size_t i = 0; i < rs->ncells; i++) {
        const gcb_rcell_t *c = &rs->cells[i];
        if (strcmp(c->wl, rs->wl[w]) != 0 || !c->n[GCB_M_WALL] || !c->n[GCB_M_RSS])
            continue;
        any = c;
        point_t *p = &pt[n++];
        snprintf(p->label, sizeof p->label, "%s", c->series);
        p->group = gcb__coll_label(c);
        p->alloc = c->alloc;
        p->x = gcb_rset_median(c, GCB_M_WALL, &p->xlo, &p->xhi, NULL);
        p->y = gcb_rset_median(c, GCB_M_RSS, &p->ylo, &p->yhi, NULL);
    }
    char sw[256], stem[300], title[512], caption[1024];
    gcb__sanitize(sw, sizeof sw, rs->wl[w]);
    snprintf(stem, sizeof stem, "tradeoff_%s", sw);
    if (!n) {
        gcb__skip(P, "%s: no ok run of workload %s", stem, rs->wl[w]);
        free(pt);
        return;
    }
    snprintf(title, sizeof title, "Time-memory trade-off: %s%s%s (lower left is better)", rs->wl[w],
             any->wl_params[0] ? " " : "", any->wl_params);
    snprintf(caption, sizeof caption,
             "Workload %s: one point per configuration, median workload time against median peak RSS, with "
             "95%% CIs of the medians; the line joins the configurations no other beats on both.",
             rs->wl[w]);
    double xmax = 0, ymax = 0;
    for (size_t i = 0; i < n; i++) {
        xmax = pt[i].xhi > xmax ? pt[i].xhi : xmax;
        ymax = pt[i].yhi > ymax ? pt[i].yhi : ymax;
    }
    write_tradeoff(P, stem, pt, n, title, caption, "workload time (median)", "peak RSS (median)",
                   "peak RSS against time per configuration, in seconds and bytes", gcb__time_unit(xmax), gcb__byte_unit(ymax));
    free(pt);
}

/* Over all workloads: geometric means of time and RSS relative to the
 * baseline, for the configurations present in every workload. */
void gcb__fig_tradeoff(plotter_t *P)
{
    const gcb_rset_t *rs = P->rs;
    const char *base = P->o->baseline;
    point_t *pt = calloc(rs->nseries + 1, sizeof *pt);
    size_t n = 0, nw_used = 0;
    for (size_t s = 0; s < rs->nseries; s++) {
        double lt = 0, lr = 0;
        size_t k = 0;
        int complete = 1;
        const char *alloc = NULL;
        for (size_t w = 0; w < rs->nwl && complete; w++) {
            const gcb_rcell_t *c = gcb__cell_at(rs, rs->wl[w], rs->series[s]);
            const gcb_rcell_t *b = c ? gcb_rset_base_cell(rs, c, base) : NULL;
            if (!b || !b->n[GCB_M_WALL] || !b->n[GCB_M_RSS]) /* workload without a baseline: not counted */
                continue;
            if (!c || !c->n[GCB_M_WALL] || !c->n[GCB_M_RSS]) {
                complete = 0;
                break;
            }
            alloc = c->alloc;
            lt += log(gcb_median(c->v[GCB_M_WALL], c->n[GCB_M_WALL]) / gcb_median(b->v[GCB_M_WALL], b->n[GCB_M_WALL]));
            lr += log(gcb_median(c->v[GCB_M_RSS], c->n[GCB_M_RSS]) / gcb_median(b->v[GCB_M_RSS], b->n[GCB_M_RSS]));
            k++;
        }
        if (!complete || !k)
            continue;
        nw_used = k > nw_used ? k : nw_used;
        point_t *p = &pt[n++];
        snprintf(p->label, sizeof p->label, "%s", rs->series[s]);
        p->group = strchr(rs->series[s], '/') ? strchr(rs->series[s], '/') + 1 : rs->series[s];
        p->alloc = alloc;
        p->x = p->xlo = p->xhi = exp(lt / (double)k);
        p->y = p->ylo = p->yhi = exp(lr / (double)k);
    }
    if (!n) {
        gcb__skip(P, "tradeoff: no configuration has ok runs on every workload with a %s cell", base);
        free(pt);
        return;
    }
    char title[512], caption[1024], xl[256], yl[256];
    snprintf(title, sizeof title, "Time-memory trade-off over %zu workload%s, relative to %s", nw_used,
             nw_used == 1 ? "" : "s", base);
    snprintf(caption, sizeof caption,
             "One point per configuration with ok runs on every workload: geometric mean over the workloads of "
             "its median time and median peak RSS, each divided by %s's on the same workload; the line joins "
             "the configurations no other beats on both.",
             base);
    snprintf(xl, sizeof xl, "workload time relative to %s (geometric mean)", base);
    snprintf(yl, sizeof yl, "peak RSS relative to %s (geometric mean)", base);
    write_tradeoff(P, "tradeoff", pt, n, title, caption, xl, yl,
                   "relative time and peak RSS per configuration, geometric means over workloads", (unit_t){ 1, "" },
                   (unit_t){ 1, "" });
    free(pt);
}

void gcb__fig_tradeoffs(plotter_t *P)
{
    for (size_t w = 0; w < P->rs->nwl; w++)
        fig_tradeoff_wl(P, w);
}
