/*
 * runtime/options.c - the runtime's -p table (runtime/options.h).
 *
 * One row per choice, as the collectors' tables: name, type, default,
 * range or accepted values, meaning.  The defaults model the CPython the
 * suite's predictions are for (3.13 and 3.14); older layouts are a
 * parameter away so the layout's own effect can be measured.
 */
#include "runtime/options.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/internal.h"

const gcb_param_def_t gcb_runtime_params[] = {
    { "instance_layout", GCB_PARAM_STRING, "3.13", 0, 0,
      "class instances as CPython lays them out: 3.13 (also 3.14: one block, attribute values inline), "
      "3.12 (48-byte object + values block), 3.11 (56-byte object + values block), "
      "combined (<= 3.10: object + __dict__ + keys table)",
      "3.13|3.14|3.12|3.11|combined", NULL },
    { "freelists", GCB_PARAM_STRING, "cpython", 0, 0,
      "cpython: CPython 3.13's free lists in front of the allocator (floats 100, tuples of 1..20 items 2000 each, "
      "lists 80, dicts 80, minimum dict keys tables 80); none: every object to and from the allocator",
      "cpython|none", NULL },
    { "garbage_every", GCB_PARAM_INT, "0", 0, 1e12,
      "K > 0: at the first safepoint after every K allocations count the objects alive but unreachable from the "
      "frames (a full reachability walk: slow), the record's gc.max_garbage_objects/bytes; 0: off" },
    { "interp_heap", GCB_PARAM_INT, "0", 0, 1e8,
      "N > 0: N tracked objects built before the timing and kept alive, standing for the interpreter's own heap "
      "that every full collection traverses (CPython 3.11.7: 11416 after start-up; runtime/interp_heap.c); "
      "0: the workload's objects only" },
    GCB_PARAM_END
};

static gcb_runtime_options_t next_opts; /* zero: every default (3.13) */

int gcb_runtime_configure(const gcb_params_t *p, char *err, size_t errlen)
{
    (void)err; (void)errlen;
    if (gcb__none) {
        fprintf(stderr, "gcbench: internal error: gcb_runtime_configure while a runtime is up\n");
        abort();
    }
    static const struct { const char *name; gcb_instance_layout_t layout; } layouts[] = {
        { "3.13", GCB_LAYOUT_313 }, { "3.14", GCB_LAYOUT_313 }, { "3.12", GCB_LAYOUT_312 },
        { "3.11", GCB_LAYOUT_311 }, { "combined", GCB_LAYOUT_COMBINED },
    };
    const char *l = gcb_param_str(p, gcb_runtime_params, "instance_layout");
    for (size_t i = 0; i < sizeof layouts / sizeof layouts[0]; i++)
        if (strcmp(l, layouts[i].name) == 0)
            next_opts.instance_layout = layouts[i].layout;
    next_opts.freelists = strcmp(gcb_param_str(p, gcb_runtime_params, "freelists"), "none") == 0
                              ? GCB_FREELISTS_NONE : GCB_FREELISTS_CPYTHON;
    next_opts.garbage_every = (uint64_t)gcb_param_int(p, gcb_runtime_params, "garbage_every");
    next_opts.interp_heap = (uint64_t)gcb_param_int(p, gcb_runtime_params, "interp_heap");
    return 0;
}

const gcb_runtime_options_t *gcb_runtime_options(void) { return &next_opts; }

void gcb__options_reset(void) { memset(&next_opts, 0, sizeof next_opts); }
