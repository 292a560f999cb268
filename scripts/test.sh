#!/usr/bin/env bash
# Install everything the tests need (Python packages, Debian's chromium for the browser tests,
# nginx for the two-replica test, poppler's pdftoppm), then lint and run every test step,
# the load measurement and a small benchmark smoke run, printing each step's wall time.
# With arguments, runs `pytest <arguments>` once instead of the steps.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS=0
TIMES=()

# Runs one step and records its wall time.
step() {
  local label="$1"
  shift
  local started=$SECONDS
  echo "== ${label}"
  "$@"
  TIMES+=("$((SECONDS - started)) s  ${label}")
  echo "-- ${label}: $((SECONDS - started)) s"
}

install_debian() {
  local missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium fonts-dejavu-core)
  command -v pdftoppm >/dev/null || missing+=(poppler-utils)
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
  [ "${#missing[@]}" -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

lint() {
  .venv/bin/ruff check .
  .venv/bin/ruff format --check .
  .venv/bin/python -m explorer check
}

# Runs pytest; "no tests collected" (exit 5) is a failure here, not a pass.
run_pytest() {
  set +e
  .venv/bin/python -m pytest "$@"
  local status=$?
  set -e
  if [ "$status" -eq 5 ]; then
    echo "pytest collected no tests ($*): that is a failure here" >&2
    exit 1
  fi
  if [ "$status" -ne 0 ]; then
    exit "$status"
  fi
}

step "install: Python packages" bash scripts/setup_env.sh requirements-dev.txt
step "install: chromium, nginx, poppler (when missing)" install_debian
if [ "$#" -gt 0 ]; then
  step "pytest $*" run_pytest "$@"
  exit 0
fi
step "lint, format and data check" lint
step "unit tests and AppTests, on every core (pytest-xdist)" \
  run_pytest -n auto -m "not browser and not load"
source scripts/browser_step.sh
step "browser tests, one worker (one app server per data set)" \
  run_pytest "${BROWSER_STEP_ARGS[@]}"
step "load: 100 light sessions across 2 replicas behind nginx, and 5 browser sessions" \
  run_pytest -m load tests/test_replicas.py tests/browser/test_load.py
step "load: 20, 50 and 100 light sessions on one server (bench/load.py; figures, not asserted)" \
  .venv/bin/python -m bench.load --sessions 20 50 100 --steps open search choose \
  --out bench/results/load.json
# Benchmark smoke run: 1,000 organizations once, to show it works (no timing is checked).
step "benchmark smoke run" \
  .venv/bin/python -m bench.run --sizes 1000 --runs 1 --out bench/results/smoke.json
echo "== wall time per step"
printf '%s\n' "${TIMES[@]}"
echo "total: ${SECONDS} s"
