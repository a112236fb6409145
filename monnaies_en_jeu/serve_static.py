"""Scripts a browser keeps between pages of the workshop server, so that a second page loads at once.

Voilà sends its own scripts (``/voila/static/``: ``voila.js`` and some ninety
chunks whose names carry no hash of their content) and those of the JupyterLab
extensions (``/voila/labextensions/``) with no lasting cache: each page asks for
every one of them again, about a hundred requests that the server answers one by
one (« not modified »), a chain of round trips before any widget is drawn. The
server of ``make serve`` adds:

* ``/voila/static/v<version>/…``: Voilà's static files again, under Voilà's
  version, cached for a year (``immutable``); the kit's template (``bokehlab``) loads
  ``voila.js`` from there when the server says so (``resources.static_version``),
  and webpack loads its chunks from the folder ``voila.js`` came from. Another
  Voilà version has other addresses, so a browser never mixes two versions;
* a year's cache for the extensions' files whose name carries a hash of their
  content (``remoteEntry.<hash>.js``, ``704.<hash>.js``), and an ``Etag`` so that
  :mod:`~monnaies_en_jeu.compression` sends them gzipped.

Without ``resources.static_version`` (Binder, where Voilà runs inside Jupyter
Server), the template loads ``voila.js`` from Voilà's usual address.
"""

from __future__ import annotations

import re

#: A year: what Jupyter Server itself gives to files named after their content.
IMMUTABLE = "public, max-age=31536000, immutable"
#: An extension's file named after its content: ``remoteEntry.5cbb9d2323598fbda535.js``.
HASHED_NAME = re.compile(r"\.[0-9a-f]{16,}\.(js|css)$")


def static_version() -> str:
    """The folder name under which Voilà's static files are cached (Voilà's version)."""
    import voila

    return re.sub(r"[^0-9A-Za-z.]", "-", voila.__version__)


def cacheable_routes(server_url: str, routes: list) -> list:
    """Voilà's routes with the cacheable static files of the module docstring."""
    from jupyter_server.utils import url_path_join
    from tornado.web import StaticFileHandler
    from voila.static_file_handler import MultiStaticFileHandler

    class VersionedStatic(MultiStaticFileHandler):
        """Voilà's static files under its version: never change at that address."""

        def set_extra_headers(self, path: str) -> None:
            self.set_header("Cache-Control", IMMUTABLE)

    def hashed(handler: type) -> type:
        class HashedExtensionFiles(handler):
            """An extension's files; those named after their content are kept a year."""

            def compute_etag(self):
                return StaticFileHandler.compute_etag(self)  # Jupyter Server's gives none: no gzip

            def set_headers(self) -> None:
                super().set_headers()
                if HASHED_NAME.search(self.request.path):
                    self.set_header("Cache-Control", IMMUTABLE)
        return HashedExtensionFiles

    static = url_path_join(server_url, r"/voila/static/(.*)")
    extensions = url_path_join(server_url, r"/voila/labextensions/(.*)")
    versioned = url_path_join(server_url, rf"/voila/static/v{re.escape(static_version())}/(.*)")
    out = []
    for route in routes:
        if route[0] == static:
            out.append((versioned, VersionedStatic, *route[2:]))
        out.append((route[0], hashed(route[1]), *route[2:]) if route[0] == extensions else route)
    return out
