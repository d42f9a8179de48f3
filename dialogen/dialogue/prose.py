"""Running text from a dialogue file, reflowed: the line breaks a YAML block keeps inside a
sentence ("maar zien nooit dat\\nze van u komen") would show as ragged lines in Teams and mail.

Blank lines stay paragraph breaks; a line that starts a list item ("- ", "* ", "1. ") or a line
ending in two spaces (a markdown hard break) stays on a line of its own.
"""

from __future__ import annotations

import re

_PARAGRAPH = re.compile(r"\n[ \t]*\n")
_LIST_ITEM = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s")


def reflow(text: str) -> str:
    """``text`` with the line breaks inside each paragraph replaced by spaces."""
    return "\n\n".join(_paragraph(part) for part in _PARAGRAPH.split(text.strip()) if part.strip())


def _paragraph(part: str) -> str:
    lines: list[str] = []
    for raw in part.split("\n"):
        line = raw.strip()
        if not line:
            continue
        hard_break = bool(lines) and lines[-1].endswith("\n")
        if lines and not hard_break and not _LIST_ITEM.match(raw):
            lines[-1] = f"{lines[-1]} {line}"
        else:
            lines.append(line)
        if raw.endswith("  "):
            lines[-1] += "\n"
    return "\n".join(line.rstrip("\n") for line in lines)
