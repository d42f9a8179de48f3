"""The dashboard's templates (``bot/web/templates``, autoescaped) and the filters they use."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
from markupsafe import Markup, escape

from dialogen.conversation import messages as msg

TEMPLATES = Path(__file__).parent / "templates"


def environment(zone: ZoneInfo) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )

    def when(moment: datetime) -> str:
        return msg.when(moment, zone)

    def day(moment: Any) -> str:
        return f"{moment.day}-{moment.month}-{moment.year}"

    env.filters.update(when=when, day=day, percent=percent, score=score, bold=_bold)
    return env


def percent(value: float | None) -> str:
    return "–" if value is None else f"{round(100 * value)}%"


def score(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}".replace(".", ",")


def _bold(text: str) -> Any:
    """A participant message's ``**bold**`` as <strong>, everything else escaped."""
    parts = str(escape(text)).split("**")
    html = "".join(f"<strong>{p}</strong>" if i % 2 else p for i, p in enumerate(parts))
    return Markup(html.replace("\n", "<br>"))
