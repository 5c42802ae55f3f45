"""The seed notes' idioms, in a loop, for allocation traces.

    gcbench trace -o seed.gcbtrace -- python3 workloads/traces/seed_idioms.py [N]

Every idiom of shared/seeds/ appears: a = a + 3, aliasing of one list
(myListOne/myListTwo), rebinding (p1/p2), slicing copies (h1[:]),
copy.copy and copy.deepcopy, == against is, sys.getrefcount, x = None,
and the A/B reference cycle freed by gc.collect().  Deterministic: no
randomness, no hashing of str keys that depends on PYTHONHASHSEED.
"""
import copy
import gc
import sys


class A:
    def __init__(self):
        self.b = None


class B:
    def __init__(self):
        self.a = None


def main(n):
    score = 10
    another_score = score
    total = sys.getrefcount(score) > 0 and another_score is score
    keep = []
    for i in range(n):
        a = 1000 + i
        a = a + 3                       # a new int
        x = 5.0 * i
        x = None
        myListOne = [i, i + 1, i + 2]
        myListTwo = myListOne
        myListOne[0] = 44 + i           # seen through myListTwo
        total += myListTwo[0] == myListOne[0]
        p1 = [1, 2, 3]
        p2 = p1
        p2 = [1, 2, 3]                  # a new list
        p1[0] = 44
        h1 = [i, [i, i + 1], "s%d" % i]
        h2 = h1[:]                      # a copy
        h1[0] = -i
        h3 = copy.copy(h1)
        h4 = copy.deepcopy(h1)
        h1[1][0] = 99                   # seen by h2 and h3, not h4
        total += (h2 == h1) + (h3 is h1) + (h4[1][0] != 99)
        m = myListTwo
        total += (m == myListOne) + (m is myListOne)
        m = [44 + i, i + 1, i + 2]
        total += (m == myListOne) + (m is myListOne)
        s = "x" * (i % 64)
        s = s + str(a)                  # strings: a new object each time
        if i % 10 == 0:
            ca, cb = A(), B()
            ca.b = cb
            cb.a = ca                   # a cycle, dropped at the next rebinding
        if i % 100 == 0:
            keep.append(h4)
        if i % 1000 == 999:
            gc.collect()
    return total + len(keep)


if __name__ == "__main__":
    print(main(int(sys.argv[1]) if len(sys.argv) > 1 else 20000))
