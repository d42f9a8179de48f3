"""Verrijken in the report: which contributions were broadly supported across role groups, which
divided them, and the differences between groups — Polis's group-aware consensus over the
reactions (:mod:`dialogen.analysis.consensus`), quotes as participants read them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from dialogen.analysis.consensus import Consensus, Reaction, Stance, reaction_consensus
from dialogen.analysis.respondents import ROLE, Respondent
from dialogen.privacy.anonymity import K_ANONYMITY
from dialogen.reporting import messages as rmsg
from dialogen.reporting.facts import ContributionFact, ReactionFact
from dialogen.reporting.model import Block, Quote, Table
from dialogen.reporting.participation_part import label as group_label
from dialogen.reporting.question_part import quote_text

SHOWN = 5  # statements per list
CHUNK = 25  # statements per publication
_STANCES = {s.value: s for s in Stance}


@dataclass(frozen=True)
class ReactionOutcome:
    agreed: tuple[tuple[Consensus, str], ...]  # (consensus, masked text), strongest first
    divided: tuple[tuple[Consensus, str], ...]


def judge(
    contributions: Sequence[ContributionFact],
    reactions: Sequence[ReactionFact],
    k: int = K_ANONYMITY,
) -> ReactionOutcome:
    texts = {c.id: c.text for c in contributions if c.visible}
    by_item: dict[str, list[Reaction]] = defaultdict(list)
    for r in reactions:
        if r.contribution_id in texts and r.vote in _STANCES:
            reaction = Reaction(
                Respondent(r.pseudonym, r.segment), r.contribution_id, _STANCES[r.vote]
            )
            by_item[r.contribution_id].append(reaction)
    # A statement no role group saw k times cannot be judged (no group of it counts). The tables of
    # different statements share no cell and no relation, so judging them in chunks publishes
    # the same as judging them at once, and the disclosure proof stays small.
    judged = sorted(item for item, found in by_item.items() if _a_group_counts(found, k))
    found: list[Consensus] = []
    for start in range(0, len(judged), CHUNK):
        chunk = [r for item in judged[start : start + CHUNK] for r in by_item[item]]
        found += reaction_consensus(chunk, dimension=ROLE, k=k)
    agreed = sorted(
        (c for c in found if c.broadly_supported and _majority(c)),
        key=lambda c: (-(c.score or 0.0), c.item),
    )
    divided = sorted(
        (c for c in found if c.divided), key=lambda c: (_spread(c), c.item), reverse=True
    )
    return ReactionOutcome(
        tuple((c, texts[c.item]) for c in agreed[:SHOWN]),
        tuple((c, texts[c.item]) for c in divided[:SHOWN]),
    )


def _a_group_counts(reactions: Sequence[Reaction], k: int) -> bool:
    """Whether at least one role group saw the statement k times: otherwise no group counts and
    it is neither broadly supported nor divided."""
    sizes: dict[str | None, int] = defaultdict(int)
    for reaction in reactions:
        sizes[reaction.respondent.segment.role] += 1
    return max(sizes.values(), default=0) >= k


def _majority(consensus: Consensus) -> bool:
    """Also a majority of everyone who read it: "breed gedragen" next to "45% eens" (a few
    groups count, the rest is too small to) would mislead."""
    everyone = consensus.everyone
    return everyone is not None and everyone.support is not None and everyone.support > 0.5


def _spread(consensus: Consensus) -> float:
    supports = [g.support for g in consensus.groups if g.support is not None]
    return max(supports) - min(supports) if len(supports) >= 2 else 0.0


def reactions_block(outcome: ReactionOutcome) -> Block:
    if not outcome.agreed and not outcome.divided:
        return Block(rmsg.REACTIONS, (rmsg.NO_REACTIONS,))
    quotes = tuple(
        Quote(quote_text(text), f"{rmsg.AGREED}: {_note(c)}") for c, text in outcome.agreed
    ) + tuple(Quote(quote_text(text), f"{rmsg.DIVIDED}: {_note(c)}") for c, text in outcome.divided)
    paragraphs = []
    if not outcome.agreed:
        paragraphs.append(rmsg.NONE_AGREED)
    if not outcome.divided:
        paragraphs.append(rmsg.NONE_DIVIDED)
    tables = tuple(
        Table(
            f"{rmsg.DIFFERENCES}: “{quote_text(text)[:80]}…”",
            (rmsg.COLUMN_GROUP, rmsg.COLUMN_SEEN, rmsg.COLUMN_AGREE),
            tuple((group_label(g.group), g.seen.text, _share(g.support)) for g in c.groups),
        )
        for c, text in outcome.divided
    )
    return Block(rmsg.REACTIONS, tuple(paragraphs), tables=tables, quotes=quotes)


def _note(consensus: Consensus) -> str:
    everyone = consensus.everyone
    if everyone is None:
        return ""
    return rmsg.agreed_note(_share(everyone.support), everyone.seen.text)


def _share(support: float | None) -> str:
    return rmsg.percent(support) if support is not None else "–"
