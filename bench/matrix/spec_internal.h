/*
 * bench/matrix/spec_internal.h - what the spec files share that is not
 * the spec's interface (that is spec.h).
 */
#ifndef GCB_SPEC_INTERNAL_H
#define GCB_SPEC_INTERNAL_H

/* "spec.c" */
/* s without its leading and trailing white space (cut in place). */
char *gcb__spec_trim(char *s);

#endif
