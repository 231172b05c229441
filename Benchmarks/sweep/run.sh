#!/usr/bin/env bash
# Sweep against plan on the same machine, in one run: the wall time of one `plan ROLLOUT` and of one
# `sweep ROLLOUT --samples N`, each the median of RUNS runs, and their ratio. The bar (docs/SCENARIOS.md):
# sweep --samples 1000 takes at most 20 times one plan of nio-41-cities.
#
#   Benchmarks/sweep/run.sh                          # release build, nio-41-cities, 1000 samples, 3 runs each
#   ROLLOUT=hainan-2030 SAMPLES=200 RUNS=5 Benchmarks/sweep/run.sh
#   CHARGEPLAN_BIN=/path/to/chargeplan Benchmarks/sweep/run.sh   # an existing executable
#   THREADS=2 Benchmarks/sweep/run.sh                # both commands with --threads 2 (default: all cores)
#
# Prints one line per run, then `plan`, `sweep` (seconds, median) and `ratio`; exits 1 when the ratio is above
# LIMIT (default 20), 2 when a command fails. Plans and sweeps go to a temporary folder, removed afterwards.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="/opt/swift/usr/bin:/opt/swift/bin:$PATH"
ROLLOUT="${ROLLOUT:-nio-41-cities}"
SAMPLES="${SAMPLES:-1000}"
SEED="${SEED:-1}"
RUNS="${RUNS:-3}"
LIMIT="${LIMIT:-20}"
if [ -z "${CHARGEPLAN_BIN:-}" ]; then
  swift build -c release --product chargeplan >&2
  CHARGEPLAN_BIN="$(swift build -c release --show-bin-path)/chargeplan"
fi
threads=()
if [ -n "${THREADS:-}" ]; then threads=(--threads "$THREADS"); fi
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

# Wall seconds of one run of the command; its output goes to $out/log.
seconds() {
  local start end
  start=$(date +%s.%N)
  if ! "$@" >"$out/log" 2>&1; then
    if [ "$1" = "$CHARGEPLAN_BIN" ] && [ "$2" = "plan" ] && grep -q "error findings" "$out/log"; then :; else
      cat "$out/log" >&2
      exit 2
    fi
  fi
  end=$(date +%s.%N)
  echo "$start $end" | awk '{ printf "%.3f\n", $2 - $1 }'
}

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

plans=()
sweeps=()
for run in $(seq "$RUNS"); do
  p=$(seconds "$CHARGEPLAN_BIN" plan "$ROLLOUT" --output "$out/plans" "${threads[@]}")
  s=$(seconds "$CHARGEPLAN_BIN" sweep "$ROLLOUT" --samples "$SAMPLES" --seed "$SEED" --output "$out/sweeps" "${threads[@]}")
  echo "run $run: plan $p s, sweep $s s" >&2
  plans+=("$p")
  sweeps+=("$s")
done
plan=$(printf '%s\n' "${plans[@]}" | median)
sweep=$(printf '%s\n' "${sweeps[@]}" | median)
ratio=$(echo "$sweep $plan" | awk '{ printf "%.1f\n", $1 / $2 }')
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
echo "plan $ROLLOUT: $plan s (median of $RUNS)"
echo "sweep $ROLLOUT --samples $SAMPLES --seed $SEED: $sweep s (median of $RUNS)"
echo "ratio: $ratio (limit $LIMIT)"
awk -v r="$ratio" -v l="$LIMIT" 'BEGIN { exit (r > l) ? 1 : 0 }'
