"""workloads/python/trees.py - twin of workloads/trees.c: GCBench's Python
port (instances) and the Benchmarks Game's binary-trees (tuples), with the
same scale rule (floor(scale) whole runs, then the share f of every phase;
workloads/trees.c explains it) so ops and checksum agree."""
import sys

from gcbrng import mix, whash

OPS_UNIT = "tree nodes allocated"
PARAMS = [
    ("scale", float, "1", 0.001, 1e6, None),
    ("variant", str, "gcbench", 0, 0, "gcbench|binarytrees"),
    ("depth", int, "0", 0, 30, None),
    ("verbose", int, "0", 0, 2, None),
]
MIN_DEPTH = 4


def tree_size(d):
    return (1 << (d + 1)) - 1


def phase_share(n, depth, f):
    """(count, depth) of the share f of a phase of n trees of `depth`."""
    if f >= 1.0:
        return n, depth
    k = 0
    while k < depth and f * float(n) * float(1 << k) < 8.0:
        k += 1
    return int(f * float(n) * float(1 << k) + 0.5), depth - k


def forest_share(depth, f):
    c, d = phase_share(1, depth, f)
    return max(c, 1), d


def count_share(n, f):
    return n if f >= 1.0 else int(f * float(n) + 0.5)


class Counter:
    """Nodes made, counted per phase from the trees' sizes (a counter bumped
    in Node.__init__ would allocate an int per node in the interpreter)."""
    made = 0


def made(phases, name, n):
    phases[name] += n
    Counter.made += n


# --- GCBench ----------------------------------------------------------------

class Node:
    def __init__(self, l=None, r=None):
        self.left = l
        self.right = r
        self.i = 0
        self.j = 0


def populate(depth, node):
    if depth <= 0:
        return
    depth -= 1
    node.left = Node()
    node.right = Node()
    populate(depth, node.left)
    populate(depth, node.right)


def make_tree(depth):
    return Node() if depth <= 0 else Node(make_tree(depth - 1), make_tree(depth - 1))


def count(n):
    return 0 if n is None else 1 + count(n.left) + count(n.right)


def long_count(l):
    return sum(count(x) for x in l) if type(l) is list else count(l)


def say(verbose, text):
    if verbose:
        sys.stderr.write(text + "\n")


def run_gcbench(depth, frac, verbose, h, phases):
    stretch = depth + 2
    array_size = 500000 << (depth - 16) if depth >= 16 else 500000 >> (16 - depth)
    array_size = max(count_share(max(array_size, 2002), frac), 4)
    check_at = min(array_size // 2 - 1, 1000)
    c, d = forest_share(stretch, frac)
    say(verbose, "Garbage Collector Test\n Stretching memory with a binary tree of depth %d" % d)
    nodes = 0
    for _ in range(c):
        temp = make_tree(d)
        nodes += count(temp)
        temp = None
    h = mix(h, nodes)
    made(phases, "stretch", c * tree_size(d))

    c, d = forest_share(depth, frac)
    say(verbose, " Creating a long-lived binary tree of depth %d" % d)
    long_lived = [] if frac < 1.0 else None
    for _ in range(c):
        node = Node()
        if frac < 1.0:
            long_lived.append(node)
        else:
            long_lived = node
        populate(d, node)
    node = None
    made(phases, "long_lived", c * tree_size(d))

    say(verbose, " Creating a long-lived array of %d doubles" % array_size)
    array = [0.0] * array_size
    for i in range(1, array_size // 2):
        array[i] = 1.0 / i
    phases["array"] += array_size // 2

    for d0 in range(MIN_DEPTH, depth + 1, 2):
        iters, d = phase_share(2 * tree_size(stretch) // tree_size(d0), d0, frac)
        say(verbose, "Creating %d trees of depth %d" % (iters, d))
        for i in range(iters):                  # top down
            temp = Node()
            populate(d, temp)
            if i == 0:
                h = mix(h, count(temp))
            temp = None
        for i in range(iters):                  # bottom up
            temp = make_tree(d)
            if i == 0:
                h = mix(h, count(temp))
            temp = None
        made(phases, "depth%d" % d0, 2 * iters * tree_size(d))

    ok = long_lived is not None and array[check_at] == 1.0 / check_at
    if verbose and not ok:
        sys.stderr.write("Failed\n")
    h = mix(h, ok)
    h = mix(h, long_count(long_lived))
    for i in range(0, len(array), 97):
        h = whash(h, array[i], 0)
    return h


# --- binary-trees -------------------------------------------------------------

LEAF = (None, None)             # a code constant: leaves allocate nothing


def bt_make(d):
    if d > 0:
        d -= 1
        return (bt_make(d), bt_make(d))
    return LEAF


def bt_check(node):
    (l, r) = node
    return 1 if l is None else 1 + bt_check(l) + bt_check(r)


def run_binarytrees(n, frac, verbose, h, phases):
    max_depth = max(MIN_DEPTH + 2, n)
    stretch = max_depth + 1
    c, d = forest_share(stretch, frac)
    check = 0
    for _ in range(c):
        check += bt_check(bt_make(d))
    if frac >= 1.0:
        say(verbose, "stretch tree of depth %d\t check: %d" % (d, check))
    else:
        say(verbose, "%d stretch trees of depth %d\t check: %d" % (c, d, check))
    h = mix(h, check)
    made(phases, "stretch", c * ((1 << d) - 1))      # a tree of depth d is 2^d - 1 tuples

    if frac >= 1.0:
        long_lived = bt_make(max_depth)
        made(phases, "long_lived", (1 << max_depth) - 1)
    else:
        c, d = forest_share(max_depth, frac)
        long_lived = [bt_make(d) for _ in range(c)]
        made(phases, "long_lived", c * ((1 << d) - 1))

    for d0 in range(MIN_DEPTH, stretch, 2):
        iters, d = phase_share(1 << (max_depth - d0 + MIN_DEPTH), d0, frac)
        cs = sum(bt_check(bt_make(d)) for _ in range(iters))
        say(verbose, "%d\t trees of depth %d\t check: %d" % (iters, d, cs))
        h = mix(mix(h, iters), cs)
        made(phases, "depth%d" % d0, iters * ((1 << d) - 1))
    check = sum(bt_check(x) for x in long_lived) if type(long_lived) is list else bt_check(long_lived)
    say(verbose, "long lived tree of depth %d\t check: %d" % (max_depth, check))
    return mix(h, check)


def run(p, seed):
    binarytrees = p["variant"] == "binarytrees"
    depth = p["depth"] or (16 if binarytrees else 12)
    scale, verbose = p["scale"], p["verbose"]
    whole = int(scale)
    frac = scale - float(whole)
    Counter.made = 0
    top = max(depth, 6) if binarytrees else depth
    phases = {"stretch": 0, "long_lived": 0, "array": 0}
    for d0 in range(MIN_DEPTH, top + 1, 2):
        phases["depth%d" % d0] = 0
    h = 0
    for r in range(whole + 1):
        share = 1.0 if r < whole else frac
        if share <= 0.0:
            break
        if binarytrees:
            h = run_binarytrees(depth, share, verbose > 0, h, phases)
        else:
            h = run_gcbench(depth, share, verbose > 0, h, phases)
    if verbose >= 2:
        for k, v in phases.items():
            if k != "array" or v:
                sys.stderr.write("phase %s %d\n" % (k, v))
    return Counter.made, h, 0
