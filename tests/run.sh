#!/usr/bin/env bash
# The one test command (README and CI): lint, type-check, the layer contract, then the suite.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=python3
[ -x .venv/bin/python ] && PY=.venv/bin/python
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
"$PY" -m ruff check evidence_kit tests
"$PY" -m mypy
# The layers DESIGN.md draws (pyproject.toml [tool.importlinter]).
"$PY" -c "import sys; from importlinter.cli import lint_imports_command as run; sys.argv[0] = 'lint-imports'; sys.exit(run())" --no-cache
"$PY" -m pytest "$@"
