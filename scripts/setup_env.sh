#!/usr/bin/env bash
# Create the project's virtual environment (.venv) and install a requirements file into it.
# Usage: scripts/setup_env.sh requirements.txt|requirements-dev.txt
set -euo pipefail
cd "$(dirname "$0")/.."
# Create it once; an existing one (or a link to a shared one) is reused and brought up to date.
[ -x .venv/bin/python ] || python3 -m venv .venv
# --no-compile: pip would byte-compile every file of every package (about 20 of the 50 s on
# 2 cores); Python compiles what is imported when it is first imported instead.
.venv/bin/python -m pip install --quiet --no-compile --upgrade pip
.venv/bin/python -m pip install --quiet --no-compile -r "$1"
