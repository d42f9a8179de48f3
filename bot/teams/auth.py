"""Bot Framework authentication from settings: token validation on inbound requests, credentials
for outbound replies. With no app id the bot runs in local mode and validates nothing."""

from __future__ import annotations

from dataclasses import dataclass

from botbuilder.integration.aiohttp import ConfigurationBotFrameworkAuthentication
from botframework.connector.auth import CertificateServiceClientCredentialsFactory

from bot.settings import Settings


@dataclass(frozen=True)
class _BotConfig:
    """The attribute names botbuilder's configuration-based factories look for."""

    APP_ID: str | None
    APP_PASSWORD: str | None
    APP_TYPE: str
    APP_TENANTID: str | None
    TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL: str | None = None


def bot_framework_authentication(settings: Settings) -> ConfigurationBotFrameworkAuthentication:
    password = settings.app_password.get_secret_value() if settings.app_password else None
    config = _BotConfig(
        APP_ID=settings.app_id,
        APP_PASSWORD=password,
        APP_TYPE=settings.app_type if settings.app_id else "MultiTenant",  # local mode: no credentials
        APP_TENANTID=settings.app_tenant_id,
        TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL=settings.openid_metadata_url,
    )
    factory = None
    if settings.app_id and settings.certificate_thumbprint and settings.certificate_private_key_file:
        factory = CertificateServiceClientCredentialsFactory(
            settings.certificate_thumbprint,
            settings.certificate_private_key_file.read_text(),
            settings.app_id,
            settings.app_tenant_id,
        )
    return ConfigurationBotFrameworkAuthentication(config, credentials_factory=factory)
