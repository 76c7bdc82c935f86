"""The PyInstaller spec and the packaging scripts: well-formed, self-contained.

The build itself is checked by packaging/check-build.sh (it takes about 40 seconds and
half a gigabyte of disk), not here.
"""

from __future__ import annotations

import ast
import importlib.util
import os
import re
import runpy
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import PACKAGING, ROOT

SCRIPTS = ("build-linux.sh", "check-build.sh", "install-linux.sh")


def test_spec_is_python_with_paths_relative_to_itself() -> None:
    source = (PACKAGING / "evidence-kit.spec").read_text(encoding="utf-8")
    ast.parse(source)
    assert "SPECPATH" in source
    assert not re.search(r"['\"]/(work|home|tmp|Users)/", source), "no machine's own paths"
    for name in ("launcher.py", "rthook_fonts.py", "fonts-LICENSE.txt", "hooks"):
        assert (PACKAGING / name).exists(), name
        assert name in source, name


@pytest.mark.parametrize("script", SCRIPTS)
def test_shell_scripts_parse(script: str) -> None:
    path = PACKAGING / script
    assert os.access(path, os.X_OK), f"{script} is executable"
    subprocess.run([shutil.which("bash") or "/bin/bash", "-n", str(path)], check=True)
    shellcheck = shutil.which("shellcheck")
    if shellcheck is not None:
        result = subprocess.run([shellcheck, "-S", "warning", str(path)],
                                capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stdout


def test_font_hook_keeps_the_users_folders_first(tmp_path: Path) -> None:
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    code = ("import os, sys; sys._MEIPASS = sys.argv[1]; "
            f"exec(open({str(PACKAGING / 'rthook_fonts.py')!r}).read()); "
            "print(os.environ['EVIDENCE_KIT_FONT_DIRS'])")
    env = {**os.environ, "EVIDENCE_KIT_FONT_DIRS": "/mine"}
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], env=env,
                         capture_output=True, text=True, check=True).stdout.strip()
    assert out.split(os.pathsep) == ["/mine", str(fonts)]


def test_pynput_hook_lists_only_this_platforms_backends() -> None:
    if importlib.util.find_spec("pynput") is None:  # importing it needs a display
        pytest.skip("pynput is not installed")
    namespace = runpy.run_path(str(PACKAGING / "hooks" / "hook-pynput.py"))
    hidden = namespace["hiddenimports"]
    assert isinstance(hidden, list)
    if sys.platform.startswith("linux"):
        assert "pynput.keyboard._xorg" in hidden and "pynput.mouse._xorg" in hidden
        assert not any("win32" in name or "darwin" in name for name in hidden)


@pytest.mark.gui
@pytest.mark.screen
@pytest.mark.slow
def test_screenshot_script_drives_the_app_end_to_end(tmp_path: Path) -> None:
    """The script that takes the README's pictures still works with the app as it is."""
    if shutil.which("Xvfb") is None or shutil.which("pdftoppm") is None:
        pytest.skip("needs Xvfb and pdftoppm")
    out = tmp_path / "shots"
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run(
        [sys.executable, str(PACKAGING / "screenshots.py"), "--out", str(out),
         "--workdir", str(tmp_path / "work")],
        capture_output=True, text=True, env=env, timeout=240, check=False, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    names = {p.stem for p in out.glob("*.png")}
    for name in ("01-welcome", "03-first-run-recovery-code", "06-unlock", "07-main-window",
                 "10-viewer", "11-capture-details", "17-about", "19-pack-cover"):
        assert name in names, name
    assert names <= {p.stem for p in (ROOT / "resources" / "screenshots").glob("*.png")}, \
        "every picture the script takes is in the repository (run the script)"
