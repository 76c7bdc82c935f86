"""ReportLab's TrueType reader, with its three per-glyph loops done in bulk.

ReportLab reads a font's character map, advance widths and glyph locations one number
at a time in Python: 0.16 s for a Chinese font of 49,000 glyphs, most of the cost of the
first multi-script pack in a process. :class:`FastFace` reads the same tables with one
``struct`` call each and builds exactly the attributes ReportLab's ``extractInfo`` does
(tests compare the two on every font installed); a character map in a format other than
4 or 12 goes through ReportLab's own reader.
"""

from __future__ import annotations

import gc
import os
import struct
import zlib
from fnmatch import fnmatch
from typing import Any
from weakref import WeakKeyDictionary

from reportlab import rl_config
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.ttfonts import (
    FF_NONSYMBOLIC,
    FF_SYMBOLIC,
    TTEncoding,
    TTFError,
    TTFont,
    TTFontFace,
    unShapedFontGlob,
)


class FastFace(TTFontFace):  # type: ignore[misc]
    """Also keeps the subsets it embeds, built and compressed, per process: every chunk
    of a pack is a document of its own and embeds its own subset of each font it
    uses; chunks of the same kind of pages use the same characters in the same order,
    and building and compressing a subset again for each (a few milliseconds, for each
    of five or six fonts in a multi-script pack) was a tenth of drawing it. What is
    embedded is byte for byte what ReportLab makes."""

    KEPT = 48
    """Subsets kept per font (tens of kilobytes each, compressed)."""

    def extractInfo(self, charInfo: int = 1) -> None:  # ReportLab names it
        # Tens of thousands of small tuples and lists, none of them cyclic: the garbage
        # collector, run every few hundred of them over the whole heap, took longer
        # than reading them.
        collecting = gc.isenabled()
        gc.disable()
        try:
            self._extract(bool(charInfo))
        finally:
            if collecting:
                gc.enable()

    def addSubsetObjects(self, doc: Any, fontname: str, subset: list[int]) -> Any:
        if not doc.compression:
            return super().addSubsetObjects(doc, fontname, subset)
        key = tuple(subset)
        kept: dict[tuple[int, ...], tuple[bytes, int]] = self.__dict__.setdefault("_kept", {})
        found = kept.get(key)
        if found is None:
            made = self.makeSubset(subset)
            found = (zlib.compress(made), len(made))
            if len(kept) >= self.KEPT:
                kept.pop(next(iter(kept)))
            kept[key] = found
        font_file = pdfdoc.PDFStream()
        font_file.content = found[0]
        font_file.dictionary["Length1"] = found[1]
        font_file.dictionary["Filter"] = pdfdoc.PDFArray([pdfdoc.PDFName("FlateDecode")])
        font_file_ref = doc.Reference(font_file, f"fontFile:{self.filename}({fontname})")
        # The rest as ReportLab's own addSubsetObjects writes it.
        flags = (self.flags & ~FF_NONSYMBOLIC) | FF_SYMBOLIC
        descriptor = pdfdoc.PDFDictionary({
            "Type": "/FontDescriptor", "Ascent": self.ascent, "CapHeight": self.capHeight,
            "Descent": self.descent, "Flags": flags, "FontBBox": pdfdoc.PDFArray(self.bbox),
            "FontName": pdfdoc.PDFName(fontname), "ItalicAngle": self.italicAngle,
            "StemV": self.stemV, "FontFile2": font_file_ref,
            "MissingWidth": self.defaultWidth,
        })
        return doc.Reference(descriptor, "fontDescriptor:" + fontname)

    def _extract(self, char_info: bool) -> None:
        super().extractInfo(charInfo=0)  # names, head, OS/2, post, hhea, maxp
        if not char_info:
            return
        data = self._ttf_data
        head = self.get_table_pos("head")[0]
        index_to_loc, glyph_format = struct.unpack_from(">hh", data, head + 50)
        if glyph_format != 0:
            raise TTFError(f"Unknown glyph data format ({glyph_format})")
        found = self._cmap(data)
        if found is None:  # a format only ReportLab reads
            super().extractInfo(charInfo=1)
            return
        self.charToGlyph = char_to_glyph = found
        glyph_to_char: dict[int, list[int]] = {}
        self.glyphToChar = glyph_to_char
        for char, glyph in char_to_glyph.items():
            glyph_to_char.setdefault(glyph, []).append(char)
        scale = self._pdfScale
        metrics = struct.unpack_from(">H", data, self.get_table_pos("hhea")[0] + 34)[0]
        count = self.numGlyphs
        hmtx = self.get_table_pos("hmtx")[0]
        pairs = struct.unpack_from(f">{2 * metrics}H", data, hmtx)
        advances = pairs[0::2]
        self.hmetrics = list(zip(advances, pairs[1::2], strict=True))
        scaled = [scale(aw) for aw in advances]
        self.defaultWidth = scaled[0]
        if count > metrics:
            # The rest list only side bearings; ReportLab pairs them with the last
            # advance as scaled (so its subsets do the same).
            bearings = struct.unpack_from(f">{count - metrics}H", data, hmtx + 4 * metrics)
            self.hmetrics += [(scaled[-1], lsb) for lsb in bearings]
            scaled += [scaled[-1]] * (count - metrics)
        known = len(scaled)
        self.charWidths = char_widths = {char: scaled[glyph] for char, glyph
                                         in char_to_glyph.items() if glyph < known}
        if "loca" not in self.table:
            raise TTFError("missing location table")
        loca = self.get_table_pos("loca")[0]
        if index_to_loc == 0:
            self.glyphPos = [v << 1 for v in struct.unpack_from(f">{count + 1}H", data, loca)]
        elif index_to_loc == 1:
            self.glyphPos = list(struct.unpack_from(f">{count + 1}L", data, loca))
        else:
            raise TTFError(f"Unknown location table format ({index_to_loc})")
        if 0x20 in char_to_glyph:
            char_to_glyph[0xA0] = char_to_glyph[0x20]
            char_widths[0xA0] = char_widths[0x20]
        elif 0xA0 in char_to_glyph:
            char_to_glyph[0x20] = char_to_glyph[0xA0]
            char_widths[0x20] = char_widths[0xA0]

    def _cmap(self, data: bytes) -> dict[int, int] | None:
        """Character to glyph, from the subtable ReportLab would choose."""
        cmap = self.get_table_pos("cmap")[0]
        version, tables = struct.unpack_from(">HH", data, cmap)
        if tables == 0 and version != 0:
            tables = version
        chosen, kind = None, 0
        for n in range(tables):  # ReportLab's order of preference, exactly
            platform, encoding, offset = struct.unpack_from(">HHL", data, cmap + 4 + 8 * n)
            if platform == 3:
                kind, chosen = 1, offset
            elif platform == 1 and encoding == 0 and kind != 1:
                kind, chosen = 2, offset
            elif (platform == 1 and encoding == 1) or (platform == 0 and encoding != 5):
                kind, chosen = 1, offset
        if chosen is None:
            raise TTFError("could not find a suitable cmap encoding")
        start = cmap + chosen
        fmt = struct.unpack_from(">H", data, start)[0]
        if fmt == 4:
            return _format4(data, start)
        if fmt == 12:
            return _format12(data, start)
        return None


def _format4(data: bytes, start: int) -> dict[int, int]:
    length = struct.unpack_from(">H", data, start + 2)[0]
    limit = start + length
    segments = struct.unpack_from(">H", data, start + 6)[0] // 2
    ends = struct.unpack_from(f">{segments}H", data, start + 14)
    starts = struct.unpack_from(f">{segments}H", data, start + 16 + 2 * segments)
    deltas = struct.unpack_from(f">{segments}h", data, start + 16 + 4 * segments)
    range_at = start + 16 + 6 * segments
    ranges = struct.unpack_from(f">{segments}H", data, range_at)
    out: dict[int, int] = {}
    for n in range(segments):
        first, last, delta, offset = starts[n], ends[n], deltas[n], ranges[n]
        if last < first:
            continue
        if offset == 0:
            out.update((c, (c + delta) & 0xFFFF) for c in range(first, last + 1))
            continue
        base = range_at + 2 * n + offset
        count = last - first + 1
        within = max(0, min(count, (limit - base + 1) // 2)) if base < limit else 0
        glyphs = struct.unpack_from(f">{within}H", data, base) if within else ()
        for i in range(count):
            # Past the table's end ReportLab reads glyph 0 (broken fonts).
            glyph = glyphs[i] if i < within and base + 2 * i < limit else 0
            out[first + i] = (glyph + delta) & 0xFFFF if glyph else 0
    return out


def _format12(data: bytes, start: int) -> dict[int, int]:
    groups = struct.unpack_from(">L", data, start + 12)[0]
    values = struct.unpack_from(f">{3 * groups}L", data, start + 16)
    out: dict[int, int] = {}
    for n in range(groups):
        first, last, glyph = values[3 * n], values[3 * n + 1], values[3 * n + 2]
        out.update(zip(range(first, last + 1), range(glyph, glyph + last - first + 1),
                       strict=True))
    return out


def fast_ttfont(name: str, path: str | os.PathLike[str], subfont: int = 0) -> Any:
    """A shapable ``TTFont`` as ReportLab's constructor makes it, with a
    :class:`FastFace` (the constructor would parse the file with its own)."""
    font = TTFont.__new__(TTFont)
    font.fontName = name
    font.face = FastFace(os.fspath(path), validate=0, subfontIndex=subfont)
    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable
    font.shapable = not any(fnmatch(name, glob) for glob in unShapedFontGlob)
    return font
