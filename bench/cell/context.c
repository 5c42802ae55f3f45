/*
 * bench/cell/context.c - what a reader needs to trust or reproduce a figure:
 * the machine, the kernel, the compiler, the library versions and the git
 * commit of the code that produced it.
 */
#include "bench/cell/cell.h"
#include "bench/cluster/cluster.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "config.h"

static void cpu_model(char *buf, size_t n)
{
    snprintf(buf, n, "unknown");
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f)
        return;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "model name", 10) == 0) {
            char *colon = strchr(line, ':');
            if (colon) {
                colon++;
                while (*colon == ' ' || *colon == '\t')
                    colon++;
                colon[strcspn(colon, "\n")] = '\0';
                snprintf(buf, n, "%s", colon);
            }
            break;
        }
    }
    fclose(f);
}

/* First line of a command's output, "" if it fails. */
static void first_line(const char *cmd, char *buf, size_t n)
{
    buf[0] = '\0';
    FILE *p = popen(cmd, "r");
    if (!p)
        return;
    if (fgets(buf, (int)n, p))
        buf[strcspn(buf, "\n")] = '\0';
    if (pclose(p) != 0)
        buf[0] = '\0';
}

/* git's command lines around the source directory: the path and the
 * longest command text (the status one, 80 bytes) fit, so neither is cut. */
#define GIT_CMD_MAX (GCB_PATH_MAX + 128)
_Static_assert(sizeof GCB_SOURCE_DIR + 128 <= GIT_CMD_MAX, "the source directory must fit a git command line");

static void git_commit(char *buf, size_t n)
{
    /* `gcbench matrix` asks git once and hands the answer to its runs, so
     * no run forks a git whose memory and time wait4 would add to it */
    const char *given = getenv("GCBENCH_GIT_COMMIT");
    if (given && *given) {
        snprintf(buf, n, "%s", given);
        return;
    }
    char cmd[GIT_CMD_MAX], dirty[8];
    snprintf(cmd, sizeof cmd, "git -C '%s' rev-parse HEAD 2>/dev/null", GCB_SOURCE_DIR);
    first_line(cmd, buf, n);
    if (!buf[0]) {
        snprintf(buf, n, "unknown");
        return;
    }
    snprintf(cmd, sizeof cmd,
             "git -C '%s' status --porcelain --untracked-files=no 2>/dev/null | head -c1 | wc -c",
             GCB_SOURCE_DIR);
    first_line(cmd, dirty, sizeof dirty);
    if (strcmp(dirty, "0") != 0 && dirty[0] && strlen(buf) + 7 < n)
        strcat(buf, "-dirty");
}

/* The kernel's transparent-huge-page mode: the bracketed word of
 * /sys/kernel/mm/transparent_hugepage/enabled ("always", "madvise",
 * "never"), "" when absent.  It decides what pool-huge and the -thp
 * allocators get, so results are not comparable across modes. */
static void thp_mode(char *buf, size_t n)
{
    buf[0] = '\0';
    FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
    if (!f)
        return;
    char line[256];
    if (fgets(line, sizeof line, f)) {
        char *lo = strchr(line, '['), *hi = lo ? strchr(lo, ']') : NULL;
        if (lo && hi)
            snprintf(buf, n, "%.*s", (int)(hi - lo - 1), lo + 1);
    }
    fclose(f);
}

/* Does a virtio balloon report free pages to the host (feature bit 5,
 * VIRTIO_BALLOON_F_REPORTING)?  The host then discards free 2 MiB blocks,
 * so a huge page arrives "host-cold" and its first touch costs hundreds
 * of host faults: huge-page results on such a VM are slower and noisier
 * than on bare metal.  -1 when not a virtio guest. */
static int vm_free_page_reporting(void)
{
    int found = -1;
    for (int i = 0; i < 64; i++) {
        char path[128], line[512];
        snprintf(path, sizeof path, "/sys/bus/virtio/devices/virtio%d/device", i);
        FILE *f = fopen(path, "r");
        if (!f)
            continue;
        int is_balloon = fgets(line, sizeof line, f) && strtol(line, NULL, 16) == 5;
        fclose(f);
        if (!is_balloon)
            continue;
        snprintf(path, sizeof path, "/sys/bus/virtio/devices/virtio%d/features", i);
        if ((f = fopen(path, "r")) == NULL)
            continue;
        if (fgets(line, sizeof line, f) && strlen(line) > 5)
            found = line[5] == '1';
        fclose(f);
    }
    return found;
}

extern char **environ;

/* Environment variables that steer an allocator (read when it loads):
 * a run started with MALLOC_CONF=... measured a different jemalloc. */
static json_t *allocator_env(void)
{
    static const char *const prefixes[] = { "MALLOC_", "MIMALLOC_", "TCMALLOC_", "GLIBC_TUNABLES=",
                                            "LD_PRELOAD=", NULL };
    json_t *o = json_object();
    for (char **e = environ; *e; e++)
        for (const char *const *p = prefixes; *p; p++)
            if (strncmp(*e, *p, strlen(*p)) == 0 && strchr(*e, '=')) {
                const char *eq = strchr(*e, '=');
                char name[256];
                snprintf(name, sizeof name, "%.*s", (int)(eq - *e), *e);
                json_object_set_new(o, name, json_string(eq + 1));
                break;
            }
    return o;
}

json_t *gcb_context_json(void)
{
    static json_t *cached;
    if (cached)
        return json_deep_copy(cached);
    json_t *c = json_object();
    struct utsname u;
    char buf[512];
    if (uname(&u) == 0) {
        json_object_set_new(c, GCB_K_HOST, json_string(gcb_host_name()));
        json_object_set_new(c, GCB_K_KERNEL, json_string(u.release));
        json_object_set_new(c, GCB_K_ARCH, json_string(u.machine));
    }
    cpu_model(buf, sizeof buf);
    json_object_set_new(c, GCB_K_CPU_MODEL, json_string(buf));
    json_object_set_new(c, GCB_K_CPU_COUNT, json_integer(sysconf(_SC_NPROCESSORS_ONLN)));
    json_object_set_new(c, GCB_K_MEMORY,
                        json_integer((json_int_t)sysconf(_SC_PHYS_PAGES) * sysconf(_SC_PAGESIZE)));
    json_object_set_new(c, GCB_K_COMPILER, json_string(GCB_COMPILER));
    json_object_set_new(c, GCB_K_VERSION, json_string(GCB_VERSION));
    json_t *libs = json_object();
    json_object_set_new(libs, "jansson", json_string(GCB_JANSSON_VERSION));
    json_object_set_new(libs, "jemalloc", json_string(GCB_JEMALLOC_VERSION));
    json_object_set_new(libs, "mimalloc", json_string(GCB_MIMALLOC_VERSION));
    json_object_set_new(libs, "tcmalloc", json_string(GCB_TCMALLOC_VERSION));
    json_object_set_new(libs, "benchmark", json_string(GCB_BENCHMARK_VERSION));
    json_object_set_new(libs, "malloc_in_effect", json_string(gcb_preload_version()));
    json_object_set_new(c, GCB_K_LIBRARIES, libs);
    thp_mode(buf, sizeof buf);
    json_object_set_new(c, GCB_K_THP, json_string(buf));
    json_object_set_new(c, "allocator_env", allocator_env());
    int fpr = vm_free_page_reporting();
    json_object_set_new(c, GCB_K_FPR, fpr < 0 ? json_null() : json_boolean(fpr));
    git_commit(buf, sizeof buf);
    json_object_set_new(c, GCB_K_GIT_COMMIT, json_string(buf));
    cached = c;
    return json_deep_copy(cached);
}
