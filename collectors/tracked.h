/*
 * collectors/tracked.h - the tracked-object table of the free-threaded
 * collector (collectors/ftgc.c), for allocators whose heaps cannot be
 * walked.  ft core only (GCB_RC_MODE == GCB_RC_BIASED).
 *
 * Why a table.  CPython 3.14t finds every GC object by walking the
 * mimalloc heaps that hold them (gc_visit_heaps): the free-threaded header
 * has no PyGC_Head links.  The model runs ftgc over every allocator
 * (glibc, jemalloc, tcmalloc, ...), whose heaps it cannot walk, so it
 * keeps its own enumeration: one slot per live container, reached from
 * the container through an 8-byte word the runtime reserves before it
 * (gcb_policy_t.ft_prefix).  The record says so
 * (threads.object_enumeration "slot-table") and the prefix counts in the
 * container's bytes: 8 bytes a container more than CPython 3.14t.
 *
 * Layout.  A table per allocating thread; a table is a list of chunks,
 * each CHUNK_BYTES-aligned, so a slot finds its chunk (and the chunk its
 * table) by masking its address.  A slot is two words: the object (NULL
 * when free) and `gc`, the collector's scratch word (gc_refs and marks,
 * only while the world is stopped; the free-list link otherwise).
 *
 * Who writes what (the invariants):
 *   - a slot is taken only by its table's owner (the thread whose
 *     allocation it records);
 *   - a slot is freed by whichever thread frees the object: the owner
 *     pushes it on its private free list, any other thread pushes it on the
 *     table's remote stack (a Treiber push; the owner takes the whole stack
 *     with one exchange, so there is no ABA);
 *   - the collector reads every table only while the world is stopped
 *     (runtime/stw.h), when nobody takes or frees a slot;
 *   - a table outlives its thread: a leaving thread abandons it and the
 *     next thread that allocates adopts it, so slots of objects that
 *     outlive their thread stay valid and are reused.
 */
#ifndef GCB_COLLECTORS_TRACKED_H
#define GCB_COLLECTORS_TRACKED_H

#include <stdint.h>

#include "runtime/object.h"

#if GCB_RC_MODE != GCB_RC_BIASED
#error "collectors/tracked.h is the ft core's (GCB_RC_MODE == GCB_RC_BIASED)"
#endif

typedef struct gcb_tracked_slot {
    gcb_object_t *_Atomic obj;   /* the container, NULL when the slot is free */
    intptr_t gc;                 /* collector's scratch (world stopped) or free-list link */
} gcb_tracked_slot_t;

/* The bytes the runtime must reserve before each container. */
#define GCB_TRACKED_PREFIX 8

/* A container's slot, through the word before it. */
static inline gcb_tracked_slot_t *gcb_tracked_slot_of(gcb_object_t *o)
{
    return ((gcb_tracked_slot_t **)o)[-1];
}

/* Record a new container (its owner thread, from on_alloc) / forget a
 * dying one (any thread, from on_free). */
void gcb_tracked_add(gcb_object_t *o);
void gcb_tracked_remove(gcb_object_t *o);
/* The calling thread leaves: its table is abandoned for adoption. */
void gcb_tracked_thread_leave(void);

/* Call fn on every occupied slot of every table.  World stopped only.
 * Returns the slots visited. */
uint64_t gcb_tracked_each(void (*fn)(gcb_tracked_slot_t *s, void *arg), void *arg);
/* Occupied slots, i.e. live containers (world stopped, or quiescent). */
uint64_t gcb_tracked_count(void);
/* Before a new runtime (no container of the last one is alive): every
 * chunk back to the C library, every table free for adoption. */
void gcb_tracked_reset(void);

#endif
