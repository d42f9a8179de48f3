"""Fixtures for the mail transport tests: a test CA, and the real mail servers (Dovecot + aiosmtpd)
started once per session on free ports of 127.0.0.1 and stopped afterwards."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.mail_server import DovecotServer, MailServers, SubmissionServer, require_dovecot
from tests.support.tls import ServerCertificates, make_certificates


@pytest.fixture(scope="session")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> ServerCertificates:
    return make_certificates(tmp_path_factory.mktemp("tls"))


@pytest.fixture(scope="session")
def mail_servers(certificates: ServerCertificates) -> Iterator[MailServers]:
    dovecot = DovecotServer(require_dovecot(), certificates).start()
    submission = SubmissionServer(dovecot, certificates)
    try:
        submission.start()
        yield MailServers(dovecot, submission)
    finally:
        submission.stop()
        dovecot.stop()
