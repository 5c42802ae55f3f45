/*
 * bench/trace/capture.h - `gcbench trace` without its argv: run a command
 * under libgcbtrace.so and check the trace it leaves (capture.c; the
 * options are bench/cli/cmd_trace.c's).
 */
#ifndef GCB_TRACE_CAPTURE_H
#define GCB_TRACE_CAPTURE_H

/* Run cmd (cmd[0] the program, NULL-terminated) recording its allocations
 * into outpath.  Messages on stderr ("gcbench: ..."); returns the exit
 * status: 0 success, 1 CMD failed or left no complete trace, 2 bad input
 * (no recorder library, an output path that is not a regular file, a
 * program that cannot be run). */
int gcb_trace_capture(const char *outpath, char *const *cmd);

#endif
