#!/bin/bash
# Usage: swift build && bash Benchmarks/robustness/kill-plan.sh   (KILLS=N, CHARGEPLAN_BIN=path to override)
# Prints how often plans/ was the old set, the new set, a committed set the next run finishes, or MIXED (a bug).
# 40 SIGKILLs at random moments of a plan over three rollouts; classify plans/ after each kill.
root=$(cd "$(dirname "$0")/../.." && pwd)
B=${CHARGEPLAN_BIN:-$root/.build/debug/chargeplan}   # swift build first
W=$(mktemp -d); cp -r "$root/Cities" "$root/Rules" $W/; cd $W
P=Rules/china/params.yaml
set_val() { sed -i -E "s/fast_utilisation_hours: \{value: [0-9.]+,/fast_utilisation_hours: {value: $1,/" $P; }
set_val 2.4; $B plan >/dev/null; A=$(cd plans && find . -type f ! -path './.*' | sort | xargs sha256sum | sha256sum)
set_val 12.4; start=$(date +%s.%N); $B plan >/dev/null; end=$(date +%s.%N); Bsum=$(cd plans && find . -type f ! -path './.*' | sort | xargs sha256sum | sha256sum)
T=$(echo "$end - $start" | bc); echo "run takes $T s"
declare -A count; cur=12.4
for i in $(seq 1 ${KILLS:-40}); do
  if [ $cur = 12.4 ]; then cur=2.4; want="$A"; other="$Bsum"; else cur=12.4; want="$Bsum"; other="$A"; fi
  set_val $cur
  d=$(python3 -c "import random; print(random.uniform(0, $T*1.1))")
  $B plan >/dev/null 2>&1 & pid=$!; sleep $d; kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
  s=$(cd plans && find . -type f ! -path './.*' | sort | xargs sha256sum | sha256sum)
  if [ "$s" = "$want" ]; then st=new; elif [ "$s" = "$other" ]; then st=old; elif ls plans/.chargeplan-staging-*/COMMITTED >/dev/null 2>&1; then st=committed; else st=MIXED; fi
  count[$st]=$(( ${count[$st]:-0} + 1 ))
  $B plan >/dev/null 2>&1
  s=$(cd plans && find . -type f ! -path './.*' | sort | xargs sha256sum | sha256sum)
  [ "$s" = "$want" ] || echo "after recovery run $i: not the new set"
  [ "$(ls -A plans | tr '\n' ' ')" = "cams-changzhou hainan-2030 nio-41-cities " ] || echo "leftovers after run $i: $(ls -A plans)"
done
for k in "${!count[@]}"; do echo "$k ${count[$k]}"; done | sort
rm -rf "$W"
