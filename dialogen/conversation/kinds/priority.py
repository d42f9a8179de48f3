"""What the Voorkeuren kinds share (``ranking``, ``points``, ``top``): options that are either a
fixed list in the dialogue file or, with ``options_from: themes``, the curated themes the door hands
in for each turn (see :mod:`dialogen.conversation.options`); how typed answers name an option
(letter, number, value, label or the start of a label); and how a card's submit is read (option
values, so a card made before the list changed is recognised and refused with the current list).

The kinds always read ``question.options``: the engine hands them the question *as asked*, with
the door's current options in place. A definition with ``options_from: themes`` may leave
``options`` out (or give a fallback list); the number of places or picks is then capped by the
options there are when the question is asked.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from dialogen.conversation import messages as msg
from dialogen.conversation.kinds.base import Kind, KindSettings, Rejection
from dialogen.conversation.matching import normalize, pick_one
from dialogen.conversation.replies import Choice

if TYPE_CHECKING:
    from dialogen.dialogue.definition import Question

MAX_OPTIONS = len(msg.LETTERS)
"""Most options a priority question lists: each needs a letter in a mail (A to Z)."""

_COPIED = re.compile(r"^\s*\(?([A-Za-z])\s*[.)]\s+(?=.*[^\W\d_]{3})\S")
"""A lettered line copied from a mail: a letter, a dot, then words ("C. De raad meer grip")."""
_COPIED_PIECES = re.compile(r"\s*[\n;,]\s*")
_STRONG = re.compile(r"\s*[,;\n>]\s*")
_WEAK = re.compile(r"\s*(?:\ben\b|&|\+|/)\s*|\s+")
_EXAMPLE_ORDER = (2, 0, 5, 1, 4, 3, 6, 7)
"""Which letters the examples in hints use: 'C, A, F' for six options, never more than exist."""


class PrioritySettings(KindSettings):
    options_from: Literal["themes"] | None = None
    """``themes``: the door supplies the options (the dialogue's curated themes) each turn; the
    file's ``options`` are then only a fallback for when it supplies none."""


def options_from(question: Question) -> str | None:
    """Where the question's options come from besides the file (``themes``), if anywhere."""
    settings = question.settings
    return settings.options_from if isinstance(settings, PrioritySettings) else None


class PriorityKind(Kind):
    """The base of the Voorkeuren kinds. Subclasses check their own limits in ``check_limits``."""

    settings_model: ClassVar[type[KindSettings]] = PrioritySettings

    # ------------------------------------------------------------ the definition

    def check(self, question: Question) -> None:
        if question.max_picks is not None:
            raise ValueError(f"max_picks: a {self.name} question sets its own limit, not max_picks")
        count = len(question.options)
        if count == 0 and options_from(question) is not None:
            return  # the door supplies the options; limits are capped when asked
        if count < 2:
            raise ValueError("options: at least 2 needed (or options_from: themes)")
        if count > MAX_OPTIONS:
            raise ValueError(f"options: at most {MAX_OPTIONS} (one letter each in a mail)")
        values = [o.value for o in question.options]
        if len(set(values)) != len(values):
            raise ValueError("options: values must be unique")
        self.check_limits(question, count)

    def check_limits(self, question: Question, count: int) -> None:  # noqa: B027 (optional)
        """Raise ``ValueError("field: problem")`` when the kind's own limits do not fit ``count``
        options from the file."""

    # ------------------------------------------------------------ asking

    def choices(self, question: Question) -> tuple[Choice, ...]:
        return tuple(Choice(o.value, o.label) for o in question.options)

    def form_lines(self, question: Question) -> tuple[str, ...]:
        return msg.lettered([o.label for o in question.options])

    def ready(self, question: Question) -> bool:
        """Whether there is anything to choose from (the door may not have supplied themes yet)."""
        return bool(question.options)

    def mail_problem(self, question: Question, rejection: Rejection) -> str:
        """A mail reply that names nothing gets the form's own hint; other refusals say why."""
        return (
            self.form_hint(question)
            if rejection == self.not_understood(question)
            else rejection.text
        )

    # ------------------------------------------------------------ answers

    def interpret_mail(self, question: Question, text: str) -> Any | Rejection:
        return self.interpret(question, copied_letters(text))

    def label(self, question: Question, value: str) -> str:
        option = question.option(value)
        return option.label if option is not None else value

    def lettered(self, question: Question, value: str) -> str:
        """``C. label`` as the option is listed in a mail; the value of one no longer listed."""
        for index, option in enumerate(question.options):
            if option.value == value:
                return f"{msg.LETTERS[index]}. {option.label}"
        return value

    def submitted(self, question: Question, values: Sequence[str]) -> list[str] | Rejection:
        """Option values a card sent back, checked against the options as asked now."""
        known = {o.value for o in question.options}
        if any(v not in known for v in values):
            return Rejection(msg.OPTION_GONE)
        return list(values)

    def not_understood(self, question: Question) -> Rejection:
        """The refusal of text that names no option at all, with an example of what works."""
        return Rejection(msg.choice_not_understood(len(question.options), multiple=True))

    def named(self, question: Question, refs: Sequence[str]) -> list[str] | Rejection:
        """The options that typed references name, in the order typed; the first reference that
        names none is refused by name (all of them: the text is not understood). Numbers and
        letters mixed ("A, D 3") are not understood: 3 could be an option or an amount."""
        choices = self.choices(question)
        values = [pick_one(ref, choices) for ref in refs]
        numbers = [normalize(ref).isdigit() for ref in refs]
        if not refs or all(value is None for value in values) or len(set(numbers)) > 1:
            return self.not_understood(question)
        for ref, value in zip(refs, values, strict=True):
            if value is None:
                return Rejection(msg.not_in_list(ref.strip()))
        return [value for value in values if value is not None]

    def twice(self, question: Question, values: Sequence[str]) -> Rejection | None:
        """A refusal naming the first option that appears twice, if any does."""
        for index, value in enumerate(values):
            if value in values[:index]:
                return Rejection(msg.chosen_twice(self.label(question, value)))
        return None

    def example_letters(self, question: Question, count: int) -> list[str]:
        """Letters for an example in a hint ('C, A, F'): ``count`` of them, all in the list."""
        options = len(question.options)
        indices = [i for i in _EXAMPLE_ORDER if i < options]
        indices += [i for i in range(options) if i not in indices]
        return [msg.LETTERS[i] for i in indices[: max(1, count)]] if options else ["A"]


def check_top(top: int, count: int) -> None:
    """A ``top:`` setting (ranking, top) cannot ask for more options than the file lists."""
    if top > count:
        raise ValueError(f"top: must be at most the number of options ({count})")


def copied_letters(text: str) -> str:
    """ "C. De raad meer grip …; A. Minder …" (lines copied from a mail's list) means "C, A";
    anything else stays as written."""
    pieces = [p for p in _COPIED_PIECES.split(text.strip()) if p]
    found = [_COPIED.match(p) for p in pieces]
    if pieces and all(found):
        return ", ".join(m.group(1) for m in found if m)
    return text


def split_refs(text: str, choices: tuple[Choice, ...]) -> list[str]:
    """The references in typed text: commas and the like separate whole labels ("Heldere rollen en
    verantwoordelijkheden, Kennis en goede voorbeelden …"); a piece that is no label is split
    further ("C A F", "3 en 5")."""
    if pick_one(text, choices) is not None:
        return [text.strip()]
    refs: list[str] = []
    for piece in _STRONG.split(text.strip()):
        if not piece.strip():
            continue
        if pick_one(piece, choices) is not None:
            refs.append(piece)
        else:
            refs += [p for p in _WEAK.split(piece) if normalize(p)]  # "C - A - F": no "-"
    return refs


def as_list(value: Any) -> list[str]:
    """A stored list of option values (a ranking or a top), robust to a lone value."""
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)] if value not in (None, "") else []
