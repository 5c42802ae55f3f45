#!/usr/bin/env python3
"""tests/heatmap.py - the numbers of gcbench plot's heatmaps, computed again
from runs.jsonl without any of gcbench's code (tests/plot.sh drives it).

  heatmap.py synth MATRIX_DIR OUT_DIR
      Write a result directory with known values: 7 collectors x 2 allocators
      (14 configurations, more than the bar figures take) x 2 workloads,
      5 runs a cell, from MATRIX_DIR's records (one ok, one failed) as
      templates.  Some cells are far from glibc/rc, some within its noise;
      pool/lazy on cycles fails every run, pool/gen on intchurn 2 of 5, and
      pool/marksweep has no cycles cell.  Pauses: none under rc, none in
      pool/trialdel on cycles, in 3 of 5 runs of glibc/lazy on intchurn,
      a few hundred ns to tens of ms elsewhere.
  heatmap.py check RESULT_DIR DAT METRIC BASELINE
      Check every line of a heatmap data file (columns: docs/plots.md)
      against medians, ratios and Mann-Whitney p-values computed here.
      Prints one line per disagreement and a summary line
      "cells=N ratio=N fail=N none=N significant=N tested=N"; exit 1 on any
      disagreement.
  heatmap.py pauses RESULT_DIR DAT
      Check every line of gc_pauses_heatmap.dat against the medians of the
      records' gc.pause_ns.p99 (the runs that paused), the longest
      gc.pause_ns.max, the text printed, and which configurations have a
      row (those with a pause or a cell whose runs all failed); a cell
      without a collection must have no number.  Summary line
      "cells=N pauses=N fail=N nopause=N none=N some_paused=N rows=N";
      exit 1 on any disagreement.
  heatmap.py timeline RESULT_DIR PLOT_DIR WORKLOAD BASELINE [FILTER...]
      Check timeline_WORKLOAD (.dat and .gp) against runs.jsonl: each data
      block equals the timeline of the run it names, which is the cell's
      run with the lower-median ops/s; the columns hold the cells they
      should (no FILTER: (a) every allocator under BASELINE's collector and
      (b) every collector under its allocator, a column of one line left
      out; with FILTERs (shell patterns over cell names or KEY=VALUE,...):
      one column of the cells matching any); each line is drawn in both
      panels of its column, with its key entry in the same colour, dash and
      marker; within a column colours are distinct and so are (colour,
      dash, marker); no collector colour is an allocator colour.  Summary
      "columns=N lines=N points=N"; exit 1 on any disagreement.
  heatmap.py overlap SVG
      Fail when two texts of the figure overlap or one leaves the canvas:
      each text's box estimated
      at the size pngcairo draws it (4/3 of the SVG's: points at 96 dpi),
      8 px per character at 10 points.
"""
import fnmatch
import itertools
import json
import math
import re
import shlex
import statistics
import sys

COLLECTORS = ["rc", "gen", "drc", "lazy", "trialdel", "marksweep", "incremental"]
ALLOCATORS = ["glibc", "pool"]
WORKLOADS = ["intchurn", "cycles"]
# ops/s factors against glibc/rc: far (the U test must find them) and near
# (1.01: the runs interleave with the baseline's)
FACTORS = [1.0, 1.01, 1.5, 0.5, 1.2, 0.99, 2.0, 0.25, 1.005, 0.8, 3.0, 1.0, 0.7, 1.3]


def synth(src, out):
    import os
    import glob
    d = glob.glob(os.path.join(src, "*", "runs.jsonl"))[0]
    lines = [json.loads(x) for x in open(d)]
    ok = next(x for x in lines if x["status"] == "ok")
    failed = next((x for x in lines if x["status"] != "ok"), None)
    run = json.load(open(os.path.join(os.path.dirname(d), "run.json")))
    run["spec"]["collectors"] = COLLECTORS
    run["spec"]["allocators"] = ALLOCATORS
    run["spec"]["workloads"] = WORKLOADS
    run["spec"]["reps"] = 5
    os.makedirs(out, exist_ok=True)
    json.dump(run, open(os.path.join(out, "run.json"), "w"))
    with open(os.path.join(out, "runs.jsonl"), "w") as f:
        k = 0
        for w, wl in enumerate(WORKLOADS):
            for c, coll in enumerate(COLLECTORS):
                for a, alloc in enumerate(ALLOCATORS):
                    if (alloc, coll, wl) == ("pool", "marksweep", "cycles"):
                        continue
                    factor = FACTORS[(c * len(ALLOCATORS) + a + w) % len(FACTORS)]
                    for rep in range(5):
                        fail = (alloc, coll, wl) == ("pool", "lazy", "cycles") or \
                               ((alloc, coll, wl) == ("pool", "gen", "intchurn") and rep < 2)
                        x = json.loads(json.dumps(failed if fail and failed else ok))
                        x.update(allocator=alloc, collector=coll, workload=wl, repetition=rep, order_index=k,
                                 cell="%s/%s/%s/scale=0.01" % (alloc, coll, wl), params={"scale": "0.01"})
                        if fail:
                            x["status"] = "failed"
                        # no ties: distinct values in every cell and between cells
                        x["ops_per_sec"] = (1e6 * (w + 1)) * factor * (1 + 0.02 * rep) + 7 * k
                        # the wait4 figure counts (docs/plots.md); the process's own is smaller
                        x["process"]["peak_rss_bytes"] = 4096 * (1000 + 10 * c + 3 * a + rep)
                        x["peak_rss_bytes"] = x["process"]["peak_rss_bytes"] - 8192
                        paused = coll != "rc" and (alloc, coll, wl) != ("pool", "trialdel", "cycles") and \
                            not ((alloc, coll, wl) == ("glibc", "lazy", "intchurn") and rep < 2)
                        # p99 from ~300 ns (gen) to ~30 ms (incremental on cycles): 5 decades
                        p99 = int(300 * 10 ** (c * 0.8 + w * 0.5) * (1 + 0.1 * a) * (1 + 0.03 * rep)) if paused else 0
                        x.setdefault("gc", {})["pause_ns"] = {
                            "count": 10 + rep if paused else 0, "p50": p99 // 3, "p90": p99 // 2, "p99": p99,
                            "p999": p99, "max": p99 * (2 + rep) if paused else 0, "total": p99 * 10}
                        f.write(json.dumps(x) + "\n")
                        k += 1


def mwu_exact_p(a, b):
    """Two-sided exact Mann-Whitney p by enumerating every split of the
    pooled values (no ties)."""
    pooled = a + b
    def u_of(idx):
        s = set(idx)
        xa = [pooled[i] for i in idx]
        xb = [pooled[i] for i in range(len(pooled)) if i not in s]
        return sum(1 for p in xa for q in xb if p > q)
    u = u_of(range(len(a)))
    us = [u_of(idx) for idx in itertools.combinations(range(len(pooled)), len(a))]
    lo = sum(1 for v in us if v <= u) / len(us)
    hi = sum(1 for v in us if v >= u) / len(us)
    return min(1.0, 2 * min(lo, hi))


def close(x, y, rel=1e-5):
    return abs(x - y) <= rel * max(abs(x), abs(y), 1e-300)


def read_dat(dat):
    """A heatmap data file: {row: label}, {column: label}, the lines' fields."""
    rows, cols, data = {}, {}, []
    for line in open(dat, encoding="utf-8"):
        if line.startswith("# row "):
            n, label = line[len("# row "):].rstrip("\n").split(": ", 1)
            rows[int(n)] = label
        elif line.startswith("# column "):
            n, label = line[len("# column "):].rstrip("\n").split(": ", 1)
            cols[int(n)] = label
        elif line.strip() and not line.startswith("#"):
            data.append(shlex.split(line))
    return rows, cols, data


def check(rdir, dat, metric, baseline):
    cells = {}
    for line in open(rdir + "/runs.jsonl"):
        r = json.loads(line)
        key = (r["allocator"] + "/" + r["collector"], r["workload"])
        c = cells.setdefault(key, {"ok": [], "failed": 0})
        if r["status"] == "ok":
            # peak RSS: the parent's wait4 figure when the record has one (docs/plots.md)
            c["ok"].append(r.get("process", {}).get(metric, r[metric]) if metric == "peak_rss_bytes" else r[metric])
        else:
            c["failed"] += 1
    rows, cols, data = read_dat(dat)
    bad = []
    count = {"cells": 0, "ratio": 0, "fail": 0, "none": 0, "significant": 0, "tested": 0}
    seen = set()
    for f in data:
        r, w = int(f[0]), int(f[1])
        series, wl = rows[r], cols[w]
        where = "%s on %s" % (series, wl)
        seen.add((r, w))
        count["cells"] += 1
        if f[11] != series or f[12] != wl:
            bad.append("%s: line names %s on %s" % (where, f[11], f[12]))
        c = cells.get((series, wl))
        if c is None:
            count["none"] += 1
            if f[2:7] != ["?", "?", "", "-1", "0"]:
                bad.append("%s: no such cell, yet the line says %s" % (where, f[2:7]))
            continue
        if (int(f[9]), int(f[10])) != (len(c["ok"]), c["failed"]):
            bad.append("%s: runs %s ok + %s failed, expected %d + %d" % (where, f[9], f[10], len(c["ok"]),
                                                                         c["failed"]))
        if not c["ok"]:
            count["fail"] += 1
            if f[2:7] != ["?", "?", "fail", "-1", "2"] or f[7] != "?" or f[8] != "?":
                bad.append("%s: every run failed, yet the line says %s" % (where, f[2:9]))
            continue
        b = cells[(baseline, wl)]
        ratio = statistics.median(c["ok"]) / statistics.median(b["ok"])
        count["ratio"] += 1
        if f[6] != "1" or f[3] == "?" or not close(float(f[3]), ratio):
            bad.append("%s: ratio %s, expected %.6g" % (where, f[3], ratio))
            continue
        if not close(float(f[2]), math.log2(ratio)) and abs(float(f[2]) - math.log2(ratio)) > 1e-5:
            bad.append("%s: log2 %s, expected %.6g" % (where, f[2], math.log2(ratio)))
        if not close(float(f[4]), float("%.2g" % ratio), 1e-9):
            bad.append("%s: printed %s, expected %.2g" % (where, f[4], ratio))
        if not close(float(f[8]), statistics.median(c["ok"])):
            bad.append("%s: median %s, expected %.6g" % (where, f[8], statistics.median(c["ok"])))
        ties = len(set(c["ok"] + b["ok"])) < len(c["ok"]) + len(b["ok"])
        if not ties and max(len(c["ok"]), len(b["ok"])) <= 8:
            p = mwu_exact_p(b["ok"], c["ok"])
            count["tested"] += 1
            count["significant"] += p < 0.05
            # the data file has 6 significant digits
            if not close(float(f[7]), p) or f[5] != ("1" if p < 0.05 else "0"):
                bad.append("%s: p %s significant %s, expected p %.6g" % (where, f[7], f[5], p))
    if len(seen) != len(rows) * len(cols) or len(data) != len(seen):
        bad.append("%d lines for %d cells of %d rows x %d columns" % (len(data), len(seen), len(rows), len(cols)))
    for key in cells:
        if key[0] not in rows.values() or key[1] not in cols.values():
            bad.append("%s on %s has runs but no row or column" % key)
    for b in bad:
        print("heatmap.py: " + b)
    print(" ".join("%s=%d" % kv for kv in count.items()))
    return 1 if bad else 0


def duration(s):
    """Seconds to 2 significant digits in the unit that keeps 1 <= number < 1000,
    rounded before the unit is chosen."""
    r = float("%.2g" % s)
    for name, div in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)):
        if r >= div:
            break
    v = float("%.2g" % (r / div))
    dec = max(0, 1 - math.floor(math.log10(v))) if v > 0 else 0
    return "%.*f %s" % (dec, v, name)


def pauses(rdir, dat):
    cells = {}
    for line in open(rdir + "/runs.jsonl"):
        r = json.loads(line)
        key = (r["allocator"] + "/" + r["collector"], r["workload"])
        c = cells.setdefault(key, {"p99": [], "max": [], "ok": 0, "failed": 0})
        if r["status"] != "ok":
            c["failed"] += 1
            continue
        c["ok"] += 1
        pn = r["gc"]["pause_ns"]
        if pn["count"] > 0:
            c["p99"].append(pn["p99"] / 1e9)
            c["max"].append(pn["max"] / 1e9)
    rows, cols, data = read_dat(dat)
    bad = []
    count = {"cells": 0, "pauses": 0, "fail": 0, "nopause": 0, "none": 0, "some_paused": 0, "rows": len(rows)}
    seen = set()
    for f in data:
        r, w = int(f[0]), int(f[1])
        if r not in rows or w not in cols:
            bad.append("line %s: no such row or column" % f)
            continue
        series, wl = rows[r], cols[w]
        where = "%s on %s" % (series, wl)
        seen.add((r, w))
        count["cells"] += 1
        if len(f) != 15 or f[13] != series or f[14] != wl:
            bad.append("%s: line %s" % (where, f))
            continue
        c = cells.get((series, wl))
        nonum = f[2:4] == ["?", "?"] and f[7:10] == ["?", "?", "?"] and \
            not any(ch.isdigit() for ch in f[4] + f[5])
        if c is None:
            count["none"] += 1
            if not nonum or f[4:7] != ["", "", "0"]:
                bad.append("%s: no such cell, yet the line says %s" % (where, f[2:10]))
            continue
        if (int(f[10]), int(f[11]), int(f[12])) != (len(c["p99"]), c["ok"], c["failed"]):
            bad.append("%s: runs %s paused, %s ok, %s failed; expected %d, %d, %d" % (
                where, f[10], f[11], f[12], len(c["p99"]), c["ok"], c["failed"]))
        if not c["ok"] or not c["p99"]:
            word, kind = ("fail", "2") if not c["ok"] else ("no pauses", "3")
            count["fail" if not c["ok"] else "nopause"] += 1
            if not nonum or f[4:7] != [word, "", kind]:
                bad.append("%s: %s, yet the line says %s" % (where, word, f[2:10]))
            continue
        count["pauses"] += 1
        p99 = statistics.median(c["p99"])
        some = len(c["p99"]) < c["ok"]
        count["some_paused"] += some
        text = duration(p99) + ("*" if some else "") + ("!" if c["failed"] else "")
        want = [p99, max(c["max"]), min(c["p99"]), max(c["p99"]), math.log10(p99)]
        got = [f[3], f[7], f[8], f[9], f[2]]
        if f[6] != "1" or "?" in got or not all(close(float(g), x) for g, x in zip(got[:4], want[:4])) or \
                abs(float(got[4]) - want[4]) > 1e-5:
            bad.append("%s: p99, max, least, greatest, log10 %s, expected %s" % (where, got, want))
        if f[4] != text or f[5] != "max " + duration(max(c["max"])):
            bad.append("%s: printed '%s' / '%s', expected '%s' / 'max %s'" % (where, f[4], f[5], text,
                                                                              duration(max(c["max"]))))
    if len(seen) != len(rows) * len(cols) or len(data) != len(seen):
        bad.append("%d lines for %d cells of %d rows x %d columns" % (len(data), len(seen), len(rows), len(cols)))
    # a row for each configuration with a pause or a cell whose runs all failed, and for no other
    for series in sorted({k[0] for k in cells}):
        mine = [c for k, c in cells.items() if k[0] == series]
        want = any(c["p99"] or not c["ok"] for c in mine)
        if want != (series in rows.values()):
            bad.append("%s: %s" % (series, "paused but has no row" if want else "never paused but has a row"))
    for wl in {k[1] for k in cells}:
        if wl not in cols.values():
            bad.append("workload %s has no column" % wl)
    for b in bad:
        print("heatmap.py: " + b)
    print(" ".join("%s=%d" % kv for kv in count.items()))
    return 1 if bad else 0


def timeline(rdir, pdir, wl, baseline, filters):
    bad = []
    cells = {}
    for line in open(rdir + "/runs.jsonl"):
        r = json.loads(line)
        if r["workload"] == wl:
            cells.setdefault(r["cell"], []).append(r)
    def median_run(runs):
        ok = [r for r in runs if r["status"] == "ok"]
        if not ok:
            return None
        want = sorted(r["ops_per_sec"] for r in ok)[(len(ok) - 1) // 2]
        return next(r for r in ok if r["ops_per_sec"] == want)
    med = {name: median_run(runs) for name, runs in cells.items()}
    drawable = sorted(n for n, r in med.items() if r and r.get("timeline", {}).get("points"))

    def matches(name, f):
        r = cells[name][0]
        if any(ch in f for ch in "/*?["):
            return fnmatch.fnmatchcase(name, f)
        for kv in f.split(","):
            k, v = kv.split("=", 1)
            have = {"allocator": r["allocator"], "collector": r["collector"], "workload": r["workload"]}.get(
                k, r.get("params", {}).get(k))
            if have != v:
                return False
        return True
    balloc, bcoll = baseline.split("/")
    if filters:
        want = [{n for n in drawable if any(matches(n, f) for f in filters)}]
    else:
        a = {n for n in drawable if cells[n][0]["collector"] == bcoll}
        b = {n for n in drawable if cells[n][0]["allocator"] == balloc}
        want = [x for x in (a, b) if len(x) >= 2] or [x for x in (a, b) if x][:1]
    stem = "%s/timeline_%s" % (pdir, wl)

    # the data file: blocks named by cell and repetition
    index, blocks, cur = {}, {}, None
    for line in open(stem + ".dat", encoding="utf-8"):
        m = re.match(r"# index (\d+): (.*) \(cell (\S+), repetition (\d+)\)$", line)
        if m:
            cur = int(m[1])
            index[cur] = (m[3], int(m[4]))
            blocks[cur] = []
        elif line.strip() and not line.startswith("#"):
            blocks[cur].append(line.split())
    npoints = 0
    for i, (name, rep) in index.items():
        r = med.get(name)
        if r is None or r["repetition"] != rep:
            bad.append("index %d: %s repetition %d is not the cell's median run (%s)" % (
                i, name, rep, r and r["repetition"]))
            continue
        pts = r["timeline"]["points"]
        if len(pts) != len(blocks[i]):
            bad.append("index %d: %d points, the record has %d" % (i, len(blocks[i]), len(pts)))
            continue
        for got, p in zip(blocks[i], pts):
            npoints += 1
            if len(got) != 5 or not all(close(float(g), float("%.6g" % x)) for g, x in zip(got, p[:5])):
                bad.append("index %d (%s): point %s, the record has %s" % (i, name, got, p[:5]))
                break

    # the script: per column and panel, the plot items
    item = re.compile(r"^\s*(?:'[^']*'|NaN)\s*(?:index (\d+))?(?: every (\d+)::(\d+))?"
                      r"(?: using \(\$1/tdiv\):\(\$(\d)/(\w+)\))? with (lines|points|linespoints) (.*)$")
    panels = {}
    key = None
    for line in open(stem + ".gp", encoding="utf-8"):
        m = re.match(r"# panel (\w) (live|rss): (.*)$", line)
        if m:
            key = (m[1], m[2])
            panels[key] = {"what": m[3], "lines": [], "points": [], "keys": []}
            continue
        m = item.match(line)
        if not m or key is None:
            continue
        rest = m[7]
        col = re.search(r"linecolor rgb '(#[0-9a-f]{6})'", rest)
        dt = re.search(r"dashtype (\S+)", rest)
        pt = re.search(r"pointtype (\d+)", rest)
        title = re.search(r"title '((?:[^']|'')*)'", rest)
        col = col and col[1]
        if m[6] == "lines":
            if m[4] != ("3" if key[1] == "live" else "5"):
                bad.append("panel %s %s: index %s draws column %s" % (key + (m[1], m[4])))
            panels[key]["lines"].append((int(m[1]), col, dt and dt[1]))
        elif m[6] == "points":
            panels[key]["points"].append((int(m[1]), col, pt and pt[1]))
        else:
            panels[key]["keys"].append((col, dt and dt[1], pt and pt[1], title and title[1]))
    columns = sorted({k[0] for k in panels})
    if len(columns) != len(want):
        bad.append("%d columns, expected %d" % (len(columns), len(want)))
    colours = {}
    for c, w in zip(columns, want):
        live, rss = panels.get((c, "live")), panels.get((c, "rss"))
        if not live or not rss:
            bad.append("column %s: not both panels" % c)
            continue
        drawn = [index.get(i, ("?", 0))[0] for i, _, _ in live["lines"]]
        if set(drawn) != w or len(drawn) != len(w):
            bad.append("column %s (%s): draws %s, expected %s" % (c, live["what"], sorted(drawn), sorted(w)))
        for p in (live, rss):
            if [x[0] for x in p["lines"]] != [x[0] for x in live["lines"]] or \
                    [x[0] for x in p["points"]] != [x[0] for x in live["lines"]]:
                bad.append("column %s: the two panels, or lines and markers, differ" % c)
        if rss["keys"]:
            bad.append("column %s: the lower panel has its own key" % c)
        styles = []
        for (i, col, dt), (_, pcol, pt), (kcol, kdt, kpt, title) in zip(live["lines"], live["points"], live["keys"]):
            if (col, dt, pt) != (pcol, dt, pt) or (kcol, kdt, kpt) != (col, dt, pt):
                bad.append("column %s index %d: line %s, marker %s, key %s" % (c, i, (col, dt), (pcol, pt),
                                                                               (kcol, kdt, kpt)))
            styles.append((col, dt, pt))
        if len(live["keys"]) != len(live["lines"]):
            bad.append("column %s: %d key entries for %d lines" % (c, len(live["keys"]), len(live["lines"])))
        if len(set(styles)) != len(styles):
            bad.append("column %s: two lines share colour, dash and marker: %s" % (c, styles))
        cols = [s[0] for s in styles]
        if len(set(cols)) != len(cols) and len(cols) <= 8:
            bad.append("column %s (%s): colours not distinct: %s" % (c, live["what"], cols))
        by = "alloc" if live["what"].startswith("allocators under") else \
            "coll" if live["what"].startswith("collectors under") else "cell"
        colours.setdefault(by, set()).update(cols)
        for n in w:
            r = cells[n][0]
            if by == "alloc" and r["collector"] != live["what"].split()[-1] or \
                    by == "coll" and r["allocator"] != live["what"].split()[-1]:
                bad.append("column %s (%s) holds %s" % (c, live["what"], n))
    if colours.get("alloc", set()) & colours.get("coll", set()):
        bad.append("collector colours that are allocator colours: %s" % (colours["alloc"] & colours["coll"]))
    for b in bad:
        print("heatmap.py: timeline_%s: %s" % (wl, b))
    print("columns=%d lines=%d points=%d" % (len(columns), sum(len(x) for x in want), npoints))
    return 1 if bad else 0


def overlap(svg):
    import re
    boxes = []
    pat = re.compile(r'<g transform="translate\(([-0-9.]+),([-0-9.]+)\)"[^>]*font-size="([0-9.]+)"\s*'
                     r'(?:text-anchor="(\w+)")?>\s*<text>([^<]*)</text>')
    doc = open(svg, encoding="utf-8").read()
    for m in pat.finditer(doc):
        x, y, size, anchor, text = float(m[1]), float(m[2]), float(m[3]) * 4 / 3, m[4] or "start", m[5]
        if not text.strip():
            continue
        w = 0.6 * size * len(text)
        x0 = x - w if anchor == "end" else x - w / 2 if anchor == "middle" else x
        boxes.append((x0, y - 0.75 * size, x0 + w, y + 0.25 * size, text))
    size = re.search(r'<svg[^>]*width="([0-9.]+)"[^>]*height="([0-9.]+)"', doc)
    W, H = float(size[1]), float(size[2])
    bad = 0
    for a in boxes:
        if a[0] < 0 or a[1] < 0 or a[2] > W or a[3] > H:
            print("heatmap.py: %s: '%s' leaves the %gx%g canvas" % (svg, a[4], W, H))
            bad += 1
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]:
                print("heatmap.py: %s: '%s' overlaps '%s'" % (svg, a[4], b[4]))
                bad += 1
    print("texts=%d overlapping=%d" % (len(boxes), bad))
    return 1 if bad or not boxes else 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "overlap":
        sys.exit(overlap(sys.argv[2]))
    elif len(sys.argv) == 4 and sys.argv[1] == "synth":
        synth(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 6 and sys.argv[1] == "check":
        sys.exit(check(*sys.argv[2:]))
    elif len(sys.argv) >= 6 and sys.argv[1] == "timeline":
        sys.exit(timeline(*sys.argv[2:6], sys.argv[6:]))
    elif len(sys.argv) == 4 and sys.argv[1] == "pauses":
        sys.exit(pauses(*sys.argv[2:]))
    else:
        sys.exit(__doc__)
