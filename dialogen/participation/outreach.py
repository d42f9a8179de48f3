"""Who gets a proactive message, and what it says: step prompts, nudges and the thank-you at a
close.

Pure domain: the storage side hands in :class:`Contact` values (one per participant) and what each
has answered; this module decides. Every message is a tuple of domain replies, rendered by the
channels like any other turn: in Teams the prompts become Adaptive Cards whose button (input id
``begin`` or ``verder``, value = the step key) brings the participant back into the conversation
through the engine; by mail the participant replies 'begin' or 'verder'.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from dialogen.conversation import messages as msg
from dialogen.conversation.engine import BEGIN_INPUT, RESUME_INPUT
from dialogen.conversation.kinds import kind_of
from dialogen.conversation.replies import Choice, Prompt, PromptKind, Reply, Say
from dialogen.conversation.state import ConversationState
from dialogen.dialogue.definition import Dialogue, Step

TEAMS = "teams"
MAIL = "mail"


@dataclass(frozen=True)
class Contact:
    """What the domain needs to know to decide about one participant (no answers, no names)."""

    participant_id: str
    consent: bool
    opted_out: bool
    preferred_channel: str  # "teams" or "mail"
    has_email: bool
    has_teams_reference: bool  # a stored Teams conversation reference (proactive messages need it)
    teams_reachable: bool  # False after Teams refused a proactive message (403)
    state: ConversationState


def channel_for(contact: Contact) -> str | None:
    """The channel that reaches this participant: their preferred one, else the other, else None."""
    teams = contact.has_teams_reference and contact.teams_reachable
    mail = contact.has_email
    if contact.preferred_channel == MAIL:
        return MAIL if mail else TEAMS if teams else None
    return TEAMS if teams else MAIL if mail else None


def may_contact(contact: Contact) -> bool:
    """Took part in the dialogue (consent), did not opt out, and can be reached somewhere."""
    return contact.consent and not contact.opted_out and channel_for(contact) is not None


def complete_questions(step: Step, given: Mapping[str, Any]) -> set[str]:
    """The questions of ``step`` that need no more asking, by their stored values (a reactions
    question only once the participant reached its target or stopped)."""
    return {q.id for q in step.questions if q.id in given and kind_of(q).complete(q, given[q.id])}


def reactions_progress(step: Step, given: Mapping[str, Any]) -> tuple[int, int] | None:
    """(reactions given, target) when ``step`` asks for reactions; None otherwise."""
    for question in step.questions:
        kind = kind_of(question)
        if kind.repeats:
            value = given.get(question.id)
            count = int(value.get("given", 0)) if isinstance(value, dict) else 0
            return count, kind.target(question)
    return None


def remaining_questions(step: Step, state: ConversationState, answered: Collection[str]) -> int:
    """Questions of ``step`` this participant neither answered nor skipped."""
    skipped = {
        s.removeprefix(f"{step.key}:") for s in state.skipped if s.startswith(f"{step.key}:")
    }
    return sum(1 for q in step.questions if q.id not in answered and q.id not in skipped)


def completed(step: Step, state: ConversationState) -> bool:
    return step.key in state.completed_steps


def due_step_prompt(contact: Contact, step: Step) -> bool:
    return may_contact(contact) and not completed(step, contact.state)


def due_nudge(contact: Contact, step: Step, answered: Collection[str]) -> bool:
    """Not completed and something left to answer (a nudge for nothing helps nobody)."""
    return (
        may_contact(contact)
        and not completed(step, contact.state)
        and remaining_questions(step, contact.state, answered) > 0
    )


def took_part(contact: Contact, step: Step, answered: Collection[str]) -> bool:
    return may_contact(contact) and (completed(step, contact.state) or bool(answered))


# ---------------------------------------------------------------- what they get


def step_prompt(dialogue: Dialogue, step: Step) -> tuple[Reply, ...]:
    """The card at the opening of a step: purpose, deadline, a 'Begin' button."""
    text = msg.step_opened(
        step.name, step.purpose, msg.when(step.closes, dialogue.zone), len(step.questions)
    )
    return _button(BEGIN_INPUT, text, step, msg.BEGIN_LABEL, msg.BEGIN_HINT)


def nudge(
    dialogue: Dialogue,
    step: Step,
    *,
    remaining: int,
    at: datetime,
    reactions: tuple[int, int] | None = None,
) -> tuple[Reply, ...]:
    """A reminder before the close: what is left (reactions against their target, when the step
    asks for them), with a button back to where they stopped."""
    closes = _closing(dialogue, step, at)
    if remaining >= len(step.questions):
        text = msg.nudge_not_started(step.name, closes, len(step.questions))
        return _button(BEGIN_INPUT, text, step, msg.BEGIN_LABEL, msg.BEGIN_HINT)
    text = msg.nudge_in_progress(step.name, closes, remaining)
    if reactions is not None and reactions[0] < reactions[1]:
        text = f"{text} {msg.nudge_reactions(*reactions)}"
    return _button(RESUME_INPUT, text, step, msg.RESUME_LABEL, msg.RESUME_HINT)


def _button(key: str, text: str, step: Step, label: str, hint: str) -> tuple[Reply, ...]:
    """A message with one button that takes the participant (back) into ``step``."""
    return (Prompt(key, PromptKind.SINGLE, text, (Choice(step.key, label),), hint=hint),)


def step_thanks(dialogue: Dialogue, step: Step, *, all_answered: bool) -> tuple[Reply, ...]:
    """The thank-you after a close, with what comes next."""
    upcoming = dialogue.next_step(step.closes)
    return (
        Say(
            msg.step_thanks(
                step.name,
                all_answered,
                upcoming.name if upcoming else None,
                msg.when(upcoming.opens, dialogue.zone) if upcoming else None,
            )
        ),
    )


def _closing(dialogue: Dialogue, step: Step, at: datetime) -> str:
    zone = dialogue.zone
    if step.closes.astimezone(zone).date() == at.astimezone(zone).date():
        return msg.today_at(step.closes, zone)
    return f"op {msg.when(step.closes, zone)}"
