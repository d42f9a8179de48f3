"""Reacting by mail: a reply to a mail that listed a numbered batch of items (contributions), each
line answering one — "1 eens", "2 oneens: omdat …", "3 pas", "4 melden"; "klaar" stops.

Pure, like :mod:`.step_answers`: the engine hands in the step, the repeating question, the items
the mail listed (the door remembered them) and the reply; this module reads every line with the
question's kind and says what was recorded, what not and why. Lines that are not understood are
reported with a hint and store nothing; the ones that are, are stored whole.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dialogen.conversation import messages as msg
from dialogen.conversation.inputs import Answers
from dialogen.conversation.kinds import Rejection, kind_of
from dialogen.conversation.kinds.reactions import parse_mail_line
from dialogen.conversation.matching import normalize
from dialogen.conversation.offers import ItemChange, Offers
from dialogen.conversation.replies import Receipt
from dialogen.conversation.state import AnswerChange
from dialogen.dialogue.definition import Question, Step

EXCERPT = 80


@dataclass(frozen=True)
class BatchAnswers:
    items: tuple[ItemChange, ...]
    progress: AnswerChange
    receipt: Receipt


def batch_question(step: Step, given: Mapping[str, Any]) -> Question | None:
    """The repeating question a mail about ``step`` asks item by item now, if any: the first one
    the participant has not completed."""
    for question in step.questions:
        kind = kind_of(question)
        if kind.repeats and not (
            question.id in given and kind.complete(question, given[question.id])
        ):
            return question
    return None


def answer_batch(
    step: Step, question: Question, offers: Offers, message: Answers, *, closes: str
) -> BatchAnswers:
    kind = kind_of(question)
    items = offers.items
    stop_words = kind.stop_words(question)
    changes: list[ItemChange] = []
    recorded: list[tuple[int, str, str]] = []
    problems: list[tuple[int, str]] = []
    stopped = False
    seen: set[int] = set()
    for line in (message.text or message.unplaced).splitlines():
        if not line.strip():
            continue
        if normalize(line) in stop_words:
            stopped = True
            continue
        found = parse_mail_line(line)
        if found is None:
            problems.append((0, msg.REACTION_MAIL_NUMBER_MISSING))
            continue
        number, rest = found
        if not 1 <= number <= len(items):
            problems.append((number, msg.reaction_mail_unknown_number(number, len(items))))
            continue
        if number in seen:
            problems.append((number, msg.reaction_mail_twice(number)))
            continue
        seen.add(number)
        item = items[number - 1]
        if not item.text:
            problems.append((number, msg.reaction_mail_gone(number)))
            continue
        value = kind.interpret_item(question, rest)
        if isinstance(value, Rejection):
            problems.append((number, msg.reaction_mail_not_understood(number)))
            continue
        changes.append(ItemChange(step.key, question.id, item.item_id, value))
        recorded.append((number, _excerpt(item.text), kind.shown(question, value)))
    counted = sum(1 for c in changes if kind.counts(question, c.value))
    progress = AnswerChange(
        step.key,
        question.id,
        kind.progress_value(question, offers.given + counted, stopped=stopped),
    )
    if not changes and not problems and not stopped:
        problems.append((0, msg.REACTION_MAIL_NOTHING))
    receipt = Receipt(
        step.key,
        step.name,
        closes,
        recorded=tuple(recorded),
        problems=tuple(problems),
        batch=True,
    )
    return BatchAnswers(tuple(changes), progress, receipt)


def _excerpt(text: str) -> str:
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= EXCERPT else one_line[: EXCERPT - 1].rstrip() + "…"
