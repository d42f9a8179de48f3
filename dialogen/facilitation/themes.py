"""Theme curation: compute themes from the contributions, let facilitators curate them, publish
the list Voorkeuren asks about — each action audited, none after Voorkeuren opened.

The curated list is always the stored computation plus the stored decisions replayed
(:func:`dialogen.facilitation.theme_decisions.curate`); recomputing keeps the decisions. The
published list is what the door supplies to ``options_from: themes`` questions
(:func:`published_options`). Callers (Teams, mail, CLI) check facilitator rights before calling
:class:`ThemeCuration`; the facilitation commands do (``Facilitation.run``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from dialogen.analysis.theme_matching import carry_keys
from dialogen.analysis.themes import ThemeSet, find_themes
from dialogen.contracts import Clock
from dialogen.contributions.moderation import VISIBLE
from dialogen.conversation import messages as msg
from dialogen.conversation.options import MAX_OPTIONS, OptionLists, sourced
from dialogen.dialogue.definition import Dialogue, Option, Step
from dialogen.facilitation import theme_messages as tmsg
from dialogen.facilitation.theme_decisions import (
    Curated,
    CuratedTheme,
    Decision,
    curate,
    decisions_of,
    theme_set_from_json,
    theme_set_to_json,
)
from dialogen.privacy.anonymity import K_ANONYMITY
from dialogen.store import audit
from dialogen.store import contributions as contribution_store
from dialogen.store import themes as store
from dialogen.store.database import Database

log = logging.getLogger(__name__)

Session = Any
CODE_LENGTH = 8  # a contribution's code: the start of its id, as the moderation desk shows it


@dataclass(frozen=True)
class ThemeView:
    """The curated themes as a facilitator sees them: texts of the representative contributions
    (masked, as participants read them), codes, and whether the list is published."""

    curated: Curated
    texts: dict[str, str]  # contribution id -> masked text
    published_on: str | None

    def code(self, contribution: str) -> str:
        return contribution[:CODE_LENGTH]


@dataclass(frozen=True)
class CurationResult:
    text: str
    done: bool
    view: ThemeView | None = None


def published_options(session: Session, dialogue: Dialogue) -> OptionLists:
    """What the door supplies as ``Turn.options``: the published themes for every question with
    ``options_from: themes`` (nothing when nothing is published: the file's fallback stays)."""
    questions = sourced(dialogue)
    if not questions:
        return {}
    found = store.published_options(session, dialogue_key=dialogue.key)
    if not found:
        return {}
    options = tuple(Option(value=value, label=label) for value, label in found)
    return {(step.key, question.id): options for step, question in questions}


def voorkeuren_step(dialogue: Dialogue) -> Step | None:
    """The first step that asks about the themes (``options_from: themes``)."""
    questions = sourced(dialogue)
    return questions[0][0] if questions else None


class ThemeCuration:
    def __init__(self, *, database: Database, dialogue: Dialogue, clock: Clock) -> None:
        self.database = database
        self.dialogue = dialogue
        self.clock = clock

    # ------------------------------------------------------------ reading

    def view(self, *, actor: str) -> ThemeView | None:
        with self.database.unit_of_work() as session:
            found = self._curated(session)
            audit.record(
                session,
                at=self.clock(),
                actor=actor,
                action="themes_list",
                count=len(found.themes) if found else 0,
            )
            return self._view(session, found) if found else None

    def current(self) -> Curated | None:
        with self.database.unit_of_work() as session:
            return self._curated(session)

    # ------------------------------------------------------------ compute

    def compute(self, *, actor: str, seed: int = 0) -> CurationResult:
        now = self.clock()
        locked = self._locked(now)
        if locked:
            return self._refused(actor, "compute", locked)
        with self.database.unit_of_work() as session:
            rows = contribution_store.by_state(
                session, dialogue_key=self.dialogue.key, states=(VISIBLE,)
            )
            items = sorted((row.id, row.text) for row in rows)
            fresh = find_themes(items, seed=seed)
            previous = store.computation(session, dialogue_key=self.dialogue.key)
            if previous is not None:
                fresh = carry_keys(theme_set_from_json(previous.computed), fresh)
            store.save_computation(
                session,
                dialogue_key=self.dialogue.key,
                computed=theme_set_to_json(fresh),
                contributions=len(items),
                now=now,
            )
            decided = self._decisions(session)
            curated = curate(fresh, decided)
            audit.record(
                session,
                at=now,
                actor=actor,
                action="themes_computed",
                count=len(curated.themes),
                details={"contributions": len(items), "skipped": len(curated.skipped)},
            )
            if not fresh.themes:
                return CurationResult(tmsg.NO_CONTRIBUTIONS, False)
            text = tmsg.computed(
                len(curated.themes),
                len(items),
                len(decided) - len(curated.skipped),
                len(curated.skipped),
            )
            return CurationResult(text, True, self._view(session, curated))

    # ------------------------------------------------------------ decisions

    def rename(self, *, actor: str, theme: str, label: str) -> CurationResult:
        label = " ".join(label.split())
        if not 1 <= len(label) <= 200:
            return CurationResult(tmsg.LABEL_INVALID, False)
        return self._decide(
            actor,
            "rename",
            (theme,),
            lambda found, _: (
                {"key": found[0].key, "label": label},
                tmsg.renamed(found[0].label, label),
            ),
        )

    def merge(self, *, actor: str, source: str, target: str) -> CurationResult:
        def make(found: list[CuratedTheme], _: Curated) -> tuple[dict[str, Any], str] | str:
            if found[0].key == found[1].key:
                return tmsg.MERGE_SAME
            return (
                {"source": found[0].key, "target": found[1].key},
                tmsg.merged(found[0].label, found[1].label),
            )

        return self._decide(actor, "merge", (source, target), make)

    def split(self, *, actor: str, theme: str, codes: Sequence[str], label: str) -> CurationResult:
        label = " ".join(label.split())
        if not 1 <= len(label) <= 200:
            return CurationResult(tmsg.LABEL_INVALID, False)

        def make(found: list[CuratedTheme], curated: Curated) -> tuple[dict[str, Any], str] | str:
            members: list[str] = []
            for code in codes:
                match = [m for m in found[0].members if m.startswith(code.lower())]
                if len(match) != 1:
                    return (
                        tmsg.ambiguous_contribution(code)
                        if match
                        else tmsg.unknown_contribution(code)
                    )
                members.append(match[0])
            if set(members) >= set(found[0].members):
                return tmsg.SPLIT_ALL
            number = 2
            while any(t.key == f"{found[0].key}~s{number}" for t in curated.themes):
                number += 1
            new_key = f"{found[0].key}~s{number}"
            return (
                {"key": found[0].key, "new_key": new_key, "label": label, "members": members},
                tmsg.split(len(set(members)), label),
            )

        return self._decide(actor, "split", (theme,), make)

    def move(self, *, actor: str, code: str, target: str) -> CurationResult:
        def make(found: list[CuratedTheme], curated: Curated) -> tuple[dict[str, Any], str] | str:
            everyone = [m for t in curated.themes for m in t.members] + list(curated.overig)
            match = sorted({m for m in everyone if m.startswith(code.lower())})
            if len(match) != 1:
                return (
                    tmsg.ambiguous_contribution(code) if match else tmsg.unknown_contribution(code)
                )
            return (
                {"contribution": match[0], "target": found[0].key},
                tmsg.moved(code, found[0].label),
            )

        return self._decide(actor, "move", (target,), make)

    def order(self, *, actor: str, themes: Sequence[str]) -> CurationResult:
        def make(found: list[CuratedTheme], _: Curated) -> tuple[dict[str, Any], str] | str:
            keys = [t.key for t in found]
            if len(set(keys)) != len(keys):
                return tmsg.ORDER_REPEATS
            return {"keys": keys}, tmsg.ORDERED

        return self._decide(actor, "order", tuple(themes), make)

    def drop(self, *, actor: str, theme: str) -> CurationResult:
        return self._decide(
            actor,
            "drop",
            (theme,),
            lambda found, _: ({"key": found[0].key}, tmsg.dropped(found[0].label)),
        )

    def publish(self, *, actor: str) -> CurationResult:
        now = self.clock()
        locked = self._locked(now)
        if locked:
            return self._refused(actor, "publish", locked)
        with self.database.unit_of_work() as session:
            curated = self._curated(session)
            if curated is None:
                return CurationResult(tmsg.NO_THEMES, False)
            if len(curated.themes) < 2:
                return CurationResult(tmsg.TOO_FEW_TO_PUBLISH, False)
            if len(curated.themes) > MAX_OPTIONS:
                return CurationResult(
                    tmsg.too_many_to_publish(len(curated.themes), MAX_OPTIONS), False
                )
            options = [(t.value, t.label) for t in curated.themes]
            store.publish(session, dialogue_key=self.dialogue.key, options=options, now=now)
            audit.record(
                session,
                at=now,
                actor=actor,
                action="themes_published",
                count=len(options),
            )
            return CurationResult(tmsg.published(len(options)), True)

    # ------------------------------------------------------------ inside

    def _decide(
        self,
        actor: str,
        action: str,
        references: Sequence[str],
        make: Any,
    ) -> CurationResult:
        now = self.clock()
        locked = self._locked(now)
        if locked:
            return self._refused(actor, action, locked)
        with self.database.unit_of_work() as session:
            curated = self._curated(session)
            if curated is None:
                return CurationResult(tmsg.NO_THEMES, False)
            found: list[CuratedTheme] = []
            for reference in references:
                theme = curated.find(reference)
                if theme is None:
                    log.info("theme curation refused: unknown theme action=%s", action)
                    return CurationResult(tmsg.unknown_theme(reference, len(curated.themes)), False)
                found.append(theme)
            made = make(found, curated)
            if isinstance(made, str):
                log.info("theme curation refused action=%s", action)
                return CurationResult(made, False)
            data, text = made
            store.add_decision(
                session, dialogue_key=self.dialogue.key, action=action, data=data, now=now
            )
            audit.record(
                session,
                at=now,
                actor=actor,
                action=f"themes_{action}",
                target=found[0].key[:100] if found else None,
                count=len(data.get("members", ())) or len(found),
            )
            after = curate(self._computed(session) or ThemeSet((), ()), self._decisions(session))
            return CurationResult(text, True, self._view(session, after))

    def _locked(self, now: datetime) -> str | None:
        step = voorkeuren_step(self.dialogue)
        return step.name if step is not None and now >= step.opens else None

    def _refused(self, actor: str, action: str, step: str) -> CurationResult:
        log.info("theme curation refused: step already open action=%s", action)
        with self.database.unit_of_work() as session:
            audit.record(
                session,
                at=self.clock(),
                actor=actor,
                action="themes_refused",
                details={"action": action, "reason": "step open"},
            )
        return CurationResult(tmsg.themes_locked(step), False)

    def _computed(self, session: Session) -> ThemeSet | None:
        row = store.computation(session, dialogue_key=self.dialogue.key)
        return theme_set_from_json(row.computed) if row is not None else None

    def _decisions(self, session: Session) -> tuple[Decision, ...]:
        return decisions_of(
            (row.action, row.data)
            for row in store.decisions(session, dialogue_key=self.dialogue.key)
        )

    def _curated(self, session: Session) -> Curated | None:
        computed = self._computed(session)
        return curate(computed, self._decisions(session)) if computed is not None else None

    def _view(self, session: Session, curated: Curated) -> ThemeView:
        wanted = {m for t in curated.themes for m in t.representative}
        rows = contribution_store.by_state(
            session, dialogue_key=self.dialogue.key, states=(VISIBLE,)
        )
        texts = {row.id: row.text for row in rows if row.id in wanted}
        publication = store.publication(session, dialogue_key=self.dialogue.key)
        when = msg.when(publication.published_at, self.dialogue.zone) if publication else None
        return ThemeView(curated, texts, when)


def view_text(view: ThemeView) -> str:
    """The curated themes as plain text (chat, mail, CLI): number, label, size, the
    representative contributions with their codes."""
    lines = [f"**{tmsg.THEMES_TITLE}**"]
    for number, theme in enumerate(view.curated.themes, start=1):
        lines.append(tmsg.theme_line(number, theme.label, len(theme.members)))
        for member in theme.representative:
            if member in view.texts:
                lines.append(f"   [{view.code(member)}] {_short(view.texts[member])}")
    if view.curated.overig:
        lines.append(f"{tmsg.OVERIG}: {overig_count(view)}")
    lines.append(
        tmsg.published_at(view.published_on) if view.published_on else tmsg.not_published_yet()
    )
    return "\n".join(lines)


def overig_count(view: ThemeView) -> str:
    """How many contributions fit no theme; under k "< k" (a figure about so many people)."""
    n = len(view.curated.overig)
    return str(n) if n >= K_ANONYMITY else f"< {K_ANONYMITY}"


def _short(text: str, most: int = 140) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= most else flat[: most - 1] + "…"
