/*
 * collectors/gen.c - reference counting plus CPython's generational cycle
 * collector, by default as CPython 3.14.5+ (and 3.15) run it: thresholds
 * 2000/10/10, every dict tracked.  `-p cpython=3.13` keeps 2000/10/10 with
 * the lazy dict tracking 3.14 dropped (gh-127010), `-p cpython=3.12` is
 * 700/10/10 with lazy dicts (3.8-3.12); a threshold or untrack_dicts given
 * on the command line wins over the preset.
 *
 * Why.  This is what CPython does: counts free almost everything at once,
 * and a tracing pass over containers only (collectors/cycle.c) finds the
 * cycles counts cannot.  Generations make that pass cheap: most containers
 * die young, so most collections look only at the few hundred allocated
 * since the last one.
 *
 * Where each object is:
 *   - atomic objects (int, float, str): on no list, ever;
 *   - a container from its allocation on: on generation 0's list (a dict
 *     only once it holds a trackable value when untrack_dicts=1);
 *   - after surviving a collection of generation g: on g+1's (the oldest
 *     keeps its survivors);
 *   - a tuple found holding only untracked objects, or (untrack_dicts) a
 *     dict found so by a full collection: on no list until a store into it
 *     (dicts only; tuples never change) makes it trackable again;
 *   - from on_free on: on no list (gcb_cycle_free unlinks it).
 *
 * When collections run (CPython's rules, collectors/cycle.h):
 *   - count[0] goes up on every container allocation and down on every
 *     container free while above zero, so it is the net number of young
 *     containers; on_alloc sets gcb_hot.pending when it exceeds threshold0
 *     and the collection runs at the next safepoint (as CPython 3.12+ runs
 *     it at the next eval breaker), never inside the allocation.  CPython's
 *     test is count > threshold, so with threshold0=700 the collection
 *     follows the 701st net allocation;
 *   - the safepoint collects the oldest generation g whose count exceeds
 *     its threshold, except that the oldest is skipped while the objects
 *     promoted into it since the last full collection are under 25% of that
 *     collection's survivors;
 *   - collecting g resets counts 0..g and adds one to count g+1;
 *   - collect_full (gc.collect()) collects the oldest generation whatever
 *     the counts say.
 *
 * gc.disable() is `-p collect=0`: every container is still linked into
 * the generation lists at allocation and unlinked at free, and count[0]
 * still moves (CPython's _PyObject_GC_Link counts whatever `enabled`
 * says), but no collection is ever due; gc.collect() still collects.  It
 * is the fair "collector off" baseline for CPython, which never stops
 * tracking: `rc` does not track at all, an ideal no CPython build reaches
 * (the tracking alone cost the model 4-23% on the container workloads,
 * issue 12).
 *
 * Unreachable objects are cleared (type->clear) so their counts fall and
 * refcounting frees them during the collection; what a collection frees is
 * freed_by_gc (the runtime's freed counter read around it).  Every
 * collection is one pause (collectors/pause.h).
 */
#include "collectors/cycle.h"

#include <string.h>

#include "collectors/pause.h"

static const gcb_param_def_t gen_params[] = {
    { "cpython", GCB_PARAM_STRING, "3.14", 0, 0,
      "the CPython whose thresholds and rules are the defaults: 3.14 (3.14.5+, 3.15: 2000/10/10, dicts always "
      "tracked), 3.13 (2000/10/10, lazy dicts), 3.12 (700/10/10, lazy dicts; also 3.8-3.11)",
      "3.12|3.13|3.14", NULL },
    { "threshold0", GCB_PARAM_INT, "2000", 0, 1e9,
      "collect generation 0 when net container allocations exceed this (0: no automatic collection; default: "
      "the preset's, 2000 from 3.13, 700 before)" },
    { "threshold1", GCB_PARAM_INT, "10", 0, 1e9, "collect generation 1 after more than this many generation-0 collections" },
    { "threshold2", GCB_PARAM_INT, "10", 0, 1e9,
      "collect generation 2 after more than this many generation-1 collections (and the 25% rule)" },
    { "threshold3", GCB_PARAM_INT, "10", 0, 1e9, "the same for generation 3 (generations=4 only)" },
    { "generations", GCB_PARAM_INT, "3", 1, GCB_GC_MAX_GENERATIONS, "number of generations (CPython: 3)" },
    { "collect", GCB_PARAM_INT, "1", 0, 1,
      "0: containers are tracked and counted but never collected automatically, CPython's gc.disable() "
      "(gc.collect() and the end-of-run collection still run); rc is the untracked ideal" },
    { "untrack_dicts", GCB_PARAM_INT, "0", 0, 1,
      "1: dicts tracked only once they hold a trackable key or value, untracked by full collections (CPython <= 3.13; "
      "default: the preset's)" },
    GCB_PARAM_END
};

/* What each preset changes of the table's defaults (the 3.14 column). */
static const struct gen_preset {
    const char *cpython, *threshold0, *untrack_dicts;
} gen_presets[] = {
    { "3.12", "700", "1" },
    { "3.13", "2000", "1" },
    { "3.14", "2000", "0" },
};

/* A row's effective text: the user's value, else the preset's, else the
 * table default.  init() and the record both read it. */
static const char *gen_param_value(const gcb_params_t *p, const gcb_param_def_t *d)
{
    if (gcb_param_given(p, d->name) || strcmp(d->name, "cpython") == 0)
        return gcb_param_text(p, d);
    const char *want = gcb_param_str(p, gen_params, "cpython");
    for (size_t i = 0; i < sizeof gen_presets / sizeof gen_presets[0]; i++)
        if (strcmp(gen_presets[i].cpython, want) == 0) {
            if (strcmp(d->name, "threshold0") == 0)
                return gen_presets[i].threshold0;
            if (strcmp(d->name, "untrack_dicts") == 0)
                return gen_presets[i].untrack_dicts;
        }
    return d->def;
}

static int64_t gen_int(const gcb_params_t *p, const char *name)
{
    for (const gcb_param_def_t *d = gen_params; d->name; d++)
        if (strcmp(d->name, name) == 0) {
            int64_t v = 0;
            gcb_parse_int(gen_param_value(p, d), &v);
            return v;
        }
    return 0;
}

static gcb_cycle_t gen;
static struct {
    uint64_t freed_by_gc;
    double gc_time_s;
    gcb_hist_t pauses;
} st;

static int gen_init(const gcb_params_t *p, char *err, size_t errlen)
{
    (void)err; (void)errlen;
    int64_t t[GCB_GC_MAX_GENERATIONS];
    static const char *const names[] = { "threshold0", "threshold1", "threshold2", "threshold3" };
    _Static_assert(GCB_GC_MAX_GENERATIONS == 4, "one threshold parameter per generation");
    for (int i = 0; i < GCB_GC_MAX_GENERATIONS; i++)
        t[i] = gen_int(p, names[i]);
    int ngen = (int)gen_int(p, "generations");
    unsigned flags = gen_int(p, "untrack_dicts") ? GCB_CYCLE_LAZY_DICTS : 0;
    gcb_cycle_init(&gen, ngen, t, flags);
    if (!gen_int(p, "collect"))
        gen.young_limit = INT64_MAX; /* gc.disable(): counts go on, nothing is due */
    memset(&st, 0, sizeof st);
    gcb_hist_init(&st.pauses);
    return 0;
}

static void gen_fini(void) { gen = (gcb_cycle_t){ 0 }; }

/* Containers only (.containers_only): ints, floats and strs never reach the
 * collector, as in CPython. */
static void gen_on_alloc(gcb_object_t *o) { gcb_cycle_alloc(&gen, o); }

static void gen_on_free(gcb_object_t *o) { gcb_cycle_free(&gen, o); }

/* Installed only with untrack_dicts=1 (gen_hooks): every dict is tracked
 * from birth otherwise, and a store has nothing to tell the collector. */
static void gen_write_barrier(gcb_object_t *c, gcb_object_t *old, gcb_object_t *new_)
{
    (void)old;
    gcb_cycle_dict_store(&gen, c, new_);
}

static unsigned gen_hooks(void)
{
    return GCB_HOOK_ON_ALLOC | GCB_HOOK_ON_FREE | (gen.lazy_dicts ? GCB_HOOK_WRITE_BARRIER : 0);
}

static void collect_timed(int generation)
{
    gcb_pause_t pause = gcb_pause_begin();
    uint64_t freed0 = gcb_objects_freed();
    gcb_cycle_collect(&gen, generation);
    st.freed_by_gc += gcb_objects_freed() - freed0;
    gcb_pause_end(pause, &st.gc_time_s, &st.pauses);
}

static void gen_safepoint(void)
{
    int g = gcb_cycle_due(&gen);
    if (g >= 0)
        collect_timed(g);
}

static void gen_collect_full(void) { collect_timed(gen.ngen - 1); }

static void gen_stats(gcb_gc_stats_t *out)
{
    memset(out, 0, sizeof *out);
    out->generations = gen.ngen;
    for (int i = 0; i < gen.ngen; i++) {
        out->collections_per_gen[i] = gen.collections[i];
        out->collections += gen.collections[i];
    }
    out->objects_traversed = gen.traversed;
    out->freed_by_gc = st.freed_by_gc;
    out->gc_time_s = st.gc_time_s;
    out->pauses = st.pauses;
}

const gcb_collector_t gcb_collector_gen = {
    .name = "gen",
    .description = "refcounting + CPython's generational cycle collector (3.14.5+: 2000/10/10, 25% rule, tuple untracking; cpython=3.12|3.13)",
    .params = gen_params,
    .complete = 1,
    .policy = {
        .mode = GCB_COUNT_ALL,
        .containers_only = 1,
        .threads = GCB_THREADS_ONE,
        .on_alloc = gen_on_alloc,
        .on_free = gen_on_free,
        .write_barrier = gen_write_barrier,
        .safepoint = gen_safepoint,
        .collect_full = gen_collect_full,
    },
    .init = gen_init,
    .fini = gen_fini,
    .hooks = gen_hooks,
    .stats = gen_stats,
    .param_value = gen_param_value,
};
