# The browser step's pytest arguments, in one place: scripts/test.sh (CI) runs them once and
# scripts/flaky_check.sh runs them N times beside two CPU hogs, so the flakiness gate checks
# exactly what CI runs. Sourced, not run.
#
# One worker: on 2 cores, two servers and two Chromiums took as long (6.5-7.5 min against
# 7.4 min) and lost a click or a render under that load in each of three clean-clone runs.
BROWSER_STEP_ARGS=(
  -n 1 -m "browser and not load" --durations=10
)
