"""Question kinds as registered units: see :mod:`.base` for the interface, :mod:`.registry` for
the look-up. Importing this package registers the built-in kinds (open, single, multiple,
scale, reactions, and the Voorkeuren kinds ranking, points and top)."""

from __future__ import annotations

from dialogen.conversation.kinds.base import (
    Kind,
    KindSettings,
    QuestionKind,
    Raw,
    Rejection,
    Summary,
    settings_of,
)
from dialogen.conversation.kinds.multiple import MultipleKind
from dialogen.conversation.kinds.open import OpenKind
from dialogen.conversation.kinds.points import PointsKind
from dialogen.conversation.kinds.ranking import RankingKind
from dialogen.conversation.kinds.reactions import ReactionsKind
from dialogen.conversation.kinds.registry import (
    find_kind,
    kind_named,
    kind_names,
    kind_of,
    register_kind,
    unregister_kind,
)
from dialogen.conversation.kinds.scale import ScaleKind
from dialogen.conversation.kinds.single import SingleKind
from dialogen.conversation.kinds.top import TopKind

__all__ = [
    "Kind",
    "KindSettings",
    "QuestionKind",
    "Raw",
    "Rejection",
    "Summary",
    "find_kind",
    "kind_named",
    "kind_names",
    "kind_of",
    "register_kind",
    "settings_of",
    "unregister_kind",
]

_BUILTINS: tuple[Kind, ...] = (OpenKind(), SingleKind(), MultipleKind(), ScaleKind())
_BUILTINS += (ReactionsKind(), RankingKind(), PointsKind(), TopKind())
for _builtin in _BUILTINS:
    register_kind(_builtin)
