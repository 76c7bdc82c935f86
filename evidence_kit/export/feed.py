"""Each exhibit's content read once, for both the ZIP and the PDF, in a thread ahead of
the page layout.

Reading a capture out of the vault (decrypting its pages, checking its SHA-256) and
writing it into the ZIP is the least any export must do. Here a thread of its own does
it, exhibit by exhibit in the pack's order, on a connection of its own
(:meth:`.Vault.blob_reader`): every file of an exhibit is streamed into the ZIP as it
is read, and the part the PDF shows is kept for the page layout, which takes it with
:meth:`ExhibitFeed.read_blob` when it reaches that exhibit. The layout is Python and
holds the GIL; decrypting, hashing and writing let go of it, so on a second core the
reading is almost hidden behind the layout.

That needs the GIL handed over promptly: a thread coming back from C waits for it for up
to the interpreter's switch interval (5 ms), several times per exhibit, and at that
interval a reading thread was measured slower than reading in turn. While a feed runs
the interval is 0.2 ms (:data:`SWITCH_INTERVAL`), then put back.

Memory stays bounded: the thread keeps at most about :data:`AHEAD_BYTES` of pictures
the layout has not yet taken (always at least one, however large), files are streamed
into the ZIP a chunk at a time, and of what the PDF shows as text only the first bytes
are kept (:func:`.sections.read_limit`). The layout asks for exhibits in order; one it
asks for out of order, or again, is read on the vault's own connection, checked the
same way.

Every full read checks the content against its SHA-256; a mismatch stops the export
with the exhibit named (:class:`.PackCheckFailed`), as the check made before every pack.
An error in the thread (a full disk, damage) is raised in the caller's thread at its
next :meth:`ExhibitFeed.read_blob` or at :meth:`ExhibitFeed.finish`.
"""

from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Iterator
from types import TracebackType

from evidence_kit.core.blobs import BlobReader
from evidence_kit.core.errors import IntegrityFailure
from evidence_kit.core.vault import Vault
from evidence_kit.export.bundle import BundleWriter, CheckedContent, exhibit_files
from evidence_kit.export.errors import RESTORE_ADVICE, PackCheckFailed
from evidence_kit.export.pack import Exhibit, Pack
from evidence_kit.export.sections import read_limit

AHEAD_BYTES = 24 * 1024 * 1024
"""Pictures read ahead of the layout: about forty screenshots, three chunks
(pdf.EXHIBITS_PER_CHUNK). Measured: 16 MB left the layout waiting, 32 MB took a
500-exhibit export over its 150 MB goal."""

SWITCH_INTERVAL = 0.0002
"""Seconds; measured with a 500-capture pack (tests/bench/export_bench.py): at 0.5 ms
the layout waited 0.6-0.7 s for the thread in all, at 0.2 ms 0.2-0.3 s and the export
was 0.1-0.3 s faster; 0.1 ms was no faster again. (It was 0.5 ms while writing the ZIP
cost the thread more: see :mod:`evidence_kit.core.writeback`.)"""


@contextlib.contextmanager
def naming(exhibit: Exhibit | None) -> Iterator[None]:
    """An exhibit's failed hash check, said as the check made before every pack."""
    try:
        yield
    except IntegrityFailure as exc:
        if isinstance(exc, PackCheckFailed):
            raise
        what = (f"the content of exhibit {exhibit.mark} (item {exhibit.item.id})"
                if exhibit else "an exhibit's content")
        raise PackCheckFailed(f"The vault failed the check made before every pack: {what} "
                              f"no longer matches the SHA-256 recorded when it was added. "
                              f"{RESTORE_ADVICE}") from exc


class _Stopped(Exception):
    """The feed was closed before its thread had finished."""


class ExhibitFeed:
    """Reads the pack's exhibits once each, in a thread, writing them into ``bundle``
    and keeping what the PDF shows for :meth:`read_blob`; :meth:`finish` waits for the
    rest. Use as a context manager: leaving it stops the thread however the export ends.
    Until :meth:`finish` returns, only the feed's thread writes to ``bundle``."""

    def __init__(self, vault: Vault, pack: Pack, bundle: BundleWriter,
                 ahead_bytes: int = AHEAD_BYTES) -> None:
        self.vault = vault
        self.bundle = bundle
        self._order: list[Exhibit] = list(pack.exhibits)
        self._whose = {e.shown.sha256: e for e in pack.exhibits}
        self._ahead_bytes = ahead_bytes
        self._asked: set[int] = set()  # indexes the layout has asked for
        self._furthest = -1  # the furthest of them
        self._ready: dict[int, bytes] = {}  # read, not yet taken
        self._ready_bytes = 0
        self._reached = 0  # exhibits before this index are in the ZIP
        self._finishing = False
        self._stopping = False
        self._error: BaseException | None = None
        self._turn = threading.Condition()
        self._reader: BlobReader = vault.blob_reader()
        self._interval: float | None = sys.getswitchinterval()
        sys.setswitchinterval(min(self._interval, SWITCH_INTERVAL))
        self._thread = threading.Thread(target=self._work, name="evidence-kit exhibits",
                                        daemon=True)
        self._thread.start()

    def __enter__(self) -> ExhibitFeed:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    # ---- the layout's side -----------------------------------------------------------

    def read_blob(self, sha256: str, limit: int | None = None) -> bytes:
        """What the PDF shows of an exhibit: as the thread read it when it went into the
        ZIP, else read again on the vault's connection (checked the same way)."""
        index = next((i for i, e in enumerate(self._order)
                      if i not in self._asked and e.shown.sha256 == sha256
                      and read_limit(e) == limit), None)
        if index is not None:
            with self._turn:
                self._asked.add(index)
                self._furthest = max(self._furthest, index)
                # The layout goes in order: what it passed by is not kept waiting for it
                # (asked for later after all, it is read again below).
                for passed in [i for i in self._ready if i < index]:
                    self._drop(passed)
                self._turn.notify_all()
                while (index not in self._ready and self._reached <= index
                       and self._error is None):
                    self._turn.wait()
                self._raise_error()
                if index in self._ready:
                    data = self._ready.pop(index)
                    self._ready_bytes -= len(data)
                    self._turn.notify_all()
                    return data
        with naming(self._whose.get(sha256)):
            return self.vault.read_blob(sha256, limit)

    def finish(self) -> None:
        """Wait until every exhibit is in the ZIP (and so checked); raises what the
        thread met."""
        with self._turn:
            self._finishing = True
            self._ready.clear()
            self._ready_bytes = 0
            self._turn.notify_all()
        self._thread.join()
        self._raise_error()
        self._close_reader()

    def close(self) -> None:
        """Stop the thread (the export is over, perhaps failed) and let go of its
        connection; returns once the thread has ended."""
        if self._thread.is_alive():
            with self._turn:
                self._stopping = True
                self._turn.notify_all()
            with contextlib.suppress(Exception):
                self._reader.interrupt()
            self._thread.join()
        self._close_reader()

    def _close_reader(self) -> None:
        with self._turn:
            self._ready.clear()
            self._ready_bytes = 0
        if self._interval is not None:
            sys.setswitchinterval(self._interval)
            self._interval = None
            self._reader.close()

    def failure(self) -> BaseException | None:
        """Stop the thread and say what it met, if anything: when the export fails for
        a reason the thread may have met first (the page check also sees the damage
        an exhibit's check found), the exhibit is the better news."""
        self.close()
        return self._error

    def check(self) -> None:
        """Raise now what the thread met, if anything (a full disk, damage)."""
        self._raise_error()

    def _raise_error(self) -> None:
        if self._error is not None:
            raise self._error

    def _drop(self, index: int) -> None:
        self._ready_bytes -= len(self._ready.pop(index))

    # ---- the thread's side -----------------------------------------------------------

    def _work(self) -> None:
        try:
            for index, exhibit in enumerate(self._order):
                with self._turn:
                    while (self._ready and self._ready_bytes >= self._ahead_bytes
                           and not self._finishing and not self._stopping):
                        self._turn.wait()
                    if self._stopping:
                        return
                data = self._write(exhibit)
                with self._turn:
                    if not self._finishing and (index in self._asked
                                                or index > self._furthest):
                        self._ready[index] = data
                        self._ready_bytes += len(data)
                    self._reached = index + 1
                    self._turn.notify_all()
        except _Stopped:
            pass
        except BaseException as exc:  # handed to the caller's thread
            with self._turn:
                # Once stopped, a read that was cut short is no news; content that
                # failed its check still is (see :meth:`failure`).
                if not self._stopping or isinstance(exc, IntegrityFailure):
                    self._error = exc
                self._turn.notify_all()

    def _write(self, exhibit: Exhibit) -> bytes:
        shown, limit = exhibit.shown, read_limit(exhibit)
        kept: list[bytes] = []
        keeping = [True]  # two files of one exhibit may hold the same bytes (frames)

        def chunks(sha256: str) -> Iterator[bytes]:
            size = 0
            keep = sha256 == shown.sha256 and keeping[0]
            for chunk in self._reader.iter_blob(sha256):
                if self._stopping:
                    raise _Stopped
                if keep and (limit is None or size < limit):
                    kept.append(chunk)
                size += len(chunk)
                yield chunk
            if keep:
                keeping[0] = False

        with naming(exhibit):
            files = exhibit_files(exhibit)
            if not exhibit.original_in_pack:
                # Shown only redacted: its content is still checked for this pack.
                for _chunk in chunks(exhibit.item.sha256):
                    pass
            for sha256, add in files:
                add(self.bundle, CheckedContent(sha256, chunks(sha256)))
            if shown.sha256 not in {sha for sha, _add in files} | {exhibit.item.sha256}:
                for _chunk in chunks(shown.sha256):  # shown, though not in this ZIP
                    pass
        data = kept[0] if len(kept) == 1 else b"".join(kept)
        return data if limit is None else data[:limit]
