"""What a simulated participant answers to one question: a value, as a Teams card would submit it
and as text (typed in the chat or written in a mail). Tastes differ per role group — councillors
care more for the council's grip, mayors and aldermen for the Rijk, civil servants for clear roles
— so that the figures per group differ as they would in a real dialogue.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from bot.simulation.population import Persona
from bot.simulation.texts import Writer, topics_in
from dialogen.conversation.kinds.reactions import AGREE, DISAGREE, PASS
from dialogen.dialogue.definition import Option, Question

FAVOURS: dict[str, frozenset[str]] = {
    # option values a role group picks more often (Verkennen themes and obstacles, Voorkeuren)
    "raad": frozenset(
        {"democratische-legitimiteit", "afstand-inwoner", "grip-raad", "raad-aan-zet"}
        | {"inwoner-betrekken"}
    ),
    "bestuur": frozenset(
        {"sturing", "rijksopgaven", "verschillende-belangen", "rijk-afstemming", "minder-verbanden"}
    ),
    "ambtelijk": frozenset(
        {"efficiency", "expertise", "complexiteit", "capaciteit", "heldere-rollen", "kennis-delen"}
    ),
    "samenwerkingsverband": frozenset(
        {"expertise", "efficiency", "onduidelijke-rollen", "kennis-delen", "heldere-rollen"}
    ),
    "anders": frozenset({"afstand-inwoner", "inwoner-betrekken", "bestuurslaag"}),
}
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass(frozen=True)
class Answer:
    """One answer: ``card`` as a Teams card submits it (None: typed only), ``text`` as typed or
    written after the question's number in a mail."""

    text: str
    card: str | list[str] | None = None


class Chooser:
    def __init__(self, persona: Persona, rng: random.Random, *, additions: bool = True) -> None:
        self.persona = persona
        self.additions = additions
        self.rng = rng
        self.writer = Writer(rng, persona.group, persona.topics)

    # ------------------------------------------------------------ choice questions

    def _ordered(self, options: tuple[Option, ...]) -> list[int]:
        """Option positions, most preferred first (a weighted shuffle)."""
        favoured = FAVOURS.get(self.persona.group, frozenset())
        keyed = [
            (self.rng.random() ** (1 / (3.0 if o.value in favoured else 1.0)), i)
            for i, o in enumerate(options)
        ]
        return [i for _, i in sorted(keyed, reverse=True)]

    def answer(self, question: Question, *, mail: bool) -> Answer | None:
        """The answer to ``question``; None to skip it (an optional question)."""
        kind = question.kind
        if not question.required and self.rng.random() < 0.45:
            return None
        options = question.options
        if kind == "open":
            return Answer(self._open(question))
        if kind == "scale":
            low, high = question.scale_min or 1, question.scale_max or 5
            middle = (low + high) / 2 + (self.persona.agreeable - 0.5) * 2
            value = min(high, max(low, round(self.rng.gauss(middle, 1.0))))
            return Answer(str(value), str(value))
        order = self._ordered(options)
        if kind == "single":
            first = order[0]
            return Answer(LETTERS[first] if mail else str(first + 1), options[first].value)
        if kind in ("multiple", "top"):
            most = question.max_picks or len(options)
            picked = sorted(order[: self.rng.randint(1, max(1, most))])
            return Answer(
                ", ".join(LETTERS[i] if mail else str(i + 1) for i in picked),
                [options[i].value for i in picked],
            )
        if kind == "ranking":
            places = order[: int(getattr(question.settings, "top", 3))]
            return Answer(", ".join(LETTERS[i] for i in places), [options[i].value for i in places])
        if kind == "points":
            return self._points(question, order)
        return None

    def _points(self, question: Question, order: list[int]) -> Answer:
        total = int(getattr(question.settings, "points", 10))
        spread = order[: self.rng.randint(2, min(4, len(order)))]
        amounts = [0] * len(spread)
        for _ in range(total):  # the first places get most
            amounts[min(int(self.rng.expovariate(1.2)), len(spread) - 1)] += 1
        pairs = [(i, n) for i, n in zip(spread, amounts, strict=True) if n]
        options = question.options
        return Answer(
            ", ".join(f"{LETTERS[i]} {n}" for i, n in sorted(pairs)),
            [f"{options[i].value}={n}" for i, n in pairs],
        )

    def other(self, question: Question) -> str:
        """What they meant by "Iets anders" on a choice question: a line of their own."""
        return self.writer.example()

    def _open(self, question: Question) -> str:
        writer = self.writer
        key = question.id
        if key == "beeld":
            return writer.picture()
        if key in ("oplossing", "aanvulling"):
            return writer.remedy()
        if key == "obstakel-toelichting":
            return writer.example()
        if key == "rol-vng":
            return writer.expectation()
        if key == "rol-eigen-gemeente":
            return writer.own_part()
        return writer.approach()

    # ------------------------------------------------------------ reactions

    def reaction(self, text: str) -> str:
        """'eens', 'oneens' or 'pas' about a contribution, now and then with an addition."""
        shared = topics_in(text) & {t.key for t in self.persona.topics}
        agree = self.persona.agreeable + (0.15 if shared else 0.0)
        roll = self.rng.random()
        vote = PASS if roll < 0.12 else AGREE if self.rng.random() < agree else DISAGREE
        if vote != PASS and self.rng.random() < 0.08 and self.additions:
            note = self.writer.note()
            return f"{vote}: {note[0].upper()}{note[1:]}"
        return vote
