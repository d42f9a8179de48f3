"""The report as values: sections of blocks of paragraphs, tables, charts and quotes. Every figure
is a display string after k-suppression ("< 5" for a small group), so a renderer cannot show what
it was never given. A chart's bars carry a number only when that number is shown; its table
equivalent is the same bars as text."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Table:
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Bar:
    label: str
    text: str  # the figure as shown: "42", "< 5", "3,8"
    share: str  # "38%" or "–"
    value: float | None  # what the chart draws; None when the figure is hidden


@dataclass(frozen=True)
class Chart:
    """A bar chart; ``alt`` describes it in words for whoever cannot see it."""

    title: str
    unit: str  # what a bar counts: "deelnemers", "gemiddelde punten"
    bars: tuple[Bar, ...]
    alt: str
    table: bool = True  # False when the block's own table already holds these figures

    def as_table(self) -> Table:
        """The same bars as a table (the share column only when some bar has one)."""
        if any(b.share for b in self.bars):
            return Table(
                self.title,
                ("", self.unit.capitalize(), "Aandeel"),
                tuple((b.label, b.text, b.share) for b in self.bars),
            )
        return Table(
            self.title, ("", self.unit.capitalize()), tuple((b.label, b.text) for b in self.bars)
        )


@dataclass(frozen=True)
class Quote:
    """A contribution as participants read it (masked), verbatim; ``note`` says how it fared."""

    text: str
    note: str = ""


@dataclass(frozen=True)
class Block:
    heading: str
    paragraphs: tuple[str, ...] = ()
    charts: tuple[Chart, ...] = ()
    tables: tuple[Table, ...] = ()
    quotes: tuple[Quote, ...] = ()
    bullets: tuple[str, ...] = ()
    group: str = ""  # a heading over consecutive blocks (Verdiepen: the top theme they ask about)


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    paragraphs: tuple[str, ...]
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Report:
    title: str
    subtitle: str
    made_on: str
    introduction: tuple[str, ...]
    sections: tuple[Section, ...]  # the seven steps, then the route map
    headlines: tuple[str, ...]  # the few outcomes a results message names
    k: int

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)
