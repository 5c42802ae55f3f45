/*
 * bench/cluster/emit.c - `gcbench matrix --emit slurm|parallel`: the files
 * that run the N shards of one plan with a real scheduler, and the merge.
 *
 * Written into OUT (made absolute, since the commands run elsewhere):
 *   plan.spec       the resolved spec as a spec file (every list expanded,
 *                   every limit explicit, budget 0), so each machine reads
 *                   the same plan whatever its own defaults (3/4 of its
 *                   memory, its allocators); re-read here and checked equal;
 *   gcbench.sbatch  a Slurm array script, one task per shard; or
 *   parallel.txt    a GNU parallel command file, one line per shard;
 *   merge.sh        the merge of the N shard directories and the report.
 * Each shard's command is `gcbench matrix --spec OUT/plan.spec --order-seed
 * S --shard K/N --shard-by B --out OUT` into OUT/shard-K-of-N, or `--resume`
 * of that directory when an earlier attempt left it, so a requeued task or
 * a re-run of the command file finishes a shard instead of duplicating it.
 * The paths (gcbench, OUT) must be the same on every machine: a shared
 * file system, or the same install path and a copy back (docs/cluster.md).
 */
#include "bench/cluster/cluster.h"
#include "bench/exit.h"
#include "bench/exit.h"
#include "bench/resultdir/files.h"
#include "bench/cell/cell.h"
#include "bench/report/format.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define die_usage(...) gcb_usage_error("matrix", __VA_ARGS__)

/* --- tunables ------------------------------------------------------------ */
#define SLURM_MEM_MARGIN_MIB 512   /* the matrix and its spawner beside the run's limit */
#define SLURM_TIME_PER_RUN_S 2.0   /* beyond the timeout: the SIGKILL grace, start, teardown */
#define SLURM_TIME_MARGIN_S 300.0  /* summary, report and figures at the end */

static void sq(FILE *out, const char *s)
{
    fputc('\'', out);
    for (; *s; s++) {
        if (*s == '\'')
            fputs("'\\''", out);
        else
            fputc(*s, out);
    }
    fputc('\'', out);
}

static void names_line(FILE *f, const char *key, char *const *v, size_t n)
{
    fprintf(f, "%s =", key);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s %s", i ? "," : "", v[i]);
    fputc('\n', f);
}

static void check_value(const char *v)
{
    if (strpbrk(v, "#,\n\r"))
        die_usage("--emit: '%s' cannot be written to a spec file (it holds '#', ',' or a newline)", v);
}

/* The resolved spec as a spec file; -1 on a write error. */
static int write_spec(const char *path, const gcb_spec_t *s, const char *plan_id, uint64_t seed)
{
    char *const *lists[] = { s->allocators, s->collectors, s->workloads };
    size_t counts[] = { s->n_alloc, s->n_coll, s->n_wl };
    for (int l = 0; l < 3; l++)
        for (size_t i = 0; i < counts[l]; i++)
            check_value(lists[l][i]);
    for (size_t a = 0; a < s->n_axes; a++)
        for (size_t i = 0; i < s->axes[a].n; i++)
            check_value(s->axes[a].values[i]);
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fprintf(f, "# plan.spec - written by `gcbench matrix --emit`: plan %s, order seed %llu.\n"
               "# Every shard reads this file; do not edit it between shards of one plan.\n",
            plan_id, (unsigned long long)seed);
    names_line(f, "allocators", s->allocators, s->n_alloc);
    names_line(f, "collectors", s->collectors, s->n_coll);
    names_line(f, "workloads", s->workloads, s->n_wl);
    if (s->n_only) /* the default matrix's cell patterns (bench/matrix/default.c) */
        names_line(f, "only", s->only, s->n_only);
    for (size_t a = 0; a < s->n_axes; a++) {
        char key[80];
        snprintf(key, sizeof key, "param %s", s->axes[a].key);
        names_line(f, key, s->axes[a].values, s->axes[a].n);
    }
    fprintf(f, "reps = %d\nseed = %llu\ntimeout = %.17g\n", s->reps, (unsigned long long)s->seed, s->timeout_s);
    if (s->mem_limit)
        fprintf(f, "mem-limit = %llu\n", (unsigned long long)s->mem_limit);
    else
        fputs("mem-limit = none\n", f);
    fprintf(f, "timeline = %s\nbudget = 0\n", s->timeline ? "on" : "off");
    return fclose(f) == 0 ? 0 : -1;
}

/* Read plan.spec back: it must give the very spec (so the same plan id). */
static void verify_spec(const char *path, const gcb_spec_t *s)
{
    static gcb_spec_t back;
    char err[2048];
    gcb_spec_defaults(&back);
    if (gcb_spec_read_file(&back, path, err, sizeof err))
        die_usage("--emit: the written spec does not read back: %s", err);
    json_t *a = gcb_spec_json(s), *b = gcb_spec_json(&back);
    int same = json_equal(a, b);
    json_decref(a);
    json_decref(b);
    if (!same)
        die_usage("--emit: %s does not read back as the same spec (a value the spec format cannot hold)", path);
}

/* The command of shard $K (K a shell word) of the plan. */
static void shard_command(FILE *f, const char *exe, const char *out, const gcb_cluster_t *c, uint64_t seed,
                          const char *k, int n)
{
    fprintf(f, "D=");
    sq(f, out);
    fprintf(f, "/shard-%s-of-%d; if [ -f \"$D/run.json\" ]; then exec ", k, n);
    sq(f, exe);
    fprintf(f, " matrix --resume \"$D\"; else exec ");
    sq(f, exe);
    fprintf(f, " matrix --spec ");
    sq(f, out);
    fprintf(f, "/plan.spec --order-seed %llu --shard \"%s/%d\" --shard-by %s --out ", (unsigned long long)seed, k,
            n, gcb_shard_by_name(c->by));
    sq(f, out);
    fputs("; fi\n", f);
}

/* Worst case of the largest shard: every run and warm-up at its timeout. */
static void slurm_time(const gcb_cluster_t *c, const gcb_spec_t *s, char *buf, size_t n)
{
    size_t most = 0;
    for (int k = 0; k < c->shards; k++) {
        size_t runs = 0, cells = 0;
        for (size_t i = 0; i < c->ncells; i++) {
            int any = 0;
            for (int r = 0; r < s->reps; r++)
                if (gcb_shard_of(c, i, r) == k)
                    runs++, any = 1;
            cells += (size_t)any;
        }
        most = runs + cells > most ? runs + cells : most;
    }
    double secs = (double)most * (s->timeout_s + SLURM_TIME_PER_RUN_S) + SLURM_TIME_MARGIN_S;
    gcb_fmt_slurm_time(buf, n, secs);
}

static int write_slurm(const char *path, const gcb_cluster_t *c, const gcb_spec_t *s, const char *exe,
                       const char *out, uint64_t seed)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    char tm[64];
    slurm_time(c, s, tm, sizeof tm);
    fprintf(f, "#!/bin/sh\n"
               "# gcbench.sbatch - written by `gcbench matrix --emit slurm`: plan %s, %d shards by %s,\n"
               "# order seed %llu, spec in plan.spec beside this file.  Submit: sbatch THIS_FILE\n"
               "# (sbatch --wait to block), then merge: sh merge.sh.  Task K runs shard K/%d into\n"
               "# shard-K-of-%d/, or resumes it when an earlier attempt left it.  --time is the worst\n"
               "# case (every run at its timeout); --exclusive keeps other jobs off a node being\n"
               "# measured.  Add --partition and the like as your cluster needs.\n",
            c->plan_id, c->shards, gcb_shard_by_name(c->by), (unsigned long long)seed, c->shards, c->shards);
    fprintf(f, "#SBATCH --job-name=gcbench\n#SBATCH --array=0-%d\n#SBATCH --ntasks=1\n#SBATCH --cpus-per-task=1\n"
               "#SBATCH --exclusive\n#SBATCH --time=%s\n",
            c->shards - 1, tm);
    if (s->mem_limit)
        fprintf(f, "#SBATCH --mem=%lluM\n",
                (unsigned long long)((s->mem_limit + (1u << 20) - 1) >> 20) + SLURM_MEM_MARGIN_MIB);
    fprintf(f, "#SBATCH --output=%s/slurm-%%A_%%a.out\n", out);
    fputs("set -eu\nK=${SLURM_ARRAY_TASK_ID:?run this script with sbatch, as an array task}\n", f);
    shard_command(f, exe, out, c, seed, "$K", c->shards);
    return fclose(f) == 0 ? 0 : -1;
}

static int write_parallel(const char *path, const gcb_cluster_t *c, const char *exe, const char *out,
                          uint64_t seed)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    for (int k = 0; k < c->shards; k++) {
        char ks[16];
        snprintf(ks, sizeof ks, "%d", k);
        shard_command(f, exe, out, c, seed, ks, c->shards);
    }
    return fclose(f) == 0 ? 0 : -1;
}

static int write_merge(const char *path, const gcb_cluster_t *c, const char *exe, const char *out)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fprintf(f, "#!/bin/sh\n# merge.sh - written by `gcbench matrix --emit`: merge the %d shards of plan %s\n"
               "# into merged/ beside this file and write its report.  Arguments go to gcbench merge\n"
               "# (--partial merges what is there and says what is missing).\nset -eu\n",
            c->shards, c->plan_id);
    sq(f, exe);
    fputs(" merge", f);
    for (int k = 0; k < c->shards; k++) {
        fputs(" \\\n    ", f);
        sq(f, out);
        fprintf(f, "/shard-%d-of-%d", k, c->shards);
    }
    fputs(" \\\n    --out ", f);
    sq(f, out);
    fputs("/merged \"$@\"\nexec ", f);
    sq(f, exe);
    fputs(" report ", f);
    sq(f, out);
    fputs("/merged\n", f);
    if (fclose(f) != 0)
        return -1;
    return chmod(path, 0755);
}

int gcb_cluster_emit(gcb_cluster_t *c, const gcb_spec_t *s, size_t ncells, uint64_t order_seed, const char *out,
                     const char *exe)
{
    gcb_shard_prepare(c, s, ncells, order_seed);
    char dir[PATH_MAX], path[PATH_MAX + 64];
    if (gcb_mkdir_p(out) != 0 || !realpath(out, dir) || !gcb_dir_writable(dir))
        die_usage("--out '%s': cannot create or write the directory (%s)", out, strerror(errno ? errno : EACCES));
    snprintf(path, sizeof path, "%s/plan.spec", dir);
    if (access(path, F_OK) == 0)
        die_usage("--out '%s' already holds an emitted plan (plan.spec): give another --out", out);
    int slurm = strcmp(c->emit, "slurm") == 0;
    if (write_spec(path, s, c->plan_id, order_seed))
        die_usage("cannot write '%s': %s", path, strerror(errno));
    verify_spec(path, s);
    snprintf(path, sizeof path, "%s/%s", dir, slurm ? "gcbench.sbatch" : "parallel.txt");
    if (slurm ? write_slurm(path, c, s, exe, dir, order_seed) : write_parallel(path, c, exe, dir, order_seed))
        die_usage("cannot write '%s': %s", path, strerror(errno));
    char merge[PATH_MAX + 64];
    snprintf(merge, sizeof merge, "%s/merge.sh", dir);
    if (write_merge(merge, c, exe, dir))
        die_usage("cannot write '%s': %s", merge, strerror(errno));
    fprintf(stderr, "gcbench: matrix: plan %s: %zu cells x %d repetitions = %zu runs in %d shards by %s, order "
                    "seed %llu; wrote %s/plan.spec, %s and %s\n",
            c->plan_id, ncells, s->reps, ncells * (size_t)s->reps, c->shards, gcb_shard_by_name(c->by),
            (unsigned long long)order_seed, dir, path, merge);
    if (slurm)
        printf("sbatch --wait %s\nsh %s\n", path, merge);
    else
        printf("parallel --jobs %d :::: %s\n# across machines, one shard per host at a time:\n"
               "#   parallel --sshloginfile HOSTS --jobs 1 :::: %s\nsh %s\n",
               c->shards, path, path, merge);
    return GCB_EXIT_OK;
}
