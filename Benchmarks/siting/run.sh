#!/usr/bin/env bash
# Siting benchmark: chargeplan site vs spopt's exact MCLP (PuLP + HiGHS or CBC). See README.md.
# Usage: Benchmarks/siting/run.sh [--sizes 1000x100,5000x500] [--time-limit 900] [--solver highs|cbc] [--no-spopt]
#        Benchmarks/siting/run.sh --swain [--radii 5,10,15,20] [--p 1-10]   (Swain's 55 nodes against HiGHS)
# Env:   CHARGEPLAN_BIN   use this chargeplan executable instead of building one
#        SWIFT_SCRATCH    scratch path for the release build (default .build)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="$root/Benchmarks/.venv"

if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
script="$here/bench.py"
if [ "${1:-}" = "--swain" ]; then
    shift
    script="$here/swain.py"
    # Swain needs only HiGHS (and numpy), at the version of requirements.txt.
    if ! "$venv/bin/python" -c "import highspy, numpy" 2>/dev/null; then
        "$venv/bin/pip" install --quiet "$(grep '^highspy==' "$here/requirements.txt")" numpy
    fi
elif ! "$venv/bin/python" -c "import spopt, pulp, highspy" 2>/dev/null; then
    "$venv/bin/pip" install --quiet -r "$here/requirements.txt"
fi

if [ -n "${CHARGEPLAN_BIN:-}" ]; then
    bin="$CHARGEPLAN_BIN"
else
    scratch="${SWIFT_SCRATCH:-$root/.build}"
    (cd "$root" && swift build -c release --product chargeplan --scratch-path "$scratch" >&2)
    bin="$(cd "$root" && swift build -c release --product chargeplan --scratch-path "$scratch" --show-bin-path)/chargeplan"
fi

exec "$venv/bin/python" "$script" --chargeplan "$bin" "$@"
