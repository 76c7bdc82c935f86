"""Evidence packs: the PDF and ZIP a member of staff hands over, and the recipient's check.

Public API::

    export_pack(vault, PackRequest(...), out_dir, progress=None) -> ExportResult
    redact_item(vault, item_id, [Box(...)], reason) -> Item
    verify_bundle(path) -> BundleReport          (no vault, no Qt)

The import of the builders is lazy so that ``verify_bundle`` loads only what it needs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from evidence_kit.export.verify import BundleReport, verify_bundle

if TYPE_CHECKING:
    from evidence_kit.export.exporter import ExportResult, export_pack
    from evidence_kit.export.pack import PackRequest
    from evidence_kit.export.redact import Box, redact_item

__all__ = ["Box", "BundleReport", "ExportResult", "PackRequest", "export_pack", "redact_item",
           "verify_bundle"]

_LAZY = {
    "ExportResult": "evidence_kit.export.exporter",
    "export_pack": "evidence_kit.export.exporter",
    "PackRequest": "evidence_kit.export.pack",
    "Box": "evidence_kit.export.redact",
    "redact_item": "evidence_kit.export.redact",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(name)
    import importlib

    return getattr(importlib.import_module(module), name)
