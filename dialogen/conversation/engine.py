"""The conversation engine: given where a participant is and what they sent, decide what happens.

Pure: no I/O, no clock of its own (``Turn.now`` is injected), no storage. The service around it
loads the state, calls :func:`decide` and stores the :class:`~dialogen.conversation.state.Decision`.

The conversation is a state machine declared as a table (``dialogen.conversation.phases.PHASES``:
per phase its commands, its free-input handler, what it asks again). This module routes each input
to the table's handlers; the handlers are plain functions over a
:class:`~dialogen.conversation.context.TurnContext`.
"""

from __future__ import annotations

from dialogen.contracts import MunicipalityLookup
from dialogen.conversation import messages as msg
from dialogen.conversation.answering import MAX_MESSAGE_LENGTH
from dialogen.conversation.commands import COMMAND_WORDS, COMMANDS, parse_command, refuse
from dialogen.conversation.context import TurnContext, first_input
from dialogen.conversation.entries import (
    BEGIN_INPUT,
    RESUME_INPUT,
    answer_by_mail,
    enter_from_card,
    install,
)
from dialogen.conversation.inputs import Answers, Input, Install, OptOut, Submit, Text
from dialogen.conversation.kinds import kind_of
from dialogen.conversation.leaving import opt_out_at_once
from dialogen.conversation.phases import ACCEPTS, PHASES
from dialogen.conversation.prompts import QUESTION_PREFIX, question_prompt
from dialogen.conversation.state import Decision
from dialogen.conversation.steps import step_closed_under_participant
from dialogen.conversation.turn import Turn

__all__ = [
    "ACCEPTS",
    "BEGIN_INPUT",
    "COMMAND_WORDS",
    "RESUME_INPUT",
    "MunicipalityLookup",
    "Turn",
    "decide",
    "parse_command",
    "question_prompt",
]


def decide(turn: Turn, message: Input) -> Decision:
    """The one entry point: what happens when this participant sends ``message`` now."""
    ctx = TurnContext.begin(turn, PHASES)
    _receive(ctx, message)
    return ctx.decision()


def _receive(ctx: TurnContext, message: Input) -> None:
    if isinstance(message, Install):
        ctx.event = "install"
        install(ctx, message)
    elif isinstance(message, OptOut):
        opt_out_at_once(ctx)
    elif isinstance(message, Answers):  # checks the step's dates itself
        _on_answers(ctx, message)
    elif step_closed_under_participant(ctx):
        return
    elif isinstance(message, Submit):
        ctx.event = "submit"
        _on_submit(ctx, message)
    else:
        _on_text(ctx, message)


def _on_text(ctx: TurnContext, message: Text) -> None:
    text = message.text.strip()
    if not text:
        ctx.event = "empty"
        ctx.say(msg.EMPTY_MESSAGE)
        ctx.reprompt()  # the question again, so they see what to answer
        return
    if len(text) > MAX_MESSAGE_LENGTH:
        ctx.event = "too_long"
        ctx.say(_too_long(ctx, len(text)))
        return
    command = parse_command(text)
    if command is not None:
        ctx.event = f"command:{command.value}"
        if command in ctx.here.commands:
            COMMANDS[command](ctx)
        else:
            refuse(ctx, command)
        return
    ctx.event = "text"
    ctx.here.on_input(ctx, text)


def _too_long(ctx: TurnContext, length: int) -> str:
    """Name the limit that applies: the open question's own, else what a message may hold (never
    "send it in parts": a second part would become the answer to the next question)."""
    current = ctx.current_question() if ctx.here.asks_question else None
    limit = kind_of(current[1]).longest(current[1]) if current else None
    if limit is not None:
        return msg.answer_too_long(length, limit)
    return msg.message_too_long(length, MAX_MESSAGE_LENGTH)


def _on_submit(ctx: TurnContext, submit: Submit) -> None:
    if submit.input_id in (BEGIN_INPUT, RESUME_INPUT):
        ctx.event = f"submit:{submit.input_id}"
        enter_from_card(ctx, first_input(submit.value))
        return
    current = ctx.here.prompt_id(ctx.state)
    if submit.input_id != current:
        step_key = (
            submit.input_id.split(":")[1] if submit.input_id.startswith(QUESTION_PREFIX) else None
        )
        step = ctx.dialogue.step(step_key) if step_key else None
        if step is not None and ctx.now >= step.closes:
            ctx.event = "submit:closed_step"
            ctx.say(msg.step_closed(step.name, ctx.when(step.closes)))
            return
        ctx.event = "submit:stale"
        ctx.say(msg.STALE_SUBMIT if current else msg.NOT_NOW)
        ctx.reprompt()
        return
    ctx.submitted_item = submit.item
    ctx.here.on_input(ctx, submit.value)


def _on_answers(ctx: TurnContext, message: Answers) -> None:
    """A mail reply: a bare command, the answer to what the conversation asked (a 'ja' to "are
    you sure?"), or several answers of one step at once."""
    whole = " ".join([message.unplaced] + [text for _, text in message.parts]).strip()
    if parse_command(whole) is not None:  # a reply that only says "afmelden" or "help"
        _on_text(ctx, Text(whole))
        return
    if not message.parts and ctx.here.plain_by_mail:
        _on_text(ctx, Text(whole))
        return
    answer_by_mail(ctx, message)
