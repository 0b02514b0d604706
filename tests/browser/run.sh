#!/usr/bin/env bash
# Run the browser tests: Debian's Chromium (installed when missing) driven by Playwright for
# Python against pytest-django's live server. Never downloads a browser (no `playwright install`).
# Extra arguments go to pytest. The database: $DATABASE_URL (default: var/browser-tests.sqlite3).
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
exec "$PY" -m pytest -q -p no:randomly -m browser tests/browser "$@"
