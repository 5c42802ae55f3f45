/*
 * tests/trace_prog.c - a program with a known allocation sequence, for the
 * trace round trip (tests/trace.sh): 1,000 rounds of malloc, calloc,
 * realloc (grow), posix_memalign, aligned_alloc and free, then 10 blocks
 * left live at exit.  It prints nothing, so libc adds no buffer of its own.
 * Expected per round: 4 allocating calls + 1 realloc + 4 frees = 9 events.
 */
#include <stdlib.h>
#include <string.h>

int main(void)
{
    static void *keep[10];
    for (int i = 0; i < 1000; i++) {
        char *a = malloc(16 + (size_t)i % 700);
        char *b = calloc(4, 8 + (size_t)i % 50);
        a[0] = (char)i;
        a = realloc(a, 2000 + (size_t)i);
        void *c = NULL;
        if (posix_memalign(&c, 64, 100) != 0)
            return 1;
        void *d = aligned_alloc(32, 256);
        memset(d, 1, 256);
        free(a);
        free(b);
        free(c);
        free(d);
    }
    for (int i = 0; i < 10; i++)
        keep[i] = malloc(48);
    return keep[9] == NULL;
}
