#!/usr/bin/env bash
# Create the project's virtual environment (.venv) and install a requirements file into it.
# Usage: scripts/setup_env.sh requirements.txt|requirements-dev.txt
set -euo pipefail
cd "$(dirname "$0")/.."
# Create it once; an existing one (or a link to a shared one) is reused and brought up to date.
[ -x .venv/bin/python ] || python3 -m venv .venv
# The app's own modules byte-compiled when changed (a few milliseconds when none is): where
# PYTHONDONTWRITEBYTECODE is set (as on the CI machine), every process compiled them from
# source again, about 50 modules and 0.06 s before a fresh server's first page showed.
.venv/bin/python -m compileall -q explorer components pages bench >/dev/null
# Nothing to do when the requirements files are what was last installed here: every start
# of the app (each app server the browser tests and the benchmark start, too) otherwise
# paid about 1.2 s of CPU for pip to find everything already installed. A changed file
# (or a new .venv) installs again; delete .venv/.installed-* to force it.
stamp=".venv/.installed-$(basename "$1")"
digest="$(cat requirements*.txt | sha256sum | cut -c1-64)"
[ -f "${stamp}" ] && [ "$(cat "${stamp}")" = "${digest}" ] && exit 0
site_packages="$(.venv/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
before="$(stat -c %.9Y "${site_packages}")"
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet --no-compile -r "$1"
# Byte-compiled once here, on every core: where PYTHONDONTWRITEBYTECODE is set (as on the CI
# machine) nothing is compiled later, and each Python process (app servers, test workers)
# would pay about 1.6 s more to import its packages. pip compiles one file after another
# (about 20 of its 45 s on 2 cores); `compileall -j 0` uses both cores (measured under load:
# 73 s with pip compiling, 24 + 26 s this way; quiet, 17.7 s, or 10.3 s without the
# packages' own test suites, which no process here imports). Only when pip changed the
# packages (a package added, upgraded or removed changes the folder's entries, so its time).
if [ "$(stat -c %.9Y "${site_packages}")" != "${before}" ]; then
  .venv/bin/python -m compileall -q -j 0 -x '/tests/' "${site_packages}" >/dev/null
fi
echo "${digest}" >"${stamp}"
