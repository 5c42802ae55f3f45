/*
 * bench/cluster/shard.c - `gcbench matrix --shard K/N`: which runs of the
 * plan shard K runs, and what its run.json says about it.
 *
 * The split is a function of (spec, order seed, N, by) only, never of the
 * machine, the clock or what ran before, so every machine computes the
 * same one (cluster.h states the two splits).  By cell, the cells are
 * dealt from a permutation drawn from the order seed (mixed with a
 * constant, so it is not the first round's order), so a shard holds cells
 * of every allocator and workload rather than a block of neighbours in the
 * name order, and its runs stay interleaved in the plan's rounds.
 *
 * The plan id is a 64-bit FNV-1a hash of the canonical spec JSON (keys
 * sorted, compact) and the order seed: two shards with one plan id ran
 * one plan; merge checks it.  The budget never enters a sharded spec
 * (gcb_cluster_spec), so the scale is fixed before any machine starts.
 */
#include "bench/cluster/cluster.h"
#include "bench/exit.h"
#include "bench/resultdir/files.h"
#include "bench/cell/cell.h"

#include <stdlib.h>
#include <string.h>

#include "util/number.h"
#include "util/rng.h"

#define die_usage(...) gcb_usage_error("matrix", __VA_ARGS__)

/* --- tunables ------------------------------------------------------------ */
#define MAX_SHARDS 100000                    /* more shards than this is a typo */
#define CELL_DEAL_SALT 0x5348415244ull       /* "SHARD": the dealing permutation's seed */

const char *gcb_shard_by_name(int by) { return by == GCB_SHARD_BY_REP ? "rep" : "cell"; }

static void parse_shard(gcb_cluster_t *c, const char *v)
{
    const char *slash = strchr(v, '/');
    char k[64], n[64];
    int64_t kv, nv;
    if (!slash || (size_t)(slash - v) >= sizeof k || strlen(slash + 1) >= sizeof n)
        die_usage("--shard '%s': give K/N, shard K (from 0) of N, e.g. 0/4", v);
    snprintf(k, sizeof k, "%.*s", (int)(slash - v), v);
    snprintf(n, sizeof n, "%s", slash + 1);
    if (gcb_parse_int(k, &kv) || gcb_parse_int(n, &nv))
        die_usage("--shard '%s': K and N must be integers (shard K of N, K from 0), e.g. 0/4", v);
    if (nv < 1 || nv > MAX_SHARDS)
        die_usage("--shard '%s': N must be from 1 to %d", v, MAX_SHARDS);
    if (kv < 0 || kv >= nv)
        die_usage("--shard '%s': K must be from 0 to N-1 = %lld (shards count from 0, as Slurm array indices do)",
                  v, (long long)(nv - 1));
    c->k = (int)kv;
    c->n = (int)nv;
}

void gcb_cluster_option(gcb_cluster_t *c, int opt, const char *v)
{
    int64_t iv;
    switch (opt) {
    case GCB_CLUSTER_OPT_SHARD: parse_shard(c, v); break;
    case GCB_CLUSTER_OPT_SHARD_BY:
        if (strcmp(v, "cell") != 0 && strcmp(v, "rep") != 0)
            die_usage("--shard-by '%s': give cell (a cell's runs on one machine) or rep (every machine "
                      "runs every cell, for a subset of the repetitions)", v);
        c->by = strcmp(v, "rep") == 0 ? GCB_SHARD_BY_REP : GCB_SHARD_BY_CELL;
        c->by_set = 1;
        break;
    case GCB_CLUSTER_OPT_EMIT:
        if (strcmp(v, "slurm") != 0 && strcmp(v, "parallel") != 0)
            die_usage("--emit '%s': unknown engine; accepted: slurm (a job array script), parallel "
                      "(a GNU parallel command file)", v);
        c->emit = v;
        break;
    case GCB_CLUSTER_OPT_SHARDS:
        if (gcb_parse_int(v, &iv) || iv < 1 || iv > MAX_SHARDS)
            die_usage("--shards '%s': give an integer from 1 to %d", v, MAX_SHARDS);
        c->shards = (int)iv;
        break;
    }
}

void gcb_cluster_check(gcb_cluster_t *c)
{
    if (c->n && c->emit)
        die_usage("--shard and --emit exclude each other: --emit writes the commands that run each --shard");
    if (c->shards && !c->emit)
        die_usage("--shards N goes with --emit (a single shard is --shard K/N)");
    if (c->by_set && !c->n && !c->emit)
        die_usage("--shard-by goes with --shard K/N or --emit");
    if (c->emit && !c->shards)
        c->shards = 4;
}

void gcb_cluster_spec(gcb_cluster_t *c, gcb_spec_t *s, int order_seed_set, int resuming)
{
    if (!c->n && !c->emit)
        return;
    if (c->n && !order_seed_set && !resuming)
        die_usage("--shard %d/%d needs --order-seed N, the same on every machine, so that the shards split one "
                  "plan (gcbench matrix --emit writes the commands with one)", c->k, c->n);
    if (s->budget_s > 0 && s->set_budget && !gcb_spec_has_axis(s, "scale"))
        die_usage("a time budget chooses the scale by timing the machine it runs on, so shards on different "
                  "machines could run different plans: give -p scale=S or --budget 0");
    s->budget_s = 0; /* off in every shard's spec (the default matrix's too), so one plan id */
}

void gcb_cluster_resume(gcb_cluster_t *c, json_t *runjson, const char *dir)
{
    json_t *sh = json_object_get(runjson, GCB_K_SHARD);
    if (!sh) {
        if (c->n)
            die_usage("--resume '%s': not a shard (its run.json has no \"shard\"); give --resume alone", dir);
        return;
    }
    gcb_cluster_t stored;
    memset(&stored, 0, sizeof stored);
    const char *text = json_string_value(sh);
    if (!text)
        die_usage("--resume '%s': run.json's \"shard\" is not a string K/N", dir);
    parse_shard(&stored, text);
    const char *by = json_string_value(json_object_get(runjson, GCB_K_SHARD_BY));
    stored.by = by && strcmp(by, "rep") == 0 ? GCB_SHARD_BY_REP : GCB_SHARD_BY_CELL;
    if (c->n && (c->n != stored.n || c->k != stored.k || (c->by_set && c->by != stored.by)))
        die_usage("--resume '%s': it is shard %s by %s, not the --shard %d/%d given", dir, text,
                  gcb_shard_by_name(stored.by), c->k, c->n);
    c->k = stored.k;
    c->n = stored.n;
    c->by = stored.by;
    c->by_set = 1;
}

void gcb_plan_id(const gcb_spec_t *s, uint64_t order_seed, char out[17])
{
    json_t *j = gcb_spec_json(s);
    char *text = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(j);
    uint64_t h = 0xcbf29ce484222325ull;
    for (const unsigned char *p = (const unsigned char *)text; p && *p; p++)
        h = (h ^ *p) * 0x100000001b3ull;
    for (int i = 0; i < 8; i++)
        h = (h ^ ((order_seed >> (8 * i)) & 0xff)) * 0x100000001b3ull;
    free(text);
    snprintf(out, 17, "%016llx", (unsigned long long)h);
}

void gcb_shard_prepare(gcb_cluster_t *c, const gcb_spec_t *s, size_t ncells, uint64_t order_seed)
{
    int n = c->n ? c->n : c->shards;
    c->ncells = ncells;
    c->reps = s->reps;
    gcb_plan_id(s, order_seed, c->plan_id);
    if (!n)
        return;
    if (c->by == GCB_SHARD_BY_REP && s->reps < n)
        die_usage("--shard-by rep with %d shards needs at least %d repetitions (the spec has %d): each shard "
                  "runs some repetitions of every cell", n, n, s->reps);
    if (c->by == GCB_SHARD_BY_CELL && ncells < (size_t)n)
        die_usage("%d shards by cell need at least %d cells (the spec selects %zu): use fewer shards or "
                  "--shard-by rep", n, n, ncells);
    free(c->owner);
    c->owner = malloc(ncells * sizeof *c->owner);
    uint32_t *perm = malloc(ncells * sizeof *perm);
    for (size_t i = 0; i < ncells; i++)
        perm[i] = (uint32_t)i;
    gcb_rng_t rng;
    gcb_rng_seed(&rng, order_seed ^ CELL_DEAL_SALT);
    for (size_t i = ncells; i > 1; i--) {
        size_t j = gcb_rng_below(&rng, i);
        uint32_t t = perm[i - 1];
        perm[i - 1] = perm[j];
        perm[j] = t;
    }
    for (size_t p = 0; p < ncells; p++)
        c->owner[perm[p]] = (uint32_t)(p % (size_t)n);
    free(perm);
    c->nmine = 0;
    for (size_t i = 0; i < ncells; i++)
        for (int r = 0; r < s->reps; r++)
            c->nmine += gcb_shard_of(c, i, r) == c->k;
}

int gcb_shard_of(const gcb_cluster_t *c, size_t cell, int rep)
{
    int n = c->n ? c->n : c->shards;
    if (!n || !c->owner)
        return 0;
    return c->by == GCB_SHARD_BY_REP ? rep % n : (int)c->owner[cell];
}

int gcb_shard_owns(const gcb_cluster_t *c, size_t cell, int rep)
{
    return !c->n || gcb_shard_of(c, cell, rep) == c->k;
}

size_t gcb_shard_runs(const gcb_cluster_t *c, size_t nplan) { return c->n ? c->nmine : nplan; }

int gcb_shard_dir_name(const gcb_cluster_t *c, char *id, size_t n)
{
    if (!c->n)
        return 0;
    snprintf(id, n, "shard-%d-of-%d", c->k, c->n);
    return 1;
}

void gcb_shard_runjson(const gcb_cluster_t *c, json_t *runjson, size_t nplan)
{
    if (!c->n)
        return;
    char text[64];
    snprintf(text, sizeof text, "%d/%d", c->k, c->n);
    json_object_set_new(runjson, GCB_K_SHARD, json_string(text));
    json_object_set_new(runjson, GCB_K_SHARD_BY, json_string(gcb_shard_by_name(c->by)));
    json_object_set_new(runjson, GCB_K_PLAN_ID, json_string(c->plan_id));
    json_object_set_new(runjson, GCB_K_PLAN_RUNS, json_integer((json_int_t)nplan));
    json_object_set_new(runjson, GCB_K_PLAN_CELLS, json_integer((json_int_t)c->ncells));
    json_object_set_new(runjson, GCB_K_RUNS_PLANNED, json_integer((json_int_t)c->nmine));
}

void gcb_shard_describe(const gcb_cluster_t *c, FILE *f, size_t nplan)
{
    if (!c->n)
        return;
    size_t cells = 0;
    for (size_t i = 0; i < c->ncells; i++) {
        int any = 0;
        for (int r = 0; r < c->reps && !any; r++)
            any = gcb_shard_owns(c, i, r);
        cells += (size_t)any;
    }
    fprintf(f, "gcbench: matrix: shard %d/%d by %s of plan %s: %zu of %zu runs, %zu of %zu cells (one warm-up "
               "each)\n",
            c->k, c->n, gcb_shard_by_name(c->by), c->plan_id, c->nmine, nplan, cells, c->ncells);
}
