#!/usr/bin/env python3
"""Seeded generator of a synthetic national set for the scale benchmark (Benchmarks/scale/README.md).

Writes a project folder that `chargeplan plan --root DIR` plans as it is: DIR/Rules (a copy of the
repository's Rules/), DIR/Cities/<id>.yaml (N synthetic county-level profiles of Z zones, modelled on the
bundled profiles and the estimation methods M1-M14 of docs/DATA.md) and DIR/Cities/rollouts/national.yaml
(every city, a 12-year horizon 2019-2030, three waves). The same arguments give the same bytes: the only
source of randomness is random.Random(seed), and nothing depends on the machine, the time or dict order.
Never point --out at the repository: the folder is replaced.
"""
import argparse
import math
import os
import random
import shutil
import sys

PROVINCES = ["Anhui", "Fujian", "Gansu", "Guangdong", "Guangxi", "Guizhou", "Hebei", "Heilongjiang", "Henan",
             "Hubei", "Hunan", "Jiangsu", "Jiangxi", "Jilin", "Liaoning", "Shaanxi", "Shandong", "Shanxi",
             "Sichuan", "Yunnan", "Zhejiang"]
# A county's zones, in order: the pattern repeats until Z zones (one corridor zone in seven, as in the
# bundled profiles' four-zone split of core / suburban / rural / highway, refined).
KIND_PATTERN = ["urban_core", "suburban", "rural", "suburban", "rural", "rural", "highway"]
# M10 grid headroom per resident (kW) and M11 charger weights per zone kind.
HEADROOM_KW_PER_RESIDENT = {"urban_core": 0.05, "suburban": 0.04, "rural": 0.02}
CHARGER_WEIGHT = {"urban_core": 1.5, "suburban": 1.0, "rural": 0.25, "highway": 0.0}


def split(total, weights):
    """Largest-remainder split of an integer total by weights (M11): the parts sum to the total."""
    weight_sum = sum(weights)
    if total <= 0 or weight_sum <= 0:
        return [0] * len(weights)
    exact = [total * w / weight_sum for w in weights]
    parts = [int(math.floor(x)) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def number(value, digits=1):
    """A decimal the way the bundled profiles write it: no exponent, no trailing zeros."""
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


def city_profile(rng, index, zone_count):
    city_id = f"county-{index:04d}"
    population = int(rng.lognormvariate(math.log(450_000), 0.6))
    population = max(20_000, min(population, 6_000_000))
    area = round(max(150.0, population / rng.uniform(150, 900)), 1)
    urbanization = rng.uniform(0.3, 0.8)
    stock = int(population * 0.1857 * rng.uniform(0.7, 1.3))                       # M1
    ev_stock = int(population * 0.002721 * rng.uniform(0.6, 2.0))                  # M2
    sales = int(stock * 0.0825)                                                     # M3
    share_2019 = min(0.5, 0.047 * (ev_stock / max(1, population)) / 0.002721)     # M4
    ride_2019 = int(ev_stock * 0.157)                                               # M5
    wallbox = int(ev_stock * 0.1845)                                                # M7
    dc = int(ev_stock * 0.0569)
    ac = int(dc * 58 / 42)
    kinds = [KIND_PATTERN[i % len(KIND_PATTERN)] for i in range(zone_count)]
    resident = [i for i, kind in enumerate(kinds) if kind != "highway"]
    # M8: the urban population over core and suburban zones, the rest over rural zones; random weights.
    urban = [i for i in resident if kinds[i] != "rural"]
    rural = [i for i in resident if kinds[i] == "rural"]
    pops = [0] * zone_count
    urban_pop = int(population * urbanization) if rural else population
    for group, total in ((urban, urban_pop), (rural, population - urban_pop)):
        for i, part in zip(group, split(total, [rng.uniform(0.5, 1.5) for _ in group])):
            pops[i] = part
    centre = (round(rng.uniform(22.0, 45.0), 2), round(rng.uniform(100.0, 125.0), 2))
    weights = [pops[i] * CHARGER_WEIGHT[kinds[i]] for i in range(zone_count)]
    highway_dc = int(dc * 0.03) if "highway" in kinds else 0
    zone_wallbox = split(wallbox, weights)
    zone_dc = split(dc - highway_dc, weights)
    zone_ac = split(ac, weights)
    highway_split = split(highway_dc, [1.0 if kind == "highway" else 0.0 for kind in kinds])
    lines = [
        "# Synthetic county profile written by Benchmarks/scale/generate.py (not real data: a benchmark input",
        "# modelled on the bundled profiles and the methods of docs/DATA.md).",
        f"id: {city_id}",
        f"name: County {index:04d}",
        f"province: {PROVINCES[index % len(PROVINCES)]}",
        "base_year: 2019",
        f"population: {population}",
        f"area_km2: {number(area)}",
        "vehicles:",
        f"  stock: {stock}",
        f"  ev_stock: {ev_stock}",
        f"  annual_sales: {sales}",
        f"  ev_sales_share: {{2019: {number(share_2019, 4)}, 2025: {number(max(share_2019, 0.45), 4)}}}",
        f"  ride_hailing_evs: {{2019: {ride_2019}, 2025: {int(ride_2019 * 1.733)}}}",
        "  scrappage_rate: 0.03",
        f"home_parking_share: {number(rng.uniform(0.55, 0.85), 2)}",
        "existing_chargers:",
        f"  wallbox: {wallbox}",
        f"  public_dc: {dc}",
        f"  public_ac: {ac}",
        "  mobile: 0",
        "targets:",
        "  - year: 2027",
        "    ev_sales_share: 0.45",
        "zones:",
    ]
    spread = math.sqrt(area) / 111.0  # degrees: zone centres within about the county's width
    for i, kind in enumerate(kinds):
        pop = pops[i]
        if kind == "highway":
            zone_area = round(2 * math.sqrt(area) / max(1, kinds.count("highway")), 1)
            headroom = 1000 * max(1, math.ceil(math.sqrt(area) / 50))             # M10 corridor
        else:
            density = {"urban_core": 10_000, "suburban": 3_000, "rural": 150}[kind]
            zone_area = round(max(0.5, pop / density), 1)
            headroom = int(pop * HEADROOM_KW_PER_RESIDENT[kind])
        lat = centre[0] + rng.uniform(-spread, spread)
        lon = centre[1] + rng.uniform(-spread, spread)
        # The trailing comments say where each number comes from, as in the bundled profiles (and make the
        # files about as long as theirs per zone).
        lines += [
            f"  - id: {city_id}-z{i:02d}",
            f"    kind: {kind}",
            f"    population: {pop}  # M8 (synthetic): the zone's share of the urban or rural population",
            f"    area_km2: {number(zone_area)}  # M9 (synthetic): population / density of the kind",
            f"    centre: [{lat:.4f}, {lon:.4f}]  # M12 (synthetic): a point within the county's width",
            f"    grid_headroom_kw: {headroom}  # M10: kW per resident by kind; corridors 1,000 kW per 50 km",
            f"    grid_reinforcement_kw_per_year: {headroom // 10}  # M10a (assumption): 10 % a year",
        ]
        if kind == "highway":
            lines.append(f"    through_traffic_vehicles_per_day: {rng.randrange(10_000, 60_000, 1000)}"
                         "  # M14 (synthetic): around the national expressway average")
        lines.append(f"    existing_chargers: {{wallbox: {zone_wallbox[i]}, public_ac: {zone_ac[i]}, "
                     f"public_dc: {zone_dc[i] + highway_split[i]}, mobile: 0}}  # M11: the city totals split by "
                     "weighted residents")
    return city_id, "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cities", type=int, required=True, help="number of county profiles (N)")
    parser.add_argument("--zones", type=int, default=50, help="zones per county (Z, default 50)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generator (default 1)")
    parser.add_argument("--rules", default=os.path.join(os.path.dirname(__file__), "..", "..", "Rules"),
                        help="the Rules/ folder to copy (default: the repository's)")
    parser.add_argument("--out", required=True, help="the project folder to write (replaced)")
    args = parser.parse_args()
    if args.cities < 1 or args.zones < 1:
        sys.exit("generate.py: --cities and --zones must be at least 1")
    out = os.path.abspath(args.out)
    repo = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
    if out == repo or out.startswith(os.path.join(repo, "Cities")) or out.startswith(os.path.join(repo, "Rules")):
        sys.exit("generate.py: write into a temporary folder, not into the repository")
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(os.path.join(out, "Cities", "rollouts"))
    shutil.copytree(os.path.abspath(args.rules), os.path.join(out, "Rules"))
    rng = random.Random(args.seed)
    members = []
    for index in range(1, args.cities + 1):
        city_id, text = city_profile(rng, index, args.zones)
        with open(os.path.join(out, "Cities", city_id + ".yaml"), "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        members.append(city_id)
    rollout = [
        "# Synthetic national rollout written by Benchmarks/scale/generate.py: every generated county.",
        "id: national",
        "name: Synthetic national rollout (benchmark)",
        "operator: Benchmark",
        "rule_set: china",
        "horizon: {first_year: 2019, last_year: 2030}",
        "cities:",
    ]
    for position, city_id in enumerate(members):
        rollout.append(f"  - {{city: {city_id}, joins: {2019 + (3 * position) // len(members)}}}")
    with open(os.path.join(out, "Cities", "rollouts", "national.yaml"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(rollout) + "\n")


if __name__ == "__main__":
    main()
