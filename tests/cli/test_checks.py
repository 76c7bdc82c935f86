"""verify-bundle from the command line (export is tested with the packs, tests/export)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli_process


def test_verify_bundle_of_something_that_is_not_a_bundle(tmp_path: Path) -> None:
    fake = tmp_path / "pack.zip"
    fake.write_bytes(b"this is not a zip file at all")
    result = run_cli_process("verify-bundle", fake)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    as_json = run_cli_process("verify-bundle", fake, "--json")
    assert as_json.returncode == result.returncode
    assert json.loads(as_json.stdout)


def test_export_needs_what_and_for_whom(tmp_path: Path) -> None:
    missing = run_cli_process("export", "--for", "slt", "--out", tmp_path)
    assert missing.returncode == 2 and "--incident" in missing.stderr
    wrong = run_cli_process("export", "--items", "1", "--for", "parents", "--out", tmp_path)
    assert wrong.returncode == 2 and "invalid choice" in wrong.stderr


def test_export_without_initials_says_how_to_set_them_here(inited, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    picture = tmp_path / "post.txt"
    picture.write_text("a post\n")
    assert inited("incident", "new", "Posts").code == 0
    assert inited("add", picture, "--incident", "1").code == 0
    result = inited("export", "--incident", "1", "--for", "slt", "--out", tmp_path / "out")
    assert result.code == 2
    assert "evidence-kit profile set --initials" in result.err
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())
    assert inited("profile", "set", "--initials", "JS").code == 0
    assert inited("export", "--incident", "1", "--for", "slt", "--out", tmp_path / "out").code == 0
