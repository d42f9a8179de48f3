"""Serving a stub's aiohttp app on a free 127.0.0.1 port: the shared part of the local stand-ins
for cloud services (Bot Connector and Entra over HTTP; Graph mail and EWS over HTTPS)."""

from __future__ import annotations

from aiohttp import web
from aiohttp.test_utils import TestServer

from tests.support.tls import ServerCertificates


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


class LocalHttpsStub:
    """An HTTPS stub with a certificate from the tests' own CA (the clients under test verify
    it)."""

    certificates: ServerCertificates
    port: int = 0
    _runner: web.AppRunner | None = None

    @property
    def origin(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    async def _serve_https(self, app: web.Application) -> None:
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(
            self._runner, "127.0.0.1", 0, ssl_context=self.certificates.server_context()
        )
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]  # noqa: SLF001

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
