"""Trust for mail connections: the system store, or instead a CA bundle given in settings
(``DIALOOG_MAIL_TLS_CA_FILE``, e.g. an internal CA or a TLS-inspecting proxy's CA).

The same rule holds for every client the transports use: ``ssl`` contexts (IMAP, SMTP, aiohttp)
and ``requests`` sessions (msal, exchangelib). requests lets ``REQUESTS_CA_BUNDLE`` override a
session's own ``verify``; :class:`TrustingSession` passes it per request so the setting wins.
"""

from __future__ import annotations

import ssl
from pathlib import Path
from typing import Any

import requests


def client_context(ca_file: Path | None = None) -> ssl.SSLContext:
    """A verifying client context (hostname checked, TLS 1.2 or newer)."""
    context = ssl.create_default_context(cafile=str(ca_file) if ca_file else None)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


class TrustingSession(requests.Session):
    """A requests session that verifies against ``ca_file`` even when the environment names
    another bundle, with a default timeout. Proxies from the environment still apply."""

    def __init__(self, ca_file: Path | None, timeout: float) -> None:
        super().__init__()
        self._ca_file = str(ca_file) if ca_file else None
        self._timeout = timeout

    def request(self, *args: Any, **kwargs: Any) -> requests.Response:
        # requests.Session.request's arguments, passed on (its own signature differs between
        # requests' inline types and types-requests)
        if self._ca_file is not None and kwargs.get("verify") in (None, True):
            kwargs["verify"] = self._ca_file
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self._timeout
        return super().request(*args, **kwargs)
