/*
 * runtime/dealloc.c - freeing objects without recursion.
 *
 * Freeing a container releases its items; an item whose count reaches zero
 * is freed in turn.  Done recursively, a long chain (a linked list of a
 * million nodes) overflows the C stack; CPython's "trashcan" bounds the
 * nesting at 50 and queues the rest.  Here the bound is 1: a container that
 * dies while another dealloc is running is queued, and the outermost call
 * drains the queue.  Leaf objects (no references) are freed at once since
 * they cannot nest.
 *
 * Invariant: `busy` is set exactly while the outermost gcb_dealloc runs;
 * every queued object has refcount 0 and has not been freed yet.
 */
#include "runtime/internal.h"

#include <stdlib.h>

/* Per thread in the threaded cores (CPython's trashcan is per thread). */
static GCB_TLS gcb_object_t **queue;
static GCB_TLS size_t queued, capacity;
static GCB_TLS int busy;

static void push(gcb_object_t *o)
{
    if (queued == capacity) {
        capacity = capacity ? 2 * capacity : 1024;
        queue = realloc(queue, capacity * sizeof *queue);
        if (!queue)
            gcb__oom(capacity * sizeof *queue);
    }
    queue[queued++] = o;
}

void gcb_dealloc(gcb_object_t *o)
{
    if (!(o->type->flags & GCB_TYPE_GC)) {
        o->type->dealloc(o);
        return;
    }
    if (busy) {
        push(o);
        return;
    }
    busy = 1;
    o->type->dealloc(o);
    while (queued) {
        gcb_object_t *next = queue[--queued];
        next->type->dealloc(next);
    }
    busy = 0;
}

void gcb__dealloc_fini(void)
{
    free(queue);
    queue = NULL;
    queued = capacity = 0;
    busy = 0;
}
