/*
 * runtime/qsbr.h - quiescent-state-based reclamation (QSBR) for the
 * free-threaded runtime (mode=ft): free a block only once no thread can
 * still be reading it.
 *
 * Why.  Under mode=ft a shared list's item array or a dict's keys table may
 * be read by other threads without a lock while its owner resizes it.  The
 * old block cannot be freed at the resize: a reader may hold a pointer into
 * it.  CPython 3.13t/3.14t delays the free until every attached thread has
 * passed a quiescent state (a point where it holds no such pointer: the
 * eval breaker, QSBR_QUIESCENT_STATE in Python/ceval_macros.h).  gcbench's
 * quiescent states are its safepoints.  This module is the mechanism alone:
 * it knows nothing of objects and frees raw blocks through a callback, so it
 * is tested on its own (tests/test_qsbr.c) and the runtime decides which
 * frees go through it.
 *
 * The scheme (CPython Python/qsbr.c, Include/internal/pycore_qsbr.h,
 * InternalDocs/qsbr.md; FreeBSD's GUS):
 *   - a shared write sequence wr_seq starts at 1 and advances by 2, so it
 *     is always odd and 0 can mean "offline" (QSBR_INITIAL/INCR/OFFLINE);
 *   - each thread's record holds seq, the wr_seq it saw at its last
 *     quiescent state, or 0 while detached (blocked, stopped for a
 *     stop-the-world pause, exited); detached threads hold up nothing;
 *   - a block removed from a shared structure is queued with a goal; it
 *     may be freed once rd_seq >= goal, where rd_seq is the minimum seq of
 *     the attached threads (a scan of every record, cached in rd_seq);
 *   - the goal: gcb_qsbr_advance() bumps wr_seq and returns the new value;
 *     to spare the shared counter, gcb_qsbr_deferred_advance() advances
 *     only every `advance_every` (10, QSBR_DEFERRED_LIMIT) calls and
 *     otherwise returns wr_seq + 2, the value the next advance will
 *     publish (_Py_qsbr_deferred_advance): safe, because no thread can
 *     report that value before someone advances to it, after our removal;
 *   - optionally (mem_limit > 0) bytes count too: once the bytes a thread
 *     deferred since its last advance exceed mem_limit it advances at
 *     once, and processing is retried at each safepoint while its queue
 *     holds more than mem_limit bytes (CPython gh-135473, in 3.14.0 and
 *     3.13's backport gh-136480, the fix of the gh-132519 pathology where
 *     cross-thread list resizes held 6.7 GB against 135 MB with the GIL).
 *     mem_limit = 0 is the count-only rule of 3.13.0 that shows it.
 *
 * Processing.  A thread's queue is processed (what is due is freed) when it
 * has received `process_every` (254, CPython's 4 KiB chunk of work items)
 * blocks since its last processing, when the mem_limit rule says so, and
 * at every collection (gcb_qsbr_process_all, called with the world
 * stopped: it advances wr_seq, so every block queued before is due since
 * every other thread is detached; gc_free_threading.c's
 * process_delayed_frees).  gcb_qsbr_should_process() is the test a
 * safepoint makes.
 *
 * Invariants:
 *   - wr_seq is odd and only grows; a record's seq is 0 or odd, <= wr_seq;
 *   - rd_seq <= the seq of every attached record at the time of the scan
 *     that set it; a block is freed only when rd_seq >= its goal, i.e.
 *     after every thread attached at its deferral passed a quiescent state
 *     (or detached) after the deferral;
 *   - each queued block is freed exactly once, through free_fn, with the
 *     size it was queued with; held_bytes is the sum of the sizes queued
 *     and not yet freed, exactly (held_blocks likewise);
 *   - a thread's own queue is touched only by that thread (or by anyone
 *     while the world is stopped); blocks of an exited thread move to a
 *     shared "abandoned" queue under the mutex (_PyMem_AbandonDelayed);
 *   - records are never freed before gcb_qsbr_fini, so a scan never reads
 *     freed memory; an unregistered record is reused by the next register.
 *
 * Thread-safety: register/unregister take the mutex; quiescent, attach,
 * detach, advance, poll and free_deferred are lock-free; process takes the
 * mutex only to drain the abandoned queue (trylock: never waits).
 */
#ifndef GCB_QSBR_H
#define GCB_QSBR_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* --- tunables (CPython's values) -------------------------------------- */
#define GCB_QSBR_OFFLINE 0u
#define GCB_QSBR_INITIAL 1u
#define GCB_QSBR_INCR 2u
#define GCB_QSBR_ADVANCE_EVERY 10u  /* QSBR_DEFERRED_LIMIT, Python/qsbr.c */
#define GCB_QSBR_PROCESS_EVERY 254u /* work items per 4 KiB chunk, Objects/obmalloc.c */
#define GCB_QSBR_MEM_LIMIT_314 ((size_t)1 << 20) /* 1 MiB, gh-135473 */
_Static_assert(GCB_QSBR_INITIAL % 2 == 1 && GCB_QSBR_INCR % 2 == 0,
               "wr_seq stays odd, so 0 (offline) never collides with a sequence");

/* Wrap-around safe comparisons (64-bit sequences never wrap in practice). */
#define GCB_QSBR_LT(a, b) ((int64_t)((a) - (b)) < 0)
#define GCB_QSBR_LEQ(a, b) ((int64_t)((a) - (b)) <= 0)

/* Frees one block whose grace period has passed. */
typedef void (*gcb_qsbr_free_fn)(void *ctx, void *block, size_t size);

typedef struct gcb_qsbr_config {
    unsigned max_threads;      /* records available at once, >= 1 */
    unsigned advance_every;    /* deferrals per wr_seq advance, >= 1 (10) */
    unsigned process_every;    /* deferrals per queue processing, >= 1 (254) */
    size_t mem_limit;          /* bytes; 0 = count-only rules (3.13.0) */
    gcb_qsbr_free_fn free_fn;
    void *free_ctx;
} gcb_qsbr_config_t;

/* The defaults: CPython 3.14t (mem_limit 1 MiB). */
gcb_qsbr_config_t gcb_qsbr_default_config(unsigned max_threads, gcb_qsbr_free_fn fn, void *ctx);

typedef struct gcb_qsbr_item {
    void *block;
    size_t size;
    uint64_t goal;
} gcb_qsbr_item_t;

/* A FIFO of queued blocks; goals never decrease within one thread's queue
 * (wr_seq only grows), so processing stops at the first block not due. */
typedef struct gcb_qsbr_queue {
    gcb_qsbr_item_t *items;
    size_t head, tail, cap;    /* items[head..tail) are queued */
    size_t bytes;              /* sum of their sizes */
} gcb_qsbr_queue_t;

typedef struct gcb_qsbr gcb_qsbr_t;

/* One thread's record.  Fields are private to qsbr.c except where the
 * inline functions below read them.  64-byte aligned: records are scanned
 * by every poll, and a record shared with a neighbour's hot line would be
 * false sharing (CPython's struct _qsbr_pad). */
typedef struct gcb_qsbr_thread {
    _Atomic uint64_t seq;          /* last wr_seq seen, or GCB_QSBR_OFFLINE */
    gcb_qsbr_t *shared;
    unsigned deferrals;            /* since the last advance */
    unsigned since_process;        /* deferrals since the last processing */
    size_t bytes_since_advance;
    uint64_t process_seq;          /* seq at the last processing */
    bool allocated;
    struct gcb_qsbr_thread *freelist_next;
    gcb_qsbr_queue_t queue;
} __attribute__((aligned(64))) gcb_qsbr_thread_t;

/* Counters (all exact; bytes are the sizes given to free_deferred). */
#define GCB_QSBR_COUNTERS(X)                                                 \
    X(deferred_blocks, "blocks queued for a delayed free")                 \
    X(freed_blocks, "queued blocks freed after their grace period")        \
    X(held_blocks, "blocks queued and not yet freed")                       \
    X(held_blocks_peak, "most blocks queued at once")                       \
    X(held_bytes, "bytes queued and not yet freed")                         \
    X(held_bytes_peak, "most bytes queued at once")                         \
    X(advances, "advances of the write sequence")                           \
    X(scans, "scans of every thread's record (polls that missed rd_seq)")   \
    X(processings, "queue processings")

typedef struct gcb_qsbr_stats {
#define GCB_X(name, desc) uint64_t name;
    GCB_QSBR_COUNTERS(GCB_X)
#undef GCB_X
} gcb_qsbr_stats_t;

struct gcb_qsbr {
    _Atomic uint64_t wr_seq;
    char pad_wr[64 - sizeof(uint64_t)];     /* wr_seq and rd_seq on lines of their own */
    _Atomic uint64_t rd_seq;
    char pad_rd[64 - sizeof(uint64_t)];
    gcb_qsbr_config_t cfg;
    gcb_qsbr_thread_t *records;             /* cfg.max_threads of them */
    pthread_mutex_t mutex;                  /* registration, freelist, abandoned */
    gcb_qsbr_thread_t *freelist;
    gcb_qsbr_queue_t abandoned;
    _Atomic size_t abandoned_count;         /* read without the mutex */
    struct {
#define GCB_X(name, desc) _Atomic uint64_t name;
        GCB_QSBR_COUNTERS(GCB_X)
#undef GCB_X
    } c;
};

/* --- lifecycle --------------------------------------------------------- */

/* 0, or -1 with a one-line message naming what is wrong and what is
 * accepted (bad configuration, out of memory). */
int gcb_qsbr_init(gcb_qsbr_t *q, const gcb_qsbr_config_t *cfg, char *err, size_t errlen);
/* Free every block still queued (teardown: no thread may read any more)
 * and release the records.  Every record must be unregistered. */
void gcb_qsbr_fini(gcb_qsbr_t *q);

/* A record for the calling thread, attached (seq = wr_seq); NULL when all
 * max_threads records are in use.  _Py_qsbr_reserve + register + attach. */
gcb_qsbr_thread_t *gcb_qsbr_register(gcb_qsbr_t *q);
/* Thread exit: detach, process what is due, hand the rest to the abandoned
 * queue (freed by whoever processes next), return the record. */
void gcb_qsbr_unregister(gcb_qsbr_thread_t *t);

/* --- the sequence ------------------------------------------------------ */

static inline uint64_t gcb_qsbr_current(const gcb_qsbr_t *q)
{
    return atomic_load_explicit(&q->wr_seq, memory_order_acquire);
}

/* A quiescent state: the caller holds no pointer into blocks others may
 * have queued.  One load and one store; called at every safepoint. */
static inline void gcb_qsbr_quiescent(gcb_qsbr_thread_t *t)
{
    atomic_store_explicit(&t->seq, gcb_qsbr_current(t->shared), memory_order_release);
}

/* Going offline (blocking, a stop-the-world stop) and back.  While
 * detached a thread must not touch shared blocks. */
void gcb_qsbr_detach(gcb_qsbr_thread_t *t);
void gcb_qsbr_attach(gcb_qsbr_thread_t *t);
static inline bool gcb_qsbr_is_attached(const gcb_qsbr_thread_t *t)
{
    return atomic_load_explicit(&t->seq, memory_order_relaxed) != GCB_QSBR_OFFLINE;
}

/* Advance wr_seq by 2; returns the new value (a goal). */
uint64_t gcb_qsbr_advance(gcb_qsbr_t *q);
/* The goal for a block removed now, advancing every advance_every calls. */
uint64_t gcb_qsbr_deferred_advance(gcb_qsbr_thread_t *t);
/* Has every attached thread passed a quiescent state at or after `goal`?
 * Reads the cached rd_seq first, scans the records when it falls short. */
bool gcb_qsbr_poll(gcb_qsbr_thread_t *t, uint64_t goal);

/* --- the deferred-free queue ------------------------------------------ */

/* Queue `block` (already unreachable for new readers) to be freed through
 * free_fn once its goal is reached; returns the goal.  Never frees. */
uint64_t gcb_qsbr_free_deferred(gcb_qsbr_thread_t *t, void *block, size_t size);

/* Should the caller's safepoint process its queue now?  After
 * process_every deferrals; while its queue holds more than mem_limit bytes
 * (once per advance of wr_seq); and, with an empty queue, while blocks of
 * exited threads wait (once per advance). */
static inline bool gcb_qsbr_should_process(const gcb_qsbr_thread_t *t)
{
    const gcb_qsbr_config_t *cfg = &t->shared->cfg;
    /* a retry is worth a scan only once wr_seq moved since the last one */
    bool moved = atomic_load_explicit(&t->seq, memory_order_relaxed) != t->process_seq;
    if (t->queue.tail == t->queue.head)
        return moved && atomic_load_explicit(&t->shared->abandoned_count, memory_order_relaxed) != 0;
    if (t->since_process >= cfg->process_every)
        return true;
    return cfg->mem_limit && t->queue.bytes > cfg->mem_limit && moved;
}
/* Free what is due in the caller's queue (and in the abandoned queue if
 * the mutex is free); returns the number of blocks freed. */
size_t gcb_qsbr_process(gcb_qsbr_thread_t *t);
/* With the world stopped (every other thread detached or idle): advance,
 * report the caller quiescent, free every block of every queue that is
 * due, which is all of them when every other thread is detached.  Returns
 * the number freed.  The collection's call. */
size_t gcb_qsbr_process_all(gcb_qsbr_thread_t *self);

/* A snapshot of the counters. */
void gcb_qsbr_stats(const gcb_qsbr_t *q, gcb_qsbr_stats_t *out);

#endif
