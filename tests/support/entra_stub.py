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
- ``GET /{tenant}/discovery/v2.0/keys`` — the signing key as a JWKS.
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
    _codes: dict[str, _Grant] = field(default_factory=dict)
    _key: Any = None

    async def start(self) -> EntraStub:
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
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
        id_token = jwt.encode(claims, self._key, algorithm="RS256", headers={"kid": "stub"})
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
        public = json.loads(RSAAlgorithm.to_jwk(self._key.public_key()))
        return web.json_response({"keys": [{**public, "kid": "stub", "use": "sig"}]})


def _error(code: str, status: int) -> web.Response:
    return web.json_response(
        {"error": code, "error_description": f"AADSTS: {code}", "error_codes": [70000]},
        status=status,
    )
