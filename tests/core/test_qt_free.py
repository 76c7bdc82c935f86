"""The core must run where Qt cannot: a headless server, a recipient's script."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import evidence_kit.core


def test_importing_every_core_module_loads_no_qt() -> None:
    found = pkgutil.iter_modules(evidence_kit.core.__path__)
    modules = [f"evidence_kit.core.{m.name}" for m in found]
    assert "evidence_kit.core.vault" in modules and len(modules) >= 10
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6'))\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "", f"core pulled in Qt: {result.stdout}"
