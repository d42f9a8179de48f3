"""A small Microsoft Graph client for one mailbox: app-only tokens from msal (client credentials,
cached in memory by msal and reused until shortly before they expire) and aiohttp requests that
honour throttling.

Throttling: Graph answers 429 (and sometimes 503/504) with ``Retry-After`` in seconds. Reads wait
that long and try again, a few times, as long as the wait stays under ``max_wait``; sends never
wait here but hand the ``Retry-After`` to the outbox (see :class:`GraphResponse.retry_after`).
A 401 is answered once by dropping the cached token and asking for a new one.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import msal
from pydantic import SecretStr

from bot.mail.contracts import MailTransportError
from bot.mail.transports.tls import TrustingSession, client_context

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]
THROTTLED = frozenset({429, 502, 503, 504})


@dataclass(frozen=True)
class GraphConfig:
    mailbox: str  # user principal name or object id of the dialogue mailbox
    tenant_id: str
    client_id: str
    client_secret: SecretStr
    state_dir: Path  # where the delta link is kept (see graph_state)
    base_url: str = "https://graph.microsoft.com/v1.0"
    authority_host: str = "https://login.microsoftonline.com"
    processed_folder: str | None = None  # a folder id or a well-known name such as "archive"
    delete_processed: bool = False  # processed mail is deleted (permanentDelete), not kept
    unique_body: bool = True
    page_size: int = 50
    batch_size: int = 50
    timeout: float = 30.0
    max_attempts: int = 4
    max_wait: float = 120.0
    ca_file: Path | None = None

    @property
    def origin(self) -> str:
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def scope(self) -> str:
        return f"{self.origin}/.default"


@dataclass(frozen=True)
class GraphResponse:
    status: int
    headers: Mapping[str, str]
    body: bytes

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def json(self) -> dict[str, Any]:
        try:
            value = json.loads(self.body or b"{}")
        except ValueError as exc:
            raise MailTransportError(
                f"Graph answered {self.status} with a body that is not JSON"
            ) from exc
        return value if isinstance(value, dict) else {}

    @property
    def error_code(self) -> str:
        if self.ok:
            return ""
        try:
            error = json.loads(self.body or b"{}").get("error") or {}
        except (ValueError, AttributeError):
            return ""
        return str(error.get("code", ""))[:60] if isinstance(error, dict) else ""

    @property
    def retry_after(self) -> float | None:
        return retry_after_seconds(self.headers.get("Retry-After"))

    def describe(self) -> str:
        return f"Graph {self.status} {self.error_code}".rstrip()


def retry_after_seconds(value: str | None) -> float | None:
    """``Retry-After`` as seconds: delta-seconds, or an HTTP date (rare, but allowed)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds())
    except (TypeError, ValueError):
        return None


class TokenSource:
    """App-only tokens for one Entra app; msal keeps them cached between calls."""

    def __init__(self, config: GraphConfig) -> None:
        self.config = config
        self._app: msal.ConfidentialClientApplication | None = None

    async def token(self) -> str:
        return await asyncio.to_thread(self._acquire)

    def forget(self) -> None:
        self._app = None  # a new app has an empty cache: the next call asks for a new token

    def _acquire(self) -> str:
        config = self.config
        try:
            if self._app is None:
                self._app = msal.ConfidentialClientApplication(
                    config.client_id,
                    client_credential=config.client_secret.get_secret_value(),
                    authority=f"{config.authority_host.rstrip('/')}/{config.tenant_id}",
                    instance_discovery=False,
                    http_client=TrustingSession(config.ca_file, config.timeout),
                )
            result = self._app.acquire_token_for_client(scopes=[config.scope])
        except (ValueError, OSError) as exc:  # discovery failed, host unreachable
            self._app = None
            raise MailTransportError(f"token service unreachable ({type(exc).__name__})") from exc
        except Exception as exc:  # requests raises its own tree; keep its text out of the logs
            self._app = None
            raise MailTransportError(f"token request failed ({type(exc).__name__})") from exc
        if "access_token" not in result:
            raise MailTransportError(
                f"token request refused ({str(result.get('error', 'unknown'))[:60]})"
            )
        return str(result["access_token"])


class GraphClient:
    def __init__(self, config: GraphConfig, *, sleep: Sleep = asyncio.sleep) -> None:
        self.config = config
        self.tokens = TokenSource(config)
        self._sleep = sleep
        self._session: aiohttp.ClientSession | None = None

    def url(self, path: str) -> str:
        return f"{self.config.base_url.rstrip('/')}/{path.lstrip('/')}"

    def check_link(self, link: str) -> str:
        """Paging links come from the server; only follow them to the configured Graph host."""
        if not link.startswith(self.config.origin + "/"):
            raise MailTransportError("Graph paging link points to another host")
        return link

    async def request(
        self,
        method: str,
        url: str,
        *,
        wait_when_throttled: bool = True,
        headers: Mapping[str, str] | None = None,
        json_body: Any = None,
        data: bytes | None = None,
    ) -> GraphResponse:
        attempts = self.config.max_attempts
        renewed = False
        for attempt in range(1, attempts + 1):
            token = await self.tokens.token()
            try:
                response = await self._send(method, url, token, headers, json_body, data)
            except (aiohttp.ClientError, TimeoutError) as exc:
                if not wait_when_throttled or attempt == attempts:
                    raise MailTransportError(f"Graph unreachable ({type(exc).__name__})") from exc
                await self._sleep(_backoff(attempt))
                continue
            if response.status == 401 and not renewed:
                renewed = True
                self.tokens.forget()
                continue
            if response.status in THROTTLED and wait_when_throttled and attempt < attempts:
                wait = (
                    response.retry_after if response.retry_after is not None else _backoff(attempt)
                )
                if wait <= self.config.max_wait:
                    log.info("Graph throttled (%d); waiting %.1f s", response.status, wait)
                    await self._sleep(wait)
                    continue
            return response
        return response

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def _send(
        self,
        method: str,
        url: str,
        token: str,
        headers: Mapping[str, str] | None,
        json_body: Any,
        data: bytes | None,
    ) -> GraphResponse:
        if self._session is None:
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=self.config.timeout),
                connector=aiohttp.TCPConnector(ssl=client_context(self.config.ca_file), limit=4),
            )
        all_headers = {"Authorization": f"Bearer {token}", **(headers or {})}
        async with self._session.request(
            method, url, headers=all_headers, json=json_body, data=data
        ) as answer:
            body = await answer.read()
            return GraphResponse(answer.status, dict(answer.headers), body)


def _backoff(attempt: int) -> float:
    return min(60.0, 2.0**attempt) * random.uniform(0.8, 1.2)  # noqa: S311 - jitter, not crypto
