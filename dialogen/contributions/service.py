"""Contributions in a participant's turn: what the door does around the engine for Verrijken.

Before the engine decides, :meth:`Contributions.offers` looks up which contributions this
participant is to react to (the one their card shows, the next ones routing picks — or the batch
their last mail listed); after it decided, :meth:`Contributions.apply` stores what the decision
says in the same unit of work: a shared answer becomes (or updates) a contribution, masked and
moderated as the dialogue file says; each reaction is recorded and counted; an addition becomes a
contribution of its own; a report counts towards hiding. All of it by pseudonym.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from dialogen.contracts import Clock
from dialogen.contributions.moderation import Moderation, hidden_by_reports
from dialogen.contributions.names import ListMasker
from dialogen.contributions.pool import PoolCache, Read, candidate_of
from dialogen.contributions.routing import Reactor, RoutingRules
from dialogen.conversation.inputs import Answers, Input
from dialogen.conversation.kinds import kind_of
from dialogen.conversation.kinds.open import shared
from dialogen.conversation.kinds.reactions import Reaction, ReactionSettings
from dialogen.conversation.offers import Offer, Offers
from dialogen.conversation.state import ConversationState, Decision
from dialogen.dialogue.definition import Dialogue, Question, Step
from dialogen.privacy.anonymity import answer_day
from dialogen.privacy.masking import MaskResult
from dialogen.stakeholders.roles import role_group
from dialogen.stakeholders.segments import Segment
from dialogen.store import contributions as store
from dialogen.store.contributions import ContributionRow

log = logging.getLogger(__name__)

Session = Any
LOOKAHEAD = 3  # contributions offered per chat turn: the current one and the next ones


@dataclass(frozen=True)
class Author:
    """Who acts, on the anonymous side: their pseudonym and their (k-safe) segment."""

    pseudonym: str
    segment: Segment

    @property
    def columns(self) -> dict[str, Any]:
        return {
            "role": self.segment.role,
            "province": self.segment.province,
            "networks": self.segment.networks_text,
        }

    @property
    def groups(self) -> frozenset[str]:
        return groups_of(self.segment)


def groups_of(segment: Segment) -> frozenset[str]:
    """The groups routing evens reactions out over: role group, province, each network."""
    groups = {f"rol:{role_group(segment.role)}"}
    if segment.province:
        groups.add(f"provincie:{segment.province}")
    groups |= {f"netwerk:{n}" for n in segment.networks}
    return frozenset(groups)


class Contributions:
    def __init__(
        self,
        *,
        dialogue: Dialogue,
        clock: Clock,
        masker: ListMasker,
        moderation: Moderation,
        read: Read,
        seed: str = "dialoog",
    ) -> None:
        self.dialogue = dialogue
        self.read = read
        """A short read outside any unit of work: where the routing pool is built from."""
        self.clock = clock
        self.masker = masker
        self.moderation = moderation
        self.seed = seed
        self.pools = PoolCache(clock=clock)
        self.group_strength = 1.0
        """How strongly routing favours contributions the reactor's groups reacted to least
        (:class:`RoutingRules`); 0 switches that off (a comparison in the routing tests)."""

    # ------------------------------------------------------------ before the unit of work

    def prepare(self, now: datetime) -> None:
        """Before a turn's unit of work opens: rebuild a stale routing pool of the open step from
        a read of its own, so the rebuild never holds the write lock (or a participant's row)."""
        step = self.dialogue.open_step(now)
        if step is None:
            return
        for question in _repeating(step):
            self.pools.refresh(self.read, self.dialogue.key, self._rules(question), now=now)

    # ------------------------------------------------------------ before the engine

    def offers(
        self,
        session: Session,
        *,
        author: Author,
        message: Input,
        state: ConversationState,
        answers: Mapping[str, Mapping[str, Any]],
        now: datetime,
    ) -> dict[tuple[str, str], Offers]:
        """What this participant is offered for each repeating question of the open step."""
        step = self.dialogue.open_step(now)
        if step is None:
            return {}
        found: dict[tuple[str, str], Offers] = {}
        for question in _repeating(step):
            progress = answers.get(step.key, {}).get(question.id)
            given = int(progress.get("given", 0)) if isinstance(progress, dict) else 0
            if isinstance(message, Answers) and message.step_key == step.key:
                items, shown = self._mailed(session, author, step, question), None
            else:
                items, shown = self._chat(session, author, step, question, now=now)
            found[(step.key, question.id)] = Offers(items, given, shown)
        return found

    def _chat(
        self, session: Session, author: Author, step: Step, question: Question, *, now: datetime
    ) -> tuple[tuple[Offer, ...], str | None]:
        """The contributions to ask about next, the one shown last first while it may still be
        seen; and that last shown one (unless answered), for the engine to tell it was hidden."""
        reacted = store.reacted(session, dialogue_key=self.dialogue.key, pseudonym=author.pseudonym)
        cursor = store.cursor(
            session,
            dialogue_key=self.dialogue.key,
            pseudonym=author.pseudonym,
            step_key=step.key,
            question_id=question.id,
        )
        current = cursor.current if cursor is not None else None
        shown = [current] if current and current not in reacted else []
        texts = self._drawn(session, author, question, reacted, shown, LOOKAHEAD, now=now)
        return tuple(Offer(i, text) for i, text in texts.items()), (shown[0] if shown else None)

    def _drawn(
        self,
        session: Session,
        author: Author,
        question: Question,
        reacted: set[str],
        shown: list[str],
        size: int,
        *,
        now: datetime,
    ) -> dict[str, str]:
        """``shown`` and the next ones routing draws, up to ``size``, with their texts: only what
        the store says this participant may see now (visible, not their own, not reacted to).
        One the pool still had but the store no longer shows (hidden on another replica) leaves
        the pool, and the draw is made again without it."""
        rules = self._rules(question)
        excluded = frozenset(reacted) | set(shown)
        for _ in range(3):
            reactor = Reactor(author.pseudonym, author.groups, excluded)
            drawn = self.pools.draw(
                self.read,
                self.dialogue.key,
                rules,
                reactor,
                seed=self.seed,
                size=size - len(shown),
                now=now,
            )
            ids = [*shown, *drawn]
            visible = store.shown(session, ids)
            gone = [i for i in ids if i not in visible]
            if not gone or not drawn:
                break
            self.pools.gone(gone)
            shown = [i for i in shown if i in visible]
            excluded |= set(gone)
        return {
            i: visible[i][0]
            for i in ids
            if i in visible and visible[i][1] != author.pseudonym and i not in reacted
        }

    def _mailed(
        self, session: Session, author: Author, step: Step, question: Question
    ) -> tuple[Offer, ...]:
        """The batch the participant's last mail listed, numbered as it was (a contribution
        hidden since keeps its number, with no text)."""
        cursor = store.cursor(
            session,
            dialogue_key=self.dialogue.key,
            pseudonym=author.pseudonym,
            step_key=step.key,
            question_id=question.id,
        )
        batch = list(cursor.batch) if cursor is not None else []
        visible = store.shown(session, batch)
        texts = {i: text for i, (text, by) in visible.items() if by != author.pseudonym}
        return tuple(Offer(i, texts.get(i, "")) for i in batch)

    def mail_batch(
        self, session: Session, *, author: Author, step: Step, now: datetime
    ) -> tuple[Offer, ...]:
        """The contributions the next mail to this participant lists (remembered by pseudonym,
        so their reply's numbers can be read)."""
        question = next(iter(_repeating(step)), None)
        if question is None:
            return ()
        size = _settings(question).batch
        reacted = store.reacted(session, dialogue_key=self.dialogue.key, pseudonym=author.pseudonym)
        texts = self._drawn(session, author, question, reacted, [], size, now=now)
        ids = list(texts)
        store.save_cursor(
            session,
            dialogue_key=self.dialogue.key,
            pseudonym=author.pseudonym,
            step_key=step.key,
            question_id=question.id,
            current=None,
            batch=ids,
        )
        return tuple(Offer(i, texts[i]) for i in ids)

    # ------------------------------------------------------------ after the engine

    def apply(
        self,
        session: Session,
        decision: Decision,
        *,
        author: Author,
        offers: Mapping[tuple[str, str], Offers],
        chat: bool,
        day: date,
    ) -> list[ContributionRow]:
        """Store what ``decision`` says about contributions; the contributions a report just hid
        (their authors are to be told)."""
        for change in decision.answers:
            question = self._question(change.step_key, change.question_id)
            if question is not None and shared(question) and isinstance(change.value, str):
                # a shared answer carries what the answer carries: the day its step opened
                opened = answer_day(self.dialogue, change.step_key)
                self._share(session, author, question, change.step_key, change.value, opened)
        hidden: list[ContributionRow] = []
        for item in decision.items:
            reaction = Reaction.of(item.value)
            if reaction.report:
                row = self._report(session, author, item.item_id)
                if row is not None:
                    hidden.append(row)
                continue
            if reaction.vote is not None:
                counted = store.react(
                    session,
                    dialogue_key=self.dialogue.key,
                    contribution_id=item.item_id,
                    pseudonym=author.pseudonym,
                    vote=reaction.vote,
                    segment=author.columns,
                    groups=author.groups,
                    # like an answer, a reaction carries the day its step opened, no day of its own
                    day=answer_day(self.dialogue, item.step_key),
                )
                if counted is not None:
                    self.pools.update(counted, day)
            if reaction.note:
                self._add(
                    session,
                    author,
                    item.step_key,
                    item.question_id,
                    item.item_id,
                    reaction.note,
                    day,
                )
        if chat:
            self._move_cursor(session, author, decision, offers)
        return hidden

    def _share(
        self,
        session: Session,
        author: Author,
        question: Question,
        step_key: str,
        text: str,
        day: date,
    ) -> None:
        masked = self.masker.masker(session).mask(text)
        row = store.save_answer(
            session,
            dialogue_key=self.dialogue.key,
            step_key=step_key,
            question_id=question.id,
            pseudonym=author.pseudonym,
            segment=author.columns,
            text=masked.text,
            original=text,
            spans=spans_of(masked),
            state=self.moderation.initial_state(),
            day=day,
        )
        self.pools.put(row, day)

    def _add(
        self,
        session: Session,
        author: Author,
        step_key: str,
        question_id: str,
        source: str,
        text: str,
        day: date,
    ) -> None:
        masked = self.masker.masker(session).mask(text)
        row = store.add(
            session,
            dialogue_key=self.dialogue.key,
            step_key=step_key,
            question_id=question_id,
            source_key=source,
            pseudonym=author.pseudonym,
            segment=author.columns,
            text=masked.text,
            original=text,
            spans=spans_of(masked),
            state=self.moderation.initial_state(),
            day=day,
        )
        self.pools.put(row, day)

    def _report(
        self, session: Session, author: Author, contribution_id: str
    ) -> ContributionRow | None:
        count = store.report(session, contribution_id=contribution_id, pseudonym=author.pseudonym)
        row = store.get(session, contribution_id)
        if count is None or row is None or not hidden_by_reports(row.state, count, self.moderation):
            return None
        store.set_state(
            session,
            row,
            state=store.HIDDEN,
            reason=self.moderation.reported_reason,
            day=self.clock().date(),
        )
        self.pools.put(row, self.clock().date())
        log.info("contribution hidden after %d reports, pending review", count)
        return row

    def _move_cursor(
        self,
        session: Session,
        author: Author,
        decision: Decision,
        offers: Mapping[tuple[str, str], Offers],
    ) -> None:
        """Remember the contribution the chat shows now: the first offered one not answered."""
        for (step_key, question_id), offered in offers.items():
            answered = {
                i.item_id
                for i in decision.items
                if (i.step_key, i.question_id) == (step_key, question_id)
            }
            left = [o.item_id for o in offered.items if o.item_id not in answered]
            store.save_cursor(
                session,
                dialogue_key=self.dialogue.key,
                pseudonym=author.pseudonym,
                step_key=step_key,
                question_id=question_id,
                current=left[0] if left else None,
            )

    # ------------------------------------------------------------ helpers

    def _question(self, step_key: str, question_id: str) -> Question | None:
        step = self.dialogue.step(step_key)
        return step.question(question_id) if step else None

    def _rules(self, question: Question) -> RoutingRules:
        return RoutingRules(
            target=_settings(question).per_contribution, group_strength=self.group_strength
        )


def _repeating(step: Step) -> Iterable[Question]:
    return [q for q in step.questions if kind_of(q).repeats]


def _settings(question: Question) -> ReactionSettings:
    settings = question.settings
    return settings if isinstance(settings, ReactionSettings) else ReactionSettings()


def spans_of(result: MaskResult) -> list[Any]:
    """What the masking hid, as the store keeps it."""
    return [[span.start, span.end, span.category.value] for span in result.spans]


__all__ = ["Author", "Contributions", "candidate_of", "groups_of", "spans_of"]
