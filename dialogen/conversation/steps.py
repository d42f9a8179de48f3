"""Steps and questions in a chat: opening the open step, asking, answering, moving on, and
picking up where a participant was. Plain functions over a :class:`TurnContext`."""

from __future__ import annotations

from dataclasses import replace

from dialogen.conversation import messages as msg
from dialogen.conversation import other_option, repeating
from dialogen.conversation.context import TurnContext
from dialogen.conversation.kinds import Raw, Rejection, kind_of
from dialogen.conversation.prompts import question_prompt
from dialogen.conversation.state import AnswerChange, Phase
from dialogen.dialogue.definition import Question, Step


def ask_current_question(ctx: TurnContext) -> None:
    current = ctx.current_question()
    if current is None:
        ctx.state = ctx.state.at(Phase.IDLE, step_key=None, question_id=None)
        go_to_open_step(ctx)
        return
    step, question = current
    if kind_of(question).repeats:  # asked once per offered item (reactions)
        if not repeating.ask(ctx, step, question):
            advance(ctx, step, question)
        return
    if other_option.asked(ctx, question):
        other_option.ask_again(ctx, step, question)
        if other_option.asked(ctx, question):
            return
    ctx.add(question_prompt(step, question, ctx.answers.get(step.key, {}).get(question.id)))


def go_to_open_step(ctx: TurnContext) -> None:
    """Start (or continue) the open step, or say when the next one opens."""
    step = ctx.dialogue.open_step(ctx.now)
    if step is None:
        ctx.state = ctx.state.at(Phase.IDLE, step_key=None, question_id=None)
        say_nothing_open(ctx)
        return
    question = next_question(ctx, step)
    if question is None:
        ctx.state = ctx.state.at(Phase.IDLE, step_key=step.key, question_id=None)
        say_step_complete(ctx, step)
        return
    if not ctx.answers.get(step.key) and not skipped_in(ctx, step):
        ctx.event = f"step_start:{step.key}"
        ctx.say(
            msg.step_intro(
                step.name, step.purpose, step.intro, ctx.when(step.closes), len(step.questions)
            )
        )
        outcome = ctx.turn.summaries.get(step.key)
        if outcome:  # what an earlier step produced (Verrijken opens with Verkennen's outcome)
            ctx.say(outcome)
    ctx.state = ctx.state.at(Phase.ANSWERING, step_key=step.key, question_id=question.id)
    ask_current_question(ctx)


def say_nothing_open(ctx: TurnContext) -> None:
    upcoming = ctx.dialogue.next_step(ctx.now)
    ctx.say(
        msg.nothing_open(
            upcoming.name if upcoming else None, ctx.when(upcoming.opens) if upcoming else None
        )
    )


def say_step_complete(ctx: TurnContext, step: Step) -> None:
    upcoming = ctx.dialogue.next_step(ctx.now)
    ctx.say(
        msg.step_complete(
            step.name,
            upcoming.name if upcoming else None,
            ctx.when(upcoming.opens) if upcoming else None,
        )
    )


def skipped_in(ctx: TurnContext, step: Step) -> set[str]:
    prefix = f"{step.key}:"
    return {s.removeprefix(prefix) for s in ctx.state.skipped if s.startswith(prefix)}


def next_question(ctx: TurnContext, step: Step, after: str | None = None) -> Question | None:
    """The first question after ``after`` (wrapping round) not answered or skipped yet."""
    given = ctx.answers.get(step.key, {})
    done = {q.id for q in step.questions if q.id in given and kind_of(q).complete(q, given[q.id])}
    done |= skipped_in(ctx, step)
    ids = [q.id for q in step.questions]
    start = ids.index(after) + 1 if after in ids else 0
    for question in step.questions[start:] + step.questions[:start]:
        if question.id not in done:
            return question
    return None


def input_answer(ctx: TurnContext, raw: Raw) -> None:
    """An answer to the question asked: stored and on to the next, or rejected with a hint."""
    current = ctx.current_question()
    if current is None:
        ask_current_question(ctx)
        return
    step, question = current
    kind = kind_of(question)
    if other_option.asked(ctx, question):  # the words for "Iets anders"
        if other_option.answer(ctx, step, question, raw):
            advance(ctx, step, question)
        return
    if kind.repeats:  # an answer about the current item (reactions)
        if repeating.answer(ctx, step, question, raw):
            advance(ctx, step, question)
        return
    value = kind.interpret(question, raw)
    if isinstance(value, Rejection):
        ctx.event = "answer_rejected"
        ctx.say(value.text)
        if kind.reasks_after_rejection:
            ask_current_question(ctx)
        return
    ctx.event = "answer"
    changed = question.id in ctx.answers.get(step.key, {})
    ctx.answers.setdefault(step.key, {})[question.id] = value
    ctx.changes.append(AnswerChange(step.key, question.id, value))
    skipped = tuple(s for s in ctx.state.skipped if s != f"{step.key}:{question.id}")
    ctx.state = replace(ctx.state, skipped=skipped)
    if changed or step.key in ctx.state.completed_steps:  # a change, not the next question
        ctx.say(msg.ANSWER_SAVED)
    other = other_option.picked_other(question, value)
    if other is not None:
        other_option.ask(ctx, step, question, other)
        return
    advance(ctx, step, question)


def advance(ctx: TurnContext, step: Step, question: Question) -> None:
    """After ``question``: the next open question, or the step is complete."""
    following = next_question(ctx, step, after=question.id)
    if following is not None:
        ctx.state = ctx.state.at(Phase.ANSWERING, question_id=following.id)
        ask_current_question(ctx)
        return
    ctx.state = ctx.state.at(Phase.IDLE, question_id=None)
    if step.key not in ctx.state.completed_steps:
        complete_step(ctx, step)
        say_step_complete(ctx, step)


def complete_step(ctx: TurnContext, step: Step) -> None:
    ctx.event = f"step_complete:{step.key}"
    ctx.state = replace(ctx.state, completed_steps=ctx.state.completed_steps + (step.key,))


def input_idle(ctx: TurnContext, _raw: Raw) -> None:
    step = ctx.dialogue.open_step(ctx.now)
    if step is not None and next_question(ctx, step) is not None:
        go_to_open_step(ctx)
    else:
        ctx.say(msg.NOT_UNDERSTOOD_IDLE)


def input_paused(ctx: TurnContext, _raw: Raw) -> None:
    resume(ctx)


def resume(ctx: TurnContext) -> None:
    """'verder': back from a pause, then on where the participant was."""
    if ctx.state.phase is Phase.PAUSED:
        ctx.say(msg.RESUMED)
        ctx.state = ctx.state.at(Phase.ANSWERING)
    pick_up(ctx)


def pick_up(ctx: TurnContext) -> None:
    """Between questions: the open step; otherwise ask again what is pending."""
    if ctx.here.between_questions:
        ctx.state = ctx.state.at(Phase.IDLE)
        go_to_open_step(ctx)
    else:
        ctx.reprompt()


def step_closed_under_participant(ctx: TurnContext) -> bool:
    """A participant mid-step when the step closed: say so, then move on."""
    if not ctx.here.in_step or not ctx.state.step_key:
        return False
    step = ctx.current_step()
    if step is not None and step.is_open(ctx.now):
        return False
    ctx.event = "step_closed"
    if step is not None:
        ctx.say(msg.step_closed(step.name, ctx.when(step.closes)))
    ctx.state = ctx.state.at(Phase.IDLE, step_key=None, question_id=None, resume_phase=None)
    go_to_open_step(ctx)
    return True
