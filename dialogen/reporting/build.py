"""The seven-step report from anonymous facts: pure, deterministic (seeded themes and bootstrap),
every figure suppressed before it enters the model. ``progress`` is told each step as it is done
(the terminal's progress bar)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

from dialogen.analysis.priorities import Prioritisation
from dialogen.conversation.kinds import QuestionKind
from dialogen.conversation.kinds.open import shared
from dialogen.conversation.options import as_asked, sourced
from dialogen.dialogue.definition import STEP_KEYS, Dialogue, Option, Question, Step
from dialogen.facilitation.follow_up import FIRST_RANKED_ID, as_followed_up, open_question
from dialogen.participation.figures import measure
from dialogen.privacy.anonymity import K_ANONYMITY
from dialogen.reporting import messages as rmsg
from dialogen.reporting.facts import ReportFacts
from dialogen.reporting.model import Block, Report, Section
from dialogen.reporting.participation_part import (
    happened_block,
    invited_block,
    over_time_block,
    reached_block,
    representation_block,
)
from dialogen.reporting.priority_part import (
    PRIORITY_KINDS,
    prioritise,
    priority_block,
    top_labels,
)
from dialogen.reporting.question_part import (
    choice_block,
    private_open_block,
    shared_open_block,
    values_by_question,
)
from dialogen.reporting.reaction_part import ReactionOutcome, judge, reactions_block

Progress = Callable[[str], None]
PHASES = len(STEP_KEYS) + 1  # the seven steps and the route map
_CHOICE_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.SCALE})


def build_report(
    dialogue: Dialogue,
    facts: ReportFacts,
    now: datetime,
    *,
    approved: bool = False,
    k: int = K_ANONYMITY,
    progress: Progress | None = None,
) -> Report:
    tell = progress or (lambda _name: None)
    dialogue = as_reported(dialogue, facts)
    builder = _Builder(dialogue, facts, now, k)
    results = (dialogue.step("voortzetten") or dialogue.steps[-1]).results
    included = set(results.include) if results else set(STEP_KEYS)
    sections = []
    for step in dialogue.steps:
        if step.key in included:
            sections.append(builder.section(step))
        tell(step.name)
    sections.append(builder.route_map())
    tell(rmsg.ROUTE_MAP)
    introduction = tuple(p.format(k=k) for p in rmsg.INTRODUCTION)
    if not facts.answers:
        introduction += (rmsg.NO_ANSWERS_YET,)
    return Report(
        title=dialogue.title,
        subtitle=rmsg.REPORT_SUBTITLE,
        made_on=rmsg.made_on(now.astimezone(dialogue.zone).date(), approved),
        introduction=introduction,
        sections=tuple(sections),
        headlines=builder.headlines(),
        k=k,
    )


def as_reported(dialogue: Dialogue, facts: ReportFacts) -> Dialogue:
    """The dialogue as participants were asked it: the published themes as the options of
    ``options_from: themes`` questions, the confirmed follow-up questions in Verdiepen."""
    options = tuple(Option(value=t.value, label=t.label) for t in facts.themes)
    if options:
        dialogue = as_asked(dialogue, {(s.key, q.id): options for s, q in sourced(dialogue)})
    confirmed: dict[str, list[dict[str, str]]] = defaultdict(list)
    for f in facts.follow_ups:
        confirmed[f.step_key].append({"id": f.question_id, "text": f.text})
    dialogue = as_followed_up(dialogue, confirmed)
    steps = []
    for step in dialogue.steps:  # the question about one's own first choice, for everyone's answers
        if step.key in confirmed and step.follow_up and step.follow_up.first_ranked:
            first = open_question(FIRST_RANKED_ID, rmsg.FIRST_RANKED, required=False)
            step = step.model_copy(update={"questions": (*step.questions, first)})
        steps.append(step)
    return dialogue.model_copy(update={"steps": tuple(steps)})


class _Builder:
    def __init__(self, dialogue: Dialogue, facts: ReportFacts, now: datetime, k: int) -> None:
        self.dialogue, self.facts, self.now, self.k = dialogue, facts, now, k
        self.priorities: list[tuple[Question, Prioritisation | None]] = []
        self.reactions = ReactionOutcome((), ())

    def section(self, step: Step) -> Section:
        zone = self.dialogue.zone
        paragraphs = (
            step.purpose,
            rmsg.period(step.opens.astimezone(zone).date(), step.closes.astimezone(zone).date()),
        )
        facts, k = self.facts, self.k
        blocks: list[Block] = []
        if step.key == "vinden":
            blocks.append(invited_block(facts.people, k))
        elif step.key == "verzamelen":
            figures = measure(self.dialogue, self.now, facts.people, facts.starts, k=k)
            blocks.append(reached_block(figures))
        elif step.key == "voortzetten":
            blocks.append(self._next_block())
        if step.interactive:
            figures = measure(
                self.dialogue, self.now, facts.people, facts.starts, step_key=step.key, k=k
            )
            blocks.append(happened_block(step, figures))
            blocks.append(over_time_block(step, facts.answers, k))
            blocks.append(representation_block(step, facts.people, facts.starts, k))
            blocks += self._questions(step)
        return Section(step.key, step.name, paragraphs, tuple(blocks))

    def _questions(self, step: Step) -> list[Block]:
        values = values_by_question(self.facts.answers, step.key)
        groups = self._top_themes(step)
        blocks: list[Block] = []
        for question in step.questions:
            block = self._question(step, question, values.get(question.id, []))
            if block is not None:
                blocks.append(replace(block, group=groups.get(question.id, "")))
        return blocks

    def _top_themes(self, step: Step) -> dict[str, str]:
        """Question id -> the heading of the top theme a confirmed follow-up asks about: the theme
        stored with it, else (confirmed before themes were stored) its place among the templates
        applied to this report's own ranking of the follow-up's source question."""
        mine = [f for f in self.facts.follow_ups if f.step_key == step.key]
        ranked = self._source_ranking(step)
        templates = len(step.follow_up.templates) if step.follow_up else 1
        places: dict[str, int] = {}
        found = {}
        for n, f in enumerate(mine):
            theme = f.theme or (ranked[n // templates] if n // templates < len(ranked) else "")
            if theme:
                place = places.setdefault(theme, len(places) + 1)
                found[f.question_id] = rmsg.top_theme(place, theme)
        return found

    def _source_ranking(self, step: Step) -> list[str]:
        if step.follow_up is None:
            return []
        source = step.follow_up.source.split("/")[-1]
        top = step.follow_up.top
        found = [top_labels(q, r, top) for q, r in self.priorities if q.id == source]
        return found[0] if found else []

    def _question(self, step: Step, question: Question, answered: list[Any]) -> Block | None:
        if question.kind in _CHOICE_KINDS:
            return choice_block(question, answered, self.k)
        if question.kind in PRIORITY_KINDS:
            answers = [a for a in self.facts.answers if a.step_key == step.key]
            result = prioritise(question, answers, self.k)
            self.priorities.append((question, result))
            return priority_block(question, result)
        if question.kind == QuestionKind.REACTIONS:
            mine = [c for c in self.facts.contributions if c.step_key != step.key]
            self.reactions = judge(mine, self.facts.reactions, self.k)
            return reactions_block(self.reactions)
        if question.kind == QuestionKind.OPEN and shared(question):
            theirs = [
                c
                for c in self.facts.contributions
                if (c.step_key, c.question_id) == (step.key, question.id)
            ]
            return shared_open_block(question, answered, theirs, self.k, self.facts.themes)
        if question.kind == QuestionKind.OPEN:
            return private_open_block(question, answered, self.k)
        return None

    def _next_block(self) -> Block:
        step = self.dialogue.step("voortzetten")
        results = step.results if step else None
        text = results.next_steps.strip() if results else (step.purpose if step else "")
        return Block(rmsg.NEXT, tuple(p.replace("\n", " ") for p in text.split("\n\n") if p))

    def route_map(self) -> Section:
        agreed = [rmsg.headline_agreed(text) for _, text in self.reactions.agreed]
        divided = [f"“{text}”" for _, text in self.reactions.divided]
        priorities = self._top_priorities()
        blocks = (
            Block(
                rmsg.AGREED,
                (rmsg.ROUTE_PRIORITIES if priorities else rmsg.NOTHING_YET,),
                bullets=tuple(rmsg.headline_priority(n, t) for n, t in enumerate(priorities, 1))
                + tuple(agreed),
            ),
            Block(rmsg.DIVIDED, () if divided else (rmsg.NONE_DIVIDED,), bullets=tuple(divided)),
            self._next_block(),
        )
        return Section("routekaart", rmsg.ROUTE_MAP, (rmsg.ROUTE_INTRO,), blocks)

    def _top_priorities(self) -> list[str]:
        for question, result in self.priorities:
            found = top_labels(question, result)
            if found:
                return found
        return []

    def headlines(self) -> tuple[str, ...]:
        step = self.dialogue.step("voortzetten")
        count = step.results.headlines if step and step.results else 3
        lines = [rmsg.headline_priority(n, t) for n, t in enumerate(self._top_priorities(), 1)]
        lines += [rmsg.headline_agreed(t) for _, t in self.reactions.agreed[:1]]
        return tuple(lines[:count])
