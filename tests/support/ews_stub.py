"""A local stand-in for an Exchange server's EWS endpoint (``/EWS/Exchange.asmx``) over HTTPS on
127.0.0.1, speaking SOAP as Exchange 2016 (15.1) does for the operations the EWS transport uses:
GetFolder, FindFolder, CreateFolder, FindItem (IsRead restriction, DateTimeReceived sort, indexed
paging), GetItem (MimeContent), UpdateItem (IsRead), MoveItem, DeleteItem, CreateItem (SendOnly,
MimeContent),
and throttling as an ``ErrorServerBusy`` SOAP fault with ``BackOffMilliseconds``.

Authentication: HTTP Basic with the stub's service account, or a bearer token issued by the
stub's own client-credentials token endpoint (``POST /{tenant}/oauth2/v2.0/token``), in which case
requests must carry ``ExchangeImpersonation`` of the mailbox.
"""

from __future__ import annotations

import base64
import secrets
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from xml.sax.saxutils import escape, quoteattr

from aiohttp import web

from tests.support.http_stub import LocalHttpsStub
from tests.support.tls import ServerCertificates

S = "http://schemas.xmlsoap.org/soap/envelope/"
M = "http://schemas.microsoft.com/exchange/services/2006/messages"
T = "http://schemas.microsoft.com/exchange/services/2006/types"
NS = {"s": S, "m": M, "t": T}
RECEIVED = datetime(2024, 10, 1, 8, 0, tzinfo=UTC)
DISTINGUISHED = {
    "root": "Top of Information Store",
    "msgfolderroot": "Top of Information Store",
    "inbox": "Inbox",
    "sentitems": "Sent Items",
    "deleteditems": "Deleted Items",
}


def _new_id() -> str:
    return base64.b64encode(b"\x00\x00\x00\x00" + uuid.uuid4().bytes * 3).decode()


@dataclass
class StubFolder:
    id: str
    name: str
    parent: str | None
    distinguished: str | None = None
    changekey: str = field(default_factory=lambda: "AQAAABYAAAA" + secrets.token_hex(4))


@dataclass
class StubItem:
    id: str
    mime: bytes
    folder: str
    is_read: bool = False
    received: datetime = RECEIVED
    changekey: str = field(default_factory=lambda: "CQAAABYAAAA" + secrets.token_hex(4))


@dataclass
class EwsStub(LocalHttpsStub):
    certificates: ServerCertificates
    mailbox: str = "dialoog@gemeente.test"
    username: str = "GEMEENTE\\svc-dialoog"
    password: str = "stub-wachtwoord"
    tenant: str = "8f2b6c1e-0c6b-4d8e-9a57-3d1f0e2a7b44"
    client_id: str = "3c9e5a0d-7b1f-4f7e-8e2a-6d5c4b3a2f10"
    client_secret: str = "stub-client-secret"
    folders: dict[str, StubFolder] = field(default_factory=dict)
    items: dict[str, StubItem] = field(default_factory=dict)
    sent: list[bytes] = field(default_factory=list)
    operations: list[str] = field(default_factory=list)
    deletions: list[str] = field(default_factory=list)  # DeleteType of each DeleteItem
    busy: list[int] = field(default_factory=list)  # BackOffMilliseconds for the next requests
    token_requests: int = 0
    _tokens: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        root = StubFolder(_new_id(), DISTINGUISHED["root"], None, "root")
        self.folders[root.id] = root
        for key in ("inbox", "sentitems", "deleteditems"):
            folder = StubFolder(_new_id(), DISTINGUISHED[key], root.id, key)
            self.folders[folder.id] = folder

    @property
    def endpoint(self) -> str:
        return f"{self.origin}/EWS/Exchange.asmx"

    async def start(self) -> EwsStub:
        app = web.Application(client_max_size=8 * 1024 * 1024)
        app.router.add_post("/EWS/Exchange.asmx", self._soap)
        app.router.add_post("/{tenant}/oauth2/v2.0/token", self._token)
        await self._serve_https(app)
        return self

    # ------------------------------------------------------------------ test controls

    def folder(self, distinguished: str) -> StubFolder | None:
        return next((f for f in self.folders.values() if f.distinguished == distinguished), None)

    def deliver(self, mime: bytes, *, is_read: bool = False, minutes: int = 0) -> str:
        inbox = self.folder("inbox")
        assert inbox is not None
        item = StubItem(
            _new_id(),
            mime,
            inbox.id,
            is_read=is_read,
            received=RECEIVED + timedelta(minutes=minutes),
        )
        self.items[item.id] = item
        return item.id

    def in_folder(self, name: str) -> list[StubItem]:
        return [i for i in self.items.values() if self.folders[i.folder].name == name]

    # ------------------------------------------------------------------ HTTP

    async def _token(self, request: web.Request) -> web.Response:
        form = await request.post()
        self.token_requests += 1
        if (
            request.match_info["tenant"] != self.tenant
            or form.get("grant_type") != "client_credentials"
            or form.get("client_id") != self.client_id
            or form.get("client_secret") != self.client_secret
        ):
            return web.json_response(
                {"error": "invalid_client", "error_description": "AADSTS7000215"}, status=401
            )
        token = secrets.token_urlsafe(32)
        self._tokens.add(token)
        return web.json_response(
            {
                "token_type": "Bearer",
                "expires_in": 3599,
                "ext_expires_in": 3599,
                "access_token": token,
            }
        )

    async def _soap(self, request: web.Request) -> web.Response:
        envelope = ET.fromstring(await request.read())
        operation = next(iter(envelope.find("s:Body", NS)))  # type: ignore[arg-type]
        name = operation.tag.split("}")[1]
        self.operations.append(name)
        auth = request.headers.get("Authorization", "")
        if auth.startswith("Basic "):
            user, _, password = base64.b64decode(auth[6:]).decode().partition(":")
            allowed = user == self.username and password == self.password
        else:
            allowed = auth.removeprefix("Bearer ") in self._tokens
            impersonated = envelope.findtext(
                "s:Header/t:ExchangeImpersonation/t:ConnectingSID/t:PrimarySmtpAddress", None, NS
            )
            allowed = allowed and impersonated == self.mailbox
        if not allowed:
            return web.Response(status=401, headers={"WWW-Authenticate": 'Basic realm="127.0.0.1"'})
        if self.busy:
            return _soap_response(_server_busy(self.busy.pop(0)), status=500)
        handler = getattr(self, f"_op_{name}", None)
        if handler is None:
            return _soap_response(
                _fault("ErrorInvalidRequest", f"{name} is not supported by the stub"), status=500
            )
        return _soap_response(handler(operation))

    # ------------------------------------------------------------------ operations

    def _target_folder(self, element: ET.Element) -> StubFolder | None:
        distinguished = element.find("t:DistinguishedFolderId", NS)
        if distinguished is not None:
            return self.folder(distinguished.get("Id", ""))
        plain = element.find("t:FolderId", NS)
        return self.folders.get(plain.get("Id", "")) if plain is not None else None

    def _op_GetFolder(self, operation: ET.Element) -> str:  # noqa: N802
        messages = []
        for target in operation.find("m:FolderIds", NS) or []:
            holder = ET.Element("x")
            holder.append(target)
            folder = self._target_folder(holder)
            if folder is None:
                messages.append(
                    _error(
                        "GetFolder",
                        "ErrorFolderNotFound",
                        "The specified folder could not be found in the store.",
                    )
                )
            else:
                messages.append(
                    _ok("GetFolder", f"<m:Folders>{self._folder_xml(folder)}</m:Folders>")
                )
        return _response("GetFolder", messages)

    def _op_FindFolder(self, operation: ET.Element) -> str:  # noqa: N802
        parent = self._target_folder(operation.find("m:ParentFolderIds", NS))  # type: ignore[arg-type]
        children = [
            f for f in self.folders.values() if parent is not None and f.parent == parent.id
        ]
        body = "".join(self._folder_xml(f) for f in children)
        root = (
            f'<m:RootFolder IndexedPagingOffset="{len(children)}" '
            f'TotalItemsInView="{len(children)}" '
            f'IncludesLastItemInRange="true"><t:Folders>{body}</t:Folders></m:RootFolder>'
        )
        return _response("FindFolder", [_ok("FindFolder", root)])

    def _op_CreateFolder(self, operation: ET.Element) -> str:  # noqa: N802
        parent = self._target_folder(operation.find("m:ParentFolderId", NS))  # type: ignore[arg-type]
        name = operation.findtext("m:Folders/t:Folder/t:DisplayName", "", NS)
        folder = StubFolder(_new_id(), name, parent.id if parent else None)
        self.folders[folder.id] = folder
        return _response(
            "CreateFolder",
            [
                _ok(
                    "CreateFolder",
                    f"<m:Folders><t:Folder>{_folder_id(folder)}</t:Folder></m:Folders>",
                )
            ],
        )

    def _op_FindItem(self, operation: ET.Element) -> str:  # noqa: N802
        folder = self._target_folder(operation.find("m:ParentFolderIds", NS))  # type: ignore[arg-type]
        items = [i for i in self.items.values() if folder is not None and i.folder == folder.id]
        restriction = operation.find("m:Restriction", NS)
        if restriction is not None:
            equal = restriction.find(".//t:IsEqualTo", NS)
            if equal is None or equal.find("t:FieldURI", NS).get("FieldURI") != "message:IsRead":  # type: ignore[union-attr]
                return _response(
                    "FindItem",
                    [
                        _error(
                            "FindItem",
                            "ErrorInvalidRestriction",
                            "Restriction not supported by the stub.",
                        )
                    ],
                )
            wanted = equal.find("t:FieldURIOrConstant/t:Constant", NS).get("Value") in ("true", "1")  # type: ignore[union-attr]
            items = [i for i in items if i.is_read == wanted]
        order = operation.find("m:SortOrder/t:FieldOrder", NS)
        if order is not None:
            items.sort(key=lambda i: i.received, reverse=order.get("Order") == "Descending")
        view = operation.find("m:IndexedPageItemView", NS)
        offset = int(view.get("Offset", "0")) if view is not None else 0
        limit = int(view.get("MaxEntriesReturned", "1000")) if view is not None else 1000
        page = items[offset : offset + limit]
        body = "".join(f"<t:Message>{_item_id(i)}</t:Message>" for i in page)
        last = "true" if offset + len(page) >= len(items) else "false"
        root = (
            f'<m:RootFolder IndexedPagingOffset="{offset + len(page)}" '
            f'TotalItemsInView="{len(items)}" '
            f'IncludesLastItemInRange="{last}"><t:Items>{body}</t:Items></m:RootFolder>'
        )
        return _response("FindItem", [_ok("FindItem", root)])

    def _op_GetItem(self, operation: ET.Element) -> str:  # noqa: N802
        wants_mime = any(
            f.get("FieldURI") == "item:MimeContent"
            for f in operation.iterfind("m:ItemShape/t:AdditionalProperties/t:FieldURI", NS)
        )
        messages = []
        for requested in operation.iterfind("m:ItemIds/t:ItemId", NS):
            item = self.items.get(requested.get("Id", ""))
            if item is None:
                messages.append(
                    _error(
                        "GetItem",
                        "ErrorItemNotFound",
                        "The specified object was not found in the store.",
                    )
                )
                continue
            mime = (
                '<t:MimeContent CharacterSet="UTF-8">'
                f"{base64.b64encode(item.mime).decode()}</t:MimeContent>"
                if wants_mime
                else ""
            )
            messages.append(
                _ok("GetItem", f"<m:Items><t:Message>{mime}{_item_id(item)}</t:Message></m:Items>")
            )
        return _response("GetItem", messages)

    def _op_UpdateItem(self, operation: ET.Element) -> str:  # noqa: N802
        messages = []
        for change in operation.iterfind("m:ItemChanges/t:ItemChange", NS):
            item = self.items.get(change.find("t:ItemId", NS).get("Id", ""))  # type: ignore[union-attr]
            if item is None:
                messages.append(
                    _error(
                        "UpdateItem",
                        "ErrorItemNotFound",
                        "The specified object was not found in the store.",
                    )
                )
                continue
            value = change.findtext("t:Updates/t:SetItemField/t:Message/t:IsRead", None, NS)
            if value is not None:
                item.is_read = value in ("true", "1")  # xs:boolean
            item.changekey = "CQAAABYAAAA" + secrets.token_hex(4)
            messages.append(
                _ok(
                    "UpdateItem",
                    f"<m:Items><t:Message>{_item_id(item)}</t:Message></m:Items>"
                    "<m:ConflictResults><t:Count>0</t:Count></m:ConflictResults>",
                )
            )
        return _response("UpdateItem", messages)

    def _op_MoveItem(self, operation: ET.Element) -> str:  # noqa: N802
        target = self._target_folder(operation.find("m:ToFolderId", NS))  # type: ignore[arg-type]
        messages = []
        for requested in operation.iterfind("m:ItemIds/t:ItemId", NS):
            item = self.items.pop(requested.get("Id", ""), None)
            if item is None or target is None:
                messages.append(
                    _error(
                        "MoveItem",
                        "ErrorItemNotFound",
                        "The specified object was not found in the store.",
                    )
                )
                continue
            item.id, item.folder = _new_id(), target.id  # a move gives the item a new id
            self.items[item.id] = item
            messages.append(
                _ok("MoveItem", f"<m:Items><t:Message>{_item_id(item)}</t:Message></m:Items>")
            )
        return _response("MoveItem", messages)

    def _op_DeleteItem(self, operation: ET.Element) -> str:  # noqa: N802
        self.deletions.append(operation.get("DeleteType", ""))
        messages = []
        for requested in operation.iterfind("m:ItemIds/t:ItemId", NS):
            if self.items.pop(requested.get("Id", ""), None) is None:
                messages.append(
                    _error(
                        "DeleteItem",
                        "ErrorItemNotFound",
                        "The specified object was not found in the store.",
                    )
                )
            else:
                messages.append(_ok("DeleteItem", ""))
        return _response("DeleteItem", messages)

    def _op_CreateItem(self, operation: ET.Element) -> str:  # noqa: N802
        if operation.get("MessageDisposition") != "SendOnly":
            return _response(
                "CreateItem",
                [_error("CreateItem", "ErrorInvalidRequest", "Only SendOnly in the stub.")],
            )
        messages = []
        for message in operation.iterfind("m:Items/t:Message", NS):
            mime = message.findtext("t:MimeContent", None, NS)
            if not mime:
                messages.append(
                    _error("CreateItem", "ErrorMimeContentInvalid", "The MIME content is invalid.")
                )
                continue
            self.sent.append(base64.b64decode(mime))
            messages.append(_ok("CreateItem", "<m:Items/>"))
        return _response("CreateItem", messages)

    def _folder_xml(self, folder: StubFolder) -> str:
        count = sum(1 for i in self.items.values() if i.folder == folder.id)
        unread = sum(1 for i in self.items.values() if i.folder == folder.id and not i.is_read)
        children = sum(1 for f in self.folders.values() if f.parent == folder.id)
        parent = self.folders.get(folder.parent or "")
        parent_xml = (
            f'<t:ParentFolderId Id="{parent.id}" ChangeKey="{parent.changekey}"/>' if parent else ""
        )
        folder_class = (
            "" if folder.distinguished == "root" else "<t:FolderClass>IPF.Note</t:FolderClass>"
        )
        return (
            f"<t:Folder>{_folder_id(folder)}{parent_xml}{folder_class}"
            f"<t:DisplayName>{escape(folder.name)}</t:DisplayName><t:TotalCount>{count}</t:TotalCount>"
            f"<t:ChildFolderCount>{children}</t:ChildFolderCount>"
            "<t:EffectiveRights><t:CreateAssociated>true</t:CreateAssociated><t:CreateContents>true</t:CreateContents>"
            "<t:CreateHierarchy>true</t:CreateHierarchy><t:Delete>true</t:Delete><t:Modify>true</t:Modify>"
            "<t:Read>true</t:Read><t:ViewPrivateItems>true</t:ViewPrivateItems></t:EffectiveRights>"
            f"<t:UnreadCount>{unread}</t:UnreadCount></t:Folder>"
        )


def _folder_id(folder: StubFolder) -> str:
    return f"<t:FolderId Id={quoteattr(folder.id)} ChangeKey={quoteattr(folder.changekey)}/>"


def _item_id(item: StubItem) -> str:
    return f"<t:ItemId Id={quoteattr(item.id)} ChangeKey={quoteattr(item.changekey)}/>"


def _ok(operation: str, content: str) -> str:
    return (
        f'<m:{operation}ResponseMessage ResponseClass="Success">'
        f"<m:ResponseCode>NoError</m:ResponseCode>{content}</m:{operation}ResponseMessage>"
    )


def _error(operation: str, code: str, text: str) -> str:
    return (
        f'<m:{operation}ResponseMessage ResponseClass="Error">'
        f"<m:MessageText>{escape(text)}</m:MessageText>"
        f"<m:ResponseCode>{code}</m:ResponseCode><m:DescriptiveLinkKey>0</m:DescriptiveLinkKey>"
        f"</m:{operation}ResponseMessage>"
    )


def _response(operation: str, messages: list[str]) -> str:
    return (
        f'<m:{operation}Response xmlns:m="{M}" xmlns:t="{T}"><m:ResponseMessages>'
        f"{''.join(messages)}</m:ResponseMessages></m:{operation}Response>"
    )


def _fault(code: str, text: str, extra: str = "") -> str:
    return (
        f'<s:Fault><faultcode xmlns:a="{T}">a:{code}</faultcode>'
        f'<faultstring xml:lang="en-US">{escape(text)}</faultstring><detail>'
        '<e:ResponseCode xmlns:e="http://schemas.microsoft.com/exchange/services/2006/errors">'
        f"{code}</e:ResponseCode>"
        '<e:Message xmlns:e="http://schemas.microsoft.com/exchange/services/2006/errors">'
        f"{escape(text)}</e:Message>{extra}</detail></s:Fault>"
    )


def _server_busy(back_off_ms: int) -> str:
    return _fault(
        "ErrorServerBusy",
        "The server cannot service this request right now. Try again later.",
        f'<t:MessageXml xmlns:t="{T}">'
        f'<t:Value Name="BackOffMilliseconds">{back_off_ms}</t:Value></t:MessageXml>',
    )


def _soap_response(body: str, status: int = 200) -> web.Response:
    envelope = (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<s:Envelope xmlns:s="{S}"><s:Header>'
        '<h:ServerVersionInfo MajorVersion="15" MinorVersion="1" MajorBuildNumber="2507" '
        'MinorBuildNumber="6" '
        f'Version="V2017_07_11" xmlns:h="{T}" xmlns="{T}" '
        'xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>'
        f"</s:Header><s:Body>{body}</s:Body></s:Envelope>"
    )
    return web.Response(text=envelope, status=status, content_type="text/xml", charset="utf-8")
