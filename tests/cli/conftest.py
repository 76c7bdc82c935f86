"""What the command-line tests share: small real files, an initialised vault, a terminal."""

from __future__ import annotations

import fcntl
import io
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image


def png(width: int = 40, height: int = 30) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (10, 120, 200)).save(out, format="PNG")
    return out.getvalue()


def bomb_png(width: int = 60_000, height: int = 60_000) -> bytes:
    """A tiny PNG whose header claims 3.6 billion pixels of zeros."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(
            ">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    row = b"\x00" + b"\x00" * width
    idat = zlib.compress(row * 50, 9)  # far fewer rows than claimed; never decoded anyway
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


@pytest.fixture
def inited(cli, vault_dir: Path):  # type: ignore[no-untyped-def]
    result = cli("init")
    assert result.code == 0, result.err
    return cli


class Terminal:
    """The command line run at a real pseudo-terminal, as a person at a prompt meets it.

    The pty is the child's controlling terminal, so getpass reads and prompts there;
    stdout and stderr are pipes, read when the process ends, unless ``all_on_terminal``:
    ``input()`` at a terminal prompts wherever Python's readline decides (stdout or
    stderr), so the recovery code's prompt is only seen when both are the terminal.
    """

    def __init__(self, *args: str | os.PathLike[str], env: dict[str, str] | None = None,
                 all_on_terminal: bool = False) -> None:
        def take_terminal() -> None:
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        base = {k: v for k, v in os.environ.items() if k != "EVIDENCE_KIT_PASSPHRASE"}
        base["EVIDENCE_KIT_KDF_SECONDS"] = "0"
        self.fd, child_fd = pty.openpty()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "evidence_kit", *map(os.fspath, args)],
            stdin=child_fd, stdout=child_fd if all_on_terminal else subprocess.PIPE,
            stderr=child_fd if all_on_terminal else subprocess.PIPE,
            env={**base, **(env or {})}, start_new_session=True, preexec_fn=take_terminal,
        )
        os.close(child_fd)
        self.seen = b""

    def expect(self, words: bytes, timeout: float = 30) -> None:
        """Wait until ``words`` has appeared on the terminal since the last expect."""
        deadline = time.monotonic() + timeout
        while words not in self.seen:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self.fd], [], [], max(left, 0))
            assert ready, f"{words!r} never appeared; the terminal showed {self.seen!r}"
            try:
                self.seen += os.read(self.fd, 1000)
            except OSError:  # the child closed the terminal
                break
        assert words in self.seen, self.seen
        self.seen = self.seen[self.seen.index(words) + len(words):]

    def type(self, text: str | bytes) -> None:
        os.write(self.fd, text.encode() if isinstance(text, str) else text)

    def finish(self, timeout: float = 60) -> tuple[int, str, str]:
        try:
            out, err = self.proc.communicate(timeout=timeout)
        finally:
            self.close()
        return self.proc.returncode, (out or b"").decode(), (err or b"").decode()

    def close(self) -> None:
        """End the child if a test stopped half-way, and give back every descriptor."""
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.communicate()
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream is not None and not stream.closed:
                stream.close()
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


@pytest.fixture
def terminal() -> Iterator[Callable[..., Terminal]]:
    """Start commands at a terminal; whatever a test leaves running is ended after it."""
    started: list[Terminal] = []

    def start(*args: str | os.PathLike[str], **kwargs: Any) -> Terminal:
        started.append(Terminal(*args, **kwargs))
        return started[-1]

    yield start
    for one in started:
        one.close()
