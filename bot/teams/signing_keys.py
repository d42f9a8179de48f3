"""Bot Framework's signing keys, refreshed when a token names a key the bot has not seen.

botbuilder keeps the keys of an OpenID metadata URL for 24 hours and, on an unknown key id, fails
before it gets to its own refresh (its look-up raises ``IndexError``): after Microsoft rotates its
keys every Teams message is rejected until the cache expires. :class:`SigningKeys` refreshes once
on an unknown key id — at most once per :data:`UNKNOWN_KID_INTERVAL`, so tokens with made-up key
ids cannot make the bot fetch the keys on every request — and fetches without blocking the event
loop. :func:`install` makes botbuilder's token extractor use it for every metadata URL.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

from botframework.connector.auth import JwtTokenExtractor
from botframework.connector.auth.jwt_token_extractor import _OpenIdConfig, _OpenIdMetadata

log = logging.getLogger(__name__)

MAX_AGE = 24 * 3600.0  # keys are fetched again after a day in any case
UNKNOWN_KID_INTERVAL = 300.0  # an unknown key id refreshes the keys at most this often


class SigningKeys(_OpenIdMetadata):
    def __init__(self, url: str, *, seconds: Callable[[], float] = time.monotonic) -> None:
        super().__init__(url)
        self._seconds = seconds
        self._fetched_at: float | None = None
        self._unknown_refresh_at: float | None = None

    async def get(self, key_id: str) -> _OpenIdConfig | None:
        now = self._seconds()
        if self._fetched_at is None or now - self._fetched_at >= MAX_AGE:
            await self._fetch(now)
        key = self._find(key_id)
        if key is None and (
            self._unknown_refresh_at is None
            or now - self._unknown_refresh_at >= UNKNOWN_KID_INTERVAL
        ):
            self._unknown_refresh_at = now
            log.info("token signed with an unknown key id: refreshing the signing keys")
            await self._fetch(now)
            key = self._find(key_id)
        return key

    async def _fetch(self, now: float) -> None:
        await asyncio.to_thread(self._refresh_blocking)
        self._fetched_at = now

    def _refresh_blocking(self) -> None:
        asyncio.run(super()._refresh())  # botbuilder's fetch (blocking requests calls)

    def _find(self, key_id: str) -> _OpenIdConfig | None:
        if not any(isinstance(k, dict) and k.get("kid") == key_id for k in self.keys):
            return None
        return super()._find(key_id)


def _signing_keys_for(url: str) -> Any:
    cache = JwtTokenExtractor.metadataCache
    found = cache.get(url)
    if not isinstance(found, SigningKeys):
        found = cache[url] = SigningKeys(url)
    return found


def install() -> None:
    """Every token extractor botbuilder builds from now on uses :class:`SigningKeys`."""
    JwtTokenExtractor.get_open_id_metadata = staticmethod(_signing_keys_for)
