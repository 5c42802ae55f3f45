/*
 * bench/cluster/cluster.h - one matrix across machines: shards of one
 * plan (shard.c), the job scripts that run them under Slurm or GNU
 * parallel (emit.c), their merge back into one result (shardmerge.c), and
 * the host each run was measured on (hosts.c).  docs/cluster.md.
 *
 * The plan is the matrix's: its cells, `reps` recorded repetitions of each
 * in the order the order seed draws, and one warm-up per cell.  A shard
 * K/N is a deterministic subset of the recorded runs, computed from the
 * spec, the order seed and N alone, so N machines given the same three
 * run disjoint shards whose union is the plan:
 *   - by cell (default): the cells, in a permutation drawn from the order
 *     seed, are dealt round-robin to the shards; a shard runs every
 *     repetition of its cells (so a cell is measured on one host) in the
 *     plan's interleaved order, after one warm-up of each of its cells;
 *   - by rep: repetition r of every cell goes to shard r mod N; every
 *     shard runs all cells (each warmed up once), and each cell's runs
 *     spread over the hosts alike.
 * Invariant: for every planned (cell, rep) exactly one K in 0..N-1 has
 * gcb_shard_owns(K, cell, rep); tests/cluster.sh checks the run sets.
 *
 * bench/cli/cmd_matrix.c reads the options (gcb_cluster_option, then
 * gcb_cluster_check); the matrix (bench/matrix/) calls gcb_cluster_spec (the rules a sharded spec must meet),
 * gcb_cluster_resume (a shard's run.json), gcb_shard_prepare, then
 * gcb_shard_owns / gcb_shard_runs / gcb_shard_dir_name / gcb_shard_runjson
 * where it plans, names and records; or gcb_cluster_emit instead of
 * running.  merge (bench/matrix/merge.c) hands shard directories to
 * gcb_shard_merge; compare and report ask hosts.c.
 */
#ifndef GCB_CLUSTER_H
#define GCB_CLUSTER_H

#include "bench/matrix/spec.h"
#include "bench/resultdir/runs.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

enum { GCB_SHARD_BY_CELL = 0, GCB_SHARD_BY_REP = 1 };

typedef struct gcb_cluster {
    int k, n;                  /* shard k of n; n == 0: not sharded */
    int by;                    /* GCB_SHARD_BY_* */
    int by_set;                /* --shard-by given */
    const char *emit;          /* --emit: "slurm", "parallel", or NULL */
    int shards;                /* --shards N for --emit; 0: not given */
    /* set by gcb_shard_prepare */
    size_t ncells;
    int reps;
    uint32_t *owner;           /* by cell: the shard of each cell */
    size_t nmine;              /* recorded runs in this shard */
    char plan_id[17];          /* hex hash of the spec and the order seed */
} gcb_cluster_t;

/* ------------------------------------------------------------ "shard.c" */

/* The matrix's cluster options, read by bench/cli/cmd_matrix.c's option
 * loop: --shard K/N, --shard-by cell|rep, --emit ENGINE, --shards N.  A bad
 * value exits 2 with one line; gcb_cluster_check, after the last option,
 * refuses combinations that exclude each other (c starts zeroed). */
enum { GCB_CLUSTER_OPT_SHARD = 1000, GCB_CLUSTER_OPT_SHARD_BY, GCB_CLUSTER_OPT_EMIT, GCB_CLUSTER_OPT_SHARDS };
void gcb_cluster_option(gcb_cluster_t *c, int opt, const char *value);
void gcb_cluster_check(gcb_cluster_t *c);
/* The rules of a sharded or emitted spec, after the spec is resolved and
 * before anything runs: a budget would choose the scale by timing each
 * machine, so it is off (and refused when asked for); a shard needs the
 * order seed every other shard uses.  Exit 2 with one line. */
void gcb_cluster_spec(gcb_cluster_t *c, gcb_spec_t *s, int order_seed_set, int resuming);
/* --resume DIR: take the shard from DIR's run.json (a --shard given too
 * must be the same).  Exit 2 with one line. */
void gcb_cluster_resume(gcb_cluster_t *c, json_t *runjson, const char *dir);
/* Compute the shard's runs for ncells cells x s->reps repetitions and the
 * plan id.  Exit 2 when the plan cannot be split N ways. */
void gcb_shard_prepare(gcb_cluster_t *c, const gcb_spec_t *s, size_t ncells, uint64_t order_seed);
/* Does this shard run repetition rep of cell?  Always 1 unsharded. */
int gcb_shard_owns(const gcb_cluster_t *c, size_t cell, int rep);
/* Which shard of N runs (cell, rep) (c prepared for N shards). */
int gcb_shard_of(const gcb_cluster_t *c, size_t cell, int rep);
/* Recorded runs this shard plans (all of them unsharded). */
size_t gcb_shard_runs(const gcb_cluster_t *c, size_t nplan);
/* The result directory's name, "shard-K-of-N"; 0 (id untouched) unsharded. */
int gcb_shard_dir_name(const gcb_cluster_t *c, char *id, size_t n);
/* Add the shard to run.json: shard "K/N", shard_by, plan_id, plan_runs,
 * plan_cells, and runs_planned = the shard's runs.  Nothing unsharded. */
void gcb_shard_runjson(const gcb_cluster_t *c, json_t *runjson, size_t nplan);
/* One line on stderr saying what this shard runs. */
void gcb_shard_describe(const gcb_cluster_t *c, FILE *f, size_t nplan);
/* The plan id of a spec and an order seed (16 hex digits and a NUL). */
void gcb_plan_id(const gcb_spec_t *s, uint64_t order_seed, char out[17]);
const char *gcb_shard_by_name(int by);

/* ------------------------------------------------------------- "emit.c" */

/* --emit: write OUT/plan.spec, the job script (OUT/gcbench.sbatch or
 * OUT/parallel.txt) and OUT/merge.sh, and print how to run them.
 * Returns the exit status. */
int gcb_cluster_emit(gcb_cluster_t *c, const gcb_spec_t *s, size_t ncells, uint64_t order_seed, const char *out,
                     const char *exe);

/* ------------------------------------------------------- "shardmerge.c" */

/* Is any of merge's directories a shard (its run.json has "shard")? */
int gcb_shard_merge_wanted(char *const *dirs, size_t ndirs);

/* `gcbench merge SHARD_DIR... --out DIR [--partial]`, its options read by
 * bench/cli/cmd_merge.c; argc/argv is the command line for run.json. */
typedef struct gcb_shard_merge_opts {
    const char *out;
    int partial;                /* merge although runs are missing, and list them */
    char *const *dirs;
    size_t ndirs;
    int argc;
    char **argv;
} gcb_shard_merge_opts_t;
/* Exit status; bad input exits 2 (gcb_usage_error) before any work. */
int gcb_shard_merge(const gcb_shard_merge_opts_t *o);

/* ------------------------------------------------------------ "hosts.c" */

/* The name of this machine in results: $GCBENCH_HOST when set (where host
 * names are not stable, e.g. containers), else the kernel's host name. */
const char *gcb_host_name(void);
/* The host of a runs.jsonl line ("unknown" when it has none). */
const char *gcb_line_host(json_t *line);

#define GCB_HOSTSET_MAX 64
typedef struct gcb_hostset {
    size_t n;
    const char *h[GCB_HOSTSET_MAX]; /* borrowed from the lines, sorted */
} gcb_hostset_t;
void gcb_hostset_add(gcb_hostset_t *s, json_t *line);
int gcb_hostset_equal(const gcb_hostset_t *a, const gcb_hostset_t *b);
/* "a, b" */
void gcb_hostset_str(const gcb_hostset_t *s, char *buf, size_t n);

/* compare: 0 when A's and B's runs of one cell come from the same hosts;
 * else 1 when allowed, exit 2 with one line when not. */
int gcb_hosts_check_pair(const char *cell, const gcb_hostset_t *a, const gcb_hostset_t *b, int allow);

/* report.md: a "hosts" row of the context table (nothing when one host
 * made every run), and the note beside a figure or a workload's table
 * when the runs it shows came from more than one host (workload NULL:
 * every run). */
void gcb_hosts_context_row(FILE *f, const gcb_runs_t *runs, json_t *runjson);
void gcb_hosts_figure_note(FILE *f, const gcb_runs_t *runs, const char *workload);
/* The workload a figure shows, from its file stem ("timeline_cycles"), or
 * NULL when it shows several. */
const char *gcb_hosts_stem_workload(const char *stem, const char *const *wl, size_t nwl);

#endif
