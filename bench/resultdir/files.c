/*
 * bench/resultdir/files.c - writing result files so that a crash or a kill never
 * leaves a half-written one: the text goes to a temporary name in the same
 * directory, is fsynced, renamed over the target, and the directory is
 * fsynced so the rename itself survives a power cut.
 */
#include "bench/resultdir/files.h"
#include "util/outpath.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int gcb_mkdir_p(const char *path)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            if (mkdir(buf, 0755) != 0 && errno != EEXIST)
                return -1;
            *p = '/';
        }
    return mkdir(buf, 0755) != 0 && errno != EEXIST ? -1 : 0;
}

int gcb_dir_writable(const char *dir)
{
    struct stat st;
    return stat(dir, &st) == 0 && S_ISDIR(st.st_mode) && access(dir, W_OK | X_OK) == 0;
}

/* util/outpath.c holds the rule (temp + rename for regular files and new
 * paths, write-through for devices and FIFOs, refusal of the rest). */
int gcb_write_text_atomic(const char *path, const char *text, char *err, size_t errlen)
{
    return gcb_outpath_write(path, text, strlen(text), err, errlen);
}

int gcb_write_json_atomic(const char *path, json_t *root, char *err, size_t errlen)
{
    char *text = json_dumps(root, JSON_INDENT(2) | JSON_SORT_KEYS);
    if (!text) {
        snprintf(err, errlen, "cannot encode JSON for '%s'", path);
        return -1;
    }
    size_t n = strlen(text);
    char *line = malloc(n + 2);
    if (!line) {
        free(text);
        snprintf(err, errlen, "out of memory writing '%s'", path);
        return -1;
    }
    memcpy(line, text, n);
    line[n] = '\n';
    line[n + 1] = '\0';
    free(text);
    int rc = gcb_write_text_atomic(path, line, err, errlen);
    free(line);
    return rc;
}
