"""A local stand-in for the two identity services a Teams bot talks to, on 127.0.0.1.

* **Bot Framework** (``login.botframework.com``): an OpenID metadata document and its JWKS, with the
  published signing key endorsed for ``msteams``. :meth:`TokenIssuer.token` signs Bot Framework
  tokens with it (RS256) — or with an unpublished key, a key endorsed for another channel, or
  any claims a test wants to get wrong.
* **Entra ID** (``login.microsoftonline.com``): the tenant's OpenID configuration and a
  client-credentials token endpoint over HTTPS (msal refuses plain http), so the bot's outbound
  replies can get a real bearer token. Its certificate comes from the test CA in
  ``tests.support.tls``; point ``REQUESTS_CA_BUNDLE`` at :attr:`TokenIssuer.ca_file`.

botframework-connector fetches the metadata with blocking ``requests`` calls from inside the
event loop, so this server runs on its own event loop in a background thread; otherwise the bot
would wait forever for a server that its own blocked loop has to run.
"""

from __future__ import annotations

import asyncio
import json
import tempfile
import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import jwt
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from tests.support.tls import ServerCertificates, make_certificates

BOT_FRAMEWORK_ISSUER = "https://api.botframework.com"
BOT_FRAMEWORK_SCOPE = "https://api.botframework.com/.default"


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private: rsa.RSAPrivateKey
    endorsements: tuple[str, ...] = ("msteams",)

    def jwk(self) -> dict[str, Any]:
        public = json.loads(RSAAlgorithm.to_jwk(self.private.public_key()))
        return {**public, "kid": self.kid, "use": "sig", "endorsements": list(self.endorsements)}


@cache
def _rsa_key(purpose: str) -> rsa.RSAPrivateKey:
    """One key per purpose per test run (generating 2048-bit keys is the slow part of a test)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class TokenIssuer:
    """Start with :meth:`start` (or use as a context manager); every instance has its own port,
    so its metadata URL is unique and botbuilder's per-URL metadata cache never mixes tests."""

    client_secret: str = "stub-client-secret"
    published: SigningKey = field(
        default_factory=lambda: SigningKey("bf-key-1", _rsa_key("published"))
    )
    webchat_only: SigningKey = field(
        default_factory=lambda: SigningKey("bf-key-webchat", _rsa_key("webchat"), ("webchat",))
    )
    unpublished: SigningKey = field(
        default_factory=lambda: SigningKey("bf-key-unknown", _rsa_key("unpublished"))
    )
    metadata_requests: int = 0
    discovery_requests: int = 0
    token_requests: list[dict[str, str]] = field(default_factory=list)
    issued_access_tokens: list[str] = field(default_factory=list)
    _http_port: int = 0
    _https_port: int = 0
    folder: Path | None = None  # where the TLS files go (a temporary folder when not given)
    _certificates: ServerCertificates | None = None
    _temporary: tempfile.TemporaryDirectory[str] | None = None
    _loop: asyncio.AbstractEventLoop | None = None
    _runner: web.AppRunner | None = None
    _thread: threading.Thread | None = None

    # ------------------------------------------------------------ addresses

    @property
    def metadata_url(self) -> str:
        """What ``DIALOOG_OPENID_METADATA_URL`` (or ``ChannelValidation``) should point at."""
        return f"http://127.0.0.1:{self._http_port}/v1/.well-known/openidconfiguration"

    def login_url(self, tenant: str) -> str:
        """The Entra authority for this tenant (``DIALOOG_LOGIN_URL``)."""
        return f"https://127.0.0.1:{self._https_port}/{tenant}"

    @property
    def ca_file(self) -> Path:
        """The CA that signed the HTTPS certificate (for ``REQUESTS_CA_BUNDLE``)."""
        assert self._certificates is not None
        return self._certificates.ca_file

    # ------------------------------------------------------------ tokens

    def token(
        self,
        *,
        app_id: str,
        service_url: str,
        key: SigningKey | None = None,
        issuer: str | None = BOT_FRAMEWORK_ISSUER,
        audience: str | None = None,
        lifetime: timedelta = timedelta(hours=1),
        not_before: timedelta = timedelta(0),
        kid: str | None = None,
        algorithm: str = "RS256",
        **extra: Any,
    ) -> str:
        """A Bot Framework channel token: by default one the bot must accept.

        ``lifetime`` and ``not_before`` are relative to now; a negative lifetime gives an
        expired token. ``kid`` overrides the header's key id (to sign with one key and name
        another). Claims set to ``None`` are left out.
        """
        key = key or self.published
        now = datetime.now(UTC)
        claims: dict[str, Any] = {
            "serviceurl": service_url,
            "nbf": int((now + not_before).timestamp()),
            "exp": int((now + lifetime).timestamp()),
            "iss": issuer,
            "aud": audience if audience is not None else app_id,
            **extra,
        }
        claims = {name: value for name, value in claims.items() if value is not None}
        headers = {"kid": kid or key.kid}
        if algorithm == "none":
            return jwt.encode(claims, None, algorithm="none", headers=headers)
        return jwt.encode(claims, key.private, algorithm=algorithm, headers=headers)

    def bearer(self, **claims: Any) -> str:
        return f"Bearer {self.token(**claims)}"

    # ------------------------------------------------------------ server

    def start(self) -> TokenIssuer:
        if self.folder is None:
            self._temporary = tempfile.TemporaryDirectory(prefix="token-issuer-")
            self.folder = Path(self._temporary.name)
        self._certificates = make_certificates(self.folder)
        ready = threading.Event()
        failure: list[BaseException] = []

        def serve() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            try:
                loop.run_until_complete(self._start_sites())
            except BaseException as error:  # noqa: BLE001 - reported to the starting thread
                failure.append(error)
                ready.set()
                return
            ready.set()
            loop.run_forever()
            loop.run_until_complete(self._runner.cleanup() if self._runner else asyncio.sleep(0))
            loop.close()

        self._thread = threading.Thread(target=serve, name="token-issuer", daemon=True)
        self._thread.start()
        if not ready.wait(timeout=10):
            raise RuntimeError("token issuer did not start")
        if failure:
            raise failure[0]
        return self

    def close(self) -> None:
        if self._loop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=10)
        if self._temporary is not None:
            self._temporary.cleanup()

    def __enter__(self) -> TokenIssuer:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.close()

    async def _start_sites(self) -> None:
        assert self._certificates is not None
        app = web.Application()
        app.router.add_get("/v1/.well-known/openidconfiguration", self._bot_framework_metadata)
        app.router.add_get("/v1/.well-known/keys", self._bot_framework_keys)
        app.router.add_get(
            "/{tenant}/v2.0/.well-known/openid-configuration", self._entra_configuration
        )
        app.router.add_post("/{tenant}/oauth2/v2.0/token", self._entra_token)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        plain = web.TCPSite(self._runner, "127.0.0.1", 0)
        await plain.start()
        secure = web.TCPSite(
            self._runner, "127.0.0.1", 0, ssl_context=self._certificates.server_context()
        )
        await secure.start()
        self._http_port = _port(plain)
        self._https_port = _port(secure)

    async def _bot_framework_metadata(self, request: web.Request) -> web.Response:
        self.metadata_requests += 1
        base = f"http://127.0.0.1:{self._http_port}"
        return web.json_response(
            {
                "issuer": BOT_FRAMEWORK_ISSUER,
                "authorization_endpoint": f"{base}/v1/.well-known/authorize",
                "jwks_uri": f"{base}/v1/.well-known/keys",
                "id_token_signing_alg_values_supported": ["RS256"],
                "token_endpoint_auth_methods_supported": ["private_key_jwt"],
            }
        )

    async def _bot_framework_keys(self, request: web.Request) -> web.Response:
        return web.json_response({"keys": [self.published.jwk(), self.webchat_only.jwk()]})

    async def _entra_configuration(self, request: web.Request) -> web.Response:
        self.discovery_requests += 1
        tenant = request.match_info["tenant"]
        base = f"https://127.0.0.1:{self._https_port}/{tenant}"
        return web.json_response(
            {
                "issuer": f"{base}/v2.0",
                "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
                "token_endpoint": f"{base}/oauth2/v2.0/token",
                "token_endpoint_auth_methods_supported": ["client_secret_post"],
            }
        )

    async def _entra_token(self, request: web.Request) -> web.Response:
        form = dict(await request.post())
        form = {name: str(value) for name, value in form.items()}
        self.token_requests.append({k: v for k, v in form.items() if k != "client_secret"})
        if (
            form.get("grant_type") != "client_credentials"
            or form.get("client_secret") != self.client_secret
        ):
            return web.json_response(
                {"error": "invalid_client", "error_description": "stub: wrong grant or secret"},
                status=401,
            )
        if form.get("scope") != BOT_FRAMEWORK_SCOPE:
            return web.json_response(
                {
                    "error": "invalid_scope",
                    "error_description": f"stub: unexpected scope {form.get('scope')}",
                },
                status=400,
            )
        access_token = f"stub-access-token-{uuid.uuid4().hex}"
        self.issued_access_tokens.append(access_token)
        return web.json_response(
            {
                "token_type": "Bearer",
                "expires_in": 3599,
                "ext_expires_in": 3599,
                "access_token": access_token,
            }
        )


def _port(site: web.TCPSite) -> int:
    server = site._server  # noqa: SLF001 - aiohttp exposes the bound port nowhere else
    assert server is not None and server.sockets
    return int(server.sockets[0].getsockname()[1])
