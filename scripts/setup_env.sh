#!/usr/bin/env bash
# Create the project's virtual environment (.venv) and install a requirements file into it.
# Usage: scripts/setup_env.sh requirements.txt|requirements-dev.txt
set -euo pipefail
cd "$(dirname "$0")/.."
# Create it once; an existing one (or a link to a shared one) is reused and brought up to date.
[ -x .venv/bin/python ] || python3 -m venv .venv
# pip byte-compiles every package it installs (about 20 of the 45 s on 2 cores). Kept: where
# PYTHONDONTWRITEBYTECODE is set (as on the CI machine) nothing is compiled later, and each
# Python process (app servers, test workers) then paid about 1.6 s more to import its packages.
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -r "$1"
