"""The results message each participant gets after the report is approved: the headline outcomes,
where to read the report, what happens next — and, only for someone who contributed, how their
own contributions fared among their readers. Pure: the caller hands in the participant's own
contributions (by their pseudonym) and nothing about anyone else.

A share is given only when at least k people reacted to the contribution (else: "fewer than k
read it"), so the line never describes a small group; a hidden contribution is not mentioned."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from dialogen.conversation.replies import Reply, Say
from dialogen.dialogue.definition import Dialogue
from dialogen.privacy.anonymity import K_ANONYMITY
from dialogen.reporting import messages as rmsg
from dialogen.reporting.facts import ContributionFact
from dialogen.reporting.model import Report
from dialogen.stakeholders.segments import Segment

TOPIC_WORDS = 8


@dataclass(frozen=True)
class ResultsPreview:
    replies: tuple[Reply, ...]  # what someone without contributions gets
    recipients: dict[str, int]  # per channel
    authors: int  # how many of them get a line about their own contributions
    problem: str | None  # Dutch: why nothing would be sent
    contributor: tuple[Reply, ...] = ()  # what an author gets, with made-up contributions


class ResultsSending(Protocol):
    """What facilitation needs of the results message (``planning.results.ResultsMessages``)."""

    def preview(self, *, actor: str) -> ResultsPreview: ...

    def send(self, *, actor: str) -> int: ...


def contribution_lines(own: Sequence[ContributionFact], k: int = K_ANONYMITY) -> tuple[str, ...]:
    """One line per visible contribution of this participant, in a stable order."""
    lines = []
    for contribution in sorted(own, key=lambda c: (c.step_key, c.question_id, c.id)):
        if not contribution.visible:
            continue
        topic = _topic(contribution.text)
        readers = contribution.agree + contribution.disagree + contribution.passes
        if readers >= k:
            lines.append(rmsg.contribution_share(topic, rmsg.percent(contribution.agree / readers)))
        else:
            lines.append(rmsg.contribution_few(topic, k))
    return tuple(lines)


def results_replies(
    dialogue: Dialogue, report: Report, own: Sequence[ContributionFact], k: int = K_ANONYMITY
) -> tuple[Reply, ...]:
    step = dialogue.step("voortzetten")
    results = step.results if step else None
    parts = [rmsg.RESULTS_OPENING.format(title=dialogue.title)]
    if report.headlines:
        parts.append(rmsg.RESULTS_HEADLINES + "\n" + "\n".join(f"- {h}" for h in report.headlines))
    mine = contribution_lines(own, k)
    if mine:
        parts.append(rmsg.RESULTS_YOURS + "\n" + "\n".join(f"- {line}" for line in mine))
    if results and results.link:
        parts.append(rmsg.results_link(results.link))
    elif dialogue.contact:
        parts.append(rmsg.results_ask(dialogue.contact))
    if results:
        parts.append(" ".join(results.next_steps.split()))
    parts.append(rmsg.RESULTS_THANKS)
    return (Say("\n\n".join(parts)),)


def contributor_example(
    dialogue: Dialogue, report: Report, k: int = K_ANONYMITY
) -> tuple[Reply, ...]:
    """The message as someone with contributions reads it, for a facilitator's preview: with two
    made-up contributions — one that k or more people reacted to, one that fewer did — so the
    preview shows both kinds of line and nobody's real contribution."""
    nobody = Segment(role=None, province=None, networks=frozenset())
    made_up = [
        ContributionFact(
            id=f"voorbeeld-{number}",
            pseudonym="",
            step_key="",
            question_id=str(number),
            text=rmsg.EXAMPLE_CONTRIBUTION,
            visible=True,
            agree=agree,
            disagree=disagree,
            passes=0,
            segment=nobody,
        )
        for number, (agree, disagree) in enumerate(((3 * k, 2 * k), (1, 0)))
    ]
    return results_replies(dialogue, report, made_up, k)


def _topic(text: str) -> str:
    words = text.split()
    short = " ".join(words[:TOPIC_WORDS])
    return short + ("…" if len(words) > TOPIC_WORDS else "")
