#!/usr/bin/env python3
"""The measuring half of Benchmarks/scale/run.sh (which builds chargeplan and the floor program first)."""
import argparse
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
MIB = 1024 * 1024


def fail(message):
    print(f"bench.py: {message}", file=sys.stderr)
    sys.exit(2)


def yaml_files(project):
    """Every YAML file `plan` reads: Cities/ (profiles and rollouts) and Rules/ (rules and test fixtures)."""
    found = []
    for folder in ("Cities", "Rules"):
        for directory, _, names in os.walk(os.path.join(project, folder)):
            found += [os.path.join(directory, n) for n in names if n.endswith(".yaml")]
    return sorted(found)


def floor_seconds(floor, files, runs):
    """The fastest of `runs` events-only parses of all the files (one process, one thread)."""
    best, events = None, None
    listing = "\n".join(files) + "\n"
    for _ in range(runs):
        done = subprocess.run([floor, "-"], input=listing, capture_output=True, text=True)
        if done.returncode != 0:
            fail(done.stderr.strip())
        fields = done.stdout.split()
        values = dict(zip(fields[0::2], fields[1::2]))
        seconds = float(values["seconds"])
        events = int(values["events"])
        best = seconds if best is None else min(best, seconds)
    return best, events


def plan(chargeplan, project, output, threads):
    """Wall seconds, CPU seconds and peak RSS (bytes) of one `plan` of the project into `output`."""
    shutil.rmtree(output, ignore_errors=True)
    command = ["/usr/bin/time", "-v", chargeplan, "plan", "--root", project, "--output", output,
               "--threads", str(threads)]
    start = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True)
    wall = time.monotonic() - start
    if done.returncode not in (0, 1):  # 1: plans written with error findings
        fail(f"{' '.join(command)} exited {done.returncode}:\n{done.stderr[-2000:]}")
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    user = re.search(r"User time \(seconds\): ([\d.]+)", done.stderr)
    system = re.search(r"System time \(seconds\): ([\d.]+)", done.stderr)
    if not (rss and user and system):
        fail("no figures from /usr/bin/time -v")
    output_bytes = sum(os.path.getsize(os.path.join(d, n)) for d, _, names in os.walk(output) for n in names)
    shutil.rmtree(output, ignore_errors=True)
    return wall, float(user.group(1)) + float(system.group(1)), int(rss.group(1)) * 1024, output_bytes


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--chargeplan", required=True)
    parser.add_argument("--floor", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--sizes", required=True)
    parser.add_argument("--threads", required=True)
    parser.add_argument("--zones", type=int, required=True)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--floor-runs", type=int, required=True)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split()]
    thread_counts = [int(t) for t in args.threads.split()]
    load = open("/proc/loadavg").read().split()[:3] if os.path.exists("/proc/loadavg") else ["?"]
    print(f"machine: {os.cpu_count()} cores, load {' '.join(load)} at the start")
    print(f"chargeplan: {args.chargeplan}; floor: libyaml {args.floor} (C, yaml_parser_parse events only, "
          f"fastest of {args.floor_runs})")
    print(f"set: generate.py --zones {args.zones} --seed {args.seed}; horizon 2019-2030; Rules/ of the repository")
    rows = []
    for size in sizes:
        project = os.path.join(args.work, f"set-{size}")
        subprocess.run([sys.executable, os.path.join(HERE, "generate.py"), "--cities", str(size),
                        "--zones", str(args.zones), "--seed", str(args.seed), "--out", project], check=True)
        files = yaml_files(project)
        input_bytes = sum(os.path.getsize(f) for f in files)
        floor, events = floor_seconds(args.floor, files, args.floor_runs)
        row = {"cities": size, "bytes": input_bytes, "events": events, "floor": floor, "plan": {}}
        for threads in thread_counts:
            wall, cpu, rss, out_bytes = plan(args.chargeplan, project, os.path.join(args.work, "plans"), threads)
            row["plan"][threads] = (wall, cpu, rss)
            row["out"] = out_bytes
            print(f"  {size} cities, {threads} thread(s): {wall:.2f} s wall, {cpu:.2f} s CPU, "
                  f"{rss / MIB:.0f} MiB peak RSS", flush=True)
        shutil.rmtree(project, ignore_errors=True)
        rows.append(row)
    print()
    header = "| cities | input MiB | plans MiB | floor s |"
    rule = "|---:|---:|---:|---:|"
    for t in thread_counts:
        header += (f" plan {t}t s | CPU {t}t s | plan {t}t / floor | s/city {t}t | CPU/city {t}t | RSS {t}t MiB |"
                   f" RSS {t}t / input |")
        rule += "---:|---:|---:|---:|---:|---:|---:|"
    if 1 in thread_counts and 2 in thread_counts:
        header += " 2t speed-up |"
        rule += "---:|"
    print(header)
    print(rule)
    for row in rows:
        line = (f"| {row['cities']:,} | {row['bytes'] / MIB:.1f} | {row['out'] / MIB:.0f} | "
                f"{row['floor']:.3f} |")
        for t in thread_counts:
            wall, cpu, rss = row["plan"][t]
            line += (f" {wall:.2f} | {cpu:.2f} | {wall / row['floor']:.0f}× | {wall / row['cities'] * 1000:.1f} ms | "
                     f"{cpu / row['cities'] * 1000:.1f} ms | {rss / MIB:.0f} | {rss / row['bytes']:.1f}× |")
        if 1 in thread_counts and 2 in thread_counts:
            line += f" {row['plan'][1][0] / row['plan'][2][0]:.2f}× |"
        print(line)
    print()
    # The bar of issue 11, at the sizes of 1,400 cities and more (or the largest measured when smaller).
    first = rows[0]
    big = [r for r in rows if r["cities"] >= 1400] or rows[-1:]
    fastest = 1 if 1 in thread_counts else thread_counts[0]
    for row in big:
        wall1 = row["plan"][fastest][0]
        budget = 3 * row["bytes"] + 64 * MIB
        peak = max(p[2] for p in row["plan"].values())
        drift = (wall1 / row["cities"]) / (first["plan"][fastest][0] / first["cities"]) - 1
        cpu_drift = (row["plan"][fastest][1] / row["cities"]) / (first["plan"][fastest][1] / first["cities"]) - 1
        checks = [
            (f"plan ({fastest}t) / floor {wall1 / row['floor']:.0f}× (bar ≤ 10×, goal 2×)",
             wall1 <= 10 * row["floor"]),
            (f"peak RSS {peak / MIB:.0f} MiB vs 3 × input + 64 MiB = {budget / MIB:.0f} MiB", peak <= budget),
            (f"time per city {drift * 100:+.0f} % against {first['cities']:,} cities (bar ±10 %; CPU time per "
             f"city {cpu_drift * 100:+.0f} %)", abs(drift) <= 0.10),
        ]
        if 1 in thread_counts and 2 in thread_counts:
            speedup = row["plan"][1][0] / row["plan"][2][0]
            checks.append((f"2-thread speed-up {speedup:.2f}× (bar ≥ 1.8×)", speedup >= 1.8))
        for text, ok in checks:
            print(f"{row['cities']:,} cities: {text}: {'meets the bar' if ok else 'misses the bar'}")
    load = open("/proc/loadavg").read().split()[:3] if os.path.exists("/proc/loadavg") else ["?"]
    print(f"machine load {' '.join(load)} at the end (other work on the machine inflates wall times)")


if __name__ == "__main__":
    main()
