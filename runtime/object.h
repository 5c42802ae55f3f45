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

struct gcb_object {
    int64_t refcnt;
    const gcb_type_t *type;
};

/* The two-word header before containers.  The runtime never reads it;
 * collectors give it meaning (generation list links, gc_refs, colours). */
typedef struct gcb_gchead {
    uintptr_t next;
    uintptr_t prev;
} gcb_gchead_t;

_Static_assert(sizeof(gcb_object_t) == 16, "object header is 16 bytes as in CPython");
_Static_assert(sizeof(gcb_gchead_t) == 16, "GC header is 2 words as PyGC_Head");

/* Immortal refcount: negative, so the test is one sign check. */
#define GCB_IMMORTAL_REFCNT (INT64_MIN / 2)
/* Bit a collector sets while an object sits in a table of deferred frees:
 * drc's zero-count table, lazy's batch buffer.  With it set, a count
 * dropping to "zero" leaves refcnt == GCB_ZCT_FLAG, which is not 0, so
 * on_zero is not called twice for one entry (an interned string can be
 * revived through the intern table's uncounted reference while queued). */
#define GCB_ZCT_FLAG ((int64_t)1 << 61)
#define GCB_REFCNT(o) ((o)->refcnt & ~GCB_ZCT_FLAG)

static inline int gcb_is_immortal(const gcb_object_t *o) { return o->refcnt < 0; }

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

extern gcb_hot_t gcb_hot;

/* --- reference operations (the hot path) ---------------------------- */

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
