"""Signing in and out of the dashboard.

With an Entra app configured (``DIALOOG_DASHBOARD_CLIENT_ID``, secret and tenant): msal's
authorization code flow with PKCE. The flow (verifier, state, nonce) is held server-side for ten
minutes under its ``state`` and bound to this browser by a cookie; the reply's ID token comes
straight from the token endpoint over TLS, and its tenant and audience are checked. Only people on
the facilitator list (object id or e-mail address) get a session.

Without one: a development sign-in (type a listed e-mail address or object id) that exists only
when the bot listens on a loopback address and only answers requests from this machine.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import warnings
from typing import Any

from aiohttp import web

from bot.web import messages as wmsg
from bot.web.context import WEB, DashboardWeb, dev_sign_in_allowed, safe_return
from bot.web.security import (
    CSRF_FIELD,
    IN_TAB,
    LOGIN_COOKIE,
    PREFIX,
    SESSION_COOKIE,
    TAB_COOKIE,
    is_loopback,
    new_token,
    same_token,
    set_cookie,
    set_tab_cookie,
)
from dialogen.facilitation.actions import Facilitator

log = logging.getLogger(__name__)

REPLY_PATH = f"{PREFIX}/aanmelden/antwoord"
LOGIN_SECONDS = 600
PUBLIC_AUTHORITY = "https://login.microsoftonline.com"


class EntraSignIn:
    """msal's confidential client for the dashboard's sign-in. Blocking (msal reads the
    authority's metadata over the network, once, on first use): call it in a thread."""

    def __init__(self, dashboard: DashboardWeb) -> None:
        settings = dashboard.runtime.settings
        assert settings.dashboard_client_id and settings.dashboard_client_secret
        self.settings = settings
        self.tenant = settings.dashboard_tenant_id or ""
        self.client_id = settings.dashboard_client_id
        self.redirect_uri = (
            settings.dashboard_public_url or f"http://{settings.host}:{settings.port}"
        ).rstrip("/") + REPLY_PATH
        self._app: Any = None
        self._lock = threading.Lock()

    @property
    def app(self) -> Any:
        with self._lock:
            if self._app is None:
                import msal

                from bot.mail.transports.tls import TrustingSession

                settings = self.settings
                assert settings.dashboard_client_secret is not None
                host = settings.dashboard_authority_host.rstrip("/")
                self._app = msal.ConfidentialClientApplication(
                    self.client_id,
                    client_credential=settings.dashboard_client_secret.get_secret_value(),
                    authority=f"{host}/{self.tenant}",
                    # A login host of our own (tests, a sovereign cloud): no discovery at
                    # Microsoft's.
                    instance_discovery=None if host == PUBLIC_AUTHORITY else False,
                    http_client=TrustingSession(settings.dashboard_ca_file, 10.0),
                )
            return self._app

    def start(self) -> dict[str, Any]:
        # The reply comes as a query (a top-level GET): a form_post reply is a cross-site POST,
        # which would not carry the SameSite cookie that binds the sign-in to this browser.
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="response_mode='form_post'")
            flow = self.app.initiate_auth_code_flow(
                scopes=[], redirect_uri=self.redirect_uri, response_mode="query"
            )
        return dict(flow)

    def finish(self, flow: dict[str, Any], reply: dict[str, str]) -> dict[str, Any] | None:
        """The ID token's claims, or None (refused, or the reply does not match the flow)."""
        try:
            result = self.app.acquire_token_by_auth_code_flow(flow, reply)
        except ValueError:  # state mismatch, a reply that is no reply
            return None
        claims = result.get("id_token_claims") if isinstance(result, dict) else None
        if not isinstance(claims, dict) or "error" in result:
            log.warning("dashboard sign-in refused by Entra ID error=%s", result.get("error"))
            return None
        if claims.get("aud") != self.client_id or (
            self.tenant not in ("common", "organizations") and claims.get("tid") != self.tenant
        ):
            log.warning("dashboard sign-in: ID token for another app or tenant")
            return None
        return claims


def add_login_routes(app: web.Application, dashboard: DashboardWeb) -> None:
    app.router.add_get(f"{PREFIX}/aanmelden", show_login)
    app.router.add_post(f"{PREFIX}/afmelden", sign_out)
    if dashboard.entra:
        entra = EntraSignIn(dashboard)
        app.router.add_get(f"{PREFIX}/aanmelden/entra", _start_entra(entra))
        app.router.add_get(REPLY_PATH, _finish_entra(entra))
    else:
        app.router.add_post(f"{PREFIX}/aanmelden/lokaal", dev_sign_in)


async def show_login(request: web.Request) -> web.StreamResponse:
    dashboard = request.app[WEB]
    back = safe_return(request.query.get("terug"))
    token = new_token()
    response = dashboard.render(
        "login.html",
        entra=dashboard.entra,
        back=back,
        expired=request.query.get("verlopen") == "1",
        login_csrf=token,
        problem=None,
    )
    set_cookie(
        response, LOGIN_COOKIE, token, secure=dashboard.secure_cookies, max_age=LOGIN_SECONDS
    )
    return response


async def dev_sign_in(request: web.Request) -> web.StreamResponse:
    dashboard = request.app[WEB]
    if not (
        dev_sign_in_allowed(dashboard.runtime.settings.host) and is_loopback(request.remote or "")
    ):
        return dashboard.refused(request, reason="dev_login_remote", actor="")
    form = await request.post()
    if not same_token(form.get(CSRF_FIELD), request.cookies.get(LOGIN_COOKIE, "")):
        return dashboard.refused(request, reason="csrf", actor="")
    who = str(form.get("wie", "")).strip().lower()[:320]
    if not who:
        return dashboard.render(
            "login.html",
            status=400,
            entra=False,
            back=safe_return(str(form.get("terug", ""))),
            expired=False,
            login_csrf=request.cookies.get(LOGIN_COOKIE, ""),
            problem=wmsg.DEV_LOGIN_NEEDS_NAME,
        )
    candidate = Facilitator(
        aad_object_id=None if "@" in who else who,
        email=who if "@" in who else None,
        channel="dashboard",
    )
    return await signed_in(request, dashboard, candidate, name=who, back=str(form.get("terug", "")))


def _start_entra(entra: EntraSignIn) -> Any:
    async def start(request: web.Request) -> web.StreamResponse:
        dashboard = request.app[WEB]
        flow = await asyncio.to_thread(entra.start)
        back = safe_return(request.query.get("terug"))
        await asyncio.to_thread(
            dashboard.runtime.signins.hold_login, flow["state"], {"flow": flow, "back": back}
        )
        response = web.HTTPSeeOther(flow["auth_uri"])
        set_cookie(
            response,
            LOGIN_COOKIE,
            flow["state"],
            secure=dashboard.secure_cookies,
            max_age=LOGIN_SECONDS,
        )
        raise response

    return start


def _finish_entra(entra: EntraSignIn) -> Any:
    async def finish(request: web.Request) -> web.StreamResponse:
        dashboard = request.app[WEB]
        state = request.query.get("state", "")
        if not same_token(state, request.cookies.get(LOGIN_COOKIE, "")):
            return dashboard.refused(request, reason="login_stale", actor="")
        held = await asyncio.to_thread(dashboard.runtime.signins.take_login, state)
        if held is None:
            return dashboard.refused(request, reason="login_stale", actor="")
        claims = await asyncio.to_thread(entra.finish, held["flow"], dict(request.query))
        if claims is None:
            return dashboard.refused(request, reason="login_failed", actor="")
        candidate, name = facilitator_from_claims(dashboard, claims)
        return await signed_in(request, dashboard, candidate, name=name, back=held.get("back"))

    return finish


def facilitator_from_claims(
    dashboard: DashboardWeb, claims: dict[str, Any]
) -> tuple[Facilitator, str]:
    """Who an Entra token names, as the facilitator list knows them: by object id when listed
    so, else by e-mail address (``preferred_username``; ``upn`` in v1 tokens); and the name to
    show."""
    oid = str(claims.get("oid", "")).lower()
    email = str(
        claims.get("preferred_username") or claims.get("upn") or claims.get("email") or ""
    ).lower()
    by_id = Facilitator(aad_object_id=oid or None, channel="dashboard")
    candidate = (
        by_id
        if dashboard.runtime.facilitation.is_facilitator(by_id)
        else Facilitator(email=email or None, aad_object_id=None, channel="dashboard")
    )
    return candidate, str(claims.get("name") or email or oid)


async def signed_in(
    request: web.Request,
    dashboard: DashboardWeb,
    candidate: Facilitator,
    *,
    name: str,
    back: str | None,
    teams_tab: bool = False,
) -> web.StreamResponse:
    """A session for a listed facilitator (else the Dutch 403 page), then on to ``back``. In
    the Teams tab the session lives in the tab's partitioned cookie."""
    if not dashboard.runtime.facilitation.is_facilitator(candidate):
        return dashboard.refused(request, reason="not_facilitator", actor=candidate.actor)
    token, _ = await asyncio.to_thread(
        dashboard.runtime.signins.open, actor=candidate.actor, name=name
    )
    dashboard.runtime.audit.record(
        actor=candidate.actor,
        action="dashboard_sign_in",
        details={"entra": dashboard.entra, "teams_tab": teams_tab},
    )
    log.info("dashboard sign-in entra=%s teams_tab=%s", dashboard.entra, teams_tab)
    response = web.HTTPSeeOther(safe_return(back))
    max_age = dashboard.runtime.settings.dashboard_session_hours * 3600
    if teams_tab:
        set_tab_cookie(response, token, max_age=max_age)
    else:
        set_cookie(
            response, SESSION_COOKIE, token, secure=dashboard.secure_cookies, max_age=max_age
        )
        response.del_cookie(LOGIN_COOKIE, path=PREFIX)
    raise response


async def sign_out(request: web.Request) -> web.StreamResponse:
    dashboard = request.app[WEB]
    in_tab = TAB_COOKIE in request.cookies
    if in_tab:
        request[IN_TAB] = True
    token = request.cookies.get(TAB_COOKIE) or request.cookies.get(SESSION_COOKIE)
    found = await asyncio.to_thread(dashboard.runtime.signins.find, token)
    form = await request.post()
    if found.sign_in is None or not same_token(form.get(CSRF_FIELD), found.sign_in.csrf):
        return dashboard.refused(request, reason="csrf", actor="")
    await asyncio.to_thread(dashboard.runtime.signins.close, token)
    dashboard.runtime.audit.record(actor=found.sign_in.actor, action="dashboard_sign_out")
    if in_tab:  # Entra's sign-in page cannot be shown in Teams' frame: back to the tab's page
        response = web.HTTPSeeOther(f"{PREFIX}/teams?afgemeld=1")
        set_tab_cookie(response, "", max_age=0)
    else:
        response = web.HTTPSeeOther(f"{PREFIX}/aanmelden")
        response.del_cookie(SESSION_COOKIE, path=PREFIX)
    raise response
