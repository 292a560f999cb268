#!/usr/bin/env bash
# Install everything the tests need (Python packages and Debian's chromium for the
# browser tests), then lint, run every test and a small benchmark smoke run.
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
set +e
.venv/bin/python -m pytest "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: that is a failure here" >&2
  exit 1
fi
if [ "$status" -ne 0 ]; then
  exit "$status"
fi
# Benchmark smoke run: 1,000 organizations once, to show it works (no timing is checked).
.venv/bin/python -m bench.run --sizes 1000 --runs 1 --out bench/results/smoke.json
