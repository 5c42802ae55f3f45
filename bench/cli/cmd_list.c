/*
 * bench/cli/cmd_list.c - `gcbench list allocators|collectors|workloads|params`:
 * one line per registered backend, from its descriptor.
 */
#include <stdio.h>
#include <string.h>

#include "allocators/allocator.h"
#include "bench/cell/python.h"
#include "bench/cli/cli.h"
#include "collectors/collector.h"
#include "runtime/options.h"
#include "runtime/threads.h"
#include "workloads/workload.h"

static const char list_help[] =
    "usage: gcbench list allocators|collectors|workloads|params\n"
    "\n"
    "Print one name and a one-line description per line.\n"
    "  allocators  process allocators found at build time, and the pool\n"
    "  collectors  collection policies (-c), with the threading modes (-p mode=) each runs in\n"
    "  workloads   workload generators (-w)\n"
    "  params      every -p KEY each workload and collector accepts, and the run-level\n"
    "              ones (threads, mode, switch_interval), with defaults\n";

static void print_params(const char *kind, const char *owner, const gcb_param_def_t *t)
{
    static const char *types[] = { "int", "number", "string" };
    for (; t->name; t++)
        printf("%-9s %-10s %-14s %-6s default %-8s %s\n", kind, owner, t->name, types[t->type], t->def,
               t->description);
}

int gcb_cmd_list(int argc, char **argv, char **full_argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(list_help, argc < 2 ? stderr : stdout);
        return argc < 2 ? GCB_EXIT_USAGE : GCB_EXIT_OK;
    }
    const char *what = argv[1];
    if (argc > 2)
        gcb_usage_error(NULL, "list takes one argument (allocators, collectors, workloads or params); unexpected '%s'",
                        argv[2]);
    if (strcmp(what, "allocators") == 0) {
        for (size_t i = 0; i < gcb_process_allocator_count; i++) {
            const gcb_process_allocator_t *a = &gcb_process_allocators[i];
            if (gcb_process_allocator_available(a))
                printf("%-14s %s\n", a->name, a->description);
        }
        /* the pool variants (their descriptors' lines), the first one over
         * each process allocator too */
        for (size_t v = 0; v < gcb_pool_variant_count; v++) {
            printf("%-14s %s\n", gcb_pool_variants[v]->name, gcb_pool_variants[v]->description);
            for (size_t i = 1; v == 0 && i < gcb_process_allocator_count; i++)
                if (gcb_process_allocators[i].in_default && gcb_process_allocators[i].library[0])
                    printf("%s+%-9s pymalloc over %s\n", gcb_pool_variants[v]->name, gcb_process_allocators[i].name,
                           gcb_process_allocators[i].name);
        }
        for (size_t i = 0; i < gcb_process_allocator_count; i++)   /* mimalloc-ft needs the library */
            if (strcmp(gcb_process_allocators[i].name, "mimalloc") == 0 && gcb_process_allocators[i].library[0])
                printf("%-14s %s\n", gcb_alloc_mimalloc_ft.name, gcb_alloc_mimalloc_ft.description);
        printf("%-14s %s\n", "NAME=/path.so", "any malloc shared library, by LD_PRELOAD (pool+NAME=/path.so too); pool+X works for every X above");
        printf("%-14s %s\n", "faulty@N+SPEC", "fault injection: SPEC (any of the above) with its Nth and later allocations failed; N = 0 counts them");
    } else if (strcmp(what, "collectors") == 0) {
        for (size_t i = 0; i < gcb_collector_count; i++) {
            char modes[64];
            gcb_modes_format(gcb_collectors[i]->policy.threads, modes, sizeof modes);
            for (char *c = modes; *c; c++) /* one column: "default,gil" */
                if (*c == ' ')
                    memmove(c, c + 1, strlen(c));
            printf("%-14s %-24s %s\n", gcb_collectors[i]->name, modes, gcb_collectors[i]->description);
        }
    } else if (strcmp(what, "workloads") == 0) {
        for (size_t i = 0; i < gcb_workload_count; i++)
            printf("%-14s %s\n", gcb_workloads[i]->name, gcb_workloads[i]->description);
        /* the twins: the real interpreter on workloads/python/NAME.py */
        char names[512];
        snprintf(names, sizeof names, "%s", gcb_py_names());
        for (char *save = NULL, *t = strtok_r(names, " ", &save); t; t = strtok_r(NULL, " ", &save))
            printf("%-14s real CPython (-p python=PATH) on the twin of %s, workloads/python/%s.py (docs/python.md)\n",
                   t, t + 3, t + 3);
    } else if (strcmp(what, "params") == 0) {
        for (size_t i = 0; i < gcb_workload_count; i++)
            print_params("workload", gcb_workloads[i]->name, gcb_workloads[i]->params);
        for (size_t i = 0; i < gcb_collector_count; i++)
            print_params("collector", gcb_collectors[i]->name, gcb_collectors[i]->params);
        print_params("runtime", "-", gcb_runtime_params);
        print_params("allocator", "-", gcb_alloc_params);
        print_params("runtime", "-", gcb_threads_params);
    } else {
        gcb_usage_error(NULL, "unknown list '%s': choose allocators, collectors, workloads or params", what);
    }
    return GCB_EXIT_OK;
}
