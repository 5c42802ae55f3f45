/*
 * collectors/registry.c - the collectors a run can name.
 * Adding one: a new file exporting a gcb_collector_t, a line here, a line
 * in meson.build.  Also the one place a descriptor becomes the policy a
 * run installs (gcb_collector_policy).
 */
#include "collectors/collector.h"

#include <stdio.h>
#include <string.h>

#include "runtime/threads.h"

/* The ft core (GCB_RC_MODE == GCB_RC_BIASED, gcbench-ft) has no refcnt
 * field for the cycle collectors to read: it links the collectors that run
 * in mode=ft only.  The other binaries list them all, ftgc's descriptor
 * included (its collection is the ft core's: collectors/ftgc.c). */
extern const gcb_collector_t gcb_collector_rc;
extern const gcb_collector_t gcb_collector_ftgc;
#if GCB_RC_MODE != GCB_RC_BIASED
extern const gcb_collector_t gcb_collector_gen;
extern const gcb_collector_t gcb_collector_drc;
extern const gcb_collector_t gcb_collector_lazy;
extern const gcb_collector_t gcb_collector_trialdel;
extern const gcb_collector_t gcb_collector_marksweep;
extern const gcb_collector_t gcb_collector_incremental;
#endif

const gcb_collector_t *const gcb_collectors[] = {
    &gcb_collector_rc,
#if GCB_RC_MODE != GCB_RC_BIASED
    &gcb_collector_gen,
    &gcb_collector_drc,
    &gcb_collector_lazy,
    &gcb_collector_trialdel,
    &gcb_collector_marksweep,
    &gcb_collector_incremental,
#endif
    &gcb_collector_ftgc,
};
const size_t gcb_collector_count = sizeof gcb_collectors / sizeof gcb_collectors[0];

const gcb_collector_t *gcb_collector_find(const char *name)
{
    for (size_t i = 0; i < gcb_collector_count; i++)
        if (strcmp(gcb_collectors[i]->name, name) == 0)
            return gcb_collectors[i];
    return NULL;
}

gcb_policy_t gcb_collector_policy(const gcb_collector_t *c)
{
    gcb_policy_t p = c->policy;
    unsigned hooks = c->hooks ? c->hooks() : GCB_HOOKS_ALL;
    if (!(hooks & GCB_HOOK_ON_ALLOC))
        p.on_alloc = NULL;
    if (!(hooks & GCB_HOOK_ON_FREE))
        p.on_free = NULL;
    if (!(hooks & GCB_HOOK_ON_ZERO))
        p.on_zero = NULL;
    if (!(hooks & GCB_HOOK_ON_DECREF_LIVE))
        p.on_decref_live = NULL;
    if (!(hooks & GCB_HOOK_WRITE_BARRIER))
        p.write_barrier = NULL;
    return p;
}

int gcb_collector_mode_check(const gcb_collector_t *c, int mode, char *err, size_t errlen)
{
    if (c->policy.threads & GCB_MODE_BIT(mode))
        return 0;
    char modes[128], names[512] = "";
    gcb_modes_format(c->policy.threads, modes, sizeof modes);
    size_t off = 0;
    for (size_t i = 0; i < gcb_collector_count && off < sizeof names; i++)
        if (gcb_collectors[i]->policy.threads & GCB_MODE_BIT(mode))
            off += (size_t)snprintf(names + off, sizeof names - off, "%s%s", off ? ", " : "",
                                    gcb_collectors[i]->name);
    snprintf(err, errlen, "collector '%s' runs in modes %s; mode=%s supports %s", c->name, modes,
             gcb_mode_name((gcb_thread_mode_t)mode), off ? names : "no collector");
    return -1;
}
