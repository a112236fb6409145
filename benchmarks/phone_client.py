"""A player's phone without a browser: the HTTP and Jupyter-protocol traffic of one player page.

Used by ``bench_serve.py`` to load the server with many players when the
benchmark machine cannot also run that many browsers (on 2 cores, 30 headless
chromium pages cost more CPU than the server itself). A ``Phone``:

1. gets the page (``joueur.ipynb?code=…``) and every static file a real browser
   fetched for it (the list is recorded once from a real page load), six at a
   time and without cache, as a phone's first visit;
2. connects to the page's kernel (``/api/kernels/<id>/channels``, JSON messages)
   and asks for the widgets' states, as Voilà's frontend does;
3. writes the page's query into the hidden ``mej-query`` box (what the player
   template's script does for a preheated kernel), types a name, presses
   « Rejoindre la partie », and waits until the app marks the seat as joined.

The time from the first request to the seat is the player's « interactive » time,
server side (a real phone adds its own rendering time, measured separately by
the browser runs).
"""

from __future__ import annotations

import asyncio
import json
import re
import time
import uuid
from urllib.parse import urlsplit

import httpx
import websockets


def _msg(msg_type: str, content: dict, session: str, channel: str = "shell") -> dict:
    return {
        "header": {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "username": "phone", "session": session,
                   "date": "", "version": "5.3"},
        "parent_header": {}, "metadata": {}, "content": content, "channel": channel, "buffers": [],
    }


async def fetch_files(base: str, paths: list[str], connections: int = 6) -> None:
    """GET every path over ``connections`` keep-alive connections, reading and dropping the bodies.

    Raw HTTP/1.1 rather than httpx: on the benchmark machine the phones' own work must
    cost little, since a real phone does it on its own processor.
    """
    host, port = urlsplit(base).hostname, urlsplit(base).port or 80
    queue = list(reversed(paths))

    async def worker() -> None:
        reader, writer = await asyncio.open_connection(host, port)
        try:
            while queue:
                path = queue.pop()
                writer.write(f"GET /{path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: */*\r\n"
                             "Accept-Encoding: gzip\r\n\r\n".encode())
                head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
                status = int(head.split(" ", 2)[1])
                if status >= 400:
                    raise RuntimeError(f"{status} on /{path}")
                length = re.search(r"(?im)^content-length:\s*(\d+)", head)
                if length is not None:
                    await reader.readexactly(int(length.group(1)))
                    continue
                while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):  # chunked (gzip)
                    await reader.readexactly(size + 2)
                await reader.readuntil(b"\r\n")
        finally:
            writer.close()

    await asyncio.gather(*(worker() for _ in range(min(connections, len(paths)))))


class Phone:
    """One simulated player.

    Args:
        base: server address, ``http://127.0.0.1:8866/``.
        page: the player page's path and query, ``voila/render/joueur.ipynb?code=K7QP2M``.
        statics: paths of the static files a browser loads for that page.
        name: the player's name.
    """

    def __init__(self, base: str, page: str, statics: list[str], name: str) -> None:
        self.base = base.rstrip("/") + "/"
        self.page = page
        self.statics = statics
        self.name = name
        self.session = uuid.uuid4().hex
        self.models: dict[str, dict] = {}
        self.times: dict[str, float] = {}
        self.kernel = ""

    async def run(self, timeout: float = 180) -> dict[str, float]:
        """Play the page until the seat is taken; return the times (seconds from the first request)."""
        try:
            return await asyncio.wait_for(self._run(), timeout)
        except TimeoutError:
            found = {what: self._find(**{key: what}) is not None for key, what in (
                ("dom_class", "mej-query"), ("dom_class", "mej-name-input"), ("description", "Rejoindre la partie"))}
            raise TimeoutError(f"{self.name}: stuck after {sorted(self.times)} on kernel {self.kernel}, "
                               f"{len(self.models)} widgets, found {found}") from None

    async def _run(self) -> dict[str, float]:
        t0 = time.perf_counter()
        async with httpx.AsyncClient(base_url=self.base, timeout=120, limits=httpx.Limits(max_connections=6)) as http:
            await self._page(http)
            self.times["html"] = time.perf_counter() - t0
        await fetch_files(self.base, self.statics)
        self.times["files"] = time.perf_counter() - t0
        async with self._channels(open_timeout=60) as ws:
            self.ws = ws
            await self._widgets()
            self.times["widgets"] = time.perf_counter() - t0
            await self._give_query()
            name = await self._wait_model(dom_class="mej-name-input")
            await self._comm(name, {"method": "update", "state": {"value": self.name}, "buffer_paths": []})
            join = await self._wait_model(description="Rejoindre la partie")
            await self._comm(join, {"method": "custom", "content": {"event": "click"}})
            await self._wait(self._seated_or_refused)
            self.times["joined"] = time.perf_counter() - t0
        return self.times

    async def _page(self, http: httpx.AsyncClient) -> None:
        """Fetch the page and note its kernel."""
        response = await http.get(self.page)
        html = response.text
        match = re.search(r'<script id="jupyter-config-data" type="application/json">\s*(\{.*?\})\s*</script>',
                          html, re.S)
        if match is None:
            raise RuntimeError(f"HTTP {response.status_code}, no kernel in the page: {html[:300]!r}")
        self.kernel = json.loads(match.group(1))["kernelId"]

    def _channels(self, open_timeout: float):
        """The kernel's websocket, as the page opens it."""
        ws_url = f"ws://{urlsplit(self.base).netloc}/api/kernels/{self.kernel}/channels?session_id={self.session}"
        return websockets.connect(ws_url, max_size=None, open_timeout=open_timeout)

    async def _widgets(self) -> None:
        """Ask for every widget's state and wait for all of them."""
        await self._send("comm_info_request", {"target_name": "jupyter.widget"})
        reply = await self._wait(lambda m: m["msg_type"] == "comm_info_reply")
        for comm_id in reply["content"]["comms"]:
            self.models[comm_id] = {}
            await self._comm(comm_id, {"method": "request_state"})
        await self._wait(lambda m: len([c for c, s in self.models.items() if s]) >= len(self.models))

    async def _give_query(self) -> None:
        """Give the page's query to the app, as the player template's script does (a kernel from the pool
        draws the page before it knows the query; one still running the notebook shows it later)."""
        query = await self._wait_model(dom_class="mej-query")
        if query:
            await self._comm(query, {"method": "update", "state": {"value": "?" + self.page.split("?", 1)[1]},
                                     "buffer_paths": []})

    def _seated_or_refused(self, _message: dict) -> bool:
        """True once the app marks the seat as joined; an error shown by the app is raised."""
        values = [str(state.get("value", "")) for state in self.models.values()]
        if any('data-state="joined"' in value for value in values):
            return True
        refused = [value for value in values if 'class="mej-msg mej-msg-error"' in value]
        if refused:
            raise RuntimeError(f"{self.name}: the app says {re.sub('<[^>]+>', '', refused[0]).strip()!r}")
        return False

    async def _send(self, msg_type: str, content: dict) -> None:
        await self.ws.send(json.dumps(_msg(msg_type, content, self.session)))

    async def _comm(self, comm_id: str, data: dict) -> None:
        await self._send("comm_msg", {"comm_id": comm_id, "data": data})

    def _find(self, dom_class: str | None = None, description: str | None = None) -> str | None:
        for comm_id, state in self.models.items():
            if dom_class and dom_class in (state.get("_dom_classes") or ()):
                return comm_id
            if description and state.get("description") == description:
                return comm_id
        return None

    async def _wait_model(self, **what: str) -> str:
        found = None

        def test(_m: dict) -> bool:
            nonlocal found
            found = self._find(**what)
            return found is not None

        if not test({}):
            await self._wait(test)
        return found

    async def _wait(self, test) -> dict:
        """Read the kernel's messages (keeping the widgets' states) until ``test(message)`` is true."""
        while True:
            raw = await self.ws.recv()
            if isinstance(raw, bytes):
                continue
            message = json.loads(raw)
            message["msg_type"] = message.get("header", {}).get("msg_type") or message.get("msg_type")
            content = message.get("content", {})
            if message["msg_type"] == "comm_open":
                self.models[content["comm_id"]] = dict(content.get("data", {}).get("state", {}))
            elif message["msg_type"] == "comm_msg":
                data = content.get("data", {})
                if data.get("method") == "update" and content.get("comm_id") in self.models:
                    self.models[content["comm_id"]].update(data.get("state", {}))
            if test(message):
                return message
