#!/usr/bin/env bash
# The whole test suite, from a fresh clone: .venv, Debian's chromium for the browser tests and postgresql for the
# store tests, lint, types, tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh test
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "unspin: installing Debian's chromium for the browser tests" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "unspin: could not install chromium; browser tests will be skipped" >&2
fi
# The store tests start their own PostgreSQL server (tests/postgres.py) from these binaries.
if ! command -v initdb >/dev/null 2>&1 && ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null \
  && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "unspin: installing Debian's postgresql for the store tests" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) \
    || echo "unspin: could not install postgresql; the PostgreSQL store tests will fail" >&2
fi
# Here a PostgreSQL server that cannot be started fails the tests instead of skipping them (`off` skips them).
export UNSPIN_TEST_POSTGRES="${UNSPIN_TEST_POSTGRES:-required}"
.venv/bin/ruff check src tests benchmarks
.venv/bin/mypy
.venv/bin/python -m pytest "$@"
