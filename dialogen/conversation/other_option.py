"""Options marked ``other`` ("Iets anders"): picking one in the chat asks what is meant.

The choice itself is stored as usual; the participant's words go in an answer of their own,
``<question>.anders`` (question ids never hold a dot), which no figure of the question counts.
While the follow-up is asked the state names the question (``other_for``); 'overslaan' leaves
the choice without words, 'terug' goes back as ever. By mail the words follow the letter
(``4. F: wantrouwen tussen gemeenten``). Plain functions over a :class:`TurnContext`.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from dialogen.conversation import messages as msg
from dialogen.conversation.context import TurnContext, first_input
from dialogen.conversation.kinds import Raw
from dialogen.conversation.matching import normalize
from dialogen.conversation.prompts import question_input_id
from dialogen.conversation.replies import Prompt, PromptKind
from dialogen.conversation.state import AnswerChange
from dialogen.dialogue.definition import Option, Question, Step

SUFFIX = ".anders"
MAX_LENGTH = 500


def answer_id(question_id: str) -> str:
    """Where the words for an ``other`` option go."""
    return f"{question_id}{SUFFIX}"


def picked_other(question: Question, value: Any) -> Option | None:
    """The ``other`` option among what was chosen, if any."""
    chosen = value if isinstance(value, list) else [value]
    return next((o for o in question.options if o.other and o.value in chosen), None)


def ask(ctx: TurnContext, step: Step, question: Question, option: Option) -> None:
    ctx.state = replace(ctx.state, other_for=question.id)
    ctx.add(
        Prompt(
            question_input_id(step.key, question.id),
            PromptKind.OPEN,
            msg.other_what(option.label),
            hint=msg.OTHER_HINT,
            optional=True,
        )
    )


def asked(ctx: TurnContext, question: Question) -> bool:
    """Whether the follow-up of ``question`` is what the chat waits for."""
    return ctx.state.other_for == question.id


def ask_again(ctx: TurnContext, step: Step, question: Question) -> None:
    option = picked_other(question, ctx.answers.get(step.key, {}).get(question.id))
    if option is None:  # the choice changed meanwhile: nothing to ask
        ctx.state = replace(ctx.state, other_for=None)
        return
    ask(ctx, step, question, option)


def answer(ctx: TurnContext, step: Step, question: Question, raw: Raw) -> bool:
    """The words for the ``other`` option; True when stored (the chat moves on)."""
    text = first_input(raw).strip()
    if len(text) > MAX_LENGTH:
        ctx.say(msg.answer_too_long(len(text), MAX_LENGTH))
        return False
    ctx.event = "answer_other"
    ctx.answers.setdefault(step.key, {})[answer_id(question.id)] = text
    ctx.changes.append(AnswerChange(step.key, answer_id(question.id), text))
    ctx.state = replace(ctx.state, other_for=None)
    return True


_MAIL_OTHER = re.compile(r"^\s*([A-Za-z]|\d{1,2})\s*[.:,;)\-–]\s*(\S.*)$", re.S)


def split_mail(question: Question, raw: str) -> tuple[str, str] | None:
    """A mail answer like ``F: wantrouwen tussen gemeenten`` to a question with an ``other``
    option F: (the letter, the words); None when ``raw`` is not that (e.g. ``F. Iets anders``)."""
    found = _MAIL_OTHER.match(raw)
    if found is None:
        return None
    letter, words = found.group(1), found.group(2).strip()
    index = int(letter) - 1 if letter.isdigit() else ord(letter.lower()) - ord("a")
    if not 0 <= index < len(question.options) or not question.options[index].other:
        return None
    if normalize(words) == normalize(question.options[index].label) or len(words) > MAX_LENGTH:
        return None
    return letter, words


def leave(ctx: TurnContext) -> None:
    """Stop asking (skipped, or went back): the choice stays as it was."""
    ctx.state = replace(ctx.state, other_for=None)
