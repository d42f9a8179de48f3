"""Who gets a broadcast, on which channel, with exactly which replies — and why nobody would.

Applies the domain rules of :mod:`dialogen.participation.outreach` to the stored participants.
Every delivery carries its outbox idempotency key:

- ``step_prompt:<participant>:<step>``
- ``nudge:<participant>:<step>:<offset>`` (offset ``7d``, ``ochtend``, ``handmatig-2024-10-02`` …)
- ``step_closed:<participant>:<step>``
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlmodel import Session

from dialogen.conversation.replies import Reply
from dialogen.dialogue.definition import Dialogue, Step
from dialogen.participation import outreach as nudging
from dialogen.privacy.payload_cipher import PayloadCipher
from dialogen.privacy.pseudonyms import Pseudonyms
from dialogen.store import recipients
from planning import messages as pmsg
from planning.calendar import OccasionKind, SendSlot, local_day_start


@dataclass(frozen=True)
class Delivery:
    participant_id: str
    channel: str
    key: str
    replies: tuple[Reply, ...]


@dataclass(frozen=True)
class Audience:
    kind: OccasionKind
    step: Step
    deliveries: tuple[Delivery, ...]
    example: tuple[Reply, ...]  # what a typical recipient gets
    problem: str | None = None  # why nobody gets anything (Dutch)

    def per_channel(self) -> dict[str, int]:
        return dict(Counter(d.channel for d in self.deliveries))


AskedStep = Callable[[str], Step]
"""Participant id -> the step as they are asked it (Verdiepen's confirmed follow-ups)."""


def delivery_key(
    kind: OccasionKind, participant_id: str, step_key: str, offset: str | None = None
) -> str:
    return ":".join([kind.value, participant_id, step_key] + ([offset] if offset else []))


def for_step_prompt(
    session: Session,
    dialogue: Dialogue,
    step: Step,
    *,
    progress: PayloadCipher,
    asked: AskedStep | None = None,
) -> Audience:
    """``progress`` opens the participants' sealed conversation state; ``asked`` gives the step
    as each participant is asked it (default: ``step``)."""
    kind = OccasionKind.STEP_PROMPT
    queued = recipients.queued_keys(session, kind=kind.value, step_key=step.key)
    deliveries = tuple(
        Delivery(
            c.participant_id,
            channel,
            key,
            nudging.step_prompt(dialogue, asked(c.participant_id) if asked else step),
        )
        for c in recipients.contacts(session, cipher=progress)
        if nudging.due_step_prompt(c, step)
        and (channel := nudging.channel_for(c)) is not None
        and (key := delivery_key(kind, c.participant_id, step.key)) not in queued
    )
    replies = _most_common([d.replies for d in deliveries]) or nudging.step_prompt(dialogue, step)
    problem = None
    if not deliveries:
        total, waiting = recipients.queue_state(session, kind=kind.value, step_key=step.key)
        problem = (
            pmsg.already_queued(pmsg.PROMPT, step.name, total, waiting)
            if total
            else pmsg.nobody_for_prompt(step.name)
        )
    return Audience(kind, step, deliveries, replies, problem)


def for_nudge(
    session: Session,
    dialogue: Dialogue,
    step: Step,
    *,
    offset: str,
    slot: SendSlot,
    pseudonyms: Pseudonyms,
    progress: PayloadCipher,
    asked: AskedStep | None = None,
) -> Audience:
    """Everyone who has not completed ``step``, was not nudged at this offset, and has no other
    nudge for this step on the same day. ``asked``: the step as each participant is asked it."""
    kind = OccasionKind.NUDGE
    contacts, answered, queued = _standing(session, dialogue, step, kind, pseudonyms, progress)
    day = local_day_start(dialogue, slot.not_before)
    nudged_that_day = recipients.nudged_between(
        session,
        step_key=step.key,
        start=day,
        end=local_day_start(dialogue, day + timedelta(hours=36)),
    )
    deliveries: list[Delivery] = []
    skipped_same_day = 0
    for contact in contacts:
        given = answered[contact.participant_id]
        theirs = asked(contact.participant_id) if asked else step
        done = nudging.complete_questions(theirs, given)
        channel = nudging.channel_for(contact)
        key = delivery_key(kind, contact.participant_id, step.key, offset)
        if channel is None or not nudging.due_nudge(contact, theirs, done) or key in queued:
            continue
        if contact.participant_id in nudged_that_day:
            skipped_same_day += 1
            continue
        remaining = nudging.remaining_questions(theirs, contact.state, done)
        deliveries.append(
            Delivery(
                contact.participant_id,
                channel,
                key,
                nudging.nudge(
                    dialogue,
                    theirs,
                    remaining=remaining,
                    at=slot.not_before,
                    reactions=nudging.reactions_progress(theirs, given),
                ),
            )
        )
    example = _most_common([d.replies for d in deliveries]) or nudging.nudge(
        dialogue, step, remaining=len(step.questions), at=slot.not_before
    )
    problem = None
    if not deliveries:
        total, waiting = recipients.queue_state(
            session, kind=kind.value, step_key=step.key, key_part=f":{offset}"
        )
        problem = (
            pmsg.already_queued(pmsg.NUDGE, step.name, total, waiting)
            if total
            else pmsg.nudged_today(step.name)
            if skipped_same_day
            else pmsg.nobody_for_nudge(step.name)
        )
    return Audience(kind, step, tuple(deliveries), example, problem)


def for_thanks(
    session: Session,
    dialogue: Dialogue,
    step: Step,
    *,
    pseudonyms: Pseudonyms,
    progress: PayloadCipher,
    asked: AskedStep | None = None,
) -> Audience:
    """Everyone reachable who answered at least one question of ``step`` (``asked``: the step as
    each participant was asked it)."""
    kind = OccasionKind.STEP_CLOSED
    contacts, answered, queued = _standing(session, dialogue, step, kind, pseudonyms, progress)
    deliveries: list[Delivery] = []
    for contact in contacts:
        done = set(answered[contact.participant_id])
        theirs = asked(contact.participant_id) if asked else step
        channel = nudging.channel_for(contact)
        key = delivery_key(kind, contact.participant_id, step.key)
        if channel is None or not nudging.took_part(contact, theirs, done) or key in queued:
            continue
        replies = nudging.step_thanks(
            dialogue, theirs, all_answered=nudging.completed(theirs, contact.state)
        )
        deliveries.append(Delivery(contact.participant_id, channel, key, replies))
    example = _most_common([d.replies for d in deliveries]) or nudging.step_thanks(
        dialogue, step, all_answered=True
    )
    problem = None
    if not deliveries:
        total, waiting = recipients.queue_state(session, kind=kind.value, step_key=step.key)
        problem = (
            pmsg.already_queued(pmsg.THANKS, step.name, total, waiting)
            if total
            else pmsg.nobody_for_thanks(step.name)
        )
    return Audience(kind, step, tuple(deliveries), example, problem)


def _standing(
    session: Session,
    dialogue: Dialogue,
    step: Step,
    kind: OccasionKind,
    pseudonyms: Pseudonyms,
    progress: PayloadCipher,
) -> tuple[list[nudging.Contact], dict[str, dict[str, Any]], set[str]]:
    """Who can be written to, which of ``step``'s questions each answered, and which deliveries
    of ``kind`` for ``step`` are already queued."""
    contacts = recipients.contacts(session, cipher=progress)
    answered = recipients.answered_questions(
        session,
        pseudonyms=pseudonyms,
        dialogue_key=dialogue.key,
        step_key=step.key,
        participant_ids=[c.participant_id for c in contacts],
    )
    queued = recipients.queued_keys(session, kind=kind.value, step_key=step.key)
    return contacts, answered, queued


def _most_common(variants: list[tuple[Reply, ...]]) -> tuple[Reply, ...] | None:
    return Counter(variants).most_common(1)[0][0] if variants else None
