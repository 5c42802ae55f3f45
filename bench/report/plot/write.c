/*
 * bench/report/plot/write.c - the .dat/.gp primitives: the plotter's files and messages, quoting, data numbers, units, headings and labels, colours, and the number formatters of the figures.
 */
#include "bench/report/plot/figure.h"

void gcb__say(const plotter_t *P, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "gcbench: %s: ", P->who);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

void gcb__skip(plotter_t *P, const char *fmt, ...)
{
    if (P->out->nskipped == sizeof P->out->skipped / sizeof P->out->skipped[0])
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(P->out->skipped[P->out->nskipped++], sizeof P->out->skipped[0], fmt, ap);
    va_end(ap);
}

/* A file name part from a workload or parameter name. */
void gcb__sanitize(char *out, size_t n, const char *s)
{
    size_t i = 0;
    for (; *s && i + 1 < n; s++)
        out[i++] = (char)((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
                                  *s == '-' || *s == '.'
                              ? *s
                              : '_');
    out[i] = '\0';
}

/* ------------------------------------------------- a figure's two files
 * A figure's .dat and .gp are written into memory (gcb__open_file,
 * gcb__close_file) and reach the plot directory together when the figure
 * is added (gcb__add_figure), each by util/outpath.c's rule: a temp name,
 * fsync, rename.  So a figure that could not be written leaves no file of
 * it (not a .dat without its script, never a part of either), and a
 * figure given up half way (a return between the two files) leaves
 * nothing at all. */

static void pending_drop(plotter_t *P)
{
    for (size_t k = 0; k < GCB__NPENDING; k++) {
        if (P->pend[k].f)
            fclose(P->pend[k].f);
        free(P->pend[k].buf);
        memset(&P->pend[k], 0, sizeof P->pend[k]);
    }
}

void gcb__pending_free(plotter_t *P) { pending_drop(P); }

FILE *gcb__open_file(plotter_t *P, const char *stem, const char *ext)
{
    size_t k = strcmp(ext, "dat") == 0 ? 0 : 1;
    if (k == 0)
        pending_drop(P); /* a figure given up after its data file */
    gcb__pending_t *p = &P->pend[k];
    free(p->buf);
    memset(p, 0, sizeof *p);
    snprintf(p->stem, sizeof p->stem, "%s", stem);
    snprintf(p->ext, sizeof p->ext, "%s", ext);
    p->f = open_memstream(&p->buf, &p->len);
    if (!p->f) {
        gcb__say(P, "cannot write '%s/%s.%s': %s", P->out->outdir, stem, ext, strerror(errno));
        P->write_failed = 1;
    }
    return p->f;
}

int gcb__close_file(plotter_t *P, FILE *f, const char *stem, const char *ext)
{
    for (size_t k = 0; k < GCB__NPENDING; k++) {
        gcb__pending_t *p = &P->pend[k];
        if (p->f != f)
            continue;
        p->f = NULL;
        if (ferror(f) | (fclose(f) != 0)) {
            gcb__say(P, "cannot write '%s/%s.%s': out of memory", P->out->outdir, stem, ext);
            P->write_failed = 1;
            free(p->buf);
            memset(p, 0, sizeof *p);
            return -1;
        }
        p->done = 1;
        return 0;
    }
    return -1;
}

/* Write the figure's files (both, or neither). */
static int publish(plotter_t *P, const char *stem)
{
    char path[GCB__NPENDING][GCB_PATH_MAX];
    size_t written = 0;
    for (size_t k = 0; k < GCB__NPENDING; k++) {
        const gcb__pending_t *p = &P->pend[k];
        if (!p->done || strcmp(p->stem, stem) != 0)
            break; /* gcb__close_file said why */
        char err[4600];
        snprintf(path[k], sizeof path[k], "%s/%s.%s", P->out->outdir, stem, p->ext);
        if (gcb_outpath_write(path[k], p->buf, p->len, err, sizeof err) != 0) {
            gcb__say(P, "%s; figure %s not written", err, stem);
            break;
        }
        written++;
    }
    pending_drop(P);
    if (written == GCB__NPENDING)
        return 0;
    for (size_t k = 0; k < written; k++)
        unlink(path[k]);
    P->write_failed = 1;
    return -1;
}

gcb_figure_t *gcb__add_figure(plotter_t *P, const char *stem, const char *title, const char *caption)
{
    if (publish(P, stem) != 0)
        return NULL;
    if (P->out->n == P->cap) {
        P->cap = P->cap ? 2 * P->cap : 32;
        P->out->fig = realloc(P->out->fig, P->cap * sizeof *P->out->fig);
    }
    gcb_figure_t *f = &P->out->fig[P->out->n++];
    memset(f, 0, sizeof *f);
    snprintf(f->stem, sizeof f->stem, "%s", stem);
    snprintf(f->title, sizeof f->title, "%s", title);
    snprintf(f->caption, sizeof f->caption, "%s", caption);
    return f;
}

/* A figure not drawn this time (bars the heatmap replaces): its files from
 * an earlier `gcbench plot` would otherwise stand beside the new ones and
 * be taken for current.  Removed only when its script is one gcbench plot
 * wrote (gp_begin's second line), so a user's own files of that name stay. */
void gcb__remove_figure(const plotter_t *P, const char *stem)
{
    char path[GCB_PATH_MAX], head[512] = "";
    snprintf(path, sizeof path, "%s/%s.gp", P->out->outdir, stem);
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    size_t n = fread(head, 1, sizeof head - 1, f);
    head[n] = '\0';
    fclose(f);
    if (!strstr(head, "# Written by `gcbench plot` from "))
        return;
    static const char *const ext[] = { "dat", "gp", "png", "svg" };
    for (size_t e = 0; e < sizeof ext / sizeof ext[0]; e++) {
        snprintf(path, sizeof path, "%s/%s.%s", P->out->outdir, stem, ext[e]);
        if (unlink(path) != 0 && errno != ENOENT)
            gcb__say(P, "warning: cannot remove '%s': %s", path, strerror(errno));
    }
}

/* A string in a data file: double quotes (gnuplot reads it as one column). */
void gcb__dat_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++)
        fputc(*s == '"' ? '\'' : *s, f);
    fputc('"', f);
}

/* A string in a script between `quote`s, each one inside preceded by `escape`. */
void gcb__gp_quoted(FILE *f, const char *s, char quote, char escape)
{
    fputc(quote, f);
    for (; *s; s++) {
        if (*s == quote)
            fputc(escape, f);
        fputc(*s, f);
    }
    fputc(quote, f);
}

void gcb__dat_num(FILE *f, double v)
{
    if (isnan(v) || isinf(v))
        fputs(" ?", f);
    else
        fprintf(f, " %.6g", v);
}

size_t gcb__index_of(const char *const *list, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], name) == 0)
            return i;
    return 0;
}

/* The style group of a cell (and the group its pauses belong to): collector plus the parameters that
 * tell the workload's cells apart (the series without its allocator). */
const char *gcb__coll_label(const gcb_rcell_t *c)
{
    const char *slash = strchr(c->series, '/');
    return slash ? slash + 1 : c->series;
}

/* A workload's heading under (bars) or above (heatmap) its group: its
 * name, the parameters its cells share, and what `head` adds ("glibc/rc:
 * 83 M ops/s" named, "83 M ops/s" not).  Lines joined by the two characters
 * \n, which gnuplot reads as a line break in a data file's string and a
 * double-quoted one.  Returns the number of lines. */
int gcb__wl_heading(const plotter_t *P, size_t w, gcb_metric_t m, heading_t head, char *out, size_t n)
{
    const char *base = P->o->baseline;
    const gcb_rcell_t *any = gcb_table_col_cell(P->T, w);
    const gcb_tcell_t *bc = gcb_table_col_base(P->T, w);
    size_t off = (size_t)snprintf(out, n, "%s", P->rs->wl[w]);
    int lines = 1;
    if (any && any->wl_params[0] && off < n) {
        off += (size_t)snprintf(out + off, n - off, "\\n%s", any->wl_params);
        lines++;
    }
    if (off >= n || head == HEAD_NAME)
        return lines;
    int named = head == HEAD_NAMED_BASE;
    if (bc && bc->m[m].n) {
        char hv[64];
        gcb_fmt_human(hv, sizeof hv, bc->m[m].median, m == GCB_M_RSS ? "B" : "");
        snprintf(out + off, n - off, "\\n%s%s%s%s", named ? base : "", named ? ": " : "", hv,
                 m == GCB_M_OPS ? " ops/s" : "");
    } else {
        snprintf(out + off, n - off, "\\n(no %s %s)", base, bc ? "value" : "cell");
    }
    return lines + 1;
}

/* Any cell drawn as `series` (they share allocator and collector). */
const gcb_rcell_t *gcb__series_cell(const gcb_rset_t *rs, const char *series)
{
    for (size_t i = 0; i < rs->ncells; i++)
        if (strcmp(rs->cells[i].series, series) == 0)
            return &rs->cells[i];
    return NULL;
}

const char *gcb__colour_of(const plotter_t *P, const char *alloc)
{
    return colours[gcb__index_of(P->alloc, P->nalloc, alloc) % NCOLOURS];
}

const char *gcb__fill_of(const plotter_t *P, const gcb_rcell_t *c)
{
    return fills[gcb__index_of(P->coll, P->ncoll, gcb__coll_label(c)) % NFILLS];
}

/* A collector (with its parameters) in the timelines' collector column. */
const char *gcb__coll_colour_of(const plotter_t *P, const gcb_rcell_t *c)
{
    return coll_colours[gcb__index_of(P->coll, P->ncoll, gcb__coll_label(c)) % NCOLL_COLOURS];
}

/* The script's opening: where it comes from, how to re-run it, the
 * change to its own directory, and the loop over the two formats.  The
 * body follows; gp_end closes the loop. */
void gcb__gp_begin(FILE *f, const plotter_t *P, const char *stem, const char *what, int w, int h)
{
    fprintf(f, "# %s.gp - %s\n", stem, what);
    fprintf(f, "# Written by `gcbench plot` from %s; the numbers are in %s.dat (its\n", P->rs->dir, stem);
    fprintf(f, "# comment lines say what each column is).  Edit freely and re-run with\n");
    fprintf(f, "#   gnuplot %s.gp\n", stem);
    fprintf(f, "# from any directory: it changes to its own, reads %s.dat and writes\n", stem);
    fprintf(f, "# %s.png and %s.svg.  `gcbench plot` overwrites this file.\n\n", stem, stem);
    fprintf(f, "_gp_d = ARG0; _gp_i = strlen(_gp_d)\n"
               "while (_gp_i > 0 && _gp_d[_gp_i:_gp_i] ne \"/\") { _gp_i = _gp_i - 1 }\n"
               "if (_gp_i > 1) { cd _gp_d[1:_gp_i-1] }\n"
               "if (_gp_i == 1) { cd \"/\" }\n\n");
    fprintf(f, "set encoding utf8\nset datafile missing '?'\n");
    fprintf(f, "do for [fmt in \"png svg\"] {\n");
    fprintf(f, "if (fmt eq \"png\") { set terminal pngcairo size %d,%d noenhanced font 'sans,10' }\n", w, h);
    fprintf(f, "if (fmt eq \"svg\") { set terminal svg size %d,%d noenhanced font 'sans,10' background '#ffffff' }\n",
            w, h);
    fprintf(f, "set output '%s.'.fmt\n", stem);
}

/* A key (legend) right of the plot, entries after their samples, under
 * `title` (NULL: none), made wide enough for `chars` characters, its
 * longest entry or title: gnuplot reserves 7 px a character where pngcairo
 * draws up to 8 (digits 7.8), and a key too narrow is cut at the canvas's
 * edge. */
void gcb__gp_key(FILE *g, const char *title, size_t chars)
{
    fputs("set key outside right top vertical Left reverse", g);
    if (title) {
        fputs(" title ", g);
        gp_str(g, title);
        chars = strlen(title) > chars ? strlen(title) : chars;
    }
    fprintf(g, " noenhanced width %zu\n", chars * (KEY_CHAR_PX - GNUPLOT_CHAR_PX) / GNUPLOT_CHAR_PX + 1);
}

/* The longest of the series labels `series[idx[k]]` (idx NULL: series[k]), k < n. */
size_t gcb__longest_label(const char (*series)[GCB_LABEL_MAX], const size_t *idx, size_t n)
{
    size_t best = 0;
    for (size_t k = 0; k < n; k++) {
        size_t l = strlen(series[idx ? idx[k] : k]);
        best = l > best ? l : best;
    }
    return best;
}

/* The longest line of a heading whose lines are joined by \n. */
size_t gcb__longest_line(const char *s)
{
    size_t best = 0, cur = 0;
    for (; *s; s++) {
        if (s[0] == '\\' && s[1] == 'n') {
            cur = 0;
            s++;
            continue;
        }
        best = ++cur > best ? cur : best;
    }
    return best;
}
