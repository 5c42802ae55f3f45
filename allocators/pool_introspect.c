/*
 * allocators/pool_introspect.c - the pool.h calls, for either variant.
 *
 * A pool context starts with a pointer to its variant's table (pool.c,
 * `pool_ctx_t.introspect`), so a test can hold a `pool` or a `pool-huge`
 * context without knowing which.
 */
#include "allocators/pool.h"

static const gcb_pool_introspect_t *ops(void *ctx)
{
    return *(const gcb_pool_introspect_t *const *)ctx;
}

int gcb_pool_validate(void *ctx, char *err, size_t errlen) { return ops(ctx)->validate(ctx, err, errlen); }
void gcb_pool_info(void *ctx, gcb_pool_info_t *out) { ops(ctx)->info(ctx, out); }
int gcb_pool_owns(void *ctx, const void *p) { return ops(ctx)->owns(ctx, p); }
int gcb_pool_block_info(void *ctx, const void *p, gcb_pool_block_info_t *out)
{
    return ops(ctx)->block_info(ctx, p, out);
}
int gcb_pool_arena_info(void *ctx, unsigned index, gcb_pool_arena_info_t *out)
{
    return ops(ctx)->arena_info(ctx, index, out);
}
size_t gcb_pool_usable_arenas(void *ctx, unsigned *indices, size_t max)
{
    return ops(ctx)->usable_arenas(ctx, indices, max);
}
