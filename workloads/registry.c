/*
 * workloads/registry.c - the workloads a run can name.
 */
#include "workloads/workload.h"

#include <string.h>

extern const gcb_workload_t gcb_workload_intchurn;
extern const gcb_workload_t gcb_workload_cycles;
extern const gcb_workload_t gcb_workload_locals;

const gcb_workload_t *const gcb_workloads[] = {
    &gcb_workload_intchurn,
    &gcb_workload_cycles,
    &gcb_workload_locals,
};
const size_t gcb_workload_count = sizeof gcb_workloads / sizeof gcb_workloads[0];

const gcb_workload_t *gcb_workload_find(const char *name)
{
    for (size_t i = 0; i < gcb_workload_count; i++)
        if (strcmp(gcb_workloads[i]->name, name) == 0)
            return gcb_workloads[i];
    return NULL;
}
