"""The commands a participant can type (help, status, back, skip, my answers, pause, resume, stop,
start, and their own data: mijn gegevens, gegevens wijzigen, verwijder mij): the words for them,
and one plain handler per command over a :class:`TurnContext`.
Which phase takes which command is declared in ``dialogen.conversation.phases``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from types import MappingProxyType

from dialogen.conversation import messages as msg
from dialogen.conversation import other_option
from dialogen.conversation.context import TurnContext
from dialogen.conversation.inputs import Command
from dialogen.conversation.kinds import kind_of
from dialogen.conversation.leaving import opt_in, stop
from dialogen.conversation.matching import normalize
from dialogen.conversation.own_data import change_data, erase, erase_all, my_data
from dialogen.conversation.profile import ask_role, greet, input_consent
from dialogen.conversation.state import Phase
from dialogen.conversation.steps import (
    advance,
    ask_current_question,
    pick_up,
    resume,
    say_nothing_open,
)

C = Command

COMMAND_WORDS: dict[str, Command] = {
    "help": C.HELP,
    "hulp": C.HELP,
    "?": C.HELP,
    "uitleg": C.HELP,
    "status": C.STATUS,
    "waar ben ik": C.STATUS,
    "terug": C.BACK,
    "vorige": C.BACK,
    "vorige vraag": C.BACK,
    "overslaan": C.SKIP,
    "sla over": C.SKIP,
    "skip": C.SKIP,
    "mijn antwoorden": C.MY_ANSWERS,
    "antwoorden": C.MY_ANSWERS,
    "pauze": C.PAUSE,
    "pauzeren": C.PAUSE,
    "verder": C.RESUME,
    "doorgaan": C.RESUME,
    "ga verder": C.RESUME,
    "stop": C.STOP,
    "afmelden": C.STOP,
    "uitschrijven": C.STOP,
    "start": C.START,
    "begin": C.START,
    "beginnen": C.START,
    "aanmelden": C.START,
    "meedoen": C.START,
    "mijn gegevens": C.MY_DATA,
    "wat weet u van mij": C.MY_DATA,
    "wat bewaart u van mij": C.MY_DATA,
    "gegevens wijzigen": C.CHANGE_DATA,
    "gegevens aanpassen": C.CHANGE_DATA,
    "wijzig mijn gegevens": C.CHANGE_DATA,
    "mijn gegevens wijzigen": C.CHANGE_DATA,
    "mijn gegevens aanpassen": C.CHANGE_DATA,
    "verwijder mij": C.ERASE,
    "verwijder mijn gegevens": C.ERASE,
    "wis mijn gegevens": C.ERASE,
    "verwijder mij en mijn antwoorden": C.ERASE_ALL,
    "verwijder mijn gegevens en antwoorden": C.ERASE_ALL,
    "verwijder mijn gegevens en mijn antwoorden": C.ERASE_ALL,
    "wis mijn gegevens en antwoorden": C.ERASE_ALL,
    "wis mijn gegevens en mijn antwoorden": C.ERASE_ALL,
}

_NOTHING_TO = {
    C.SKIP: msg.NOTHING_TO_SKIP,
    C.BACK: msg.NOTHING_TO_GO_BACK_TO,
    C.PAUSE: msg.NOT_PAUSABLE,
}


def parse_command(text: str) -> Command | None:
    return COMMAND_WORDS.get(normalize(text)) or COMMAND_WORDS.get(text.strip().lower())


def refuse(ctx: TurnContext, command: Command) -> None:
    """A command the current phase does not take."""
    if command in _NOTHING_TO:
        ctx.say(_NOTHING_TO[command])
    else:
        ctx.say(msg.STILL_OPTED_OUT if ctx.here.opted_out else msg.NOT_NOW)
    ctx.reprompt()


def help_(ctx: TurnContext) -> None:
    ctx.say(msg.help_text(msg.HELP_COMMANDS))
    ctx.reprompt()


def status(ctx: TurnContext) -> None:
    if ctx.here.not_started:
        ctx.say(msg.NOT_STARTED)
        ctx.reprompt()
        return
    if ctx.here.standing is not None:
        ctx.say(ctx.here.standing)
        return
    step = ctx.dialogue.open_step(ctx.now)
    upcoming = ctx.dialogue.next_step(ctx.now)
    next_line = msg.next_step_line(upcoming.name, ctx.when(upcoming.opens)) if upcoming else None
    if step is None:
        say_nothing_open(ctx)
    else:
        given = ctx.answers.get(step.key, {})
        done = [q for q in step.questions if q.id in given and kind_of(q).complete(q, given[q.id])]
        passed = sum(
            1
            for q in step.questions
            if q.id not in given and f"{step.key}:{q.id}" in ctx.state.skipped
        )
        ctx.say(
            msg.status(
                step.name,
                ctx.when(step.closes),
                len(done),
                passed,
                len(step.questions),
                next_line,
            )
        )
        for question in step.questions:  # reacting: how far against the target
            kind = kind_of(question)
            if kind.repeats:
                value = given.get(question.id)
                count = int(value.get("given", 0)) if isinstance(value, dict) else 0
                ctx.say(msg.reactions_status(count, kind.target(question)))
    ctx.reprompt()


def back(ctx: TurnContext) -> None:
    other_option.leave(ctx)
    if ctx.state.phase is Phase.MUNICIPALITY:  # back to the role
        ctx.state = ctx.state.at(Phase.ROLE, suggestions=())
        ask_role(ctx)
        return
    step = ctx.dialogue.open_step(ctx.now)
    if step is None or (ctx.here.between_questions and not ctx.answers.get(step.key)):
        ctx.say(msg.NOTHING_TO_GO_BACK_TO)
        return
    ids = [q.id for q in step.questions]
    if ctx.here.asks_question and ctx.state.question_id in ids:
        index = ids.index(ctx.state.question_id)
        if index == 0:
            ctx.say(msg.BACK_AT_FIRST)
            ask_current_question(ctx)
            return
        target = ids[index - 1]
    else:
        target = ids[-1]
    ctx.state = ctx.state.at(Phase.ANSWERING, step_key=step.key, question_id=target)
    ask_current_question(ctx)


def skip(ctx: TurnContext) -> None:
    current = ctx.current_question()
    if current is None:
        ctx.say(msg.NOTHING_TO_SKIP)
        return
    step, question = current
    if other_option.asked(ctx, question):  # no words for "Iets anders": the choice stays
        other_option.leave(ctx)
        ctx.say(msg.SKIPPED)
        advance(ctx, step, question)
        return
    if question.required:
        ctx.say(msg.SKIP_REQUIRED)
        return
    if question.id in ctx.answers.get(step.key, {}):  # answered: skipping does not erase it
        ctx.say(msg.SKIP_KEEPS_ANSWER)
        advance(ctx, step, question)
        return
    key = f"{step.key}:{question.id}"
    if key not in ctx.state.skipped:
        ctx.state = replace(ctx.state, skipped=ctx.state.skipped + (key,))
    ctx.say(msg.SKIPPED)
    advance(ctx, step, question)


def my_answers(ctx: TurnContext) -> None:
    lines: list[str] = []
    for step in ctx.dialogue.steps:
        given = ctx.answers.get(step.key) or {}
        if not given:
            continue
        lines.append(f"**{step.name}**")
        for number, question in enumerate(step.questions, start=1):
            if question.id in given:
                value = kind_of(question).describe(question, given[question.id])
                lines.append(f"{number}. {question.text}\n   → {value}")
    ctx.say(msg.MY_ANSWERS_HEADER + "\n\n" + "\n".join(lines) if lines else msg.NO_ANSWERS)
    ctx.reprompt()


def pause(ctx: TurnContext) -> None:
    ctx.state = ctx.state.at(Phase.PAUSED)
    ctx.say(msg.PAUSED)


def start(ctx: TurnContext) -> None:
    if ctx.state.phase is Phase.CONSENT:  # "meedoen" / "start" answers "Wilt u meedoen?"
        input_consent(ctx, "ja")
    elif ctx.here.before_consent:
        greet(ctx)
    elif ctx.here.opted_out:
        opt_in(ctx)
    else:
        pick_up(ctx)


COMMANDS: Mapping[Command, Callable[[TurnContext], None]] = MappingProxyType(
    {
        C.HELP: help_,
        C.STATUS: status,
        C.BACK: back,
        C.SKIP: skip,
        C.MY_ANSWERS: my_answers,
        C.PAUSE: pause,
        C.RESUME: resume,
        C.STOP: stop,
        C.START: start,
        C.MY_DATA: my_data,
        C.CHANGE_DATA: change_data,
        C.ERASE: erase,
        C.ERASE_ALL: erase_all,
    }
)
"""What each command does where its phase takes it."""
