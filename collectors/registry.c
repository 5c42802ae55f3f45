/*
 * collectors/registry.c - the collectors a run can name.
 * Adding one: a new file exporting a gcb_collector_t, a line here, a line
 * in meson.build.
 */
#include "collectors/collector.h"

#include <string.h>

extern const gcb_collector_t gcb_collector_rc;
extern const gcb_collector_t gcb_collector_gen;
extern const gcb_collector_t gcb_collector_drc;
extern const gcb_collector_t gcb_collector_lazy;
extern const gcb_collector_t gcb_collector_trialdel;
extern const gcb_collector_t gcb_collector_marksweep;
extern const gcb_collector_t gcb_collector_incremental;

const gcb_collector_t *const gcb_collectors[] = {
    &gcb_collector_rc,
    &gcb_collector_gen,
    &gcb_collector_drc,
    &gcb_collector_lazy,
    &gcb_collector_trialdel,
    &gcb_collector_marksweep,
    &gcb_collector_incremental,
};
const size_t gcb_collector_count = sizeof gcb_collectors / sizeof gcb_collectors[0];

const gcb_collector_t *gcb_collector_find(const char *name)
{
    for (size_t i = 0; i < gcb_collector_count; i++)
        if (strcmp(gcb_collectors[i]->name, name) == 0)
            return gcb_collectors[i];
    return NULL;
}
