#!/usr/bin/env bash
# One entry point for a new machine: sets up .venv, then runs the app or the test suite.
#   ./dev.sh app [ARGS]   demo database in ./demo-data (built once), then the desktop app
#   ./dev.sh test [ARGS]  ruff, lint-imports, the type check (mypy, over the packages
#                         pyproject.toml lists), then the whole test suite, headless and in
#                         parallel (extra ARGS go to pytest; TEST_WORKERS=N sets the number
#                         of worker processes)
set -euo pipefail
cd "$(dirname "$0")"

VENV=.venv
PY=${PYTHON:-python3}

need_python() {
  if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "需要 Python 3.11 或更新版本 / Python 3.11 or newer is needed (set PYTHON=...)" >&2
    exit 1
  fi
}

setup() {
  need_python
  if [ ! -x "$VENV/bin/python" ]; then
    "$PY" -m venv "$VENV" || {
      echo "could not create a virtual environment: on Debian/Ubuntu install python3-venv" >&2
      exit 1
    }
  fi
  # Reinstall only when the dependencies changed, so running this again is quick.
  local stamp="$VENV/.installed"
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
    "$VENV/bin/python" -m pip install --quiet -e '.[test]'
    touch "$stamp"
  fi
}

cmd=${1:-}
shift || true
case "$cmd" in
  app)
    setup
    "$VENV/bin/inspector-app" demo --data-dir demo-data --if-missing
    exec "$VENV/bin/inspector-app" --data-dir demo-data "$@"
    ;;
  test)
    setup
    export QT_QPA_PLATFORM=offscreen
    "$VENV/bin/ruff" check .
    # The import contracts in pyproject.toml (layers, headquarters' imports, Qt only in gui).
    "$VENV/bin/lint-imports"
    # The type check (pyproject.toml's [tool.mypy]); an error fails the run, as ruff's do.
    "$VENV/bin/mypy"
    # In parallel (pytest-xdist): 3 worker processes was quickest on 2 cores, since much of
    # a test's time is spent waiting (fsync, server start-ups, PostgreSQL). loadgroup: the
    # tests sharing a module-scoped fixture stay on one worker (tests/conftest.py).
    # TEST_WORKERS=0 runs in this process; "-n N" among ARGS overrides.
    # --max-worker-restart 0: a worker that crashes (a segfault) ends the run, failed and
    # naming the test. Replacing it would hang under loadgroup (pytest-xdist issue #1378).
    exec "$VENV/bin/python" -m pytest -n "${TEST_WORKERS:-3}" --dist loadgroup \
      --max-worker-restart 0 "$@"
    ;;
  *)
    echo "usage: ./dev.sh app | ./dev.sh test" >&2
    exit 2
    ;;
esac
