/*
 * runtime/debug.h - test-build facilities: the registry of live objects,
 * and a count of write-barrier calls.
 *
 * A reachability oracle (tests/oracle.c) must compare what is reachable
 * from the frames with what is actually allocated, and neither the
 * allocator nor the collector may be trusted to say what is allocated.  So
 * the check build of the core library (compiled with GCB_CHECK_BUILD=1,
 * gcbcore_check in tests/meson.build) records every object in a pointer set
 * when it is allocated and removes it when it is freed; immortal objects go
 * to a second set.  Freeing an object that is not in the live set (a
 * double free) aborts at once.  The runtime also counts the calls it makes
 * to the policy's write barrier, so a test can see whether a run
 * installed one.
 *
 * In the benchmark build these functions exist but report that no registry
 * is kept (gcb_debug_available() == 0), and the allocation and free paths
 * contain no trace of it: the calls are behind a compile-time constant.
 */
#ifndef GCB_RUNTIME_DEBUG_H
#define GCB_RUNTIME_DEBUG_H

#include <stddef.h>
#include <stdint.h>

#include "runtime/object.h"

enum { GCB_DEBUG_UNKNOWN = 0, GCB_DEBUG_LIVE = 1, GCB_DEBUG_IMMORTAL = 2 };

/* 1 when this build keeps the registry (GCB_CHECK_BUILD), else 0. */
int gcb_debug_available(void);
/* Mortal objects currently allocated. */
size_t gcb_debug_live_count(void);
/* Calls of the policy's write barrier since gcb_runtime_init: 0 when the
 * run's policy has none (runtime/policy.h). */
uint64_t gcb_debug_barrier_calls(void);
/* What `p` is: a live object, an immortal one, or neither (freed, or never
 * an object).  Never dereferences p, so it is safe on a dangling pointer. */
int gcb_debug_lookup(const void *p);
/* Call visit(o, arg) for every live mortal object, in no particular order.
 * The visitor must not allocate or free objects. */
void gcb_debug_live_visit(gcb_visit_fn visit, void *arg);

#endif
