"""Joining the pack's chunk PDFs into one file as they are built: memory does not grow
with pages.

The chunks are ReportLab's own output, which is simple PDF: a classic cross-reference
table, no object streams, no encryption, no incremental updates. So the join is a small
copier rather than a general PDF library. Each chunk (a few exhibits) is built in memory
and copied into the output straight away (:class:`StreamingJoin`): the copier walks the
objects its pages reach, gives each a new number, rewrites the references in the
objects' dictionaries and arrays (never inside stream data, which goes to the output as
it is) and then lets the chunk go. What it keeps is a table of numbers and offsets. The
chunks never touch the disk: writing them and reading them back was a fifth of an
export's time, for bytes that are written again in the pack.

(pikepdf, which did this before, copies every stream into memory when a page is copied
between files: it turns on qpdf's "immediate copy", measured at about 0.7 MB per
exhibit. qpdf's own command-line tool joins with flat memory, but using it would mean
shipping and running a native binary beside the app on every platform; this copier is
a few hundred lines of Python over output we make ourselves.)

"Page X of Y" is known only when every chunk is built, so it comes from a separate thin
ReportLab PDF with one page per number: each of its pages becomes a form laid over the
matching page of the pack, drawn after the page's own content in a clean graphics state.

Anything a chunk contains that this copier does not expect is refused with
:class:`PdfJoinError` rather than copied wrongly; the chunks are ours, so that would be
a bug to fix here, never something a user can cause.

Over 400 lines on purpose: one small PDF object copier (tokens, objects, references, the
page tree) whose parts only make sense together; it is tested against pikepdf as a
whole.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

_WHITESPACE = frozenset(b"\x00\t\n\x0c\r ")
_DELIMITERS = frozenset(b"()<>[]{}/%")
_SPACE = re.compile(rb"(?:[\x00\t\n\x0c\r ]+|%[^\r\n]*)*")
_REGULAR = re.compile(rb"[^\x00\t\n\x0c\r ()<>\[\]{}/%]*")
_NUMBERS = re.compile(rb"\[[0-9.+\-\x00\t\n\x0c\r ]*\]")
_FIRST_WINDOW = 1 << 14
_INHERITED = (b"/Resources", b"/MediaBox", b"/CropBox", b"/Rotate")
FOOTER_NAME = b"/EvidenceKitPageNumber"


class PdfJoinError(Exception):
    """A chunk is not the simple PDF this copier reads (a bug, not a user's problem)."""


# --- PDF objects, as far as the copier needs them -----------------------------------


@dataclass(frozen=True)
class Ref:
    num: int
    gen: int = 0


@dataclass(frozen=True)
class Name:
    raw: bytes  # with the slash, exactly as written (so #xx escapes survive)


@dataclass(frozen=True)
class Raw:
    """A number, string, boolean or null, kept byte for byte."""

    raw: bytes


Value = Ref | Name | Raw | list["Value"] | dict[Name, "Value"]


def name(text: bytes) -> Name:
    return Name(text if text.startswith(b"/") else b"/" + text)


def number(value: int | float) -> Raw:
    if isinstance(value, int):
        return Raw(str(value).encode())
    return Raw(f"{value:.4f}".rstrip("0").rstrip(".").encode())


def text_string(text: str) -> Raw:
    """A PDF text string: plain ASCII as a literal, anything else as UTF-16BE."""
    if all(32 <= ord(c) < 127 for c in text):
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        return Raw(b"(" + escaped.encode("ascii") + b")")
    return Raw(b"<feff" + text.encode("utf-16-be").hex().encode() + b">")


def serialize(value: Value) -> bytes:
    if isinstance(value, Ref):
        return b"%d %d R" % (value.num, value.gen)
    if isinstance(value, Name | Raw):
        return value.raw
    if isinstance(value, list):
        return b"[" + b" ".join(serialize(v) for v in value) + b"]"
    if isinstance(value, dict):
        return b"<<" + b" ".join(k.raw + b" " + serialize(v) for k, v in value.items()) + b">>"
    raise PdfJoinError(f"cannot write {value!r}")


class _Truncated(Exception):
    """The window read from the file ended inside the object: read more."""


class _Lexer:
    """Reads PDF values from bytes. ``complete`` says whether the bytes hold the whole
    object; if not, running off their end raises :class:`_Truncated` (read more)."""

    def __init__(self, data: bytes, complete: bool) -> None:
        self.data = data
        self.pos = 0
        self.complete = complete

    def _has(self, count: int = 1) -> bool:
        """Whether ``count`` more bytes are there."""
        if self.pos + count <= len(self.data):
            return True
        if not self.complete:
            raise _Truncated
        return False

    def _boundary(self, at: int) -> bool:
        """Whether a token ends before ``at``."""
        if at < len(self.data):
            return self.data[at] in _WHITESPACE or self.data[at] in _DELIMITERS
        if not self.complete:
            raise _Truncated
        return True

    # Whitespace, comments and regular tokens are matched with one regular expression
    # each rather than a byte at a time: measured, the join took half as long.

    def skip_space(self) -> None:
        end = _SPACE.match(self.data, self.pos).end()  # type: ignore[union-attr]
        if end == len(self.data) and not self.complete:
            raise _Truncated
        self.pos = end

    def _regular(self) -> bytes:
        start = self.pos
        end = _REGULAR.match(self.data, start).end()  # type: ignore[union-attr]
        if end == len(self.data) and not self.complete:
            raise _Truncated  # the token may go on past the window
        self.pos = end
        return self.data[start:end]

    def keyword(self) -> bytes:
        self.skip_space()
        if not self._has():
            raise PdfJoinError("unexpected end of object")
        return self._regular()

    def value(self) -> Value:
        self.skip_space()
        if not self._has():
            raise PdfJoinError("unexpected end of object")
        data = self.data
        byte = data[self.pos]
        if byte == 0x2F:  # /Name
            start = self.pos
            self.pos += 1
            self._regular()
            return Name(data[start:self.pos])
        if byte == 0x28:  # (literal string)
            return Raw(self._literal())
        if byte == 0x3C and self._has(2) and data[self.pos + 1] == 0x3C:  # <<dictionary>>
            self.pos += 2
            result: dict[Name, Value] = {}
            while True:
                self.skip_space()
                if self._has(2) and data.startswith(b">>", self.pos):
                    self.pos += 2
                    return result
                key = self.value()
                if not isinstance(key, Name):
                    raise PdfJoinError("a dictionary key is not a name")
                result[key] = self.value()
        if byte == 0x3C:  # <hex string>
            start = self.pos
            while self._has() and data[self.pos] != 0x3E:
                self.pos += 1
            if not self._has():
                raise PdfJoinError("unterminated hex string")
            self.pos += 1
            return Raw(data[start:self.pos])
        if byte == 0x5B:  # [array]
            # Arrays of numbers alone (a font's /Widths, a box, a matrix: most of the
            # values in a chunk) hold no reference, so they are kept as they are.
            plain = _NUMBERS.match(data, self.pos)
            if plain is not None:
                self.pos = plain.end()
                return Raw(plain.group())
            self.pos += 1
            items: list[Value] = []
            while True:
                self.skip_space()
                if self._has() and data[self.pos] == 0x5D:
                    self.pos += 1
                    return items
                items.append(self.value())
        if byte in _DELIMITERS:
            raise PdfJoinError(f"unexpected {chr(byte)!r} at {self.pos}")
        token = self._regular()
        if token.isdigit():  # perhaps "num gen R"
            mark = self.pos
            self.skip_space()
            if self._has() and data[self.pos] in b"0123456789":
                gen = self._regular()
                self.skip_space()
                if gen.isdigit() and self._has() and data[self.pos] == 0x52 \
                        and self._boundary(self.pos + 1):
                    self.pos += 1
                    return Ref(int(token), int(gen))
            self.pos = mark
        if token in (b"obj", b"endobj", b"stream", b"endstream", b"R", b""):
            raise PdfJoinError(f"unexpected {token!r} at {self.pos}")
        return Raw(token)

    def _literal(self) -> bytes:
        data = self.data
        start = self.pos
        self.pos += 1
        depth = 1
        while depth:
            if not self._has():
                raise PdfJoinError("unterminated string")
            byte = data[self.pos]
            if byte == 0x5C:  # backslash: the next byte is escaped
                self.pos += 2
                continue
            if byte == 0x28:
                depth += 1
            elif byte == 0x29:
                depth -= 1
            self.pos += 1
        return data[start:self.pos]


# --- reading a chunk ----------------------------------------------------------------


@dataclass
class _Object:
    value: Value
    stream: tuple[int, int] | None = None  # (offset of the data, length)


class _Source:
    """One chunk PDF, held in memory (a few exhibits: megabytes), read by object number."""

    def __init__(self, data: bytes, label: str) -> None:
        self.data = data
        self.view = memoryview(data)
        self.label = label
        self._read_structure()

    def _read_structure(self) -> None:
        size = len(self.data)
        if not self.data.startswith(b"%PDF-1."):
            raise PdfJoinError(f"{self.label} is not a PDF")
        tail = self._read(max(0, size - 1024), 1024)
        at = tail.rfind(b"startxref")
        if at < 0:
            raise PdfJoinError(f"{self.label} has no cross-reference table")
        lexer = _Lexer(tail[at + len(b"startxref"):], complete=True)
        xref_at = int(lexer.keyword())
        # The table and trailer run to the end of the file: 20 bytes an object.
        lexer = _Lexer(self._read(xref_at, size - xref_at), complete=True)
        if lexer.keyword() != b"xref":
            raise PdfJoinError(f"{self.label}: not a classic cross-reference table")
        self.offsets: dict[int, tuple[int, int]] = {}
        while True:
            word = lexer.keyword()
            if word == b"trailer":
                break
            first, count = int(word), int(lexer.keyword())
            for num in range(first, first + count):
                offset, gen, kind = int(lexer.keyword()), int(lexer.keyword()), lexer.keyword()
                if kind == b"n":
                    self.offsets[num] = (offset, gen)
        trailer = lexer.value()
        if not isinstance(trailer, dict):
            raise PdfJoinError(f"{self.label}: the trailer is not a dictionary")
        for key in (b"/Prev", b"/Encrypt", b"/XRefStm"):
            if Name(key) in trailer:
                raise PdfJoinError(f"{self.label}: {key.decode()} is not supported")
        self.trailer = trailer
        starts = sorted(offset for offset, _ in self.offsets.values())
        self._ends = dict(zip(starts, [*starts[1:], xref_at], strict=True))

    @property
    def version(self) -> str:
        return self.data[5:8].decode("ascii", "replace")

    def _read(self, offset: int, length: int) -> bytes:
        return self.data[offset:offset + length]

    def stream_data(self, offset: int, length: int) -> memoryview:
        """A stream's bytes, not copied: they go to the output as they are."""
        return self.view[offset:offset + length]

    def get(self, ref: Ref) -> _Object:
        found = self.offsets.get(ref.num)
        if found is None or found[1] != ref.gen:
            raise PdfJoinError(f"{self.label}: no object {ref.num} {ref.gen}")
        offset = found[0]
        extent = self._ends[offset] - offset
        window = min(extent, _FIRST_WINDOW)
        while True:
            lexer = _Lexer(self._read(offset, window), complete=window >= extent)
            try:
                return self._parse(lexer, ref, offset)
            except _Truncated:
                if window >= extent:
                    raise PdfJoinError(f"{self.label}: object {ref.num} is cut short"
                                       ) from None
                window = min(extent, window * 4)

    def _parse(self, lexer: _Lexer, ref: Ref, offset: int) -> _Object:
        num, gen, word = lexer.keyword(), lexer.keyword(), lexer.keyword()
        if (num, gen, word) != (str(ref.num).encode(), str(ref.gen).encode(), b"obj"):
            raise PdfJoinError(f"{self.label}: object {ref.num} is not where the table says")
        value = lexer.value()
        word = lexer.keyword()
        if word == b"endobj":
            return _Object(value)
        if word != b"stream" or not isinstance(value, dict):
            raise PdfJoinError(f"{self.label}: object {ref.num} ends oddly ({word!r})")
        data = lexer.data
        if lexer.pos + 2 > len(data) and not lexer.complete:
            raise _Truncated
        if data.startswith(b"\r\n", lexer.pos):
            lexer.pos += 2
        elif data.startswith(b"\n", lexer.pos):
            lexer.pos += 1
        else:
            raise PdfJoinError(f"{self.label}: object {ref.num}: no line end after stream")
        length = self.integer(value.get(Name(b"/Length")))
        start = offset + lexer.pos
        after = self._read(start + length, 32).lstrip(b"\r\n \t")
        if not after.startswith(b"endstream"):
            raise PdfJoinError(f"{self.label}: object {ref.num}: wrong stream length")
        return _Object(value, (start, length))

    def integer(self, value: Value | None) -> int:
        if isinstance(value, Ref):
            value = self.get(value).value
        if isinstance(value, Raw) and value.raw.isdigit():
            return int(value.raw)
        raise PdfJoinError(f"{self.label}: expected a whole number, found {value!r}")

    def dictionary(self, value: Value | None) -> dict[Name, Value]:
        if isinstance(value, Ref):
            value = self.get(value).value
        if not isinstance(value, dict):
            raise PdfJoinError(f"{self.label}: expected a dictionary, found {value!r}")
        return value

    def pages(self) -> tuple[list[tuple[Ref, dict[Name, Value]]], set[Ref]]:
        """Each page in order, with what it inherits from the page tree filled in; and
        the tree's own nodes."""
        catalog = self.dictionary(self.trailer.get(Name(b"/Root")))
        root = catalog.get(Name(b"/Pages"))
        if not isinstance(root, Ref):
            raise PdfJoinError(f"{self.label}: no page tree")
        pages: list[tuple[Ref, dict[Name, Value]]] = []
        nodes: set[Ref] = set()
        seen: set[Ref] = set()
        pending: list[tuple[Ref, dict[Name, Value]]] = [(root, {})]
        while pending:
            ref, inherited = pending.pop()
            if ref in seen:
                raise PdfJoinError(f"{self.label}: the page tree loops")
            seen.add(ref)
            node = self.dictionary(ref)
            kind = node.get(Name(b"/Type"))
            if kind == Name(b"/Page"):
                pages.append((ref, {**inherited, **node}))
                continue
            if kind != Name(b"/Pages"):
                raise PdfJoinError(f"{self.label}: odd node in the page tree")
            nodes.add(ref)
            passed = {**inherited, **{k: v for k, v in node.items() if k.raw in _INHERITED}}
            kids = node.get(Name(b"/Kids"))
            if isinstance(kids, Ref):
                kids = self.get(kids).value
            if not isinstance(kids, list) or not all(isinstance(k, Ref) for k in kids):
                raise PdfJoinError(f"{self.label}: a page tree node has no kids")
            pending.extend((kid, passed) for kid in reversed(kids))  # type: ignore[misc]
        return pages, nodes


# --- writing the joined file ----------------------------------------------------------


class Sink(Protocol):
    """Where the joined file goes: an open file, or one written behind (.writebehind)."""

    def write(self, data: bytes | memoryview, /) -> int: ...


class _Writer:
    def __init__(self, handle: Sink) -> None:
        self.out = handle
        self.position = 0
        self.offsets: dict[int, int] = {}
        self.next_number = 1

    def allocate(self) -> Ref:
        ref = Ref(self.next_number)
        self.next_number += 1
        return ref

    def _emit(self, data: bytes | memoryview) -> None:
        self.out.write(data)
        self.position += len(data)

    def start(self, version: str) -> None:
        self._emit(b"%PDF-" + version.encode("ascii") + b"\n%\xe2\xe3\xcf\xd3\n")

    def write(self, ref: Ref, value: Value) -> None:
        self.offsets[ref.num] = self.position
        self._emit(b"%d 0 obj\n" % ref.num + serialize(value) + b"\nendobj\n")

    def write_stream(self, ref: Ref, dictionary: dict[Name, Value],
                     data: bytes | memoryview) -> None:
        dictionary = {**dictionary, Name(b"/Length"): number(len(data))}
        self.offsets[ref.num] = self.position
        self._emit(b"%d 0 obj\n" % ref.num + serialize(dictionary) + b"\nstream\n")
        self._emit(data)
        self._emit(b"\nendstream\nendobj\n")

    def finish(self, root: Ref, info: Ref, file_id: bytes) -> None:
        xref_at = self.position
        size = self.next_number
        lines = [b"xref\n0 %d\n" % size, b"0000000000 65535 f \n"]
        for num in range(1, size):
            offset = self.offsets.get(num)
            if offset is None:
                raise PdfJoinError(f"object {num} was numbered but never written")
            lines.append(b"%010d 00000 n \n" % offset)
        self._emit(b"".join(lines))
        ident = b"<" + file_id.hex().encode() + b">"
        trailer: dict[Name, Value] = {
            Name(b"/Size"): number(size), Name(b"/Root"): root, Name(b"/Info"): info,
            Name(b"/ID"): [Raw(ident), Raw(ident)]}
        self._emit(b"trailer\n" + serialize(trailer) + b"\nstartxref\n%d\n%%%%EOF\n" % xref_at)


@dataclass
class _Copier:
    """Copies the objects one source's pages reach, renumbered for the output; a stream
    naming one of ``streams`` (by ``stream_key``) gets those bytes instead of its own."""

    source: _Source
    writer: _Writer
    numbers: dict[Ref, Ref] = field(default_factory=dict)
    queue: list[Ref] = field(default_factory=list)
    streams: Mapping[int, bytes] = field(default_factory=dict)
    stream_key: Name | None = None

    def alias(self, old: Ref, new: Ref) -> None:
        """``old`` is written by the caller as ``new`` (pages, the page tree)."""
        self.numbers[old] = new

    def renumber(self, value: Value) -> Value:
        if isinstance(value, Ref):
            new = self.numbers.get(value)
            if new is None:
                new = self.numbers[value] = self.writer.allocate()
                self.queue.append(value)
            return new
        if isinstance(value, list):
            return [self.renumber(v) for v in value]
        if isinstance(value, dict):
            return {k: self.renumber(v) for k, v in value.items()}
        return value

    def flush(self) -> None:
        while self.queue:
            old = self.queue.pop()
            self.copy(old, self.numbers[old])

    def copy(self, old: Ref, new: Ref, changes: dict[Name, Value] | None = None) -> None:
        found = self.source.get(old)
        if found.stream is None:
            self.writer.write(new, self.renumber(found.value))
            return
        dictionary = self.source.dictionary(found.value)
        dictionary = {k: v for k, v in dictionary.items() if k.raw != b"/Length"}
        data: bytes | memoryview = self.source.stream_data(*found.stream)
        if self.stream_key is not None and self.stream_key in dictionary:
            named = dictionary.pop(self.stream_key)
            number = int(named.raw) if isinstance(named, Raw) and named.raw.isdigit() else -1
            if number not in self.streams or len(data):
                raise PdfJoinError(f"{self.source.label}: object {old.num} names stream "
                                   f"{named!r}, which was not given")
            data = self.streams[number]
        dictionary = self.renumber(dictionary)  # type: ignore[assignment]
        if changes:
            dictionary.update(changes)
        self.writer.write_stream(new, dictionary, data)


@dataclass(frozen=True)
class OutlineEntry:
    title: str
    level: int  # 0 or 1
    page: int  # 1-based, in the joined document


def _outline(writer: _Writer, entries: Sequence[OutlineEntry], pages: Sequence[Ref],
             tops_of_pages: Sequence[float]) -> Ref | None:
    """The bookmarks: sections at the top level, exhibits under "Exhibits"; each opens
    its page at the top, at the reader's zoom."""
    if not entries:
        return None
    root = writer.allocate()
    tops: list[tuple[OutlineEntry, Ref, list[tuple[OutlineEntry, Ref]]]] = []
    for entry in entries:
        if not 1 <= entry.page <= len(pages):
            raise PdfJoinError(f"outline entry {entry.title!r} points past the last page")
        if entry.level == 0 or not tops:
            tops.append((entry, writer.allocate(), []))
        else:
            tops[-1][2].append((entry, writer.allocate()))

    def item(entry: OutlineEntry, ref: Ref, parent: Ref, prev: Ref | None, nxt: Ref | None,
             children: Sequence[tuple[OutlineEntry, Ref]]) -> None:
        value: dict[Name, Value] = {
            Name(b"/Title"): text_string(entry.title), Name(b"/Parent"): parent,
            Name(b"/Dest"): [pages[entry.page - 1], Name(b"/XYZ"), Raw(b"null"),
                             number(tops_of_pages[entry.page - 1]), Raw(b"null")],
        }
        if prev is not None:
            value[Name(b"/Prev")] = prev
        if nxt is not None:
            value[Name(b"/Next")] = nxt
        if children:
            value[Name(b"/First")] = children[0][1]
            value[Name(b"/Last")] = children[-1][1]
            value[Name(b"/Count")] = number(len(children))
        writer.write(ref, value)

    for index, (entry, ref, children) in enumerate(tops):
        prev = tops[index - 1][1] if index else None
        nxt = tops[index + 1][1] if index + 1 < len(tops) else None
        item(entry, ref, root, prev, nxt, children)
        for position, (child, child_ref) in enumerate(children):
            item(child, child_ref, ref, children[position - 1][1] if position else None,
                 children[position + 1][1] if position + 1 < len(children) else None, ())
    writer.write(root, {Name(b"/Type"): Name(b"/Outlines"), Name(b"/First"): tops[0][1],
                        Name(b"/Last"): tops[-1][1],
                        Name(b"/Count"): number(len(tops) + sum(len(c) for *_, c in tops))})
    return root


def _content_streams(source: _Source, contents: Value | None) -> list[Value]:
    """A page's /Contents as a list of stream references (it may be one, or an array)."""
    if contents is None:
        return []
    if isinstance(contents, Ref):
        found = source.get(contents)
        if found.stream is not None:
            return [contents]
        contents = found.value
    if isinstance(contents, list) and all(isinstance(c, Ref) for c in contents):
        return list(contents)
    raise PdfJoinError(f"{source.label}: a page's content is not a list of streams")


def _with_footer(source: _Source, page: dict[Name, Value], copier: _Copier, form: Ref,
                 before: Ref, after: Ref, parent: Ref) -> dict[Name, Value]:
    """The page, its own content drawn inside q … Q, then the footer form over it."""
    streams = _content_streams(source, page.get(Name(b"/Contents")))
    resources = dict(source.dictionary(page.get(Name(b"/Resources"), {})))
    xobjects = dict(source.dictionary(resources.pop(Name(b"/XObject"), {})))
    if Name(FOOTER_NAME) in xobjects:
        raise PdfJoinError("a page already has an object named like the page number")
    rest = {k: v for k, v in page.items()
            if k.raw not in (b"/Parent", b"/Contents", b"/Resources")}
    result: dict[Name, Value] = {k: copier.renumber(v) for k, v in rest.items()}
    new_xobjects: dict[Name, Value] = {k: copier.renumber(v) for k, v in xobjects.items()}
    new_xobjects[Name(FOOTER_NAME)] = form
    new_resources: dict[Name, Value] = {k: copier.renumber(v) for k, v in resources.items()}
    new_resources[Name(b"/XObject")] = new_xobjects
    result[Name(b"/Parent")] = parent
    result[Name(b"/Resources")] = new_resources
    result[Name(b"/Contents")] = [before, *(copier.renumber(s) for s in streams), after]
    return result


def _page_top(page: dict[Name, Value]) -> float:
    box = page.get(Name(b"/MediaBox"))
    if isinstance(box, list) and len(box) == 4 and isinstance(box[3], Raw):
        try:
            return float(box[3].raw)
        except ValueError:
            pass
    return 0.0


class StreamingJoin:
    """The pack's PDF written as its chunks are built, each chunk held only while it is
    copied; the front pages and the page numbers come last.

    A reader follows the page tree, not the order of objects in the file, so the cover
    and contents, built last, are written last yet listed first (:meth:`finish`'s
    ``order``). Each page is written pointing at a form of its own for its page number,
    whose content is written at the end, when the total is known.
    """

    def __init__(self, handle: Sink) -> None:
        self.writer = _Writer(handle)
        self.version: str | None = None  # the latest of the chunks' versions
        self.header_version = "1.4"
        self.catalog = self.tree = self.before = self.after = Ref(0)
        self.pages: list[Ref] = []
        self.tops: dict[Ref, float] = {}
        self.forms: dict[Ref, Ref] = {}  # page -> the form of its number

    def _start(self, version: str) -> None:
        writer = self.writer
        self.header_version = max(version, "1.4")
        writer.start(self.header_version)
        self.catalog, self.tree = writer.allocate(), writer.allocate()
        self.before, self.after = writer.allocate(), writer.allocate()
        writer.write_stream(self.before, {}, b"q\n")
        writer.write_stream(self.after, {}, b"\nQ\nq " + FOOTER_NAME + b" Do Q\n")

    def add(self, data: bytes, label: str, streams: Mapping[int, bytes] | None = None,
            stream_key: bytes = b"") -> list[Ref]:
        """Copy the chunk PDF ``data`` into the output; returns its pages, in order.
        A stream whose dictionary has ``stream_key`` (a name) is written with the bytes
        ``streams`` holds under that key's number (pictures the chunk only names)."""
        source = _Source(data, label)
        if self.version is None:
            self._start(source.version)
        # ReportLab moves a chunk to 1.5 for some pictures; the header is written by then,
        # so the catalog says the later version (PDF 1.4's /Version, made for this).
        self.version = max(self.version or "1.4", source.version)
        writer = self.writer
        copier = _Copier(source, writer, streams=streams or {},
                         stream_key=name(stream_key) if stream_key else None)
        found, nodes = source.pages()
        for node in nodes:
            copier.alias(node, self.tree)
        catalog_ref = source.trailer.get(Name(b"/Root"))
        if isinstance(catalog_ref, Ref):
            copier.alias(catalog_ref, self.catalog)
        numbered = []
        for old, page in found:
            new = writer.allocate()
            copier.alias(old, new)
            numbered.append((new, page))
        added = []
        for new, page in numbered:
            form = self.forms[new] = writer.allocate()
            writer.write(new, _with_footer(source, page, copier, form, self.before,
                                           self.after, self.tree))
            self.tops[new] = _page_top(page)
            added.append(new)
            copier.flush()
        self.pages += added
        return added

    def finish(self, order: Sequence[Ref], footer: bytes, outline: Sequence[OutlineEntry],
               info: dict[str, str], file_id: bytes) -> int:
        """Write the page tree in ``order`` (every added page once), page *n* with page
        *n* of the PDF ``footer`` laid over it; then the outline and the trailer."""
        if sorted(p.num for p in order) != sorted(p.num for p in self.pages):
            raise PdfJoinError("the page order does not hold every page once")
        writer = self.writer
        source = _Source(footer, "the page numbers")
        footer_pages = source.pages()[0]
        if len(footer_pages) != len(order):
            raise PdfJoinError(f"{len(footer_pages)} page numbers for {len(order)} pages")
        copier = _Copier(source, writer)
        for page_ref, (_ref, page) in zip(order, footer_pages, strict=True):
            contents = page.get(Name(b"/Contents"))
            if not isinstance(contents, Ref):
                raise PdfJoinError("a footer page's content is not a single stream")
            box = page.get(Name(b"/MediaBox"))
            copier.copy(contents, self.forms[page_ref], {
                Name(b"/Type"): Name(b"/XObject"), Name(b"/Subtype"): Name(b"/Form"),
                Name(b"/BBox"): copier.renumber(box) if box is not None else [],
                Name(b"/Resources"): copier.renumber(page.get(Name(b"/Resources"), {})),
            })
            copier.flush()
        writer.write(self.tree, {Name(b"/Type"): Name(b"/Pages"), Name(b"/Kids"): list(order),
                                 Name(b"/Count"): number(len(order))})
        outlines = _outline(writer, outline, order, [self.tops[p] for p in order])
        root: dict[Name, Value] = {Name(b"/Type"): Name(b"/Catalog"),
                                   Name(b"/Pages"): self.tree}
        if self.version is not None and self.version > self.header_version:
            root[Name(b"/Version")] = name(self.version.encode("ascii"))
        if outlines is not None:
            root[Name(b"/Outlines")] = outlines
        writer.write(self.catalog, root)
        info_ref = writer.allocate()
        writer.write(info_ref, {name(key.encode("ascii")): text_string(value)
                                for key, value in info.items()})
        writer.finish(self.catalog, info_ref, file_id)
        return len(order)


def join_pdfs(paths: Sequence[Path], footer_path: Path, outline: Sequence[OutlineEntry],
              target: Path, info: dict[str, str], file_id: bytes,
              remove_joined: bool = False) -> int:
    """Write the PDFs ``paths`` as one PDF to ``target``, page *n* with page *n* of
    ``footer_path`` laid over it; returns the number of pages.

    ``info`` becomes the document information (Title, Creator, …); ``file_id`` (16
    bytes) the file identifier. With ``remove_joined`` each file of ``paths`` is deleted
    once copied, so the chunks and the whole never take twice the space on disk.
    """
    with open(target, "wb") as handle:
        join = StreamingJoin(handle)
        for path in paths:
            join.add(path.read_bytes(), path.name)
            if remove_joined:
                path.unlink()
        return join.finish(join.pages, footer_path.read_bytes(), outline, info, file_id)
