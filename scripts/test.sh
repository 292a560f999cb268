#!/usr/bin/env bash
# Install everything the tests need (Python packages and Debian's chromium for the
# browser tests), then lint and run every test in three steps, and a small benchmark smoke run.
# With arguments, runs `pytest <arguments>` once instead of the three steps.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup_env.sh requirements-dev.txt
if [ ! -x /usr/bin/chromium ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
fi
command -v pdftoppm >/dev/null || { SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"; $SUDO apt-get update -qq; DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq poppler-utils >/dev/null; }
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/python -m explorer check

# Runs pytest; "no tests collected" (exit 5) is a failure here, not a pass.
run_pytest() {
  local label="$1"
  shift
  echo "== ${label}"
  set +e
  .venv/bin/python -m pytest "$@"
  local status=$?
  set -e
  if [ "$status" -eq 5 ]; then
    echo "pytest collected no tests (${label}): that is a failure here" >&2
    exit 1
  fi
  if [ "$status" -ne 0 ]; then
    exit "$status"
  fi
}

if [ "$#" -gt 0 ]; then
  run_pytest "pytest $*" "$@"
  exit 0
fi
run_pytest "unit tests and AppTests, on every core (pytest-xdist)" -n auto -m "not browser and not load"
run_pytest "browser tests, two at a time (one app server per data set and worker)" -n 2 -m "browser and not load" --durations=15
run_pytest "load test: 22 concurrent browser sessions on one server" -m load
# Benchmark smoke run: 1,000 organizations once, to show it works (no timing is checked).
.venv/bin/python -m bench.run --sizes 1000 --runs 1 --out bench/results/smoke.json
