/*
 * runtime/shared.h - containers shared between threads in the threaded
 * cores (mode=ft, mode=atomic): the per-container lock, the SHARED bit, and
 * delayed frees through QSBR (docs/threads.md, "Shared containers under ft"
 * and plan commit 8).  Included by runtime/list.c and runtime/dict.c only;
 * in the default core it declares nothing, so their code is today's.
 *
 * The protocol, after CPython 3.13t/3.14t (Objects/listobject.c
 * list_get_item_ref, list_resize, free_list_items; Objects/dictobject.c
 * ensure_shared_on_read, ensure_shared_on_resize; Objects/obmalloc.c
 * _PyMem_FreeDelayed; InternalDocs/qsbr.md):
 *   - every writer (append, set, pop, clear, dict set/delete, resize) holds
 *     the container's one-byte lock (ob_mutex) for the mutation.  CPython
 *     takes the critical section on every write, owner or not, and so does
 *     the model (the "owner skips it" shortcut the design asked to verify
 *     is not CPython's);
 *   - readers go lock-free through gcb_list_get_ref / gcb_dict_get_ref: the
 *     owner and everyone once the container is SHARED; a non-owner finding
 *     it unshared takes the lock once, sets SHARED and reads under it;
 *   - a non-owner writer sets SHARED too before it mutates (CPython's
 *     ensure_shared_on_resize), so the owner's own lock-free reads are
 *     covered;
 *   - a SHARED container never frees at once what a lock-free reader may
 *     still hold a pointer into or to: an outgrown item array or keys table
 *     goes to gcb__shared_free_deferred, and a reference removed from a slot
 *     (replaced, popped, deleted, cleared) is dropped later by
 *     gcb__shared_release_deferred.  The second is the model's deviation
 *     (docs/threads.md, QSBR point 2): CPython relies on mimalloc not reusing
 *     an object's page before QSBR allows; glibc gives no such promise, so a
 *     reader's try-incref on a just-freed item would write freed memory.
 *
 * Where the bits live.  ft: ob_mutex and ob_gc_bits of the 32-byte header;
 * the owner is ob_tid.  atomic: the 16-byte header has no room, so the lock,
 * the bits and the allocating thread sit in the container's GC header, which
 * no collector of mode=atomic uses (only rc runs there: docs/threads.md,
 * "Which collectors ... run in which modes").  Container sizes are unchanged.
 *
 * Invariants (threaded cores): a container's items/keys pointer, its size
 * and every slot a lock-free reader loads are written only under the lock,
 * with atomic stores (release where a reader's acquire must see what was
 * written before); once SHARED a container stays SHARED; a block or
 * reference queued here is released exactly once, after every thread that
 * was attached at the queueing passed a safepoint (or detached).
 */
#ifndef GCB_RUNTIME_SHARED_H
#define GCB_RUNTIME_SHARED_H

#include "runtime/object.h"

#if GCB_THREADED
#include <sched.h>

#define GCB_GC_BIT_SHARED (1u << 4) /* CPython's _PyGC_BITS_SHARED */

#if GCB_RC_MODE == GCB_RC_BIASED
static inline uint8_t *gcb__ob_mutex(gcb_object_t *o) { return &o->ob_mutex; }
static inline uint8_t *gcb__ob_bits(gcb_object_t *o) { return &o->ob_gc_bits; }
static inline int gcb__ob_owned(gcb_object_t *o)
{
    return atomic_load_explicit(&o->ob_tid, memory_order_relaxed) == gcb_thread_id();
}
static inline void gcb__ob_share_init(gcb_object_t *o) { (void)o; /* gcb__refcnt_init set ob_tid, zeroed the rest */ }
#else
/* mode=atomic: the container's GC header (zeroed by gcb__object_alloc). */
typedef struct gcb__share_word {
    _Atomic uintptr_t owner;    /* allocating thread's thread pointer */
    uint8_t mutex;
    uint8_t bits;
    uint8_t pad[6];
} gcb__share_word_t;
_Static_assert(sizeof(gcb__share_word_t) == sizeof(gcb_gchead_t), "the share word fills the GC header");
static inline gcb__share_word_t *gcb__share_word(gcb_object_t *o) { return (gcb__share_word_t *)gcb_gchead(o); }
static inline uint8_t *gcb__ob_mutex(gcb_object_t *o) { return &gcb__share_word(o)->mutex; }
static inline uint8_t *gcb__ob_bits(gcb_object_t *o) { return &gcb__share_word(o)->bits; }
static inline int gcb__ob_owned(gcb_object_t *o)
{
    return atomic_load_explicit(&gcb__share_word(o)->owner, memory_order_relaxed) ==
           (uintptr_t)__builtin_thread_pointer();
}
static inline void gcb__ob_share_init(gcb_object_t *o)
{
    atomic_store_explicit(&gcb__share_word(o)->owner, (uintptr_t)__builtin_thread_pointer(), memory_order_relaxed);
}
#endif

void gcb__ob_lock_slow(uint8_t *m) __attribute__((cold, noinline));

/* PyMutex's one-byte shape without parking: a test-and-set, then spin and
 * yield (runtime/shared.c).  Never held across a safepoint or a release. */
static inline void gcb__ob_lock(gcb_object_t *o)
{
    uint8_t *m = gcb__ob_mutex(o);
    if (__builtin_expect(!__atomic_exchange_n(m, 1, __ATOMIC_ACQUIRE), 1))
        return;
    gcb__ob_lock_slow(m);
}

static inline void gcb__ob_unlock(gcb_object_t *o) { __atomic_store_n(gcb__ob_mutex(o), 0, __ATOMIC_RELEASE); }

static inline int gcb__ob_is_shared(gcb_object_t *o)
{
    return (__atomic_load_n(gcb__ob_bits(o), __ATOMIC_RELAXED) & GCB_GC_BIT_SHARED) != 0;
}

static inline void gcb__ob_set_shared(gcb_object_t *o) { __atomic_fetch_or(gcb__ob_bits(o), GCB_GC_BIT_SHARED, __ATOMIC_RELAXED); }

/* A writer holding the lock: is the container SHARED (frees delayed)?  A
 * non-owner makes it so first (ensure_shared_on_resize). */
static inline int gcb__ob_write_shared(gcb_object_t *o)
{
    if (gcb__ob_is_shared(o))
        return 1;
    if (gcb__ob_owned(o))
        return 0;
    gcb__ob_set_shared(o);
    return 1;
}

/* "shared.c" */
/* Free `block` of `size` bytes (gcb_mem_free) once no thread can be
 * reading it. */
void gcb__shared_free_deferred(void *block, size_t size);
/* Drop a heap reference (gcb__heap_release) once no thread can be about
 * to try-incref it through a slot it was loaded from. */
void gcb__shared_release_deferred(gcb_object_t *o);
/* Safepoint work: report quiescent, process the queue when it is due
 * (runtime.c's safepoint_from_policy). */
void gcb__shared_safepoint(void);
/* The free-threaded collector's processing (collectors/ftgc.c), world
 * stopped: every queued block and drop is due (every other thread is
 * parked, and parked threads are offline: runtime/stw.c).  Returns the
 * entries freed or dropped; 0 on a thread without a record. */
size_t gcb__shared_process_all(void);
/* Lifecycle (runtime.c, threads.c). */
void gcb__shared_init(void);
void gcb__shared_fini(void);
void gcb__shared_thread_enter(void);
void gcb__shared_thread_leave(void);
void gcb__shared_detach(void);
void gcb__shared_attach(void);
#endif

#endif
