"""Bot Framework authentication from settings: token validation on inbound requests, credentials
for outbound replies (reused across turns, see ``outbound_clients``). With no app id the bot runs
in local mode and validates nothing."""

from __future__ import annotations

from dataclasses import dataclass

from botbuilder.integration.aiohttp import (
    ConfigurationBotFrameworkAuthentication,
    ConfigurationServiceClientCredentialFactory,
)
from botbuilder.schema import CallerIdConstants
from botframework.connector.auth import (
    AuthenticationConstants,
    BotFrameworkAuthentication,
    CertificateServiceClientCredentialsFactory,
    ServiceClientCredentialsFactory,
)

from bot.settings import Settings
from bot.teams import signing_keys
from bot.teams.outbound_clients import ReusedClients, ReusedCredentials


@dataclass(frozen=True)
class _BotConfig:
    """The attribute names botbuilder's configuration-based factories look for."""

    APP_ID: str | None
    APP_PASSWORD: str | None
    APP_TYPE: str
    APP_TENANTID: str | None
    TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL: str | None = None
    TO_BOT_FROM_CHANNEL_TOKEN_ISSUER: str | None = None
    TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL: str | None = None
    TO_CHANNEL_FROM_BOT_LOGIN_URL: str | None = None
    TO_CHANNEL_FROM_BOT_OAUTH_SCOPE: str | None = None
    OAUTH_URL: str | None = None
    CALLER_ID: str | None = None


def _endpoints(settings: Settings) -> dict[str, str]:
    """The public cloud's endpoints, with the overrides from settings.

    Setting any endpoint switches botbuilder from its built-in public-cloud authentication to a
    "parameterized" one that takes *every* endpoint from the configuration and has no defaults:
    given only the metadata URL it expects tokens without an issuer (and rejects Bot Framework's
    real ones) and has no login URL for its replies. So with an override all of them are given.
    """
    if not settings.app_id or not (settings.openid_metadata_url or settings.login_url):
        return {}  # botbuilder's built-in public-cloud authentication
    return {
        "TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL": (
            settings.openid_metadata_url
            or AuthenticationConstants.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL
        ),
        "TO_BOT_FROM_CHANNEL_TOKEN_ISSUER": (
            AuthenticationConstants.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER
        ),
        "TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL": (
            AuthenticationConstants.TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL
        ),
        # Like the built-in one: the login URL prefix; the credentials add the tenant themselves.
        "TO_CHANNEL_FROM_BOT_LOGIN_URL": (
            settings.login_url or AuthenticationConstants.TO_CHANNEL_FROM_BOT_LOGIN_URL_PREFIX
        ),
        "TO_CHANNEL_FROM_BOT_OAUTH_SCOPE": AuthenticationConstants.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE,
        "OAUTH_URL": AuthenticationConstants.OAUTH_URL,
        "CALLER_ID": CallerIdConstants.public_azure_channel.value,
    }


def bot_framework_authentication(settings: Settings) -> BotFrameworkAuthentication:
    signing_keys.install()  # refresh Bot Framework's keys once on an unknown key id
    password = settings.app_password.get_secret_value() if settings.app_password else None
    config = _BotConfig(
        APP_ID=settings.app_id,
        APP_PASSWORD=password,
        APP_TYPE=settings.app_type
        if settings.app_id
        else "MultiTenant",  # local mode: no credentials
        APP_TENANTID=settings.app_tenant_id,
        **_endpoints(settings),
    )
    factory: ServiceClientCredentialsFactory
    if (
        settings.app_id
        and settings.certificate_thumbprint
        and settings.certificate_private_key_file
    ):
        factory = CertificateServiceClientCredentialsFactory(
            settings.certificate_thumbprint,
            settings.certificate_private_key_file.read_text(),
            settings.app_id,
            settings.app_tenant_id,
        )
    else:
        factory = ConfigurationServiceClientCredentialFactory(config)
    return ReusedClients(
        ConfigurationBotFrameworkAuthentication(
            config, credentials_factory=ReusedCredentials(factory)
        )
    )
