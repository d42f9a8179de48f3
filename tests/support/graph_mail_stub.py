"""A local stand-in for Microsoft Graph mail and the Microsoft identity platform, over HTTPS on
127.0.0.1 (msal accepts only https authorities), speaking the documented protocol:

- ``GET /{tenant}/v2.0/.well-known/openid-configuration`` and ``POST /{tenant}/oauth2/v2.0/token``
  (client credentials grant) — what msal needs for a custom authority with instance discovery off;
- ``GET /v1.0/users/{mailbox}/mailFolders/inbox/messages/delta`` with ``Prefer: odata.maxpagesize``,
  ``@odata.nextLink`` pages and a final ``@odata.deltaLink``; ``changeType=created``; ``@removed``
  rows; 410 for an expired delta token;
- ``GET .../messages/{id}/$value`` (MIME), ``GET .../messages/{id}?$select=uniqueBody`` with
  ``Prefer: outlook.body-content-type="text"``, ``PATCH .../messages/{id}``, ``POST .../move``,
  ``POST .../permanentDelete`` and ``DELETE .../messages/{id}``;
- ``POST /v1.0/users/{mailbox}/sendMail`` with a base64 MIME body → 202;
- throttling on request: 429 (or 503) with ``Retry-After`` and a Graph error body.
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from aiohttp import web

from tests.support.http_stub import LocalHttpsStub
from tests.support.tls import ServerCertificates

RECEIVED = datetime(2024, 10, 1, 8, 0, tzinfo=UTC)


@dataclass
class StoredMessage:
    id: str
    mime: bytes
    unique_body: str
    is_read: bool = False
    folder: str = "inbox"
    received: datetime = RECEIVED
    created_seq: int = 0


@dataclass
class GraphStub(LocalHttpsStub):
    certificates: ServerCertificates
    tenant: str = "8f2b6c1e-0c6b-4d8e-9a57-3d1f0e2a7b44"
    client_id: str = "3c9e5a0d-7b1f-4f7e-8e2a-6d5c4b3a2f10"
    client_secret: str = "stub-client-secret"
    mailbox: str = "dialoog@gemeente.test"
    messages: dict[str, StoredMessage] = field(default_factory=dict)
    sent: list[bytes] = field(default_factory=list)
    requests: list[tuple[str, str]] = field(default_factory=list)
    token_requests: int = 0
    throttle: list[tuple[int, str]] = field(
        default_factory=list
    )  # (status, Retry-After) per next request
    expired_tokens: bool = False
    _tokens: set[str] = field(default_factory=set)
    _seq: int = 0

    @property
    def base_url(self) -> str:
        return f"{self.origin}/v1.0"

    async def start(self) -> GraphStub:
        app = web.Application(client_max_size=8 * 1024 * 1024)
        app.router.add_get("/{tenant}/v2.0/.well-known/openid-configuration", self._openid)
        app.router.add_post("/{tenant}/oauth2/v2.0/token", self._token)
        users = "/v1.0/users/{mailbox}"
        app.router.add_get(users + "/mailFolders/inbox/messages/delta", self._delta)
        app.router.add_get(users + "/mailFolders('inbox')/messages/delta", self._delta)
        app.router.add_get(users + "/messages/{id}/$value", self._value)
        app.router.add_get(users + "/messages/{id}", self._get_message)
        app.router.add_patch(users + "/messages/{id}", self._patch_message)
        app.router.add_post(users + "/messages/{id}/move", self._move)
        app.router.add_post(users + "/messages/{id}/permanentDelete", self._delete)
        app.router.add_delete(users + "/messages/{id}", self._delete)
        app.router.add_post(users + "/sendMail", self._send_mail)
        await self._serve_https(app)
        return self

    # ------------------------------------------------------------------ test controls

    def deliver(
        self, mime: bytes, *, unique_body: str = "", is_read: bool = False, minutes: int = 0
    ) -> str:
        self._seq += 1
        message_id = "AAMkAGI2TG93AAA=" + base64.urlsafe_b64encode(
            uuid.uuid4().bytes
        ).decode().rstrip("=")
        self.messages[message_id] = StoredMessage(
            message_id,
            mime,
            unique_body,
            is_read=is_read,
            received=RECEIVED + timedelta(minutes=minutes),
            created_seq=self._seq,
        )
        return message_id

    def graph_requests(self, method: str | None = None) -> list[str]:
        return [path for m, path in self.requests if method is None or m == method]

    # ------------------------------------------------------------------ identity platform

    async def _openid(self, request: web.Request) -> web.Response:
        tenant = request.match_info["tenant"]
        base = f"{self.origin}/{tenant}"
        return web.json_response(
            {
                "token_endpoint": f"{base}/oauth2/v2.0/token",
                "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
                "issuer": f"{base}/v2.0",
                "jwks_uri": f"{base}/discovery/v2.0/keys",
                "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
                "token_endpoint_auth_methods_supported": [
                    "client_secret_post",
                    "private_key_jwt",
                    "client_secret_basic",
                ],
                "tenant_region_scope": "EU",
            }
        )

    async def _token(self, request: web.Request) -> web.Response:
        form = await request.post()
        self.token_requests += 1
        if request.match_info["tenant"] != self.tenant:
            return _aad_error("invalid_tenant", 400)
        if form.get("grant_type") != "client_credentials":
            return _aad_error("unsupported_grant_type", 400)
        if (
            form.get("client_id") != self.client_id
            or form.get("client_secret") != self.client_secret
        ):
            return _aad_error("invalid_client", 401)
        if form.get("scope") != f"{self.origin}/.default":
            return _aad_error("invalid_scope", 400)
        token = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9." + secrets.token_urlsafe(48)
        self._tokens.add(token)
        return web.json_response(
            {
                "token_type": "Bearer",
                "expires_in": 3599,
                "ext_expires_in": 3599,
                "access_token": token,
            }
        )

    # ------------------------------------------------------------------ Graph

    def _guard(self, request: web.Request) -> web.Response | None:
        self.requests.append((request.method, request.path_qs))
        if self.throttle:
            status, retry_after = self.throttle.pop(0)
            return web.json_response(
                {
                    "error": {
                        "code": "TooManyRequests" if status == 429 else "ServiceUnavailable",
                        "message": "Application is over its MailboxConcurrency limit.",
                        "innerError": {
                            "date": "2024-10-01T08:00:00",
                            "request-id": str(uuid.uuid4()),
                        },
                    }
                },
                status=status,
                headers={"Retry-After": retry_after},
            )
        auth = request.headers.get("Authorization", "")
        if not auth.startswith("Bearer ") or auth.removeprefix("Bearer ") not in self._tokens:
            return _graph_error("InvalidAuthenticationToken", "Access token is empty.", 401)
        if request.match_info["mailbox"].lower() != self.mailbox:
            return _graph_error("ErrorInvalidUser", "The requested user is invalid.", 404)
        return None

    async def _delta(self, request: web.Request) -> web.Response:
        if (refused := self._guard(request)) is not None:
            return refused
        query = request.query
        if "$deltatoken" in query:
            state = _decode(query["$deltatoken"])
            if self.expired_tokens:
                return _graph_error("SyncStateNotFound", "The sync state could not be found.", 410)
            rows = self._changes_since(state["since"], state["changeType"])
            state = {**state, "offset": 0, "rows": rows}
        elif "$skiptoken" in query:
            state = _decode(query["$skiptoken"])
        else:
            rows = [
                m.id
                for m in sorted(self.messages.values(), key=lambda m: m.created_seq)
                if m.folder == "inbox"
            ]
            state = {
                "since": 0,
                "changeType": query.get("changeType"),
                "offset": 0,
                "rows": rows,
                "select": query.get("$select", ""),
            }
        page_size = _max_page_size(request.headers.get("Prefer", ""))
        page = state["rows"][state["offset"] : state["offset"] + page_size]
        values = [self._delta_row(row, state["select"]) for row in page]
        link = f"{self.base_url}/users/{self.mailbox}/mailFolders('inbox')/messages/delta"
        body: dict[str, Any] = {
            "@odata.context": f"{self.base_url}/$metadata#Collection(message)",
            "value": values,
        }
        if state["offset"] + page_size < len(state["rows"]):
            following = _encode({**state, "offset": state["offset"] + page_size})
            body["@odata.nextLink"] = f"{link}?$skiptoken={following}"
        else:
            body["@odata.deltaLink"] = (
                f"{link}?$deltatoken={_encode({**state, 'since': self._seq, 'rows': []})}"
            )
        return web.json_response(
            body, headers={"Preference-Applied": f"odata.maxpagesize={page_size}"}
        )

    def _changes_since(self, since: int, change_type: str | None) -> list[str]:
        rows = [
            m.id
            for m in sorted(self.messages.values(), key=lambda m: m.created_seq)
            if m.created_seq > since and m.folder == "inbox"
        ]
        if change_type in (None, "deleted"):
            rows += [f"removed:{m.id}" for m in self.messages.values() if m.folder != "inbox"]
        return rows if change_type != "deleted" else [r for r in rows if r.startswith("removed:")]

    def _delta_row(self, row: str, select: str) -> dict[str, Any]:
        if row.startswith("removed:"):
            return {
                "@odata.type": "#microsoft.graph.message",
                "id": row.removeprefix("removed:"),
                "@removed": {"reason": "deleted"},
            }
        message = self.messages[row]
        full = {
            "@odata.type": "#microsoft.graph.message",
            "@odata.etag": f'W/"CQAAABYAAAC{message.created_seq:04d}"',
            "id": message.id,
            "isRead": message.is_read,
            "receivedDateTime": message.received.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "subject": "Re: Stap Verkennen",
            "hasAttachments": False,
        }
        fields = {f.strip() for f in select.split(",") if f.strip()}
        return {
            k: v
            for k, v in full.items()
            if k.startswith("@") or k == "id" or not fields or k in fields
        }

    async def _value(self, request: web.Request) -> web.Response:
        if (refused := self._guard(request)) is not None:
            return refused
        message = self.messages.get(request.match_info["id"])
        if message is None:
            return _not_found()
        return web.Response(body=message.mime, content_type="text/plain")

    async def _get_message(self, request: web.Request) -> web.Response:
        if (refused := self._guard(request)) is not None:
            return refused
        message = self.messages.get(request.match_info["id"])
        if message is None:
            return _not_found()
        text = 'outlook.body-content-type="text"' in request.headers.get("Prefer", "")
        content = (
            message.unique_body
            if text
            else f"<html><body><div>{message.unique_body}</div></body></html>"
        )
        headers = {"Preference-Applied": 'outlook.body-content-type="text"'} if text else {}
        context = f"{self.base_url}/$metadata#users('{self.mailbox}')/messages(uniqueBody)/$entity"
        return web.json_response(
            {
                "@odata.context": context,
                "id": message.id,
                "uniqueBody": {"contentType": "text" if text else "html", "content": content},
            },
            headers=headers,
        )

    async def _patch_message(self, request: web.Request) -> web.Response:
        if (refused := self._guard(request)) is not None:
            return refused
        message = self.messages.get(request.match_info["id"])
        if message is None:
            return _not_found()
        changes = await request.json()
        if "isRead" in changes:
            message.is_read = bool(changes["isRead"])
        return web.json_response({"id": message.id, "isRead": message.is_read})

    async def _move(self, request: web.Request) -> web.Response:
        if (refused := self._guard(request)) is not None:
            return refused
        message = self.messages.get(request.match_info["id"])
        if message is None:
            return _not_found()
        message.folder = (await request.json())["destinationId"]
        return web.json_response({"id": message.id, "parentFolderId": message.folder}, status=201)

    async def _delete(self, request: web.Request) -> web.Response:
        if (refused := self._guard(request)) is not None:
            return refused
        if self.messages.pop(request.match_info["id"], None) is None:
            return _not_found()
        return web.Response(status=204)

    async def _send_mail(self, request: web.Request) -> web.Response:
        if (refused := self._guard(request)) is not None:
            return refused
        if request.content_type != "text/plain":
            return _graph_error("ErrorInvalidRequest", "Use text/plain for MIME content.", 400)
        try:
            mime = base64.b64decode(await request.read(), validate=True)
        except (binascii.Error, ValueError):
            return _graph_error(
                "ErrorMimeContentInvalidBase64String",
                "Invalid base64 string for MIME content.",
                400,
            )
        self.sent.append(mime)
        return web.Response(status=202)


def _max_page_size(prefer: str) -> int:
    for part in prefer.split(","):
        name, _, value = part.strip().partition("=")
        if name == "odata.maxpagesize" and value.isdigit():
            return int(value)
    return 10


def _encode(state: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(state).encode()).decode()


def _decode(token: str) -> dict[str, Any]:
    return json.loads(base64.urlsafe_b64decode(token.encode()))


def _graph_error(code: str, message: str, status: int) -> web.Response:
    return web.json_response(
        {
            "error": {
                "code": code,
                "message": message,
                "innerError": {"date": "2024-10-01T08:00:00", "request-id": str(uuid.uuid4())},
            }
        },
        status=status,
    )


def _not_found() -> web.Response:
    return _graph_error(
        "ErrorItemNotFound", "The specified object was not found in the store.", 404
    )


def _aad_error(code: str, status: int) -> web.Response:
    return web.json_response(
        {
            "error": code,
            "error_description": f"AADSTS7000215: {code}.",
            "error_codes": [7000215],
            "timestamp": "2024-10-01 08:00:00Z",
            "trace_id": str(uuid.uuid4()),
            "correlation_id": str(uuid.uuid4()),
        },
        status=status,
    )
