"""PyInstaller runtime hook: let the PDF export find the fonts shipped inside the build.

The export searches the folders in EVIDENCE_KIT_FONT_DIRS before the system's (see
evidence_kit/export/fonts.py). The build carries a primary family (DejaVu) in
``fonts/`` so a pack can be made on a machine that has none of the usual fonts; any
folders the user already named keep their priority.
"""

import os
import sys

_fonts = os.path.join(getattr(sys, "_MEIPASS", os.path.dirname(sys.executable)), "fonts")
if os.path.isdir(_fonts):
    _given = [p for p in os.environ.get("EVIDENCE_KIT_FONT_DIRS", "").split(os.pathsep) if p]
    os.environ["EVIDENCE_KIT_FONT_DIRS"] = os.pathsep.join([*_given, _fonts])
