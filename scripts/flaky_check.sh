#!/usr/bin/env bash
# The flakiness gate: run the browser step (CI's own arguments, from scripts/browser_step.sh)
# N times in a row while two CPU hogs run beside it (a machine as busy as a shared CI runner
# may be), and print pass or fail for each run.
# Usage: scripts/flaky_check.sh [N]     (default 5; exit 0 only if every run passed)
# The hogs are bounded (HOG_SECONDS, default one hour, by `timeout`) and stopped on exit.
set -uo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-5}"
HOG_SECONDS="${HOG_SECONDS:-3600}"
[ "${RUNS}" -ge 1 ] 2>/dev/null || { echo "usage: scripts/flaky_check.sh [N >= 1]" >&2; exit 2; }
HOGS=()
stop_hogs() {
  trap - EXIT INT TERM
  for pid in "${HOGS[@]}"; do kill "${pid}" 2>/dev/null || true; done
  wait "${HOGS[@]}" 2>/dev/null || true
}
trap stop_hogs EXIT INT TERM
for _ in 1 2; do
  timeout "${HOG_SECONDS}" bash -c 'while :; do :; done' &
  HOGS+=("$!")
done

source scripts/browser_step.sh
mkdir -p tests/artifacts
passed=0
for run in $(seq 1 "${RUNS}"); do
  started=$(date +%s)
  log="tests/artifacts/flaky-run-${run}.log"
  if .venv/bin/python -m pytest -q "${BROWSER_STEP_ARGS[@]}" >"${log}" 2>&1; then
    passed=$((passed + 1))
    verdict="pass"
  else
    verdict="FAIL (see ${log})"
  fi
  echo "run ${run}/${RUNS}: ${verdict} in $(($(date +%s) - started)) s, load average $(cut -d' ' -f1-3 /proc/loadavg)"
done
echo "flaky check: ${passed} of ${RUNS} runs passed with two CPU hogs running"
[ "${passed}" -eq "${RUNS}" ]
