"""The access token Teams hands the dashboard's tab (single sign-on), checked for real.

Teams asks Entra ID for a token for the dashboard's own app (``webApplicationInfo`` in the
manifest: the app's client id and its resource ``api://<host>/<client id>``) and gives it to the
tab's script, which posts it to ``/dashboard/sso``. :class:`SsoTokens` accepts it only when

- it is signed with RS256 by one of the tenant's keys (the JWKS named by the tenant's OpenID
  metadata; kept a day, fetched again once on a key id it does not know — at most every five
  minutes, so made-up key ids cannot make the bot fetch on every request);
- ``aud`` is the client id (v2 tokens) or the resource (v1 tokens);
- ``iss`` is the configured tenant's, in the v2 form (the metadata's issuer) or the v1 form
  (``https://sts.windows.net/<tenant>/``), and ``tid`` is that tenant;
- ``exp`` and ``nbf`` hold now, with :data:`LEEWAY` seconds either way;
- ``scp`` holds ``access_as_user`` (the scope the app exposes to Teams).

A refused token raises :class:`TokenRefused` with a short reason for the log (never the token).
"""

from __future__ import annotations

import asyncio
import logging
import ssl
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import jwt

log = logging.getLogger(__name__)

LEEWAY = 120  # seconds of clock difference accepted on exp and nbf
SCOPE = "access_as_user"
MAX_AGE = 24 * 3600.0  # the keys are fetched again after a day in any case
UNKNOWN_KID_INTERVAL = 300.0  # an unknown key id fetches the keys at most this often
V1_ISSUER = "https://sts.windows.net/{tenant}/"
ALGORITHM = "RS256"

Fetch = Callable[[str], Awaitable[dict[str, Any]]]


class TokenRefused(Exception):
    """The token is not one the dashboard accepts; ``reason`` is for the log line."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def https_json(ca_file: Path | None, timeout: float = 10.0) -> Fetch:
    """GET a JSON document over verified TLS (``ca_file``: a private CA, e.g. the tests')."""
    context = ssl.create_default_context(cafile=str(ca_file) if ca_file else None)

    async def fetch(url: str) -> dict[str, Any]:
        if not url.startswith("https://"):
            raise ValueError("only https addresses are fetched")
        limit = aiohttp.ClientTimeout(total=timeout)
        async with (
            aiohttp.ClientSession(timeout=limit) as session,
            session.get(url, ssl=context) as response,
        ):
            response.raise_for_status()
            found = await response.json(content_type=None)
        if not isinstance(found, dict):
            raise ValueError("not a JSON object")
        return found

    return fetch


class TenantKeys:
    """The tenant's signing keys and issuer, from its OpenID metadata."""

    def __init__(
        self, metadata_url: str, fetch: Fetch, *, seconds: Callable[[], float] = time.monotonic
    ) -> None:
        self.metadata_url = metadata_url
        self._fetch_json = fetch
        self._seconds = seconds
        self._keys: dict[str, Any] = {}
        self.issuer: str | None = None
        self._fetched_at: float | None = None
        self._unknown_refresh_at: float | None = None
        self._lock = asyncio.Lock()
        self.fetches = 0

    async def key(self, kid: str) -> Any | None:
        async with self._lock:
            now = self._seconds()
            if self._fetched_at is None or now - self._fetched_at >= MAX_AGE:
                await self._fetch(now)
            found = self._keys.get(kid)
            if found is None and (
                self._unknown_refresh_at is None
                or now - self._unknown_refresh_at >= UNKNOWN_KID_INTERVAL
            ):
                self._unknown_refresh_at = now
                log.info("SSO token signed with an unknown key id: fetching the tenant's keys")
                await self._fetch(now)
                found = self._keys.get(kid)
            return found

    async def _fetch(self, now: float) -> None:
        self.fetches += 1
        metadata = await self._fetch_json(self.metadata_url)
        jwks = await self._fetch_json(str(metadata["jwks_uri"]))
        keys: dict[str, Any] = {}
        for entry in jwks.get("keys", []):
            if not isinstance(entry, dict) or entry.get("kty") != "RSA" or "kid" not in entry:
                continue
            if entry.get("use", "sig") != "sig":
                continue
            keys[str(entry["kid"])] = jwt.PyJWK(entry, algorithm=ALGORITHM).key
        self._keys = keys
        self.issuer = str(metadata.get("issuer", "")) or None
        self._fetched_at = now


class SsoTokens:
    def __init__(
        self,
        *,
        tenant: str,
        client_id: str,
        resource: str | None,
        keys: TenantKeys,
        now: Callable[[], float] = time.time,
    ) -> None:
        self.tenant = tenant.lower()
        self.audiences = [client_id] + ([resource] if resource else [])
        self.keys = keys
        self._now = now

    @classmethod
    def for_tenant(
        cls,
        *,
        authority_host: str,
        tenant: str,
        client_id: str,
        resource: str | None,
        ca_file: Path | None,
    ) -> SsoTokens:
        url = f"{authority_host.rstrip('/')}/{tenant}/v2.0/.well-known/openid-configuration"
        return cls(
            tenant=tenant,
            client_id=client_id,
            resource=resource,
            keys=TenantKeys(url, https_json(ca_file)),
        )

    async def claims(self, token: str) -> dict[str, Any]:
        """The token's claims when it is a valid SSO token for this app and tenant."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.InvalidTokenError:
            raise TokenRefused("malformed") from None
        if header.get("alg") != ALGORITHM:
            raise TokenRefused("algorithm")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise TokenRefused("no_key_id")
        try:
            key = await self.keys.key(kid)
        except (aiohttp.ClientError, TimeoutError, ValueError, KeyError) as problem:
            log.warning("SSO keys could not be fetched: %s", type(problem).__name__)
            raise TokenRefused("keys_unavailable") from None
        if key is None:
            raise TokenRefused("unknown_key")
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=[ALGORITHM],
                audience=self.audiences,
                options={
                    "verify_exp": False,  # checked below against the injected clock
                    "verify_nbf": False,
                    "verify_iat": False,
                    "verify_iss": False,  # two forms, checked below
                    "require": ["exp", "nbf", "aud", "iss", "tid"],
                },
            )
        except jwt.InvalidSignatureError:
            raise TokenRefused("signature") from None
        except jwt.InvalidAudienceError:
            raise TokenRefused("audience") from None
        except jwt.MissingRequiredClaimError:
            raise TokenRefused("missing_claim") from None
        except jwt.InvalidTokenError:
            raise TokenRefused("invalid") from None
        self._check(claims)
        return claims

    def _check(self, claims: dict[str, Any]) -> None:
        if str(claims.get("tid", "")).lower() != self.tenant:
            raise TokenRefused("tenant")
        issuers = {V1_ISSUER.format(tenant=self.tenant)}
        if self.keys.issuer:
            issuers.add(self.keys.issuer.replace("{tenantid}", self.tenant))
        if claims.get("iss") not in issuers:
            raise TokenRefused("issuer")
        now = self._now()
        try:
            expires, not_before = float(claims["exp"]), float(claims["nbf"])
        except (TypeError, ValueError):
            raise TokenRefused("invalid") from None
        if now > expires + LEEWAY:
            raise TokenRefused("expired")
        if now < not_before - LEEWAY:
            raise TokenRefused("not_yet_valid")
        if SCOPE not in str(claims.get("scp", "")).split():
            raise TokenRefused("scope")
