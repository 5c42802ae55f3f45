/*
 * util/outpath.c - output paths checked before work and written by kind
 * (see outpath.h for the rule).
 *
 * The kind is decided again at write time, from lstat/stat of the path
 * then, so a check made before a long run and the write after it agree
 * unless the path changed meanwhile - and a path that became a directory
 * or a device meanwhile is still never replaced.
 */
#include "util/outpath.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* /dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N: N, else -1 */
static int fd_of(const char *path)
{
    if (strcmp(path, "/dev/stdout") == 0)
        return 1;
    if (strcmp(path, "/dev/stderr") == 0)
        return 2;
    const char *n = NULL;
    if (strncmp(path, "/dev/fd/", 8) == 0)
        n = path + 8;
    else if (strncmp(path, "/proc/self/fd/", 14) == 0)
        n = path + 14;
    if (!n || !*n || strspn(n, "0123456789") != strlen(n) || strlen(n) > 6)
        return -1;
    return atoi(n);
}

/* The kind of an existing or absent path, or -1 with why in *why. */
static int kind_of(const char *path, const char **why, char *target, size_t tlen)
{
    struct stat st;
    snprintf(target, tlen, "%s", path);
    if (!*path) {
        *why = "the path is empty";
        return -1;
    }
    if (fd_of(path) >= 0)
        return GCB_OUT_FD;
    if (lstat(path, &st) != 0) {
        if (errno != ENOENT) {
            *why = strerror(errno);
            return -1;
        }
        return GCB_OUT_REPLACE;
    }
    if (S_ISLNK(st.st_mode)) {
        char *real = realpath(path, NULL);
        if (!real || stat(real, &st) != 0) {
            free(real);
            *why = "it is a symbolic link to nothing that exists";
            return -1;
        }
        snprintf(target, tlen, "%s", real);
        free(real);
    }
    if (S_ISREG(st.st_mode))
        return GCB_OUT_REPLACE;
    if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode))
        return GCB_OUT_THROUGH;
    *why = S_ISDIR(st.st_mode) ? "it is a directory" : "it is neither a regular file, a character device nor a FIFO";
    return -1;
}

static int parent_writable(const char *path, const char **why)
{
    char buf[PATH_MAX];
    snprintf(buf, sizeof buf, "%s", path);
    const char *dir = dirname(buf);
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        *why = "its directory does not exist";
        return -1;
    }
    if (access(dir, W_OK | X_OK) != 0) {
        *why = "its directory is not writable";
        return -1;
    }
    return 0;
}

int gcb_outpath_check(const char *what, const char *path, int allow_through, char *err, size_t errlen)
{
    const char *why = NULL;
    char target[PATH_MAX];
    int kind = kind_of(path, &why, target, sizeof target);
    if (kind == GCB_OUT_REPLACE && parent_writable(target, &why) == 0)
        return 0;
    if (kind != GCB_OUT_REPLACE && kind >= 0) {
        if (allow_through)
            return 0;
        why = "it is not a regular file";
    }
    snprintf(err, errlen, "%s '%s': %s; give a regular file or a new path in a writable directory%s",
             what, path, why, allow_through ? " (or /dev/stdout, /dev/null)" : "");
    return -1;
}

static int write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, p + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return -1;
        if (w == 0) {
            errno = EIO;
            return -1;
        }
        off += (size_t)w;
    }
    return 0;
}

/* temp + fsync + rename + fsync of the directory; the temp is removed on
 * any failure, so no partial file is left under any name. */
static int replace(const char *path, const void *data, size_t len, char *err, size_t errlen)
{
    char tmp[PATH_MAX + 32];
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        int e = errno;
        snprintf(err, errlen, "cannot write '%s': %s", path, strerror(e));
        errno = e;
        return -1;
    }
    int e = 0;
    if (write_all(fd, data, len) != 0 || fsync(fd) != 0)
        e = errno;
    if (close(fd) != 0 && !e)
        e = errno;
    if (!e && rename(tmp, path) != 0)
        e = errno;
    if (e) {
        unlink(tmp);
        snprintf(err, errlen, "cannot write '%s': %s", path, strerror(e));
        errno = e; /* callers tell a full disk from the rest */
        return -1;
    }
    char d[PATH_MAX];
    snprintf(d, sizeof d, "%s", path);
    int dfd = open(dirname(d), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    return 0;
}

int gcb_outpath_write(const char *path, const void *data, size_t len, char *err, size_t errlen)
{
    const char *why = NULL;
    char target[PATH_MAX];
    int kind = kind_of(path, &why, target, sizeof target);
    if (kind < 0) {
        snprintf(err, errlen, "cannot write '%s': %s", path, why);
        return -1;
    }
    if (kind == GCB_OUT_REPLACE)
        return replace(target, data, len, err, errlen);
    int fd = kind == GCB_OUT_FD ? fd_of(path) : open(path, O_WRONLY | O_CLOEXEC);
    int rc = fd < 0 ? -1 : write_all(fd, data, len);
    int e = errno;
    if (kind == GCB_OUT_THROUGH && fd >= 0 && close(fd) != 0 && rc == 0) {
        rc = -1;
        e = errno;
    }
    if (rc) {
        snprintf(err, errlen, "cannot write '%s': %s", path, strerror(e));
        errno = e;
        return -1;
    }
    return 0;
}

int gcb_outdir_check(const char *what, const char *path, char *err, size_t errlen)
{
    char buf[PATH_MAX];
    struct stat st;
    if (!*path) {
        snprintf(err, errlen, "%s '': the path is empty; give a directory", what);
        return -1;
    }
    snprintf(buf, sizeof buf, "%s", path);
    /* the nearest existing ancestor decides (mkdir -p creates the rest) */
    while (stat(buf, &st) != 0) {
        if (errno != ENOENT || strcmp(buf, "/") == 0 || strcmp(buf, ".") == 0)
            break;
        char tmp[PATH_MAX];
        snprintf(tmp, sizeof tmp, "%s", buf);
        snprintf(buf, sizeof buf, "%s", dirname(tmp));
    }
    const char *why = NULL;
    if (stat(buf, &st) != 0)
        why = strerror(errno);
    else if (!S_ISDIR(st.st_mode))
        why = strcmp(buf, path) == 0 ? "it exists and is not a directory" : "a part of it is not a directory";
    else if (access(buf, W_OK | X_OK) != 0)
        why = "it is not writable";
    if (!why)
        return 0;
    snprintf(err, errlen, "%s '%s': %s; give a writable directory or a new path", what, path, why);
    return -1;
}
