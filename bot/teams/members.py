"""Who a Teams user is on the roster: their e-mail address (or UPN), so that someone invited by
e-mail who opens the bot in Teams becomes the same participant.

The roster is asked first; only when it has no address for this Entra object id does the bot ask
the Bot Connector (``TeamsInfo.get_member``). That call may fail — local mode, the Agents
Playground, a guest, a slow connector — and then the turn simply goes on without an address (one
log line, no personal data). A failed lookup is not retried for a while, so a connector that
cannot answer does not slow down every turn.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Callable

from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsInfo

from dialogen.stakeholders.roster import Roster

log = logging.getLogger(__name__)

LOOKUP_TIMEOUT = 3.0  # seconds; a turn has about 15
RETRY_AFTER = 3600.0  # seconds before asking the connector again about the same user
MAX_REMEMBERED = 10_000
_MAIL = re.compile(r"^[^@\s#]+@[^@\s#]+\.[^@\s#]+$")


class TeamsMembers:
    def __init__(self, roster: Roster, *, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.roster = roster
        self._monotonic = monotonic
        self._failed: dict[str, float] = {}  # Entra object id -> when the connector last failed

    async def email_for(self, context: TurnContext, aad_object_id: str | None) -> str | None:
        if not aad_object_id:
            return None
        known = await asyncio.to_thread(self.roster.known_email, aad_object_id)
        if known:
            return known
        failed_at = self._failed.get(aad_object_id)
        if failed_at is not None and self._monotonic() - failed_at < RETRY_AFTER:
            return None
        email = await member_email(context)
        if email is None:
            if len(self._failed) >= MAX_REMEMBERED:
                self._failed.clear()
            self._failed[aad_object_id] = self._monotonic()
        else:
            self._failed.pop(aad_object_id, None)
        return email


async def member_email(context: TurnContext, *, timeout: float = LOOKUP_TIMEOUT) -> str | None:
    """The sender's e-mail address (else their UPN when it is one) from the Bot Connector."""
    sender = context.activity.from_property
    if sender is None or not sender.id:
        return None
    try:
        member = await asyncio.wait_for(TeamsInfo.get_member(context, sender.id), timeout)
    except Exception as error:  # noqa: BLE001 - any failure: go on without an address
        log.info(
            "teams member lookup failed (%s); continuing without e-mail address",
            type(error).__name__,
        )
        return None
    for candidate in (getattr(member, "email", None), getattr(member, "user_principal_name", None)):
        if candidate and _MAIL.fullmatch(candidate.strip()):
            return candidate.strip().lower()
    log.info("teams member lookup gave no usable e-mail address")
    return None
