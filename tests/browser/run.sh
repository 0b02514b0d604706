#!/usr/bin/env bash
# Run the browser tests: Debian's Chromium (installed when missing) driven by Playwright for
# Python against pytest-django's live server. Never downloads a browser (no `playwright install`).
# Arguments go to pytest (e.g. one test file); none runs tests/browser. The database: $DATABASE_URL (default: var/browser-tests.sqlite3).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
PY="${PYTHON:-$ROOT/.venv/bin/python}"

if [[ ! -x /usr/bin/chromium ]]; then
  echo "browser tests: installing Debian's chromium"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
fi
if ! "$PY" -c "import playwright" 2>/dev/null; then
  "$PY" -m pip install --quiet playwright
fi

frontend/build.sh
(cd frontend && npx --no-install vitest run)

mkdir -p var test-artifacts/screenshots
export DATABASE_URL="${DATABASE_URL:-sqlite:///var/browser-tests.sqlite3}"
export STORELEDGER_BROWSER_TESTS=1
# Arguments name test files or pytest options; without any, the whole folder runs, on
# $BROWSER_WORKERS (2) workers: each has its own live server, database and Chromium, and the
# tests wait on the page far more than they compute (13 minutes on one worker, under 10 on two).
if [[ $# -eq 0 ]]; then set -- -n "${BROWSER_WORKERS:-2}" tests/browser; fi
exec "$PY" -m pytest -q -p no:randomly -m browser "$@"
