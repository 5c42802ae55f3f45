/*
 * workloads/mt.c - barrier and bounded object queue of the cooperative
 * workloads (workloads/mt.h has the locking rules and invariants).
 */
#include "workloads/mt.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* With *m held: wait on c until ready(arg), or until the absolute
 * CLOCK_MONOTONIC deadline (NULL: none).  While blocked the thread has
 * given up the GIL; it never waits for the GIL holding m.  Returns with m
 * held; 0 if ready, -1 on timeout. */
static int wait_until(pthread_mutex_t *m, pthread_cond_t *c, int (*ready)(void *), void *arg,
                      const struct timespec *deadline)
{
    while (!ready(arg)) {
        int timed_out = 0;
        pthread_mutex_unlock(m);
        gcb_blocking_begin();
        pthread_mutex_lock(m);
        while (!ready(arg) && !timed_out)
            timed_out = deadline ? pthread_cond_timedwait(c, m, deadline) == ETIMEDOUT
                                 : (pthread_cond_wait(c, m), 0);
        pthread_mutex_unlock(m);
        gcb_blocking_end();
        pthread_mutex_lock(m);
        if (timed_out && !ready(arg))
            return -1;
    }
    return 0;
}

static void cond_init(pthread_cond_t *c)
{
    pthread_condattr_t a;
    pthread_condattr_init(&a);
    pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
    pthread_cond_init(c, &a);
    pthread_condattr_destroy(&a);
}

/* --- barrier ------------------------------------------------------- */

void gcb_wl_barrier_init(gcb_wl_barrier_t *b, uint32_t n)
{
    pthread_mutex_init(&b->m, NULL);
    cond_init(&b->c);
    b->n = n;
    b->arrived = 0;
    b->generation = 0;
}

void gcb_wl_barrier_destroy(gcb_wl_barrier_t *b)
{
    pthread_mutex_destroy(&b->m);
    pthread_cond_destroy(&b->c);
}

typedef struct { gcb_wl_barrier_t *b; uint64_t gen; } barrier_wait_t;

static int barrier_passed(void *arg)
{
    barrier_wait_t *w = arg;
    return w->b->generation != w->gen;
}

void gcb_wl_barrier_wait(gcb_wl_barrier_t *b)
{
    pthread_mutex_lock(&b->m);
    barrier_wait_t w = { b, b->generation };
    if (++b->arrived == b->n) {
        b->arrived = 0;
        b->generation++;
        pthread_cond_broadcast(&b->c);
    } else {
        wait_until(&b->m, &b->c, barrier_passed, &w, NULL);
    }
    pthread_mutex_unlock(&b->m);
}

/* --- queue ----------------------------------------------------------- */

int gcb_wl_queue_init(gcb_wl_queue_t *q, size_t cap, uint32_t producers)
{
    memset(q, 0, sizeof *q);
    q->builder = calloc(cap, sizeof *q->builder);
    if (!q->builder)
        return -1;
    pthread_mutex_init(&q->m, NULL);
    cond_init(&q->not_full);
    cond_init(&q->not_empty);
    q->cap = cap;
    q->open_producers = producers;
    return 0;
}

void gcb_wl_queue_destroy(gcb_wl_queue_t *q)
{
    pthread_mutex_destroy(&q->m);
    pthread_cond_destroy(&q->not_full);
    pthread_cond_destroy(&q->not_empty);
    free(q->builder);
    q->builder = NULL;
    q->ring = NULL;
}

gcb_object_t *gcb_wl_queue_ring_new(gcb_wl_queue_t *q)
{
    q->ring = gcb_list_new(q->cap);
    return q->ring;
}

static int has_room(void *arg) { gcb_wl_queue_t *q = arg; return q->count < q->cap; }
static int has_item(void *arg) { gcb_wl_queue_t *q = arg; return q->count > 0 || q->open_producers == 0; }

/* With q->m held and room: the local's object into the tail slot. */
static void put_locked(gcb_wl_queue_t *q, gcb_frame_t *f, uint32_t i, uint32_t builder)
{
    size_t slot = (q->head + q->count) % q->cap;
    gcb_list_set(q->ring, slot, gcb_newref(gcb_local(f, i)));
    q->builder[slot] = builder;
    q->count++;
    pthread_cond_signal(&q->not_empty);
}

/* With q->m held and an item: the head slot's object into the local. */
static void take_locked(gcb_wl_queue_t *q, gcb_frame_t *f, uint32_t i, uint32_t *builder)
{
    gcb_local_set(f, i, gcb_newref(gcb_list_get(q->ring, q->head)));
    gcb_list_set(q->ring, q->head, gcb_newref(gcb_None));
    *builder = q->builder[q->head];
    q->head = (q->head + 1) % q->cap;
    q->count--;
    pthread_cond_signal(&q->not_full);
}

static void deadline_in(struct timespec *ts, uint64_t ns)
{
    clock_gettime(CLOCK_MONOTONIC, ts);
    uint64_t t = (uint64_t)ts->tv_nsec + ns;
    ts->tv_sec += (time_t)(t / 1000000000u);
    ts->tv_nsec = (long)(t % 1000000000u);
}

static int put_wait(gcb_wl_queue_t *q, gcb_frame_t *f, uint32_t i, uint32_t builder, int block,
                    const struct timespec *deadline)
{
    pthread_mutex_lock(&q->m);
    if (!has_room(q)) {
        if (!block) {
            pthread_mutex_unlock(&q->m);
            return -1;
        }
        q->blocked++;
        if (wait_until(&q->m, &q->not_full, has_room, q, deadline)) {
            pthread_mutex_unlock(&q->m);
            return -1;
        }
    }
    put_locked(q, f, i, builder);
    pthread_mutex_unlock(&q->m);
    gcb_local_set(f, i, gcb_newref(gcb_None));   /* outside the lock: may free nothing, the ring holds it */
    return 0;
}

void gcb_wl_queue_put(gcb_wl_queue_t *q, gcb_frame_t *f, uint32_t i, uint32_t builder)
{
    put_wait(q, f, i, builder, 1, NULL);
}

int gcb_wl_queue_try_put(gcb_wl_queue_t *q, gcb_frame_t *f, uint32_t i, uint32_t builder)
{
    return put_wait(q, f, i, builder, 0, NULL);
}

int gcb_wl_queue_put_timed(gcb_wl_queue_t *q, gcb_frame_t *f, uint32_t i, uint32_t builder,
                           uint64_t timeout_ns)
{
    struct timespec ts;
    deadline_in(&ts, timeout_ns);
    return put_wait(q, f, i, builder, 1, &ts);
}

static int take_wait(gcb_wl_queue_t *q, gcb_frame_t *f, uint32_t i, uint32_t *builder, int block)
{
    pthread_mutex_lock(&q->m);
    if (q->count == 0 && block && q->open_producers > 0) {
        q->blocked++;
        wait_until(&q->m, &q->not_empty, has_item, q, NULL);
    }
    if (q->count == 0) {
        pthread_mutex_unlock(&q->m);
        return -1;
    }
    take_locked(q, f, i, builder);
    pthread_mutex_unlock(&q->m);
    return 0;
}

int gcb_wl_queue_take(gcb_wl_queue_t *q, gcb_frame_t *f, uint32_t i, uint32_t *builder)
{
    return take_wait(q, f, i, builder, 1);
}

int gcb_wl_queue_try_take(gcb_wl_queue_t *q, gcb_frame_t *f, uint32_t i, uint32_t *builder)
{
    return take_wait(q, f, i, builder, 0);
}

void gcb_wl_queue_close(gcb_wl_queue_t *q)
{
    pthread_mutex_lock(&q->m);
    if (q->open_producers > 0 && --q->open_producers == 0)
        pthread_cond_broadcast(&q->not_empty);
    pthread_mutex_unlock(&q->m);
}

int gcb_wl_queue_drained(gcb_wl_queue_t *q)
{
    pthread_mutex_lock(&q->m);
    int d = q->count == 0 && q->open_producers == 0;
    pthread_mutex_unlock(&q->m);
    return d;
}

int gcb_wl_coop_run1(const gcb_workload_t *wl, const gcb_params_t *p, uint64_t seed,
                     gcb_workload_result_t *out, char *err, size_t errlen)
{
    if (wl->check && wl->check(p, 1, err, errlen))
        return -1;
    if (wl->setup(p, 1, err, errlen))
        return -1;
    int rc = wl->run_thread(p, seed, 0, 1, out, err, errlen);
    wl->teardown();
    return rc;
}
