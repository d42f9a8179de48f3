"""Clients for the bot's outbound calls, kept for the life of the process instead of per turn.

botbuilder 4.17 builds, for *every* incoming activity, new credentials, a new ``ConnectorClient``
and a new ``UserTokenClient``. That is costly in three ways, all on the event loop:

* each client's msrest configuration builds a retry policy with a quadratic list comprehension —
  about 12 ms of CPU, twice per turn — which capped a bare echo bot at ~30 turns/s;
* each ``ConnectorClient`` opens its own ``requests`` session, so every reply paid a new TCP
  (and in production TLS) connection to the Bot Connector, and the session was never closed;
* each new credentials object builds a new msal app with an empty token cache, so every reply
  did an authority discovery and a token request to Entra with blocking ``requests`` calls.

These wrappers hand botbuilder the same objects again. Sharing is safe: the clients hold no
per-turn state, their ``requests`` session is used from the default executor's threads (urllib3's
pool is thread-safe) and the credentials set the same cached token on every request.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from typing import TypeVar

from botbuilder.schema import Activity
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import (
    AuthenticateRequestResult,
    AuthenticationConstants,
    BotFrameworkAuthentication,
    ClaimsIdentity,
    ConnectorFactory,
    ServiceClientCredentialsFactory,
    UserTokenClient,
)
from botframework.connector.skills import BotFrameworkClient
from msrest.authentication import Authentication

T = TypeVar("T")

MAX_CONNECTORS = 64
"""Service URLs are few (Teams' regional endpoints); the bound only protects against abuse."""


async def _reuse(
    cache: dict[Hashable, T], key: Hashable, make: Callable[[], Awaitable[T]], limit: int
) -> T:
    """The cached object for ``key``, made once; the least recently used one goes past ``limit``."""
    found = cache.pop(key, None)
    if found is None:
        found = await make()
    cache[key] = found  # (re)insert as most recently used
    while len(cache) > limit:
        cache.pop(next(iter(cache)))
    return found


class ReusedCredentials(ServiceClientCredentialsFactory):
    """One credentials object per (app, scope, login endpoint): msal then serves its cached token
    and renews it shortly before it expires."""

    def __init__(self, inner: ServiceClientCredentialsFactory) -> None:
        self._inner = inner
        self._credentials: dict[Hashable, Authentication] = {}

    async def is_valid_app_id(self, app_id: str) -> bool:
        return await self._inner.is_valid_app_id(app_id)

    async def is_authentication_disabled(self) -> bool:
        return await self._inner.is_authentication_disabled()

    async def create_credentials(
        self, app_id: str, oauth_scope: str, login_endpoint: str, validate_authority: bool
    ) -> Authentication:
        return await _reuse(
            self._credentials,
            (app_id, oauth_scope, login_endpoint, validate_authority),
            lambda: self._inner.create_credentials(
                app_id, oauth_scope, login_endpoint, validate_authority
            ),
            limit=MAX_CONNECTORS,
        )


class _ReusedConnectors(ConnectorFactory):
    def __init__(
        self, inner: ConnectorFactory, app_id: str | None, clients: dict[Hashable, ConnectorClient]
    ) -> None:
        self._inner = inner
        self._app_id = app_id
        self._clients = clients

    async def create(self, service_url: str, audience: str | None = None) -> ConnectorClient:
        return await _reuse(
            self._clients,
            (self._app_id, service_url, audience),
            lambda: self._inner.create(service_url, audience),
            limit=MAX_CONNECTORS,
        )


class ReusedClients(BotFrameworkAuthentication):
    """botbuilder's authentication, unchanged, but with connector and user-token clients reused."""

    def __init__(self, inner: BotFrameworkAuthentication) -> None:
        self._inner = inner
        self._connectors: dict[Hashable, ConnectorClient] = {}
        self._user_token_clients: dict[Hashable, UserTokenClient] = {}

    async def authenticate_request(
        self, activity: Activity, auth_header: str
    ) -> AuthenticateRequestResult:
        result = await self._inner.authenticate_request(activity, auth_header)
        if result.connector_factory is not None:
            result.connector_factory = _ReusedConnectors(
                result.connector_factory, _app_id(result.claims_identity), self._connectors
            )
        return result

    async def authenticate_streaming_request(
        self, auth_header: str, channel_id_header: str
    ) -> AuthenticateRequestResult:
        return await self._inner.authenticate_streaming_request(auth_header, channel_id_header)

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        return _ReusedConnectors(
            self._inner.create_connector_factory(claims_identity),
            _app_id(claims_identity),
            self._connectors,
        )

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> UserTokenClient:
        return await _reuse(
            self._user_token_clients,
            _app_id(claims_identity),
            lambda: self._inner.create_user_token_client(claims_identity),
            limit=MAX_CONNECTORS,
        )

    def create_bot_framework_client(self) -> BotFrameworkClient:
        return self._inner.create_bot_framework_client()

    def get_originating_audience(self) -> str:
        return self._inner.get_originating_audience()

    async def authenticate_channel_request(self, auth_header: str) -> ClaimsIdentity:
        return await self._inner.authenticate_channel_request(auth_header)


def _app_id(identity: ClaimsIdentity | None) -> str | None:
    """The bot's app id as the channel addressed it, read as botbuilder's connector factories do."""
    if identity is None:
        return None
    return identity.get_claim_value(
        AuthenticationConstants.AUDIENCE_CLAIM
    ) or identity.get_claim_value(AuthenticationConstants.APP_ID_CLAIM)
