"""The .desktop file, the AppStream metainfo, and the resources that ship in the wheel."""

from __future__ import annotations

import configparser
import glob
import shutil
import subprocess
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from .conftest import APP_ID, RESOURCES, ROOT

DESKTOP = RESOURCES / f"{APP_ID}.desktop"
METAINFO = RESOURCES / f"{APP_ID}.metainfo.xml"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read_string(DESKTOP.read_text(encoding="utf-8"))
    assert parser.sections() == ["Desktop Entry"]
    return parser["Desktop Entry"]


def test_desktop_file_starts_the_app_and_names_an_icon_that_exists() -> None:
    entry = desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Name"] == "Evidence Kit"
    assert entry["Terminal"] == "false"
    # The command is the one the package installs, and the frozen build is named after.
    assert entry["Exec"] == "evidence-kit" == entry["TryExec"]
    assert "evidence-kit" in PYPROJECT["project"]["scripts"]
    assert entry["Icon"] == APP_ID
    assert (RESOURCES / f"{APP_ID}.svg").is_file()
    pngs = sorted((ROOT / "evidence_kit" / "resources" / "icons").glob("evidence-kit-*.png"))
    assert len(pngs) >= 8, "the hicolor sizes the Linux build installs"
    # Qt sets WM_CLASS from the program name: the shell matches windows to the launcher.
    assert entry["StartupWMClass"] == "evidence-kit"
    assert entry["Categories"].endswith(";") and "Utility" in entry["Categories"]
    assert "evidence" in entry["Keywords"]


def test_desktop_file_passes_desktop_file_validate() -> None:
    tool = shutil.which("desktop-file-validate")
    if tool is None:
        pytest.skip("desktop-file-validate is not installed (apt-get install desktop-file-utils)")
    result = subprocess.run([tool, str(DESKTOP)], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and "error" not in result.stdout, result.stdout


def test_metainfo_is_well_formed_with_the_required_fields() -> None:
    root = ET.parse(METAINFO).getroot()  # noqa: S314 - our own file
    assert root.tag == "component" and root.get("type") == "desktop-application"

    def text(path: str) -> str:
        found = root.find(path)
        assert found is not None and found.text, f"metainfo lacks <{path}>"
        return found.text.strip()

    assert text("id") == APP_ID
    assert text("metadata_license") == "CC0-1.0"
    assert text("project_license") == PYPROJECT["project"]["license"] == "GPL-3.0-or-later"
    assert text("name") == "Evidence Kit"
    assert 10 < len(text("summary")) < 100
    assert len(root.findall("description/p")) >= 2
    launchable = root.find("launchable")
    assert launchable is not None and launchable.get("type") == "desktop-id"
    assert launchable.text == DESKTOP.name
    assert text("provides/binary") == "evidence-kit"
    assert root.find("content_rating") is not None
    releases = root.findall("releases/release")
    assert releases, "at least one release"
    assert releases[0].get("version") == PYPROJECT["project"]["version"], \
        "the newest release in the metainfo is the package's version"


def test_metainfo_passes_appstreamcli() -> None:
    tool = shutil.which("appstreamcli")
    if tool is None:
        pytest.skip("appstreamcli is not installed (apt-get install appstream)")
    result = subprocess.run([tool, "validate", "--no-net", "--no-color", str(METAINFO)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_runtime_resource_ships_in_the_wheel() -> None:
    """setuptools expands the package-data globs as glob(recursive=True) does."""
    package = ROOT / "evidence_kit"
    patterns = PYPROJECT["tool"]["setuptools"]["package-data"]["evidence_kit"]
    shipped = {Path(name) for pattern in patterns
               for name in glob.glob(pattern, root_dir=package, recursive=True)
               if (package / name).is_file()}
    resources = {p.relative_to(package) for p in (package / "resources").rglob("*")
                 if p.is_file()}
    assert resources, "evidence_kit/resources holds the icons and the guidance"
    assert resources <= shipped, f"not in the wheel: {sorted(map(str, resources - shipped))}"
    assert Path("resources/icons/evidence-kit-64.png") in shipped
