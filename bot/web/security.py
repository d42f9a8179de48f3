"""What every dashboard response carries and every dashboard request is checked for: security
headers (a Content-Security-Policy without inline scripts or styles, no framing except by Teams),
the sign-in cookie, and the CSRF token of forms."""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from collections.abc import Awaitable, Callable

from aiohttp import web

PREFIX = "/dashboard"
SESSION_COOKIE = "dialoog_dashboard"
LOGIN_COOKIE = "dialoog_aanmelding"  # binds a sign-in under way to this browser
CSRF_FIELD = "csrf"

# Teams shows a personal tab in a frame of these origins (Microsoft's list for tabs).
TEAMS_FRAME_ANCESTORS = (
    "https://teams.microsoft.com https://*.teams.microsoft.com "
    "https://*.cloud.microsoft https://*.office.com"
)
CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        f"frame-ancestors 'self' {TEAMS_FRAME_ANCESTORS}",
    )
)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return host == "localhost"
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@web.middleware
async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    response = await handler(request)
    if request.path == PREFIX or request.path.startswith(PREFIX + "/"):
        response.headers.setdefault("Content-Security-Policy", CSP)  # the report sets its own
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        if not request.path.startswith(PREFIX + "/static/"):
            response.headers["Cache-Control"] = "no-store"
    return response


def set_cookie(
    response: web.StreamResponse, name: str, value: str, *, secure: bool, max_age: int
) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path=PREFIX,
        httponly=True,
        secure=secure,
        samesite="Lax",  # sent on the top-level return from Entra ID, never on cross-site POSTs
    )


def same_token(given: object, expected: str) -> bool:
    return isinstance(given, str) and bool(given) and hmac.compare_digest(given, expected)


def new_token() -> str:
    return secrets.token_urlsafe(32)
