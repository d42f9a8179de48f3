"""Shape rules that keep the project honest, read from the code's own imports:

- the domain does no I/O: ``dialogen`` (apart from ``dialogen/store``) imports no channel,
  scheduler or database library, and neither ``bot`` nor ``planning``;
- channels only translate: ``bot/teams`` and ``bot/mail`` import neither the store nor planning's
  internals (``planning.contracts`` is their one door into planning);
- botbuilder stays inside ``bot/teams`` (a later move to the Agents SDK touches one folder);
- no import cycles between the project's modules;
- every ``dialoog`` verb the README tells people to run exists.

Imports inside functions count; imports under ``if TYPE_CHECKING:`` do not (they are types only).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("dialogen", "bot", "planning", "manifest")
FORBIDDEN_IN_DOMAIN = frozenset(
    {
        "botbuilder",
        "botframework",
        "aiohttp",
        "exchangelib",
        "msal",
        "apscheduler",
        "sqlalchemy",
        "sqlmodel",
        "requests",
    }
)
CHANNELS = ("bot.teams", "bot.mail")
CHANNEL_MAY_USE_OF_PLANNING = frozenset({"planning.contracts"})


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(source: str, *, known: frozenset[str] = frozenset()) -> list[tuple[int, str]]:
    """Every absolute module ``source`` imports (at any depth, also inside functions), with its
    line; ``from a import b`` names ``a.b`` when that is one of the ``known`` modules. Imports
    under ``if TYPE_CHECKING:`` are left out."""
    tree = ast.parse(source)
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                found.append((node.lineno, candidate if candidate in known else node.module))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append((node.lineno, node.args[0].value))
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def project_modules() -> dict[str, Path]:
    return {
        module_name(path): path
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
    }


MODULES = project_modules()
KNOWN = frozenset(MODULES)


def graph() -> dict[str, set[str]]:
    """Module -> the project modules it imports."""
    edges: dict[str, set[str]] = {}
    for name, path in MODULES.items():
        targets = {target for _, target in imports_of(path.read_text("utf-8"), known=KNOWN)}
        edges[name] = {t for t in targets if t in KNOWN and t != name}
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = iter(range(1_000_000))

    def connect(node: str) -> None:
        index[node] = low[node] = next(counter)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component: list[str] = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            connect(node)
    return found


def _violations(modules: Iterator[str], broken: object) -> list[str]:
    lines = []
    for name in modules:
        for line, target in imports_of(MODULES[name].read_text("utf-8"), known=KNOWN):
            if broken(target):  # type: ignore[operator]
                lines.append(f"{MODULES[name].relative_to(ROOT)}:{line} imports {target}")
    return lines


def _under(name: str, *packages: str) -> bool:
    return any(name == p or name.startswith(p + ".") for p in packages)


# ---------------------------------------------------------------- the rules


def test_the_walk_sees_every_package() -> None:
    assert {"dialogen.door.door", "dialogen.conversation.engine", "bot.runtime"} <= KNOWN
    assert {"bot.teams.channel", "bot.mail.inbound.intake", "planning.sender"} <= KNOWN


@pytest.mark.parametrize(
    "module",
    sorted(m for m in MODULES if _under(m, "dialogen") and not _under(m, "dialogen.store")),
)
def test_the_domain_imports_no_channel_scheduler_or_database_library(module: str) -> None:
    offending = _violations(
        iter([module]),
        lambda target: (
            target.split(".")[0] in FORBIDDEN_IN_DOMAIN or _under(target, "bot", "planning")
        ),
    )
    assert not offending, "\n".join(offending)


def test_the_domain_never_reaches_up_into_the_bot_or_planning() -> None:
    store = sorted(m for m in MODULES if _under(m, "dialogen.store"))
    offending = _violations(iter(store), lambda target: _under(target, "bot", "planning"))
    assert not offending, "\n".join(offending)


def test_planning_never_reaches_up_into_the_bot() -> None:
    planning = sorted(m for m in MODULES if _under(m, "planning"))
    offending = _violations(iter(planning), lambda target: _under(target, "bot"))
    assert not offending, "\n".join(offending)


def test_channels_only_translate_no_store_no_planning_internals() -> None:
    channels = sorted(m for m in MODULES if _under(m, *CHANNELS))
    offending = _violations(
        iter(channels),
        lambda target: (
            _under(target, "dialogen.store")
            or (_under(target, "planning") and target not in CHANNEL_MAY_USE_OF_PLANNING)
        ),
    )
    assert not offending, "\n".join(offending)


def test_botbuilder_is_imported_only_in_the_teams_channel() -> None:
    elsewhere = sorted(m for m in MODULES if not _under(m, "bot.teams"))
    offending = _violations(
        iter(elsewhere), lambda target: target.split(".")[0] in ("botbuilder", "botframework")
    )
    assert not offending, "\n".join(offending)


def test_there_are_no_import_cycles() -> None:
    found = cycles(graph())
    assert not found, "import cycles:\n" + "\n".join(" -> ".join(c) for c in found)


# ---------------------------------------------------------------- the checks can fail


def test_the_import_walk_catches_a_forbidden_import_but_not_a_type_only_one() -> None:
    source = (
        "import os\nfrom typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
        "    from botbuilder.core import TurnContext\n\n"
        "def f():\n    from sqlalchemy.orm import Session\n"
        "    import importlib\n    importlib.import_module('aiohttp.web')\n"
    )
    roots = {name.split(".")[0] for _, name in imports_of(source)}
    assert {"sqlalchemy", "aiohttp"} <= roots and "botbuilder" not in roots


def test_the_cycle_finder_finds_a_cycle_and_only_that() -> None:
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert cycles(edges) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_from_package_import_module_counts_as_importing_the_module() -> None:
    known = frozenset({"dialogen.store.outbox"})
    assert imports_of("from dialogen.store import outbox\n", known=known) == [
        (1, "dialogen.store.outbox")
    ]


# ---------------------------------------------------------------- the README's verbs exist

README = ROOT / "README.md"
_FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
_INLINE = re.compile(r"`([^`\n]+)`")
_VERB = re.compile(r"(?:^|[\s/;&|(])dialoog\s+([a-z][a-z0-9-]*)")


def _advertised_verbs() -> set[str]:
    text = README.read_text(encoding="utf-8")
    code = [m.group(1) for m in _FENCE.finditer(text)]
    prose = _FENCE.sub("", text)
    code += [m.group(1) for m in _INLINE.finditer(prose)]
    return {verb for block in code for verb in _VERB.findall(block)}


def test_the_readme_advertises_the_main_verbs() -> None:
    assert {"serve", "check"} <= _advertised_verbs()


@pytest.mark.parametrize("verb", sorted(_advertised_verbs()))
def test_every_verb_the_readme_advertises_exists(
    verb: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        main([verb, "--help"])
    assert caught.value.code == 0, f"`dialoog {verb}` is in the README but not a command"
    assert verb in capsys.readouterr().out
