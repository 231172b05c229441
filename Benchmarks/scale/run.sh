#!/usr/bin/env bash
# The scale benchmark (issue 11), in one go: for each size, a synthetic national set from generate.py, the
# libyaml events-only parse of its files (yaml_events.c, the floor), `chargeplan plan` of it with 1 and 2
# threads (wall time and peak RSS from /usr/bin/time -v), and the ratios against the bar. README.md here.
#
#   Benchmarks/scale/run.sh                          # release build; 100 400 1400 2800 cities x 50 zones
#   SIZES="100 400" Benchmarks/scale/run.sh          # a quick run
#   ZONES=20 SEED=7 THREADS="1 2" FLOOR_RUNS=5 Benchmarks/scale/run.sh
#   CHARGEPLAN_BIN=.build/release/chargeplan Benchmarks/scale/run.sh   # an existing executable
#
# Exit 2 when a command fails. Inputs and plans go to a temporary folder (SCALE_TMP, default mktemp -d),
# removed afterwards; nothing is written into the repository.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/../.."
export PATH="/opt/swift/usr/bin:/opt/swift/bin:$PATH"
if [ -z "${CHARGEPLAN_BIN:-}" ]; then
  swift build -c release --product chargeplan >&2
  CHARGEPLAN_BIN="$(swift build -c release --show-bin-path)/chargeplan"
fi
[ -x /usr/bin/time ] || { echo "run.sh: needs GNU time (/usr/bin/time; apt-get install time)" >&2; exit 2; }
work="${SCALE_TMP:-$(mktemp -d)}"
trap 'rm -rf "$work"' EXIT
cc -O2 -o "$work/yaml_events" "$here/yaml_events.c" -lyaml || {
  echo "run.sh: needs a C compiler and libyaml (apt-get install libyaml-dev)" >&2; exit 2; }
exec python3 "$here/bench.py" --chargeplan "$CHARGEPLAN_BIN" --floor "$work/yaml_events" --work "$work" \
  --sizes "${SIZES:-100 400 1400 2800}" --threads "${THREADS:-1 2}" --zones "${ZONES:-50}" --seed "${SEED:-1}" \
  --floor-runs "${FLOOR_RUNS:-3}"
