"""Placeholder and predictable secrets are refused with a clear message, and local mode (no token
validation) listens on a public address only when the operator says "insecure" out loud."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.cli.command import main
from bot.settings import Settings

GOOD = "9f2c4e6a8b0d1f3e5a7c9b1d3f5e7a9c0b2d4f6e"
APP = {
    "app_id": "5f0c7e2a-5b8e-4c1e-9f3e-2d6a0b1c9e77",
    "app_tenant_id": "t",
    "app_password": "Qx8~kR2.vN5_mT9-wL4zH7sJ1pB3cF6yD0gA",
}


@pytest.mark.parametrize(
    "secret",
    [
        " " * 32,
        "x" * 32,
        "ab" * 20,
        "CHANGE_ME_TO_A_LONG_RANDOM_VALUE_PLEASE",
        "<your-pseudonym-secret-of-32-characters>",
        "your-secret-here-0123456789abcdefghijkl",
        " " + GOOD,  # pasted with a space
    ],
)
def test_a_placeholder_or_predictable_pseudonym_secret_is_refused(secret: str, tmp_path: Path):
    with pytest.raises(
        ValidationError, match="DIALOOG_PSEUDONYM_SECRET is (a placeholder|too predictable)"
    ):
        Settings(pseudonym_secret=secret, pseudonym_secret_file=tmp_path / "s")


def test_a_random_pseudonym_secret_is_accepted(tmp_path: Path):
    for _ in range(50):
        Settings(pseudonym_secret=secrets.token_hex(16), pseudonym_secret_file=tmp_path / "s")
    Settings(pseudonym_secret=GOOD, **APP)


@pytest.mark.parametrize(
    "password", ["changeme", "CHANGE_ME", "<your-client-secret>", "password", "xxxx"]
)
def test_a_placeholder_app_password_is_refused(password: str):
    with pytest.raises(ValidationError, match="DIALOOG_APP_PASSWORD is a placeholder"):
        Settings(pseudonym_secret=GOOD, **{**APP, "app_password": password})


def test_a_mail_token_secret_placeholder_is_refused(tmp_path: Path):
    with pytest.raises(ValidationError, match="DIALOOG_MAIL_TOKEN_SECRET is a placeholder"):
        Settings(pseudonym_secret=GOOD, mail_token_secret="CHANGE_ME" * 4)


def test_a_placeholder_in_the_secret_file_is_refused(tmp_path: Path):
    (tmp_path / "dialoog.secret").write_text("x" * 64)
    with pytest.raises(ValueError, match="too predictable"):
        Settings(pseudonym_secret_file=tmp_path / "dialoog.secret").pseudonym_key()


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "10.0.0.5", "bot.example.nl"])
def test_local_mode_on_a_public_address_needs_the_insecure_flag(host: str, tmp_path: Path):
    with pytest.raises(ValidationError, match="insecure-local-mode"):
        Settings(host=host, pseudonym_secret_file=tmp_path / "s")
    assert Settings(host=host, insecure_local_mode=True).local_mode
    Settings(host=host, pseudonym_secret=GOOD, **APP)  # with an app id tokens are validated


@pytest.mark.parametrize("host", ["127.0.0.1", "::1", "localhost", "127.0.0.2"])
def test_local_mode_on_loopback_needs_no_flag(host: str):
    assert Settings(host=host).local_mode


def test_dialoog_serve_on_a_public_address_without_app_id_stops_with_a_clear_message(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit, match="Configuratiefout: .*--insecure-local-mode"):
        main(["serve", "--host", "0.0.0.0"])
    monkeypatch.setenv("DIALOOG_APP_PASSWORD", "changeme")
    monkeypatch.setenv("DIALOOG_APP_ID", APP["app_id"])
    monkeypatch.setenv("DIALOOG_APP_TENANT_ID", "t")
    monkeypatch.setenv("DIALOOG_PSEUDONYM_SECRET", GOOD)
    with pytest.raises(SystemExit, match="DIALOOG_APP_PASSWORD is a placeholder"):
        main(["serve"])
