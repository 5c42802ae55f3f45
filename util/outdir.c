/*
 * util/outdir.c - a new output directory written under a temporary name
 * and renamed whole (see outdir.h).
 */
#include "util/outdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* 1 when `path` is a directory with no entry */
static int empty_dir(const char *path)
{
    DIR *d = opendir(path);
    if (!d)
        return 0;
    struct dirent *e;
    int empty = 1;
    while (empty && (e = readdir(d)))
        empty = strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0;
    closedir(d);
    return empty;
}

static void parent_of(const char *path, char *out, size_t n)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", path);
    snprintf(out, n, "%s", dirname(buf));
}

int gcb_outdir_new_check(const char *what, const char *path, char *err, size_t errlen)
{
    struct stat st;
    char parent[4096];
    const char *why = NULL;
    parent_of(path, parent, sizeof parent);
    if (!*path)
        why = "the path is empty";
    else if (lstat(path, &st) == 0 && !(S_ISDIR(st.st_mode) && empty_dir(path)))
        why = "it exists and is not an empty directory";
    else if (stat(parent, &st) != 0 || !S_ISDIR(st.st_mode))
        why = "its parent directory does not exist";
    else if (access(parent, W_OK | X_OK) != 0)
        why = "its parent directory is not writable";
    if (!why)
        return 0;
    snprintf(err, errlen, "%s '%s': %s; give a new directory in a writable one", what, path, why);
    return -1;
}

int gcb_outdir_begin(gcb_outdir_t *d, const char *path, char *err, size_t errlen)
{
    char parent[4096], base[4096];
    snprintf(d->target, sizeof d->target, "%s", path);
    parent_of(path, parent, sizeof parent);
    snprintf(base, sizeof base, "%s", path);
    snprintf(d->tmp, sizeof d->tmp, "%s/.%s.tmp.%ld", parent, basename(base), (long)getpid());
    if (mkdir(d->tmp, 0755) != 0) {
        int e = errno;
        snprintf(err, errlen, "cannot create '%s': %s", d->tmp, strerror(e));
        errno = e;
        return -1;
    }
    return 0;
}

void gcb_outdir_abort(gcb_outdir_t *d)
{
    int e = errno;
    DIR *dir = opendir(d->tmp);
    if (dir) {
        struct dirent *ent;
        char p[8400];
        while ((ent = readdir(dir)))
            if (strcmp(ent->d_name, ".") != 0 && strcmp(ent->d_name, "..") != 0) {
                snprintf(p, sizeof p, "%s/%s", d->tmp, ent->d_name);
                unlink(p);
            }
        closedir(dir);
    }
    rmdir(d->tmp);
    errno = e;
}

int gcb_outdir_commit(gcb_outdir_t *d, char *err, size_t errlen)
{
    if (rename(d->tmp, d->target) != 0) {
        int e = errno;
        snprintf(err, errlen, "cannot create '%s': %s", d->target, strerror(e));
        gcb_outdir_abort(d);
        errno = e;
        return -1;
    }
    char parent[4096];
    parent_of(d->target, parent, sizeof parent);
    int fd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    return 0;
}

void gcb_outdir_fail(gcb_outdir_t *d, const char *cmd, const char *err)
{
    int e = errno;
    gcb_outdir_abort(d);
    if (e == ENOSPC || e == EDQUOT)
        fprintf(stderr, "gcbench: %s: no space left on the disk of '%s' (%s); free space and %s again: nothing "
                        "was written\n", cmd, d->target, err, cmd);
    else
        fprintf(stderr, "gcbench: %s: %s; nothing was written\n", cmd, err);
    exit(1); /* GCB_EXIT_FAIL (bench/exit.h) */
}
