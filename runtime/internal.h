/*
 * runtime/internal.h - state and helpers shared by the files of runtime/
 * and nothing else.  Prototypes are grouped by the file that defines them.
 */
#ifndef GCB_RUNTIME_INTERNAL_H
#define GCB_RUNTIME_INTERNAL_H

#include "runtime/host.h"
#include "config.h"

#define GCB_LIKELY(x) __builtin_expect(!!(x), 1)
#define GCB_UNLIKELY(x) __builtin_expect(!!(x), 0)

typedef struct gcb_rt {
    const gcb_allocator_t *alloc;
    void *actx;
    void *(*malloc_fn)(void *ctx, size_t size);          /* alloc's, one load away */
    void (*free_fn)(void *ctx, void *ptr, size_t size);
    gcb_policy_t policy;                 /* the run's policy, copied at init */
    void (*on_alloc)(gcb_object_t *o);   /* policy's hooks, one load away */
    void (*on_free)(gcb_object_t *o);
    int head_on_all;
    size_t ft_prefix;     /* ft core: bytes before each container (gcb_policy_t.ft_prefix) */
    uint32_t hook_flags;  /* type flags an object needs for on_alloc/on_free: GCB_TYPE_GC or 0 */
    uint64_t barrier_calls;  /* check build: calls of the installed write barrier (runtime/debug.h) */
    int64_t initial_refcnt;
    gcb_rt_counters_t c;
    /* bytes of live mortal objects' own blocks (GC header included, buffers
     * not): what runtime/garbage.c subtracts the reachable blocks from */
    uint64_t object_bytes;
    gcb_object_t **immortal;
    size_t n_immortal, cap_immortal;
} gcb_rt_t;

extern gcb_rt_t gcb_rt;

/* The counters the runtime updates as it works.  Default core: gcb_rt.c
 * itself.  Threaded cores (GCB_THREADED): the calling thread's deltas
 * (uint64 arithmetic modulo 2^64, so a delta may be "negative"), added
 * into gcb_rt.c with atomic adds by gcb__counters_flush when the thread's
 * live delta passes +-GCB_FLUSH_BYTES or +-GCB_FLUSH_OBJECTS (negative
 * too: a consumer thread that only frees), when it leaves the thread
 * table and whenever the counters are read.  Sums are exact once every
 * thread has flushed; the peaks are taken at flushes on the global sums
 * just after the delta (a sum below zero skipped, runtime.c's peak_max),
 * so they are within threads x (GCB_FLUSH_BYTES, GCB_FLUSH_OBJECTS) of the
 * true peaks either way and never below the final live values. */
#if GCB_THREADED
extern GCB_TLS gcb_rt_counters_t gcb__tc;
#define GCB_C gcb__tc
extern GCB_TLS uint64_t gcb__tc_object_bytes;
#define GCB_OBJECT_BYTES gcb__tc_object_bytes
#define GCB_FLUSH_BYTES ((int64_t)64 * 1024)
#define GCB_FLUSH_OBJECTS ((int64_t)1024)
void gcb__counters_flush(void) __attribute__((cold, noinline));
#else
#define GCB_C gcb_rt.c
#define GCB_OBJECT_BYTES gcb_rt.object_bytes
#endif

/* After live bytes grew: the peak (default core), or a flush when the
 * thread's delta is large (threaded cores). */
static inline void gcb__count_peak_bytes(void)
{
#if GCB_THREADED
    if (__builtin_expect((int64_t)gcb__tc.live_bytes > GCB_FLUSH_BYTES, 0))
        gcb__counters_flush();
#else
    if (gcb_rt.c.live_bytes > gcb_rt.c.live_bytes_peak)
        gcb_rt.c.live_bytes_peak = gcb_rt.c.live_bytes;
#endif
}

static inline void gcb__count_object_born(void)
{
#if GCB_THREADED
    if (__builtin_expect((int64_t)++gcb__tc.live_objects > GCB_FLUSH_OBJECTS, 0))
        gcb__counters_flush();
#else
    if (++gcb_rt.c.live_objects > gcb_rt.c.live_objects_peak)
        gcb_rt.c.live_objects_peak = gcb_rt.c.live_objects;
#endif
}

/* An object died: its count (default core), or the thread's delta and a
 * flush when it is below -GCB_FLUSH_OBJECTS (threaded cores).  Without
 * that flush a consumer kept its whole negative delta until it left, and
 * every producer flush in between lifted the global sum, and the peak,
 * towards everything ever allocated (tests/test_atomic.c, peaks). */
static inline void gcb__count_object_died(void)
{
#if GCB_THREADED
    if (__builtin_expect((int64_t)--gcb__tc.live_objects < -GCB_FLUSH_OBJECTS, 0))
        gcb__counters_flush();
#else
    gcb_rt.c.live_objects--;
#endif
}

/* After live bytes fell: nothing (default core), or a flush when the
 * thread's delta is below -GCB_FLUSH_BYTES (threaded cores), as above. */
static inline void gcb__count_fall_bytes(void)
{
#if GCB_THREADED
    if (__builtin_expect((int64_t)gcb__tc.live_bytes < -GCB_FLUSH_BYTES, 0))
        gcb__counters_flush();
#endif
}

/* "runtime.c" */
/* Object allocations left before the sampler runs (see
 * gcb_runtime_set_sampler); INT64_MAX when no sampler is set. */
extern GCB_TLS int64_t gcb__sample_countdown;
/* runtime/garbage.c: a sample is due at the next safepoint */
extern int gcb__garbage_armed;
void gcb__garbage_sample(void) __attribute__((cold, noinline));
void gcb__garbage_init(uint64_t every);
void gcb__sample_fire(void) __attribute__((cold, noinline));
/* One allocation towards the next sample. */
static inline void gcb__sample_tick(void)
{
    if (GCB_UNLIKELY(--gcb__sample_countdown <= 0))
        gcb__sample_fire();
}
void gcb__oom(size_t size) __attribute__((noreturn, cold));
extern const gcb_type_t gcb_none_type;

/* "memory.c" is inline here: the hot path of every constructor. */
static inline void *gcb__mem_alloc_inline(size_t size)
{
    void *p = gcb_rt.malloc_fn(gcb_rt.actx, size);
    if (GCB_UNLIKELY(!p))
        gcb__oom(size);
    GCB_C.live_bytes += size;
    gcb__count_peak_bytes();
    return p;
}

static inline void gcb__mem_free_inline(void *p, size_t size)
{
    GCB_C.bytes_freed += size;
    GCB_C.live_bytes -= size;
    gcb__count_fall_bytes();
    gcb_rt.free_fn(gcb_rt.actx, p, size);
}

/* Containers call this on every slot store, before the old value is
 * released (runtime/policy.h); the policy's barrier, if it has one. */
static inline void gcb__barrier(gcb_object_t *c, gcb_object_t *old, gcb_object_t *new_)
{
    if (gcb_hot.write_barrier) {
        if (GCB_CHECK_BUILD)
            gcb_rt.barrier_calls++;
        gcb_hot.write_barrier(c, old, new_);
    }
}

/* Store a stack reference (consumed) into a slot of container c that
 * already holds an object: the one ordering every setter needs (count the
 * new reference, tell the barrier, store, and only then release the old
 * value, whose dealloc may look at c). */
static inline void gcb__slot_store(gcb_object_t *c, gcb_object_t **slot, gcb_object_t *ref)
{
    gcb_object_t *old = *slot;
    gcb__heap_acquire(ref);
    gcb__barrier(c, old, ref);
    *slot = ref;
    gcb__heap_release(old);
}

/* Called by constructors once the object's fields are valid. */
static inline gcb_object_t *gcb__object_born(gcb_object_t *o)
{
    if (gcb_rt.on_alloc && (o->type->flags & gcb_rt.hook_flags) == gcb_rt.hook_flags)
        gcb_rt.on_alloc(o);
    return o;
}

/* "debug.c": the live-object registry of the check build (runtime/debug.h).
 * Called only under `if (GCB_CHECK_BUILD)`, so the benchmark build
 * compiles the calls away. */
void gcb__debug_born(gcb_object_t *o);
void gcb__debug_freed(gcb_object_t *o);
void gcb__debug_immortalized(gcb_object_t *o);
void gcb__debug_reset(void);

/* "options.c": back to every default (gcb_runtime_fini), so a host that
 * does not configure gets the defaults, not the last run's choice. */
void gcb__options_reset(void);

/* "freelist.c": CPython's free lists, when -p freelists=cpython.  take:
 * a kept block for an object of `type` and `size` (GC header excluded)
 * and `bytes` (included), or NULL; put: keep the dead object's block,
 * 1, or 0 when its list is full or it has none. */
extern int gcb__freelists_on;
void *gcb__freelist_take(const gcb_type_t *type, size_t size, size_t bytes);
int gcb__freelist_put(const gcb_type_t *type, size_t size, void *mem, size_t bytes);
void *gcb__freelist_take_keys(size_t bytes);
int gcb__freelist_put_keys(void *mem, size_t bytes);
void gcb__freelists_fini(void);

/* "dealloc.c" */
void gcb__dealloc_fini(void);

/* "runtime.c": a thread of a threaded core enters the runtime (its gcb_hot
 * from the prototype gcb_runtime_init left, its sampler countdown) and
 * leaves it (counters flushed, its dealloc queue and free lists freed);
 * called by gcb_thread_register / gcb_thread_unregister. */
void gcb__thread_enter(void);
void gcb__thread_leave(void);

/* "int.c" */
void gcb__int_init(void);

/* "str.c" */
void gcb__str_init(void);
void gcb__str_fini(void);

#endif
