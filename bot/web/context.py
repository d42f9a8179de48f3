"""What every dashboard view shares: the runtime, the templates, whether cookies are Secure, and
the guards — signed in (else to the sign-in page), a facilitator (else a Dutch 403 page), and for
an action the form's CSRF token (else refused). Refusals are logged (one line, no personal data)
and audited."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import jinja2
from aiohttp import web

from bot.runtime import Runtime
from bot.web import messages as wmsg
from bot.web.security import (
    CSRF_FIELD,
    IN_TAB,
    PREFIX,
    SESSION_COOKIE,
    TAB_COOKIE,
    TAB_PATHS,
    is_loopback,
    same_token,
)
from dialogen.conversation.replies import Say
from dialogen.facilitation.actions import Facilitator
from dialogen.facilitation.signins import SignIn

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Visitor:
    """A signed-in facilitator, as the views see them."""

    sign_in: SignIn
    facilitator: Facilitator

    @property
    def actor(self) -> str:
        return self.sign_in.actor


@dataclass(frozen=True)
class DashboardWeb:
    runtime: Runtime
    templates: jinja2.Environment
    secure_cookies: bool
    entra: bool  # sign-in with Entra ID (else the development sign-in)
    refresh_seconds: int

    def render(
        self, name: str, *, status: int = 200, visitor: Visitor | None = None, **values: Any
    ) -> web.Response:
        html = self.templates.get_template(name).render(
            visitor=visitor,
            csrf=visitor.sign_in.csrf if visitor else "",
            prefix=PREFIX,
            refresh_seconds=self.refresh_seconds,
            **values,
        )
        return web.Response(text=html, status=status, content_type="text/html", charset="utf-8")

    def result(
        self, visitor: Visitor, page: str, texts: Sequence[object], *, status: int = 200
    ) -> web.Response:
        """The result page of an action on ``page``: what the bot said (the texts of its ``Say``
        replies, or the plain strings given), with a way back to the page."""
        said = [t.text if isinstance(t, Say) else t for t in texts if isinstance(t, Say | str)]
        return self.render(
            "result.html", status=status, visitor=visitor, page=page, texts=said, back=page
        )

    async def decided(self, request: web.Request, visitor: Visitor, page: str) -> web.Response:
        """A facilitator's answer to a confirmation preview (``token``, ``keuze``) decided as
        Teams decides it, and its result page on ``page``."""
        form = await request.post()
        replies = await asyncio.to_thread(
            self.runtime.facilitation.decide,
            visitor.facilitator,
            str(form.get("token", "")),
            confirm=form.get("keuze") == "bevestigen",
        )
        return self.result(visitor, page, replies)

    def refused(
        self,
        request: web.Request,
        *,
        reason: str,
        actor: str,
        status: int = 403,
        detail: str | None = None,
    ) -> web.Response:
        """The Dutch refusal page; one log line and an audit record (``detail``: a short code
        saying more, e.g. which check a token failed — never the token or personal data)."""
        more = f" detail={detail}" if detail else ""
        log.warning("dashboard refused path=%s reason=%s%s", request.path, reason, more)
        details = {"channel": "dashboard", "reason": reason}
        if detail:
            details["detail"] = detail
        self.runtime.audit.record(
            actor=actor or "onbekend", action="refused", target=request.path[:100], details=details
        )
        return self.render(
            "refused.html",
            status=status,
            reason=wmsg.REFUSALS[reason],
            in_tab=bool(request.get(IN_TAB)) or request.path in TAB_PATHS,
        )

    def facilitator_of(self, sign_in: SignIn) -> Facilitator:
        actor = sign_in.actor
        return Facilitator(
            aad_object_id=None if "@" in actor else actor,
            email=actor if "@" in actor else None,
            channel="dashboard",
        )


WEB = web.AppKey("dashboard", DashboardWeb)

View = Callable[[web.Request, Visitor], Awaitable[web.StreamResponse]]


def facilitator_only(view: View) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """Signed in and on the facilitator list; for a POST also the form's CSRF token."""

    async def guarded(request: web.Request) -> web.StreamResponse:
        dashboard = request.app[WEB]
        tab_token = request.cookies.get(TAB_COOKIE)
        if tab_token:
            request[IN_TAB] = True  # framed by Teams: its pages may be
        found = await asyncio.to_thread(
            dashboard.runtime.signins.find, tab_token or request.cookies.get(SESSION_COOKIE)
        )
        if found.sign_in is None:
            if request.method != "GET" or request.path.startswith(PREFIX + "/api/"):
                reason = "expired" if found.expired else "signed_out"
                return dashboard.refused(request, reason=reason, actor="", status=401)
            back = quote(request.path_qs, safe="")
            if tab_token or request.headers.get("Sec-Fetch-Dest") == "iframe":
                # in a frame (Teams): sign in again with Teams, Entra's page refuses frames
                raise web.HTTPSeeOther(f"{PREFIX}/teams?terug={back}")
            target = f"{PREFIX}/aanmelden?terug={back}"
            if found.expired:
                target += "&verlopen=1"
            raise web.HTTPSeeOther(target)
        visitor = Visitor(found.sign_in, dashboard.facilitator_of(found.sign_in))
        if not dashboard.runtime.facilitation.is_facilitator(visitor.facilitator):
            return dashboard.refused(request, reason="not_facilitator", actor=visitor.actor)
        if request.method == "POST":
            form = await request.post()
            if not same_token(form.get(CSRF_FIELD), visitor.sign_in.csrf):
                return dashboard.refused(request, reason="csrf", actor=visitor.actor)
        return await view(request, visitor)

    return guarded


def safe_return(target: str | None) -> str:
    """Where to go after signing in: a dashboard path only (never another site)."""
    if target and target.startswith(PREFIX) and not target.startswith("//") and "\\" not in target:
        return target
    return PREFIX


def dev_sign_in_allowed(host: str) -> bool:
    return is_loopback(host)
