#!/usr/bin/env bash
# Create .venv (when missing) and install unspin into it; safe to run again (skips when nothing changed).
# Usage: scripts/bootstrap.sh [extras], e.g. scripts/bootstrap.sh test
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"
python="${PYTHON:-python3.11}"
command -v "$python" >/dev/null 2>&1 || python=python3
if [ ! -x .venv/bin/python ]; then
  echo "unspin: creating .venv with $("$python" --version)" >&2
  "$python" -m venv .venv
fi
spec="."
[ -n "$extras" ] && spec=".[$extras]"
stamp=".venv/.unspin-installed-${extras:-base}"
digest=$(cat pyproject.toml | sha256sum | cut -c1-16)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$digest" ] || [ ! -x .venv/bin/unspin ]; then
  echo "unspin: installing $spec into .venv (first run takes a few minutes)" >&2
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e "$spec"
  echo "$digest" > "$stamp"
fi
# The offline gazetteer index is built once per machine (about 15 s), not on a user's first analysis.
.venv/bin/python -m unspin.geo.gazetteer "${UNSPIN_CACHE:-}" >/dev/null || echo "unspin: gazetteer index not built; it will be built on first use" >&2
