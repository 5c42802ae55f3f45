/*
 * runtime/threads.h - the threading modes of a run, their parameters, and
 * the table of mutator threads (docs/threads.md, "The modes at a glance"
 * and "Per-thread state").
 *
 * Modes (`-p mode=`):
 *   default  one mutator thread, today's runtime, nothing tested at run time;
 *   gil      N mutator threads running one at a time under a global lock
 *            (CPython's default build; runtime/gil.h), counts plain;
 *   ft       free-threaded, biased reference counting (gcbench-ft);
 *   atomic   every count change an atomic read-modify-write (gcbench-atomic).
 * A collection policy lists the modes it supports as GCB_THREADS_* bits of
 * gcb_policy_t.threads (runtime/policy.h); bit m is GCB_MODE_BIT(m).
 *
 * Run-level parameters (gcb_threads_params, validated with the workload's
 * and the collector's tables): threads=N (1..GCB_THREADS_MAX), mode=M,
 * switch_interval=MS (gil only; CPython's sys.getswitchinterval(), 5 ms).
 * threads > 1 needs a mode other than default.
 *
 * The thread table.  Every mutator thread owns one gcb_tstate_t and
 * registers it: it gets the lowest free index (the value ft's ob_flags will
 * hold), and gcb_tstate_self() finds it again through a __thread pointer.
 * The table is guarded by a mutex; readers that scan it (the frames visit
 * of a collection, a stop-the-world) do so while every other registered
 * thread is stopped or waiting for the GIL, so they see the table as the
 * last register/unregister left it.  Invariants: table[i] == t iff t is
 * registered with t->index == i; `count` is the number of registered
 * threads; an unregistered tstate is in no slot.
 */
#ifndef GCB_RUNTIME_THREADS_H
#define GCB_RUNTIME_THREADS_H

#include <stddef.h>
#include <stdint.h>

#include "runtime/object.h"
#include "util/params.h"

typedef enum {
    GCB_MODE_DEFAULT = 0,
    GCB_MODE_GIL = 1,
    GCB_MODE_FT = 2,
    GCB_MODE_ATOMIC = 3,
    GCB_MODE_COUNT
} gcb_thread_mode_t;

#define GCB_MODE_BIT(m) (1u << (m))
#define GCB_THREADS_MAX 256

/* "default", "gil", "ft", "atomic". */
const char *gcb_mode_name(gcb_thread_mode_t m);
/* -1 if `s` names no mode. */
int gcb_mode_parse(const char *s);
/* The names of the modes in `mask`, ", "-separated ("default, gil"). */
void gcb_modes_format(unsigned mask, char *buf, size_t n);

/* The run-level parameters (threads, mode, switch_interval). */
extern const gcb_param_def_t gcb_threads_params[];

typedef struct gcb_threads_config {
    gcb_thread_mode_t mode;
    uint32_t nthreads;
    uint64_t switch_interval_ns;
} gcb_threads_config_t;

/* Read the run-level parameters from validated params (defaults where the
 * user gave none) and check their combination: 0, or -1 with one line. */
int gcb_threads_config(const gcb_params_t *p, gcb_threads_config_t *out, char *err, size_t errlen);

/* Does this build have mode m's runtime?  0, or -1 with one line (the
 * modes come one commit at a time: docs/threads.md's plan). */
int gcb_mode_implemented(const gcb_threads_config_t *tc, char *err, size_t errlen);

/* --- the thread table (runtime/threads.c) ---------------------------- */

typedef enum {
    GCB_TSTATE_DETACHED = 0,   /* registered, not running mutator code (waiting, blocked) */
    GCB_TSTATE_ATTACHED = 1,   /* running mutator code (under gil: holding the lock) */
} gcb_tstate_state_t;

typedef struct gcb_tstate {
    uint32_t index;            /* slot in the table; ft's ob_flags value */
    int state;                 /* gcb_tstate_state_t; changed by its owner under the GIL */
    gcb_frame_t *top;          /* innermost frame while the thread does not run (gil) */
    /* gil statistics (runtime/gil.c), written by the thread itself */
    uint64_t gil_takes;        /* acquisitions */
    uint64_t gil_forced_drops; /* drops asked for by a waiter */
    uint64_t gil_wait_ns;      /* time spent waiting in take */
} gcb_tstate_t;

/* Register the calling thread with t (zeroed by the caller or not: index
 * and state are set here).  -1 if GCB_THREADS_MAX threads are registered. */
int gcb_thread_register(gcb_tstate_t *t);
/* Leave the table; the index becomes free for the next register. */
void gcb_thread_unregister(gcb_tstate_t *t);
/* The calling thread's tstate, NULL if it is not registered. */
gcb_tstate_t *gcb_tstate_self(void);
/* Registered threads now. */
uint32_t gcb_threads_count(void);
/* Call fn on every registered tstate, under the table's mutex. */
void gcb_threads_each(void (*fn)(gcb_tstate_t *t, void *arg), void *arg);

#endif
