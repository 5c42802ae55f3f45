/*
 * workloads/registry.c - the workloads a run can name.
 */
#include "workloads/workload.h"

#include <string.h>

extern const gcb_workload_t gcb_workload_intchurn;
extern const gcb_workload_t gcb_workload_cycles;
extern const gcb_workload_t gcb_workload_strings;
extern const gcb_workload_t gcb_workload_aliasing;
extern const gcb_workload_t gcb_workload_slicing;
extern const gcb_workload_t gcb_workload_copies;
extern const gcb_workload_t gcb_workload_dicts;
extern const gcb_workload_t gcb_workload_trees;
extern const gcb_workload_t gcb_workload_traversal;
extern const gcb_workload_t gcb_workload_replay;
extern const gcb_workload_t gcb_workload_lifetimes;
extern const gcb_workload_t gcb_workload_locals;
extern const gcb_workload_t gcb_workload_prodcons;
extern const gcb_workload_t gcb_workload_shared;
extern const gcb_workload_t gcb_workload_churn_ft;

const gcb_workload_t *const gcb_workloads[] = {
    &gcb_workload_intchurn,
    &gcb_workload_cycles,
    &gcb_workload_strings,
    &gcb_workload_aliasing,
    &gcb_workload_slicing,
    &gcb_workload_copies,
    &gcb_workload_dicts,
    &gcb_workload_trees,
    &gcb_workload_traversal,
    &gcb_workload_replay,
    &gcb_workload_lifetimes,
    &gcb_workload_locals,
    &gcb_workload_prodcons,
    &gcb_workload_shared,
    &gcb_workload_churn_ft,
};
const size_t gcb_workload_count = sizeof gcb_workloads / sizeof gcb_workloads[0];

const gcb_workload_t *gcb_workload_find(const char *name)
{
    for (size_t i = 0; i < gcb_workload_count; i++)
        if (strcmp(gcb_workloads[i]->name, name) == 0)
            return gcb_workloads[i];
    return NULL;
}
