/*
 * bench/resultdir/files.h - writing files the way a result directory needs:
 * atomically (temp + fsync + rename + fsync of the directory), and the
 * directories they go in.
 */
#ifndef GCB_FILES_H
#define GCB_FILES_H

#include <jansson.h>
#include <stddef.h>

/* Write text to path atomically (temp + fsync + rename + fsync dir);
 * -1 with a message. */
int gcb_write_text_atomic(const char *path, const char *text, char *err, size_t errlen);
/* The same for a JSON document (indented, keys sorted, final newline). */
int gcb_write_json_atomic(const char *path, json_t *root, char *err, size_t errlen);
/* mkdir -p: create dir and its missing parents (0755); 0, or -1 with errno. */
int gcb_mkdir_p(const char *path);
/* Does a directory exist and can we create files in it? */
int gcb_dir_writable(const char *dir);
#endif
