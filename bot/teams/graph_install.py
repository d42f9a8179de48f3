"""Optional: install the bot in Teams for invitees through Microsoft Graph, so it can reach people
who never opened it (``POST /users/{id | userPrincipalName}/teamwork/installedApps``, application
permission ``TeamsAppInstallation.ReadWriteSelfForUser.All``, token via msal client credentials).

Teams then tells the bot it was installed (an installationUpdate), which stores the conversation
reference and greets the participant. Without this configured nothing happens: participants are
reached when they first open the bot, or by mail.

Graph answers 201 Created; 409 Conflict means the app is already installed (success too). A 429
carries ``Retry-After``; 502/503/504 are retried with exponential backoff and jitter, up to a cap.
Requests go one at a time, which stays well inside Graph's limits. Logs carry counts and status
codes only, never an address.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol
from urllib.parse import quote, urlsplit

import aiohttp

if TYPE_CHECKING:
    from bot.settings import Settings
    from dialogen.facilitation.audit import AuditTrail
    from dialogen.stakeholders.roster import Roster

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
BASE_DELAY = 1.0
MAX_DELAY = 60.0
TIMEOUT = 30.0
_RETRY = frozenset({429, 502, 503, 504})

Sleep = Callable[[float], Awaitable[None]]


class TokenSource(Protocol):
    def token(self, *, refresh: bool = False) -> str: ...


class GraphInstallError(Exception):
    """No Graph token could be had (wrong credentials, no consent); nothing was installed."""


class MsalTokenSource:
    """App-only Graph tokens (client credentials); msal keeps them cached until they expire."""

    def __init__(
        self,
        *,
        tenant_id: str,
        client_id: str,
        client_secret: str,
        authority_host: str,
        graph_url: str,
    ) -> None:
        import msal

        self._app = msal.ConfidentialClientApplication(
            client_id,
            authority=f"{authority_host.rstrip('/')}/{tenant_id}",
            client_credential=client_secret,
        )
        root = urlsplit(graph_url)
        self._scopes = [f"{root.scheme}://{root.netloc}/.default"]

    def token(self, *, refresh: bool = False) -> str:
        result = self._app.acquire_token_for_client(scopes=self._scopes, force_refresh=refresh)
        if "access_token" not in result:
            raise GraphInstallError(f"no Graph token: {result.get('error', 'unknown error')}")
        return str(result["access_token"])


@dataclass(frozen=True)
class InstallOutcome:
    installed: int = 0
    already: int = 0
    failed: int = 0


class TeamsAppInstaller:
    def __init__(
        self,
        *,
        http: aiohttp.ClientSession,
        graph_url: str,
        catalog_app_id: str,
        tokens: TokenSource,
        sleep: Sleep = asyncio.sleep,
        max_attempts: int = MAX_ATTEMPTS,
    ) -> None:
        self._http = http
        self._graph = graph_url.rstrip("/")
        self._body = {
            "teamsApp@odata.bind": f"{self._graph}/appCatalogs/teamsApps/{catalog_app_id}"
        }
        self._tokens = tokens
        self._sleep = sleep
        self._max_attempts = max_attempts

    async def install(self, user: str) -> str:
        """Install for one user (object id or UPN): "installed", "already" or "failed"."""
        url = f"{self._graph}/users/{quote(user, safe='@')}/teamwork/installedApps"
        refreshed = False
        for attempt in range(1, self._max_attempts + 1):
            token = await asyncio.to_thread(self._tokens.token, refresh=refreshed)
            try:
                async with self._http.post(
                    url,
                    json=self._body,
                    headers={"Authorization": f"Bearer {token}"},
                    timeout=aiohttp.ClientTimeout(total=TIMEOUT),
                ) as response:
                    status = response.status
                    retry_after = _seconds(response.headers.get("Retry-After"))
                    await response.read()
            except (aiohttp.ClientError, TimeoutError) as error:
                status, retry_after = 0, None
                log.info("graph install attempt %d failed (%s)", attempt, type(error).__name__)
            if status in (200, 201):
                return "installed"
            if status == 409:
                return "already"
            if status == 401 and not refreshed:
                refreshed = True
                continue
            if status not in _RETRY and status != 0:
                log.warning("graph install failed status=%d", status)
                return "failed"
            if attempt < self._max_attempts:
                await self._sleep(retry_after if retry_after is not None else _backoff(attempt))
        log.warning("graph install gave up after %d attempts", self._max_attempts)
        return "failed"


async def install_for_invitees(
    settings: Settings,
    roster: Roster,
    trail: AuditTrail,
    *,
    actor: str,
    tokens: TokenSource | None = None,
    sleep: Sleep = asyncio.sleep,
) -> InstallOutcome:
    """Install the bot for every invitee with an e-mail address who is not reachable in Teams yet
    and did not opt out. Safe to re-run: an existing installation counts as done."""
    if tokens is None:
        secret = settings.teams_install_client_secret
        tokens = MsalTokenSource(
            tenant_id=settings.teams_install_tenant_id or "",
            client_id=settings.teams_install_client_id or "",
            client_secret=secret.get_secret_value() if secret else "",
            authority_host=settings.mail_authority_host,
            graph_url=settings.graph_base_url,
        )
    targets = await asyncio.to_thread(roster.install_targets)
    counts = {"installed": 0, "already": 0, "failed": 0}
    async with aiohttp.ClientSession() as http:
        installer = TeamsAppInstaller(
            http=http,
            graph_url=settings.graph_base_url,
            catalog_app_id=settings.teams_catalog_app_id or "",
            tokens=tokens,
            sleep=sleep,
        )
        for _participant_id, email in targets:
            counts[await installer.install(email)] += 1
    outcome = InstallOutcome(**counts)
    await asyncio.to_thread(
        trail.record,
        actor=actor,
        action="teams_install",
        count=outcome.installed,
        details={"targets": len(targets), **counts},
    )
    log.info(
        "graph install done targets=%d installed=%d already=%d failed=%d",
        len(targets),
        *counts.values(),
    )
    return outcome


def _seconds(value: str | None) -> float | None:
    try:
        return max(0.0, min(float(value), MAX_DELAY * 10)) if value is not None else None
    except ValueError:
        return None


def _backoff(attempt: int) -> float:
    return min(MAX_DELAY, BASE_DELAY * 2 ** (attempt - 1)) * random.uniform(0.5, 1.0)  # noqa: S311 - jitter
