/*
 * tests/vma.h - what the kernel says about one mapping of this process.
 *
 * Huge-page configurations (pool-huge, the -thp allocators) are checked by
 * what they asked the kernel for: MADV_HUGEPAGE shows as "hg" in the
 * VmFlags of the mapping, a hugetlb mapping as "ht".  Whether the kernel
 * then granted huge pages depends on its settings and free memory, so runs
 * measure that (anon_huge_bytes) and tests do not assert it.
 */
#ifndef GCB_TESTS_VMA_H
#define GCB_TESTS_VMA_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Copy the VmFlags of the mapping holding `addr` (/proc/self/smaps) into
 * flags; 0, or -1 when no mapping holds it or smaps is unreadable. */
static inline int gcb_test_vma_flags(const void *addr, char *flags, size_t n)
{
    FILE *f = fopen("/proc/self/smaps", "r");
    if (!f)
        return -1;
    char line[512];
    int inside = 0, found = -1;
    while (fgets(line, sizeof line, f)) {
        unsigned long lo, hi;
        char *dash = strchr(line, '-'), *space = strchr(line, ' ');
        if (dash && space && dash < space && sscanf(line, "%lx-%lx ", &lo, &hi) == 2) {
            inside = (uintptr_t)addr >= lo && (uintptr_t)addr < hi;
        } else if (inside && strncmp(line, "VmFlags:", 8) == 0) {
            snprintf(flags, n, "%s", line + 8);
            found = 0;
            break;
        }
    }
    fclose(f);
    return found;
}

/* Does the mapping holding `addr` carry huge-page advice (hg) or come
 * from the hugetlb pool (ht)? */
static inline int gcb_test_vma_huge(const void *addr)
{
    char flags[256];
    return gcb_test_vma_flags(addr, flags, sizeof flags) == 0 &&
           (strstr(flags, " hg") != NULL || strstr(flags, " ht") != NULL);
}

#endif
