/*
 * runtime/object.h - the object model core: what an object looks like in
 * memory, how references are counted, and where the roots are.
 *
 * Collectors include it (with runtime/policy.h, the hooks the runtime
 * calls, and nothing above them) to traverse objects, read the GC header
 * and scan frames.  Workloads use runtime/runtime.h, which builds the Python
 * types on top of it.
 *
 * Layout (64-bit), faithful to CPython so memory figures mean something:
 *
 *      container objects                  other objects
 *   +------------------------+
 *   | gcb_gchead_t next      |  <- 2 words, only before containers
 *   | gcb_gchead_t prev      |     (and before every object when the
 *   +------------------------+      collector asks for heads on all)
 *   | int64_t refcnt         |   +------------------------+
 *   | const gcb_type_t *type |   | refcnt | type          |  16-byte header
 *   +------------------------+   +------------------------+
 *   | type-specific fields   |   | type-specific fields   |
 *
 * Who owns the GC header: the collector.  The runtime only reserves it.
 *
 * References come in two kinds, and the distinction is what lets one API
 * serve every collection policy:
 *   - stack references: held by frame locals and by the C variables of a
 *     workload between two safepoints (CPython's evaluation stack);
 *   - heap references: held by container slots (list items, dict entries,
 *     tuple items, an instance's __dict__).
 * The policy's counting mode (runtime/policy.h) says which kinds change
 * refcounts:
 *   GCB_COUNT_ALL   (rc, gen, lazy, trialdel): both kinds counted, as CPython;
 *   GCB_COUNT_HEAP  (drc): only heap references counted (Deutsch-Bobrow);
 *   GCB_COUNT_NONE  (marksweep): nothing counted, tracing finds garbage.
 * Constructors return a stack reference.  Container setters consume one.
 *
 * Safepoint rule: a workload may hold objects in C variables only between
 * two calls of gcb_safepoint(); at a safepoint every live object must be
 * reachable from a frame local.  Collections, ZCT reconciliation and batch
 * frees happen only at safepoints, never inside an allocation (as CPython
 * 3.12+ runs an allocation-triggered collection at the next eval breaker).
 *
 * Immortal objects (None, small ints -5..256, string constants, classes):
 * refcnt < 0; incref/decref leave them alone (PEP 683).  They are excluded
 * from the live counters and never freed before runtime teardown.
 */
#ifndef GCB_OBJECT_H
#define GCB_OBJECT_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

typedef struct gcb_object gcb_object_t;
typedef struct gcb_type gcb_type_t;

/* The counting discipline this copy of the core is compiled for
 * (docs/threads.md, "Keeping the default hot path as it is"): meson builds
 * the core once per value, into gcbench, gcbench-ft and gcbench-atomic, so
 * each binary's reference operations are branch-free for its own mode and
 * the default binary's code is today's.
 *   GCB_RC_PLAIN   modes default and gil: a plain int64 count;
 *   GCB_RC_BIASED  mode ft: PEP 703's header and biased counting;
 *   GCB_RC_ATOMIC  mode atomic: the plain header, every change an atomic RMW. */
#define GCB_RC_PLAIN 1
#define GCB_RC_BIASED 2
#define GCB_RC_ATOMIC 3
#ifndef GCB_RC_MODE
#define GCB_RC_MODE GCB_RC_PLAIN
#endif
/* The ft and atomic cores run mutator threads in parallel: the state every
 * reference operation reads (gcb_hot) and the runtime's per-thread state
 * (counter deltas, the dealloc queue, free lists, the sampler countdown)
 * are thread-local there, initial-exec TLS (one %fs-relative access).  The
 * default core keeps them global: its code is today's. */
#define GCB_THREADED (GCB_RC_MODE != GCB_RC_PLAIN)
#if GCB_THREADED
#define GCB_TLS __thread __attribute__((tls_model("initial-exec")))
#else
#define GCB_TLS
#endif

#if GCB_RC_MODE == GCB_RC_BIASED
/* CPython's free-threaded header (Include/object.h under Py_GIL_DISABLED),
 * 32 bytes.  No GC header before containers: its bits are ob_gc_bits. */
struct gcb_object {
    _Atomic uintptr_t ob_tid;       /* owning thread (its thread pointer), 0 once merged */
    uint16_t ob_flags;              /* index of the allocating thread (runtime/threads.h) */
    uint8_t ob_mutex;               /* per-object lock (container writes) */
    uint8_t ob_gc_bits;             /* TRACKED UNREACHABLE ALIVE DEFERRED SHARED */
    _Atomic uint32_t ob_ref_local;  /* owner's count; UINT32_MAX: immortal */
    _Atomic int64_t ob_ref_shared;  /* others' count << 2 | state (DEFAULT, MAYBE_WEAKREF, QUEUED, MERGED) */
    const gcb_type_t *type;
};
_Static_assert(sizeof(struct gcb_object) == 32, "ft object header is 32 bytes as in CPython 3.14t");
#define GCB_GCHEAD_SIZE 0           /* containers: no PyGC_Head (_PyType_PreHeaderSize) */
#else
struct gcb_object {
    int64_t refcnt;                 /* GCB_RC_ATOMIC: only through __atomic builtins once shared */
    const gcb_type_t *type;
};
_Static_assert(sizeof(struct gcb_object) == 16, "object header is 16 bytes as in CPython");
#define GCB_GCHEAD_SIZE 16
#endif
/* Bytes the mode's header adds to every object over CPython's default build. */
#define GCB_HEADER_EXTRA (sizeof(struct gcb_object) - 16)

/* The two-word header before containers.  The runtime never reads it;
 * collectors give it meaning (generation list links, gc_refs, colours). */
typedef struct gcb_gchead {
    uintptr_t next;
    uintptr_t prev;
} gcb_gchead_t;

_Static_assert(sizeof(gcb_gchead_t) == 16, "GC header is 2 words as PyGC_Head");

/* Immortal refcount: negative, so the test is one sign check.  Under ft:
 * ob_ref_local == UINT32_MAX (3.14t), both operations return after one load. */
#define GCB_IMMORTAL_REFCNT (INT64_MIN / 2)
#define GCB_IMMORTAL_LOCAL UINT32_MAX
/* Bit a collector sets while an object sits in a table of deferred frees:
 * drc's zero-count table, lazy's batch buffer.  With it set, a count
 * dropping to "zero" leaves refcnt == GCB_ZCT_FLAG, which is not 0, so
 * on_zero is not called twice for one entry (an interned string can be
 * revived through the intern table's uncounted reference while queued). */
#define GCB_ZCT_FLAG ((int64_t)1 << 61)
#if GCB_RC_MODE == GCB_RC_BIASED
/* ob_ref_shared: the count is shifted left by 2 above the state bits. */
#define GCB_REF_SHARED_SHIFT 2
#define GCB_REF_SHARED_FLAG_MASK 3
#define GCB_REFCNT(o)                                                                  \
    ((int64_t)atomic_load_explicit(&(o)->ob_ref_local, memory_order_relaxed) +         \
     (atomic_load_explicit(&(o)->ob_ref_shared, memory_order_relaxed) >> GCB_REF_SHARED_SHIFT))
static inline int gcb_is_immortal(const gcb_object_t *o)
{
    return atomic_load_explicit(&((gcb_object_t *)o)->ob_ref_local, memory_order_relaxed) == GCB_IMMORTAL_LOCAL;
}
#elif GCB_RC_MODE == GCB_RC_ATOMIC
#define GCB_REFCNT(o) (__atomic_load_n(&(o)->refcnt, __ATOMIC_RELAXED) & ~GCB_ZCT_FLAG)
static inline int gcb_is_immortal(const gcb_object_t *o) { return __atomic_load_n(&o->refcnt, __ATOMIC_RELAXED) < 0; }
#else
#define GCB_REFCNT(o) ((o)->refcnt & ~GCB_ZCT_FLAG)
static inline int gcb_is_immortal(const gcb_object_t *o) { return o->refcnt < 0; }
#endif

typedef void (*gcb_visit_fn)(gcb_object_t *child, void *arg);

enum {
    GCB_TYPE_GC = 1u << 0,       /* container: has a GC header, traverse and clear */
    GCB_TYPE_VARSIZE = 1u << 1,  /* size depends on the instance (str, tuple) */
    /* Exact tuple: its items never change after construction, so a cycle
     * collector may stop tracking it once every item is untracked
     * (CPython's _PyTuple_MaybeUntrack). */
    GCB_TYPE_TUPLE = 1u << 2,
    /* Exact dict: every store goes through the write barrier, so a cycle
     * collector may track it lazily, only once it holds a value that can
     * be tracked (CPython up to 3.12, MAINTAIN_TRACKING). */
    GCB_TYPE_DICT = 1u << 3,
};

struct gcb_type {
    const char *name;
    uint32_t flags;
    /* Bytes of the object itself, GC header excluded: `basicsize` for
     * fixed-size types (read on every free, so no indirect call), else 0
     * and `size` computes it. */
    size_t basicsize;
    size_t (*size)(const gcb_object_t *o);
    /* Visit every object this one holds a heap reference to. NULL: none. */
    void (*traverse)(gcb_object_t *o, gcb_visit_fn visit, void *arg);
    /* Drop every heap reference this object holds (cycle breaking). */
    void (*clear)(gcb_object_t *o);
    /* Drop the references, release auxiliary buffers and free the object. */
    void (*dealloc)(gcb_object_t *o);
};

/* Frames: each local slot is a root.  Slots always hold an object (None
 * when unset), so no reference operation needs a NULL test. */
typedef struct gcb_frame {
    struct gcb_frame *back;
    uint32_t nlocals;
    gcb_object_t *locals[];
} gcb_frame_t;

typedef enum { GCB_COUNT_ALL = 0, GCB_COUNT_HEAP = 1, GCB_COUNT_NONE = 2 } gcb_count_mode_t;

/* The state every reference operation reads: kept together in one cache
 * line, set once by gcb_runtime_init from the policy (runtime/policy.h).
 * A policy calls gcb_safepoint_request() to have its safepoint() run at the
 * next gcb_safepoint().
 *
 * `pending` is atomic because under mode=gil a thread waiting for the lock
 * sets it to make the holder's next safepoint enter the slow path (a drop
 * request, runtime/gil.c).  Every access on the mutator's side is relaxed:
 * on x86-64 the same `mov` as a plain int, so the default binary's code is
 * unchanged; the ordering the GIL needs is in runtime/gil.c. */
typedef struct gcb_hot {
    gcb_count_mode_t mode;
    _Atomic int pending;         /* work asked for at the next safepoint (a collector, a GIL waiter) */
    void (*on_zero)(gcb_object_t *o);          /* a counted reference count reached 0 */
    void (*on_decref_live)(gcb_object_t *o);   /* decrement left it > 0; NULL: not wanted */
    void (*write_barrier)(gcb_object_t *container, gcb_object_t *old, gcb_object_t *new_);
    void (*safepoint)(void);     /* the runtime's: clears pending, calls the policy's */
    gcb_frame_t *top;            /* innermost frame */
} gcb_hot_t;

extern GCB_TLS gcb_hot_t gcb_hot;

/* --- reference operations (the hot path) ---------------------------- */

#if GCB_RC_MODE == GCB_RC_BIASED
/* The calling thread's identity: its thread pointer (%fs:0 on x86-64), as
 * CPython's _Py_ThreadId. */
static inline uintptr_t gcb_thread_id(void) { return (uintptr_t)__builtin_thread_pointer(); }

/* The slow paths (runtime/brc.c): a non-owner's decrement, and the
 * owner's local count reaching 0 while the shared word is not 0. */
void gcb__decref_shared(gcb_object_t *o);
void gcb__merge_zero_local(gcb_object_t *o);

/* Py_INCREF of 3.14t: immortal after one load; the owner stores its local
 * count relaxed (no RMW), others add to the shared count atomically.  A
 * local count reaching UINT32_MAX by increments becomes immortal. */
static inline void gcb__incref(gcb_object_t *o)
{
    uint32_t local = atomic_load_explicit(&o->ob_ref_local, memory_order_relaxed);
    uint32_t next = local + 1;
    if (next == 0)
        return;
    if (atomic_load_explicit(&o->ob_tid, memory_order_relaxed) == gcb_thread_id())
        atomic_store_explicit(&o->ob_ref_local, next, memory_order_relaxed);
    else
        atomic_fetch_add_explicit(&o->ob_ref_shared, (int64_t)1 << GCB_REF_SHARED_SHIFT, memory_order_relaxed);
}

/* Py_DECREF of 3.14t, the owner's side: a local count at zero with no
 * shared references frees at once (the DEFAULT state's fast path).  The
 * load of the shared word acquires (a plain mov on x86-64): another
 * thread's decrement that brought it back to 0 released its last use. */
static inline void gcb__decref(gcb_object_t *o)
{
    uint32_t local = atomic_load_explicit(&o->ob_ref_local, memory_order_relaxed);
    if (local == GCB_IMMORTAL_LOCAL)
        return;
    if (atomic_load_explicit(&o->ob_tid, memory_order_relaxed) != gcb_thread_id()) {
        gcb__decref_shared(o);
        return;
    }
    atomic_store_explicit(&o->ob_ref_local, --local, memory_order_relaxed);
    if (local == 0 && atomic_load_explicit(&o->ob_ref_shared, memory_order_acquire) == 0)
        gcb_hot.on_zero(o);
    else if (local == 0)
        gcb__merge_zero_local(o); /* shared references or state bits remain (runtime/brc.c) */
}

/* _Py_TryIncref of 3.14t (Include/internal/pycore_object.h): a new
 * reference to an object another thread may be dropping, found through an
 * uncounted reference (the intern table).  The owner adds to its local
 * count (nobody else frees its objects before a merge); another thread
 * adds to the shared count unless it is exactly 0 (DEFAULT state, no
 * shared references: the owner may be freeing it) or MERGED with count 0
 * (_Py_TryIncRefShared).  0: refused. */
#define GCB_REF_DEFAULT 0
#define GCB_REF_MAYBE_WEAKREF 1
#define GCB_REF_QUEUED 2
#define GCB_REF_MERGED 3
static inline int gcb__try_incref(gcb_object_t *o)
{
    uint32_t local = atomic_load_explicit(&o->ob_ref_local, memory_order_relaxed);
    if (local == GCB_IMMORTAL_LOCAL)
        return 1;
    if (atomic_load_explicit(&o->ob_tid, memory_order_relaxed) == gcb_thread_id()) {
        if (local == 0)
            return 0;
        atomic_store_explicit(&o->ob_ref_local, local + 1, memory_order_relaxed);
        return 1;
    }
    int64_t shared = atomic_load_explicit(&o->ob_ref_shared, memory_order_acquire);
    do {
        if (shared == 0 || shared == GCB_REF_MERGED)
            return 0;
    } while (!atomic_compare_exchange_weak_explicit(&o->ob_ref_shared, &shared,
                                                    shared + ((int64_t)1 << GCB_REF_SHARED_SHIFT),
                                                    memory_order_acquire, memory_order_acquire));
    return 1;
}

/* _PyObject_SetMaybeWeakref: o can be found through an uncounted
 * reference (the intern table), so a non-owner's gcb__try_incref must not
 * mistake "no shared references yet" (the word exactly 0) for "dying":
 * the state bits become MAYBE_WEAKREF unless some state is set already,
 * and the owner's zero-local path then merges instead of freeing outright
 * (runtime/brc.c). */
static inline void gcb__set_maybe_weakref(gcb_object_t *o)
{
    if (gcb_is_immortal(o))
        return;
    int64_t shared = atomic_load_explicit(&o->ob_ref_shared, memory_order_relaxed);
    do {
        if (shared & GCB_REF_SHARED_FLAG_MASK)
            return;
    } while (!atomic_compare_exchange_weak_explicit(&o->ob_ref_shared, &shared, shared | GCB_REF_MAYBE_WEAKREF,
                                                    memory_order_relaxed, memory_order_relaxed));
}
#elif GCB_RC_MODE == GCB_RC_ATOMIC
/* Swift ARC's choice: every change an atomic RMW, no owner.  The decrement
 * that reaches zero acquires, so the freeing thread sees every other
 * thread's writes to the object (release on the way down). */
static inline void gcb__incref(gcb_object_t *o)
{
    if (__atomic_load_n(&o->refcnt, __ATOMIC_RELAXED) >= 0)
        __atomic_fetch_add(&o->refcnt, 1, __ATOMIC_RELAXED);
}

static inline void gcb__decref(gcb_object_t *o)
{
    if (__atomic_load_n(&o->refcnt, __ATOMIC_RELAXED) < 0)
        return;
    if (__atomic_sub_fetch(&o->refcnt, 1, __ATOMIC_ACQ_REL) == 0)
        gcb_hot.on_zero(o);
    else if (gcb_hot.on_decref_live)
        gcb_hot.on_decref_live(o);
}

/* A new reference to an object another thread may be dropping right now
 * (found through an uncounted reference: the intern table): refused, 0,
 * once its count reached zero, since its dealloc has begun or is about to.
 * Immortals always succeed and are left alone. */
static inline int gcb__try_incref(gcb_object_t *o)
{
    /* acquire, also when refused: the caller then writes the dying
     * object's state, after everything its last holder did to it (the
     * decrement to zero released) */
    int64_t c = __atomic_load_n(&o->refcnt, __ATOMIC_ACQUIRE);
    do {
        if (c < 0)
            return 1;
        if (c == 0)
            return 0;
    } while (!__atomic_compare_exchange_n(&o->refcnt, &c, c + 1, 1, __ATOMIC_ACQUIRE, __ATOMIC_ACQUIRE));
    return 1;
}
#else
static inline void gcb__incref(gcb_object_t *o)
{
    if (o->refcnt >= 0)
        o->refcnt++;
}

static inline void gcb__decref(gcb_object_t *o)
{
    if (o->refcnt < 0)
        return;
    if (--o->refcnt == 0)
        gcb_hot.on_zero(o);
    else if (gcb_hot.on_decref_live)
        gcb_hot.on_decref_live(o);
}
#endif

/* A new object's count (the runtime's allocation), and immortality. */
static inline void gcb__refcnt_init(gcb_object_t *o, int64_t n)
{
#if GCB_RC_MODE == GCB_RC_BIASED
    atomic_store_explicit(&o->ob_tid, gcb_thread_id(), memory_order_relaxed);
    o->ob_flags = 0;
    o->ob_mutex = 0;
    o->ob_gc_bits = 0;
    atomic_store_explicit(&o->ob_ref_local, (uint32_t)n, memory_order_relaxed);
    atomic_store_explicit(&o->ob_ref_shared, 0, memory_order_relaxed);
#else
    o->refcnt = n;
#endif
}

static inline void gcb__refcnt_immortalize(gcb_object_t *o)
{
#if GCB_RC_MODE == GCB_RC_BIASED
    atomic_store_explicit(&o->ob_ref_local, GCB_IMMORTAL_LOCAL, memory_order_relaxed);
    atomic_store_explicit(&o->ob_ref_shared, 0, memory_order_relaxed);
    atomic_store_explicit(&o->ob_tid, 0, memory_order_relaxed);
#else
    o->refcnt = GCB_IMMORTAL_REFCNT;
#endif
}

/* A new stack reference to a borrowed object (Py_NewRef on a local). */
static inline gcb_object_t *gcb_newref(gcb_object_t *o)
{
    if (gcb_hot.mode == GCB_COUNT_ALL)
        gcb__incref(o);
    return o;
}

/* Give up a stack reference. */
static inline void gcb_release(gcb_object_t *o)
{
    if (gcb_hot.mode == GCB_COUNT_ALL)
        gcb__decref(o);
}

/* A stack reference becomes a heap reference (stored into a container). */
static inline void gcb__heap_acquire(gcb_object_t *o)
{
    if (gcb_hot.mode == GCB_COUNT_HEAP)
        gcb__incref(o);
}

/* A new heap reference to a borrowed object (copying a slot). */
static inline void gcb__heap_newref(gcb_object_t *o)
{
    if (gcb_hot.mode != GCB_COUNT_NONE)
        gcb__incref(o);
}

/* A heap reference is overwritten or dropped. */
static inline void gcb__heap_release(gcb_object_t *o)
{
    if (gcb_hot.mode != GCB_COUNT_NONE)
        gcb__decref(o);
}

/* Free an object whose references are gone, now (runtime/dealloc.c).
 * The default on_zero.  Never recurses: containers freed while another
 * dealloc is running are queued and freed by the outermost call, so a
 * million-long chain frees in constant C stack (CPython's trashcan). */
void gcb_dealloc(gcb_object_t *o);

/* Test builds of the core library (gcbcore_check in tests/meson.build) are
 * compiled with GCB_CHECK_BUILD=1: freed objects are poisoned with 0xdb,
 * the runtime keeps a registry of live objects (runtime/debug.h) and
 * collectors validate their structures around every collection.  The
 * benchmark build has none of it on any path. */
#ifndef GCB_CHECK_BUILD
#define GCB_CHECK_BUILD 0
#endif

/* --- GC header access ----------------------------------------------- */

static inline gcb_gchead_t *gcb_gchead(gcb_object_t *o) { return (gcb_gchead_t *)o - 1; }
static inline gcb_object_t *gcb_from_gchead(gcb_gchead_t *h) { return (gcb_object_t *)(h + 1); }
static inline size_t gcb_object_size(const gcb_object_t *o)
{
    size_t b = o->type->basicsize;
    return b ? b : o->type->size(o);
}

static inline int gcb_is_container(const gcb_object_t *o) { return (o->type->flags & GCB_TYPE_GC) != 0; }

/* --- frames (runtime/frame.c) ---------------------------------------- */

gcb_frame_t *gcb_frame_push(uint32_t nlocals);
void gcb_frame_pop(gcb_frame_t *f);

static inline gcb_object_t *gcb_local(const gcb_frame_t *f, uint32_t i) { return f->locals[i]; }

/* Store a stack reference into a local (consumed); the old value's stack
 * reference is released.  Under deferred RC this is a plain store. */
static inline void gcb_local_set(gcb_frame_t *f, uint32_t i, gcb_object_t *ref)
{
    gcb_object_t *old = f->locals[i];
    f->locals[i] = ref;
    gcb_release(old);
}

/* Visit every frame local from the innermost frame outwards. */
void gcb_frames_visit(gcb_visit_fn visit, void *arg);

/* --- safepoints ------------------------------------------------------ */

static inline void gcb_safepoint(void)
{
    if (atomic_load_explicit(&gcb_hot.pending, memory_order_relaxed))
        gcb_hot.safepoint();
}

/* A policy asks for its safepoint() at the next gcb_safepoint(), or takes
 * the request back (its collection did the work asked for). */
static inline void gcb_safepoint_request(void)
{
    atomic_store_explicit(&gcb_hot.pending, 1, memory_order_relaxed);
}

static inline void gcb_safepoint_request_clear(void)
{
    atomic_store_explicit(&gcb_hot.pending, 0, memory_order_relaxed);
}

#endif
