#!/usr/bin/env python3
"""Totals by access and unit, capex and findings, summed over a rollout's city plans, for chosen years.

Usage: python3 Benchmarks/calibration/totals.py plans/hainan-2030 2020 2025 2030 [city ...]
"""
import glob, os, re, sys

def main():
    folder, rest = sys.argv[1], sys.argv[2:]
    years = [int(a) for a in rest if a.isdigit()]
    cities = [a for a in rest if not a.isdigit()]
    files = sorted(f for f in glob.glob(os.path.join(folder, "*.yaml")) if not f.endswith("_summary.yaml"))
    if cities:
        files = [f for f in files if os.path.basename(f)[:-5] in cities]
    tot = {}
    cum_capex = {}
    for f in files:
        capex_run = 0.0
        for line in open(f):
            m = re.match(r"\s*- \{year: (\d+), facts: \{(.*?)\}, units: \{(.*)\}, access: \{(.*)\}\}", line)
            if not m:
                continue
            y = int(m.group(1))
            facts = dict((k, float(v)) for k, v in re.findall(r"(\w+): (-?[0-9.]+)", m.group(2)))
            capex_run += facts.get("capex_cny", 0)
            t = tot.setdefault(y, {"ev_stock": 0, "npv_cny": 0, "revenue_cny": 0})
            for k in ("ev_stock", "npv_cny", "revenue_cny"):
                t[k] += facts.get(k, 0)
            for u, i in re.findall(r"(\w+): \{installed: (\d+)", m.group(3)):
                t["unit." + u] = t.get("unit." + u, 0) + int(i)
            for a, i in re.findall(r"(\w+): \{installed: (\d+)", m.group(4)):
                t["access." + a] = t.get("access." + a, 0) + int(i)
            cum_capex[y] = cum_capex.get(y, 0) + capex_run
    keys = ["ev_stock", "access.private", "access.public", "access.mobile", "access.swap",
            "unit.wallbox", "unit.public_ac", "unit.public_dc", "unit.cams_hpc", "unit.nio_swap", "unit.mobile"]
    print("| " + " | ".join(["year"] + keys + ["EVs/charger", "cum. capex (M CNY)", "NPV (M CNY)"]) + " |")
    print("|" + "---:|" * (len(keys) + 4))
    for y in years:
        t = tot.get(y)
        if not t:
            continue
        chargers = t["access.private"] + t["access.public"]
        row = [str(y)] + [f"{int(t.get(k, 0)):,}" for k in keys]
        row += [f"{t['ev_stock'] / max(1, chargers):.2f}", f"{cum_capex[y] / 1e6:,.0f}", f"{t['npv_cny'] / 1e6:,.0f}"]
        print("| " + " | ".join(row) + " |")

if __name__ == "__main__":
    main()
