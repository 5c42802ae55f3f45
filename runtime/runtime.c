/*
 * runtime/runtime.c - runtime state, exact memory counters, object
 * allocation and the immortal objects.
 *
 * Every byte the object model uses comes through gcb_mem_alloc, so the
 * counters here are exact and independent of allocator rounding: they are
 * the "live" side of the fragmentation ratio (RSS / live) and the ground
 * truth for leak figures.
 *
 * Immortal objects are created through the same allocator (their memory is
 * part of RSS) but counted apart and kept in a list freed at teardown.
 */
#include "runtime/host.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/internal.h"
#include "runtime/options.h"
#include "runtime/shared.h"
#include "runtime/stw.h"
#if GCB_RC_MODE == GCB_RC_BIASED
#include "runtime/brc.h"
#include "runtime/uniqueid.h"
#endif

#if GCB_THREADED
#include <pthread.h>
#endif

GCB_TLS gcb_hot_t gcb_hot;
gcb_rt_t gcb_rt;

gcb_object_t *gcb__none;

/* objects_allocated and bytes_allocated are not counted on the hot path:
 * every allocation adds to live (or immortal) what it adds to allocated,
 * and every free subtracts from live what it adds to freed, so they are
 * derived here, exactly. */
#if GCB_THREADED
/* Threaded cores: the calling thread's deltas are flushed first; the other
 * threads' unflushed deltas are missing until they flush (at the latest
 * when they leave the thread table), so the snapshot is exact once the
 * mutator threads are joined.  The snapshot is the caller's own. */
GCB_TLS gcb_rt_counters_t gcb__tc;
GCB_TLS uint64_t gcb__tc_object_bytes;
static GCB_TLS gcb_rt_counters_t snapshot;

/* Raise *peak to v.  v is a global sum right after one thread's delta was
 * added; the other threads' unflushed deltas are missing from it, so it
 * can pass below zero (a consumer flushing the frees of objects whose
 * producer has not flushed their allocations yet: uint64 2^64 - k, which
 * readers see as -k).  No live count is ever negative, so such a sum is
 * not a candidate.  The last flush of all adds the last delta and sees
 * the exact final sum, so the peak is never below the final live value. */
static void peak_max(uint64_t *peak, uint64_t v)
{
    if ((int64_t)v < 0)
        return;
    uint64_t p = __atomic_load_n(peak, __ATOMIC_RELAXED);
    while (v > p && !__atomic_compare_exchange_n(peak, &p, v, 1, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
        ;
}

/* The live sums are added first and their results kept: each is the sum
 * just after this thread's delta, not a later load that may mix in other
 * threads' flushes (the peaks are taken on exactly these values). */
void gcb__counters_flush(void)
{
    uint64_t live_b = __atomic_add_fetch(&gcb_rt.c.live_bytes, gcb__tc.live_bytes, __ATOMIC_RELAXED);
    uint64_t live_o = __atomic_add_fetch(&gcb_rt.c.live_objects, gcb__tc.live_objects, __ATOMIC_RELAXED);
#define GCB_X(name, desc)                                                              \
    if (gcb__tc.name && &gcb__tc.name != &gcb__tc.live_bytes_peak &&                    \
        &gcb__tc.name != &gcb__tc.live_objects_peak && &gcb__tc.name != &gcb__tc.live_bytes && \
        &gcb__tc.name != &gcb__tc.live_objects)                                        \
        __atomic_add_fetch(&gcb_rt.c.name, gcb__tc.name, __ATOMIC_RELAXED);
    GCB_RT_COUNTERS(GCB_X)
#undef GCB_X
    if (gcb__tc_object_bytes)
        __atomic_add_fetch(&gcb_rt.object_bytes, gcb__tc_object_bytes, __ATOMIC_RELAXED);
    gcb__tc_object_bytes = 0;
    memset(&gcb__tc, 0, sizeof gcb__tc);
    peak_max(&gcb_rt.c.live_bytes_peak, live_b);
    peak_max(&gcb_rt.c.live_objects_peak, live_o);
}

const gcb_rt_counters_t *gcb_runtime_counters(void)
{
    gcb__counters_flush();
#define GCB_X(name, desc) snapshot.name = __atomic_load_n(&gcb_rt.c.name, __ATOMIC_RELAXED);
    GCB_RT_COUNTERS(GCB_X)
#undef GCB_X
    gcb_rt_counters_t *c = &snapshot;
#else
const gcb_rt_counters_t *gcb_runtime_counters(void)
{
    gcb_rt_counters_t *c = &gcb_rt.c;
#endif
    c->objects_allocated = c->objects_freed + c->live_objects + c->immortal_objects;
    c->bytes_allocated = c->bytes_freed + c->live_bytes + c->immortal_bytes + c->freelist_bytes;
    return c;
}
#if GCB_THREADED
uint64_t gcb_live_bytes(void) { return gcb_runtime_counters()->live_bytes; }
uint64_t gcb_objects_freed(void) { return gcb_runtime_counters()->objects_freed; }
uint64_t gcb_bytes_freed(void) { return gcb_runtime_counters()->bytes_freed; }
#else
uint64_t gcb_live_bytes(void) { return gcb_rt.c.live_bytes; }
uint64_t gcb_objects_freed(void) { return gcb_rt.c.objects_freed; }
uint64_t gcb_bytes_freed(void) { return gcb_rt.c.bytes_freed; }
#endif

void gcb__oom(size_t size)
{
    fprintf(stderr, "gcbench: out of memory allocating %zu bytes (live %llu bytes)\n", size,
            (unsigned long long)(GCB_THREADED ? gcb_live_bytes() : gcb_rt.c.live_bytes));
    exit(3);
}

/* --- sampling hook ------------------------------------------------------- */

GCB_TLS int64_t gcb__sample_countdown = INT64_MAX;
/* Two clients share the one countdown: slot 0 the harness's timeline
 * (gcb_runtime_set_sampler), slot 1 the garbage sampler (runtime/garbage.c).
 * The countdown runs to the nearer of the two; `started` is the value it
 * started from, so each slot's own remainder is kept exactly.  Threaded
 * cores: countdown and `started` are per thread, the slots shared under
 * sampler_lock, so each thread's allocations count towards the slots'
 * remainders (a sample every K allocations of all threads together). */
static struct {
    gcb_sampler_fn fn;
    void *arg;
    int64_t every, left;
} samplers[GCB_SAMPLER_SLOTS];
static GCB_TLS int64_t started = INT64_MAX;
#if GCB_THREADED
static pthread_mutex_t sampler_lock = PTHREAD_MUTEX_INITIALIZER;
#define SAMPLER_LOCK() pthread_mutex_lock(&sampler_lock)
#define SAMPLER_UNLOCK() pthread_mutex_unlock(&sampler_lock)
#else
#define SAMPLER_LOCK() ((void)0)
#define SAMPLER_UNLOCK() ((void)0)
#endif

static void sampler_elapse(void)
{
    int64_t elapsed = started == INT64_MAX ? 0 : started - gcb__sample_countdown;
    for (int i = 0; i < GCB_SAMPLER_SLOTS; i++)
        if (samplers[i].fn)
            samplers[i].left -= elapsed;
}

static void sampler_rearm(void)
{
    int64_t m = INT64_MAX;
    for (int i = 0; i < GCB_SAMPLER_SLOTS; i++)
        if (samplers[i].fn && samplers[i].left < m)
            m = samplers[i].left;
    started = gcb__sample_countdown = m;
}

void gcb_runtime_set_sampler_slot(int slot, gcb_sampler_fn fn, void *arg, uint64_t every_allocs)
{
    SAMPLER_LOCK();
    sampler_elapse();
    samplers[slot].fn = every_allocs ? fn : NULL;
    samplers[slot].arg = arg;
    samplers[slot].every = samplers[slot].left =
        (int64_t)(every_allocs > INT64_MAX || !every_allocs ? INT64_MAX : every_allocs);
    sampler_rearm();
    SAMPLER_UNLOCK();
}

void gcb_runtime_set_sampler(gcb_sampler_fn fn, void *arg, uint64_t every_allocs)
{
    gcb_runtime_set_sampler_slot(0, fn, arg, every_allocs);
}

void gcb__sample_fire(void)
{
    SAMPLER_LOCK(); /* threaded cores: one thread samples at a time (the clients' state is theirs) */
    sampler_elapse();
    for (int i = 0; i < GCB_SAMPLER_SLOTS; i++)
        if (samplers[i].fn && samplers[i].left <= 0) {
            samplers[i].left = samplers[i].every;
            samplers[i].fn(samplers[i].arg);
        }
    sampler_rearm();
    SAMPLER_UNLOCK();
}

#if GCB_THREADED
/* A thread entering the runtime starts its countdown from the slots'
 * nearest remainder. */
static void sampler_thread_enter(void)
{
    SAMPLER_LOCK();
    started = INT64_MAX;
    sampler_rearm();
    SAMPLER_UNLOCK();
}
#endif

/* --- objects ----------------------------------------------------------- */

static size_t prefix_of(const gcb_type_t *type)
{
#if GCB_RC_MODE == GCB_RC_BIASED
    return (type->flags & GCB_TYPE_GC) ? gcb_rt.ft_prefix : 0; /* no tracing collector runs in ft */
#else
    return (gcb_rt.head_on_all || (type->flags & GCB_TYPE_GC)) ? GCB_GCHEAD_SIZE : 0;
#endif
}

size_t gcb_runtime_container_prefix(void)
{
#if GCB_RC_MODE == GCB_RC_BIASED
    return gcb_rt.ft_prefix;
#else
    return GCB_GCHEAD_SIZE;
#endif
}

gcb_object_t *gcb__object_alloc(const gcb_type_t *type, size_t size)
{
    size_t pre = prefix_of(type);
    char *mem = NULL;
    if (gcb__freelists_on)
        mem = gcb__freelist_take(type, size, pre + size);
    if (!mem)
        mem = gcb__mem_alloc_inline(pre + size);
    if (pre)
        memset(mem, 0, pre);
    gcb_object_t *o = (gcb_object_t *)(mem + pre);
    gcb__refcnt_init(o, gcb_rt.initial_refcnt);
    o->type = type;
    GCB_OBJECT_BYTES += pre + size;
    gcb__count_object_born();
    gcb__sample_tick();
    if (GCB_CHECK_BUILD)
        gcb__debug_born(o);
    return o;
}

void gcb__object_free(gcb_object_t *o)
{
    const gcb_type_t *type = o->type;
    size_t pre = prefix_of(type);
    size_t size = gcb_object_size(o);
    if (gcb_rt.on_free && (type->flags & gcb_rt.hook_flags) == gcb_rt.hook_flags)
        gcb_rt.on_free(o);
    GCB_C.objects_freed++;
    gcb__count_object_died();
    GCB_OBJECT_BYTES -= pre + size;
    if (GCB_CHECK_BUILD)
        gcb__debug_freed(o); /* aborts on a double free */
    if (GCB_DEBUG_CHECKS || GCB_CHECK_BUILD)
        memset((char *)o - pre, 0xdb, pre + size); /* poison: a use after free reads garbage types */
    if (gcb__freelists_on && gcb__freelist_put(type, size, (char *)o - pre, pre + size))
        return;
    gcb__mem_free_inline((char *)o - pre, pre + size);
}

#if GCB_THREADED
/* The immortal list: classes and constants are made by the workloads'
 * copies on every thread. */
static pthread_mutex_t immortal_lock = PTHREAD_MUTEX_INITIALIZER;
#endif

void gcb__make_immortal(gcb_object_t *o)
{
    size_t bytes = prefix_of(o->type) + gcb_object_size(o);
    gcb__refcnt_immortalize(o);
    if (GCB_CHECK_BUILD)
        gcb__debug_immortalized(o);
    GCB_C.live_objects--;
    GCB_C.live_bytes -= bytes;
    GCB_OBJECT_BYTES -= bytes;
    GCB_C.immortal_objects++;
    GCB_C.immortal_bytes += bytes;
#if GCB_THREADED
    pthread_mutex_lock(&immortal_lock);
#endif
    if (gcb_rt.n_immortal == gcb_rt.cap_immortal) {
        gcb_rt.cap_immortal = gcb_rt.cap_immortal ? 2 * gcb_rt.cap_immortal : 512;
        gcb_rt.immortal = realloc(gcb_rt.immortal, gcb_rt.cap_immortal * sizeof *gcb_rt.immortal);
        if (!gcb_rt.immortal)
            gcb__oom(gcb_rt.cap_immortal * sizeof *gcb_rt.immortal);
    }
    gcb_rt.immortal[gcb_rt.n_immortal++] = o;
#if GCB_THREADED
    pthread_mutex_unlock(&immortal_lock);
#endif
}

/* --- None ---------------------------------------------------------------- */

static size_t none_size(const gcb_object_t *o) { (void)o; return sizeof(gcb_object_t); }
static void none_dealloc(gcb_object_t *o) { (void)o; abort(); /* immortal */ }

const gcb_type_t gcb_none_type = {
    .name = "NoneType",
    .basicsize = sizeof(gcb_object_t),
    .size = none_size,
    .dealloc = none_dealloc,
};

size_t gcb_object_block_size(const gcb_object_t *o) { return prefix_of(o->type) + gcb_object_size(o); }
#if GCB_THREADED
uint64_t gcb_runtime_object_bytes(void)
{
    gcb__counters_flush();
    return __atomic_load_n(&gcb_rt.object_bytes, __ATOMIC_RELAXED);
}
#else
uint64_t gcb_runtime_object_bytes(void) { return gcb_rt.object_bytes; }
#endif

/* --- lifecycle ------------------------------------------------------------ */

#if GCB_THREADED
/* gcb_hot as gcb_runtime_init left it: each mutator thread's copy starts
 * from it (gcb__thread_enter). */
static gcb_hot_t hot_proto;
#endif

static void safepoint_from_policy(void)
{
    gcb_safepoint_request_clear();
#if GCB_THREADED
    gcb__stw_safepoint(); /* park if a stop-the-world is asked for (runtime/stw.h) */
    gcb__shared_safepoint(); /* QSBR: quiescent, delayed frees when due (runtime/shared.c) */
#endif
    if (GCB_UNLIKELY(gcb__garbage_armed))
        gcb__garbage_sample(); /* before the policy's work: the garbage it is about to free counts */
    if (gcb_rt.policy.safepoint)
        gcb_rt.policy.safepoint();
#if GCB_RC_MODE == GCB_RC_BIASED
    /* last, after the policy's safepoint, which may clear `pending`: a
     * push that comes after this merge sets it again and is not hidden */
    gcb__brc_safepoint(); /* merge the objects other threads queued to this one (runtime/brc.h) */
#endif
}

void gcb_gc_collect(void)
{
    if (gcb_rt.policy.collect_full)
        gcb_rt.policy.collect_full();
}

/* The modes this core runs (runtime/object.h's GCB_RC_MODE). */
#if GCB_RC_MODE == GCB_RC_BIASED
#define CORE_MODES GCB_THREADS_FT
#elif GCB_RC_MODE == GCB_RC_ATOMIC
#define CORE_MODES GCB_THREADS_ATOMIC
#else
#define CORE_MODES (GCB_THREADS_ONE | GCB_THREADS_GIL)
#endif

void gcb_runtime_init(const gcb_allocator_t *alloc, void *alloc_ctx, const gcb_policy_t *policy)
{
    if (!(policy->threads & CORE_MODES)) {
        fprintf(stderr, "gcbench: the policy runs in none of this core's threading modes (threads 0x%x, core 0x%x)\n",
                policy->threads, (unsigned)CORE_MODES);
        abort();
    }
    memset(&gcb_rt, 0, sizeof gcb_rt);
    memset(&gcb_hot, 0, sizeof gcb_hot);
#if GCB_THREADED
    memset(&gcb__tc, 0, sizeof gcb__tc);
#endif
    if (GCB_CHECK_BUILD)
        gcb__debug_reset();
    gcb_rt.alloc = alloc;
    gcb_rt.actx = alloc_ctx;
    gcb_rt.malloc_fn = alloc->malloc;
    gcb_rt.free_fn = alloc->free;
    gcb_rt.policy = *policy;
    gcb_rt.head_on_all = policy->head_on_all;
    gcb_rt.ft_prefix = GCB_RC_MODE == GCB_RC_BIASED ? policy->ft_prefix : 0;
    gcb_rt.on_alloc = policy->on_alloc;
    gcb_rt.on_free = policy->on_free;
    gcb_rt.hook_flags = policy->containers_only ? GCB_TYPE_GC : 0;
    gcb_rt.initial_refcnt = policy->mode == GCB_COUNT_ALL ? 1 : 0;
    gcb_hot.mode = policy->mode;
    gcb_hot.on_zero = policy->on_zero ? policy->on_zero : gcb_dealloc;
    gcb_hot.on_decref_live = policy->on_decref_live;
    gcb_hot.write_barrier = policy->write_barrier;
    gcb_hot.safepoint = safepoint_from_policy;
    gcb__freelists_on = gcb_runtime_options()->freelists == GCB_FREELISTS_CPYTHON;
    gcb__garbage_init(gcb_runtime_options()->garbage_every);

    gcb__none = gcb__object_alloc(&gcb_none_type, sizeof(gcb_object_t));
    gcb__make_immortal(gcb__none);
    gcb__int_init();
    gcb__str_init();
#if GCB_THREADED
    hot_proto = gcb_hot;
    hot_proto.top = NULL;
    gcb__shared_init();
#endif
}

void gcb_runtime_fini(void)
{
#if GCB_THREADED
    gcb__shared_fini(); /* delayed frees and drops first: they need the whole runtime */
#endif
    gcb__freelists_fini();
    gcb__freelists_on = 0;
    gcb__str_fini();
#if GCB_RC_MODE == GCB_RC_BIASED
    gcb__deferred_fini(); /* the deferred classes no collector freed (runtime/uniqueid.h) */
#endif
    /* Immortals are leaves (no heap references), so any order is safe. */
    for (size_t i = gcb_rt.n_immortal; i-- > 0;) {
        gcb_object_t *o = gcb_rt.immortal[i];
        size_t pre = prefix_of(o->type);
        size_t size = o->type->size(o);
        GCB_C.immortal_bytes -= pre + size;
        GCB_C.immortal_objects--;
        GCB_C.objects_freed++;
        GCB_C.live_bytes += pre + size; /* gcb_mem_free subtracts it again */
        gcb_mem_free((char *)o - pre, pre + size);
    }
    free(gcb_rt.immortal);
    gcb__dealloc_fini();
    if (GCB_CHECK_BUILD)
        gcb__debug_reset();
    gcb_rt.immortal = NULL;
    gcb_rt.n_immortal = gcb_rt.cap_immortal = 0;
    gcb__none = NULL;
    gcb__options_reset();
#if GCB_THREADED
    gcb__counters_flush();
#endif
}

/* --- threads of a threaded core ------------------------------------------ */

#if GCB_THREADED
void gcb__thread_enter(void)
{
    gcb_frame_t *top = gcb_hot.top; /* a host thread registering itself keeps its frames */
    gcb_hot = hot_proto;
    gcb_hot.top = top;
    sampler_thread_enter();
#if GCB_RC_MODE == GCB_RC_BIASED
    gcb__brc_thread_enter(); /* its queue, in the owner table (runtime/brc.h) */
    gcb__deferred_thread_enter(); /* its per-thread class refcounts (runtime/uniqueid.h) */
#endif
}

void gcb__thread_leave(void)
{
#if GCB_RC_MODE == GCB_RC_BIASED
    gcb__brc_thread_leave(); /* first: the merges may free objects into the free lists */
#endif
    gcb__freelists_fini();
    gcb__dealloc_fini();
#if GCB_RC_MODE == GCB_RC_BIASED
    /* last of the frees: merge its class refcounts into the classes */
    gcb__deferred_thread_leave();
#endif
    gcb__counters_flush();
}
#endif
