#!/usr/bin/env python3
"""The china model's public charging energy against EVCIPA's monthly public charging volume.

Usage: swift run chargeplan plan china-backtest && python3 Benchmarks/calibration/public_energy.py [plan]

Neither the backtest nor any calibration reads these volumes, so they test the energy side of the model on its
own evidence: public chargers are sized as energy / utilisation, and a count can come out right with both wrong.
The model's energy is what its zones put on public chargers a day (households' public AC and DC, fleets,
corridors, ride-hailing and taxis) at year end; a month's volume is compared with the model interpolated
linearly between the year ends around it.
"""
import re
import sys

# EVCIPA public charging volume, TWh in the month (not in shared/data):
VOLUMES = [
    ("2020-06", 0.600, "chinadaily.com.cn 2020-07-22"),
    ("2024-02", 3.64, "donduo.com, EVCIPA February 2024 report"),
    ("2024-06", 4.56, "zopoisetech.cn, EVCIPA June 2024 report (+54.1 % y/y)"),
    ("2024-07", 5.01, "redplanx.com/html/news/3223411.html, EVCIPA July 2024 report"),
]
DAYS = {"02": 29, "06": 30, "07": 31}


def zone_energy(path):
    """Year -> kWh a day on public chargers, summed over the plan's zones."""
    energy = {}
    for line in open(path):
        m = re.match(r"\s*- \{zone: \S+, year: (\d+), facts: \{(.*?)\}", line)
        if not m:
            continue
        facts = dict((k, float(v)) for k, v in re.findall(r"(\w+): (-?[0-9.]+)", m.group(2)))
        kwh = facts["public_ac_kwh_per_day"] + facts["public_dc_kwh_per_day"] + facts["for_hire_kwh_per_day"]
        energy[int(m.group(1))] = energy.get(int(m.group(1)), 0.0) + kwh
    return energy


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "plans/china-backtest/china.yaml"
    energy = zone_energy(path)
    print("| month | EVCIPA public volume (GWh/day) | model (GWh/day) | model / real | source |")
    print("|---|---:|---:|---:|---|")
    for month, twh, source in VOLUMES:
        year, mm = int(month[:4]), month[5:]
        if year - 1 not in energy or year not in energy:
            continue
        real = twh * 1000 / DAYS[mm]
        t = int(mm) / 12.0
        model = ((1 - t) * energy[year - 1] + t * energy[year]) / 1e6
        print(f"| {month} | {real:,.1f} | {model:,.1f} | {model / real:.2f} | {source} |")
    print("\nYear ends (model, GWh/day): " + ", ".join(f"{y} {e / 1e6:,.1f}" for y, e in sorted(energy.items())))


if __name__ == "__main__":
    main()
