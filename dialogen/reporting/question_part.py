"""Per question the results: bars for choices and scales (with their table equivalents), themes
with their most representative quotes for shared open answers, themes only for answers that were
not meant for others. Each question's figures are one publication for the k-suppression: the
respondents and the count per option (a partition for single choice and scales)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from dialogen.analysis.suppression import Key, Relation, Sum, Suppressed, Within, suppress
from dialogen.analysis.themes import find_themes
from dialogen.conversation.kinds import QuestionKind
from dialogen.conversation.kinds.base import given
from dialogen.conversation.kinds.priority import as_list
from dialogen.dialogue.definition import Question
from dialogen.privacy.anonymity import K_ANONYMITY
from dialogen.reporting import messages as rmsg
from dialogen.reporting.facts import AnswerFact, ContributionFact, ThemeFact
from dialogen.reporting.model import Bar, Block, Chart, Quote

_TOTAL: Key = ("respondents",)
QUOTE_LENGTH = 700  # a longer quote is cut at a word, marked "[…]"; never reworded
THEMES_SHOWN = 8
THEME_COUNTS = (6, 8)  # fewer candidates than the analysis's default range: the report's budget
PRIVATE_THEMES = 6  # answers not meant for others: a fixed number of themes, labels and sizes only


def choice_block(question: Question, values: Sequence[Any], k: int = K_ANONYMITY) -> Block:
    """Single and multiple choice, top-N and scales: how many chose each option."""
    answers = given(values)
    scale = question.kind == QuestionKind.SCALE
    if scale:
        options = [
            (str(n), _scale_label(question, n))
            for n in range(question.scale_min, question.scale_max + 1)
        ]
        chosen = [{str(v)} for v in answers if isinstance(v, int | str)]
    else:
        options = [(o.value, o.label) for o in question.options]
        chosen = [set(as_list(v)) for v in answers]
    counts: dict[Key, int] = {_TOTAL: len(chosen)}
    for value, _ in options:
        counts[("option", value)] = sum(1 for c in chosen if value in c)
    parts = tuple(("option", value) for value, _ in options)
    relations: list[Relation]
    if scale or question.kind == QuestionKind.SINGLE:
        relations = [Sum(_TOTAL, parts)]
    else:
        relations = [Within(part, _TOTAL) for part in parts]
    shown = suppress(counts, relations, k=k)
    paragraphs = [rmsg.respondents(shown.text(_TOTAL))]
    if not shown.shown(_TOTAL):
        return Block(question.text, (*paragraphs, rmsg.TOO_FEW.format(k=k)))
    if scale and chosen:
        numbers = [int(v) for v in answers if isinstance(v, int) or str(v).isdigit()]
        if numbers:
            mean = sum(numbers) / len(numbers)
            paragraphs.append(rmsg.mean_line(mean, question.scale_min, question.scale_max))
    bars = tuple(_bar(shown, ("option", value), text) for value, text in options)
    chart = Chart(
        question.text,
        rmsg.UNIT_PEOPLE,
        bars,
        rmsg.chart_alt(question.text, [(b.label, f"{b.text} ({b.share})") for b in bars]),
    )
    return Block(question.text, tuple(paragraphs), charts=(chart,))


def _bar(shown: Suppressed, key: Key, text: str) -> Bar:
    count = shown.count(key)
    share = shown.percent(key, _TOTAL) or "–"
    return Bar(text, shown.text(key), share, None if count is None else float(count))


def _scale_label(question: Question, n: int) -> str:
    if n == question.scale_min and question.min_label:
        return f"{n} ({question.min_label})"
    if n == question.scale_max and question.max_label:
        return f"{n} ({question.max_label})"
    return str(n)


def shared_open_block(
    question: Question,
    values: Sequence[Any],
    contributions: Sequence[ContributionFact],
    k: int = K_ANONYMITY,
    curated: Sequence[ThemeFact] = (),
) -> Block:
    """A shared open question: themes over the visible contributions, each with its count and
    its most representative quotes (masked, as participants read them). The published
    (``curated``) themes when there are any — their labels and membership, this question's
    contributions only — else themes computed here."""
    answered = len(given(values))
    visible = [c for c in contributions if c.visible]
    by_id = {c.id: c for c in visible}
    shown = suppress({_TOTAL: answered}, [], k=k)
    paragraphs = [rmsg.respondents(shown.text(_TOTAL))]
    if not shown.shown(_TOTAL) or len(visible) < k:
        return Block(question.text, (*paragraphs, rmsg.TOO_FEW.format(k=k)))
    found = _curated(curated, by_id) if curated else _computed(visible)
    kept = [t for t in found if len(t[1]) >= k][:THEMES_SHOWN]
    if not kept:
        return Block(question.text, (*paragraphs, rmsg.NO_THEMES))
    bullets = tuple(rmsg.theme_line(label, str(len(members))) for label, members, _ in kept)
    quoted: dict[str, Quote] = {}
    for label, _, representative in kept:
        for member in representative[:2]:
            text = quote_text(by_id[member].text)
            quoted.setdefault(text, Quote(text, f"{rmsg.THEMES}: {label}"))
    quotes = tuple(quoted.values())
    return Block(question.text, (*paragraphs, rmsg.OTHER_THEMES), bullets=bullets, quotes=quotes)


_Found = tuple[str, tuple[str, ...], tuple[str, ...]]  # label, members, representative


def _computed(visible: Sequence[ContributionFact]) -> list[_Found]:
    themes = find_themes(((c.id, c.text) for c in visible), count_range=THEME_COUNTS)
    return [(t.proposed_label, t.members, t.representative) for t in themes.themes]


def _curated(curated: Sequence[ThemeFact], by_id: Mapping[str, ContributionFact]) -> list[_Found]:
    """The published themes, in the facilitators' order, restricted to this question's visible
    contributions; quotes from the theme's representatives, else from its first members."""
    found = []
    for theme in curated:
        members = tuple(m for m in theme.members if m in by_id)
        representative = tuple(m for m in theme.representative if m in by_id) or members
        found.append((theme.label, members, representative))
    return found


def private_open_block(question: Question, values: Sequence[Any], k: int = K_ANONYMITY) -> Block:
    """An open question whose answers were not meant for others: themes and their sizes only."""
    texts = [str(v) for v in given(values) if isinstance(v, str)]
    shown = suppress({_TOTAL: len(texts)}, [], k=k)
    paragraphs = [rmsg.respondents(shown.text(_TOTAL))]
    if not shown.shown(_TOTAL):
        return Block(question.text, (*paragraphs, rmsg.TOO_FEW.format(k=k)))
    themes = find_themes(((str(i), text) for i, text in enumerate(texts)), count=PRIVATE_THEMES)
    kept = [t for t in themes.themes if len(t.members) >= k][:THEMES_SHOWN]
    if not kept:
        return Block(question.text, (*paragraphs, rmsg.NO_THEMES))
    return Block(
        question.text,
        (*paragraphs, rmsg.OPEN_NOT_SHARED),
        bullets=tuple(rmsg.theme_count(t.proposed_label, str(len(t.members))) for t in kept),
    )


def quote_text(text: str) -> str:
    """The text verbatim; a very long one cut at a word and marked."""
    if len(text) <= QUOTE_LENGTH:
        return text
    cut = text[:QUOTE_LENGTH].rsplit(" ", 1)[0]
    return f"{cut} […]"


def values_by_question(answers: Sequence[AnswerFact], step_key: str) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = defaultdict(list)
    for answer in answers:
        if answer.step_key == step_key:
            found[answer.question_id].append(answer.value)
    return found
