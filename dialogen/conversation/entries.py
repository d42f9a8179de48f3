"""Ways into a conversation other than typing in it: opening (installing) the bot, the 'Begin' /
'Verder' buttons on step prompts and nudges, and a mail reply that answers a whole step at once.
Plain functions over a :class:`TurnContext`."""

from __future__ import annotations

from dataclasses import replace

from dialogen.conversation import messages as msg
from dialogen.conversation.batch_answers import answer_batch, batch_question
from dialogen.conversation.context import TurnContext
from dialogen.conversation.inputs import Answers, Install
from dialogen.conversation.joining import invite, joins_by_answering
from dialogen.conversation.profile import ask_consent, greet
from dialogen.conversation.prompts import BEGIN_INPUT, RESUME_INPUT
from dialogen.conversation.state import Phase
from dialogen.conversation.step_answers import answer_step
from dialogen.conversation.steps import complete_step, pick_up, resume
from dialogen.dialogue.definition import Question, Step

__all__ = ["BEGIN_INPUT", "RESUME_INPUT", "answer_by_mail", "enter_from_card", "install"]


def install(ctx: TurnContext, message: Install) -> None:
    """The participant opened or installed the bot, or is invited by mail."""
    if message.invitation and ctx.here.not_started:
        invite(ctx)
    elif ctx.here.not_started:  # e.g. invited by mail, now opening Teams: show the privacy text
        greet(ctx)
    elif ctx.here.opted_out:
        ctx.say(msg.STILL_OPTED_OUT)
    else:
        ctx.say(msg.WELCOME_BACK)
        pick_up(ctx)


def enter_from_card(ctx: TurnContext, step_key: str) -> None:
    """'Begin' or 'Verder' on a step prompt or nudge: start or continue the open step from here."""
    if ctx.here.opted_out:
        ctx.say(msg.STILL_OPTED_OUT)
        return
    step = ctx.dialogue.step(step_key)
    if step is not None and ctx.now >= step.closes:
        ctx.say(msg.step_closed(step.name, ctx.when(step.closes)))
    if ctx.state.phase is Phase.CONSENT:  # consent is given on the privacy card only
        ask_consent(ctx)
    elif ctx.here.before_consent:
        greet(ctx)
    else:
        resume(ctx)


def answer_by_mail(ctx: TurnContext, message: Answers) -> None:
    """Several answers of one step at once (a mail reply); see :mod:`.step_answers`."""
    here = ctx.here
    ctx.event = "answers:not_now"
    if here.opted_out:
        ctx.say(msg.STILL_OPTED_OUT)
        return
    if here.before_consent and joins_by_answering(ctx, message):
        here = ctx.here  # consent given by answering the invitation: the answers follow
    elif here.before_consent:
        ctx.say(msg.ANSWERS_BEFORE_CONSENT)
        greet(ctx)
        return
    if here.in_profile:
        ctx.say(msg.ANSWERS_BEFORE_PROFILE)
        ctx.reprompt()
        return
    step = ctx.dialogue.step(message.step_key)
    if step is None or not step.interactive:
        ctx.say(msg.ANSWERS_UNKNOWN_STEP)
        return
    if ctx.now < step.opens:
        ctx.say(msg.step_not_open_yet(step.name, ctx.when(step.opens)))
        return
    closed = ctx.now >= step.closes
    repeating = batch_question(step, ctx.answers.get(step.key, {}))
    offered = ctx.turn.offers.get((step.key, repeating.id)) if repeating else None
    if repeating is not None and offered is not None and offered.items and not closed:
        _answer_batch_by_mail(ctx, step, repeating, message)
        return
    result = answer_step(
        step,
        ctx.answers.get(step.key, {}),
        ctx.state.skipped,
        message,
        closes=ctx.when(step.closes),
        closed=closed,
    )
    ctx.add(result.receipt)
    if closed:
        ctx.event = "answers:closed"
        if ctx.state.step_key == step.key and here.in_step:
            ctx.state = ctx.state.at(Phase.IDLE, step_key=None, question_id=None)
        return
    ctx.event = "answers"
    for change in result.changes:
        ctx.answers.setdefault(step.key, {})[change.question_id] = change.value
    ctx.changes.extend(result.changes)
    ctx.state = replace(ctx.state, skipped=result.skipped)
    if result.first_open is not None:  # a chat goes on at the first unanswered question
        after = Phase.PAUSED if ctx.state.phase is Phase.PAUSED else Phase.ANSWERING
        ctx.state = ctx.state.at(
            after, step_key=step.key, question_id=result.first_open.id, resume_phase=None
        )
        return
    ctx.state = ctx.state.at(Phase.IDLE, step_key=step.key, question_id=None, resume_phase=None)
    if step.key not in ctx.state.completed_steps:
        complete_step(ctx, step)


def _answer_batch_by_mail(
    ctx: TurnContext, step: Step, question: Question, message: Answers
) -> None:
    """A reply to a mail that listed a batch of items (contributions to react to)."""
    offered = ctx.turn.offers[(step.key, question.id)]
    result = answer_batch(step, question, offered, message, closes=ctx.when(step.closes))
    ctx.event = "answers:items"
    ctx.add(result.receipt)
    ctx.items.extend(result.items)
    ctx.answers.setdefault(step.key, {})[question.id] = result.progress.value
    ctx.changes.append(result.progress)
    if not ctx.here.in_step:
        ctx.state = ctx.state.at(Phase.IDLE, step_key=step.key, question_id=None)
