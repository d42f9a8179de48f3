"""A local stand-in for Entra ID's sign-in endpoints (OpenID Connect, v2.0), over HTTPS with the
tests' own CA, with real-shaped payloads:

- ``GET /{tenant}/v2.0/.well-known/openid-configuration`` — the discovery document msal reads;
- ``GET /{tenant}/oauth2/v2.0/authorize`` — where the browser is sent; the stub "signs in" the
  user the test chose (``user``) at once and redirects back with ``code`` and ``state``, as Entra
  does after a login page; it remembers the PKCE challenge and the nonce;
- ``POST /{tenant}/oauth2/v2.0/token`` — the authorization code grant: checks the client secret,
  the redirect URI and the PKCE verifier (S256), each code works once; answers with an RS256
  ID token (``oid``, ``tid``, ``preferred_username``, ``name``, ``nonce``, ``aud``, ``iss``)
  and ``client_info``;
- ``GET /{tenant}/discovery/v2.0/keys`` — the published signing keys as a JWKS.

For Teams single sign-on, :meth:`EntraStub.sso_token` makes the access token Teams would hand a
tab (``aud`` the app, ``scp`` ``access_as_user``, v2 or v1 issuer), signed with a published key
— or with any claim, key or header a test wants to get wrong; :meth:`EntraStub.rotate` publishes a
new key, as Entra does when it rolls its keys.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import jwt
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from tests.support.http_stub import LocalHttpsStub
from tests.support.tls import ServerCertificates


@dataclass
class EntraUser:
    oid: str
    email: str
    name: str


@dataclass
class _Grant:
    client_id: str
    redirect_uri: str
    challenge: str
    nonce: str
    user: EntraUser


@dataclass
class EntraStub(LocalHttpsStub):
    certificates: ServerCertificates
    tenant: str
    client_id: str
    client_secret: str
    user: EntraUser | None = None
    authorize_requests: list[dict[str, str]] = field(default_factory=list)
    token_requests: int = 0
    jwks_requests: int = 0
    _codes: dict[str, _Grant] = field(default_factory=dict)
    _key: Any = None
    _published: dict[str, Any] = field(default_factory=dict)

    async def start(self) -> EntraStub:
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._published["stub"] = self._key
        app = web.Application()
        app.router.add_get("/{tenant}/v2.0/.well-known/openid-configuration", self._openid)
        app.router.add_get("/{tenant}/oauth2/v2.0/authorize", self._authorize)
        app.router.add_post("/{tenant}/oauth2/v2.0/token", self._token)
        app.router.add_get("/{tenant}/discovery/v2.0/keys", self._keys)
        await self._serve_https(app)
        return self

    def _base(self, tenant: str) -> str:
        return f"{self.origin}/{tenant}"

    async def _openid(self, request: web.Request) -> web.Response:
        base = self._base(request.match_info["tenant"])
        return web.json_response(
            {
                "token_endpoint": f"{base}/oauth2/v2.0/token",
                "token_endpoint_auth_methods_supported": [
                    "client_secret_post",
                    "private_key_jwt",
                    "client_secret_basic",
                ],
                "jwks_uri": f"{base}/discovery/v2.0/keys",
                "response_modes_supported": ["query", "fragment", "form_post"],
                "subject_types_supported": ["pairwise"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
                "scopes_supported": ["openid", "profile", "email", "offline_access"],
                "issuer": f"{base}/v2.0",
                "request_uri_parameter_supported": False,
                "userinfo_endpoint": "https://graph.microsoft.com/oidc/userinfo",
                "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
                "end_session_endpoint": f"{base}/oauth2/v2.0/logout",
                "claims_supported": [
                    "sub",
                    "iss",
                    "aud",
                    "exp",
                    "iat",
                    "nonce",
                    "name",
                    "oid",
                    "tid",
                    "preferred_username",
                    "email",
                ],
                "tenant_region_scope": "EU",
            }
        )

    async def _authorize(self, request: web.Request) -> web.StreamResponse:
        query = dict(request.query)
        self.authorize_requests.append(query)
        if query.get("client_id") != self.client_id or query.get("response_type") != "code":
            return web.json_response({"error": "unauthorized_client"}, status=400)
        if query.get("code_challenge_method") != "S256" or not query.get("code_challenge"):
            return web.json_response(
                {"error": "invalid_request", "error_description": "AADSTS9002325: PKCE required"},
                status=400,
            )
        redirect = query["redirect_uri"]
        if self.user is None:
            reply = {"error": "access_denied", "state": query.get("state", "")}
        else:
            code = secrets.token_urlsafe(32)
            self._codes[code] = _Grant(
                self.client_id,
                redirect,
                query["code_challenge"],
                query.get("nonce", ""),
                self.user,
            )
            reply = {
                "code": code,
                "state": query.get("state", ""),
                "session_state": secrets.token_hex(16),
            }
        raise web.HTTPFound(f"{redirect}?{urlencode(reply)}")

    async def _token(self, request: web.Request) -> web.Response:
        self.token_requests += 1
        form = await request.post()
        tenant = request.match_info["tenant"]
        if (
            form.get("client_id") != self.client_id
            or form.get("client_secret") != self.client_secret
        ):
            return _error("invalid_client", 401)
        if form.get("grant_type") != "authorization_code":
            return _error("unsupported_grant_type", 400)
        grant = self._codes.pop(str(form.get("code", "")), None)
        if grant is None or form.get("redirect_uri") != grant.redirect_uri:
            return _error("invalid_grant", 400)
        verifier = str(form.get("code_verifier", ""))
        digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
        if digest.rstrip(b"=").decode() != grant.challenge:
            return _error("invalid_grant", 400)  # AADSTS501481: the code verifier does not match
        now = int(time.time())
        claims = {
            "aud": self.client_id,
            "iss": f"{self._base(tenant)}/v2.0",
            "iat": now,
            "nbf": now,
            "exp": now + 3600,
            "name": grant.user.name,
            "nonce": grant.nonce,
            "oid": grant.user.oid,
            "preferred_username": grant.user.email,
            "sub": hashlib.sha256(grant.user.oid.encode()).hexdigest()[:43],
            "tid": self.tenant,
            "ver": "2.0",
        }
        id_token = jwt.encode(
            claims, self._key, algorithm="RS256", headers={"kid": self._current_kid()}
        )
        client_info = (
            base64.urlsafe_b64encode(
                json.dumps({"uid": grant.user.oid, "utid": self.tenant}).encode()
            )
            .decode()
            .rstrip("=")
        )
        return web.json_response(
            {
                "token_type": "Bearer",
                "scope": "openid profile email",
                "expires_in": 3599,
                "ext_expires_in": 3599,
                "access_token": "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9." + secrets.token_urlsafe(48),
                "id_token": id_token,
                "client_info": client_info,
            }
        )

    async def _keys(self, request: web.Request) -> web.Response:
        self.jwks_requests += 1
        keys = [
            {**json.loads(RSAAlgorithm.to_jwk(key.public_key())), "kid": kid, "use": "sig"}
            for kid, key in self._published.items()
        ]
        return web.json_response({"keys": keys})

    def _current_kid(self) -> str:
        return next(k for k, v in self._published.items() if v is self._key)

    def rotate(self, kid: str) -> None:
        """Publish a new signing key; :meth:`sso_token` signs with it from now on."""
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._published[kid] = self._key

    def sso_token(
        self,
        user: EntraUser,
        *,
        now: float | None = None,
        version: str = "2.0",
        key: Any = None,
        headers: dict[str, Any] | None = None,
        **claims: Any,
    ) -> str:
        """The access token Teams gets for the tab (``getAuthToken``), as Entra issues it for an
        app that exposes ``access_as_user`` to the Teams clients; ``claims`` override or, as
        None, drop a claim."""
        at = int(time.time() if now is None else now)
        kid = self._current_kid()
        v1 = version == "1.0"
        body: dict[str, Any] = {
            "aud": f"api://dialoog.gemeente.example/{self.client_id}" if v1 else self.client_id,
            "iss": f"https://sts.windows.net/{self.tenant}/"
            if v1
            else f"{self._base(self.tenant)}/v2.0",
            "iat": at,
            "nbf": at,
            "exp": at + 3600,
            "aio": secrets.token_urlsafe(40),
            "azp" if not v1 else "appid": "5e3ce6c0-2b1f-4285-8d4b-75ee78787346",  # Teams web
            "name": user.name,
            "oid": user.oid,
            "preferred_username" if not v1 else "upn": user.email,
            "rh": "0.AAAA" + secrets.token_urlsafe(20),
            "scp": "access_as_user",
            "sub": hashlib.sha256(user.oid.encode()).hexdigest()[:43],
            "tid": self.tenant,
            "uti": secrets.token_urlsafe(16),
            "ver": version,
        }
        body.update(claims)
        body = {name: value for name, value in body.items() if value is not None}
        return jwt.encode(
            body,
            key or self._key,
            algorithm="RS256",
            headers={"typ": "JWT", "kid": kid, **(headers or {})},
        )


def _error(code: str, status: int) -> web.Response:
    return web.json_response(
        {"error": code, "error_description": f"AADSTS: {code}", "error_codes": [70000]},
        status=status,
    )
