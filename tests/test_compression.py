"""The server's gzip of static files (``monnaies_en_jeu.compression``) on a small Tornado app.

The app runs in its own thread and event loop (the browser tests' Playwright keeps
a loop running in the test process), and is fetched with ``urllib``, which never
decompresses on its own.
"""

from __future__ import annotations

import asyncio
import gzip
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from tornado.web import Application, RequestHandler, StaticFileHandler

from monnaies_en_jeu.compression import CachedGzip

SCRIPT = ("const monnaie = 'locale';\n" * 4000).encode()  # 100 kB, several of Tornado's 64 kB chunks


class Streamed(RequestHandler):
    """A streamed page without an Etag, like Voilà's notebook page."""

    async def get(self) -> None:
        self.set_header("Content-Type", "text/html")
        self.write("<p>" + "x" * 5000 + "</p>")
        await self.flush()
        self.write("<p>fin</p>")


@pytest.fixture
def site(tmp_path: Path):
    """A Tornado app with the transform, serving ``tmp_path``; yields (base URL, folder)."""
    (tmp_path / "app.js").write_bytes(SCRIPT)
    (tmp_path / "small.js").write_bytes(b"let a = 1;\n")
    CachedGzip.cache.clear()
    CachedGzip.cache_bytes = 0
    started = threading.Event()
    box: dict = {}

    def serve() -> None:
        async def main() -> None:
            app = Application([(r"/static/(.*)", StaticFileHandler, {"path": str(tmp_path)}), (r"/page", Streamed)],
                              transforms=[CachedGzip])
            server = app.listen(0, "127.0.0.1")
            box["port"] = next(iter(server._sockets.values())).getsockname()[1]
            box["stop"] = asyncio.Event()
            box["loop"] = asyncio.get_running_loop()
            started.set()
            await box["stop"].wait()
            server.stop()

        asyncio.run(main())

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    assert started.wait(60)
    yield f"http://127.0.0.1:{box['port']}", tmp_path
    box["loop"].call_soon_threadsafe(box["stop"].set)
    thread.join(10)


def fetch(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:  # 304
        return error.code, dict(error.headers), error.read()


def test_a_static_file_is_compressed_once_then_served_from_memory(site):
    base, _folder = site
    status, headers, body = fetch(f"{base}/static/app.js", **{"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(body) == SCRIPT and len(body) < len(SCRIPT) / 10
    assert len(CachedGzip.cache) == 1
    _status, again, body_again = fetch(f"{base}/static/app.js", **{"Accept-Encoding": "gzip"})
    assert body_again == body and int(again["Content-Length"]) == len(body)
    assert "Accept-Encoding" in again["Vary"]


def test_a_browser_without_gzip_gets_the_file_as_it_is(site):
    base, _folder = site
    fetch(f"{base}/static/app.js", **{"Accept-Encoding": "gzip"})
    _status, headers, body = fetch(f"{base}/static/app.js")
    assert body == SCRIPT and "Content-Encoding" not in headers


def test_a_changed_file_is_compressed_again(site):
    base, folder = site
    fetch(f"{base}/static/app.js", **{"Accept-Encoding": "gzip"})
    (folder / "app.js").write_bytes(SCRIPT + b"// v2\n")
    _status, _headers, body = fetch(f"{base}/static/app.js", **{"Accept-Encoding": "gzip"})
    assert gzip.decompress(body) == SCRIPT + b"// v2\n"


def test_small_files_streamed_pages_and_revalidations_are_left_alone(site):
    base, _folder = site
    assert "Content-Encoding" not in fetch(f"{base}/static/small.js", **{"Accept-Encoding": "gzip"})[1]
    _status, headers, body = fetch(f"{base}/page", **{"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in headers and body.endswith(b"<p>fin</p>")
    _status, first, _body = fetch(f"{base}/static/app.js", **{"Accept-Encoding": "gzip"})
    status, _headers, body = fetch(f"{base}/static/app.js", **{"Accept-Encoding": "gzip",
                                                              "If-None-Match": first["Etag"]})
    assert status == 304 and not body
