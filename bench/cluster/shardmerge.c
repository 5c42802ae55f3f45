/*
 * bench/cluster/shardmerge.c - `gcbench merge` of the shards of one plan
 * into one result directory, as if one machine had run the matrix.
 *
 * What it guarantees, or refuses with exit 2 and one line before writing:
 *   - one plan: every directory is a shard (run.json "shard": "K/N") with
 *     the same plan id (spec and order seed), N and shard_by; the plan is
 *     rebuilt from the spec and its id checked against the stored one;
 *   - each shard given once, and each run in it one its shard plans;
 *   - no run twice: a (cell, repetition) in two directories, or twice in
 *     one, is refused (repetitions are the plan's, never renumbered);
 *   - no run missing, unless --partial: then the merge is written, says on
 *     stderr and in run.json ("partial", "missing_runs") what is missing.
 * Lines keep their host, repetition and order_index; each gets
 * source_run_id and source_shard.  A build or library difference between
 * the shards' contexts is warned about (docs/cluster.md: keep them equal).
 */
#include "bench/cluster/cluster.h"
#include "util/outdir.h"
#include "bench/exit.h"
#include "bench/exit.h"
#include "bench/resultdir/files.h"
#include "bench/cell/cell.h"

#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/number.h"

#define die_usage(...) gcb_usage_error("merge", __VA_ARGS__)
#define MISSING_NAMED 3 /* missing runs named in the one-line message */

typedef struct shard_src {
    const char *dir;
    json_t *rj;
    int k;
    gcb_runs_t runs;
    size_t missing;
} shard_src_t;

typedef struct smerge {
    shard_src_t *src;
    size_t nsrc;
    int n, partial;
    const char *out;
    gcb_spec_t spec;
    gcb_cell_t *cells;
    size_t ncells;
    uint32_t *by_name;         /* cell indices sorted by name */
    gcb_cluster_t cl;
    int *from;                 /* per cell * reps + rep: source index, or -1 */
    json_t **line;             /* per cell * reps + rep: its line */
} smerge_t;

int gcb_shard_merge_wanted(char *const *dirs, size_t ndirs)
{
    int want = 0;
    for (size_t i = 0; i < ndirs; i++) {
        char path[GCB_PATH_MAX];
        snprintf(path, sizeof path, "%s/run.json", dirs[i]);
        json_t *rj = json_load_file(path, 0, NULL);
        want |= rj && json_object_get(rj, GCB_K_SHARD);
        json_decref(rj);
    }
    return want;
}

/* The first key of the spec whose value differs, for the message. */
static const char *spec_diff(json_t *a, json_t *b)
{
    const char *k;
    json_t *v;
    json_object_foreach(a, k, v) if (!json_equal(v, json_object_get(b, k))) return k;
    return "(a key only one has)";
}

static void load_source(smerge_t *m, size_t i, const char *dir)
{
    shard_src_t *s = &m->src[i];
    char path[GCB_PATH_MAX], err[2048];
    s->dir = dir;
    snprintf(path, sizeof path, "%s/run.json", dir);
    json_error_t jerr;
    s->rj = json_load_file(path, 0, &jerr);
    if (!s->rj)
        die_usage("'%s' is not a result directory: cannot read %s: %s", dir, path, jerr.text);
    if (json_integer_value(json_object_get(s->rj, GCB_K_FORMAT)) != GCB_MATRIX_FORMAT ||
        json_integer_value(json_object_get(s->rj, GCB_K_SCHEMA)) != GCB_SCHEMA_VERSION)
        die_usage("'%s' was written by an incompatible gcbench (format/schema differ from %d/%d)", dir,
                  GCB_MATRIX_FORMAT, GCB_SCHEMA_VERSION);
    const char *sh = gcb_json_str(s->rj, GCB_K_SHARD), *slash = strchr(sh, '/');
    int64_t k, n;
    char kb[32];
    snprintf(kb, sizeof kb, "%.*s", slash ? (int)(slash - sh) : 0, sh);
    if (!slash || gcb_parse_int(kb, &k) || gcb_parse_int(slash + 1, &n) || n < 1 || k < 0 || k >= n)
        die_usage("'%s' is not a shard (run.json has no \"shard\": \"K/N\"): merge either shards of one plan "
                  "or whole result directories, not both", dir);
    s->k = (int)k;
    if (gcb_runs_load_all(dir, &s->runs, err, sizeof err))
        die_usage("%s", err);
    shard_src_t *f = &m->src[0];
    if (i == 0) {
        m->n = (int)n;
        return;
    }
    if (n != m->n || strcmp(gcb_json_str(s->rj, GCB_K_SHARD_BY), gcb_json_str(f->rj, GCB_K_SHARD_BY)) != 0)
        die_usage("'%s' is shard %s by %s, '%s' is shard %s by %s: shards of different splits", dir, sh,
                  gcb_json_str(s->rj, GCB_K_SHARD_BY), f->dir, gcb_json_str(f->rj, GCB_K_SHARD), gcb_json_str(f->rj, GCB_K_SHARD_BY));
    if (strcmp(gcb_json_str(s->rj, GCB_K_PLAN_ID), gcb_json_str(f->rj, GCB_K_PLAN_ID)) != 0) {
        json_t *sa = json_object_get(f->rj, GCB_K_SPEC), *sb = json_object_get(s->rj, GCB_K_SPEC);
        if (!json_equal(sa, sb))
            die_usage("'%s' and '%s' are shards of different plans: their specs differ in %s", f->dir, dir,
                      spec_diff(sa, sb));
        die_usage("'%s' and '%s' are shards of different plans: order seeds %lld and %lld", f->dir, dir,
                  (long long)json_integer_value(json_object_get(f->rj, GCB_K_ORDER_SEED)),
                  (long long)json_integer_value(json_object_get(s->rj, GCB_K_ORDER_SEED)));
    }
    for (size_t j = 0; j < i; j++)
        if (m->src[j].k == s->k)
            die_usage("shard %s is given twice: '%s' and '%s'", sh, m->src[j].dir, dir);
}

static int cmp_name(const void *a, const void *b, void *arg)
{
    const gcb_cell_t *c = arg;
    return strcmp(c[*(const uint32_t *)a].name, c[*(const uint32_t *)b].name);
}

static long find_cell(const smerge_t *m, const char *name)
{
    size_t lo = 0, hi = m->ncells;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(m->cells[m->by_name[mid]].name, name);
        if (c == 0)
            return m->by_name[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* Rebuild the plan from the first shard's spec and check its id. */
static void rebuild_plan(smerge_t *m)
{
    shard_src_t *f = &m->src[0];
    char err[2048];
    if (gcb_spec_from_json(&m->spec, json_object_get(f->rj, GCB_K_SPEC), err, sizeof err) ||
        gcb_spec_cells(&m->spec, &m->cells, &m->ncells, err, sizeof err))
        die_usage("'%s': its spec does not make a plan here: %s", f->dir, err);
    memset(&m->cl, 0, sizeof m->cl);
    m->cl.n = m->n;
    m->cl.by = strcmp(gcb_json_str(f->rj, GCB_K_SHARD_BY), "rep") == 0 ? GCB_SHARD_BY_REP : GCB_SHARD_BY_CELL;
    uint64_t seed = (uint64_t)json_integer_value(json_object_get(f->rj, GCB_K_ORDER_SEED));
    gcb_shard_prepare(&m->cl, &m->spec, m->ncells, seed);
    if (strcmp(m->cl.plan_id, gcb_json_str(f->rj, GCB_K_PLAN_ID)) != 0)
        die_usage("'%s': run.json's plan_id %s is not the id of its spec and order seed (%s): edited?", f->dir,
                  gcb_json_str(f->rj, GCB_K_PLAN_ID), m->cl.plan_id);
    m->by_name = malloc(m->ncells * sizeof *m->by_name);
    for (size_t i = 0; i < m->ncells; i++)
        m->by_name[i] = (uint32_t)i;
    qsort_r(m->by_name, m->ncells, sizeof *m->by_name, cmp_name, m->cells);
    size_t nplan = m->ncells * (size_t)m->spec.reps;
    m->from = malloc(nplan * sizeof *m->from);
    m->line = calloc(nplan, sizeof *m->line);
    for (size_t i = 0; i < nplan; i++)
        m->from[i] = -1;
}

/* Every line of every shard into its plan slot: in the plan, in its
 * shard, and once. */
static void place_runs(smerge_t *m)
{
    for (size_t s = 0; s < m->nsrc; s++) {
        shard_src_t *src = &m->src[s];
        for (size_t i = 0; i < src->runs.n; i++) {
            json_t *l = src->runs.line[i];
            const char *cell = gcb_json_str(l, GCB_K_CELL);
            json_int_t rep = json_integer_value(json_object_get(l, GCB_K_REP));
            long ci = find_cell(m, cell);
            if (ci < 0 || rep < 0 || rep >= m->spec.reps)
                die_usage("'%s' holds run '%s' repetition %lld, which is not in the plan", src->dir, cell,
                          (long long)rep);
            if (gcb_shard_of(&m->cl, (size_t)ci, (int)rep) != src->k)
                die_usage("'%s' (shard %d/%d) holds run '%s' repetition %lld, which shard %d plans", src->dir,
                          src->k, m->n, cell, (long long)rep, gcb_shard_of(&m->cl, (size_t)ci, (int)rep));
            size_t slot = (size_t)ci * (size_t)m->spec.reps + (size_t)rep;
            if (m->from[slot] >= 0)
                die_usage("run '%s' repetition %lld is recorded twice: in '%s' and in '%s'", cell, (long long)rep,
                          m->src[m->from[slot]].dir, src->dir);
            m->from[slot] = (int)s;
            m->line[slot] = l;
        }
    }
}

/* Missing runs: none, or a one-line account (exit 2 unless --partial). */
static json_t *check_missing(smerge_t *m)
{
    json_t *miss = json_array();
    char named[2048] = "";
    size_t off = 0, total = 0, nplan = m->ncells * (size_t)m->spec.reps;
    for (size_t slot = 0; slot < nplan; slot++) {
        if (m->from[slot] >= 0)
            continue;
        size_t ci = slot / (size_t)m->spec.reps;
        int rep = (int)(slot % (size_t)m->spec.reps), k = gcb_shard_of(&m->cl, ci, rep);
        for (size_t s = 0; s < m->nsrc; s++)
            m->src[s].missing += m->src[s].k == k;
        json_t *o = json_object();
        json_object_set_new(o, GCB_K_CELL, json_string(m->cells[ci].name));
        json_object_set_new(o, GCB_K_REP, json_integer(rep));
        json_object_set_new(o, GCB_K_SHARD, json_integer(k));
        json_array_append_new(miss, o);
        if (total++ < MISSING_NAMED && off < sizeof named)
            off += (size_t)snprintf(named + off, sizeof named - off, "%s%s rep %d", total > 1 ? ", " : "",
                                    m->cells[ci].name, rep);
    }
    if (!total)
        return miss;
    char shards[2048] = "";
    off = 0;
    for (int k = 0; k < m->n && off < sizeof shards; k++) {
        size_t s = 0;
        while (s < m->nsrc && m->src[s].k != k)
            s++;
        if (s == m->nsrc)
            off += (size_t)snprintf(shards + off, sizeof shards - off, "; shard %d/%d not given", k, m->n);
        else if (m->src[s].missing)
            off += (size_t)snprintf(shards + off, sizeof shards - off,
                                    "; shard %d/%d lacks %zu (finish it: gcbench matrix --resume %s)", k, m->n,
                                    m->src[s].missing, m->src[s].dir);
    }
    if (!m->partial)
        die_usage("%zu of %zu planned runs are missing (%s%s)%s; pass --partial to merge what is there", total,
                  nplan, named, total > MISSING_NAMED ? ", ..." : "", shards);
    fprintf(stderr, "gcbench: merge: --partial: %zu of %zu planned runs are missing (%s%s)%s; run.json lists them "
                    "(missing_runs)\n",
            total, nplan, named, total > MISSING_NAMED ? ", ..." : "", shards);
    return miss;
}

/* Warn when the shards' builds or libraries differ. */
static void check_contexts(const smerge_t *m)
{
    static const char *const keys[] = { GCB_K_GIT_COMMIT, GCB_K_VERSION, GCB_K_COMPILER, GCB_K_LIBRARIES, GCB_K_KERNEL };
    json_t *c0 = json_object_get(m->src[0].rj, GCB_K_CONTEXT);
    for (size_t s = 1; s < m->nsrc; s++) {
        json_t *c = json_object_get(m->src[s].rj, GCB_K_CONTEXT);
        for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
            if (!json_equal(json_object_get(c0, keys[i]), json_object_get(c, keys[i]))) {
                char *a = json_dumps(json_object_get(c0, keys[i]), JSON_COMPACT | JSON_ENCODE_ANY);
                char *b = json_dumps(json_object_get(c, keys[i]), JSON_COMPACT | JSON_ENCODE_ANY);
                fprintf(stderr, "gcbench: merge: warning: '%s' and '%s' differ in %s (%s vs %s): keep the build "
                                "and the allocators identical across machines (docs/cluster.md)\n",
                        m->src[0].dir, m->src[s].dir, keys[i], a ? a : "none", b ? b : "none");
                free(a);
                free(b);
            }
    }
}

static int cmp_order(const void *a, const void *b)
{
    json_int_t x = json_integer_value(json_object_get(*(json_t *const *)a, GCB_K_ORDER_INDEX));
    json_int_t y = json_integer_value(json_object_get(*(json_t *const *)b, GCB_K_ORDER_INDEX));
    return x < y ? -1 : x > y;
}

/* runs.jsonl in plan order, atomically; the merged lines in *out. */
static void write_runs(smerge_t *m, gcb_outdir_t *od, gcb_runs_t *out)
{
    size_t nplan = m->ncells * (size_t)m->spec.reps, tcap = 1 << 20, tlen = 0;
    out->n = 0;
    out->line = malloc((nplan + 1) * sizeof *out->line);
    for (size_t slot = 0; slot < nplan; slot++) {
        if (m->from[slot] < 0)
            continue;
        json_t *l = m->line[slot];
        shard_src_t *src = &m->src[m->from[slot]];
        json_object_set(l, GCB_K_SOURCE_RUN, json_object_get(src->rj, GCB_K_RUN_ID));
        json_object_set_new(l, "source_shard", json_integer(src->k));
        out->line[out->n++] = l;
    }
    qsort(out->line, out->n, sizeof *out->line, cmp_order);
    char *text = malloc(tcap), err[2048], path[GCB_PATH_MAX];
    text[0] = '\0';
    for (size_t i = 0; i < out->n; i++) {
        char *s = json_dumps(out->line[i], JSON_COMPACT | JSON_SORT_KEYS);
        size_t sl = strlen(s);
        while (tlen + sl + 2 > tcap)
            text = realloc(text, tcap *= 2);
        memcpy(text + tlen, s, sl);
        tlen += sl;
        text[tlen++] = '\n';
        text[tlen] = '\0';
        free(s);
    }
    snprintf(path, sizeof path, "%s/runs.jsonl", od->tmp);
    if (gcb_write_text_atomic(path, text, err, sizeof err))
        gcb_outdir_fail(od, "merge", err);
    free(text);
}

/* Hosts and failures of the merged lines, for run.json. */
static void host_fields(const gcb_runs_t *runs, json_t *rj)
{
    json_t *hosts = json_object();
    size_t failed = 0;
    for (size_t i = 0; i < runs->n; i++) {
        const char *h = gcb_line_host(runs->line[i]);
        json_object_set_new(hosts, h, json_integer(json_integer_value(json_object_get(hosts, h)) + 1));
        failed += strcmp(gcb_json_str(runs->line[i], GCB_K_STATUS), GCB_STATUS_OK) != 0;
    }
    int mixed = 0;
    for (size_t i = 1; i < runs->n && !mixed; i++) /* lines sorted by order: compare within cells */
        for (size_t j = 0; j < i && !mixed; j++)
            mixed = strcmp(gcb_json_str(runs->line[i], GCB_K_CELL), gcb_json_str(runs->line[j], GCB_K_CELL)) == 0 &&
                    strcmp(gcb_line_host(runs->line[i]), gcb_line_host(runs->line[j])) != 0;
    json_object_set_new(rj, "hosts", hosts);
    json_object_set_new(rj, GCB_K_MIXED_HOSTS, json_boolean(mixed));
    json_object_set_new(rj, GCB_K_RUNS_FAILED, json_integer((json_int_t)failed));
}

static void write_runjson(smerge_t *m, gcb_outdir_t *od, const gcb_runs_t *runs, json_t *missing, int argc,
                          char **argv)
{
    shard_src_t *f = &m->src[0];
    json_t *rj = json_object();
    char ob[GCB_PATH_MAX], err[2048], path[GCB_PATH_MAX];
    snprintf(ob, sizeof ob, "%s", m->out);
    json_object_set_new(rj, GCB_K_FORMAT, json_integer(GCB_MATRIX_FORMAT));
    json_object_set_new(rj, GCB_K_SCHEMA, json_integer(GCB_SCHEMA_VERSION));
    json_object_set_new(rj, GCB_K_RUN_ID, json_string(basename(ob)));
    json_object_set(rj, GCB_K_CONTEXT, json_object_get(f->rj, GCB_K_CONTEXT));
    json_t *cmd = json_array();
    json_array_append_new(cmd, json_string("gcbench"));
    for (int i = 0; i < argc; i++)
        json_array_append_new(cmd, json_string(argv[i]));
    json_object_set_new(rj, GCB_K_COMMAND, cmd);
    static const char *const copied[] = { GCB_K_SPEC, GCB_K_ORDER_SEED, GCB_K_PLAN_ID,
                                          GCB_K_SHARD_BY, GCB_K_PLAN_CELLS, GCB_K_PLAN_RUNS };
    for (size_t i = 0; i < sizeof copied / sizeof copied[0]; i++)
        json_object_set(rj, copied[i], json_object_get(f->rj, copied[i]));
    json_object_set_new(rj, "shards", json_integer(m->n));
    json_object_set_new(rj, GCB_K_CELLS, json_integer((json_int_t)m->ncells));
    json_object_set_new(rj, GCB_K_RUNS_PLANNED, json_integer((json_int_t)(m->ncells * (size_t)m->spec.reps)));
    json_t *from = json_array();
    for (size_t s = 0; s < m->nsrc; s++) {
        json_t *o = json_object();
        json_object_set_new(o, GCB_K_PATH, json_string(m->src[s].dir));
        static const char *const keys[] = { GCB_K_RUN_ID, GCB_K_SHARD, GCB_K_CONTEXT, GCB_K_STARTED, GCB_K_FINISHED };
        for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
            json_object_set(o, keys[i], json_object_get(m->src[s].rj, keys[i]));
        json_object_set_new(o, "runs", json_integer((json_int_t)m->src[s].runs.n));
        json_array_append_new(from, o);
    }
    json_object_set_new(rj, GCB_K_MERGED_FROM, from);
    host_fields(runs, rj);
    json_object_set_new(rj, "partial", json_boolean(json_array_size(missing) > 0));
    if (json_array_size(missing))
        json_object_set(rj, "missing_runs", missing);
    snprintf(path, sizeof path, "%s/run.json", od->tmp);
    if (gcb_write_json_atomic(path, rj, err, sizeof err))
        gcb_outdir_fail(od, "merge", err);
    json_decref(rj);
}

int gcb_shard_merge(const gcb_shard_merge_opts_t *o)
{
    static smerge_t m;
    m.out = o->out;
    m.partial = o->partial;
    m.nsrc = o->ndirs;
    char err[2048];
    /* the output is checked before any work; written whole or not at all */
    if (gcb_outdir_new_check("--out", m.out, err, sizeof err))
        die_usage("%s", err);
    m.src = calloc(m.nsrc, sizeof *m.src);
    for (size_t s = 0; s < m.nsrc; s++)
        load_source(&m, s, o->dirs[s]);
    rebuild_plan(&m);
    place_runs(&m);
    json_t *missing = check_missing(&m);
    check_contexts(&m);
    static gcb_outdir_t od;
    if (gcb_outdir_begin(&od, m.out, err, sizeof err))
        gcb_outdir_fail(&od, "merge", err);
    gcb_runs_t merged;
    write_runs(&m, &od, &merged);
    write_runjson(&m, &od, &merged, missing, o->argc, o->argv);
    if (gcb_summary_write(od.tmp, &merged, err, sizeof err) || gcb_outdir_commit(&od, err, sizeof err))
        gcb_outdir_fail(&od, "merge", err);
    fprintf(stderr, "gcbench: merge: %zu shards of %d (plan %s, by %s): %zu of %zu planned runs into %s%s\n",
            m.nsrc, m.n, m.cl.plan_id, gcb_shard_by_name(m.cl.by), merged.n, m.ncells * (size_t)m.spec.reps, m.out,
            json_array_size(missing) ? " (partial)" : "");
    json_decref(missing);
    free(merged.line);
    return GCB_EXIT_OK;
}
