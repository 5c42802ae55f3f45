/*
 * runtime/qsbr.c - quiescent-state-based reclamation: the records, the
 * sequence, and the deferred-free queues.  The scheme, its sources in
 * CPython and the invariants are in runtime/qsbr.h.
 *
 * Memory ordering (the part CPython verified with a model checker, and
 * this file follows it):
 *   - quiescent: acquire load of wr_seq, release store of seq: every read
 *     the thread made of shared blocks before it happens-before a scan
 *     that sees the new seq, and so before the free that scan allows;
 *   - attach: seq_cst store of seq then a seq_cst fence, paired with the
 *     seq_cst fence at the start of every scan: either the scan sees the
 *     thread online, or the thread's later loads see every removal made
 *     before the scan (so it cannot pick up a block the scan frees);
 *   - detach: release store of OFFLINE (earlier reads are done);
 *   - advance: an atomic add; rd_seq only moves forward by compare-exchange.
 * ThreadSanitizer checks these pairings in scripts/test's build-tsan pass.
 */
#include "runtime/qsbr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RELAXED memory_order_relaxed

static void count_add(_Atomic uint64_t *c, uint64_t n) { atomic_fetch_add_explicit(c, n, RELAXED); }

static void peak_raise(_Atomic uint64_t *peak, uint64_t v)
{
    uint64_t old = atomic_load_explicit(peak, RELAXED);
    while (old < v && !atomic_compare_exchange_weak_explicit(peak, &old, v, RELAXED, RELAXED))
        ;
}

gcb_qsbr_config_t gcb_qsbr_default_config(unsigned max_threads, gcb_qsbr_free_fn fn, void *ctx)
{
    return (gcb_qsbr_config_t){
        .max_threads = max_threads,
        .advance_every = GCB_QSBR_ADVANCE_EVERY,
        .process_every = GCB_QSBR_PROCESS_EVERY,
        .mem_limit = GCB_QSBR_MEM_LIMIT_314,
        .free_fn = fn,
        .free_ctx = ctx,
    };
}

/* --- queues --------------------------------------------------------------- */

static bool queue_empty(const gcb_qsbr_queue_t *qu) { return qu->head == qu->tail; }

static void queue_push(gcb_qsbr_queue_t *qu, gcb_qsbr_item_t it)
{
    if (qu->tail == qu->cap) {
        if (qu->head > 0) { /* slide the live part to the front */
            memmove(qu->items, qu->items + qu->head, (qu->tail - qu->head) * sizeof *qu->items);
            qu->tail -= qu->head;
            qu->head = 0;
        }
        if (qu->tail == qu->cap) {
            size_t cap = qu->cap ? 2 * qu->cap : 64;
            gcb_qsbr_item_t *items = realloc(qu->items, cap * sizeof *items);
            if (!items) {
                fprintf(stderr, "gcbench: out of memory growing a QSBR queue to %zu items\n", cap);
                exit(3);
            }
            qu->items = items;
            qu->cap = cap;
        }
    }
    qu->items[qu->tail++] = it;
    qu->bytes += it.size;
}

static void free_item(gcb_qsbr_t *q, const gcb_qsbr_item_t *it)
{
    q->cfg.free_fn(q->cfg.free_ctx, it->block, it->size);
    count_add(&q->c.freed_blocks, 1);
    atomic_fetch_sub_explicit(&q->c.held_blocks, 1, RELAXED);
    atomic_fetch_sub_explicit(&q->c.held_bytes, it->size, RELAXED);
}

/* Free the due prefix of a FIFO whose goals never decrease. */
static size_t queue_free_due(gcb_qsbr_t *q, gcb_qsbr_queue_t *qu, uint64_t rd_seq)
{
    size_t n = 0;
    while (!queue_empty(qu) && GCB_QSBR_LEQ(qu->items[qu->head].goal, rd_seq)) {
        gcb_qsbr_item_t it = qu->items[qu->head++];
        qu->bytes -= it.size;
        free_item(q, &it);
        n++;
    }
    if (queue_empty(qu))
        qu->head = qu->tail = 0;
    return n;
}

/* Free every due block of a queue whose goals come from several threads
 * (the abandoned queue): a full pass, keeping the others in order. */
static size_t queue_free_due_any(gcb_qsbr_t *q, gcb_qsbr_queue_t *qu, uint64_t rd_seq)
{
    size_t n = 0, keep = qu->head;
    for (size_t i = qu->head; i < qu->tail; i++) {
        gcb_qsbr_item_t it = qu->items[i];
        if (GCB_QSBR_LEQ(it.goal, rd_seq)) {
            qu->bytes -= it.size;
            free_item(q, &it);
            n++;
        } else {
            qu->items[keep++] = it;
        }
    }
    qu->tail = keep;
    if (queue_empty(qu))
        qu->head = qu->tail = 0;
    return n;
}

/* Move every item of `from` to the end of `to`. */
static void queue_move(gcb_qsbr_queue_t *to, gcb_qsbr_queue_t *from)
{
    for (size_t i = from->head; i < from->tail; i++)
        queue_push(to, from->items[i]);
    from->head = from->tail = 0;
    from->bytes = 0;
}

/* --- lifecycle ------------------------------------------------------------ */

static int config_check(const gcb_qsbr_config_t *cfg, char *err, size_t errlen)
{
    const char *what = NULL;
    if (!cfg->free_fn)
        what = "free_fn is NULL (a function that frees one block is required)";
    else if (cfg->max_threads < 1 || cfg->max_threads > 4096)
        what = "max_threads must be in 1..4096";
    else if (cfg->advance_every < 1)
        what = "advance_every must be at least 1";
    else if (cfg->process_every < 1)
        what = "process_every must be at least 1";
    if (what)
        snprintf(err, errlen, "qsbr: %s", what);
    return what ? -1 : 0;
}

int gcb_qsbr_init(gcb_qsbr_t *q, const gcb_qsbr_config_t *cfg, char *err, size_t errlen)
{
    if (config_check(cfg, err, errlen) < 0)
        return -1;
    memset(q, 0, sizeof *q);
    q->cfg = *cfg;
    q->records = aligned_alloc(64, cfg->max_threads * sizeof *q->records);
    if (!q->records) {
        snprintf(err, errlen, "qsbr: out of memory for %u thread records", cfg->max_threads);
        return -1;
    }
    memset(q->records, 0, cfg->max_threads * sizeof *q->records);
    atomic_init(&q->wr_seq, GCB_QSBR_INITIAL);
    atomic_init(&q->rd_seq, GCB_QSBR_INITIAL);
    pthread_mutex_init(&q->mutex, NULL);
    /* the freelist hands out records in index order */
    for (unsigned i = cfg->max_threads; i-- > 0;) {
        q->records[i].shared = q;
        q->records[i].freelist_next = q->freelist;
        q->freelist = &q->records[i];
    }
    return 0;
}

void gcb_qsbr_fini(gcb_qsbr_t *q)
{
    for (unsigned i = 0; i < q->cfg.max_threads; i++) {
        gcb_qsbr_queue_t *qu = &q->records[i].queue;
        queue_free_due_any(q, qu, atomic_load(&q->wr_seq) + 2 * GCB_QSBR_INCR);
        free(qu->items);
    }
    queue_free_due_any(q, &q->abandoned, atomic_load(&q->wr_seq) + 2 * GCB_QSBR_INCR);
    free(q->abandoned.items);
    pthread_mutex_destroy(&q->mutex);
    free(q->records);
    q->records = NULL;
}

gcb_qsbr_thread_t *gcb_qsbr_register(gcb_qsbr_t *q)
{
    pthread_mutex_lock(&q->mutex);
    gcb_qsbr_thread_t *t = q->freelist;
    if (t) {
        q->freelist = t->freelist_next;
        t->freelist_next = NULL;
        t->allocated = true;
        t->deferrals = t->since_process = 0;
        t->bytes_since_advance = 0;
        t->process_seq = 0;
    }
    pthread_mutex_unlock(&q->mutex);
    if (t)
        gcb_qsbr_attach(t);
    return t;
}

void gcb_qsbr_unregister(gcb_qsbr_thread_t *t)
{
    gcb_qsbr_t *q = t->shared;
    if (gcb_qsbr_is_attached(t)) {
        gcb_qsbr_quiescent(t);
        gcb_qsbr_process(t);
        gcb_qsbr_detach(t);
    }
    pthread_mutex_lock(&q->mutex);
    size_t moved = t->queue.tail - t->queue.head;
    queue_move(&q->abandoned, &t->queue);
    atomic_fetch_add_explicit(&q->abandoned_count, moved, RELAXED);
    t->allocated = false;
    t->freelist_next = q->freelist;
    q->freelist = t;
    pthread_mutex_unlock(&q->mutex);
}

/* --- the sequence ---------------------------------------------------------- */

void gcb_qsbr_attach(gcb_qsbr_thread_t *t)
{
    atomic_store_explicit(&t->seq, gcb_qsbr_current(t->shared), memory_order_seq_cst);
    atomic_thread_fence(memory_order_seq_cst);
}

void gcb_qsbr_detach(gcb_qsbr_thread_t *t)
{
    atomic_store_explicit(&t->seq, GCB_QSBR_OFFLINE, memory_order_release);
}

uint64_t gcb_qsbr_advance(gcb_qsbr_t *q)
{
    count_add(&q->c.advances, 1);
    return atomic_fetch_add(&q->wr_seq, GCB_QSBR_INCR) + GCB_QSBR_INCR;
}

uint64_t gcb_qsbr_deferred_advance(gcb_qsbr_thread_t *t)
{
    if (++t->deferrals < t->shared->cfg.advance_every)
        return gcb_qsbr_current(t->shared) + GCB_QSBR_INCR;
    t->deferrals = 0;
    return gcb_qsbr_advance(t->shared);
}

/* The minimum seq of the attached records (wr_seq if none), stored into
 * rd_seq if it moved forward. */
static uint64_t scan(gcb_qsbr_t *q)
{
    atomic_thread_fence(memory_order_seq_cst);
    count_add(&q->c.scans, 1);
    uint64_t min_seq = atomic_load(&q->wr_seq);
    for (unsigned i = 0; i < q->cfg.max_threads; i++) {
        uint64_t seq = atomic_load_explicit(&q->records[i].seq, memory_order_acquire);
        if (seq != GCB_QSBR_OFFLINE && GCB_QSBR_LT(seq, min_seq))
            min_seq = seq;
    }
    uint64_t rd_seq = atomic_load(&q->rd_seq);
    if (GCB_QSBR_LT(rd_seq, min_seq)) {
        /* a failure means another scan moved it: keep ours, it is valid */
        (void)atomic_compare_exchange_strong(&q->rd_seq, &rd_seq, min_seq);
        rd_seq = min_seq;
    }
    return rd_seq;
}

bool gcb_qsbr_poll(gcb_qsbr_thread_t *t, uint64_t goal)
{
    if (GCB_QSBR_LEQ(goal, atomic_load_explicit(&t->shared->rd_seq, memory_order_acquire)))
        return true;
    return GCB_QSBR_LEQ(goal, scan(t->shared));
}

/* --- the deferred-free queue ------------------------------------------------ */

uint64_t gcb_qsbr_free_deferred(gcb_qsbr_thread_t *t, void *block, size_t size)
{
    gcb_qsbr_t *q = t->shared;
    uint64_t goal;
    t->bytes_since_advance += size;
    if (q->cfg.mem_limit && t->bytes_since_advance > q->cfg.mem_limit) {
        /* many bytes waiting: publish now rather than after 10 deferrals */
        t->deferrals = 0;
        goal = gcb_qsbr_advance(q);
    } else {
        goal = gcb_qsbr_deferred_advance(t);
    }
    if (t->deferrals == 0)
        t->bytes_since_advance = 0;
    queue_push(&t->queue, (gcb_qsbr_item_t){block, size, goal});
    t->since_process++;
    count_add(&q->c.deferred_blocks, 1);
    peak_raise(&q->c.held_blocks_peak, atomic_fetch_add_explicit(&q->c.held_blocks, 1, RELAXED) + 1);
    peak_raise(&q->c.held_bytes_peak, atomic_fetch_add_explicit(&q->c.held_bytes, size, RELAXED) + size);
    return goal;
}

static size_t process_abandoned(gcb_qsbr_t *q, uint64_t rd_seq)
{
    if (!atomic_load_explicit(&q->abandoned_count, RELAXED) || pthread_mutex_trylock(&q->mutex) != 0)
        return 0;
    size_t n = queue_free_due_any(q, &q->abandoned, rd_seq);
    atomic_fetch_sub_explicit(&q->abandoned_count, n, RELAXED);
    pthread_mutex_unlock(&q->mutex);
    return n;
}

size_t gcb_qsbr_process(gcb_qsbr_thread_t *t)
{
    gcb_qsbr_t *q = t->shared;
    count_add(&q->c.processings, 1);
    t->since_process = 0;
    t->process_seq = atomic_load_explicit(&t->seq, RELAXED);
    uint64_t rd_seq = scan(q);
    return queue_free_due(q, &t->queue, rd_seq) + process_abandoned(q, rd_seq);
}

size_t gcb_qsbr_process_all(gcb_qsbr_thread_t *self)
{
    gcb_qsbr_t *q = self->shared;
    gcb_qsbr_advance(q);
    gcb_qsbr_quiescent(self);
    count_add(&q->c.processings, 1);
    uint64_t rd_seq = scan(q);
    size_t n = 0;
    /* under the mutex: a thread registering now is not stopped (it joins
     * the stop-the-world protocol after its record), and register writes
     * the record it takes (TSan, test_ftgc) */
    pthread_mutex_lock(&q->mutex);
    for (unsigned i = 0; i < q->cfg.max_threads; i++) {
        gcb_qsbr_thread_t *t = &q->records[i];
        n += queue_free_due(q, &t->queue, rd_seq);
        t->since_process = 0;
    }
    size_t a = queue_free_due_any(q, &q->abandoned, rd_seq);
    atomic_fetch_sub_explicit(&q->abandoned_count, a, RELAXED);
    pthread_mutex_unlock(&q->mutex);
    return n + a;
}

void gcb_qsbr_stats(const gcb_qsbr_t *q, gcb_qsbr_stats_t *out)
{
#define GCB_X(name, desc) out->name = atomic_load_explicit(&q->c.name, RELAXED);
    GCB_QSBR_COUNTERS(GCB_X)
#undef GCB_X
}
