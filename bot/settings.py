"""All configuration, read once from the environment (prefix ``DIALOOG_``) into one validated object.

Secrets are ``SecretStr``: they never show in logs or reprs. Nothing else reads ``os.environ``.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DIALOOG_", env_file=None, extra="ignore")

    database_url: str = Field(
        default="sqlite:///dialoog.db",
        validation_alias=AliasChoices("DIALOOG_DATABASE_URL", "DATABASE_URL"),
        description="SQLAlchemy URL; sqlite:///file.db (default) or postgresql+psycopg://...",
    )
    dialogue_file: Path | None = Field(default=None, description="Dialogue YAML; default: the shipped one")
    demo_calendar: bool | None = Field(
        default=None, description="Move the calendar so the first interactive step is open today "
        "(default: on when no dialogue file is given)")
    networks_file: Path | None = Field(default=None, description="CSV (netwerk,cbs_code) replacing the shipped networks")
    host: str = "127.0.0.1"
    port: int = Field(default=3978, ge=1, le=65535)

    # Bot Framework / Entra app registration. No app id = local mode (no token validation).
    app_id: str | None = Field(default=None, validation_alias=AliasChoices("DIALOOG_APP_ID", "MICROSOFT_APP_ID"))
    app_password: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("DIALOOG_APP_PASSWORD", "MICROSOFT_APP_PASSWORD"))
    app_tenant_id: str | None = Field(
        default=None, validation_alias=AliasChoices("DIALOOG_APP_TENANT_ID", "MICROSOFT_APP_TENANT_ID"))
    app_type: Literal["SingleTenant", "MultiTenant", "UserAssignedMSI"] = "SingleTenant"
    certificate_thumbprint: str | None = None
    certificate_private_key_file: Path | None = None
    openid_metadata_url: str | None = Field(
        default=None, description="Override of the Bot Framework OpenID metadata URL (sovereign clouds, tests)")

    pseudonym_secret: SecretStr | None = Field(
        default=None, description="Key for answer pseudonyms (32+ random bytes, hex or text). Required "
        "with an app id; in local mode one is generated into pseudonym_secret_file.")
    pseudonym_secret_file: Path = Path("dialoog.secret")
    facilitators: list[str] = Field(default_factory=list, description="Entra object ids or e-mail addresses")
    log_level: str = "INFO"

    @model_validator(mode="after")
    def _check(self) -> Settings:
        if self.app_id:
            if self.app_type == "SingleTenant" and not self.app_tenant_id:
                raise ValueError("DIALOOG_APP_TENANT_ID is required for a SingleTenant app")
            if self.app_type != "UserAssignedMSI" and not (self.app_password or self.certificate_thumbprint):
                raise ValueError("DIALOOG_APP_PASSWORD or a certificate is required with an app id")
            if self.pseudonym_secret is None:
                raise ValueError("DIALOOG_PSEUDONYM_SECRET is required when the bot runs with an app id")
        if self.pseudonym_secret is not None and len(self.pseudonym_secret.get_secret_value()) < 32:
            raise ValueError("DIALOOG_PSEUDONYM_SECRET must be at least 32 characters")
        return self

    @property
    def local_mode(self) -> bool:
        return not self.app_id

    @property
    def use_demo_calendar(self) -> bool:
        return self.demo_calendar if self.demo_calendar is not None else self.dialogue_file is None

    def pseudonym_key(self) -> bytes:
        """The pseudonym secret; in local mode generated once and kept in a 0600 file."""
        if self.pseudonym_secret is not None:
            return self.pseudonym_secret.get_secret_value().encode()
        path = self.pseudonym_secret_file
        if not path.exists():
            path.write_text(secrets.token_hex(32))
            path.chmod(0o600)
        return path.read_text().strip().encode()
