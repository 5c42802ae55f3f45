/*
 * bench/micro/refcount.c - what taking and dropping one reference costs.
 *
 *   incref_decref/raw/OBJECT    the counting itself (gcb__incref and
 *                               gcb__decref of runtime/object.h), under rc
 *   incref_decref/COLL/OBJECT   a stack reference taken and given up
 *                               (gcb_newref, gcb_release: what storing into
 *                               a local costs), for every collector built in
 * OBJECT: `int` (a mortal int), `list` (a mortal container: trial deletion
 * buffers it as a possible cycle root when its count drops and stays above
 * zero), `immortal` (None: PEP 683, a sign test and nothing else).
 * The object is held by a frame local, so its count never reaches zero.
 * A memory clobber between the two operations makes each a real load and
 * store, as in an interpreter, where other work separates them; without
 * it the compiler folds the pair away.  Under deferred counting (drc) and
 * tracing (marksweep) stack references are not counted: the figure is the
 * mode test alone, which is the point of those policies.
 */
#include "bench/micro/micro.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REF_BATCH 64

typedef struct ref_case {
    const char *coll;      /* NULL: raw, under rc */
    int object;            /* 0 int, 1 list, 2 immortal */
} ref_case_t;

static const char *const objects[] = { "int", "list", "immortal" };

static void bm_ref(gcb_micro_state_t *st, void *arg)
{
    const ref_case_t *c = arg;
    const gcb_collector_t *coll = gcb_collector_find(c->coll ? c->coll : "rc");
    char err[512];
    if (!coll) {
        gcb_micro_skip_with_error(st, "collector not built into this gcbench");
        return;
    }
    gcb__micro_rt_t m;
    if (gcb__micro_rt_up(&m, coll, NULL, 1, err, sizeof err)) {
        gcb_micro_skip_with_error(st, err);
        return;
    }
    gcb_object_t *o = c->object == 0 ? gcb_int_new(1 << 20) : c->object == 1 ? gcb_list_new(0) : gcb_newref(gcb_None);
    gcb_local_set(m.frame, 0, o);
    gcb__micro_rt_mark(&m);
    if (!c->coll) {
        while (gcb_micro_keep_running_batch(st, REF_BATCH))
            for (int i = 0; i < REF_BATCH; i++) {
                gcb__incref(o);
                gcb_micro_clobber();
                gcb__decref(o);
                gcb_micro_clobber();
            }
    } else {
        while (gcb_micro_keep_running_batch(st, REF_BATCH))
            for (int i = 0; i < REF_BATCH; i++) {
                gcb_newref(o);
                gcb_micro_clobber();
                gcb_release(o);
                gcb_micro_clobber();
            }
    }
    gcb_micro_items_processed(st, gcb_micro_iterations(st));
    gcb__micro_rt_down(&m, st);
}

void gcb__micro_register_refcount(void)
{
    size_t n = 3 * (1 + gcb_collector_count);
    static ref_case_t *cases;
    cases = calloc(n, sizeof *cases);
    size_t k = 0;
    for (size_t ci = 0; ci <= gcb_collector_count; ci++)
        for (int ob = 0; ob < 3; ob++) {
            if (ci > 0 && !(gcb_collectors[ci - 1]->policy.threads & GCB_THREADS_ONE))
                break; /* ftgc runs under mode=ft, not in this one-thread binary */
            ref_case_t *c = &cases[k++];
            c->coll = ci == 0 ? NULL : gcb_collectors[ci - 1]->name;
            c->object = ob;
            char name[256];
            snprintf(name, sizeof name, "incref_decref/%s/%s", c->coll ? c->coll : "raw", objects[ob]);
            gcb_micro_register(name, bm_ref, c);
        }
}
