"""Verdiepen from the real priorities: follow-up questions generated from the top themes of
Voorkeuren, previewed, edited and confirmed by a facilitator before the step opens (audited).

The step's ``follow_up`` in the dialogue file names the priority question (``source``), how many
top themes (``top``) and the templates (``{thema}`` becomes the theme's label). Generation reads
the aggregate the facilitators see (:func:`dialogen.facilitation.priority_results.priority_results`,
everyone's rank order). Once confirmed, the step asks the generated questions *instead of* the
file's (which are the fallback until then): :func:`as_followed_up` gives the dialogue as asked,
the way ``options_from: themes`` does for options. With ``first_ranked``, each participant who
ranked themes is also asked about the theme they put first (question ``eerste-keuze``), read from
their own answer in the same turn — nothing about it is stored beside their answers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dialogen.contracts import Clock
from dialogen.dialogue.definition import Dialogue, FollowUp, Question, Step
from dialogen.facilitation import theme_messages as tmsg
from dialogen.facilitation.priority_results import priority_results
from dialogen.facilitation.themes import published_options
from dialogen.privacy.pseudonyms import Pseudonyms
from dialogen.store import audit, recipients
from dialogen.store import follow_ups as store
from dialogen.store.database import Database

log = logging.getLogger(__name__)

Session = Any
FIRST_RANKED_ID = "eerste-keuze"
MAX_TEXT = 1000


@dataclass(frozen=True)
class FollowUpDraft:
    step: str
    questions: tuple[tuple[str, str], ...]  # (id, text)
    confirmed: bool

    @property
    def text(self) -> str:
        title = tmsg.FOLLOW_UP_TITLE if not self.confirmed else tmsg.FOLLOW_UP_TITLE.split(" (")[0]
        lines = [f"**{title}**"]
        lines += [f"{n}. {text}" for n, (_, text) in enumerate(self.questions, start=1)]
        if not self.confirmed:
            lines.append(
                "Wijzig met 'vervolgvraag <nr> <tekst>'; stel vast met 'vervolgvragen bevestig'."
            )
        return "\n".join(lines)


def follow_up_step(dialogue: Dialogue) -> Step | None:
    return next((s for s in dialogue.steps if s.follow_up is not None), None)


def generate(rule: FollowUp, top_labels: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """Pure: one question per template per top theme, numbered ``vervolg-1``, ``vervolg-2``..."""
    return tuple((qid, text) for qid, text, _ in themed(rule, top_labels))


def themed(rule: FollowUp, top_labels: Sequence[str]) -> tuple[tuple[str, str, str], ...]:
    """:func:`generate` with the top theme each question asks about (the report groups by it)."""
    pairs = [(t.replace("{thema}", label), label) for label in top_labels for t in rule.templates]
    return tuple((f"vervolg-{n}", text, label) for n, (text, label) in enumerate(pairs, start=1))


def open_question(qid: str, text: str, *, required: bool) -> Question:
    """A follow-up question as asked: open, private to the facilitators."""
    return Question.model_validate(
        {
            "id": qid,
            "kind": "open",
            "text": text,
            "required": required,
            "min_length": 5,
            "max_length": 1500,
        }
    )


def as_followed_up(
    dialogue: Dialogue,
    confirmed: Mapping[str, Sequence[Mapping[str, Any]]],
    *,
    first_choice: str | None = None,
) -> Dialogue:
    """``dialogue`` with each step's confirmed follow-up questions in place of the file's; plus
    the question about ``first_choice`` (the label of the theme this participant ranked first)
    when the step's ``first_ranked`` asks for it."""
    if not confirmed:
        return dialogue
    steps = []
    for step in dialogue.steps:
        found = confirmed.get(step.key)
        if not found or step.follow_up is None:
            steps.append(step)
            continue
        questions = [
            open_question(str(q["id"]), str(q["text"]), required=n == 0)
            for n, q in enumerate(found)
        ]
        if step.follow_up.first_ranked and first_choice:
            text = step.follow_up.first_ranked.replace("{thema}", first_choice)
            questions.append(open_question(FIRST_RANKED_ID, text[:MAX_TEXT], required=False))
        steps.append(step.model_copy(update={"questions": tuple(questions)}))
    return dialogue.model_copy(update={"steps": tuple(steps)})


def first_choice_of(
    dialogue: Dialogue, answers: Mapping[str, Mapping[str, Any]], options: Mapping[Any, Any]
) -> str | None:
    """The label of the theme this participant put first in the follow-up's source ranking."""
    step = follow_up_step(dialogue)
    if step is None or step.follow_up is None or not step.follow_up.first_ranked:
        return None
    source_step, source_question = step.follow_up.source.split("/")
    value = answers.get(source_step, {}).get(source_question)
    if not isinstance(value, list) or not value:
        return None
    asked = options.get((source_step, source_question))
    if asked is None:
        found = dialogue.step(source_step)
        question = (
            next((q for q in found.questions if q.id == source_question), None) if found else None
        )
        asked = question.options if question else ()
    return next((o.label for o in asked if o.value == value[0]), None)


def questions_as_asked(
    session: Session, dialogue: Dialogue, answers: Mapping[str, Any]
) -> Dialogue:
    """For the door (inside its unit of work): the dialogue with the confirmed follow-ups."""
    confirmed = store.confirmed(session, dialogue_key=dialogue.key)
    if not confirmed:
        return dialogue
    options = published_options(session, dialogue)
    return as_followed_up(
        dialogue, confirmed, first_choice=first_choice_of(dialogue, answers, options)
    )


def asked_steps(
    session: Session, dialogue: Dialogue, step: Step, *, pseudonyms: Pseudonyms
) -> Callable[[str], Step]:
    """For broadcasts (inside their unit of work): participant id -> ``step`` as that participant
    is asked it — with Verdiepen's confirmed follow-ups (and their first-ranked question) in place
    of the file's, so a step prompt, reminder or thank-you counts what they really get."""
    confirmed = store.confirmed(session, dialogue_key=dialogue.key)
    if step.key not in confirmed or step.follow_up is None:
        return lambda _participant_id: step
    plain = as_followed_up(dialogue, confirmed).step(step.key) or step
    if not step.follow_up.first_ranked:
        return lambda _participant_id: plain
    source_step = step.follow_up.source.split("/")[0]
    ranked = recipients.step_values(session, dialogue_key=dialogue.key, step_key=source_step)
    options = published_options(session, dialogue)
    by_choice: dict[str, Step] = {}

    def asked(participant_id: str) -> Step:
        given = {source_step: ranked.get(pseudonyms.of(participant_id), {})}
        choice = first_choice_of(dialogue, given, options)
        if choice is None:
            return plain
        if choice not in by_choice:
            found = as_followed_up(dialogue, confirmed, first_choice=choice).step(step.key)
            by_choice[choice] = found or plain
        return by_choice[choice]

    return asked


class FollowUps:
    """``vervolgvragen``: preview (a draft from the current priorities), edit, confirm."""

    def __init__(self, *, database: Database, dialogue: Dialogue, clock: Clock) -> None:
        self.database = database
        self.dialogue = dialogue
        self.clock = clock

    def preview(self, *, actor: str) -> FollowUpDraft | str:
        step = follow_up_step(self.dialogue)
        if step is None or step.follow_up is None:
            return tmsg.NO_FOLLOW_UP
        now = self.clock()
        with self.database.unit_of_work() as session:
            row = store.get(session, dialogue_key=self.dialogue.key, step_key=step.key)
            if row is None:
                if now >= step.opens:
                    return tmsg.follow_up_locked(step.name)
                drafted = self._draft(session, step, step.follow_up)
                if drafted is None:
                    return tmsg.FOLLOW_UP_NOT_READY
                store.save(
                    session,
                    dialogue_key=self.dialogue.key,
                    step_key=step.key,
                    questions=[{"id": i, "text": t, "theme": theme} for i, t, theme in drafted],
                    now=now,
                    confirmed=False,
                )
                questions, confirmed = tuple((i, t) for i, t, _ in drafted), False
            else:
                questions = tuple((str(q["id"]), str(q["text"])) for q in row.questions)
                confirmed = row.confirmed_at is not None
            audit.record(
                session,
                at=now,
                actor=actor,
                action="follow_up_preview",
                target=step.key,
                count=len(questions),
            )
        return FollowUpDraft(step.name, questions, confirmed)

    def edit(self, *, actor: str, number: int, text: str) -> FollowUpDraft | str:
        return self._change(actor, "follow_up_edited", number=number, text=" ".join(text.split()))

    def confirm(self, *, actor: str) -> FollowUpDraft | str:
        return self._change(actor, "follow_up_confirmed")

    def _change(
        self, actor: str, action: str, *, number: int = 0, text: str = ""
    ) -> FollowUpDraft | str:
        step = follow_up_step(self.dialogue)
        if step is None:
            return tmsg.NO_FOLLOW_UP
        now = self.clock()
        if now >= step.opens:
            log.info("follow-up change refused: step open")
            return tmsg.follow_up_locked(step.name)
        with self.database.unit_of_work() as session:
            row = store.get(session, dialogue_key=self.dialogue.key, step_key=step.key)
            if row is None:
                return tmsg.FOLLOW_UP_NOT_READY
            questions = [dict(q) for q in row.questions]
            if action == "follow_up_edited":
                if not 1 <= number <= len(questions):
                    return tmsg.follow_up_unknown(str(number), len(questions))
                if not 5 <= len(text) <= MAX_TEXT:
                    return tmsg.LABEL_INVALID.replace("naam", "vraag").replace("200", "1000")
                questions[number - 1]["text"] = text
            store.save(
                session,
                dialogue_key=self.dialogue.key,
                step_key=step.key,
                questions=questions,
                now=now,
                confirmed=action == "follow_up_confirmed",
            )
            audit.record(session, at=now, actor=actor, action=action, target=step.key, count=number)
        return FollowUpDraft(
            step.name,
            tuple((str(q["id"]), str(q["text"])) for q in questions),
            action == "follow_up_confirmed",
        )

    def _draft(
        self, session: Session, step: Step, rule: FollowUp
    ) -> tuple[tuple[str, str, str], ...] | None:
        source_step, source_question = rule.source.split("/")
        found = next(
            (
                r
                for r in priority_results(session, self.dialogue)
                if (r.step.key, r.question.id) == (source_step, source_question)
            ),
            None,
        )
        if found is None:
            return None
        ranked = [s.theme for s in found.result.everyone.themes if s.rank is not None]
        if not ranked:
            return None
        labels = [found.labels.get(t, t) for t in ranked[: rule.top]]
        return themed(rule, labels)
