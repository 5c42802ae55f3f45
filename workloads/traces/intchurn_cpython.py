# The intchurn loop in real Python, to compare pymalloc with the C library malloc
# under CPython itself: python3 intchurn_cpython.py vs PYTHONMALLOC=malloc python3 intchurn_cpython.py
# (docs/performance.md section 1).  Prints the loop time in seconds.
import time
def f(n):
    a = 5
    lst = None
    for i in range(n):
        a = (i * 7919) % 1000000 + 1000
        a = a + 3
        b = a * 2
        if i % 8 == 0:
            lst = [a + j for j in range(8)]
    return a
t = time.perf_counter(); f(3_000_000); print(time.perf_counter() - t)
