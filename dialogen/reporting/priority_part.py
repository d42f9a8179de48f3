"""Voorkeuren in the report: the ranking of the themes with means and 90 % intervals (truncated
Borda for a ranking, mean points for points, the share that picked it for a top-N), the first
three per shown group, and for a top-N the cross-group consensus."""

from __future__ import annotations

from collections.abc import Sequence

from dialogen.analysis.consensus import theme_consensus
from dialogen.analysis.priorities import (
    Allocation,
    Method,
    Picks,
    Prioritisation,
    Ranking,
    approval,
    borda,
    points,
)
from dialogen.analysis.respondents import Respondent
from dialogen.conversation.kinds import QuestionKind, settings_of
from dialogen.conversation.kinds.points import PointsSettings
from dialogen.conversation.kinds.priority import as_list
from dialogen.conversation.kinds.ranking import RankingSettings
from dialogen.dialogue.definition import Question
from dialogen.privacy.anonymity import K_ANONYMITY
from dialogen.reporting import messages as rmsg
from dialogen.reporting.facts import AnswerFact
from dialogen.reporting.model import Bar, Block, Chart, Table
from dialogen.reporting.participation_part import label as group_label

PRIORITY_KINDS = frozenset({QuestionKind.RANKING, QuestionKind.POINTS, QuestionKind.TOP})
_DIMENSION_TITLES = {"role": rmsg.BY_ROLE, "province": rmsg.BY_PROVINCE, "network": rmsg.BY_NETWORK}


def prioritise(
    question: Question, answers: Sequence[AnswerFact], k: int = K_ANONYMITY
) -> Prioritisation | None:
    themes = [o.value for o in question.options]
    known = set(themes)
    mine = [a for a in answers if a.question_id == question.id and a.value not in (None, "", [])]
    if not mine or not themes:
        return None
    who = {a.pseudonym: Respondent(a.pseudonym, a.segment) for a in mine}
    if question.kind == QuestionKind.RANKING:
        top = settings_of(question, RankingSettings).top
        rows = [
            Ranking(who[a.pseudonym], tuple(v for v in as_list(a.value) if v in known)[:top])
            for a in mine
        ]
        return borda(rows, themes, positions=top, k=k)
    if question.kind == QuestionKind.POINTS:
        allocations = [
            Allocation(
                who[a.pseudonym],
                tuple((str(t), int(n)) for t, n in a.value.items() if t in known and int(n) >= 0),
            )
            for a in mine
            if isinstance(a.value, dict)
        ]
        return points(allocations, themes, k=k)
    picks = [Picks(who[a.pseudonym], frozenset(as_list(a.value)) & known) for a in mine]
    return approval(picks, themes, k=k)


def priority_block(question: Question, result: Prioritisation | None) -> Block:
    if result is None or not result.everyone.respondents.shown:
        return Block(question.text, (rmsg.NO_RANKING,))
    labels = {o.value: o.label for o in question.options}
    everyone = result.everyone
    paragraphs = [rmsg.respondents(everyone.respondents.text), _method_line(question, result)]
    rows = []
    bars = []
    for score in everyone.themes:
        name = labels.get(score.theme, score.theme)
        mean = _mean_text(result.method, score.mean)
        interval = (
            f"{_mean_text(result.method, score.interval.low)} – "
            f"{_mean_text(result.method, score.interval.high)}"
            if score.interval
            else "–"
        )
        rows.append((str(score.rank) if score.rank else "–", name, mean, interval))
        bars.append(Bar(name, mean, "", score.mean))
    unit = rmsg.UNIT_SHARE if result.method is Method.APPROVAL else rmsg.UNIT_POINTS
    chart = Chart(
        rmsg.RANKING,
        unit,
        tuple(bars),
        rmsg.chart_alt(rmsg.RANKING, [(b.label, b.text) for b in bars]),
        table=False,  # the ranking table below holds the same figures, with intervals
    )
    table = Table(
        rmsg.RANKING,
        (rmsg.COLUMN_PLACE, rmsg.COLUMN_THEME, rmsg.COLUMN_MEAN, rmsg.COLUMN_INTERVAL),
        tuple(rows),
    )
    place = {s.theme: s.rank for s in everyone.themes if s.rank}
    group_rows = tuple(
        (
            f"{_DIMENSION_TITLES.get(g.dimension, g.dimension)}: {group_label(g.group)}",
            g.respondents.text,
            " · ".join(str(place.get(s.theme, "–")) for s in g.themes[:3] if s.rank),
        )
        for g in result.groups
    )
    tables = [table]
    if group_rows:
        tables.append(
            Table(
                rmsg.GROUP_TOPS,
                (rmsg.COLUMN_GROUP, rmsg.COLUMN_RESPONDED, rmsg.COLUMN_TOP),
                group_rows,
            )
        )
    if group_rows:
        paragraphs.append(rmsg.GROUP_TOPS_NOTE)
    bullets: tuple[str, ...] = ()
    if result.method is Method.APPROVAL:
        agreed = [c for c in theme_consensus(result) if c.broadly_supported]
        bullets = tuple(f"{rmsg.AGREED}: {labels.get(c.item, c.item)}" for c in agreed)
    return Block(
        question.text, tuple(paragraphs), charts=(chart,), tables=tuple(tables), bullets=bullets
    )


def top_labels(question: Question, result: Prioritisation | None, n: int = 3) -> list[str]:
    if result is None or not result.everyone.respondents.shown:
        return []
    labels = {o.value: o.label for o in question.options}
    return [labels.get(s.theme, s.theme) for s in result.everyone.themes[:n] if s.rank]


def _method_line(question: Question, result: Prioritisation) -> str:
    if result.method is Method.BORDA:
        top = settings_of(question, RankingSettings).top
        return rmsg.RANKING_METHOD.format(top=top, second=max(top - 1, 0))
    if result.method is Method.POINTS:
        return rmsg.POINTS_METHOD.format(points=settings_of(question, PointsSettings).points)
    return ""


def _mean_text(method: Method, value: float | None) -> str:
    if value is None:
        return "–"
    if method is Method.APPROVAL:
        return rmsg.percent(value)
    return rmsg.decimal(value)
