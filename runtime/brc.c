/*
 * runtime/brc.c - biased reference counting's slow paths (mode=ft only;
 * runtime/brc.h lists the entry points, docs/threads.md the design).
 * Written after CPython 3.14t's Python/brc.c and Objects/object.c
 * (_Py_DecRefSharedIsDead, _Py_MergeZeroLocalRefcount,
 * _Py_ExplicitMergeRefcount), read, not copied.
 *
 * An object's count is two fields (runtime/object.h's ft header):
 *   ob_ref_local   the owner's references, changed only by the owner
 *                  (ob_tid == its thread pointer) with relaxed stores;
 *   ob_ref_shared  every other thread's references << 2 | a state, changed
 *                  only by CAS (or an atomic add for increments).  The
 *                  shared count may be negative: a reference counted in
 *                  ob_ref_local may be dropped by another thread.
 * The true count is local + (shared >> 2) (GCB_REFCNT).  The state bits:
 *
 *   DEFAULT (0)  ob_tid owns it; the owner frees at local 0 if the whole
 *                shared word is 0 (object.h's inline fast path);
 *   MAYBE_WEAKREF (1)  the same, but other threads may find it through
 *                an uncounted reference (gcb__set_maybe_weakref: interned
 *                strings now, lock-free container reads in plan commit 8),
 *                so their try-incref does not refuse it and the owner's
 *                zero-local path must merge by CAS instead of freeing;
 *   QUEUED (2)   a non-owner found the shared word at exactly 0 (or 1)
 *                while dropping a reference: the reference it dropped is
 *                counted in the owner's local count, so instead of making
 *                the shared count -1 it set QUEUED *without* decrementing
 *                and pushed the object on the owner's queue; the queue now
 *                holds that reference;
 *   MERGED (3)   the count lives in ob_ref_shared alone: ob_ref_local 0,
 *                ob_tid 0, so every thread takes the shared path and the
 *                one whose decrement leaves the word at exactly MERGED
 *                (count 0) frees the object.
 *
 * Transitions (who makes them):
 *   DEFAULT/MAYBE_WEAKREF, count 0 -> QUEUED   a non-owner's decrement
 *                                               (gcb__decref_shared);
 *   QUEUED -> MERGED  the owner, at its next safepoint (gcb__brc_safepoint)
 *                or while it leaves (gcb__brc_thread_leave): total = local
 *                + shared - 1 (the queue's reference), ob_ref_local = 0,
 *                ob_tid = 0; freed if total is 0;
 *   any unmerged -> MERGED  the owner, when its local count reaches 0 with
 *                the shared word not 0 (gcb__merge_zero_local): ob_tid = 0
 *                first, then the state bits CASed to MERGED; freed if the
 *                shared count was 0 (only flags were set);
 *   QUEUED -> MERGED  the dropper, when the owner has left the table: the
 *                same explicit merge as the owner's, under the bucket's
 *                mutex (so a thread registering with a reused thread
 *                pointer cannot start using the local count meanwhile);
 *                freed by the dropper if total is 0.
 * MERGED is final (ftgc reuses no header word, so it restores nothing).
 *
 * The owner table.  A thread pointer is only a number, so the owner of an
 * object is found by hashing ob_tid into one of BRC_BUCKETS buckets, each
 * a mutex and a list of the registered threads hashing there (CPython's
 * struct _brc_bucket).  Invariants, under a bucket's mutex: a thread is in
 * its bucket's list iff it is registered with brc and has not finished
 * leaving; `to_merge` is only pushed while the owner is in the list; a
 * pusher sets the owner's `merge` flag and then its gcb_hot.pending, so
 * the owner's next gcb_safepoint() enters the slow path and merges (the
 * flag is CPython's _PY_EVAL_EXPLICIT_MERGE_BIT; pending is the one word
 * the fast safepoint test reads).  The owner moves `to_merge` into its
 * private `local` stack under the mutex and merges without it: a merge
 * may free objects whose deallocs queue more objects, into this or any
 * bucket.  A leaving thread drains until, holding the mutex, it finds
 * `to_merge` empty, and unlinks itself in that same critical section:
 * after that, droppers find no owner and merge the objects themselves.
 *
 * Memory order.  Every CAS on ob_ref_shared is acq_rel: a decrement
 * releases what the dropping thread did to the object, and the thread
 * that then frees it acquires every earlier decrement (a chain of RMWs on
 * one word is one release sequence).  The owner's inline zero test loads
 * the shared word with acquire (x86-64: a plain mov).  Queued objects
 * pass from pusher to owner under the bucket mutex.
 *
 * Thread pointers are reused by later threads.  An object whose owner
 * left keeps its ob_tid until someone merges it; a later thread with the
 * same thread pointer simply becomes its owner (it registers under the
 * bucket mutex, so no orphan merge of the same object is half done), as
 * in CPython before its collector restores ob_tid from mimalloc.  Objects
 * made by an unregistered thread (a test's or the harness's host thread)
 * have no queue: a non-owner that would queue one merges it at once, so
 * the host must not touch its objects while registered threads drop them
 * (the harness's host waits in pthread_join meanwhile).
 */
#include "runtime/brc.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/threads.h"

#define SHIFT GCB_REF_SHARED_SHIFT
#define FLAGS GCB_REF_SHARED_FLAG_MASK
#define ONE ((int64_t)1 << SHIFT)

/* --- tunables ---------------------------------------------------------- */
/* Buckets of the owner table: a prime, so aligned thread pointers spread
 * (CPython's _Py_BRC_NUM_BUCKETS). */
#define BRC_BUCKETS 257
/* First capacity of an object stack; it doubles. */
#define BRC_STACK_MIN 64
_Static_assert(GCB_REF_MERGED == 3 && GCB_REF_QUEUED == 2 && GCB_REF_MAYBE_WEAKREF == 1 && FLAGS == 3,
               "ob_ref_shared's states are CPython's _Py_REF_*");

/* A stack of queued objects (malloc'd apart from the runtime's allocator:
 * the queues are bookkeeping, not part of the measured heap). */
typedef struct {
    gcb_object_t **v;
    size_t n, cap;
} objstack_t;

typedef struct brc_thread {
    struct brc_thread *next;    /* in its bucket's list, under the bucket's mutex */
    uintptr_t tid;              /* its thread pointer while in a bucket, else 0 */
    _Atomic int *pending;       /* the owner's gcb_hot.pending (TLS) */
    _Atomic int merge;          /* objects were pushed since the owner last merged */
    objstack_t to_merge;        /* pushed by other threads, under the bucket's mutex */
    objstack_t local;           /* the owner's, being merged, no lock */
} brc_thread_t;

static struct bucket {
    pthread_mutex_t m;
    brc_thread_t *head;
} buckets[BRC_BUCKETS] = { [0 ... BRC_BUCKETS - 1] = { PTHREAD_MUTEX_INITIALIZER, NULL } };

/* One slot per registered thread, indexed by tstate->index. */
static brc_thread_t slots[GCB_THREADS_MAX];
static GCB_TLS brc_thread_t *me;

/* Counters: the calling thread's deltas, and the totals of those flushed. */
static GCB_TLS gcb_brc_counters_t tc;
static gcb_brc_counters_t totals;

static struct bucket *bucket_of(uintptr_t tid) { return &buckets[tid % BRC_BUCKETS]; }

static void stack_push(objstack_t *s, gcb_object_t *o)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : BRC_STACK_MIN;
        gcb_object_t **v = realloc(s->v, cap * sizeof *v);
        if (!v) {
            fprintf(stderr, "gcbench: out of memory growing a biased-counting queue to %zu entries\n", cap);
            exit(3);
        }
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = o;
}

/* Move every entry of `from` onto `to` (from ends empty, keeps its block). */
static void stack_move(objstack_t *to, objstack_t *from)
{
    if (!to->n) {
        objstack_t t = *to;
        *to = *from;
        *from = t;
        from->n = 0;
        return;
    }
    for (size_t i = 0; i < from->n; i++)
        stack_push(to, from->v[i]);
    from->n = 0;
}

static void stack_free(objstack_t *s)
{
    free(s->v);
    memset(s, 0, sizeof *s);
}

static void dead(gcb_object_t *o) { gcb_hot.on_zero(o); }

/* _Py_ExplicitMergeRefcount: fold the local count (plus `extra`) into the
 * shared word as MERGED; the merged count.  Called by the owner, or by a
 * dropper when the owner is gone (under the bucket's mutex). */
int64_t gcb__brc_explicit_merge(gcb_object_t *o, int64_t extra)
{
    /* The local word and the owner are cleared before the CAS publishes
     * MERGED, not after as CPython does: once MERGED is visible another
     * thread may drop the last shared reference and free the object, and
     * a store after that is a write to freed memory (TSan caught it when
     * QSBR's delayed drops freed merged objects on another thread and the
     * free list reused the block).  Only the owner (or, with the owner
     * gone, the dropper under the bucket's mutex) writes ob_ref_local, so
     * reading it once is exact. */
    int64_t local = (int64_t)atomic_load_explicit(&o->ob_ref_local, memory_order_relaxed);
    atomic_store_explicit(&o->ob_ref_local, 0, memory_order_relaxed);
    atomic_store_explicit(&o->ob_tid, 0, memory_order_relaxed);
    int64_t shared = atomic_load_explicit(&o->ob_ref_shared, memory_order_relaxed), total;
    do {
        total = (shared >> SHIFT) + local + extra;
    } while (!atomic_compare_exchange_weak_explicit(&o->ob_ref_shared, &shared, (total << SHIFT) | GCB_REF_MERGED,
                                                    memory_order_acq_rel, memory_order_relaxed));
    return total;
}

static brc_thread_t *find_owner(struct bucket *b, uintptr_t tid)
{
    for (brc_thread_t *t = b->head; t; t = t->next)
        if (t->tid == tid)
            return t;
    return NULL;
}

/* _Py_brc_queue_object: the caller set o QUEUED and gave its reference to
 * the queue; hand it to the owner, or merge it here if there is none. */
static void queue_object(gcb_object_t *o)
{
    uintptr_t tid = atomic_load_explicit(&o->ob_tid, memory_order_relaxed);
    if (tid == 0) {
        /* merged meanwhile (QUEUED was folded into MERGED): our reference
         * is a shared one now, drop it as such */
        gcb__decref_shared(o);
        return;
    }
    struct bucket *b = bucket_of(tid);
    pthread_mutex_lock(&b->m);
    brc_thread_t *t = find_owner(b, tid);
    if (!t) {
        int64_t total = gcb__brc_explicit_merge(o, -1); /* -1: the reference the queue would have held */
        pthread_mutex_unlock(&b->m);
        tc.orphan_merges++;
        if (total == 0) {
            tc.dropper_frees++;
            tc.cross_thread_drops++;
            dead(o);
        }
        return;
    }
    stack_push(&t->to_merge, o);
    atomic_store_explicit(&t->merge, 1, memory_order_relaxed);
    atomic_store_explicit(t->pending, 1, memory_order_relaxed);
    pthread_mutex_unlock(&b->m);
    tc.queued++;
}

/* _Py_DecRefSharedIsDead and _Py_DecRefShared together. */
void gcb__decref_shared(gcb_object_t *o)
{
    tc.shared_decrefs++;
    int64_t shared = atomic_load_explicit(&o->ob_ref_shared, memory_order_relaxed), next;
    int queue;
    do {
        /* count 0, neither queued nor merged: our reference is counted in
         * ob_ref_local; the queue takes it over, nothing is subtracted */
        queue = shared == GCB_REF_DEFAULT || shared == GCB_REF_MAYBE_WEAKREF;
        next = queue ? GCB_REF_QUEUED : shared - ONE;
    } while (!atomic_compare_exchange_weak_explicit(&o->ob_ref_shared, &shared, next, memory_order_acq_rel,
                                                    memory_order_relaxed));
    if (queue) {
        queue_object(o);
    } else if (next == GCB_REF_MERGED) {
        tc.dropper_frees++;
        tc.cross_thread_drops++;
        dead(o);
    }
}

/* _Py_MergeZeroLocalRefcount: the owner's local count just reached 0. */
void gcb__merge_zero_local(gcb_object_t *o)
{
    int64_t shared = atomic_load_explicit(&o->ob_ref_shared, memory_order_acquire);
    if (shared == 0) {
        dead(o);
        return;
    }
    /* ob_tid first: a zero ob_tid always means the count is (being) merged */
    atomic_store_explicit(&o->ob_tid, 0, memory_order_relaxed);
    int64_t next;
    do {
        next = (shared & ~(int64_t)FLAGS) | GCB_REF_MERGED;
    } while (!atomic_compare_exchange_weak_explicit(&o->ob_ref_shared, &shared, next, memory_order_acq_rel,
                                                    memory_order_acquire));
    tc.zero_local_merges++;
    if (next == GCB_REF_MERGED)
        dead(o);
}

/* Merge every object of the owner's private stack; each held one queued
 * reference.  `counter`: merges or exit_merges. */
static void merge_local(brc_thread_t *t, uint64_t *counter)
{
    while (t->local.n) {
        gcb_object_t *o = t->local.v[--t->local.n];
        (*counter)++;
        if (gcb__brc_explicit_merge(o, -1) == 0) {
            tc.cross_thread_drops++; /* the queued reference was the last */
            dead(o);
        }
    }
}

/* _Py_brc_merge_refcounts: the owner at its safepoint. */
void gcb__brc_safepoint(void)
{
    brc_thread_t *t = me;
    if (!t || !atomic_load_explicit(&t->merge, memory_order_relaxed))
        return;
    struct bucket *b = bucket_of(t->tid);
    pthread_mutex_lock(&b->m);
    atomic_store_explicit(&t->merge, 0, memory_order_relaxed);
    stack_move(&t->local, &t->to_merge);
    pthread_mutex_unlock(&b->m);
    merge_local(t, &tc.merges);
}

void gcb__brc_thread_enter(void)
{
    gcb_tstate_t *ts = gcb_tstate_self();
    brc_thread_t *t = &slots[ts->index];
    memset(t, 0, sizeof *t);
    t->tid = gcb_thread_id();
    t->pending = &gcb_hot.pending;
    struct bucket *b = bucket_of(t->tid);
    pthread_mutex_lock(&b->m);
    t->next = b->head;
    b->head = t;
    pthread_mutex_unlock(&b->m);
    me = t;
}

static void counters_flush(void)
{
#define GCB_X(name, desc)                                                     \
    if (tc.name)                                                              \
        __atomic_add_fetch(&totals.name, tc.name, __ATOMIC_RELAXED);
    GCB_BRC_COUNTERS(GCB_X)
#undef GCB_X
    memset(&tc, 0, sizeof tc);
}

/* _Py_brc_remove_thread: drain, then leave the table in the critical
 * section that finds the queue empty. */
void gcb__brc_thread_leave(void)
{
    brc_thread_t *t = me;
    if (!t)
        return;
    struct bucket *b = bucket_of(t->tid);
    pthread_mutex_lock(&b->m);
    while (t->to_merge.n) {
        stack_move(&t->local, &t->to_merge);
        pthread_mutex_unlock(&b->m);
        merge_local(t, &tc.exit_merges);
        pthread_mutex_lock(&b->m);
    }
    brc_thread_t **p = &b->head;
    while (*p != t)
        p = &(*p)->next;
    *p = t->next;
    t->next = NULL;
    t->tid = 0;
    t->pending = NULL;
    atomic_store_explicit(&t->merge, 0, memory_order_relaxed);
    pthread_mutex_unlock(&b->m);
    stack_free(&t->to_merge);
    stack_free(&t->local);
    me = NULL;
    counters_flush();
}

void gcb_brc_counters(gcb_brc_counters_t *out)
{
    counters_flush();
#define GCB_X(name, desc) out->name = __atomic_load_n(&totals.name, __ATOMIC_RELAXED);
    GCB_BRC_COUNTERS(GCB_X)
#undef GCB_X
}

uint64_t gcb_brc_queue_length(uint32_t index)
{
    brc_thread_t *t = &slots[index];
    uint64_t n = 0;
    for (uint32_t i = 0; i < BRC_BUCKETS; i++) {
        pthread_mutex_lock(&buckets[i].m);
        for (brc_thread_t *u = buckets[i].head; u; u = u->next)
            if (u == t)
                n = t->to_merge.n;
        pthread_mutex_unlock(&buckets[i].m);
    }
    return n;
}

/* The collector's merge (merge_queued_objects of Python/gc_free_threading.c),
 * with the world stopped: every registered thread's queue is merged by the
 * caller.  No owner runs, so taking their stacks under the bucket mutexes
 * is only for the pushers' invariant. */
void gcb__brc_merge_all_stopped(void (*zero)(gcb_object_t *o, void *arg), void *arg)
{
    for (uint32_t i = 0; i < BRC_BUCKETS; i++) {
        struct bucket *b = &buckets[i];
        pthread_mutex_lock(&b->m);
        for (brc_thread_t *t = b->head; t; t = t->next) {
            atomic_store_explicit(&t->merge, 0, memory_order_relaxed);
            while (t->to_merge.n) {
                gcb_object_t *o = t->to_merge.v[--t->to_merge.n];
                tc.gc_merges++;
                if (gcb__brc_explicit_merge(o, -1) == 0) {
                    tc.cross_thread_drops++;
                    zero(o, arg);
                }
            }
        }
        pthread_mutex_unlock(&b->m);
    }
}
