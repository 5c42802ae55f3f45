/*
 * bench/matrix/plan.c - the plan: the order of the runs (shuffled rounds), --dry-run, the schedule of what is left.
 */
#include "bench/matrix/matrix.h"

/* Recorded runs in order: `reps` rounds, each a random permutation. */
slot_t *gcb__plan_order(size_t ncells, int reps, uint64_t seed)
{
    slot_t *p = malloc(ncells * (size_t)reps * sizeof *p);
    gcb_rng_t rng;
    gcb_rng_seed(&rng, seed);
    for (int r = 0; r < reps; r++) {
        slot_t *round = p + (size_t)r * ncells;
        for (size_t i = 0; i < ncells; i++)
            round[i] = (slot_t){ (uint32_t)i, r };
        for (size_t i = ncells; i > 1; i--) {
            size_t j = gcb_rng_below(&rng, i);
            slot_t t = round[i - 1];
            round[i - 1] = round[j];
            round[j] = t;
        }
    }
    return p;
}

void gcb__shell_quote(FILE *out, const char *s)
{
    if (*s && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-+=/.,:@%") == strlen(s)) {
        fputs(s, out);
        return;
    }
    fputc('\'', out);
    for (; *s; s++) {
        if (*s == '\'')
            fputs("'\\''", out);
        else
            fputc(*s, out);
    }
    fputc('\'', out);
}

/* The spec: defaults, then the file, then the command line; "all" for an
 * axis nobody gave; the default budget for the default matrix. */
void gcb__spec_from_opts(gcb_spec_t *spec, const gcb_matrix_opts_t *o)
{
    char err[2048];
    gcb_spec_defaults(spec);
    if (o->spec_file && gcb_spec_read_file(spec, o->spec_file, err, sizeof err))
        die_usage("%s", err);
    if (o->a_list && gcb_spec_set_names(spec, 'a', o->a_list, err, sizeof err))
        die_usage("-a: %s", err);
    if (o->c_list && gcb_spec_set_names(spec, 'c', o->c_list, err, sizeof err))
        die_usage("-c: %s", err);
    if (o->w_list && gcb_spec_set_names(spec, 'w', o->w_list, err, sizeof err))
        die_usage("-w: %s", err);
    for (size_t i = 0; i < o->nparams; i++) {
        /* -p repeats for several axes; the same key twice would replace the first */
        size_t ki = strcspn(o->params[i], "=");
        for (size_t j = 0; j < i; j++)
            if (strcspn(o->params[j], "=") == ki && strncmp(o->params[i], o->params[j], ki) == 0)
                die_usage("-p %.*s given twice ('%s', then '%s'): give its values in one -p, comma-separated",
                          (int)ki, o->params[i], o->params[j], o->params[i]);
        if (gcb_spec_add_axis(spec, o->params[i], err, sizeof err))
            die_usage("-p: %s", err);
    }
    for (size_t i = 0; i < o->nscalars; i++)
        if (gcb_spec_set(spec, o->scalars[i].key, o->scalars[i].val, err, sizeof err))
            die_usage("%s", err);
    int dflt = !o->spec_file && !o->a_list && !o->c_list; /* bench/matrix/default.c */
    if (o->full && !dflt)
        die_usage("--full is the default matrix's cross-product: give it without --spec, -a and -c");
    if (dflt && !o->resume)
        gcb__default_spec(spec, o->full);
    if (!spec->n_alloc)
        gcb_spec_set_names(spec, 'a', "all", err, sizeof err);
    if (!spec->n_coll)
        gcb_spec_set_names(spec, 'c', "all", err, sizeof err);
    if (!spec->n_wl)
        gcb_spec_set_names(spec, 'w', "all", err, sizeof err);
    if (!o->spec_file && !spec->set_budget && !dflt)
        spec->budget_s = DEFAULT_BUDGET_S;
    gcb_cluster_spec(o->co, spec, o->order_seed_set, o->resume != NULL);
}

/* The cells, this program's path, whether --budget picks the scale (a new
 * matrix, no scale axis, some workload with a scale), and the plan. */
void gcb__plan_cells(matrix_t *m, int resume)
{
    char err[2048];
    gcb_spec_t *spec = &m->spec;
    if (gcb_spec_cells(spec, &m->cells, &m->ncells, err, sizeof err))
        die_usage("%s", err);
    if (m->ncells == 0)
        die_usage("the spec selects no cell");
    ssize_t el = readlink("/proc/self/exe", m->exe, sizeof m->exe - 1);
    if (el <= 0)
        die_usage("cannot find this program's path: %s", strerror(errno));
    m->exe[el] = '\0';
    m->tty = isatty(2);
    snprintf(m->host, sizeof m->host, "%s", gcb_host_name());
    int budgeted = !resume && spec->budget_s > 0 && !gcb_spec_has_axis(spec, "scale");
    int any_scale = 0;
    for (size_t w = 0; w < spec->n_wl; w++)
        for (const gcb_param_def_t *d = gcb_cell_workload_find(spec->workloads[w])->params; d && d->name; d++)
            any_scale |= strcmp(d->name, "scale") == 0;
    m->budgeted = budgeted & any_scale;
    m->order = gcb__plan_order(m->ncells, spec->reps, m->order_seed);
    m->nplan = m->ncells * (size_t)spec->reps;
    gcb_shard_prepare(m->co, spec, m->ncells, m->order_seed);
}

/* --dry-run: one shell command per recorded run, in the plan's order. */
int gcb__dry_run(const matrix_t *m, const char *base)
{
    static char jpath[GCB_PATH_MAX], store[64][GCB_ARG_MAX];
    size_t nstore;
    if (m->budgeted)
        fprintf(stderr, "gcbench: matrix: --dry-run: the budget's scale is chosen when the matrix runs; "
                        "these commands use the workloads' default scale\n");
    fprintf(stderr, "gcbench: matrix: %zu cells x %d repetitions = %zu runs (order seed %llu)\n", m->ncells,
            m->spec.reps, m->nplan, (unsigned long long)m->order_seed);
    gcb_shard_describe(m->co, stderr, m->nplan);
    for (size_t i = 0; i < m->nplan; i++) {
        const gcb_cell_t *c = &m->cells[m->order[i].cell];
        if (!gcb_shard_owns(m->co, m->order[i].cell, m->order[i].rep))
            continue;
        snprintf(jpath, sizeof jpath, "%s/dry-run/run-%06zu-c%u-r%d.json", base, i, m->order[i].cell,
                 m->order[i].rep);
        char **av = gcb__run_argv(m, c, jpath, NULL, store, &nstore);
        gcb__shell_quote(stdout, m->exe);
        for (char **a = av + 1; *a; a++) {
            fputc(' ', stdout);
            gcb__shell_quote(stdout, *a);
        }
        fputc('\n', stdout);
    }
    return GCB_EXIT_OK;
}

/* The schedule: warm-ups of the cells with runs to do (in the first
 * round's order), then the runs not yet recorded, in the plan's order. */
void gcb__schedule(matrix_t *m, const unsigned char *done)
{
    const slot_t *order = m->order;
    int reps = m->spec.reps;
    size_t ntodo = 0;
    slot_t *todo = malloc((m->nplan + m->ncells) * sizeof *todo);
    unsigned char *needs = calloc(m->ncells, 1);
    for (size_t i = 0; i < m->nplan; i++)
        if (!done[(size_t)order[i].cell * reps + order[i].rep])
            needs[order[i].cell] = 1;
    for (size_t i = 0; i < m->ncells; i++)
        if (needs[order[i].cell])
            todo[ntodo++] = (slot_t){ order[i].cell, -1 };
    size_t nwarm = ntodo;
    for (size_t i = 0; i < m->nplan; i++)
        if (!done[(size_t)order[i].cell * reps + order[i].rep])
            todo[ntodo++] = order[i];
    size_t already = gcb_shard_runs(m->co, m->nplan) - (ntodo - nwarm);
    fprintf(stderr, "gcbench: matrix: %zu cells x %d repetitions = %zu runs%s%zu to do (+%zu warm-ups), "
                    "order seed %llu, results in %s\n",
            m->ncells, reps, m->nplan, already ? ", " : ": ", ntodo - nwarm, nwarm,
            (unsigned long long)m->order_seed, m->dir);
    gcb_shard_describe(m->co, stderr, m->nplan);
    if (already)
        fprintf(stderr, "gcbench: matrix: resuming: %zu runs already recorded are kept\n", already);
    m->todo = todo;
    m->ntodo = ntodo;
    m->nwarm = nwarm;
}
