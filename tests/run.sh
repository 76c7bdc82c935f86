#!/usr/bin/env bash
# The one test command (README and CI): lint, type-check, then the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=python3
[ -x .venv/bin/python ] && PY=.venv/bin/python
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
"$PY" -m ruff check evidence_kit tests
"$PY" -m mypy
"$PY" -m pytest "$@"
