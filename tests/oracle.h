/*
 * tests/oracle.h - a reachability oracle independent of every collector.
 *
 * It trusts only three things: the frames (gcb_frames_visit), each type's
 * traverse, and the check build's registry of allocated objects
 * (runtime/debug.h, kept by the runtime's allocation and free paths, not by
 * any collector).  From them it computes, with its own hash table and its
 * own graph walk:
 *   - the reachable set (from every frame slot);
 *   - for every live object, the references to it from frames and from live
 *     objects, and compares them with its reference count in the counting
 *     mode in force (all references; heap references only, with the ZCT
 *     flag set on every zero count; or nothing);
 *   - dangling references: a frame slot or a live object pointing at
 *     something that is neither live nor immortal (a use after free; its
 *     memory is checked for the 0xdb poison the check build writes);
 *   - bad types: a live object whose type pointer is not one of the
 *     runtime's object types (int, float, str, tuple, list, dict, or a
 *     class's instance type): memory overwritten behind the runtime's back.
 *     Such an object, like a poisoned one, is not traversed;
 *   - the garbage (live, not reachable) and, of it, the cyclic garbage: what
 *     is left after repeatedly removing garbage objects no other garbage
 *     object refers to - exactly the objects pure refcounting can never free
 *     (each is in a cycle or hangs off one).
 *
 * Call it at a safepoint (no object held only by a C variable).
 */
#ifndef GCB_ORACLE_H
#define GCB_ORACLE_H

#include <stdint.h>

typedef struct gcb_oracle {
    uint64_t live;            /* mortal objects allocated (the registry) */
    uint64_t reachable;       /* mortal objects reachable from the frames */
    uint64_t garbage;         /* live - reachable */
    uint64_t cyclic_garbage;  /* garbage no count can ever free */
    uint64_t dangling;        /* references to freed memory */
    uint64_t poisoned;        /* of those, pointing at poisoned (freed) objects */
    uint64_t bad_counts;      /* live objects whose count disagrees with the references */
    uint64_t bad_types;       /* live objects with a type pointer that is no object type */
    uint64_t counter_drift;   /* |runtime live_objects counter - registry size| */
} gcb_oracle_t;

/* Scan the heap now.  Returns 0 when nothing is dangling, every type and
 * count is right and the runtime's live counter matches the registry; otherwise
 * prints the first problems to stderr and returns -1. */
int gcb_oracle_scan(gcb_oracle_t *out);

/* After a full collection: the scan succeeds and the live set is exactly
 * the reachable set (`complete` collectors), or exactly the reachable set
 * plus cyclic garbage (the others: every unreachable object is held by a
 * cycle).  Returns 0 or -1 with a message naming `who`. */
int gcb_oracle_check_collected(int complete, const char *who, gcb_oracle_t *out);

/* A fingerprint of the reachable graph: every reachable object's address
 * and type and the ordered addresses it refers to.  A collector must not
 * change the reachable graph, so the fingerprints before and after a
 * safepoint that collected must be equal: this catches a collector that
 * clears (breaks up) an object still in use, which the set comparisons of
 * gcb_oracle_scan cannot see.  Aborts with a message on a reference to
 * freed memory.  *objects (if not NULL) gets the number of objects walked. */
uint64_t gcb_oracle_fingerprint(uint64_t *objects);

#endif
