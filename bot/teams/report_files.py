"""Sending the report as a file in a facilitator's personal chat: Teams' file consent flow.

1. The bot renders the report (Word) and sends a FileConsentCard — name, size, description — and
   keeps the bytes under a random token for a while (``PENDING_MINUTES``).
2. Teams asks the facilitator; on *Toestaan* it sends an invoke ``fileConsent/invoke`` with
   ``action: accept`` and ``uploadInfo`` (an ``uploadUrl`` in their OneDrive). The bot PUTs the
   bytes there (one ``Content-Range``), answers the invoke with 200 and sends a FileInfoCard that
   points at the stored file. On *Weigeren* it forgets the bytes.

Only the facilitator the card was sent to can accept it (the token is checked against their
Entra object id). The bytes live in this process only: a replica that did not make the report
answers that it has expired, and the facilitator types ``rapport`` again. (The report holds no
personal data: k-suppressed figures and masked quotes.)"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
from botbuilder.schema import Activity, ActivityTypes, Attachment

from dialogen.reporting import messages as rmsg

log = logging.getLogger(__name__)

CONSENT_CARD = "application/vnd.microsoft.teams.card.file.consent"
INFO_CARD = "application/vnd.microsoft.teams.card.file.info"
INVOKE_NAME = "fileConsent/invoke"
PENDING_MINUTES = 60
DOCX = "docx"


@dataclass(frozen=True)
class PendingFile:
    name: str
    data: bytes
    requester: str | None  # the Entra object id the card was sent to
    made: datetime


class ReportFiles:
    def __init__(self) -> None:
        self._pending: dict[str, PendingFile] = {}

    def consent_activity(
        self, *, name: str, data: bytes, requester: str | None, summary: str
    ) -> Activity:
        self._forget_old()
        token = secrets.token_urlsafe(16)
        self._pending[token] = PendingFile(name, data, requester, datetime.now(UTC))
        card = {
            "description": summary,
            "sizeInBytes": len(data),
            "acceptContext": {"token": token},
            "declineContext": {"token": token},
        }
        return Activity(
            type=ActivityTypes.message,
            text=rmsg.REPORT_FILE_TEXT.format(summary=summary),
            attachments=[Attachment(content_type=CONSENT_CARD, name=name, content=card)],
        )

    async def answer(self, value: dict[str, Any], requester: str | None) -> Activity:
        """The message after the facilitator's choice (the invoke itself is answered 200)."""
        context = value.get("context") or {}
        token = str(context.get("token") or "") if isinstance(context, dict) else ""
        found = self._pending.get(token)
        if found is None or (found.requester and found.requester != requester):
            log.info("report file consent for an unknown or expired token")
            return Activity(type=ActivityTypes.message, text=rmsg.REPORT_FILE_GONE)
        if value.get("action") != "accept":
            self._pending.pop(token, None)
            return Activity(type=ActivityTypes.message, text=rmsg.REPORT_FILE_DECLINED)
        info = value.get("uploadInfo") or {}
        upload_url = str(info.get("uploadUrl") or "")
        try:
            await upload(upload_url, found.data)
        except (aiohttp.ClientError, ValueError, TimeoutError) as error:
            log.warning("report file upload failed error=%s", type(error).__name__)
            return Activity(type=ActivityTypes.message, text=rmsg.REPORT_FILE_FAILED)
        self._pending.pop(token, None)
        log.info("report file uploaded bytes=%d", len(found.data))
        return Activity(
            type=ActivityTypes.message,
            attachments=[
                Attachment(
                    content_type=INFO_CARD,
                    content_url=str(info.get("contentUrl") or ""),
                    name=str(info.get("name") or found.name),
                    content={
                        "uniqueId": str(info.get("uniqueId") or ""),
                        "fileType": str(info.get("fileType") or DOCX),
                    },
                )
            ],
        )

    def _forget_old(self) -> None:
        limit = datetime.now(UTC) - timedelta(minutes=PENDING_MINUTES)
        for token in [t for t, f in self._pending.items() if f.made < limit]:
            del self._pending[token]


async def upload(url: str, data: bytes) -> None:
    """One PUT of the whole file to the upload session Teams opened in the user's OneDrive."""
    if not url.startswith("https://") and not url.startswith("http://127.0.0.1"):
        raise ValueError("upload URL is not HTTPS")
    headers = {
        "Content-Length": str(len(data)),
        "Content-Range": f"bytes 0-{len(data) - 1}/{len(data)}",
    }
    timeout = aiohttp.ClientTimeout(total=120)
    async with (
        aiohttp.ClientSession(timeout=timeout) as session,
        session.put(url, data=data, headers=headers) as response,
    ):
        if response.status not in (200, 201):
            raise aiohttp.ClientResponseError(
                response.request_info, (), status=response.status, message="upload refused"
            )
