"""A real mail server for the IMAP/SMTP transport tests, on free ports of 127.0.0.1:

- **Dovecot** (Debian's dovecot-imapd + dovecot-lmtpd) with a throwaway configuration in a temp
  folder: IMAP with STARTTLS and IMAPS, LMTP for delivery, maildir mailboxes, users in a
  passwd-file that tests may add to while it runs.
- **aiosmtpd** as the submission server: STARTTLS required, AUTH PLAIN/LOGIN against the same
  users, and every accepted message delivered into Dovecot over LMTP.

``scripts/mail-servers.sh`` installs the Debian packages. Without Dovecot these tests skip
locally and fail loudly when ``CI`` is set.
"""

from __future__ import annotations

import asyncio
import os
import pwd
import secrets
import shutil
import smtplib
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP as SMTPServer
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword, Session

from tests.support.tls import ServerCertificates

DOVECOT_PATHS = ("/usr/sbin/dovecot", "/usr/local/sbin/dovecot")
DOMAIN = "gemeente.test"
USER_POOL = 64


def find_dovecot() -> str | None:
    found = shutil.which("dovecot")
    return found or next((p for p in DOVECOT_PATHS if os.access(p, os.X_OK)), None)


def dovecot_has_lmtp(binary: str) -> bool:
    libexec = Path(binary).resolve().parent.parent / "lib" / "dovecot"
    return (libexec / "lmtp").exists() and (libexec / "imap").exists()


def require_dovecot() -> str:
    """The Dovecot binary; without it skip, or fail loudly when ``CI`` is set."""
    binary = find_dovecot()
    if binary is not None and dovecot_has_lmtp(binary):
        return binary
    message = (
        "Dovecot (dovecot-imapd and dovecot-lmtpd) is not installed; "
        "run `bash scripts/mail-servers.sh` first"
    )
    if os.environ.get("CI"):
        pytest.fail(message + " (required when CI is set)", pytrace=False)
    pytest.skip(message + " (set CI to make this a failure)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_port(port: int, timeout: float = 20.0) -> None:
    """Wait until something accepts connections on 127.0.0.1:port (a condition, with a deadline)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"nothing listens on 127.0.0.1:{port} after {timeout} s"
                ) from None
            time.sleep(0.05)


@dataclass(frozen=True)
class MailUser:
    name: str
    password: str

    @property
    def address(self) -> str:
        return f"{self.name}@{DOMAIN}"


class DovecotServer:
    def __init__(self, binary: str, certificates: ServerCertificates) -> None:
        self.binary = binary
        self.certificates = certificates
        # Not under pytest's 0700 tmp: dovecot's unprivileged processes must traverse it.
        self.root = Path(tempfile.mkdtemp(prefix="dialoog-dovecot-"))
        self.root.chmod(0o755)
        self.imap_port, self.imaps_port, self.lmtp_port = free_port(), free_port(), free_port()
        self.users_file = self.root / "users"
        self.process: subprocess.Popen[bytes] | None = None
        self._unused: list[MailUser] = []
        if os.geteuid() == 0:
            mail_user = pwd.getpwnam("dovecot")
            self.uid, self.gid = mail_user.pw_uid, mail_user.pw_gid
            self.login_user, self.internal_user = "dovenull", "dovecot"
        else:
            self.uid, self.gid = os.getuid(), os.getgid()
            self.login_user = self.internal_user = pwd.getpwuid(self.uid).pw_name

    def start(self) -> DovecotServer:
        (self.root / "run").mkdir()
        (self.root / "state").mkdir()
        (self.root / "home").mkdir()
        os.chown(self.root / "home", self.uid, self.gid)
        self._unused = [
            MailUser(f"u{secrets.token_hex(4)}", secrets.token_urlsafe(12))
            for _ in range(USER_POOL)
        ]
        self.users_file.write_text(
            "".join(
                f"{u.name}:{{PLAIN}}{u.password}:{self.uid}:{self.gid}::"
                f"{self.root / 'home' / u.name}::\n"
                for u in self._unused
            )
        )
        config = self.root / "dovecot.conf"
        config.write_text(self._config())
        self.process = subprocess.Popen(
            [self.binary, "-F", "-c", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            for port in (self.imap_port, self.imaps_port, self.lmtp_port):
                wait_for_port(port)
        except TimeoutError:
            tail = self.log_tail()
            self.stop()
            raise RuntimeError("dovecot did not start: " + tail) from None
        return self

    def add_user(self) -> MailUser:
        """A fresh mailbox. Users are written before start: Dovecot notices passwd-file changes
        only by modification time in whole seconds, so users added while it runs may stay
        unknown."""
        if not self._unused:
            raise RuntimeError(f"all {USER_POOL} test mailboxes are in use; raise USER_POOL")
        return self._unused.pop(0)

    def check_password(self, name: str, password: str) -> bool:
        for line in self.users_file.read_text().splitlines():
            user, _, rest = line.partition(":")
            if user == name.split("@")[0]:
                return rest.split(":", 1)[0] == "{PLAIN}" + password
        return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.process = None
        shutil.rmtree(self.root, ignore_errors=True)

    def log_tail(self) -> str:
        log = self.root / "dovecot.log"
        text = log.read_text(errors="replace") if log.exists() else ""
        if (
            self.process is not None
            and self.process.stderr is not None
            and self.process.poll() is not None
        ):
            text += self.process.stderr.read().decode(errors="replace")
        return text[-2000:]

    def _config(self) -> str:
        root = self.root
        dh = "/usr/share/dovecot/dh.pem"
        return f"""
protocols = imap lmtp
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
default_login_user = {self.login_user}
default_internal_user = {self.internal_user}
first_valid_uid = {min(self.uid, 500) or 1}
first_valid_gid = {min(self.gid, 500) or 1}
ssl = yes
ssl_cert = <{self.certificates.cert_file}
ssl_key = <{self.certificates.key_file}
{f"ssl_dh = <{dh}" if Path(dh).exists() else ""}
disable_plaintext_auth = yes
auth_mechanisms = plain login
auth_username_format = %Ln
auth_failure_delay = 0
mail_location = maildir:~/Maildir
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {self.users_file}
}}
userdb {{
  driver = passwd-file
  args = {self.users_file}
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.imap_port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {self.imaps_port}
    ssl = yes
  }}
}}
service lmtp {{
  inet_listener lmtp {{
    address = 127.0.0.1
    port = {self.lmtp_port}
  }}
}}
protocol lmtp {{
  postmaster_address = postmaster@{DOMAIN}
}}
"""


class _LmtpRelay:
    """aiosmtpd handler: hand every accepted message to Dovecot over LMTP."""

    def __init__(self, lmtp_port: int) -> None:
        self.lmtp_port = lmtp_port

    async def handle_DATA(self, server: SMTPServer, session: Session, envelope: Envelope) -> str:  # noqa: N802
        return await asyncio.to_thread(self._deliver, envelope)

    def _deliver(self, envelope: Envelope) -> str:
        try:
            with smtplib.LMTP("127.0.0.1", self.lmtp_port, timeout=15) as lmtp:
                refused = lmtp.sendmail(
                    envelope.mail_from or "", envelope.rcpt_tos, envelope.original_content or b""
                )
        except smtplib.SMTPRecipientsRefused:
            return "550 5.1.1 no such mailbox"
        except (smtplib.SMTPException, OSError):
            return "451 4.3.0 delivery to the mailbox failed"
        return "550 5.1.1 no such mailbox" if refused else "250 2.0.0 delivered"


class SubmissionServer:
    """aiosmtpd on a free port: STARTTLS required, AUTH required, delivery through LMTP."""

    def __init__(self, dovecot: DovecotServer, certificates: ServerCertificates) -> None:
        self.dovecot = dovecot
        self.port = free_port()
        self._controller = Controller(
            _LmtpRelay(dovecot.lmtp_port),
            hostname="127.0.0.1",
            port=self.port,
            tls_context=certificates.server_context(),
            require_starttls=True,
            auth_required=True,
            auth_require_tls=True,
            authenticator=self._authenticate,
            server_hostname="localhost",
            ready_timeout=15,
        )

    def start(self) -> SubmissionServer:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    def _authenticate(
        self, server: SMTPServer, session: Session, envelope: Envelope, mechanism: str, data: object
    ) -> AuthResult:
        if isinstance(data, LoginPassword):
            ok = self.dovecot.check_password(data.login.decode(), data.password.decode())
            return AuthResult(success=ok, handled=False)
        return AuthResult(success=False, handled=False)


@dataclass
class MailServers:
    dovecot: DovecotServer
    submission: SubmissionServer

    def add_user(self) -> MailUser:
        return self.dovecot.add_user()
