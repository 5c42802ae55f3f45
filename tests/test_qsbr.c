/*
 * tests/test_qsbr.c - runtime/qsbr.c on its own: the sequence rules one by
 * one in one thread, then randomized readers and writers on 2 and 4
 * pthreads sharing a table of blocks, as list item arrays are shared under
 * mode=ft.
 *
 * What the multi-threaded part proves, for every block deferred:
 *   - it is freed exactly once, with the size it was queued with (a ledger
 *     indexed by block id);
 *   - never before every thread passed a quiescent state (or detached)
 *     after its deferral: each thread counts its quiescent/attach/detach
 *     calls in qevents[j] and publishes whether it is online (the protocol
 *     above ev_begin); the deferring thread stores qevents[] into the
 *     block, and the free callback requires, for every thread still online,
 *     that it began an event after the snapshot or was in one at it.
 *   - no reader ever sees a freed block: readers check a live magic and the
 *     payload pattern of every block they hold until their next quiescent
 *     state; the callback poisons a block before it goes to a graveyard of
 *     the last GRAVE freed blocks (real free() only after that), so a
 *     premature free shows as poison.  Under ThreadSanitizer (scripts/test,
 *     build-tsan) the poisoning write must happen-after every reader's read
 *     through the QSBR orderings alone, or TSan reports a race;
 *   - held bytes are exact: at the end, held_bytes equals the sizes of the
 *     deferred blocks the ledger says are unfreed, then 0 after the
 *     collection's process_all.
 * One worker exits halfway (unregister with blocks pending) and a new
 * pthread takes its record, which only reuse makes available
 * (max_threads = the worker count).
 *
 * Usage: test_qsbr                 every test (the meson test)
 *        test_qsbr mt THREADS OPS SEED [stress]   one randomized run
 */
#include <sched.h>
#include <stdatomic.h>
#include <string.h>

#include "runtime/qsbr.h"
#include "tests/check.h"
#include "util/rng.h"

/* ------------------------------------------------------------------------ */
/* single thread                                                             */

typedef struct st_ledger {
    void *block[16];
    size_t size[16];
    int freed[16];
    size_t n;
} st_ledger_t;

static void st_free(void *ctx, void *block, size_t size)
{
    st_ledger_t *l = ctx;
    for (size_t i = 0; i < l->n; i++)
        if (l->block[i] == block) {
            l->freed[i]++;
            CHECK_EQ_U(size, l->size[i]);
            return;
        }
    CHECK(!"freed a block that was never deferred");
}

static void *st_block(st_ledger_t *l, size_t size)
{
    static char arena[16][8];
    l->block[l->n] = arena[l->n];
    l->size[l->n] = size;
    return arena[l->n++];
}

static gcb_qsbr_stats_t stats_of(const gcb_qsbr_t *q)
{
    gcb_qsbr_stats_t s;
    gcb_qsbr_stats(q, &s);
    return s;
}

static void init_ok(gcb_qsbr_t *q, gcb_qsbr_config_t cfg)
{
    char err[200] = "";
    int rc = gcb_qsbr_init(q, &cfg, err, sizeof err);
    CHECK_EQ_I(rc, 0);
    if (rc)
        fprintf(stderr, "%s\n", err), exit(1);
}

static void test_config(void)
{
    gcb_qsbr_config_t cfg = gcb_qsbr_default_config(4, st_free, NULL);
    CHECK_EQ_U(cfg.advance_every, 10);            /* QSBR_DEFERRED_LIMIT */
    CHECK_EQ_U(cfg.process_every, 254);           /* a 4 KiB chunk of work items */
    CHECK_EQ_U(cfg.mem_limit, 1024 * 1024);       /* gh-135473 */
    gcb_qsbr_t q;
    char err[200] = "";
    cfg.max_threads = 0;
    CHECK_EQ_I(gcb_qsbr_init(&q, &cfg, err, sizeof err), -1);
    CHECK(strstr(err, "max_threads") != NULL);
    cfg = gcb_qsbr_default_config(4, NULL, NULL);
    err[0] = 0;
    CHECK_EQ_I(gcb_qsbr_init(&q, &cfg, err, sizeof err), -1);
    CHECK(strstr(err, "free_fn") != NULL);
    cfg = gcb_qsbr_default_config(4, st_free, NULL);
    cfg.advance_every = 0;
    CHECK_EQ_I(gcb_qsbr_init(&q, &cfg, err, sizeof err), -1);
}

/* wr_seq starts at 1, advances by 2; deferred_advance every 10th call. */
static void test_sequence(void)
{
    st_ledger_t l = {0};
    gcb_qsbr_t q;
    init_ok(&q, gcb_qsbr_default_config(4, st_free, &l));
    CHECK_EQ_U(gcb_qsbr_current(&q), 1);
    gcb_qsbr_thread_t *t = gcb_qsbr_register(&q);
    CHECK(t != NULL && gcb_qsbr_is_attached(t));
    CHECK_EQ_U(atomic_load(&t->seq), 1);
    CHECK_EQ_U(gcb_qsbr_advance(&q), 3);
    CHECK_EQ_U(gcb_qsbr_current(&q), 3);
    CHECK_EQ_U(atomic_load(&t->seq), 1); /* not until it reports */
    gcb_qsbr_quiescent(t);
    CHECK_EQ_U(atomic_load(&t->seq), 3);
    for (int i = 1; i <= 9; i++) {
        CHECK_EQ_U(gcb_qsbr_deferred_advance(t), 5); /* current + 2 */
        CHECK_EQ_U(gcb_qsbr_current(&q), 3);
    }
    CHECK_EQ_U(gcb_qsbr_deferred_advance(t), 5);     /* the 10th advances */
    CHECK_EQ_U(gcb_qsbr_current(&q), 5);
    CHECK_EQ_U(gcb_qsbr_deferred_advance(t), 7);     /* count restarted */
    CHECK_EQ_U(gcb_qsbr_current(&q), 5);
    CHECK_EQ_U(stats_of(&q).advances, 2);
    gcb_qsbr_unregister(t);
    gcb_qsbr_fini(&q);
}

static void grace_exit_reuse_collect(gcb_qsbr_t *q, st_ledger_t *l, gcb_qsbr_thread_t *a,
                                     gcb_qsbr_thread_t *b);

/* Nothing is freed before every attached thread reported a quiescent
 * state after the deferral; detached threads hold up nothing. */
static void test_grace(void)
{
    st_ledger_t l = {0};
    gcb_qsbr_t q;
    gcb_qsbr_config_t cfg = gcb_qsbr_default_config(3, st_free, &l);
    cfg.mem_limit = 0;
    init_ok(&q, cfg);
    gcb_qsbr_thread_t *a = gcb_qsbr_register(&q);

    CHECK_EQ_U(gcb_qsbr_free_deferred(a, st_block(&l, 100), 100), 3); /* goal = 1 + 2 */
    CHECK_EQ_U(stats_of(&q).held_bytes, 100);
    CHECK_EQ_U(stats_of(&q).held_blocks, 1);
    CHECK_EQ_U(gcb_qsbr_process(a), 0);
    gcb_qsbr_quiescent(a);                /* wr_seq is still 1: not yet */
    CHECK_EQ_U(gcb_qsbr_process(a), 0);
    CHECK(!gcb_qsbr_poll(a, 3));
    gcb_qsbr_advance(&q);                 /* 3, but a has not seen it */
    CHECK_EQ_U(gcb_qsbr_process(a), 0);
    CHECK_EQ_I(l.freed[0], 0);
    gcb_qsbr_quiescent(a);
    CHECK(gcb_qsbr_poll(a, 3));
    CHECK_EQ_U(gcb_qsbr_process(a), 1);
    CHECK_EQ_I(l.freed[0], 1);
    CHECK_EQ_U(stats_of(&q).held_bytes, 0);
    CHECK_EQ_U(stats_of(&q).held_bytes_peak, 100);

    /* a second thread that does not report holds it back */
    gcb_qsbr_thread_t *b = gcb_qsbr_register(&q);
    CHECK_EQ_U(atomic_load(&b->seq), 3);
    CHECK_EQ_U(gcb_qsbr_free_deferred(a, st_block(&l, 7), 7), 5);
    gcb_qsbr_advance(&q);
    gcb_qsbr_quiescent(a);
    CHECK_EQ_U(gcb_qsbr_process(a), 0);
    gcb_qsbr_quiescent(b);
    CHECK_EQ_U(gcb_qsbr_process(a), 1);
    CHECK_EQ_I(l.freed[1], 1);

    /* detached: no longer counted; attach reads the current sequence */
    gcb_qsbr_free_deferred(a, st_block(&l, 9), 9);
    gcb_qsbr_advance(&q);
    gcb_qsbr_quiescent(a);
    gcb_qsbr_detach(b);
    CHECK(!gcb_qsbr_is_attached(b));
    CHECK_EQ_U(gcb_qsbr_process(a), 1);
    gcb_qsbr_attach(b);
    CHECK_EQ_U(atomic_load(&b->seq), gcb_qsbr_current(&q));
    grace_exit_reuse_collect(&q, &l, a, b);
}

/* Thread exit with a block pending, record reuse, the collection, fini. */
static void grace_exit_reuse_collect(gcb_qsbr_t *q, st_ledger_t *l, gcb_qsbr_thread_t *a,
                                     gcb_qsbr_thread_t *b)
{
    /* thread exit with a block pending: abandoned, freed by another */
    uint64_t goal = gcb_qsbr_free_deferred(b, st_block(l, 11), 11);
    gcb_qsbr_unregister(b);
    CHECK_EQ_I(l->freed[3], 0);
    CHECK_EQ_U(stats_of(q).held_bytes, 11);
    CHECK(!gcb_qsbr_should_process(a)); /* nothing moved since a's last try */
    gcb_qsbr_advance(q);
    gcb_qsbr_quiescent(a);
    CHECK(GCB_QSBR_LEQ(goal, atomic_load(&a->seq)));
    CHECK(gcb_qsbr_should_process(a));
    CHECK_EQ_U(gcb_qsbr_process(a), 1);
    CHECK_EQ_I(l->freed[3], 1);

    /* the record is reused; max_threads bounds registrations */
    gcb_qsbr_thread_t *c = gcb_qsbr_register(q);
    CHECK(c == b);
    CHECK_EQ_U(atomic_load(&c->seq), gcb_qsbr_current(q));
    gcb_qsbr_thread_t *d = gcb_qsbr_register(q);
    CHECK(d != NULL);
    CHECK(gcb_qsbr_register(q) == NULL);

    /* the collection: others stopped (detached), everything due is freed */
    gcb_qsbr_free_deferred(c, st_block(l, 13), 13);
    gcb_qsbr_free_deferred(d, st_block(l, 17), 17);
    gcb_qsbr_detach(c);
    gcb_qsbr_detach(d);
    CHECK_EQ_U(gcb_qsbr_process_all(a), 2);
    CHECK_EQ_I(l->freed[4] + l->freed[5], 2);
    CHECK_EQ_U(stats_of(q).held_bytes, 0);

    /* teardown frees what is left, once */
    gcb_qsbr_free_deferred(a, st_block(l, 19), 19);
    gcb_qsbr_unregister(a);
    gcb_qsbr_unregister(c);
    gcb_qsbr_unregister(d);
    gcb_qsbr_fini(q);
    for (size_t i = 0; i < l->n; i++)
        CHECK_EQ_I(l->freed[i], 1);
}

/* process_every and mem_limit: when a safepoint processes. */
static void test_processing_rules(void)
{
    st_ledger_t l = {0};
    gcb_qsbr_t q;
    gcb_qsbr_config_t cfg = gcb_qsbr_default_config(2, st_free, &l);
    cfg.mem_limit = 0; /* 3.13.0: count-only */
    cfg.process_every = 5;
    init_ok(&q, cfg);
    gcb_qsbr_thread_t *a = gcb_qsbr_register(&q);
    for (int i = 0; i < 4; i++) {
        gcb_qsbr_free_deferred(a, st_block(&l, 1 << 21), 1 << 21); /* 2 MiB each */
        CHECK(!gcb_qsbr_should_process(a));   /* bytes do not count */
    }
    CHECK_EQ_U(gcb_qsbr_current(&q), 1);      /* no advance before the 10th */
    gcb_qsbr_free_deferred(a, st_block(&l, 8), 8);
    CHECK(gcb_qsbr_should_process(a));        /* the 5th deferral */
    CHECK_EQ_U(gcb_qsbr_process(a), 0);       /* the goals are not reached */
    CHECK(!gcb_qsbr_should_process(a));       /* and no retry until 5 more */
    CHECK_EQ_U(stats_of(&q).held_bytes, 4 * (1u << 21) + 8);
    CHECK_EQ_U(stats_of(&q).held_bytes_peak, 4 * (1u << 21) + 8);
    gcb_qsbr_unregister(a);
    gcb_qsbr_fini(&q);
    CHECK_EQ_U(l.n, 5);
    for (size_t i = 0; i < l.n; i++)
        CHECK_EQ_I(l.freed[i], 1);

    /* 3.14: a big block advances at once and is retried while held */
    st_ledger_t m = {0};
    cfg = gcb_qsbr_default_config(2, st_free, &m);
    init_ok(&q, cfg);
    a = gcb_qsbr_register(&q);
    gcb_qsbr_thread_t *b = gcb_qsbr_register(&q);
    uint64_t goal = gcb_qsbr_free_deferred(a, st_block(&m, 2u << 20), 2u << 20);
    CHECK_EQ_U(goal, 3);
    CHECK_EQ_U(gcb_qsbr_current(&q), 3);      /* advanced now, not at the 10th */
    CHECK(gcb_qsbr_should_process(a));
    CHECK_EQ_U(gcb_qsbr_process(a), 0);       /* neither has reported */
    CHECK(!gcb_qsbr_should_process(a));       /* until a sees wr_seq move */
    gcb_qsbr_quiescent(a);
    CHECK(gcb_qsbr_should_process(a));
    CHECK_EQ_U(gcb_qsbr_process(a), 0);       /* b still holds it */
    gcb_qsbr_quiescent(b);
    gcb_qsbr_advance(&q);
    gcb_qsbr_quiescent(a);
    CHECK_EQ_U(gcb_qsbr_process(a), 1);
    CHECK_EQ_I(m.freed[0], 1);
    gcb_qsbr_unregister(a);
    gcb_qsbr_unregister(b);
    gcb_qsbr_fini(&q);
}

/* ------------------------------------------------------------------------ */
/* many threads                                                              */

#define MAXT 8            /* worker slots, replacement included */
#define SLOTS 16
#define HOLD 4
#define GRAVE 4096
#define LIVE_MAGIC 0x51b5c0de51b5c0deull
#define DEAD_MAGIC 0xdbdbdbdbdbdbdbdbull

typedef struct mt_block {
    _Atomic uint64_t magic;   /* atomic: readers race with nothing but a bug */
    uint64_t id;
    size_t size;              /* bytes of the whole block */
    uint64_t snap[MAXT];      /* qevents[] at deferral; readers never read it */
    unsigned char payload[];
} mt_block_t;

static struct {
    unsigned nthreads, nslots;   /* workers; thread slots (+1 replacement) */
    unsigned q_permille;         /* quiescent-like events per 1000 operations, <= 75 */
    uint64_t ops, seed;
    gcb_qsbr_t q;
    _Atomic(mt_block_t *) table[SLOTS];
    _Atomic uint64_t qevents[MAXT]; /* quiescent-like events begun: the protocol below */
    _Atomic int online[MAXT];
    _Atomic uint64_t progress[MAXT]; /* operations done; UINT64_MAX: not running */
    _Atomic unsigned char *freed;   /* ledger: frees per block id */
    unsigned char *deferred;        /* ledger: deferred ids (one writer per id) */
    uint32_t *size_of;              /* ledger: the size each id was deferred with */
    uint64_t ids_per_thread;
    _Atomic uint64_t failures, frees_during_run, deferred_bytes;
    _Atomic int running;
    pthread_mutex_t grave_mutex;
    mt_block_t *grave[GRAVE];
    size_t grave_next;
    pthread_t replacement;
    _Atomic int replacement_started;
} mt;

#define FAIL(...)                                                            \
    do {                                                                     \
        if (atomic_fetch_add(&mt.failures, 1) < 10)                          \
            fprintf(stderr, "test_qsbr: " __VA_ARGS__);                      \
    } while (0)

static unsigned char pattern(uint64_t id, size_t i) { return (unsigned char)(id * 31 + i); }

static mt_block_t *mt_new(uint64_t id, gcb_rng_t *r)
{
    size_t payload = 16 + gcb_rng_below(r, 512);
    mt_block_t *b = malloc(sizeof *b + payload);
    if (!b)
        fprintf(stderr, "test_qsbr: out of memory\n"), exit(3);
    b->id = id;
    b->size = sizeof *b + payload;
    for (size_t i = 0; i < payload; i++)
        b->payload[i] = pattern(id, i);
    atomic_store_explicit(&b->magic, LIVE_MAGIC, memory_order_relaxed);
    return b;
}

static void mt_verify(const mt_block_t *b, const char *when)
{
    if (atomic_load_explicit(&b->magic, memory_order_relaxed) != LIVE_MAGIC) {
        FAIL("%s: block read after it was freed\n", when);
        return;
    }
    size_t n = b->size - sizeof *b;
    if (b->payload[0] != pattern(b->id, 0) || b->payload[n / 2] != pattern(b->id, n / 2) ||
        b->payload[n - 1] != pattern(b->id, n - 1))
        FAIL("%s: block %llu payload changed\n", when, (unsigned long long)b->id);
}

/* The callback: checks, poisons, and frees GRAVE blocks later. */
static void mt_free(void *ctx, void *block, size_t size)
{
    (void)ctx;
    mt_block_t *b = block;
    if (atomic_load_explicit(&b->magic, memory_order_relaxed) != LIVE_MAGIC) {
        FAIL("a block was freed twice\n");
        return;
    }
    if (size != b->size)
        FAIL("block %llu freed with size %zu, queued %zu\n", (unsigned long long)b->id, size, b->size);
    for (unsigned j = 0; j < mt.nslots; j++)
        if (atomic_load_explicit(&mt.online[j], memory_order_acquire) &&
            atomic_load_explicit(&mt.qevents[j], memory_order_relaxed) < (b->snap[j] | 1))
            FAIL("block %llu freed before thread %u passed a quiescent state\n",
                 (unsigned long long)b->id, j);
    atomic_fetch_add(&mt.freed[b->id], 1);
    if (atomic_load(&mt.running))
        atomic_fetch_add(&mt.frees_during_run, 1);
    atomic_store_explicit(&b->magic, DEAD_MAGIC, memory_order_relaxed);
    memset(b->payload, 0xdb, b->size - sizeof *b);
    pthread_mutex_lock(&mt.grave_mutex);
    free(mt.grave[mt.grave_next]);
    mt.grave[mt.grave_next] = b;
    mt.grave_next = (mt.grave_next + 1) % GRAVE;
    pthread_mutex_unlock(&mt.grave_mutex);
}

typedef struct worker {
    unsigned idx;                  /* thread slot: counters and id space */
    uint64_t first, ops;           /* operations [first, ops) to run */
    uint64_t id_next;
    int exit_halfway;              /* unregister at ops/2 and start the replacement */
    gcb_rng_t rng;
    gcb_qsbr_thread_t *t;
    const mt_block_t *held[HOLD];
    unsigned nheld;
} worker_t;

/* The event protocol the free callback's check relies on.  It adds no
 * synchronization between a reader's reads and the free (relaxed counts),
 * so ThreadSanitizer judges QSBR's own orderings.  qevents[j] counts
 * twice per quiescent-like event: odd while one is in progress.
 *   quiescent:  begin (+1), quiescent, end (+1)
 *   detach:     begin, online = 0, detach, end      (unregister alike)
 *   attach:     begin, attach, end, online = 1 (release)   (register alike)
 * A deferral snapshots qevents[j] after the removal.  A correct free finds,
 * for every j, either j offline now or qevents[j] >= (snap | 1): an event
 * begun after the snapshot, or the one in progress at it.  The event in
 * progress counts because it may be the one that covers the block: its
 * begin came before the removal, but its seq store read the wr_seq the
 * deferral advanced, and j reads no shared block between begin and end.
 * The free's scan saw j's seq move (or OFFLINE), which j stored after the
 * begin, so the begin is visible.  The only acquire is on online = 1,
 * which covers j's events, not its reads of a block it got before. */
static void ev_begin(const worker_t *w)
{
    atomic_fetch_add_explicit(&mt.qevents[w->idx], 1, memory_order_relaxed);
}
static void ev_end(const worker_t *w) { ev_begin(w); }
static void set_online(const worker_t *w, int on)
{
    atomic_store_explicit(&mt.online[w->idx], on, on ? memory_order_release : memory_order_relaxed);
}

static void drop_held(worker_t *w)
{
    for (unsigned k = 0; k < w->nheld; k++)
        mt_verify(w->held[k], "held until the quiescent state");
    w->nheld = 0;
}

static void op_read(worker_t *w)
{
    const mt_block_t *b = atomic_load_explicit(&mt.table[gcb_rng_below(&w->rng, SLOTS)], memory_order_acquire);
    mt_verify(b, "read");
    if (w->nheld < HOLD)
        w->held[w->nheld++] = b;
}

static void op_write(worker_t *w)
{
    mt_block_t *nb = mt_new(w->idx * mt.ids_per_thread + w->id_next++, &w->rng);
    mt_block_t *old = atomic_exchange_explicit(&mt.table[gcb_rng_below(&w->rng, SLOTS)], nb,
                                               memory_order_acq_rel);
    for (unsigned j = 0; j < MAXT; j++) {
        old->snap[j] = atomic_load_explicit(&mt.qevents[j], memory_order_relaxed);
    }
    mt.deferred[old->id] = 1;
    mt.size_of[old->id] = (uint32_t)old->size;
    atomic_fetch_add(&mt.deferred_bytes, old->size);
    gcb_qsbr_free_deferred(w->t, old, old->size);
}

static void *worker_main(void *arg);

static void worker_exit(worker_t *w)
{
    drop_held(w);
    ev_begin(w);
    set_online(w, 0);
    gcb_qsbr_unregister(w->t);
    ev_end(w);
    w->t = NULL;
}

static void worker_step(worker_t *w)
{
    for (unsigned k = 0; k < w->nheld; k++)
        mt_verify(w->held[k], "held");
    uint64_t r = gcb_rng_below(&w->rng, 1000);
    if (r < 550) {
        op_read(w);
    } else if (r < 850) {
        op_write(w);
    } else if (r >= 1000 - 2 * mt.q_permille && r < 1000 - mt.q_permille / 4) {
        drop_held(w);
        ev_begin(w);
        gcb_qsbr_quiescent(w->t);
        ev_end(w);
        if (gcb_qsbr_should_process(w->t))
            gcb_qsbr_process(w->t);
    } else if (r >= 1000 - mt.q_permille / 4) {
        drop_held(w);
        ev_begin(w);
        set_online(w, 0);
        gcb_qsbr_detach(w->t);
        ev_end(w);
        sched_yield();
        ev_begin(w);
        gcb_qsbr_attach(w->t);
        ev_end(w);
        set_online(w, 1);
    } /* else: only the held blocks are checked again */
}

/* Lockstep: no thread runs more than LEAD operations ahead of the slowest
 * running one, so the threads' operations interleave even on a loaded
 * machine (run back to back, they would test nothing). */
#define LEAD 64
static void keep_pace(const worker_t *w, uint64_t i)
{
    atomic_store_explicit(&mt.progress[w->idx], i, memory_order_relaxed);
    if (i % 16)
        return;
    for (;;) {
        uint64_t slowest = UINT64_MAX;
        for (unsigned j = 0; j < mt.nslots; j++) {
            uint64_t p = atomic_load_explicit(&mt.progress[j], memory_order_relaxed);
            slowest = p < slowest ? p : slowest;
        }
        if (slowest == UINT64_MAX || i <= slowest + LEAD)
            return;
        sched_yield();
    }
}

static void *worker_main(void *arg)
{
    worker_t *w = arg;
    ev_begin(w);
    w->t = gcb_qsbr_register(&mt.q);
    ev_end(w);
    set_online(w, 1);
    if (!w->t) {
        FAIL("thread %u found no free record\n", w->idx);
        return NULL;
    }
    for (uint64_t i = w->first; i < w->ops; i++) {
        keep_pace(w, i);
        worker_step(w);
        if (w->exit_halfway && i == w->ops / 2) {
            worker_exit(w);
            /* a new thread takes the record only reuse makes free */
            static worker_t repl;
            repl = (worker_t){.idx = mt.nthreads, .first = i + 1, .ops = w->ops};
            atomic_store(&mt.progress[repl.idx], i + 1);
            atomic_store(&mt.progress[w->idx], UINT64_MAX);
            gcb_rng_seed(&repl.rng, mt.seed * 1000003u + repl.idx);
            if (pthread_create(&mt.replacement, NULL, worker_main, &repl) == 0)
                atomic_store(&mt.replacement_started, 1);
            return NULL;
        }
    }
    worker_exit(w);
    atomic_store(&mt.progress[w->idx], UINT64_MAX);
    return NULL;
}

/* stress: a wr_seq advance and a processing at every deferral, quiescent
 * states rare, so a block freed one advance early is freed while readers
 * still hold it; else CPython's rules with frequent processing. */
static void mt_setup(unsigned nthreads, uint64_t ops, uint64_t seed, int stress)
{
    memset(&mt, 0, sizeof mt);
    mt.q_permille = stress ? 8 : 75;
    mt.nthreads = nthreads;
    mt.nslots = nthreads + 1;
    mt.ops = ops;
    mt.seed = seed;
    mt.ids_per_thread = ops + SLOTS + 1;
    size_t nids = (size_t)mt.nslots * mt.ids_per_thread + SLOTS;
    mt.freed = calloc(nids, 1);
    mt.deferred = calloc(nids, 1);
    mt.size_of = calloc(nids, sizeof *mt.size_of);
    pthread_mutex_init(&mt.grave_mutex, NULL);
    gcb_qsbr_config_t cfg = gcb_qsbr_default_config(nthreads, mt_free, NULL);
    cfg.process_every = stress ? 1 : 16; /* process often: more frees race with readers */
    cfg.advance_every = stress ? 1 : GCB_QSBR_ADVANCE_EVERY;
    init_ok(&mt.q, cfg);
    for (unsigned j = 0; j < MAXT; j++)
        atomic_store(&mt.progress[j], j < nthreads ? 0 : UINT64_MAX);
    gcb_rng_t r;
    gcb_rng_seed(&r, seed);
    for (unsigned i = 0; i < SLOTS; i++) /* initial blocks: ids past every thread's space */
        atomic_store(&mt.table[i], mt_new((uint64_t)mt.nslots * mt.ids_per_thread + i, &r));
}

/* After every thread is gone: held bytes against the ledger, then the
 * collection's process_all frees the rest, each block exactly once. */
static void mt_finish(void)
{
    size_t nids = (size_t)mt.nslots * mt.ids_per_thread + SLOTS;
    gcb_qsbr_stats_t s = stats_of(&mt.q);
    uint64_t ndeferred = 0;
    for (size_t id = 0; id < nids; id++)
        ndeferred += mt.deferred[id];
    CHECK_EQ_U(s.deferred_blocks, ndeferred);
    CHECK_EQ_U(s.deferred_blocks - s.freed_blocks, s.held_blocks);
    CHECK(s.held_bytes_peak <= atomic_load(&mt.deferred_bytes));
    CHECK(s.held_bytes <= s.held_bytes_peak);

    gcb_qsbr_thread_t *self = gcb_qsbr_register(&mt.q);
    CHECK(self != NULL);
    uint64_t before = s.freed_blocks;
    size_t n = gcb_qsbr_process_all(self);
    s = stats_of(&mt.q);
    CHECK_EQ_U(s.freed_blocks, before + n);
    CHECK_EQ_U(s.freed_blocks, ndeferred);
    CHECK_EQ_U(s.held_blocks, 0);
    CHECK_EQ_U(s.held_bytes, 0);
    uint64_t wrong = 0;
    for (size_t id = 0; id < nids; id++)
        wrong += atomic_load(&mt.freed[id]) != mt.deferred[id];
    CHECK_EQ_U(wrong, 0);
    CHECK(atomic_load(&mt.frees_during_run) > 0); /* reclamation ran concurrently */
    CHECK_EQ_U(atomic_load(&mt.failures), 0);
    gcb_qsbr_unregister(self);
    gcb_qsbr_fini(&mt.q);
    for (unsigned i = 0; i < SLOTS; i++)
        free(atomic_load(&mt.table[i]));
    for (size_t i = 0; i < GRAVE; i++)
        free(mt.grave[i]);
    free((void *)mt.freed);
    free(mt.deferred);
    free(mt.size_of);
    pthread_mutex_destroy(&mt.grave_mutex);
}

/* Held blocks and bytes exact while blocks wait: the ledger's unfreed. */
static void check_held_against_ledger(void)
{
    size_t nids = (size_t)mt.nslots * mt.ids_per_thread + SLOTS;
    uint64_t n = 0, bytes = 0;
    for (size_t id = 0; id < nids; id++)
        if (mt.deferred[id] && !atomic_load(&mt.freed[id])) {
            n++;
            bytes += mt.size_of[id];
        }
    gcb_qsbr_stats_t s = stats_of(&mt.q);
    CHECK_EQ_U(s.held_blocks, n);
    CHECK_EQ_U(s.held_bytes, bytes);
}

static void test_threads(unsigned nthreads, uint64_t ops, uint64_t seed, int stress)
{
    mt_setup(nthreads, ops, seed, stress);
    worker_t w[MAXT];
    pthread_t th[MAXT];
    atomic_store(&mt.running, 1);
    for (unsigned i = 0; i < nthreads; i++) {
        w[i] = (worker_t){.idx = i, .ops = ops, .exit_halfway = i == nthreads - 1};
        gcb_rng_seed(&w[i].rng, seed * 1000003u + i);
        CHECK_EQ_I(pthread_create(&th[i], NULL, worker_main, &w[i]), 0);
    }
    for (unsigned i = 0; i < nthreads; i++)
        pthread_join(th[i], NULL);
    CHECK(atomic_load(&mt.replacement_started));
    if (atomic_load(&mt.replacement_started))
        pthread_join(mt.replacement, NULL);
    atomic_store(&mt.running, 0);
    check_held_against_ledger();
    mt_finish();
    fprintf(stderr, "test_qsbr: %u threads, %llu ops each, seed %llu%s: done\n", nthreads,
            (unsigned long long)ops, (unsigned long long)seed, stress ? ", stress" : "");
}

static int parse_u64(const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (*s < '0' || *s > '9' || *end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

int main(int argc, char **argv)
{
    if ((argc == 5 || argc == 6) && strcmp(argv[1], "mt") == 0) {
        uint64_t n, ops, seed;
        if (parse_u64(argv[2], 1, MAXT - 1, &n) || parse_u64(argv[3], 2, 100000000, &ops) ||
            parse_u64(argv[4], 0, UINT64_MAX, &seed) || (argc == 6 && strcmp(argv[5], "stress"))) {
            fprintf(stderr, "test_qsbr: mt takes THREADS (1..%d) OPS (2..1e8) SEED [stress]\n", MAXT - 1);
            return 2;
        }
        test_threads((unsigned)n, ops, seed, argc == 6);
        return gcb_check_exit("test_qsbr");
    }
    if (argc != 1) {
        fprintf(stderr, "test_qsbr: usage: test_qsbr | test_qsbr mt THREADS OPS SEED [stress]\n");
        return 2;
    }
    test_config();
    test_sequence();
    test_grace();
    test_processing_rules();
    test_threads(2, 200000, 1, 0);
    test_threads(4, 100000, 2, 0);
    test_threads(2, 200000, 3, 1);
    test_threads(4, 100000, 4, 1);
    return gcb_check_exit("test_qsbr");
}
