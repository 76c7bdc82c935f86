"""pynput picks its backend at run time (X11, uinput, Windows or macOS).

Replaces the hook in pyinstaller-hooks-contrib, which imports pynput to list its
modules and so fails without a display (as on a build server). This one lists the
files instead and leaves out the other platforms' backends.
"""

import importlib.util
import sys
from pathlib import Path

PLATFORMS = {"win32": {"win32", "win32_vks"}, "darwin": {"darwin", "darwin_vks"},
             "linux": {"xorg", "xorg_keysyms", "uinput"}}
OTHERS = set().union(*PLATFORMS.values()) - PLATFORMS.get(sys.platform, PLATFORMS["linux"])


def _modules(package):
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return []
    base = Path(next(iter(spec.submodule_search_locations)))
    names = []
    for path in sorted(base.rglob("*.py")):
        parts = path.relative_to(base).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if not {part.lstrip("_") for part in parts} & OTHERS:
            names.append(".".join((package, *parts)))
    return names


hiddenimports = _modules("pynput")
