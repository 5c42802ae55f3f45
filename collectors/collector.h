/*
 * collectors/collector.h - when and how garbage is found and freed.
 *
 * Each backend file exports one gcb_collector_t (listed in
 * collectors/registry.c).  A collector is a producer of a policy: the
 * runtime calls the hooks of a gcb_policy_t (runtime/policy.h, where the
 * runtime's promises about each hook are written) and knows nothing else
 * of collectors.  The descriptor adds what the harness needs around a run:
 * a name, parameters, init/fini, statistics and whether a full collection
 * frees every garbage object.
 *
 * The descriptor is const and shared by every run, so a hook that only
 * some parameters need (gen's write barrier serves untrack_dicts=1 alone)
 * is left out per run by hooks(): gcb_collector_policy() asks it once,
 * after init(), and copies only the hooks it names into the policy the
 * run installs; a left-out hook costs nothing on the hot path.
 *
 * The host's order (bench/cell/run.c): init(params), gcb_collector_policy(),
 * gcb_runtime_init(allocator, policy), the workload, stats(), fini().
 */
#ifndef GCB_COLLECTOR_H
#define GCB_COLLECTOR_H

#include <stdint.h>
#include "runtime/policy.h"
#include "util/params.h"
#include "util/hist.h"

/* Statistics every collector reports (JSON "gc" object).  Defined once
 * here, expanded into the struct and the writers (X-macro, as mimalloc). */
#define GCB_GC_COUNTERS(X)                                                   \
    X(collections, "collections of any kind")                               \
    X(objects_traversed, "objects visited by collections")                  \
    X(freed_by_rc, "objects freed because their count reached zero")       \
    X(freed_by_gc, "objects freed by a collection")                         \
    X(deferred_peak, "most objects held back for later freeing at once")    \
    X(deferred_bytes_peak, "most bytes held back for later freeing at once")    \
    X(max_garbage_objects, "most objects alive but unreachable at a sample (garbage_every > 0; runtime/garbage.c)") \
    X(max_garbage_bytes, "their blocks' bytes at the sample with the most bytes")  \
    X(garbage_every, "allocations between garbage samples (0: not sampled)")    \
    X(garbage_samples, "garbage samples taken")

#define GCB_GC_MAX_GENERATIONS 4

/* The per-event hooks, as bits of what hooks() returns. */
enum {
    GCB_HOOK_ON_ALLOC = 1u << 0,
    GCB_HOOK_ON_FREE = 1u << 1,
    GCB_HOOK_ON_ZERO = 1u << 2,
    GCB_HOOK_ON_DECREF_LIVE = 1u << 3,
    GCB_HOOK_WRITE_BARRIER = 1u << 4,
    GCB_HOOKS_ALL = (1u << 5) - 1,
};

typedef struct gcb_gc_stats {
#define GCB_X(name, desc) uint64_t name;
    GCB_GC_COUNTERS(GCB_X)
#undef GCB_X
    uint64_t collections_per_gen[GCB_GC_MAX_GENERATIONS];
    int generations;          /* how many entries of collections_per_gen mean something */
    double gc_time_s;         /* total time inside collections */
    gcb_hist_t pauses;        /* every pause, in ns */
} gcb_gc_stats_t;

typedef struct gcb_collector {
    const char *name;
    const char *description;
    const gcb_param_def_t *params;   /* accepted -p keys; never NULL (may be empty) */
    int complete;                    /* frees all garbage, cycles included, at a full collection */

    /* Every hook and flag the collector has (mode, head_on_all,
     * containers_only, threads, on_* hooks, write_barrier, safepoint,
     * collect_full); a run installs the subset hooks() names. */
    gcb_policy_t policy;

    /* Returns 0, or -1 with a message. Reads its parameters. */
    int  (*init)(const gcb_params_t *p, char *err, size_t errlen);
    void (*fini)(void);
    /* The GCB_HOOK_* bits of the hooks this run needs, given the parameters
     * init() read (a missing on_zero means gcb_dealloc).  NULL: every
     * non-NULL hook.  safepoint and collect_full are always kept. */
    unsigned (*hooks)(void);
    void (*stats)(gcb_gc_stats_t *out);
    /* The value row `d` of params has under `p`, as text, where it is not
     * simply the user's or the row's default (a preset such as gen's
     * cpython= sets other rows' defaults).  NULL: always that.  The record
     * writes it into params_effective. */
    const char *(*param_value)(const gcb_params_t *p, const gcb_param_def_t *d);
} gcb_collector_t;

extern const gcb_collector_t *const gcb_collectors[];
extern const size_t gcb_collector_count;
const gcb_collector_t *gcb_collector_find(const char *name);

/* The policy a run of `c` installs (gcb_runtime_init): c->policy with the
 * hooks hooks() leaves out set to NULL.  Call after c->init(). */
gcb_policy_t gcb_collector_policy(const gcb_collector_t *c);

/* Does `c` run in threading mode `mode` (a gcb_thread_mode_t,
 * runtime/threads.h)?  0, or -1 with one line naming the modes c runs in
 * and the collectors that run in `mode` ("collector 'gen' runs in modes
 * default, gil; mode=ft supports rc"). */
int gcb_collector_mode_check(const gcb_collector_t *c, int mode, char *err, size_t errlen);

#endif
