"""What every ``dialoog`` verb receives: the parsed arguments, the settings (the environment with
the verb's own overrides such as ``--dialogue``, ``--host``, ``--port``) and the runtime — built
once, on first use, so verbs that need no database (``check``, ``manifest``, ``mail extract``)
never open one."""

from __future__ import annotations

import argparse
import getpass
import logging
from dataclasses import dataclass, field

from pydantic import ValidationError

from bot.runtime import Runtime, build_runtime
from bot.settings import Settings

OVERRIDES = {
    "dialogue": "dialogue_file",
    "host": "host",
    "port": "port",
    "insecure_local_mode": "insecure_local_mode",
}
"""Verb options that override a setting: option name -> setting name."""


@dataclass
class Context:
    args: argparse.Namespace
    _settings: Settings | None = field(default=None, repr=False)
    _runtime: Runtime | None = field(default=None, repr=False)

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            overrides = {
                setting: getattr(self.args, option)
                for option, setting in OVERRIDES.items()
                if getattr(self.args, option, None) is not None
            }
            try:
                self._settings = Settings(**overrides)
            except ValidationError as exc:
                problems = "; ".join(
                    str(e["msg"]).removeprefix("Value error, ") for e in exc.errors()
                )
                raise SystemExit(f"Configuratiefout: {problems}") from None
        return self._settings

    @property
    def runtime(self) -> Runtime:
        if self._runtime is None:
            workers = getattr(self.args, "mail_read_workers", None)
            self._runtime = build_runtime(self.settings, mail_read_workers=workers)
        return self._runtime

    @property
    def actor(self) -> str:
        """Who acts, for the audit log: the operator's login on this machine."""
        return f"cli:{getpass.getuser()}"

    def configure_logging(self, level: str | None = None) -> None:
        logging.basicConfig(
            level=(level or self.settings.log_level).upper(),
            format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        )

    def close(self) -> None:
        if self._runtime is not None:
            self._runtime.close()
