/*
 * runtime/uniqueid.c - the unique-id pool and the per-thread refcount
 * arrays of deferred classes (mode=ft only; runtime/uniqueid.h has the
 * design and the invariants).  Written after CPython 3.14t's
 * Python/uniqueid.c (_PyObject_AssignUniqueId, _PyObject_ThreadIncrefSlow,
 * _PyObject_MergePerThreadRefcounts, _PyObject_FinalizePerThreadRefcounts),
 * read, not copied.
 *
 *   pool (one, under pool_lock)            per registered thread (slots[index])
 *   +-------------------------------+      +------------------------------+
 *   | table[0 .. size)              |      | v[0 .. n), n <= pool.size    |
 *   |   used: obj, id_field         | <--- | v[id - 1] += 1 per instance  |
 *   |   free: next free index       |      |   made, -= 1 per one freed   |
 *   | free: head of the free list   |      +------------------------------+
 *   +-------------------------------+
 *
 * Who touches what: the pool's table, its free list and `size` only under
 * pool_lock (size is also read atomically by a thread growing its array);
 * a thread's array v/n only by its own thread, except under pool_lock by
 * a merger while that thread is stopped (gcb__deferred_merge_all with the
 * world stopped) - the stop's handshake orders the owner's plain writes
 * before the merger's reads.  A class's ob_ref_shared is changed by merges
 * with atomic adds (other threads may be changing it by CAS meanwhile).
 */
#include "runtime/uniqueid.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/internal.h"

#define SHIFT GCB_REF_SHARED_SHIFT

/* --- tunables ---------------------------------------------------------- */
/* First size of the pool's table; it doubles (CPython's POOL_MIN_SIZE). */
#define POOL_MIN_SIZE 8
_Static_assert(((GCB_REF_DEFERRED << SHIFT) >> SHIFT) == GCB_REF_DEFERRED, "the bias fits in the shared word");

typedef struct entry {
    gcb_object_t *obj;    /* the class, NULL while free */
    uint32_t *id_field;   /* where it keeps its id (cleared at disable) */
    uint32_t next;        /* free: index + 1 of the next free entry, 0 at the end */
    uint8_t zero;         /* its merged count was 0 when last looked at */
    uint8_t released;     /* a class held it before (the id is being reused) */
} entry_t;

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
    entry_t *table;
    _Atomic size_t size;
    uint32_t free;        /* index + 1 of the first free entry, 0: none */
    uint32_t used;
} pool;

/* The arrays of registered threads, by tstate->index; an unregistered
 * thread points at `none` (n == 0). */
static gcb__refcounts_t slots[GCB_THREADS_MAX];
static gcb__refcounts_t none;
GCB_TLS gcb__refcounts_t *gcb__refcounts = &none;

/* Counters: the calling thread's deltas, and the totals of those flushed. */
GCB_TLS gcb_deferred_counters_t gcb__dtc;
static gcb_deferred_counters_t totals;

static void *xrealloc(void *p, size_t bytes, const char *what)
{
    void *q = realloc(p, bytes);
    if (!q) {
        fprintf(stderr, "gcbench: out of memory growing %s to %zu bytes\n", what, bytes);
        exit(3);
    }
    return q;
}

/* resize_interp_type_id_pool: double the table, the new entries free. */
static void pool_grow(void)
{
    size_t old = atomic_load_explicit(&pool.size, memory_order_relaxed);
    size_t size = old ? 2 * old : POOL_MIN_SIZE;
    if (size > UINT32_MAX - 1) {
        fprintf(stderr, "gcbench: more than %u deferred classes\n", UINT32_MAX - 1);
        exit(3);
    }
    pool.table = xrealloc(pool.table, size * sizeof *pool.table, "the unique-id pool");
    for (size_t i = old; i < size; i++)
        pool.table[i] = (entry_t){ .next = i + 1 < size ? (uint32_t)(i + 2) : 0 };
    pool.free = (uint32_t)old + 1;
    atomic_store_explicit(&pool.size, size, memory_order_relaxed);
}

/* Apart from live (as gcb__make_immortal counts an immortal), and back. */
static void count_apart(gcb_object_t *o, int apart)
{
    uint64_t bytes = gcb_object_block_size(o);
    if (apart) {
        GCB_C.live_objects--;
        GCB_C.live_bytes -= bytes;
        GCB_OBJECT_BYTES -= bytes;
        GCB_C.immortal_objects++;
        GCB_C.immortal_bytes += bytes;
    } else {
        GCB_C.immortal_objects--;
        GCB_C.immortal_bytes -= bytes;
        GCB_C.live_objects++;
        GCB_C.live_bytes += bytes;
        GCB_OBJECT_BYTES += bytes;
    }
}

uint32_t gcb__deferred_enable(gcb_object_t *cls, uint32_t *id_field)
{
    /* _PyObject_SetDeferredRefcount: the class is not yet visible to
     * another thread, so plain stores */
    cls->ob_gc_bits |= GCB_GC_BIT_DEFERRED;
    atomic_fetch_add_explicit(&cls->ob_ref_shared, GCB_REF_DEFERRED << SHIFT, memory_order_relaxed);
    count_apart(cls, 1);
    pthread_mutex_lock(&pool_lock);
    if (!pool.free)
        pool_grow();
    uint32_t id = pool.free;
    entry_t *e = &pool.table[id - 1];
    int reused = e->released;
    pool.free = e->next;
    *e = (entry_t){ .obj = cls, .id_field = id_field };
    pool.used++;
    pthread_mutex_unlock(&pool_lock);
    *id_field = id;
    gcb__dtc.ids_assigned++;
    gcb__dtc.ids_reused += reused;
    return id;
}

static void release_locked(uint32_t id)
{
    entry_t *e = &pool.table[id - 1];
    *e = (entry_t){ .next = pool.free, .released = 1 };
    pool.free = id;
    pool.used--;
    gcb__dtc.ids_released++;
}

int gcb__deferred_refuse(gcb_object_t *cls)
{
    if (!gcb_is_deferred(cls))
        return 0;
    gcb__dtc.dealloc_refused++;
    return 1;
}

void gcb__deferred_release(gcb_object_t *cls, uint32_t *id_field)
{
    (void)cls;
    uint32_t id = *id_field;
    if (!id)
        return;
    *id_field = 0;
    pthread_mutex_lock(&pool_lock);
    release_locked(id);
    pthread_mutex_unlock(&pool_lock);
}

void gcb__deferred_disable(gcb_object_t *cls)
{
    if (!gcb_is_deferred(cls))
        return;
    __atomic_fetch_and(&cls->ob_gc_bits, (uint8_t)~GCB_GC_BIT_DEFERRED, __ATOMIC_RELAXED);
    /* merge_refcount(op, 0) after taking the bias out: the world is
     * stopped, so nobody writes the local count meanwhile; MERGED with the
     * true count, ob_tid 0, so the drop that leaves it at 0, on any
     * thread, frees it (runtime/brc.c's dropper path) */
    int64_t local = (int64_t)atomic_load_explicit(&cls->ob_ref_local, memory_order_relaxed);
    int64_t shared = atomic_load_explicit(&cls->ob_ref_shared, memory_order_relaxed);
    int64_t total = (shared >> SHIFT) - GCB_REF_DEFERRED + local;
    atomic_store_explicit(&cls->ob_ref_local, 0, memory_order_relaxed);
    atomic_store_explicit(&cls->ob_tid, 0, memory_order_relaxed);
    atomic_store_explicit(&cls->ob_ref_shared, total * ((int64_t)1 << SHIFT) | GCB_REF_MERGED, memory_order_release);
    pthread_mutex_lock(&pool_lock);
    for (size_t i = 0, n = atomic_load_explicit(&pool.size, memory_order_relaxed); i < n; i++)
        if (pool.table[i].obj == cls) {
            *pool.table[i].id_field = 0;
            release_locked((uint32_t)i + 1);
            break;
        }
    pthread_mutex_unlock(&pool_lock);
    count_apart(cls, 0);
    gcb__dtc.collector_disables++;
}

/* --- the slow paths ------------------------------------------------------ */

/* resize_local_refcounts: the calling registered thread's array to the
 * pool's size, the new entries 0. */
static void array_grow(gcb__refcounts_t *r)
{
    size_t size = atomic_load_explicit(&pool.size, memory_order_relaxed);
    r->v = xrealloc(r->v, size * sizeof *r->v, "a per-thread refcount array");
    memset(r->v + r->n, 0, (size - r->n) * sizeof *r->v);
    r->n = size;
    gcb__dtc.array_grows++;
}

void gcb__type_incref_slow(gcb_object_t *cls, size_t idx)
{
    gcb__refcounts_t *r = gcb__refcounts;
    if (r == &none || idx == SIZE_MAX) {
        gcb__incref(cls); /* no array, or no id: count on the class (never freed by it: the bias) */
        gcb__dtc.direct_increfs++;
        return;
    }
    array_grow(r);
    gcb__type_incref(cls, (uint32_t)idx + 1);
}

void gcb__type_decref_slow(gcb_object_t *cls)
{
    gcb__dtc.direct_decrefs++;
    gcb__decref(cls);
}

/* --- merging ------------------------------------------------------------- */

static void merge_locked(gcb__refcounts_t *r)
{
    if (!r->n)
        return;
    for (size_t i = 0; i < r->n; i++) {
        int64_t d = r->v[i];
        if (!d)
            continue;
        entry_t *e = &pool.table[i];
        if (!e->obj) {
            fprintf(stderr, "gcbench: per-thread refcount %lld for unique id %zu, which no class holds\n",
                    (long long)d, i + 1);
            abort();
        }
        atomic_fetch_add_explicit(&e->obj->ob_ref_shared, d * ((int64_t)1 << SHIFT), memory_order_relaxed);
        r->v[i] = 0;
        gcb__dtc.merged_entries++;
        gcb__dtc.merged_sum += d;
    }
    gcb__dtc.thread_merges++;
}

void gcb__deferred_merge_thread(gcb_tstate_t *t)
{
    pthread_mutex_lock(&pool_lock);
    merge_locked(&slots[t->index]);
    pthread_mutex_unlock(&pool_lock);
}

/* Every array merged: a class at 0 now is garbage only a collector frees.
 * Counted once per time it is found at 0. */
static void count_zero_locked(void)
{
    for (size_t i = 0, n = atomic_load_explicit(&pool.size, memory_order_relaxed); i < n; i++) {
        entry_t *e = &pool.table[i];
        if (!e->obj)
            continue;
        int zero = gcb_deferred_refcount(e->obj) == 0;
        gcb__dtc.zero_unfreed += zero && !e->zero;
        e->zero = (uint8_t)zero;
    }
}

void gcb__deferred_merge_all(void)
{
    pthread_mutex_lock(&pool_lock);
    for (uint32_t i = 0; i < GCB_THREADS_MAX; i++)
        merge_locked(&slots[i]);
    count_zero_locked();
    pthread_mutex_unlock(&pool_lock);
}

/* --- threads and teardown ------------------------------------------------ */

void gcb__deferred_thread_enter(void)
{
    gcb__refcounts_t *r = &slots[gcb_tstate_self()->index];
    pthread_mutex_lock(&pool_lock);
    r->v = NULL;
    r->n = 0;
    pthread_mutex_unlock(&pool_lock);
    gcb__refcounts = r;
}

static void counters_flush(void)
{
#define GCB_X(name, desc)                                                     \
    if (gcb__dtc.name)                                                        \
        __atomic_add_fetch(&totals.name, gcb__dtc.name, __ATOMIC_RELAXED);
    GCB_DEFERRED_COUNTERS(GCB_X)
#undef GCB_X
    __atomic_add_fetch(&totals.merged_sum, gcb__dtc.merged_sum, __ATOMIC_RELAXED);
    memset(&gcb__dtc, 0, sizeof gcb__dtc);
}

/* _PyObject_FinalizePerThreadRefcounts: merge, free the array; instance
 * frees on this thread from now on count on the class. */
void gcb__deferred_thread_leave(void)
{
    gcb__refcounts_t *r = gcb__refcounts;
    if (r == &none)
        return;
    gcb__deferred_merge_thread(gcb_tstate_self()); /* still registered: r is its slot */
    pthread_mutex_lock(&pool_lock);
    free(r->v);
    r->v = NULL;
    r->n = 0;
    pthread_mutex_unlock(&pool_lock);
    gcb__refcounts = &none;
    counters_flush();
}

/* gcb_runtime_fini: every thread has left, so the merged counts are exact;
 * free every class left (no collector freed them) as the immortals are. */
void gcb__deferred_fini(void)
{
    pthread_mutex_lock(&pool_lock);
    count_zero_locked();
    for (size_t i = 0, n = atomic_load_explicit(&pool.size, memory_order_relaxed); i < n; i++) {
        gcb_object_t *o = pool.table[i].obj;
        if (!o)
            continue;
        *pool.table[i].id_field = 0;
        release_locked((uint32_t)i + 1);
        size_t bytes = gcb_object_block_size(o);
        GCB_C.immortal_bytes -= bytes;
        GCB_C.immortal_objects--;
        GCB_C.objects_freed++;
        GCB_C.live_bytes += bytes; /* gcb_mem_free subtracts it again */
        if (GCB_CHECK_BUILD)
            gcb__debug_freed(o);
        gcb_mem_free((char *)o - (bytes - gcb_object_size(o)), bytes); /* a class has no prefix; as immortals */
        gcb__dtc.teardown_frees++;
    }
    pthread_mutex_unlock(&pool_lock);
    counters_flush();
}

/* --- reading ----------------------------------------------------------- */

void gcb_deferred_counters(gcb_deferred_counters_t *out)
{
    counters_flush();
#define GCB_X(name, desc) out->name = __atomic_load_n(&totals.name, __ATOMIC_RELAXED);
    GCB_DEFERRED_COUNTERS(GCB_X)
#undef GCB_X
    out->merged_sum = __atomic_load_n(&totals.merged_sum, __ATOMIC_RELAXED);
}

int64_t gcb_deferred_refcount(const gcb_object_t *o)
{
    gcb_object_t *m = (gcb_object_t *)o;
    return GCB_REFCNT(m) - (gcb_is_deferred(o) ? GCB_REF_DEFERRED : 0);
}

int gcb_is_deferred(const gcb_object_t *o)
{
    return (__atomic_load_n(&o->ob_gc_bits, __ATOMIC_RELAXED) & GCB_GC_BIT_DEFERRED) != 0;
}

uint32_t gcb_deferred_id(const gcb_object_t *o)
{
    uint32_t id = 0;
    pthread_mutex_lock(&pool_lock);
    for (size_t i = 0, n = atomic_load_explicit(&pool.size, memory_order_relaxed); i < n && !id; i++)
        if (pool.table[i].obj == o)
            id = (uint32_t)i + 1;
    pthread_mutex_unlock(&pool_lock);
    return id;
}

uint32_t gcb_deferred_live(void)
{
    pthread_mutex_lock(&pool_lock);
    uint32_t n = pool.used;
    pthread_mutex_unlock(&pool_lock);
    return n;
}
