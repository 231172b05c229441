#!/usr/bin/env python3
"""Swain's 55-node set (Swain 1971; the MCLP test set of Church & ReVelle 1974): `chargeplan site`
against the exact optimum from HiGHS, for p = 1..10 and several coverage radii.

Every node is a demand point (weight = its population, 640 in all) and a candidate; distances are
planar Euclidean, `sqrt(dx*dx + dy*dy)`, and a node at exactly the radius is covered (the rule of
`chargeplan site`). For each (radius, p) it prints our covered weight, whether we proved it optimal,
the optimum of the MIP

    max sum_i w_i y_i   s.t.   y_i <= sum_{j covers i} x_j,   sum_j x_j = p,   x, y binary

solved by HiGHS (highspy) in the same run, and the gap. It also solves each case a second time as an
explicit distance matrix (`"metric": "matrix"`) and checks the output is byte-identical.
Not a test: run it through `run.sh --swain`, see README.md.

`--convert swain.dat` turns the upstream file (instances/README.md) into instances/swain55.json.
"""
import argparse
import hashlib
import json
import math
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
INSTANCE = os.path.join(HERE, "instances", "swain55.json")
# data/swain.dat of antoniomedrano/p-center at commit f25ab02be257aec0dbdc628c4decd79ffe9154b6 (Apache-2.0).
UPSTREAM_SHA256 = "8e8e486ea0ae8537535ff605bba43a857385ddce0f379db2f66b24150a6f9411"


def convert(dat_path):
    """Rick Church's `.dat` layout, one node a line: `ID, X, Y, population,`."""
    raw = open(dat_path, "rb").read()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != UPSTREAM_SHA256:
        sys.exit(f"{dat_path}: SHA-256 {digest}, expected {UPSTREAM_SHA256} (instances/README.md)")
    nodes = []
    for line in raw.decode("ascii").splitlines():
        fields = [f.strip() for f in line.split(",") if f.strip()]
        if len(fields) >= 4:
            nodes.append((int(fields[0]), int(fields[1]), int(fields[2]), int(fields[3])))
    assert len(nodes) == 55 and sum(n[3] for n in nodes) == 640, "55 nodes, population 640"
    demand = ",\n".join(
        f'  {{"id": "n{i:02d}", "x": {x}, "y": {y}, "weight": {w}}}' for i, x, y, w in nodes)
    candidates = ",\n".join(f'  {{"id": "n{i:02d}", "x": {x}, "y": {y}}}' for i, x, y, _ in nodes)
    with open(INSTANCE, "w") as f:
        f.write('{"metric": "euclidean", "radius": 10, "p": 5,\n"demand": [\n' + demand
                + '\n],\n"candidates": [\n' + candidates + "\n]}\n")
    print(f"wrote {INSTANCE}", file=sys.stderr)


def distance(a, b):
    dx = a[0] - b[0]
    dy = a[1] - b[1]
    return math.sqrt(dx * dx + dy * dy)  # the order of operations of `planarDistance`


def run_ours(binary, instance, path):
    with open(path, "w") as f:
        json.dump(instance, f, separators=(",", ":"))
    t0 = time.perf_counter()
    proc = subprocess.run([binary, "site", "--instance", path], capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"chargeplan site failed ({proc.returncode}): {proc.stderr}")
    return proc.stdout, elapsed


def highs_optimum(weights, covers, p):
    """The MCLP as a MIP in HiGHS: columns x_0..x_{m-1} (sites), then y_0..y_{n-1} (covered)."""
    import highspy
    import numpy as np

    n, m = len(weights), len(covers[0]) if covers else 0
    # HiGHS prints its banner on stdout when constructed, before any option can silence it.
    sys.stdout.flush()
    saved, devnull = os.dup(1), os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    try:
        h = highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("mip_abs_gap", 0.0)
    cost = np.concatenate([np.zeros(m), np.asarray(weights, dtype=float)])
    h.addVars(m + n, np.zeros(m + n), np.ones(m + n))
    h.changeColsCost(m + n, np.arange(m + n, dtype=np.int32), cost)
    h.changeColsIntegrality(
        m + n, np.arange(m + n, dtype=np.int32), np.array([highspy.HighsVarType.kInteger] * (m + n)))
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    for i in range(n):  # y_i - sum_{j covers i} x_j <= 0
        sites = [j for j in range(m) if covers[i][j]]
        idx = np.array([m + i] + sites, dtype=np.int32)
        val = np.array([1.0] + [-1.0] * len(sites))
        h.addRow(-highspy.kHighsInf, 0.0, len(idx), idx, val)
    h.addRow(p, p, m, np.arange(m, dtype=np.int32), np.ones(m))  # sum_j x_j = p
    t0 = time.perf_counter()
    h.run()
    elapsed = time.perf_counter() - t0
    status = h.getModelStatus()
    if status != highspy.HighsModelStatus.kOptimal:
        raise RuntimeError(f"HiGHS did not prove an optimum: {h.modelStatusToString(status)}")
    return h.getInfo().objective_function_value, elapsed


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--chargeplan", help="path of the chargeplan executable")
    ap.add_argument("--radii", default="5,10,15,20", help="comma-separated coverage radii (default: %(default)s)")
    ap.add_argument("--p", default="1-10", help="station counts, FIRST-LAST (default: %(default)s)")
    ap.add_argument("--out", default=os.path.join(HERE, "..", "out", "siting", "swain"))
    ap.add_argument("--convert", metavar="swain.dat", help="write instances/swain55.json from the upstream file")
    args = ap.parse_args()
    if args.convert:
        return convert(args.convert)
    if not args.chargeplan:
        ap.error("--chargeplan is required")

    base = json.load(open(INSTANCE))
    xy = [(d["x"], d["y"]) for d in base["demand"]]
    sites = [(c["x"], c["y"]) for c in base["candidates"]]
    weights = [d["weight"] for d in base["demand"]]
    ids = {c["id"]: j for j, c in enumerate(base["candidates"])}
    dist = [[distance(a, b) for b in sites] for a in xy]
    first, last = (int(v) for v in args.p.split("-"))
    os.makedirs(args.out, exist_ok=True)

    rows = []
    for radius in (float(r) for r in args.radii.split(",")):
        covers = [[d <= radius for d in row] for row in dist]
        for p in range(first, last + 1):
            planar = dict(base, radius=radius, p=p)
            out, ours_s = run_ours(args.chargeplan, planar, os.path.join(args.out, f"r{radius:g}-p{p}.json"))
            matrix = {"metric": "matrix", "radius": radius, "p": p,
                      "demand": [{"id": d["id"], "weight": d["weight"]} for d in base["demand"]],
                      "candidates": [{"id": c["id"]} for c in base["candidates"]], "distances": dist}
            matrix_path = os.path.join(args.out, f"r{radius:g}-p{p}-matrix.json")
            out_matrix, _ = run_ours(args.chargeplan, matrix, matrix_path)
            if out_matrix != out:
                raise RuntimeError(f"radius {radius:g}, p {p}: the matrix instance gave another answer")
            ours = json.loads(out)
            chosen = [ids[c] for c in ours["chosen"]]
            recomputed = sum(w for i, w in enumerate(weights) if any(covers[i][j] for j in chosen))
            if abs(recomputed - ours["covered_weight"]) > 1e-9:
                raise RuntimeError(
                    f"radius {radius:g}, p {p}: reported {ours['covered_weight']}, recomputed {recomputed}")
            optimum, highs_s = highs_optimum(weights, covers, p)
            rows.append({"radius": radius, "p": p, "ours": recomputed, "proved": ours["proved_optimal"],
                         "optimum": optimum, "ours_s": ours_s, "highs_s": highs_s, "chosen": ours["chosen"]})
            print(f"radius {radius:g} p {p}: done", file=sys.stderr, flush=True)
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump(rows, f, indent=1, sort_keys=True)

    total = sum(weights)
    print("| radius | p | ours covered | proved_optimal | HiGHS optimum | gap | % of total | ours wall (s) "
          "| HiGHS solve (s) | chosen |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        gap = r["optimum"] - r["ours"]
        print(f"| {r['radius']:g} | {r['p']} | {r['ours']:g} | {str(r['proved']).lower()} | {r['optimum']:g} "
              f"| {gap:g} | {100 * r['ours'] / total:.2f} % | {r['ours_s']:.3f} | {r['highs_s']:.3f} "
              f"| {' '.join(r['chosen'])} |")
    exact = sum(1 for r in rows if abs(r["optimum"] - r["ours"]) < 1e-9)
    proved = sum(1 for r in rows if r["proved"])
    print(f"\n{exact} of {len(rows)} cases at the exact optimum, {proved} of {len(rows)} proved optimal by chargeplan")
    if exact != len(rows) or proved != len(rows):
        sys.exit(1)


if __name__ == "__main__":
    main()
