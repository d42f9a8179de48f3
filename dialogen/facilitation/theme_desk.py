"""The facilitator commands about themes and priorities, carried out (the caller has checked the
facilitator list): typed text in Teams or mail, and the Teams cards that send the same text."""

from __future__ import annotations

from dataclasses import dataclass

from dialogen.conversation.replies import Say
from dialogen.facilitation import theme_messages as tmsg
from dialogen.facilitation.priority_results import (
    DIMENSION_WORDS,
    PriorityResults,
    QuestionPriorities,
    priorities_text,
)
from dialogen.facilitation.theme_commands import PrioritiesCommand, ThemeCommand
from dialogen.facilitation.themes import CurationResult, ThemeCuration, ThemeView


@dataclass(frozen=True)
class PrioritiesView:
    """What ``prioriteiten`` shows (the channel renders it; as text: ``text``)."""

    results: tuple[QuestionPriorities, ...]
    dimension: str | None

    @property
    def text(self) -> str:
        return priorities_text(self.results, dimension=self.dimension)


ThemeReply = Say | ThemeView | PrioritiesView


def run_theme_command(
    curation: ThemeCuration, actor: str, command: ThemeCommand
) -> tuple[ThemeReply, ...]:
    action, args = command.action, command.arguments
    if action == "help":
        return (Say(tmsg.THEMES_HELP),)
    if action == "toon":
        view = curation.view(actor=actor)
        return (view,) if view is not None else (Say(tmsg.NO_THEMES),)
    result: CurationResult
    if action == "bereken":
        result = curation.compute(actor=actor)
    elif action == "publiceer":
        result = curation.publish(actor=actor)
    elif action == "hernoem":
        result = curation.rename(actor=actor, theme=args[0], label=args[1])
    elif action == "voeg":
        result = curation.merge(actor=actor, source=args[0], target=args[1])
    elif action == "splits":
        result = curation.split(actor=actor, theme=args[0], codes=args[1].split(","), label=args[2])
    elif action == "verplaats":
        result = curation.move(actor=actor, code=args[0], target=args[1])
    elif action == "volgorde":
        result = curation.order(actor=actor, themes=args)
    elif action == "schrap":
        result = curation.drop(actor=actor, theme=args[0])
    else:
        raise ValueError(f"unknown theme action {action!r}")
    replies: tuple[ThemeReply, ...] = (Say(result.text),)
    return replies + ((result.view,) if result.view is not None else ())


def run_priorities(
    priorities: PriorityResults, actor: str, command: PrioritiesCommand
) -> tuple[ThemeReply, ...]:
    results = priorities.compute(actor=actor)
    if not results:
        return (Say(tmsg.NO_PRIORITY_ANSWERS),)
    dimension = DIMENSION_WORDS.get(command.dimension) if command.dimension else None
    return (PrioritiesView(results, dimension),)
