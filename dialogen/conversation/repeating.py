"""Questions asked once per item — the reactions question of Verrijken asks about one contribution
after another. Plain functions over a :class:`TurnContext`, used by :mod:`.steps` for a kind
whose ``repeats`` is set.

The door offers the items (``Turn.offers``); each answered item becomes an ``ItemChange`` in the
decision; the question's own stored answer is the participant's progress (``Kind.progress_value``),
so ``status``, nudges and a later visit know how far they are. The question is complete once the
participant reached the kind's target, said they stop (``klaar``), or nothing is left to offer —
until then each answer is followed by the next item. Both functions return whether the question is
finished, so the caller moves on (they never move on themselves: ``steps`` owns that).
"""

from __future__ import annotations

from dialogen.conversation import messages as msg
from dialogen.conversation.context import TurnContext, first_input
from dialogen.conversation.kinds import Raw, Rejection, kind_of
from dialogen.conversation.matching import normalize
from dialogen.conversation.offers import ItemChange
from dialogen.conversation.prompts import question_input_id
from dialogen.conversation.state import AnswerChange
from dialogen.dialogue.definition import Question, Step


def ask(ctx: TurnContext, step: Step, question: Question) -> bool:
    """Ask about the next offered item; False (and the progress stored) when none is left."""
    kind = kind_of(question)
    item = ctx.current_offer(step, question)
    if item is None:
        ctx.say(msg.REACTION_NONE_LEFT)
        _store_progress(ctx, step, question, stopped=True)
        return False
    ctx.add(
        kind.item_prompt(
            question,
            item,
            input_id=question_input_id(step.key, question.id),
            progress="",
            given=ctx.given(step, question),
        )
    )
    return True


def answer(ctx: TurnContext, step: Step, question: Question, raw: Raw) -> bool:
    """One answer about the current item (then the next item); True when the question is done."""
    kind = kind_of(question)
    if normalize(first_input(raw)) in kind.stop_words(question):
        ctx.event = "items:stopped"
        ctx.say(msg.REACTION_STOPPED)
        _store_progress(ctx, step, question, stopped=True)
        return True
    gone = ctx.shown_gone(step, question)
    if gone is not None and ctx.submitted_item in (None, gone):
        ctx.event = "submit:gone_item"  # what they saw was hidden since: not about the next one
        ctx.say(msg.REACTION_GONE)
        return not ask(ctx, step, question)
    item = ctx.current_offer(step, question)
    if item is None:
        return not ask(ctx, step, question)
    if ctx.submitted_item is not None and ctx.submitted_item != item.item_id:
        ctx.event = "submit:stale_item"  # a card about an item that is no longer current
        ctx.say(msg.REACTION_STALE)
        return not ask(ctx, step, question)
    value = kind.interpret_item(question, raw)
    if isinstance(value, Rejection):
        ctx.event = "item_rejected"
        ctx.say(value.text)
        return not ask(ctx, step, question)
    ctx.event = "item"
    before = ctx.given(step, question)
    ctx.items.append(ItemChange(step.key, question.id, item.item_id, value))
    ctx.use_offer(step, question)
    now = ctx.given(step, question)
    target = kind.target(question)
    if now == before:  # a report, not a reaction
        ctx.say(msg.REACTION_REPORTED)
    _store_progress(ctx, step, question, stopped=False)
    if before < target <= now:
        ctx.say(msg.reaction_target_reached(target))
    return not ask(ctx, step, question)


def _store_progress(ctx: TurnContext, step: Step, question: Question, *, stopped: bool) -> None:
    value = kind_of(question).progress_value(question, ctx.given(step, question), stopped=stopped)
    ctx.answers.setdefault(step.key, {})[question.id] = value
    ctx.changes = [c for c in ctx.changes if (c.step_key, c.question_id) != (step.key, question.id)]
    ctx.changes.append(AnswerChange(step.key, question.id, value))
