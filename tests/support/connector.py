"""A local stand-in for the Bot Connector service on 127.0.0.1.

The bot posts its replies to ``{serviceUrl}/v3/conversations/{id}/activities[/{replyToId}]``;
this stub records them (and can be told to fail) so tests see exactly what a user would see.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer

from tests.support.http_stub import LocalHttpStub


@dataclass
class ConnectorStub(LocalHttpStub):
    activities: list[dict[str, Any]] = field(default_factory=list)
    fail_next: list[int] = field(default_factory=list)  # status codes to answer with, in order
    members: dict[str, dict[str, Any]] = field(
        default_factory=dict
    )  # Teams user id -> TeamsChannelAccount
    _server: TestServer | None = None
    _arrived: asyncio.Condition | None = None

    async def start(self) -> ConnectorStub:
        self._arrived = asyncio.Condition()
        app = web.Application()
        app.router.add_post("/v3/conversations/{conversation}/activities", self._post)
        app.router.add_post("/v3/conversations/{conversation}/activities/{reply_to}", self._post)
        app.router.add_put("/v3/conversations/{conversation}/activities/{activity}", self._post)
        app.router.add_post("/v3/conversations", self._create_conversation)
        app.router.add_get("/v3/conversations/{conversation}/members/{member}", self._member)
        await self._serve(app)
        return self

    async def _post(self, request: web.Request) -> web.Response:
        if self.fail_next:
            return web.json_response({"error": {"code": "stub"}}, status=self.fail_next.pop(0))
        body = await request.json()
        body["_conversation"] = request.match_info["conversation"]
        body["_authorization"] = request.headers.get("Authorization")
        assert self._arrived is not None
        async with self._arrived:
            self.activities.append(body)
            self._arrived.notify_all()
        return web.json_response({"id": uuid.uuid4().hex})

    async def _member(self, request: web.Request) -> web.Response:
        """``TeamsInfo.get_member``: the member's profile, or 404 like the real service."""
        member = self.members.get(request.match_info["member"])
        if member is None:
            return web.json_response(
                {
                    "error": {
                        "code": "MemberNotFoundInConversation",
                        "message": "The member could not be found.",
                    }
                },
                status=404,
            )
        return web.json_response(member)

    async def _create_conversation(self, request: web.Request) -> web.Response:
        return web.json_response({"id": f"a:{uuid.uuid4().hex}", "activityId": uuid.uuid4().hex})

    async def wait_for(self, count: int, timeout: float = 10.0) -> list[dict[str, Any]]:
        """Wait (on a condition, not a sleep) until ``count`` activities arrived in total."""
        assert self._arrived is not None
        async with self._arrived:
            await asyncio.wait_for(
                self._arrived.wait_for(lambda: len(self.activities) >= count), timeout
            )
        return self.activities

    def texts(self) -> list[str]:
        """What the user saw: message texts, and for cards their text blocks and buttons."""
        seen: list[str] = []
        for activity in self.activities:
            if activity.get("text"):
                seen.append(activity["text"])
            for attachment in activity.get("attachments") or []:
                content = attachment.get("content") or {}
                parts = [
                    b.get("text", "")
                    for b in content.get("body", [])
                    if b.get("type") == "TextBlock"
                ]
                parts += [a.get("title", "") for a in content.get("actions", [])]
                seen.append("\n".join(parts))
        return seen
