"""Facilitator turns in Teams: recognise a facilitator command or a click on a preview card,
hand it to ``dialogen.facilitation.actions`` (which checks the facilitator list every time and audits),
and render the replies. Everything else goes to the dialogue as usual.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass

from botbuilder.core import CardFactory, MessageFactory, TurnContext
from botbuilder.schema import Activity, ActivityTypes

from bot.settings import Settings
from bot.teams.activities import identity_of, to_activities, to_inbound
from bot.teams.facilitation_cards import (
    CONFIRM_VALUE,
    FACILITATOR_MARKER,
    confirmation_card,
    participation_card,
)
from bot.teams.members import TeamsMembers
from dialogen.conversation.inputs import Text
from dialogen.conversation.replies import Say
from dialogen.door.service import DialogueService, InboundEvent
from dialogen.facilitation import messages as fmsg
from dialogen.facilitation.actions import (
    Broadcasting,
    ConfirmationRequest,
    Facilitation,
    Facilitator,
    FacilitatorReply,
    ParticipationView,
)
from dialogen.facilitation.commands import Command, parse_command
from dialogen.stakeholders.roster import Roster

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CardDecision:
    """A click on "Bevestigen" or "Annuleren" of a preview card."""

    token: str
    confirm: bool


def recognise(activity: Activity) -> Command | CardDecision | None:
    """What a facilitator asks in this activity, if anything (pure)."""
    if (
        activity.type != ActivityTypes.message
        or activity.from_property is None
        or not activity.from_property.id
    ):
        return None
    if activity.recipient is not None and activity.from_property.id == activity.recipient.id:
        return None
    value = activity.value
    if isinstance(value, dict) and FACILITATOR_MARKER in value:
        return CardDecision(
            str(value.get("token") or ""), value.get(FACILITATOR_MARKER) == CONFIRM_VALUE
        )
    inbound = to_inbound(activity, {})
    if isinstance(inbound, InboundEvent) and isinstance(inbound.message, Text):
        return parse_command(inbound.message.text)
    return None


def render(replies: tuple[FacilitatorReply, ...]) -> list[Activity]:
    activities: list[Activity] = []
    for reply in replies:
        if isinstance(reply, Say):
            activities += to_activities((reply,))
        elif isinstance(reply, ParticipationView):
            activities.append(_card(participation_card(reply.report), summary=fmsg.STATS_TITLE))
        elif isinstance(reply, ConfirmationRequest):
            activities.append(_card(confirmation_card(reply), summary=reply.title))
    return activities


def _card(content: dict, *, summary: str) -> Activity:
    activity = MessageFactory.attachment(CardFactory.adaptive_card(content))
    activity.summary = summary
    return activity


class TeamsFacilitation:
    def __init__(
        self, facilitation: Facilitation, members: TeamsMembers, *, app_id: str | None = None
    ) -> None:
        self.facilitation = facilitation
        self.members = members
        self.app_id = app_id
        self._background: set[asyncio.Task[None]] = set()

    async def handle(self, context: TurnContext) -> bool:
        """True when this turn was a facilitator command (answered here, refused or not)."""
        wanted = recognise(context.activity)
        if wanted is None:
            return False
        identity = identity_of(context.activity)
        email = await self.members.email_for(context, identity.aad_object_id)
        who = Facilitator(
            aad_object_id=identity.aad_object_id,
            email=email,
            channel="teams",
            user_id=identity.teams_user_id,
        )
        if isinstance(wanted, CardDecision) and wanted.confirm:
            # Queueing thousands of messages takes longer than the ~15 s Teams gives a turn:
            # answer at once and report the outcome proactively.
            await context.send_activity(fmsg.PROCESSING)
            self._continue_later(
                context, lambda: self.facilitation.decide(who, wanted.token, confirm=True)
            )
            return True
        if isinstance(wanted, CardDecision):
            replies = await asyncio.to_thread(
                self.facilitation.decide, who, wanted.token, confirm=False
            )
        else:
            replies = await asyncio.to_thread(self.facilitation.run, who, wanted)
        await context.send_activities(render(replies))
        return True

    def _continue_later(
        self, context: TurnContext, work: Callable[[], tuple[FacilitatorReply, ...]]
    ) -> None:
        adapter = context.adapter
        reference = TurnContext.get_conversation_reference(context.activity)

        async def run() -> None:
            try:
                replies = await asyncio.to_thread(work)
            except Exception:  # noqa: BLE001 - the facilitator hears it; the operator gets the trace
                log.exception("facilitator confirmation failed")
                replies = (Say(fmsg.CONFIRMATION_FAILED),)

            async def deliver(turn: TurnContext) -> None:
                await turn.send_activities(render(replies))

            try:
                await adapter.continue_conversation(reference, deliver, self.app_id or "")
            except Exception:  # noqa: BLE001
                log.exception("facilitator outcome could not be delivered")

        task = asyncio.create_task(run())
        self._background.add(task)
        task.add_done_callback(self._background.discard)


def teams_extras(
    settings: Settings, service: DialogueService, broadcasts: Broadcasting | None = None
) -> tuple[TeamsFacilitation, TeamsMembers]:
    """Facilitator commands and roster look-ups for the Teams channel, sharing the service's
    database, dialogue, municipalities and clock. Without ``broadcasts`` planning's own is used."""
    if broadcasts is None:
        from planning.broadcasts import Broadcasts

        broadcasts = Broadcasts(
            database=service.database,
            dialogue=service.dialogue,
            clock=service.clock,
            pseudonym_secret=settings.pseudonym_key(),
        )
    members = TeamsMembers(
        Roster(
            database=service.database, municipalities=service.municipalities, clock=service.clock
        )
    )
    facilitation = Facilitation(
        database=service.database,
        dialogue=service.dialogue,
        municipalities=service.municipalities,
        facilitators=settings.facilitators,
        clock=service.clock,
        broadcasts=broadcasts,
    )
    return TeamsFacilitation(facilitation, members, app_id=settings.app_id), members
