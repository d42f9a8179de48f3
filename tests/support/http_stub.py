"""Serving a stub's aiohttp app on a free 127.0.0.1 port: the shared part of the local stand-ins
for cloud services (Bot Connector, Graph)."""

from __future__ import annotations

from aiohttp import web
from aiohttp.test_utils import TestServer


class LocalHttpStub:
    URL_PATH = ""  # what ``url`` points at, e.g. "/v1.0" for Graph
    _server: TestServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None, "start the stub first"
        return str(self._server.make_url(self.URL_PATH)).rstrip("/")

    async def _serve(self, app: web.Application) -> None:
        self._server = TestServer(app, host="127.0.0.1")
        await self._server.start_server()

    async def close(self) -> None:
        if self._server is not None:
            await self._server.close()
