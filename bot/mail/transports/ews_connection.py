"""Opening the exchangelib ``Account`` for the EWS transport from an :class:`EwsConfig`:
credentials, a fixed endpoint and server version (no autodiscover, no probing), fail-fast retries
(the poller and the outbox decide when to try again), and the configured CA bundle."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import requests
from exchangelib import (
    BASIC,
    DELEGATE,
    IMPERSONATION,
    NTLM,
    OAUTH2,
    UTC,
    Account,
    Build,
    Configuration,
    Credentials,
    FailFast,
    Identity,
    OAuth2Credentials,
    Version,
)
from exchangelib.protocol import BaseProtocol

if TYPE_CHECKING:
    from bot.mail.transports.ews import EwsConfig


class AuthorityOAuth2Credentials(OAuth2Credentials):
    """Client credentials whose token comes from the configured authority and scope (exchangelib
    itself always asks login.microsoftonline.com for an Exchange Online token)."""

    def __init__(self, *, authority_host: str, scope: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._authority_host = authority_host.rstrip("/")
        self._scope = scope

    @property
    def token_url(self) -> str:
        return f"{self._authority_host}/{self.tenant_id}/oauth2/v2.0/token"

    @property
    def scope(self) -> list[str]:
        return [self._scope]


class _RedactedExchangelibLog(logging.Filter):
    """exchangelib logs whole SOAP requests and responses (mail content, addresses): at DEBUG on
    ``exchangelib.util.xml``, and with every failed request at ERROR on ``exchangelib.util``.
    Keep only the error's class name; our transport logs what happened in its own words."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.endswith(".xml"):
            return False
        if record.levelno >= logging.WARNING and record.args:
            first = record.args[0] if isinstance(record.args, tuple) else None
            record.msg, record.args = "exchangelib request failed (%s)", (str(first)[:60],)
        return True


_REDACTION = _RedactedExchangelibLog()


def _redact_exchangelib_logs() -> None:
    for name in ("exchangelib.util", "exchangelib.util.xml"):
        logger = logging.getLogger(name)
        if _REDACTION not in logger.filters:
            logger.addFilter(_REDACTION)


def open_account(config: EwsConfig) -> Account:
    _redact_exchangelib_logs()
    _trust(config)
    if config.auth == "oauth":
        credentials: Any = AuthorityOAuth2Credentials(
            authority_host=config.authority_host,
            scope=config.oauth_scope,
            client_id=config.client_id,
            client_secret=_secret(config.client_secret),
            tenant_id=config.tenant_id,
            identity=Identity(primary_smtp_address=config.mailbox),
        )
        auth_type, access_type = OAUTH2, IMPERSONATION
    else:
        credentials = Credentials(config.username or "", _secret(config.password))
        auth_type, access_type = (NTLM if config.auth == "ntlm" else BASIC), DELEGATE
    version = Version(build=_build(config.server_version)) if config.server_version else None
    BaseProtocol.TIMEOUT = int(config.timeout)  # exchangelib has only this class-wide knob
    configuration = Configuration(
        service_endpoint=config.service_endpoint,
        credentials=credentials,
        auth_type=auth_type,
        version=version,
        retry_policy=FailFast(),
        max_connections=2,
    )
    return Account(
        primary_smtp_address=config.mailbox,
        config=configuration,
        autodiscover=False,
        access_type=access_type,
        default_timezone=UTC,
        locale="nl_NL",
    )


def _build(text: str) -> Build:
    parts = [int(p) for p in text.split(".")]
    if not 2 <= len(parts) <= 4:
        raise ValueError("ews_server_version looks like 15.2.1118.7")
    return Build(*parts)


def _secret(value: Any) -> str:
    return value.get_secret_value() if value is not None else ""


def _trust(config: EwsConfig) -> None:
    """exchangelib builds its HTTP adapters from a class attribute; point it at the CA bundle.
    (Class-wide by exchangelib's design: one EWS configuration per process.)"""
    if config.ca_file is None:
        BaseProtocol.HTTP_ADAPTER_CLS = requests.adapters.HTTPAdapter
        return
    ca_file = str(config.ca_file)

    class TrustingAdapter(requests.adapters.HTTPAdapter):
        # HTTPAdapter.send's arguments, passed on (requests' inline types and types-requests
        # spell its signature differently)
        def send(self, *args: Any, **kwargs: Any) -> requests.Response:
            kwargs["verify"] = ca_file  # also over REQUESTS_CA_BUNDLE from the environment
            return super().send(*args, **kwargs)

    BaseProtocol.HTTP_ADAPTER_CLS = TrustingAdapter
