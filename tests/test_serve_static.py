"""Voilà's scripts kept by the browser from one page to the next (monnaies_en_jeu.serve_static)."""

from __future__ import annotations

from pathlib import Path

import pytest
from jupyter_server.auth import IdentityProvider
from jupyter_server.base.handlers import FileFindHandler
from tornado.testing import AsyncHTTPTestCase
from tornado.web import Application
from voila.static_file_handler import MultiStaticFileHandler

from monnaies_en_jeu.serve_static import IMMUTABLE, cacheable_routes, static_version

HASHED = "remoteEntry.5cbb9d2323598fbda535.js"


class CacheHeaders(AsyncHTTPTestCase):
    """Voilà's two routes of static files, as Voilà declares them, through ``cacheable_routes``."""

    folder: Path

    def get_app(self) -> Application:
        static, extensions = self.folder / "static", self.folder / "labextensions" / "ext" / "static"
        for folder in (static, extensions):
            folder.mkdir(parents=True, exist_ok=True)
        (static / "voila.js").write_text("/* voila */" * 200)
        (static / "5764.voila.js").write_text("/* chunk */" * 200)
        (extensions / HASHED).write_text("/* entry */" * 200)
        (extensions.parent / "package.json").write_text("{}")
        routes = [(r"/voila/static/(.*)", MultiStaticFileHandler, {"paths": [str(static)]}),
                  (r"/voila/labextensions/(.*)", FileFindHandler,
                   {"path": [str(self.folder / "labextensions")], "no_cache_paths": ["/"]})]
        return Application(cacheable_routes("/", routes), identity_provider=IdentityProvider(),
                           cookie_secret=b"test")

    def headers(self, path: str):
        response = self.fetch(path)
        assert response.code == 200, path
        return response.headers


@pytest.fixture
def case(tmp_path):
    CacheHeaders.folder = tmp_path
    test = CacheHeaders()
    test.setUp()
    yield test
    test.tearDown()


def test_voilas_scripts_under_its_version_are_kept_a_year(case):
    assert case.headers(f"/voila/static/v{static_version()}/voila.js")["Cache-Control"] == IMMUTABLE
    assert case.headers(f"/voila/static/v{static_version()}/5764.voila.js")["Cache-Control"] == IMMUTABLE
    assert "Cache-Control" not in case.headers("/voila/static/voila.js")  # Voilà's own address is unchanged


def test_extension_files_named_after_their_content_are_kept_a_year_and_gzipped(case):
    headers = case.headers(f"/voila/labextensions/ext/static/{HASHED}")
    assert headers["Cache-Control"] == IMMUTABLE
    assert headers["Etag"]  # what compression.CachedGzip needs to send it gzipped
    assert case.headers("/voila/labextensions/ext/package.json")["Cache-Control"] == "no-cache"


def test_the_version_is_a_safe_folder_name():
    assert static_version() and "/" not in static_version()
