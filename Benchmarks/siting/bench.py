#!/usr/bin/env python3
"""Siting benchmark: `chargeplan site` against spopt's exact MCLP (PuLP + HiGHS, or CBC).

Generates seeded instances (clustered demand around a few city centres, a 100 km square,
5 km radius, p = 10 % of candidates), solves each with both, and prints per size the
coverage ratio (ours / exact optimum) and the time ratio (spopt build+solve / ours, ours as
the process wall time of `chargeplan site --instance FILE`, median of 3 runs).
Not a test: run it through run.sh, see README.md.
"""
import argparse
import hashlib
import json
import math
import os
import statistics
import subprocess
import sys
import time

import numpy as np

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEG = EARTH_RADIUS_KM * math.pi / 180
CENTRE = (31.78, 119.95)  # Changzhou, only to have plausible coordinates
SIDE_KM = 100.0
RADIUS_KM = 5.0


def generate(n_demand, n_cand, seed, cand_clustered=0.6):
    rng = np.random.default_rng(seed)
    half = SIDE_KM / 2
    n_cities = 5
    centres = rng.uniform(-0.7 * half, 0.7 * half, size=(n_cities, 2))
    sigmas = rng.uniform(3.0, 12.0, size=n_cities)
    shares = rng.dirichlet(np.full(n_cities, 2.0))

    def sample(count, clustered_share):
        n_clustered = int(round(count * clustered_share))
        city = rng.choice(n_cities, size=n_clustered, p=shares)
        pts = centres[city] + rng.normal(size=(n_clustered, 2)) * sigmas[city][:, None]
        uniform = rng.uniform(-half, half, size=(count - n_clustered, 2))
        pts = np.clip(np.vstack([pts, uniform]), -half, half)
        return pts[rng.permutation(count)]

    def to_latlon(pts):
        lat = CENTRE[0] + pts[:, 1] / KM_PER_DEG
        lon = CENTRE[1] + pts[:, 0] / (KM_PER_DEG * math.cos(math.radians(CENTRE[0])))
        return np.round(lat, 6), np.round(lon, 6)

    dlat, dlon = to_latlon(sample(n_demand, 0.85))
    clat, clon = to_latlon(sample(n_cand, cand_clustered))
    weights = rng.integers(1, 101, size=n_demand)
    p = max(1, n_cand // 10)
    instance = {
        "radius_km": RADIUS_KM,
        "p": p,
        "demand": [
            {"id": f"d{i}", "lat": float(dlat[i]), "lon": float(dlon[i]), "weight": int(weights[i])}
            for i in range(n_demand)
        ],
        "candidates": [{"id": f"c{j}", "lat": float(clat[j]), "lon": float(clon[j])} for j in range(n_cand)],
        "fixed": [],
    }
    return instance, (dlat, dlon, clat, clon, weights.astype(float), p)


def haversine_matrix(dlat, dlon, clat, clon):
    rad = math.pi / 180
    p1 = dlat[:, None] * rad
    p2 = clat[None, :] * rad
    s1 = np.sin((clat[None, :] - dlat[:, None]) * rad / 2)
    s2 = np.sin((clon[None, :] - dlon[:, None]) * rad / 2)
    h = s1 * s1 + np.cos(p1) * np.cos(p2) * s2 * s2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(np.maximum(0.0, h))))


def covered(cost, weights, chosen_idx):
    if len(chosen_idx) == 0:
        return 0.0
    mask = (cost[:, chosen_idx] <= RADIUS_KM).any(axis=1)
    return float(weights[mask].sum())


def run_ours(binary, path, repeats):
    times = []
    out = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        proc = subprocess.run([binary, "site", "--instance", path], capture_output=True, text=True)
        times.append(time.perf_counter() - t0)
        if proc.returncode != 0:
            raise RuntimeError(f"chargeplan site failed ({proc.returncode}): {proc.stderr}")
        if out is not None and proc.stdout != out:
            raise RuntimeError("chargeplan site is not deterministic: outputs differ between runs")
        out = proc.stdout
    return json.loads(out), statistics.median(times)


def run_spopt(cost, weights, p, time_limit, solver_name):
    import pulp
    from spopt.locate import MCLP

    t0 = time.perf_counter()
    model = MCLP.from_cost_matrix(cost, weights, service_radius=RADIUS_KM, p_facilities=p)
    t_build = time.perf_counter() - t0
    if solver_name == "highs":
        # Weights are integers, so the optimum is an integer: an absolute gap below 1 proves it.
        solver = pulp.HiGHS(msg=False, timeLimit=time_limit, gapRel=0.0, gapAbs=0.999, threads=1)
    else:
        solver = pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit)
    t1 = time.perf_counter()
    model.problem.solve(solver)
    t_solve = time.perf_counter() - t1
    optimal = model.problem.sol_status == pulp.LpSolutionOptimal and t_solve < time_limit
    chosen = [j for j, v in enumerate(model.fac_vars) if v.value() is not None and v.value() > 0.5]
    objective = pulp.value(model.problem.objective)
    bound = None
    if solver_name == "highs":
        try:  # HiGHS' proven bound on the optimum; PuLP hands HiGHS the negated objective
            bound = abs(float(model.problem.solverModel.getInfo().mip_dual_bound))
        except Exception:  # noqa: BLE001 - only informative
            bound = None
    return {
        "optimal": bool(optimal),
        "build_s": t_build,
        "solve_s": t_solve,
        "chosen": chosen,
        "objective": float(objective) if objective is not None else None,
        "bound": bound,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--chargeplan", required=True, help="path of the chargeplan executable")
    ap.add_argument("--sizes", default="1000x100,5000x500,10000x1000,50000x2000",
                    help="comma-separated DEMANDxCANDIDATES (default: %(default)s)")
    ap.add_argument("--time-limit", type=float, default=900.0, help="exact solver time limit per solve, s")
    ap.add_argument("--solver", choices=["highs", "cbc"], default="highs",
                    help="MIP solver behind spopt: HiGHS (highspy) or PuLP's bundled CBC (default: %(default)s)")
    ap.add_argument("--seed", type=int, default=20190601)
    ap.add_argument("--repeats", type=int, default=3, help="runs of chargeplan per size (median)")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "out", "siting"))
    ap.add_argument("--no-spopt", action="store_true", help="only time chargeplan")
    ap.add_argument("--fresh", action="store_true", help="ignore cached spopt results")
    ap.add_argument("--spopt-max-cells", type=float, default=2e7,
                    help="skip spopt when demand × candidates exceeds this (its dense model build alone "
                         "takes ~60 s per 10^7 cells here; default: %(default)g)")
    args = ap.parse_args()

    os.makedirs(args.out, exist_ok=True)
    rows = []
    for k, size in enumerate(args.sizes.split(",")):
        n, m = (int(x) for x in size.lower().split("x"))
        instance, (dlat, dlon, clat, clon, w, p) = generate(n, m, args.seed + k * 1000 + n + m)
        path = os.path.join(args.out, f"instance-{n}x{m}.json")
        with open(path, "w") as f:
            json.dump(instance, f, separators=(",", ":"))
        ours, ours_s = run_ours(args.chargeplan, path, args.repeats)
        cost = haversine_matrix(dlat, dlon, clat, clon)
        ids = {c["id"]: j for j, c in enumerate(instance["candidates"])}
        ours_cov = covered(cost, w, [ids[c] for c in ours["chosen"]])
        total = float(w.sum())
        row = {
            "size": f"{n}x{m}", "p": p, "total": total, "ours_covered": ours_cov,
            "ours_reported": float(ours["covered_weight"]), "ours_s": ours_s,
            "ours_upper_bound": float(ours["upper_bound"]), "ours_proved": ours["proved_optimal"],
        }
        if abs(ours_cov - row["ours_reported"]) > 1e-6 * max(1.0, total):
            print(f"warning: {size}: reported coverage {row['ours_reported']} != recomputed {ours_cov}",
                  file=sys.stderr)
        if not args.no_spopt and n * m <= args.spopt_max_cells:
            # spopt's answer depends only on the instance and the time limit: cache it, so that
            # re-measuring chargeplan does not cost another exact solve.
            with open(path, "rb") as f:
                key = hashlib.sha256(f.read()).hexdigest() + f"-{args.time_limit}"
                if args.solver != "cbc":
                    key += f"-{args.solver}"
            cache_path = os.path.join(args.out, "spopt-cache.json")
            cache = json.load(open(cache_path)) if os.path.exists(cache_path) and not args.fresh else {}
            if key not in cache:
                cache[key] = run_spopt(cost, w, p, args.time_limit, args.solver)
                with open(cache_path, "w") as f:
                    json.dump(cache, f, indent=1, sort_keys=True)
            sp = cache[key]
            sp_cov = covered(cost, w, sp["chosen"])
            row.update({"spopt_optimal": sp["optimal"], "spopt_s": sp["build_s"] + sp["solve_s"],
                        "spopt_build_s": sp["build_s"], "spopt_solve_s": sp["solve_s"], "spopt_covered": sp_cov,
                        "spopt_bound": sp.get("bound")})
        rows.append(row)
        print(f"{size}: done", file=sys.stderr, flush=True)
        with open(os.path.join(args.out, "results.json"), "w") as f:
            json.dump(rows, f, indent=2, sort_keys=True)

    print("| demand × candidates | p | ours covered / exact optimum | ours / our upper bound "
          "| ours wall (s) | spopt build+solve (s) | speed-up |")
    print("|---|---|---|---|---|---|---|")
    ratios = []
    for r in rows:
        gap = r["ours_covered"] / r["ours_upper_bound"] if r["ours_upper_bound"] > 0 else 1.0
        proved = " (proved)" if r["ours_proved"] else ""
        if "spopt_s" in r and r["spopt_optimal"]:
            ratio = r["ours_covered"] / r["spopt_covered"] if r["spopt_covered"] > 0 else 1.0
            ratios.append(ratio)
            cov = f"{100 * ratio:.3f} %"
            sp_t = f"{r['spopt_s']:.2f} ({r['spopt_build_s']:.1f} + {r['spopt_solve_s']:.1f})"
            speed = f"{r['spopt_s'] / r['ours_s']:.0f}×"
        elif "spopt_s" in r:
            # Time limit hit: no optimum, but the solver's best solution bounds the optimum from
            # below and its dual bound from above.
            vs_best = r["ours_covered"] / r["spopt_covered"] if r["spopt_covered"] > 0 else 1.0
            cov = f"n/a (vs best found: {100 * vs_best:.3f} %"
            if r.get("spopt_bound"):
                cov += f", vs solver's bound: {100 * r['ours_covered'] / abs(r['spopt_bound']):.3f} %"
            cov += ")"
            sp_t = f"> {r['spopt_s']:.0f} (time limit; {r['spopt_build_s']:.1f} build)"
            speed = f"> {r['spopt_s'] / r['ours_s']:.0f}×"
        else:
            cov, sp_t, speed = "n/a", "not run", "n/a"
        print(f"| {r['size'].replace('x', ' × ')} | {r['p']} | {cov} | {100 * gap:.3f} %{proved} "
              f"| {r['ours_s']:.3f} | {sp_t} | {speed} |")
    if ratios:
        print(f"\nmean coverage ratio over sizes with an exact optimum: {100 * statistics.mean(ratios):.3f} %, "
              f"min {100 * min(ratios):.3f} %")


if __name__ == "__main__":
    main()
