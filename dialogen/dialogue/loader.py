"""Reading dialogue files (YAML) into validated
:class:`~dialogen.dialogue.definition.Dialogue` values."""

from __future__ import annotations

from datetime import date
from importlib import resources
from pathlib import Path

import yaml
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from dialogen.dialogue.definition import Dialogue, demo_shift
from dialogen.errors import DialogueFileError

DEFAULT_DIALOGUE = "regionale-samenwerking.yaml"


def default_dialogue_path() -> Path:
    return Path(str(resources.files("dialogen") / "data" / DEFAULT_DIALOGUE))


def load_dialogue(path: Path | str) -> Dialogue:
    """Load and validate a dialogue file; every problem is reported with the file and its place."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DialogueFileError(str(path), [f"cannot read file: {exc.strerror}"]) from None
    return parse_dialogue(text, source=str(path))


def parse_dialogue(text: str, *, source: str = "<text>") -> Dialogue:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        raise DialogueFileError(
            source, [f"{where}not valid YAML ({getattr(exc, 'problem', exc)})"]
        ) from None
    if not isinstance(data, dict):
        raise DialogueFileError(source, ["the file must hold a mapping with title, steps, ..."])
    try:
        return Dialogue.model_validate(data)
    except ValidationError as exc:
        raise DialogueFileError(source, [_describe(err) for err in exc.errors()]) from None


def load_demo_dialogue(today: date, path: Path | str | None = None) -> Dialogue:
    """The dialogue with its calendar moved so that its first interactive step is open ``today``."""
    dialogue = load_dialogue(path or default_dialogue_path())
    return dialogue.shifted(demo_shift(dialogue, today))


def _describe(error: ErrorDetails) -> str:
    path = ""
    for part in error.get("loc", ()):
        if isinstance(part, int):
            path += f"[{part}]"
        elif part not in ("__root__",) and not str(part).startswith(("function-", "tagged-union")):
            path += f".{part}" if path else str(part)
    message = str(error.get("msg", "invalid"))
    message = message.removeprefix("Value error, ")
    # Model validators phrase their message as "field: problem"; fold the field into the path.
    head, sep, rest = message.partition(": ")
    if sep and head.replace("_", "").isalnum() and " " not in head:
        return f"{path}.{head}: {rest}" if path else f"{head}: {rest}"
    return f"{path}: {message}" if path else message
