"""What every dashboard response carries and every dashboard request is checked for: security
headers (a Content-Security-Policy without inline scripts or styles; framing only by Teams, and
only for the Teams tab — its entry page, its sign-in and the pages of a tab session — else none),
the sign-in cookies, and the CSRF token of forms.

Two session cookies: the browser's (``SameSite=Lax``) and the Teams tab's. Teams shows the tab
in a frame of another site, where a Lax cookie is never sent; the tab's cookie is therefore
``SameSite=None; Secure; Partitioned`` (CHIPS: kept apart per top-level site, so it only exists
inside Teams) and is set over https only. A cookie that any site's request carries makes the CSRF
token of every form essential: :func:`bot.web.context.facilitator_only` checks it on every POST.
"""

from __future__ import annotations

import hmac
import ipaddress
import re
import secrets
from collections.abc import Awaitable, Callable

from aiohttp import web

PREFIX = "/dashboard"
SESSION_COOKIE = "dialoog_dashboard"
TAB_COOKIE = "dialoog_dashboard_teams"  # the session of the Teams tab (partitioned, https only)
LOGIN_COOKIE = "dialoog_aanmelding"  # binds a sign-in under way to this browser
CSRF_FIELD = "csrf"

# Teams (and the Microsoft 365 hosts) show a personal tab in a frame of these origins (Microsoft's
# tab requirements: Teams, *.cloud.microsoft, the Microsoft 365 app, Outlook on the web).
TEAMS_FRAME_ANCESTORS = (
    "https://teams.microsoft.com https://*.teams.microsoft.com "
    "https://*.cloud.microsoft https://*.microsoft365.com https://*.office.com"
)
IN_TAB = web.RequestKey("dialoog_in_teams_tab", bool)  # this request belongs to the Teams tab
TAB_PATHS = (PREFIX + "/teams", PREFIX + "/sso")  # the tab's entry page and its sign-in


def frame_ancestors(request: web.Request) -> str:
    """Who may frame this response: Teams for the tab, nobody otherwise."""
    in_tab = bool(request.get(IN_TAB)) or request.path in TAB_PATHS
    return TEAMS_FRAME_ANCESTORS if in_tab else "'none'"


def content_policy(frame: str) -> str:
    return "; ".join(
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
            f"frame-ancestors {frame}",
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
        if "Content-Security-Policy" not in response.headers:  # the report sets its own
            frame = frame_ancestors(request)
            response.headers["Content-Security-Policy"] = content_policy(frame)
            if frame == "'none'":
                response.headers["X-Frame-Options"] = "DENY"
        response.headers["X-Content-Type-Options"] = "nosniff"
        # The tab page posts its sign-in to its own origin, and the server checks the Origin
        # header: "no-referrer" would make the browser send "Origin: null" on that POST.
        tab_page = request.path == TAB_PATHS[0]
        response.headers["Referrer-Policy"] = "same-origin" if tab_page else "no-referrer"
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


def set_tab_cookie(response: web.StreamResponse, value: str, *, max_age: int) -> None:
    """The Teams tab's session cookie: sent inside Teams' frame (``SameSite=None``), so https
    only (``Secure``), and partitioned by the top-level site (CHIPS). Written by hand: Python's
    cookie module before 3.14 does not know ``Partitioned``."""
    if not re.fullmatch(r"[A-Za-z0-9_-]*", value):
        raise ValueError("a session token is URL-safe base64")
    attributes = (
        f"{TAB_COOKIE}={value}",
        f"Max-Age={max_age}",
        f"Path={PREFIX}",
        "HttpOnly",
        "Secure",
        "SameSite=None",
        "Partitioned",
    )
    response.headers.add("Set-Cookie", "; ".join(attributes))


def same_token(given: object, expected: str) -> bool:
    return isinstance(given, str) and bool(given) and hmac.compare_digest(given, expected)


def new_token() -> str:
    return secrets.token_urlsafe(32)
