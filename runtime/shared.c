/*
 * runtime/shared.c - the runtime's QSBR domain (runtime/qsbr.h) and what
 * goes through it: the delayed frees of shared containers (runtime/shared.h
 * says which).  Threaded cores only; the default core compiles the two
 * getters' borrowed-and-incref form and an empty statistics call.
 *
 * One gcb_qsbr_t per runtime (gcb_runtime_init .. gcb_runtime_fini), one
 * record per registered thread (gcb_thread_register .. unregister, in a
 * __thread pointer).  CPython's settings (3.14t): advance every 10
 * deferrals, process every 254, and the 1 MiB memory rule (gh-135473).
 *
 * Quiescent states.  CPython reports one at every eval-breaker check
 * (QSBR_QUIESCENT_STATE).  The model's inline gcb_safepoint() tests only
 * `pending` (runtime/object.h: the default core's hot path stays as it is,
 * and another branch owns that header), so a thread reports in the slow
 * path, gcb__shared_safepoint.  A thread whose processing finds blocks not
 * yet due asks the threads that hold them up for a safepoint (it sets their
 * `pending`, as a stop-the-world does): they report at their next
 * safepoint, which is where CPython's would have reported.  A thread that
 * never reaches a safepoint (a stall) holds everything up, as in CPython.
 *
 * What is queued: buffers (their size counts in held_bytes) and deferred
 * reference drops, tagged with the low bit (size 0: they hold an object,
 * not a buffer; CPython's _PyObject_XDecRefDelayed tags its work items the
 * same way).  A drop may free the object, on whichever thread processes.
 *
 * End of a run: the last registered thread to leave advances the sequence
 * and frees everything (every other record is offline, so all is due):
 * qsbr_held_bytes_end is 0 once the threads are joined.
 */
#include "runtime/internal.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/qsbr.h"
#include "runtime/shared.h"
#include "runtime/threads.h"

#if GCB_THREADED

static gcb_qsbr_t domain;
static int domain_ready;
static GCB_TLS gcb_qsbr_thread_t *self;

/* Each record's thread's gcb_hot.pending (TLS), to ask it for a safepoint;
 * guarded by nudge_lock so a leaving thread is never written after it
 * cleared its entry. */
static pthread_mutex_t nudge_lock = PTHREAD_MUTEX_INITIALIZER;
static _Atomic int *pending_of[GCB_THREADS_MAX];
/* Registered records, under leave_lock (which also orders the leaves). */
static pthread_mutex_t leave_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned registered;

#define TAG_RELEASE ((uintptr_t)1)

static void free_block(void *ctx, void *block, size_t size)
{
    (void)ctx;
    uintptr_t p = (uintptr_t)block;
    if (p & TAG_RELEASE)
        gcb__heap_release((gcb_object_t *)(p & ~TAG_RELEASE));
    else
        gcb_mem_free(block, size);
}

void gcb__shared_init(void)
{
    gcb_qsbr_config_t cfg = gcb_qsbr_default_config(GCB_THREADS_MAX, free_block, NULL);
    char err[160];
    if (gcb_qsbr_init(&domain, &cfg, err, sizeof err)) {
        fprintf(stderr, "gcbench: %s\n", err);
        exit(3);
    }
    domain_ready = 1;
}

void gcb__shared_fini(void)
{
    if (!domain_ready)
        return;
    gcb_qsbr_fini(&domain); /* frees (and drops) whatever is left: no thread reads any more */
    domain_ready = 0;
}

void gcb__shared_thread_enter(void)
{
    if (!domain_ready || self)
        return;
    self = gcb_qsbr_register(&domain);
    if (!self)
        return;
    pthread_mutex_lock(&nudge_lock);
    pending_of[self - domain.records] = &gcb_hot.pending;
    pthread_mutex_unlock(&nudge_lock);
    pthread_mutex_lock(&leave_lock);
    registered++;
    pthread_mutex_unlock(&leave_lock);
}

/* Every record is offline (the threads left): after one advance every
 * queued block is due; a record of its own lets the caller process the
 * abandoned queue. */
static void drain(void)
{
    gcb_qsbr_thread_t *t = gcb_qsbr_register(&domain);
    if (!t)
        return;
    gcb_qsbr_advance(&domain);
    gcb_qsbr_quiescent(t);
    gcb_qsbr_process(t);
    gcb_qsbr_unregister(t);
}

void gcb__shared_thread_leave(void)
{
    if (!self)
        return;
    pthread_mutex_lock(&nudge_lock);
    pending_of[self - domain.records] = NULL;
    pthread_mutex_unlock(&nudge_lock);
    /* leaving threads one at a time: the last one finds every other
     * record unregistered, its leftovers already in the abandoned queue */
    pthread_mutex_lock(&leave_lock);
    gcb_qsbr_unregister(self);
    self = NULL;
    if (--registered == 0)
        drain();
    pthread_mutex_unlock(&leave_lock);
}

/* A blocking call (gcb_blocking_begin/end): offline, holding nothing up. */
void gcb__shared_detach(void)
{
    if (self)
        gcb_qsbr_detach(self);
}

void gcb__shared_attach(void)
{
    if (self)
        gcb_qsbr_attach(self);
}

/* Ask every attached thread whose record is behind `goal` for a safepoint. */
static void nudge(uint64_t goal)
{
    pthread_mutex_lock(&nudge_lock);
    for (unsigned i = 0; i < GCB_THREADS_MAX; i++) {
        gcb_qsbr_thread_t *r = &domain.records[i];
        uint64_t seq = atomic_load_explicit(&r->seq, memory_order_relaxed);
        if (pending_of[i] && r != self && seq != GCB_QSBR_OFFLINE && GCB_QSBR_LT(seq, goal))
            atomic_store_explicit(pending_of[i], 1, memory_order_relaxed);
    }
    pthread_mutex_unlock(&nudge_lock);
}

/* Blocks wait and a rule will retry them (the 254-count or the byte rule):
 * come back at the next safepoint. */
static int wants_retry(const gcb_qsbr_thread_t *t)
{
    const gcb_qsbr_config_t *cfg = &t->shared->cfg;
    if (t->queue.tail == t->queue.head)
        return 0;
    return t->since_process >= cfg->process_every || (cfg->mem_limit && t->queue.bytes > cfg->mem_limit);
}

static void queued(gcb_qsbr_thread_t *t)
{
    if (gcb_qsbr_should_process(t))
        gcb_safepoint_request();
}

void gcb__shared_free_deferred(void *block, size_t size)
{
    if (!self) { /* an unregistered thread has no readers it could wait for */
        gcb_mem_free(block, size);
        return;
    }
    gcb_qsbr_free_deferred(self, block, size);
    queued(self);
}

void gcb__shared_release_deferred(gcb_object_t *o)
{
    if (gcb_is_immortal(o))
        return; /* nothing to drop, nothing to free */
    if (!self) {
        gcb__heap_release(o);
        return;
    }
    gcb_qsbr_free_deferred(self, (void *)((uintptr_t)o | TAG_RELEASE), 0);
    queued(self);
}

size_t gcb__shared_process_all(void) { return self ? gcb_qsbr_process_all(self) : 0; }

void gcb__shared_safepoint(void)
{
    gcb_qsbr_thread_t *t = self;
    if (!t)
        return;
    gcb_qsbr_quiescent(t);
    if (!gcb_qsbr_should_process(t))
        return;
    gcb_qsbr_process(t);
    if (t->queue.tail != t->queue.head) {
        uint64_t goal = t->queue.items[t->queue.head].goal;
        if (GCB_QSBR_LT(gcb_qsbr_current(&domain), goal))
            gcb_qsbr_advance(&domain); /* its goal needs one more advance to be reachable */
        nudge(goal);
    }
    if (wants_retry(t))
        gcb_safepoint_request();
}

void gcb_runtime_qsbr_stats(gcb_qsbr_stats_t *out)
{
    if (domain_ready)
        gcb_qsbr_stats(&domain, out);
    else
        memset(out, 0, sizeof *out);
}

void gcb__ob_lock_slow(uint8_t *m)
{
    for (unsigned spins = 0;; spins++) {
        if (!__atomic_load_n(m, __ATOMIC_RELAXED) && !__atomic_exchange_n(m, 1, __ATOMIC_ACQUIRE))
            return;
        if (spins >= 64)
            sched_yield();
#if defined(__x86_64__) || defined(__i386__)
        else
            __builtin_ia32_pause();
#endif
    }
}

#else /* the default core: one thread, so a borrowed item plus a count */

void gcb_runtime_qsbr_stats(gcb_qsbr_stats_t *out) { memset(out, 0, sizeof *out); }

gcb_object_t *gcb_list_get_ref(gcb_object_t *l, size_t i)
{
    return i < gcb_list_len(l) ? gcb_newref(gcb_list_get(l, i)) : NULL;
}

gcb_object_t *gcb_dict_get_ref(gcb_object_t *d, gcb_object_t *key)
{
    gcb_object_t *v = gcb_dict_get(d, key);
    return v ? gcb_newref(v) : NULL;
}

#endif
