/*
 * runtime/frame.c - frames: the roots.
 *
 * A frame is a block of local slots, pushed and popped in LIFO order as
 * Python calls nest.  Frames are interpreter memory, not object memory:
 * they come from the C library and are not counted as live bytes (CPython
 * keeps them on its own data stack).  Every slot holds an object (None
 * when unset) so no reference operation tests for NULL.  Frames are per
 * thread: under mode=gil each thread's chain is swapped into gcb_hot.top
 * when it takes the lock (runtime/gil.c).
 */
#include "runtime/internal.h"
#include "runtime/threads.h"

#include <stdio.h>
#include <stdlib.h>

gcb_frame_t *gcb_frame_push(uint32_t nlocals)
{
    gcb_frame_t *f = malloc(sizeof *f + nlocals * sizeof f->locals[0]);
    if (!f)
        gcb__oom(sizeof *f + nlocals * sizeof f->locals[0]);
    f->back = gcb_hot.top;
    f->nlocals = nlocals;
    for (uint32_t i = 0; i < nlocals; i++)
        f->locals[i] = gcb_None;
    gcb_hot.top = f;
    return f;
}

void gcb_frame_pop(gcb_frame_t *f)
{
    if (f != gcb_hot.top) {
        fprintf(stderr, "gcbench: internal error: frames popped out of order\n");
        abort();
    }
    gcb_hot.top = f->back;
    for (uint32_t i = 0; i < f->nlocals; i++)
        gcb_release(f->locals[i]);
    free(f);
}

static void visit_chain(gcb_frame_t *f, gcb_visit_fn visit, void *arg)
{
    for (; f; f = f->back)
        for (uint32_t i = 0; i < f->nlocals; i++)
            visit(f->locals[i], arg);
}

struct visit_ctx {
    gcb_visit_fn visit;
    void *arg;
    gcb_tstate_t *self;
};

static void visit_saved(gcb_tstate_t *t, void *arg)
{
    struct visit_ctx *c = arg;
    if (t != c->self)
        visit_chain(t->top, c->visit, c->arg);
}

/* The running thread's frames are gcb_hot.top; every other registered
 * thread's (mode=gil: waiting for the lock) are saved in its tstate, whose
 * own `top` is stale while it runs (runtime/gil.h).  With no thread
 * registered (mode=default) the table walk finds nothing. */
void gcb_frames_visit(gcb_visit_fn visit, void *arg)
{
    visit_chain(gcb_hot.top, visit, arg);
    if (gcb_threads_count() > 0) {
        struct visit_ctx c = { visit, arg, gcb_tstate_self() };
        gcb_threads_each(visit_saved, &c);
    }
}
