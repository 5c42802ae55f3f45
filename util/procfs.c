/*
 * util/procfs.c - see util/procfs.h.
 */
#include "util/procfs.h"

#include <stdio.h>
#include <string.h>

int gcb_proc_kib_line(const char *path, const char *key, uint64_t *bytes)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[512];
    size_t klen = strlen(key);
    int found = -1;
    while (found && fgets(line, sizeof line, f)) {
        unsigned long long kib;
        if (strncmp(line, key, klen) == 0 && line[klen] == ':' &&
            sscanf(line + klen + 1, " %llu", &kib) == 1) {
            *bytes = (uint64_t)kib * 1024;
            found = 0;
        }
    }
    fclose(f);
    return found;
}
