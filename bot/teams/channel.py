"""The Teams channel's turn: translate the activity, hand it to the door, render the outcome.

No business logic here: the door decides (``dialogen.door``), participants' and facilitators'
turns alike. What the channel adds is Teams' own: the sender's e-mail address (so an invitee who
opens the bot is recognised, and a facilitator too), the conversation reference, and — when the
outcome continues after the turn (a confirmed broadcast) — delivering it proactively.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable
from dataclasses import replace

from botbuilder.core import Bot, InvokeResponse, TurnContext
from botbuilder.schema import Activity, ActivityTypes

from bot.teams import messages as teams_msg
from bot.teams.activities import Ignored, TeamsEvent, to_activities, to_event
from bot.teams.members import TeamsMembers
from bot.teams.report_files import INVOKE_NAME, ReportFiles
from dialogen.conversation.replies import Reply
from dialogen.door.events import Event, Outcome, ReferenceSeen
from dialogen.facilitation.actions import FacilitatorReply, ReportReady
from dialogen.reporting import messages as rmsg
from dialogen.reporting.offers import ReportOffers

log = logging.getLogger(__name__)

Handle = Callable[[Event], Outcome]


class TeamsChannel(Bot):
    def __init__(
        self,
        handle: Handle,
        *,
        members: TeamsMembers | None = None,
        app_id: str | None = None,
        offers: ReportOffers | None = None,
    ) -> None:
        self.handle = handle  # the door
        self.members = members  # e-mail look-up, to match a Teams user to their invitation
        self.app_id = app_id
        self._background: set[asyncio.Task[None]] = set()
        # reports offered as a file, in the database (None: this channel sends no report files)
        self.report_files = ReportFiles(offers) if offers is not None else None

    async def on_turn(self, context: TurnContext) -> None:
        activity = context.activity
        if activity.type == ActivityTypes.invoke and activity.name == INVOKE_NAME:
            await self._file_consent(context)
            return
        reference = TurnContext.get_conversation_reference(activity).serialize()
        event = to_event(activity, reference)
        if isinstance(event, Ignored):
            log.info("teams activity ignored: %s", event.reason)
            if event.reply:
                await context.send_activity(event.reply)
            return
        event = await self._with_email(context, event)
        outcome = await asyncio.to_thread(self.handle, event)
        if outcome.replies:
            await context.send_activities(await self._activities(outcome.replies, context))
        if outcome.later is not None:
            self._continue_later(context, outcome.later)

    async def _with_email(self, context: TurnContext, event: TeamsEvent) -> TeamsEvent:
        if self.members is None or isinstance(event, ReferenceSeen) or event.identity.email:
            return event
        email = await self.members.email_for(context, event.identity.aad_object_id)
        return replace(event, identity=replace(event.identity, email=email)) if email else event

    def _continue_later(self, context: TurnContext, later: Callable[[], Outcome]) -> None:
        """Run ``later`` outside the turn and deliver its outcome into this conversation."""
        adapter = context.adapter
        reference = TurnContext.get_conversation_reference(context.activity)

        async def run() -> None:
            outcome = await asyncio.to_thread(later)

            async def deliver(turn: TurnContext) -> None:
                await turn.send_activities(await self._activities(outcome.replies, turn))

            try:
                await adapter.continue_conversation(reference, deliver, self.app_id or "")
            except Exception:  # noqa: BLE001
                log.exception("outcome could not be delivered after the turn")

        task = asyncio.create_task(run())
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _activities(
        self, replies: tuple[Reply | FacilitatorReply, ...], context: TurnContext
    ) -> list[Activity]:
        """The outcome's replies as activities; a report goes as a file (file consent card)."""
        found: list[Activity] = []
        for reply in replies:
            files = self.report_files
            if isinstance(reply, ReportReady) and files is None:
                log.warning("report file not sent: this channel keeps no report offers")
                found.append(Activity(type=ActivityTypes.message, text=rmsg.REPORT_FILE_FAILED))
            elif isinstance(reply, ReportReady) and files is not None:
                from bot.reporting.word import report_docx

                data = await asyncio.to_thread(report_docx, reply.made.report)
                requester = getattr(context.activity.from_property, "aad_object_id", None)
                found.append(
                    await files.consent_activity(
                        name=f"rapport-{reply.made.code}.docx",
                        data=data,
                        requester=requester,
                        summary=reply.summary,
                    )
                )
            else:
                found += to_activities((reply,))
        return found

    async def _file_consent(self, context: TurnContext) -> None:
        activity = context.activity
        value = activity.value if isinstance(activity.value, dict) else {}
        requester = getattr(activity.from_property, "aad_object_id", None)
        await context.send_activity(
            Activity(type=ActivityTypes.invoke_response, value=InvokeResponse(status=200))
        )
        if self.report_files is None:
            await context.send_activity(rmsg.REPORT_FILE_GONE)
            return
        await context.send_activity(await self.report_files.answer(value, requester))

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
