"""The recovery code on paper or in a file: made at the first run and after a key rotation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from evidence_kit import APP_NAME
from evidence_kit.core.fsutil import atomic_write
from evidence_kit.ui.messages import show_error


def code_sheet(folder: Path, code: str, made: dt.datetime) -> str:
    # ``made`` comes from the vault's clock (injected in tests), shown in the zone in force.
    made_on = made.astimezone().strftime("%d %B %Y")
    return (f"{APP_NAME}: recovery code\n\n"
            f"Vault folder: {folder}\nMade: {made_on}\n\n"
            f"    {code}\n\n"
            "This code opens your evidence vault if you forget your passphrase.\n"
            "Keep it somewhere safe, away from the computer. Anyone with this code and\n"
            "the vault folder can read your evidence.\n")


def print_code(parent: QWidget, folder: Path, code: str, made: dt.datetime) -> None:
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = QPrinter()
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("Print your recovery code")
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return
    doc = QTextDocument()
    doc.setPlainText(code_sheet(folder, code, made))
    doc.print_(printer)


def save_code(parent: QWidget, folder: Path, code: str, made: dt.datetime) -> bool:
    path, _filter = QFileDialog.getSaveFileName(
        parent, "Save the recovery code", str(Path.home() / "evidence-kit-recovery-code.txt"),
        "Text files (*.txt)")
    if not path:
        return False
    try:
        atomic_write(Path(path), code_sheet(folder, code, made).encode("utf-8"))
    except Exception as exc:
        show_error(parent, exc, "saving the recovery code")
        return False
    return True
