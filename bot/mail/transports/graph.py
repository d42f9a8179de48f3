"""Microsoft Graph transport (Exchange Online): the one to use now that EWS is being switched off
there. App-only access with client credentials; the app needs the application permissions
``Mail.ReadWrite`` and ``Mail.Send``, best limited to the dialogue mailbox with an application
access policy / RBAC for Applications.

- Incoming: a delta query on the mailbox's inbox (``changeType=created``, so marking a message
  read does not bring it back), following ``@odata.nextLink`` pages up to the
  ``@odata.deltaLink``, which is kept in a state file (:mod:`bot.mail.transports.graph_state`).
  Unread messages are fetched as MIME (``/messages/{id}/$value``), with ``uniqueBody`` as text
  (``Prefer: outlook.body-content-type="text"``) when enabled. An expired delta link (410) starts
  a new full round: already-read messages are skipped, the rest is idempotent downstream.
- Processed: with ``delete_processed`` (the default when no retention is configured) the message
  is deleted: ``permanentDelete`` (out of reach of mail clients, gone after the mailbox's
  deleted-item retention), or a plain ``DELETE`` (into Deleted Items) where the cloud does not
  offer that. Otherwise ``isRead = true``, and a move into ``processed_folder`` when configured.
- Outgoing: ``sendMail`` with the MIME message base64-encoded (``Content-Type: text/plain``);
  Graph saves a copy in Sent Items and answers 202.
"""

from __future__ import annotations

import asyncio
import base64
import logging
from urllib.parse import quote

from bot.mail.contracts import (
    MailTransportError,
    OutgoingMail,
    PollStateStore,
    RawMail,
    SendResult,
)
from bot.mail.transports.graph_client import GraphClient, GraphConfig, GraphResponse, Sleep
from bot.mail.transports.graph_state import DeltaState, DeltaStateFile, DeltaStateStored

__all__ = ["GraphConfig", "GraphTransport"]

log = logging.getLogger(__name__)

TEXT_BODY = {"Prefer": 'outlook.body-content-type="text"'}


class GraphTransport:
    name = "graph"

    def __init__(
        self,
        config: GraphConfig,
        *,
        sleep: Sleep = asyncio.sleep,
        state: PollStateStore | None = None,
    ) -> None:
        self.config = config
        self.client = GraphClient(config, sleep=sleep)
        self._state_file: DeltaStateFile | DeltaStateStored = (
            DeltaStateFile(config.state_dir, config.mailbox)
            if state is None
            else DeltaStateStored(state)
        )
        self._state: DeltaState | None = None
        self._user = f"users/{quote(config.mailbox, safe='@')}"

    # ------------------------------------------------------------------ incoming

    async def fetch_new(self) -> list[RawMail]:
        state = self._load()
        await self._follow_delta(state)
        mails: list[RawMail] = []
        for message_id in list(state.pending[: self.config.batch_size]):
            raw = await self._mime(message_id)
            if raw is None:  # deleted or moved away meanwhile
                state.pending.remove(message_id)
                self._state_file.save(state)
                continue
            new_text = await self._unique_body(message_id) if self.config.unique_body else None
            mails.append(RawMail(uid=message_id, raw=raw, new_text=new_text))
        return mails

    async def mark_processed(self, uid: str) -> None:
        message = self.client.url(f"{self._user}/messages/{quote(uid, safe='')}")
        if self.config.delete_processed:
            answer = await self.client.request("POST", f"{message}/permanentDelete")
            if answer.status in (400, 405, 501):  # a cloud without permanentDelete
                answer = await self.client.request("DELETE", message)
        else:
            answer = await self.client.request("PATCH", message, json_body={"isRead": True})
        if answer.ok and self.config.processed_folder and not self.config.delete_processed:
            answer = await self.client.request(
                "POST", f"{message}/move", json_body={"destinationId": self.config.processed_folder}
            )
        if not answer.ok and answer.status != 404:  # 404: already gone, nothing left to mark
            raise MailTransportError(
                f"could not mark a message processed ({answer.describe()})",
                retry_after=answer.retry_after,
            )
        state = self._load()
        if uid in state.pending:
            state.pending.remove(uid)
            self._state_file.save(state)

    async def _follow_delta(self, state: DeltaState) -> None:
        first = self.client.url(
            f"{self._user}/mailFolders/inbox/messages/delta"
            "?changeType=created&$select=isRead,receivedDateTime"
        )
        headers = {"Prefer": f"odata.maxpagesize={self.config.page_size}"}
        url = state.delta_link or first
        created: list[tuple[str, str]] = []
        removed: set[str] = set()
        while True:
            answer = await self.client.request("GET", url, headers=headers)
            if answer.status == 410 and url != first:
                log.warning("Graph delta link expired (410); starting a new delta round")
                url, created, removed = first, [], set()
                continue
            if not answer.ok:
                raise MailTransportError(
                    f"delta query failed ({answer.describe()})", retry_after=answer.retry_after
                )
            page = answer.json()
            for item in page.get("value", []):
                if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                    continue
                if "@removed" in item:
                    removed.add(item["id"])
                elif not item.get("isRead"):
                    created.append((str(item.get("receivedDateTime") or ""), item["id"]))
            if next_link := page.get("@odata.nextLink"):
                url = self.client.check_link(next_link)
                continue
            delta_link = page.get("@odata.deltaLink")
            if not isinstance(delta_link, str):
                raise MailTransportError("Graph delta round ended without a delta link")
            break
        known = set(state.pending)
        fresh = [i for _, i in sorted(created) if i not in known and i not in removed]
        state.pending = [i for i in state.pending if i not in removed] + list(dict.fromkeys(fresh))
        state.delta_link = self.client.check_link(delta_link)
        self._state_file.save(state)
        if fresh:
            log.info("Graph delta round: %d new message(s)", len(fresh))

    async def _mime(self, message_id: str) -> bytes | None:
        answer = await self.client.request(
            "GET", self.client.url(f"{self._user}/messages/{quote(message_id, safe='')}/$value")
        )
        if answer.status == 404:
            return None
        if not answer.ok:
            raise MailTransportError(
                f"could not fetch a message ({answer.describe()})", retry_after=answer.retry_after
            )
        return answer.body

    async def _unique_body(self, message_id: str) -> str | None:
        answer = await self.client.request(
            "GET",
            self.client.url(
                f"{self._user}/messages/{quote(message_id, safe='')}?$select=uniqueBody"
            ),
            headers=TEXT_BODY,
        )
        if not answer.ok:
            return None  # optional extra: the MIME content is what counts
        body = answer.json().get("uniqueBody") or {}
        if not isinstance(body, dict) or str(body.get("contentType", "")).lower() != "text":
            return None
        content = body.get("content")
        return content if isinstance(content, str) else None

    # ------------------------------------------------------------------ outgoing

    async def send(self, mail: OutgoingMail) -> SendResult:
        if not mail.recipients:
            return SendResult.failed("no recipient address")
        try:
            answer = await self.client.request(
                "POST",
                self.client.url(f"{self._user}/sendMail"),
                wait_when_throttled=False,
                headers={"Content-Type": "text/plain"},
                data=base64.b64encode(mail.as_bytes(include_bcc=True)),
            )
        except MailTransportError as exc:
            return SendResult.retry(str(exc), after=exc.retry_after)
        return _send_result(answer)

    async def close(self) -> None:
        await self.client.close()

    def _load(self) -> DeltaState:
        if self._state is None:
            self._state = self._state_file.load()
        return self._state


def _send_result(answer: GraphResponse) -> SendResult:
    if answer.status == 202 or answer.ok:
        return SendResult.sent()
    reason = answer.describe()
    if answer.status in (401, 403):
        log.error("Graph refused to send (%s): check the app's Mail.Send permission", reason)
        return SendResult.retry(reason)
    if answer.status in (408, 409, 429) or answer.status >= 500:
        return SendResult.retry(reason, after=answer.retry_after)
    return SendResult.failed(reason)
