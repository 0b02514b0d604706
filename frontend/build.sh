#!/usr/bin/env bash
# Build the web UI bundle that Django serves (frontend/dist/, or $FRONTEND_DIST), only doing what
# is needed:
#   1. npm ci when node_modules is missing or package-lock.json changed since the last install;
#   2. check that the committed OpenAPI schema (openapi.yaml) and the typed client
#      (src/api/schema.d.ts) match the backend; fail when they are stale;
#   3. type-check and build with vite when dist/ is missing or older than the sources.
#
# Usage: frontend/build.sh [--update-client] [--check-only] [--force]
#   --update-client  regenerate openapi.yaml and src/api/schema.d.ts instead of failing
#   --check-only     only steps 1 and 2 (npm run check:client)
#   --force          build even when dist/ looks up to date
# SKIP_CLIENT_CHECK=1 skips step 2 (e.g. to serve a bundle while the API is being changed).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
PY="${PYTHON:-$ROOT/.venv/bin/python}"
[[ -x "$PY" ]] || PY="python3"

update_client=0
check_only=0
force=0
for arg in "$@"; do
  case "$arg" in
    --update-client) update_client=1 ;;
    --check-only) check_only=1 ;;
    --force) force=1 ;;
    *) echo "unknown option: $arg" >&2; exit 2 ;;
  esac
done

cd "$HERE"
DIST="${FRONTEND_DIST:-$HERE/dist}"

# 1. dependencies
lock_hash="$(sha256sum package-lock.json | cut -d' ' -f1)"
stamp="node_modules/.storeledger-lock-hash"
if [[ ! -d node_modules || ! -f "$stamp" || "$(cat "$stamp")" != "$lock_hash" ]]; then
  echo "frontend: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > "$stamp"
fi

# 2. the typed client must match the backend's schema
if [[ "${SKIP_CLIENT_CHECK:-0}" != "1" ]]; then
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  # on SQLite whatever $DATABASE_URL says: a field's integer limits come from the database in use
  # (PostgreSQL's are 32-bit), and the committed schema must not depend on where it was built
  (cd "$ROOT" && DATABASE_URL="sqlite:///$tmp/schema.sqlite3" "$PY" manage.py spectacular --lang en \
    --file "$tmp/openapi.yaml" 2>"$tmp/spectacular.log") || {
    cat "$tmp/spectacular.log" >&2
    echo "frontend: could not generate the OpenAPI schema" >&2
    exit 1
  }
  npx --no-install openapi-typescript "$tmp/openapi.yaml" --default-non-nullable=false -o "$tmp/schema.d.ts" >/dev/null 2>"$tmp/openapi-typescript.log" || {
    cat "$tmp/openapi-typescript.log" >&2
    exit 1
  }
  if cmp -s "$tmp/openapi.yaml" openapi.yaml && cmp -s "$tmp/schema.d.ts" src/api/schema.d.ts; then
    echo "frontend: typed API client is up to date"
  elif [[ $update_client == 1 ]]; then
    cp "$tmp/openapi.yaml" openapi.yaml
    cp "$tmp/schema.d.ts" src/api/schema.d.ts
    echo "frontend: regenerated openapi.yaml and src/api/schema.d.ts"
  else
    echo "frontend: the committed API schema/client is stale relative to the backend." >&2
    diff -u openapi.yaml "$tmp/openapi.yaml" | head -40 >&2 || true
    echo "frontend: run 'frontend/build.sh --update-client' (or 'npm run gen:client' after" \
      "'manage.py spectacular --lang en --file frontend/openapi.yaml') and commit the result." >&2
    exit 1
  fi
fi
[[ $check_only == 1 ]] && exit 0

# 3. build when dist/ is older than any source
needs_build=$force
if [[ ! -f "$DIST/index.html" ]]; then
  needs_build=1
elif [[ -n "$(find src public index.html package-lock.json vite.config.ts tsconfig.json \
  -newer "$DIST/index.html" -print -quit)" ]]; then
  needs_build=1
fi
if [[ $needs_build == 1 ]]; then
  echo "frontend: building"
  npx --no-install tsc -b
  npx --no-install vite build --logLevel warn --outDir "$DIST" --emptyOutDir
  touch "$DIST/index.html"
else
  echo "frontend: $DIST is up to date"
fi
