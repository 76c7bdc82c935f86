"""Pages for the web browser's tests, served on 127.0.0.1 and reached through it as a
proxy, so every request the browser makes, to any host, is seen and recorded."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from PIL import Image

HOST = "pages.test"
BLOCK = 500
COLOURS = [(200, 30, 30), (30, 160, 60), (30, 60, 200), (230, 200, 20), (120, 30, 150)]
WORDS = "Block of known colours"
NON_LATIN = "Привет, мир — 日本語のテキスト — مرحبا"
LATE = "This sentence was added after the page loaded"
IN_FRAME = "Words inside the frame"


def colour(n: int) -> tuple[int, int, int]:
    return COLOURS[n % len(COLOURS)]


def picture_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 200, 210)).save(out, format="PNG")
    return out.getvalue()


def long_page(blocks: int) -> bytes:
    divs = "".join(
        f"<div style='height:{BLOCK}px;margin:0;background:rgb{colour(n)}'></div>"
        for n in range(blocks))
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>Long page</title>
<style>html,body{{margin:0;padding:0}} ::-webkit-scrollbar{{display:none}}</style></head>
<body>{divs}<p>{WORDS}</p><p lang="ru">{NON_LATIN}</p>
<img src="/picture.png" alt="a picture"><iframe src="/frame" height="60"></iframe>
<div id="late"></div>
<script>window.addEventListener('load', () => setTimeout(() =>
  document.getElementById('late').textContent = {LATE!r}, 50));</script>
</body></html>""".encode()


class Pages(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, blocks: int = 8) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.blocks = blocks
        self.requests: list[str] = []
        self.lock = threading.Lock()

    @property
    def proxy(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class Handler(BaseHTTPRequestHandler):
    server: Pages

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_CONNECT(self) -> None:
        with self.server.lock:
            self.server.requests.append(f"CONNECT {self.path}")
        self.send_error(403)

    def do_GET(self) -> None:
        with self.server.lock:
            self.server.requests.append(self.path)
        parts = urlsplit(self.path)
        if parts.hostname != HOST:
            self.send_error(404)
            return
        path = parts.path
        if path == "/go":
            self.send_response(302)
            self.send_header("Location", f"http://{HOST}/long")
            self.end_headers()
            return
        body, kind = {
            "/long": (long_page(self.server.blocks), "text/html; charset=utf-8"),
            "/frame": (f"<p>{IN_FRAME}</p>".encode(), "text/html; charset=utf-8"),
            "/picture.png": (picture_png(), "image/png"),
        }.get(path, (b"", ""))
        if not kind:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def serving(blocks: int = 8) -> Iterator[Pages]:
    pages = Pages(blocks)
    thread = threading.Thread(target=pages.serve_forever, daemon=True)
    thread.start()
    try:
        yield pages
    finally:
        pages.shutdown()
        pages.server_close()
