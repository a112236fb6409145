"""gzip for the workshop server's static files, each file compressed once and kept in memory.

A player page loads about 5 MB of scripts and styles; gzip brings that to about
1.4 MB, which matters when thirty phones share a hotspot's Wi-Fi. Tornado's own
``compress_response`` compresses every response again, which costs the server
about a quarter of a second of processor per phone: too much when a whole group
opens the page at once on a 2-core laptop. This transform compresses a response
that carries an ``Etag`` (static files, whose Etag is a hash of their content)
the first time it is sent, then serves the compressed bytes from memory, as long
as the file keeps its Etag, size and date.
Responses without an Etag (the streamed notebook page) are left as they are.
"""

from __future__ import annotations

import zlib
from collections import OrderedDict

from tornado import httputil
from tornado.web import GZipContentEncoding, OutputTransform

CACHE_LIMIT_BYTES = 64 * 1024 * 1024
MIN_LENGTH = 1024


class CachedGzip(OutputTransform):
    """Tornado output transform: gzip static files, once per content (see the module docstring)."""

    cache: OrderedDict[str, bytes] = OrderedDict()
    cache_bytes = 0

    def __init__(self, request: httputil.HTTPServerRequest) -> None:
        self._wanted = request.method == "GET" and "gzip" in request.headers.get("Accept-Encoding", "")
        self._mode = ""  # "", "cached" (the whole body was sent with the headers) or "compress"

    def transform_first_chunk(self, status_code: int, headers: httputil.HTTPHeaders, chunk: bytes,
                              finishing: bool) -> tuple[int, httputil.HTTPHeaders, bytes]:
        """Send the cached compressed body, start compressing, or leave the response alone."""
        etag = headers.get("Etag")
        content_type = str(headers.get("Content-Type", "")).split(";")[0]
        length = int(headers.get("Content-Length", len(chunk) if finishing else MIN_LENGTH))
        if not (self._wanted and status_code == 200 and etag and "Content-Encoding" not in headers
                and length >= MIN_LENGTH and (content_type.startswith("text/")
                                              or content_type in GZipContentEncoding.CONTENT_TYPES)):
            return status_code, headers, chunk
        headers["Vary"] = f"{headers['Vary']}, Accept-Encoding" if "Vary" in headers else "Accept-Encoding"
        headers["Content-Encoding"] = "gzip"
        # Tornado keeps a static file's Etag until restart: its size and date tell a changed file
        self._key = f"{etag}|{headers.get('Last-Modified', '')}|{length}|{content_type}"
        cached = self.cache.get(self._key)
        if cached is not None:
            self.cache.move_to_end(self._key)
            self._mode = "cached"
            headers["Content-Length"] = str(len(cached))
            return status_code, headers, cached
        self._mode = "compress"
        self._compressor = zlib.compressobj(6, zlib.DEFLATED, 31)  # 31: gzip header and trailer
        self._parts: list[bytes] = []
        body = self.transform_chunk(chunk, finishing)
        if finishing:
            headers["Content-Length"] = str(len(body))
        else:
            headers.pop("Content-Length", None)  # chunked transfer
        return status_code, headers, body

    def transform_chunk(self, chunk: bytes, finishing: bool) -> bytes:
        """Compress the next piece (nothing to send when the cached body already went)."""
        if self._mode == "cached":
            return b""
        if self._mode != "compress":
            return chunk
        out = self._compressor.compress(chunk)
        if finishing:
            out += self._compressor.flush()
        self._parts.append(out)
        if finishing:
            self._remember(b"".join(self._parts))
        return out

    def _remember(self, body: bytes) -> None:
        cls = type(self)
        if len(body) > CACHE_LIMIT_BYTES // 8 or self._key in cls.cache:
            return
        cls.cache[self._key] = body
        cls.cache_bytes += len(body)
        while cls.cache_bytes > CACHE_LIMIT_BYTES:
            _key, dropped = cls.cache.popitem(last=False)
            cls.cache_bytes -= len(dropped)
