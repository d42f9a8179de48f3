"""Proactive Teams messages: the outbox's Teams transport.

A queued message is rendered with :func:`bot.teams.activities.to_activities` and sent into the
participant's personal chat through the stored conversation reference
(``CloudAdapter.continue_conversation``). botbuilder does not retry; it raises
``ErrorResponseException`` with the HTTP status and headers, which become a
:class:`planning.contracts.SendFailure` for the sender's retry policy. Each activity is paced
separately and counted as delivered as soon as Teams accepted it, so a retry resumes after the
parts that already arrived.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import ConversationReference, ErrorResponseException

from bot.teams.activities import to_activities
from dialogen.contracts import Clock, OutboxMessage
from dialogen.conversation.reply_codec import decode_replies
from dialogen.participation.reach import Reach, Target
from planning.contracts import Delivery, Pace, SendFailure, parse_retry_after

log = logging.getLogger(__name__)

CHANNEL = "teams"


@dataclass
class _Progress:
    sent: int
    failure: SendFailure | None = None


class TeamsProactiveTransport:
    channel = CHANNEL

    def __init__(
        self, *, adapter: CloudAdapter, reach: Reach, app_id: str | None, clock: Clock
    ) -> None:
        self._adapter = adapter
        self._reach = reach
        self._app_id = app_id
        self._clock = clock
        self._prepared: dict[str, Target] = {}  # participant id → looked up with the claimed batch

    async def prepare(self, messages: Sequence[OutboxMessage]) -> None:
        """Look up the recipients of a claimed batch in one go (``deliver`` uses them)."""
        found = await asyncio.to_thread(self._targets_of, [m.participant_id for m in messages])
        self._prepared.update(found)

    async def deliver(self, message: OutboxMessage, pace: Pace) -> Delivery:
        target = self._prepared.pop(message.participant_id, None)
        if target is None:
            target = (await asyncio.to_thread(self._targets_of, [message.participant_id]))[
                message.participant_id
            ]
        stored = _reference_or_failure(target)
        if isinstance(stored, SendFailure):
            return Delivery(message.parts_sent, stored)
        try:
            activities = to_activities(decode_replies(message.payload))
        except (ValueError, KeyError, TypeError):
            return Delivery(
                message.parts_sent, SendFailure(None, "payload could not be read", permanent=True)
            )
        reference = ConversationReference().deserialize(stored)
        conversation = reference.conversation.id if reference.conversation else None
        if not conversation or not reference.service_url:
            return Delivery(
                message.parts_sent,
                SendFailure(None, "incomplete Teams conversation reference", unreachable=True),
            )
        progress = _Progress(sent=message.parts_sent)

        async def send(context: TurnContext) -> None:
            for activity in activities[progress.sent :]:
                await pace(conversation)
                try:
                    await context.send_activity(activity)
                except ErrorResponseException as error:
                    progress.failure = self._failure_of(error)
                    return
                except Exception as error:  # noqa: BLE001 - no answer: connection refused, timeout
                    progress.failure = SendFailure(None, f"no answer ({type(error).__name__})")
                    return
                progress.sent += 1

        try:
            await self._adapter.continue_conversation(reference, send, self._app_id)
        except Exception as error:  # noqa: BLE001 - e.g. credentials could not be obtained
            log.warning(
                "teams proactive turn could not start id=%s error=%s",
                message.id,
                type(error).__name__,
            )
            progress.failure = progress.failure or SendFailure(
                None, f"connector error ({type(error).__name__})"
            )
        return Delivery(progress.sent, progress.failure, conversation)

    def _targets_of(self, participant_ids: list[str]) -> dict[str, Target]:
        return self._reach.targets(participant_ids, channel=CHANNEL)

    def _failure_of(self, error: ErrorResponseException) -> SendFailure:
        response = getattr(error, "response", None)
        status = getattr(response, "status_code", None)
        headers = getattr(response, "headers", None) or {}
        code = _error_code(error)
        reason = f"HTTP {status}" + (f" {code}" if code else "")
        return SendFailure(
            status, reason, retry_after=parse_retry_after(headers.get("Retry-After"), self._clock())
        )


def _reference_or_failure(target: Target) -> dict[str, Any] | SendFailure:
    if not target.exists:
        return SendFailure(None, "participant no longer exists", permanent=True)
    if target.opted_out:
        return SendFailure(None, "participant opted out after it was queued", permanent=True)
    if not target.teams_reachable:
        return SendFailure(None, "earlier refused by Teams", unreachable=True)
    if target.reference is None:
        return SendFailure(None, "no Teams conversation reference", unreachable=True)
    return target.reference


def _error_code(error: ErrorResponseException) -> str | None:
    """The connector's error code (e.g. ``ConversationBlockedByUser``); never its free text."""
    body = getattr(error, "error", None)
    inner = getattr(body, "error", None)
    code = getattr(inner, "code", None)
    return str(code)[:60] if code else None
