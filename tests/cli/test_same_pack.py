"""A pack made entirely from the command line is the pack the app makes.

One vault is filled only through the command line, then copied byte for byte. From one
copy the command line exports; from the other, the library calls the app makes (the
export dialog's request, ``export_pack``). The gathered packs are equal field for field,
and so are the PDFs' words, once the pack's reference, its time and its checkpoint are
set aside.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from evidence_kit.cli import main as cli_main
from evidence_kit.cli.checks import export_request
from evidence_kit.cli.parser import build_parser
from evidence_kit.core.vault import LOCK_NAME, Vault
from evidence_kit.export.exporter import export_pack
from evidence_kit.export.pack import DEFAULT_MARKING, Pack, PackRequest, gather
from tests.cli.conftest import png
from tests.conftest import PASSPHRASE
from tests.export.conftest import needs_poppler, pdf_text


def _fill(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    shots = []
    for n in range(3):
        shot = tmp_path / f"shot{n}.png"
        shot.write_bytes(png(60 + n, 40))
        shots.append(shot)
    steps = [
        ("profile", "set", "--name", "Jane Smith", "--initials", "JS", "--role",
         "Year 6 teacher", "--school", "Hillside Academy", "--contact",
         "Designated safeguarding lead=Mr Patel,0161 000 0000"),
        ("incident", "new", "Comments on the school page"),
        ("incident", "new", "Direct messages"),
        ("incident", "summary", "1", "Comments calling me a liar."),
        ("incident", "summary", "2", "Messages to my own account."),
        ("add", shots[0], "--incident", "1", "--account", "@Jane Doe", "--what",
         "a comment", "--url", "https://www.facebook.com/groups/1/posts/2"),
        ("add", shots[1], "--incident", "1", "--account", "jane doe", "--posted-at",
         "2026-03-11 21:40"),
        ("add", shots[2], "--incident", "2", "--account", "JaneDoe", "--category",
         "harassment"),
        ("note", "The head saw these too.", "--incident", "1"),
        ("action", "told-slt", "--incident", "1", "--to", "Mrs Khan", "--on",
         "2026-03-12 09:00"),
        ("action", "reported-platform", "--incident", "1", "--platform", "Facebook",
         "--reference", "FB-1", "--on", "2026-03-12 09:30"),
        ("action", "removal-requested", "--incident", "1", "--asked", "Facebook", "--on",
         "2026-03-12 09:31"),
        ("action", "removal-checked", "--result", "removed", "--on", "2026-03-13 10:00"),
        ("action", "consent-police", "--incident", "2", "--consent", "yes", "--on",
         "2026-03-13 11:00"),
        ("action", "police", "--incident", "2", "--reference", "1234567/26", "--on",
         "2026-03-14 12:00"),
        ("redact", "1", "--box", "1,1,10,10:a pupil's name"),
    ]
    for step in steps:
        done = cli(*step)
        assert done.code == 0, (step, done.err)


def _set_aside(pack: Pack) -> Pack:
    return dataclasses.replace(pack, pack_id="", made_at="", checkpoint=None,  # type: ignore[arg-type]
                               earlier=())


_PACK_ID = re.compile(r"EK-\d{8}-\d{4}-[0-9A-F]{6}")


_CLOCK_TIME = re.compile(r"\b\d{1,2}:\d{2}:\d{2}\b")


def _words(pdf: Path, pack_id: str) -> list[str]:
    """The PDF's lines with the reference, the times of day and the checkpoint's note
    set aside. Only the pack's own times differ between the copies: every recorded
    time is the same journal's."""
    lines = []
    skipping = False
    for page in pdf_text(pdf):
        for line in page.splitlines():
            if "The signed checkpoint" in line:
                skipping = True  # the note itself: its time and signature differ
            elif line.startswith("How to check it"):
                skipping = False
            if not skipping:
                lines.append(_CLOCK_TIME.sub("TIME", line.replace(pack_id, "PACK")))
    return lines


@pytest.mark.parametrize(("argv", "app_request"), [
    (["--incident", "1,2", "--for", "police"],
     PackRequest(recipient="police", incidents=(1, 2), marking=DEFAULT_MARKING)),
    # As the app's export dialog asks for one whole incident (redacted copies used).
    (["--incident", "1", "--for", "slt"],
     PackRequest(recipient="slt", incident=1, marking=DEFAULT_MARKING, use_redactions=True,
                 include_originals=False)),
])
@needs_poppler
def test_command_line_pack_equals_the_apps(inited, vault_dir: Path, tmp_path: Path,  # type: ignore[no-untyped-def]
                                           argv: list[str], app_request: PackRequest) -> None:
    _fill(inited, tmp_path)
    copies = {}
    for name in ("cli", "app"):
        copies[name] = tmp_path / f"vault-{name}"
        shutil.copytree(vault_dir, copies[name], ignore=shutil.ignore_patterns(LOCK_NAME))
    args = build_parser().parse_args(["--vault", str(copies["cli"]), "export", *argv,
                                      "--out", str(tmp_path / "out-cli")])
    cli_request = export_request(args)
    assert cli_request == app_request

    with Vault.open(copies["cli"], PASSPHRASE) as cli_vault, \
            Vault.open(copies["app"], PASSPHRASE) as app_vault:
        checkpoint = cli_vault.checkpoint()
        assert app_vault.checkpoint().root == checkpoint.root  # the same journal
        from_cli = gather(cli_vault, cli_request, checkpoint)
        from_app = gather(app_vault, app_request, app_vault.latest_checkpoint())
        for field in dataclasses.fields(Pack):
            assert getattr(_set_aside(from_cli), field.name) == getattr(
                _set_aside(from_app), field.name), field.name
        assert from_cli.profile.name == "Jane Smith" and from_cli.actions
        assert any(e.redacted is not None for e in from_cli.exhibits)

    code = cli_main(["--vault", str(copies["cli"]), "export", *argv, "--out",
                     str(tmp_path / "out-cli")])
    assert code == 0
    cli_pdf = next((tmp_path / "out-cli").glob("*.pdf"))
    with Vault.open(copies["app"], PASSPHRASE) as app_vault:
        made = export_pack(app_vault, app_request, tmp_path / "out-app")
    cli_id = _PACK_ID.search(cli_pdf.name)
    assert cli_id is not None
    # Compared word by word: the two pack references differ in width, so a line of the
    # statement may wrap one word earlier in one pack than in the other.
    cli_words = " ".join(_words(cli_pdf, cli_id.group(0))).split()
    app_words = " ".join(_words(made.pdf, made.pack_id)).split()
    assert "Prepared by" in " ".join(app_words) and "Jane Smith" in " ".join(app_words)
    # As a multiset: pdftotext may read two cells of one table row in either order when
    # one of them wraps differently.
    missing = Counter(cli_words) - Counter(app_words)
    extra = Counter(app_words) - Counter(cli_words)
    assert not missing and not extra, (missing, extra)
