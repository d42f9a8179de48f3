"""All configuration, read once from the environment (prefix ``DIALOOG_``) into one validated
object.

Secrets are ``SecretStr``: they never show in logs or reprs. Nothing else reads ``os.environ``.
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.secret_checks import loopback, password_problem, secret_problem
from planning.pacing import parse_windows


class Settings(BaseSettings):
    # populate_by_name: Settings(app_id=...) must work in code too; without it a field with an
    # alias silently ignored its own name, and the bot fell back to local mode.
    model_config = SettingsConfigDict(
        env_prefix="DIALOOG_", env_file=None, extra="ignore", populate_by_name=True
    )

    database_url: str = Field(
        default="sqlite:///dialoog.db",
        validation_alias=AliasChoices("DIALOOG_DATABASE_URL", "DATABASE_URL"),
        description="SQLAlchemy URL; sqlite:///file.db (default) or postgresql+psycopg://...",
    )
    dialogue_file: Path | None = Field(
        default=None, description="Dialogue YAML; default: the shipped one"
    )
    demo_calendar: bool | None = Field(
        default=None,
        description="Move the calendar so the first interactive step is open today "
        "(default: on when no dialogue file is given)",
    )
    networks_file: Path | None = Field(
        default=None, description="CSV (netwerk,cbs_code) replacing the shipped networks"
    )
    host: str = "127.0.0.1"
    insecure_local_mode: bool = Field(
        default=False,
        description="Allow local mode (no token validation) on a non-loopback address",
    )
    port: int = Field(default=3978, ge=1, le=65535)

    # Bot Framework / Entra app registration. No app id = local mode (no token validation).
    app_id: str | None = Field(
        default=None, validation_alias=AliasChoices("DIALOOG_APP_ID", "MICROSOFT_APP_ID")
    )
    app_password: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("DIALOOG_APP_PASSWORD", "MICROSOFT_APP_PASSWORD"),
    )
    app_tenant_id: str | None = Field(
        default=None,
        validation_alias=AliasChoices("DIALOOG_APP_TENANT_ID", "MICROSOFT_APP_TENANT_ID"),
    )
    app_type: Literal["SingleTenant", "MultiTenant", "UserAssignedMSI"] = "SingleTenant"
    certificate_thumbprint: str | None = None
    certificate_private_key_file: Path | None = None
    openid_metadata_url: str | None = Field(
        default=None,
        description="Override of the Bot Framework OpenID metadata URL (sovereign clouds, tests)",
    )
    login_url: str | None = Field(
        default=None,
        description="Override of the Entra authority that issues the bot's outbound tokens, "
        "e.g. https://login.microsoftonline.com/<tenant> (sovereign clouds, tests)",
    )

    pseudonym_secret: SecretStr | None = Field(
        default=None,
        description="Key for answer pseudonyms (32+ random bytes, hex or text). Required "
        "with an app id; in local mode one is generated into pseudonym_secret_file.",
    )
    pseudonym_secret_file: Path = Path("dialoog.secret")
    facilitators: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Entra object ids or e-mail addresses, comma-separated"
    )

    @field_validator("facilitators", mode="before")
    @classmethod
    def _split_facilitators(cls, value: object) -> object:
        """``DIALOOG_FACILITATORS=id-1,ann@gemeente.nl`` (a JSON list works too)."""
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                return json.loads(text)
            return [part.strip() for part in text.split(",") if part.strip()]
        return value

    # ------------------------------------------------------------ Teams app installation (issue 3)
    # Optional: with these set, `dialoog teams-install` installs the bot for invitees through Graph
    # (POST /users/{id}/teamwork/installedApps; application permission
    # TeamsAppInstallation.ReadWriteSelfForUser.All). Login host and Graph root: mail_authority_host
    # and graph_base_url below.
    teams_catalog_app_id: str | None = Field(
        default=None,
        description="The bot's app id in the organisation's Teams app catalog (teamsApp id)",
    )
    teams_install_tenant_id: str | None = None
    teams_install_client_id: str | None = None
    teams_install_client_secret: SecretStr | None = None
    log_level: str = "INFO"

    # ------------------------------------------------------------ facilitator dashboard (issue 15)
    # Sign-in with Entra ID (authorization code flow with PKCE) for the facilitators. Without a
    # client id the dashboard offers a development sign-in, only on a loopback address.
    dashboard_client_id: str | None = Field(
        default=None, description="Entra app (client) id of the dashboard's sign-in"
    )
    dashboard_client_secret: SecretStr | None = None
    dashboard_tenant_id: str | None = None
    dashboard_authority_host: str = Field(
        default="https://login.microsoftonline.com",
        description="Entra login host (sovereign clouds, tests)",
    )
    dashboard_ca_file: Path | None = Field(
        default=None, description="CA bundle that verifies the login host (a private CA, tests)"
    )
    dashboard_public_url: str | None = Field(
        default=None, description="https address of the bot as browsers reach it (sign-in reply)"
    )
    dashboard_idle_minutes: int = Field(default=30, ge=1, le=24 * 60)
    dashboard_session_hours: int = Field(default=8, ge=1, le=72)
    dashboard_refresh_seconds: int = Field(default=30, ge=5, le=3600)

    # ------------------------------------------------------------ outbox sender (issue 3)
    # Rate limits are sliding windows "count/seconds", comma-separated (planning/pacing.py).
    # Teams: per bot per conversation 7/1 s, 8/2 s, 60/30 s and 1,800/hour; per app per tenant about
    # 50 requests/s. Every process that drains the outbox paces on its own: with several (PostgreSQL
    # replicas) give each its share of the app limit, e.g. "25/1" for two.
    # Mail (Exchange Online): 30 mails per minute and 10,000 recipients per day per mailbox.
    outbox_teams_conversation_limits: str = "7/1,8/2,60/30,1800/3600"
    outbox_teams_app_limits: str = "50/1"
    outbox_mail_limits: str = "30/60,10000/86400"
    outbox_pacing_margin: float = Field(
        default=0.02, ge=0, le=1, description="Seconds added to every window, for network jitter"
    )
    outbox_enabled: bool = Field(default=True, description="dialoog serve drains the outbox")
    scheduler_enabled: bool = Field(
        default=True,
        description="dialoog serve runs the calendar's step prompts, nudges and "
        "thank-yous (on PostgreSQL one replica at a time)",
    )
    outbox_concurrency: int = Field(
        default=8,
        ge=1,
        le=64,
        description="Messages in flight at once; also the most that can "
        "arrive twice after a crash (see planning/sender.py)",
    )
    outbox_lease_seconds: float = Field(
        default=60,
        ge=1,
        description="How long a claimed message is reserved; after a crash it is "
        "sent again once this has passed",
    )
    outbox_max_attempts: int = Field(
        default=8, ge=1, description="Attempts per message before it fails"
    )
    outbox_backoff_seconds: float = Field(
        default=1, gt=0, description="First retry delay (doubles each time)"
    )
    outbox_backoff_max_seconds: float = Field(default=600, gt=0, description="Longest retry delay")
    outbox_poll_seconds: float = Field(
        default=2, gt=0, description="How often an idle sender looks for work"
    )

    # ------------------------------------------------------------ privacy at rest (issue 9)
    outbox_keep_days: int = Field(
        default=30,
        ge=0,
        description="Days a finished outbox message (its payload already wiped) is kept "
        "before it is deleted",
    )
    purge_after_days: int = Field(
        default=90,
        ge=0,
        description="Days after the dialogue's last step closes before 'dialoog purge' may "
        "remove every identity (participants, their progress, messages, references)",
    )
    privacy_housekeeping_minutes: int = Field(
        default=60,
        ge=1,
        description="How often the outbox sender deletes old finished messages and (PostgreSQL) "
        "rewrites the answer table in random order",
    )

    @field_validator(
        "outbox_teams_conversation_limits", "outbox_teams_app_limits", "outbox_mail_limits"
    )
    @classmethod
    def _check_limits(cls, value: str) -> str:
        parse_windows(value)
        return value

    # ------------------------------------------------------------ mail channel (issue 4)
    # Which transport carries mail (bot/mail/transports):
    #   folder  .eml files in mail_folder_inbox / mail_folder_outbox; no server needed (default)
    #   imap    IMAP for incoming, SMTP for outgoing mail (any mail system)
    #   graph   Microsoft Graph, app-only (msal client credentials): Exchange Online
    #   ews     Exchange Web Services (exchangelib): Exchange Server on premises,
    #           allow-listed tenants
    #   none    the mail channel is off
    mail_transport: Literal["folder", "imap", "graph", "ews", "none"] = "folder"
    mail_address: str | None = Field(
        default=None,
        description="The dialogue mailbox: From of outgoing mail, the mailbox Graph/EWS read",
    )
    mail_poll_interval: float = Field(default=30.0, ge=1, description="Seconds between inbox polls")
    mail_batch_size: int = Field(
        default=50, ge=1, le=1000, description="Most messages fetched per poll"
    )
    mail_timeout: float = Field(
        default=30.0, gt=0, description="Network timeout per request, seconds"
    )
    mail_tls_ca_file: Path | None = Field(
        default=None,
        description="CA bundle to trust instead of the system store for mail connections",
    )
    mail_processed_folder: str | None = Field(
        default=None,
        description="imap/graph/ews with DIALOOG_MAIL_KEEP_PROCESSED > 0: also move processed "
        "mail into this folder (it is always marked read); graph takes a folder id or "
        "well-known name",
    )
    mail_keep_processed: int = Field(
        default=0,
        ge=0,
        description="Days processed mail is kept. 0 (default): deleted once processed (from the "
        "folder, or from the mailbox for imap/graph/ews). More: the folder transport keeps it "
        "sealed that long; imap/graph/ews leave it in the mailbox (read, or in the processed "
        "folder), where the mailbox's own retention applies",
    )
    mail_folder_inbox: Path = Path("mail/in")
    mail_folder_outbox: Path = Path("mail/out")
    mail_state_dir: Path = Field(
        default=Path("mail/state"), description="Transport state (the Graph delta link)"
    )
    imap_host: str | None = None
    imap_port: int | None = Field(
        default=None, ge=1, le=65535, description="Default 993 (tls) or 143"
    )
    imap_security: Literal["tls", "starttls", "none"] = "tls"
    imap_username: str | None = None
    imap_password: SecretStr | None = None
    imap_mailbox: str = "INBOX"
    smtp_host: str | None = None
    smtp_port: int | None = Field(
        default=None, ge=1, le=65535, description="Default 465 (tls), 587 (starttls), 25"
    )
    smtp_security: Literal["tls", "starttls", "none"] = "starttls"
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    # The Entra app registration used by graph, and by ews with ews_auth=oauth.
    mail_tenant_id: str | None = None
    mail_client_id: str | None = None
    mail_client_secret: SecretStr | None = None
    mail_authority_host: str = Field(
        default="https://login.microsoftonline.com",
        description="Login host (sovereign clouds, tests)",
    )
    graph_base_url: str = Field(
        default="https://graph.microsoft.com/v1.0", description="Graph root (tests)"
    )
    graph_unique_body: bool = Field(
        default=True, description="Also fetch uniqueBody (the new part of a reply)"
    )
    ews_url: str | None = Field(
        default=None, description="e.g. https://mail.gemeente.nl/EWS/Exchange.asmx"
    )
    ews_auth: Literal["oauth", "basic", "ntlm"] = "ntlm"
    ews_username: str | None = Field(
        default=None, description="DOMAIN\\user or user@domain (basic/ntlm)"
    )
    ews_password: SecretStr | None = None
    ews_server_version: str | None = Field(
        default=None, description="Exchange build, e.g. 15.2.1118.7: skips version discovery"
    )
    ews_oauth_scope: str = "https://outlook.office365.com/.default"
    # What the mail channel sends and accepts (bot/mail/outbound.py, bot/mail/inbound.py).
    mail_from_name: str | None = Field(
        default=None, description="Sender name; default: the dialogue's title"
    )
    mail_token_secret: SecretStr | None = Field(
        default=None,
        description="Key for reply tokens in mail addresses and links (32+ characters); "
        "default: derived from the pseudonym secret",
    )
    mail_plus_addressing: bool = Field(
        default=True,
        description="Reply-To dialoog+<token>@...: the mailbox must accept plus addresses "
        "(Exchange Online does); off: the token travels in the subject and In-Reply-To only",
    )
    mail_public_url: str | None = Field(
        default=None,
        description="Public https address of the bot, for the one-click 'Afmelden' link; "
        "default: http://<host>:<port>",
    )
    mail_max_bytes: int = Field(
        default=10 * 1024 * 1024, ge=64 * 1024, description="Larger mails are cut"
    )
    mail_replies_per_hour: int = Field(
        default=5, ge=1, description="Most answers to one address per hour (mail-loop protection)"
    )
    mail_read_workers: int = Field(
        default=1,
        ge=0,
        le=16,
        description="Processes that read (parse) inbound mail beside the bot's own, "
        "so a backlog does not slow Teams turns; 0 = read in the bot's process",
    )

    @model_validator(mode="after")
    def _check(self) -> Settings:
        if self.app_id:
            if self.app_type == "SingleTenant" and not self.app_tenant_id:
                raise ValueError("DIALOOG_APP_TENANT_ID is required for a SingleTenant app")
            if self.app_type != "UserAssignedMSI" and not (
                self.app_password or self.certificate_thumbprint
            ):
                raise ValueError("DIALOOG_APP_PASSWORD or a certificate is required with an app id")
            if self.pseudonym_secret is None:
                raise ValueError(
                    "DIALOOG_PSEUDONYM_SECRET is required when the bot runs with an app id"
                )
        if self.pseudonym_secret is not None and len(self.pseudonym_secret.get_secret_value()) < 32:
            raise ValueError("DIALOOG_PSEUDONYM_SECRET must be at least 32 characters")
        if (
            self.mail_token_secret is not None
            and len(self.mail_token_secret.get_secret_value()) < 32
        ):
            raise ValueError("DIALOOG_MAIL_TOKEN_SECRET must be at least 32 characters")
        problems = [
            secret_problem(f"DIALOOG_{name.upper()}", value.get_secret_value())
            for name in ("pseudonym_secret", "mail_token_secret")
            if (value := getattr(self, name)) is not None
        ]
        if self.app_password is not None:
            problems.append(
                password_problem("DIALOOG_APP_PASSWORD", self.app_password.get_secret_value())
            )
        if self.local_mode and not self.insecure_local_mode and not loopback(self.host):
            problems.append(
                f"without DIALOOG_APP_ID the bot validates no tokens: it listens on {self.host} "
                "only with --insecure-local-mode (DIALOOG_INSECURE_LOCAL_MODE=true); "
                "use 127.0.0.1 or configure the app registration"
            )
        if found := [problem for problem in problems if problem]:
            raise ValueError("; ".join(found))
        return self

    @model_validator(mode="after")
    def _check_mail(self) -> Settings:
        required = {
            "imap": ("mail_address", "imap_host", "imap_username", "imap_password", "smtp_host"),
            "graph": ("mail_address", "mail_tenant_id", "mail_client_id", "mail_client_secret"),
            "ews": ("mail_address", "ews_url")
            + (
                ("mail_tenant_id", "mail_client_id", "mail_client_secret")
                if self.ews_auth == "oauth"
                else ("ews_username", "ews_password")
            ),
        }.get(self.mail_transport, ())
        missing = [f"DIALOOG_{name.upper()}" for name in required if getattr(self, name) is None]
        if missing:
            raise ValueError(f"mail transport '{self.mail_transport}' needs {', '.join(missing)}")
        return self

    @property
    def teams_install_configured(self) -> bool:
        return all(
            (
                self.teams_catalog_app_id,
                self.teams_install_tenant_id,
                self.teams_install_client_id,
                self.teams_install_client_secret,
            )
        )

    @property
    def dashboard_entra(self) -> bool:
        return bool(
            self.dashboard_client_id and self.dashboard_client_secret and self.dashboard_tenant_id
        )

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
        kept = path.read_text().strip()
        if problem := secret_problem(str(path), kept):
            raise ValueError(problem)
        return kept.encode()
