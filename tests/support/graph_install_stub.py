"""A local stand-in for Microsoft Graph's Teams app installation on 127.0.0.1.

``POST /v1.0/users/{id | upn}/teamwork/installedApps`` answers 201 Created with an empty body, like
Graph; ``script`` makes a user's next requests answer otherwise (409 already installed, 429 with
Retry-After, 503, 404 ...), with Graph's error envelope.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer

from tests.support.http_stub import LocalHttpStub

_ERRORS = {
    401: ("InvalidAuthenticationToken", "Access token has expired or is not yet valid."),
    404: ("NotFound", "The requested user could not be found."),
    409: ("Conflict", "App is already installed for the user."),
    429: ("TooManyRequests", "Too many requests."),
    503: ("ServiceUnavailable", "The service is temporarily unavailable."),
}


@dataclass
class GraphInstallStub(LocalHttpStub):
    URL_PATH = "/v1.0"
    script: dict[str, list[int]] = field(
        default_factory=dict
    )  # user -> statuses for their next requests
    retry_after: str = "2"
    requests: list[dict[str, Any]] = field(default_factory=list)
    _server: TestServer | None = None

    async def start(self) -> GraphInstallStub:
        app = web.Application()
        app.router.add_post("/v1.0/users/{user}/teamwork/installedApps", self._install)
        await self._serve(app)
        return self

    async def _install(self, request: web.Request) -> web.Response:
        user = request.match_info["user"]
        self.requests.append(
            {
                "user": user,
                "body": await request.json(),
                "authorization": request.headers.get("Authorization"),
            }
        )
        queued = self.script.get(user) or []
        status = queued.pop(0) if queued else 201
        if status == 201:
            return web.Response(status=201)
        code, message = _ERRORS.get(status, ("UnknownError", "Something went wrong."))
        headers = {"Retry-After": self.retry_after} if status == 429 else {}
        body = {
            "error": {
                "code": code,
                "message": message,
                "innerError": {"request-id": str(uuid.uuid4()), "date": "2024-10-01T08:00:00"},
            }
        }
        return web.json_response(body, status=status, headers=headers)
