/*
 * runtime/threads.c - the threading modes, the run-level parameters and
 * the table of mutator threads (runtime/threads.h).
 */
#include "runtime/threads.h"

#include "runtime/gil.h"
#include "runtime/internal.h"
#include "runtime/policy.h"
#include "runtime/runtime.h"
#include "runtime/shared.h"
#include "runtime/stw.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

_Static_assert(GCB_MODE_BIT(GCB_MODE_DEFAULT) == GCB_THREADS_ONE && GCB_MODE_BIT(GCB_MODE_GIL) == GCB_THREADS_GIL &&
                   GCB_MODE_BIT(GCB_MODE_FT) == GCB_THREADS_FT && GCB_MODE_BIT(GCB_MODE_ATOMIC) == GCB_THREADS_ATOMIC,
               "a policy's threads bits are the modes' bits");

static const char *const mode_names[GCB_MODE_COUNT] = { "default", "gil", "ft", "atomic" };

const char *gcb_mode_name(gcb_thread_mode_t m)
{
    return (unsigned)m < GCB_MODE_COUNT ? mode_names[m] : "?";
}

int gcb_mode_parse(const char *s)
{
    for (int m = 0; m < GCB_MODE_COUNT; m++)
        if (strcmp(s, mode_names[m]) == 0)
            return m;
    return -1;
}

void gcb_modes_format(unsigned mask, char *buf, size_t n)
{
    size_t off = 0;
    buf[0] = '\0';
    for (int m = 0; m < GCB_MODE_COUNT && off < n; m++)
        if (mask & GCB_MODE_BIT(m))
            off += (size_t)snprintf(buf + off, n - off, "%s%s", off ? ", " : "", mode_names[m]);
}

const gcb_param_def_t gcb_threads_params[] = {
    { "threads", GCB_PARAM_INT, "1", 1, GCB_THREADS_MAX,
      "mutator threads; each runs its own copy of the workload (seed mixed with the thread index)" },
    { "mode", GCB_PARAM_STRING, "default", 0, 0,
      "threading model: default (one thread), gil (one at a time under a global lock), "
      "ft (free-threaded, biased counting), atomic (atomic counts)",
      "default|gil|ft|atomic" },
    { "switch_interval", GCB_PARAM_DOUBLE, "5", 0.001, 10000,
      "mode=gil: ms a waiter lets the holder run before asking it to drop the lock (sys.getswitchinterval())" },
    GCB_PARAM_END
};

/* Modes whose runtime exists in this build (docs/threads.md, the plan's
 * commits 2-5 added them; every one runs N threads since biased
 * counting's slow paths, runtime/brc.c). */
static const unsigned implemented_modes = GCB_MODE_BIT(GCB_MODE_DEFAULT) | GCB_MODE_BIT(GCB_MODE_GIL) |
                                         GCB_MODE_BIT(GCB_MODE_FT) | GCB_MODE_BIT(GCB_MODE_ATOMIC);

static int user_gave(const gcb_params_t *p, const char *key)
{
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->kv[i].key, key) == 0)
            return 1;
    return 0;
}

int gcb_threads_config(const gcb_params_t *p, gcb_threads_config_t *out, char *err, size_t errlen)
{
    out->nthreads = (uint32_t)gcb_param_int(p, gcb_threads_params, "threads");
    out->mode = (gcb_thread_mode_t)gcb_mode_parse(gcb_param_str(p, gcb_threads_params, "mode"));
    out->switch_interval_ns = (uint64_t)(gcb_param_double(p, gcb_threads_params, "switch_interval") * 1e6);
    if (out->nthreads > 1 && out->mode == GCB_MODE_DEFAULT) {
        snprintf(err, errlen, "threads=%u needs mode=gil, ft or atomic (mode=default runs one thread)",
                 out->nthreads);
        return -1;
    }
    if (out->mode != GCB_MODE_GIL && user_gave(p, "switch_interval")) {
        snprintf(err, errlen, "switch_interval is a mode=gil parameter; this run has mode=%s",
                 gcb_mode_name(out->mode));
        return -1;
    }
    return 0;
}

int gcb_mode_implemented(const gcb_threads_config_t *tc, char *err, size_t errlen)
{
    gcb_thread_mode_t m = tc->mode;
    if (implemented_modes & GCB_MODE_BIT(m))
        return 0;
    char ok[64];
    gcb_modes_format(implemented_modes, ok, sizeof ok);
    snprintf(err, errlen, "mode=%s is not implemented yet (docs/threads.md, implementation plan); accepted: %s",
             gcb_mode_name(m), ok);
    return -1;
}

/* --- the thread table ------------------------------------------------- */

static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static gcb_tstate_t *table[GCB_THREADS_MAX];
static uint32_t table_count;
static __thread gcb_tstate_t *self;

int gcb_thread_register(gcb_tstate_t *t)
{
    pthread_mutex_lock(&table_lock);
    uint32_t i = 0;
    while (i < GCB_THREADS_MAX && table[i])
        i++;
    if (i == GCB_THREADS_MAX) {
        pthread_mutex_unlock(&table_lock);
        return -1;
    }
    t->index = i;
    t->state = GCB_TSTATE_DETACHED;
    t->top = NULL;
    table[i] = t;
    table_count++;
    pthread_mutex_unlock(&table_lock);
    self = t;
#if GCB_THREADED
    gcb__thread_enter();
    gcb__shared_thread_enter(); /* its QSBR record (runtime/shared.c) */
    gcb_stw_thread_enter(t); /* ft/atomic: a registered thread runs attached (runtime/stw.h) */
    gcb_stw_attach();
#endif
    return 0;
}

void gcb_thread_unregister(gcb_tstate_t *t)
{
#if GCB_THREADED
    if (self == t) {
        gcb__shared_thread_leave(); /* before leave: delayed drops may free objects */
        gcb__thread_leave();
        gcb_stw_thread_leave(t);
    }
#endif
    pthread_mutex_lock(&table_lock);
    if (t->index < GCB_THREADS_MAX && table[t->index] == t) {
        table[t->index] = NULL;
        table_count--;
    }
    pthread_mutex_unlock(&table_lock);
    if (self == t)
        self = NULL;
}

gcb_tstate_t *gcb_tstate_self(void) { return self; }

uint32_t gcb_threads_count(void)
{
    pthread_mutex_lock(&table_lock);
    uint32_t n = table_count;
    pthread_mutex_unlock(&table_lock);
    return n;
}

void gcb_threads_each(void (*fn)(gcb_tstate_t *t, void *arg), void *arg)
{
    pthread_mutex_lock(&table_lock);
    for (uint32_t i = 0; i < GCB_THREADS_MAX; i++)
        if (table[i])
            fn(table[i], arg);
    pthread_mutex_unlock(&table_lock);
}

/* --- blocking calls (runtime/runtime.h) ------------------------------ */

/* Under gil the caller holds the lock while it runs, so a blocking wait
 * drops it (CPython's Py_BEGIN_ALLOW_THREADS) and takes it back after;
 * in the threaded cores (ft, atomic) the thread detaches from the
 * stop-the-world protocol: a stop parks it without waiting, and its
 * blocking_end waits while the stop lasts (runtime/stw.h).  An
 * unregistered caller (mode=default, a test) has nothing to give up. */
void gcb_blocking_begin(void)
{
    gcb_tstate_t *t = gcb_tstate_self();
    if (!t)
        return;
    if (gcb_gil_active())
        gcb_gil_drop(t);
    else
        t->state = GCB_TSTATE_DETACHED;
#if GCB_THREADED
    t->top = gcb_hot.top; /* its frames, for a collector of the stopped world */
    gcb__shared_detach(); /* QSBR offline while blocked */
    gcb_stw_detach(); /* a stop-the-world parks it without waiting (runtime/stw.h) */
#endif
}

void gcb_blocking_end(void)
{
    gcb_tstate_t *t = gcb_tstate_self();
    if (!t)
        return;
    if (gcb_gil_active())
        gcb_gil_take(t);
    else
        t->state = GCB_TSTATE_ATTACHED;
#if GCB_THREADED
    gcb_stw_attach(); /* waits while a stop-the-world holds it */
    gcb__shared_attach();
#endif
}
