"""Commands the README tells people to copy work where nothing can prompt (scripts, CI)."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
_FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
_NPX = re.compile(r"\bnpx\b([^\n#]*)")


def test_every_npx_command_runs_without_a_prompt_and_pins_the_tested_version() -> None:
    pinned = json.loads((ROOT / "tests" / "e2e" / "package.json").read_text(encoding="utf-8"))
    versions = pinned["devDependencies"]
    commands = [c for block in _FENCE.findall(README) for c in _NPX.findall(block)]
    assert commands, "the README shows the simulator command"
    for arguments in commands:
        words = arguments.split()
        assert "--yes" in words, f"npx{arguments} would wait for a 'y' where npm cannot ask"
        package = next(w for w in words if w.startswith("@") or not w.startswith("-"))
        name, _, version = package.rpartition("@")
        assert name in versions, f"{package}: not the package the tests pin"
        assert version == versions[name], f"{package}: the tests use {versions[name]}"
