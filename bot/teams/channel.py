"""The Teams channel's turn: translate the activity, hand it to the domain, render the replies.

No business logic here; see ``dialogen.conversation.engine``.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import replace
from typing import TYPE_CHECKING

from botbuilder.core import Bot, TurnContext

from bot.teams import messages as teams_msg
from bot.teams.activities import Ignored, identity_of, to_activities, to_inbound
from dialogen.door.service import DialogueService

if TYPE_CHECKING:
    from bot.teams.facilitation import TeamsFacilitation
    from bot.teams.members import TeamsMembers

log = logging.getLogger(__name__)


class TeamsChannel(Bot):
    def __init__(
        self,
        service: DialogueService,
        *,
        facilitation: TeamsFacilitation | None = None,
        members: TeamsMembers | None = None,
    ) -> None:
        self.service = service
        self.facilitation = facilitation  # facilitator commands (bot/teams/facilitation.py)
        self.members = members  # e-mail look-up, to match a Teams user to their invitation

    async def on_turn(self, context: TurnContext) -> None:
        activity = context.activity
        if self.facilitation is not None and await self.facilitation.handle(context):
            return
        reference = TurnContext.get_conversation_reference(activity).serialize()
        inbound = to_inbound(activity, reference)
        if isinstance(inbound, Ignored):
            log.info("teams activity ignored: %s", inbound.reason)
            if inbound.remember:
                await asyncio.to_thread(
                    self.service.remember_reference, identity_of(activity), reference
                )
            if inbound.reply:
                await context.send_activity(inbound.reply)
            return
        if self.members is not None and not inbound.identity.email:
            email = await self.members.email_for(context, inbound.identity.aad_object_id)
            if email:
                inbound = replace(inbound, identity=replace(inbound.identity, email=email))
        outcome = await asyncio.to_thread(self.service.handle, inbound)
        if outcome.replies:
            await context.send_activities(to_activities(outcome.replies))

    @staticmethod
    async def on_error(context: TurnContext, error: Exception) -> None:
        """One error handler: a correlation id in the log, a neutral apology in the chat."""
        correlation = uuid.uuid4().hex[:12]
        log.error(
            "teams turn failed correlation=%s type=%s error=%s",
            correlation,
            context.activity.type,
            type(error).__name__,
            exc_info=error,
        )
        try:
            await context.send_activity(f"{teams_msg.SOMETHING_WENT_WRONG} (code {correlation})")
        except Exception:  # noqa: BLE001 - the connector itself may be what failed
            log.warning("apology could not be sent correlation=%s", correlation)


__all__ = ["TeamsChannel", "identity_of"]
