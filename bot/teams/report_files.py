"""Sending the report as a file in a facilitator's personal chat: Teams' file consent flow.

1. The bot renders the report (Word) and sends a FileConsentCard — name, size, description. The
   file waits in the database (``dialogen.reporting.offers``, sealed, under the hash of a random
   token the card carries) for ``PENDING_MINUTES``.
2. Teams asks the facilitator; on *Toestaan* it sends an invoke ``fileConsent/invoke`` with
   ``action: accept`` and ``uploadInfo`` (an ``uploadUrl`` in their OneDrive). The bot PUTs the
   bytes there (one ``Content-Range``), answers the invoke with 200 and sends a FileInfoCard that
   points at the stored file. On *Weigeren* the offer is deleted.

Any replica can answer the consent (the load balancer picks one). Only the facilitator the card
was sent to can accept it (the token is checked against their Entra object id); an unknown,
expired, declined or already accepted card gets a clear message. (The report holds no personal
data: k-suppressed figures and masked quotes.)"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import aiohttp
from botbuilder.schema import Activity, ActivityTypes, Attachment

from dialogen.reporting import messages as rmsg
from dialogen.reporting.offers import PENDING_MINUTES, Claim, ReportOffers

log = logging.getLogger(__name__)

CONSENT_CARD = "application/vnd.microsoft.teams.card.file.consent"
INFO_CARD = "application/vnd.microsoft.teams.card.file.info"
INVOKE_NAME = "fileConsent/invoke"
DOCX = "docx"

__all__ = ["CONSENT_CARD", "DOCX", "INFO_CARD", "INVOKE_NAME", "PENDING_MINUTES", "ReportFiles"]


class ReportFiles:
    def __init__(self, offers: ReportOffers) -> None:
        self._offers = offers

    async def consent_activity(
        self, *, name: str, data: bytes, requester: str | None, summary: str
    ) -> Activity:
        token = await asyncio.to_thread(
            self._offers.offer, name=name, data=data, requester=requester
        )
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
        accept = value.get("action") == "accept"
        claimed = await asyncio.to_thread(
            self._offers.claim, token, requester=requester, accept=accept
        )
        if claimed.claim is Claim.GONE:
            log.info("report file consent for an unknown or expired token")
            return Activity(type=ActivityTypes.message, text=rmsg.REPORT_FILE_GONE)
        if claimed.claim is Claim.DECLINED:
            return Activity(type=ActivityTypes.message, text=rmsg.REPORT_FILE_DECLINED)
        info = value.get("uploadInfo") or {}
        upload_url = str(info.get("uploadUrl") or "")
        try:
            await upload(upload_url, claimed.data)
        except (aiohttp.ClientError, ValueError, TimeoutError) as error:
            log.warning("report file upload failed error=%s", type(error).__name__)
            await asyncio.to_thread(
                self._offers.put_back,
                token,
                name=claimed.name,
                data=claimed.data,
                requester=requester,
            )
            return Activity(type=ActivityTypes.message, text=rmsg.REPORT_FILE_FAILED)
        log.info("report file uploaded bytes=%d", len(claimed.data))
        return Activity(
            type=ActivityTypes.message,
            attachments=[
                Attachment(
                    content_type=INFO_CARD,
                    content_url=str(info.get("contentUrl") or ""),
                    name=str(info.get("name") or claimed.name),
                    content={
                        "uniqueId": str(info.get("uniqueId") or ""),
                        "fileType": str(info.get("fileType") or DOCX),
                    },
                )
            ],
        )


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
