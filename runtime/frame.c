/*
 * runtime/frame.c - frames: the roots.
 *
 * A frame is a block of local slots, pushed and popped in LIFO order as
 * Python calls nest.  Frames are interpreter memory, not object memory:
 * they come from the C library and are not counted as live bytes (CPython
 * keeps them on its own data stack).  Every slot holds an object (None
 * when unset) so no reference operation tests for NULL.
 */
#include "runtime/internal.h"

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

void gcb_frames_visit(gcb_visit_fn visit, void *arg)
{
    for (gcb_frame_t *f = gcb_hot.top; f; f = f->back)
        for (uint32_t i = 0; i < f->nlocals; i++)
            visit(f->locals[i], arg);
}
