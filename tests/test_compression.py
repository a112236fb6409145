"""The server's gzip of static files (``monnaies_en_jeu.compression``) on a small Tornado app."""

from __future__ import annotations

import gzip
import tempfile
from pathlib import Path

from tornado.testing import AsyncHTTPTestCase
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


class CachedGzipTest(AsyncHTTPTestCase):
    def get_app(self) -> Application:
        self.folder = tempfile.TemporaryDirectory()
        Path(self.folder.name, "app.js").write_bytes(SCRIPT)
        Path(self.folder.name, "small.js").write_bytes(b"let a = 1;\n")
        CachedGzip.cache.clear()
        CachedGzip.cache_bytes = 0
        return Application([(r"/static/(.*)", StaticFileHandler, {"path": self.folder.name}),
                            (r"/page", Streamed)], transforms=[CachedGzip])

    def tearDown(self) -> None:
        super().tearDown()
        self.folder.cleanup()

    def _get(self, path: str, gzip_ok: bool = True):
        headers = {"Accept-Encoding": "gzip"} if gzip_ok else {}
        return self.fetch(path, headers=headers, decompress_response=False)

    def test_a_static_file_is_compressed_once_then_served_from_memory(self):
        first = self._get("/static/app.js")
        assert first.code == 200 and first.headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(first.body) == SCRIPT
        assert len(first.body) < len(SCRIPT) / 10
        assert len(CachedGzip.cache) == 1
        second = self._get("/static/app.js")
        assert second.body == first.body
        assert int(second.headers["Content-Length"]) == len(second.body)
        assert "Accept-Encoding" in second.headers["Vary"]

    def test_a_browser_without_gzip_gets_the_file_as_it_is(self):
        self._get("/static/app.js")
        plain = self._get("/static/app.js", gzip_ok=False)
        assert plain.body == SCRIPT and "Content-Encoding" not in plain.headers

    def test_a_changed_file_is_compressed_again(self):
        self._get("/static/app.js")
        Path(self.folder.name, "app.js").write_bytes(SCRIPT + b"// v2\n")
        again = self._get("/static/app.js")
        assert gzip.decompress(again.body) == SCRIPT + b"// v2\n"

    def test_small_files_streamed_pages_and_revalidations_are_left_alone(self):
        assert "Content-Encoding" not in self._get("/static/small.js").headers
        page = self._get("/page")
        assert "Content-Encoding" not in page.headers and page.body.endswith(b"<p>fin</p>")
        first = self._get("/static/app.js")
        not_modified = self.fetch("/static/app.js", headers={"Accept-Encoding": "gzip",
                                                             "If-None-Match": first.headers["Etag"]})
        assert not_modified.code == 304 and not not_modified.body
