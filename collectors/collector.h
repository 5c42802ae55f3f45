/*
 * collectors/collector.h - when and how garbage is found and freed.
 *
 * Each backend file exports one gcb_collector_t (listed in
 * collectors/registry.c).  The runtime calls the hooks; a NULL hook means
 * the collector does not care about that event, and the runtime then pays
 * nothing for it on the hot path.  The descriptor is const and shared by
 * every run, so a hook that only some parameters need (gen's write barrier
 * serves untrack_dicts=1 alone) is left out per run by hooks(): the runtime
 * asks it once, after init(), and installs only the hooks it names.
 *
 * The runtime guarantees:
 *   - on_alloc(o) is called once per new object after its header is set and
 *     its fields are valid (containers hold None), before it is returned;
 *   - on_free(o) is called once per object just before its memory goes back
 *     to the allocator, after its references were dropped;
 *   - with containers_only set, both are called for containers only;
 *   - write_barrier(c, old, new) is called when a setter stores into a
 *     slot of container c (list append and set, dict set, tuple init),
 *     before old (NULL for a new slot) is released, and when a dict entry
 *     is deleted (new NULL); a list made by slicing is filled without it;
 *   - gcb_hot.on_zero is called when a counted reference count drops to 0
 *     (the collector decides: free now, defer, or table it);
 *   - safepoint() runs only from gcb_safepoint(), when gcb_hot.pending is
 *     set, with every live object reachable from the frames.
 */
#ifndef GCB_COLLECTOR_H
#define GCB_COLLECTOR_H

#include <stdint.h>
#include "runtime/object.h"
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
    X(deferred_bytes_peak, "most bytes held back for later freeing at once")

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
    gcb_count_mode_t mode;
    int head_on_all;                 /* every object gets a GC header (tracing needs to enumerate all) */
    int complete;                    /* frees all garbage, cycles included, at a full collection */
    int containers_only;             /* on_alloc/on_free only for containers (GCB_TYPE_GC):
                                        atomic objects cost no hook call */

    /* Returns 0, or -1 with a message. Reads its parameters. */
    int  (*init)(const gcb_params_t *p, char *err, size_t errlen);
    void (*fini)(void);
    /* The GCB_HOOK_* bits of the hooks this run needs, given the parameters
     * init() read; the runtime installs a hook only when it is non-NULL and
     * its bit is set (a missing on_zero means gcb_dealloc).  Called by
     * gcb_runtime_init, after init().  NULL: every non-NULL hook. */
    unsigned (*hooks)(void);

    void (*on_alloc)(gcb_object_t *o);
    void (*on_free)(gcb_object_t *o);
    void (*on_zero)(gcb_object_t *o);
    void (*on_decref_live)(gcb_object_t *o);
    void (*write_barrier)(gcb_object_t *c, gcb_object_t *old, gcb_object_t *new_);
    void (*safepoint)(void);
    /* A full collection (the runner's last act; `gc.collect()`).
     * NULL: the collector has none (rc). */
    void (*collect_full)(void);
    void (*stats)(gcb_gc_stats_t *out);
} gcb_collector_t;

extern const gcb_collector_t *const gcb_collectors[];
extern const size_t gcb_collector_count;
const gcb_collector_t *gcb_collector_find(const char *name);

#endif
