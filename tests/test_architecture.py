"""Shape rules that keep the project honest: the domain does no I/O (only ``dialogen/store``
talks to the database), and every ``dialoog`` verb the README tells people to run exists."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from bot.cli.command import main

ROOT = Path(__file__).resolve().parents[1]
DOMAIN = ROOT / "dialogen"
STORE = DOMAIN / "store"
FORBIDDEN = frozenset(
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


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every absolute module a file imports, at any depth (also inside functions), with its line."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append((node.lineno, node.args[0].value))
    return found


def _domain_modules() -> list[Path]:
    return sorted(p for p in DOMAIN.rglob("*.py") if STORE not in p.parents)


def test_the_walk_sees_the_domain_modules() -> None:
    names = {p.name for p in _domain_modules()}
    assert {"engine.py", "answering.py", "definition.py", "service.py"} <= names
    assert not any(STORE in p.parents for p in _domain_modules())


@pytest.mark.parametrize("module", _domain_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_domain_imports_no_channel_scheduler_or_database_library(module: Path) -> None:
    offending = [
        f"{module.relative_to(ROOT)}:{line} imports {name}"
        for line, name in _imports(module)
        if name.split(".")[0] in FORBIDDEN
    ]
    assert not offending, "\n".join(offending)


def test_the_import_walk_catches_a_forbidden_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import os\n\ndef f():\n    from sqlalchemy.orm import Session\n"
        "    import importlib\n    importlib.import_module('aiohttp.web')\n",
        encoding="utf-8",
    )
    roots = {name.split(".")[0] for _, name in _imports(sample)}
    assert {"sqlalchemy", "aiohttp"} <= roots


# ---------------------------------------------------------------- the README's verbs exist

README = ROOT / "README.md"
_FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
_INLINE = re.compile(r"`([^`\n]+)`")
_VERB = re.compile(r"(?:^|[\s/;&|(])dialoog\s+([a-z][a-z0-9-]*)")


def _advertised_verbs() -> set[str]:
    if not README.exists():
        return set()
    text = README.read_text(encoding="utf-8")
    code = [m.group(1) for m in _FENCE.finditer(text)]
    prose = _FENCE.sub("", text)
    code += [m.group(1) for m in _INLINE.finditer(prose)]
    return {verb for block in code for verb in _VERB.findall(block)}


def test_the_readme_advertises_the_main_verbs() -> None:
    if not README.exists():
        pytest.skip("README.md is not written yet")
    assert {"serve", "check"} <= _advertised_verbs()


@pytest.mark.parametrize("verb", sorted(_advertised_verbs()) or ["<no README yet>"])
def test_every_verb_the_readme_advertises_exists(
    verb: str, capsys: pytest.CaptureFixture[str]
) -> None:
    if not README.exists():
        pytest.skip("README.md is not written yet")
    with pytest.raises(SystemExit) as caught:
        main([verb, "--help"])
    assert caught.value.code == 0, f"`dialoog {verb}` is in the README but not a command"
    assert verb in capsys.readouterr().out
