"""The Teams channel's turn: translate the activity, hand it to the domain, render the replies.

No business logic here; see ``dialogen.engine``.
"""

from __future__ import annotations

import asyncio
import logging
import uuid

from botbuilder.core import Bot, TurnContext

from bot.teams import messages as teams_msg
from bot.teams.activities import Ignored, identity_of, to_activities, to_inbound
from dialogen.service import DialogueService

log = logging.getLogger(__name__)


class TeamsChannel(Bot):
    def __init__(self, service: DialogueService) -> None:
        self.service = service

    async def on_turn(self, context: TurnContext) -> None:
        activity = context.activity
        reference = TurnContext.get_conversation_reference(activity).serialize()
        inbound = to_inbound(activity, reference)
        if isinstance(inbound, Ignored):
            log.info("teams activity ignored: %s", inbound.reason)
            if inbound.reply:
                await context.send_activity(inbound.reply)
            return
        outcome = await asyncio.to_thread(self.service.handle, inbound)
        if outcome.replies:
            await context.send_activities(to_activities(outcome.replies))

    @staticmethod
    async def on_error(context: TurnContext, error: Exception) -> None:
        """One error handler: a correlation id in the log, a neutral apology in the chat."""
        correlation = uuid.uuid4().hex[:12]
        log.error("teams turn failed correlation=%s type=%s error=%s", correlation,
                  context.activity.type, type(error).__name__, exc_info=error)
        try:
            await context.send_activity(f"{teams_msg.SOMETHING_WENT_WRONG} (code {correlation})")
        except Exception:  # noqa: BLE001 - the connector itself may be what failed
            log.warning("apology could not be sent correlation=%s", correlation)


__all__ = ["TeamsChannel", "identity_of"]
