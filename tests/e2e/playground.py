"""Drive the Microsoft 365 Agents Playground from pytest: no browser, no human, no sleeps.

How the Playground works (npm ``@microsoft/m365agentsplayground``, version pinned in
``tests/e2e/package.json`` / ``package-lock.json``; read from its shipped ``dist/index.js``):

* Install: ``npm ci`` in ``tests/e2e`` (node_modules is git-ignored). One package, no runtime
  dependencies (it is a webpack bundle), about 15 MB. Needs Node.js 18+ (20 here).
* Start: ``node node_modules/@microsoft/m365agentsplayground/cli.js start`` with
  ``--app-endpoint URL`` (or env ``BOT_ENDPOINT``; default http://127.0.0.1:3978/api/messages),
  ``--port N`` (or ``TEAMSAPPTESTER_PORT``; default 56150; **if the port is taken it silently picks
  a random one**), ``--service-url URL`` (the serviceUrl put in every activity; default
  ``http://localhost:PORT/_connector``; we pass ``http://127.0.0.1:PORT/_connector``),
  ``--channel-id msteams`` (default), ``--conversation-id ID`` (fixed personal-chat id; otherwise a
  random GUID per start), ``--disable-telemetry``. ``TEAMSAPPTESTER_BROWSER=none`` stops it from
  opening a browser. ``M365_AGENTS_PLAYGROUND_LOGFILE`` moves its log file (default
  ``./devTools/m365agentsplayground.log`` in the working directory).
  ``M365_AGENTS_PLAYGROUND_CONFIG_PATH`` (default ``./.m365agentsplayground.yml``) customises
  tenant, bot, current user and chats (a YAML file; its built-in default has user "user-id-0",
  "Alex Wilber", bot id "00000000-0000-0000-0000-00000000000011"). It prints ``Listening on PORT``
  on stdout once the HTTP server is up (its other output goes to the log file) and listens on all
  interfaces (there is no host option). SIGTERM stops it within a second or two.
* Bot side: activities are POSTed to the bot without an Authorization header, so the bot must run
  without an app id (botbuilder "anonymous"/local mode). The bot answers at the activity's
  serviceUrl: ``POST /_connector/v3/conversations/{id}/activities[/{replyToId}]`` (201,
  ``{"id": ...}``); ``PUT`` updates, ``DELETE`` deletes, ``POST /_connector/v3/conversations``
  creates conversations, members and team lookups are mocked. No token is required there unless
  the Playground is started with ``--client-id/--client-secret/--tenant-id``.
* The web UI's API, used here instead of a browser (all JSON, all relative to http://127.0.0.1:PORT):
    - ``GET  /_debug/ping`` -> ``pong``.
    - ``GET  /_internal/v1/config`` -> ``{"config": {"tenantId", "bot": {id, name}, "currentUser":
      {id, name, aadObjectId, email, ...}, "personalChat": {id}, ...}, "internalConfig": {...}}``.
      The web UI calls it first; it makes the Playground probe the bot endpoint (wait-on, up to
      15 s, any HTTP status counts) and log "Connected." or "Cannot connect to your app ..." before
      it answers.
    - ``POST /_conversation/v1/conversations/{chatId}/messages`` with
      ``{"from": {"id": userId}, "text": "...", "textFormat": "plain"}``
      -> ``{"messageId", "timestamp"}``;
      the bot then receives a Teams-shaped ``message`` activity (personal chat, channelId msteams).
    - ``POST /_conversation/v1/submit`` with ``{"conversation": {"id"}, "from": {"id"}, "replyToId":
      <messageId of the bot message with the card>, "value": {...}}`` -> the bot receives a
      ``message`` activity with ``value`` (Adaptive Card ``Action.Submit``) and that ``replyToId``.
      The replyToId must be a message in that conversation, else 400.
    - ``POST /_conversation/v1/invoke`` with ``{"name": "adaptiveCard/action", "conversation",
      "from", "replyToId", "value": {"action": {"type": "Action.Execute", "verb", "data"}}}`` ->
      an ``invoke`` activity; the bot's invoke response is the HTTP response body.
    - ``POST /_debug/conversation/{chatId}/installation`` with ``{}`` -> the bot receives an
      ``installationUpdate`` (action "add") and a ``conversationUpdate`` (membersAdded: the user and
      the bot), fired concurrently, so their order at the bot is not fixed.
    - ``POST /_internal/v1/customActivities`` sends a hand-made activity (not used here).
    - WebSocket ``/_ws_conversation/v1/conversations/stream``: every message the bot posts or
      updates arrives as ``{"action": "createMessage" | "updateMessage" | "typing",
      "actionConversationId", "message": {"messageId", "timestamp", "from": {"id"}, "text",
      "textFormat", "attachments": [{"contentType", "content"}], "attachmentLayout",
      "suggestedActions", ...}}``. A bot activity with text and N attachments arrives as 1 + N
      messages (text first), unless attachmentLayout is "carousel". The user's own messages are
      not echoed.
    - WebSocket ``/_ws/log/stream``: ``{"logAction": "appendLog", "log": {...}}``. ``type: "bot"``
      items record each HTTP exchange: ``from``/``to`` are "Microsoft 365 Agents Playground" /
      "User Application", with ``activityName``, ``messageId``, ``request.body`` and
      ``response.statusCode``. The item for an activity sent *to* the bot is appended after the
      bot answered, i.e. after every reply of that turn was posted: that is the turn-complete
      signal used below. ``type: "text"`` items are notices; "Cannot connect to your app ..."
      (level "warning") means the bot endpoint refused the connection (ECONNREFUSED); other network
      errors towards the bot are swallowed without a trace, so only a timeout reveals them.
    - Both sockets buffer messages until a first client connects, so nothing is lost at start.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, NoReturn

import aiohttp

E2E_DIR = Path(__file__).resolve().parent
PACKAGE = "@microsoft/m365agentsplayground"
PACKAGE_DIR = E2E_DIR / "node_modules" / "@microsoft" / "m365agentsplayground"
CLI = PACKAGE_DIR / "cli.js"
ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"

_PLAYGROUND = "Microsoft 365 Agents Playground"  # log labels, constants in the bundle
_BOT_APP = "User Application"
_CONNECTED = "Connected."
_CANNOT_CONNECT = "Cannot connect to your app"
_LISTENING = re.compile(r"Listening on (\d+)")
_MIN_NODE_MAJOR = 18
# variables the Playground reads that must not leak in from the caller's environment
_PLAYGROUND_ENV = (
    "BOT_ENDPOINT",
    "SEND_INSTALLATION_ACTIVITY",
    "TEAMSAPPTESTER_PORT",
    "DEFAULT_CHANNEL_ID",
)


class PlaygroundUnavailable(RuntimeError):
    """Node.js, npm or the Playground package cannot be had on this machine."""


class PlaygroundError(RuntimeError):
    """The Playground or the bot behind it did not behave as expected."""


class PlaygroundTimeout(PlaygroundError, TimeoutError):
    """Waited too long for the Playground or the bot."""


def skip_or_fail(reason: str) -> NoReturn:
    """Skip the test on a developer machine without Node.js; fail it loudly when ``CI`` is set."""
    import pytest

    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set: end-to-end tests must run there)", pytrace=False)
    pytest.skip(reason)


# ---------------------------------------------------------------- installation


def pinned_version() -> str:
    manifest = json.loads((E2E_DIR / "package.json").read_text(encoding="utf-8"))
    return manifest["devDependencies"][PACKAGE]


def installed_version() -> str | None:
    try:
        return json.loads((PACKAGE_DIR / "package.json").read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError):
        return None


def _node_major(node: str) -> int:
    out = subprocess.run(
        [node, "--version"], capture_output=True, text=True, timeout=30, check=False
    )
    match = re.match(r"v(\d+)\.", out.stdout.strip())
    return int(match.group(1)) if match else 0


def _install_sync(timeout: float) -> None:
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        raise PlaygroundUnavailable(
            "Node.js and npm are needed for the Agents Playground end-to-end tests "
            "(Debian: apt-get install -y nodejs npm)"
        )
    major = _node_major(node)
    if major < _MIN_NODE_MAJOR:
        raise PlaygroundUnavailable(
            f"the Agents Playground needs Node.js {_MIN_NODE_MAJOR}+, found {major or 'unknown'}"
        )
    wanted = pinned_version()
    if installed_version() == wanted and CLI.is_file():
        return
    # one installer at a time (parallel test processes share tests/e2e/node_modules)
    digest = hashlib.sha256(str(E2E_DIR).encode()).hexdigest()[:16]
    lock_path = Path(tempfile.gettempdir()) / f"dialoogbot-playground-{digest}.lock"
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if installed_version() == wanted and CLI.is_file():
            return
        env = {**os.environ, "npm_config_update_notifier": "false", "npm_config_fund": "false"}
        try:
            result = subprocess.run(
                [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"],
                cwd=E2E_DIR,
                env=env,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise PlaygroundUnavailable(
                f"npm ci in {E2E_DIR} took longer than {timeout:.0f} s"
            ) from exc
        if result.returncode != 0:
            tail = (result.stdout + result.stderr).strip()[-2000:]
            raise PlaygroundUnavailable(
                f"npm ci in {E2E_DIR} failed ({result.returncode}):\n{tail}"
            )
    if installed_version() != wanted or not CLI.is_file():
        raise PlaygroundUnavailable(
            f"npm ci did not install {PACKAGE}@{wanted} (found {installed_version()})"
        )


async def ensure_installed(*, timeout: float = 300.0) -> Path:
    """Install the pinned Playground with ``npm ci`` unless it is already there; return cli.js."""
    await asyncio.to_thread(_install_sync, timeout)
    return CLI


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# ---------------------------------------------------------------- the harness


@dataclass(frozen=True)
class ChatIdentity:
    """Who talks to whom in the Playground's personal chat (from /_internal/v1/config)."""

    conversation_id: str
    user_id: str
    user_name: str
    user_aad_object_id: str
    bot_id: str
    tenant_id: str


@dataclass(frozen=True)
class PlaygroundUser:
    """A Teams user as the Playground's config file describes one."""

    id: str
    name: str
    email: str
    aad_object_id: str
    given_name: str = ""
    surname: str = ""

    def as_config(self) -> dict[str, str]:
        return {
            "id": self.id,
            "name": self.name,
            "userPrincipleName": self.email,  # sic: the Playground's spelling
            "aadObjectId": self.aad_object_id,
            "givenName": self.given_name or self.name.split(" ")[0],
            "surname": self.surname or self.name.split(" ")[-1],
            "email": self.email,
        }


def personal_chat_config(
    user: PlaygroundUser, *, conversation_id: str = "a:dialoog-e2e", bot_name: str = "Dialoogbot"
) -> str:
    """A Playground config file (``config_yaml=``) in which ``user`` chats with the bot.

    The Playground reads YAML, and JSON is YAML, so this is JSON. Its schema demands exactly five
    other users, a group chat and a team; they are fillers here. The bot id stays the default.
    """
    others = [
        PlaygroundUser(
            f"user-id-{n}",
            f"Collega {n}",
            f"collega{n}@example.org",
            f"00000000-0000-0000-0000-00000000010{n}",
        ).as_config()
        for n in range(1, 6)
    ]
    config = {
        "version": "0.1.1",
        "tenantId": "00000000-0000-0000-0000-0000000000001",
        "bot": {"id": "00000000-0000-0000-0000-00000000000011", "name": bot_name},
        "currentUser": user.as_config(),
        "users": others,
        "personalChat": {"id": conversation_id},
        "groupChat": {"id": "group-chat-id", "name": "Groepschat"},
        "team": {
            "id": "team-id",
            "name": "Team",
            "aadGroupId": "00000000-0000-0000-0000-000000000031",
            "channels": [],
        },
    }
    return json.dumps(config, indent=2)


def adaptive_cards(replies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The Adaptive Card contents among ``replies``, in order."""
    return [
        attachment["content"]
        for reply in replies
        for attachment in reply.get("attachments", [])
        if attachment.get("contentType") == ADAPTIVE_CARD
    ]


class Playground:
    """A running Agents Playground pointed at ``bot_endpoint``, driven over its HTTP/WebSocket API.

    ::

        async with Playground("http://127.0.0.1:3978/api/messages") as playground:
            await playground.install()
            welcome = await playground.replies()
            await playground.send_text("help")
            answer = await playground.replies()

    ``replies()`` returns the bot messages that arrived since the previous call, once every activity
    sent so far has been answered by the bot (turn complete) and every reply the bot posted has
    arrived; ``at_least`` additionally waits for messages sent outside a turn (proactive ones).
    Raises PlaygroundUnavailable from ``__aenter__`` when Node.js or the package cannot be had.
    """

    def __init__(
        self,
        bot_endpoint: str,
        *,
        conversation_id: str | None = None,
        config_yaml: str | None = None,
        startup_timeout: float = 60.0,
        install_timeout: float = 300.0,
    ) -> None:
        self.bot_endpoint = bot_endpoint
        self._conversation_id = conversation_id
        self._config_yaml = config_yaml
        self._startup_timeout = startup_timeout
        self._install_timeout = install_timeout

        self.port = 0
        self.identity: ChatIdentity | None = None
        self.warnings: list[str] = []  # Playground notices of level warning/error
        self._workdir: Path | None = None
        self._process: asyncio.subprocess.Process | None = None
        self._output: deque[str] = deque(maxlen=200)
        self._listening: asyncio.Future[int] | None = None
        self._session: aiohttp.ClientSession | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._changed = asyncio.Condition()

        self._bot_reachable: bool | None = None  # the Playground's probe of the bot endpoint
        self._dispatched = 0  # activities we asked the Playground to send to the bot
        self._answered = 0  # ... of which the bot's HTTP answer (or refusal) was logged
        self._turn_failures: list[str] = []
        self._posted: Counter[str] = Counter()  # message ids the bot posted/updated, per the log
        self._seen: Counter[str] = Counter()  # message ids that arrived on the conversation stream
        self._messages: list[dict[str, Any]] = []
        self._returned = 0
        self._gone: str | None = None  # why the Playground is no longer usable

    # -------------------------------------------------------------- properties

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def service_url(self) -> str:
        """The serviceUrl the bot sees in every activity (its Bot Connector)."""
        return f"{self.url}/_connector"

    @property
    def conversation_id(self) -> str:
        return self._identity().conversation_id

    @property
    def user_id(self) -> str:
        return self._identity().user_id

    def _identity(self) -> ChatIdentity:
        if self.identity is None:
            raise PlaygroundError("the Playground is not running: use `async with Playground(...)`")
        return self.identity

    # -------------------------------------------------------------- lifecycle

    async def __aenter__(self) -> Playground:
        cli = await ensure_installed(timeout=self._install_timeout)
        node = shutil.which("node")
        if node is None:  # checked by ensure_installed; keeps the type checker calm
            raise PlaygroundUnavailable("node not found")
        self._workdir = Path(tempfile.mkdtemp(prefix="agents-playground-"))
        try:
            await self._start(node, cli)
            await self._connect()
        except BaseException:
            await self._stop()
            raise
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self._stop()

    async def _start(self, node: str, cli: Path) -> None:
        assert self._workdir is not None
        env = {k: v for k, v in os.environ.items() if k not in _PLAYGROUND_ENV}
        env.update(
            TEAMSAPPTESTER_BROWSER="none",
            BOT_ENDPOINT=self.bot_endpoint,
            M365_AGENTS_PLAYGROUND_LOGFILE=str(self._workdir / "playground.log"),
            M365_AGENTS_PLAYGROUND_CONFIG_PATH=str(self._workdir / ".m365agentsplayground.yml"),
            FORCE_COLOR="0",
            NO_COLOR="1",
            NO_PROXY=",".join(filter(None, [env.get("NO_PROXY"), "127.0.0.1,localhost"])),
        )
        env["no_proxy"] = env["NO_PROXY"]
        if self._config_yaml is not None:
            (self._workdir / ".m365agentsplayground.yml").write_text(
                self._config_yaml, encoding="utf-8"
            )

        for _attempt in range(3):
            wanted = free_port()
            args = [
                str(cli),
                "start",
                "--app-endpoint",
                self.bot_endpoint,
                "--port",
                str(wanted),
                "--service-url",
                f"http://127.0.0.1:{wanted}/_connector",
                "--channel-id",
                "msteams",
                "--disable-telemetry",
            ]
            if self._conversation_id:
                args += ["--conversation-id", self._conversation_id]
            self._listening = asyncio.get_running_loop().create_future()
            self._process = await asyncio.create_subprocess_exec(
                node,
                *args,
                cwd=self._workdir,
                env=env,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.STDOUT,
            )
            reader = asyncio.create_task(self._read_output(self._process, self._listening))
            try:
                port = await asyncio.wait_for(
                    asyncio.shield(self._listening), self._startup_timeout
                )
            except TimeoutError:
                self._tasks.append(reader)  # cancelled by _stop
                raise PlaygroundTimeout(
                    "the Playground did not report 'Listening on PORT' within "
                    f"{self._startup_timeout:.0f} s"
                    f"\n{self.output_tail()}"
                ) from None
            if port == wanted:
                self.port = port
                self._tasks.append(reader)
                return
            # someone took the port between our probe and its bind: the serviceUrl would be wrong
            reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await reader
            await self._terminate_process()
        raise PlaygroundError("the Playground kept landing on another port than asked for")

    async def _read_output(
        self, process: asyncio.subprocess.Process, listening: asyncio.Future[int]
    ) -> None:
        assert process.stdout is not None
        while line := await process.stdout.readline():
            text = line.decode("utf-8", "replace").rstrip()
            self._output.append(text)
            match = _LISTENING.search(text)
            if match and not listening.done():
                listening.set_result(int(match.group(1)))
        code = await process.wait()
        if not listening.done():
            listening.set_exception(
                PlaygroundError(
                    f"the Playground exited with code {code} before listening\n{self.output_tail()}"
                )
            )
        await self._mark_gone(f"the Playground process exited with code {code}")

    async def _connect(self) -> None:
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._startup_timeout
        # the backend routes are mounted right after "Listening on" is printed: poll until up
        while True:
            with contextlib.suppress(aiohttp.ClientError):
                async with self._session.get(f"{self.url}/_debug/ping") as response:
                    if response.status == 200:
                        break
            if loop.time() > deadline:
                raise PlaygroundTimeout(
                    f"the Playground's /_debug/ping never answered\n{self.output_tail()}"
                )
            await asyncio.sleep(0.05)

        conversations = await self._session.ws_connect(
            f"{self.url}/_ws_conversation/v1/conversations/stream"
        )
        logs = await self._session.ws_connect(f"{self.url}/_ws/log/stream")
        self._tasks.append(
            asyncio.create_task(self._read_socket(conversations, self._on_conversation_event))
        )
        self._tasks.append(asyncio.create_task(self._read_socket(logs, self._on_log_event)))

        # Like the web UI on load: this request makes the Playground probe the bot endpoint (for
        # up to 15 s) and log "Connected." or "Cannot connect to your app ..." before answering.
        try:
            async with self._session.get(
                f"{self.url}/_internal/v1/config",
                timeout=aiohttp.ClientTimeout(total=max(deadline - loop.time(), 1.0)),
            ) as response:
                response.raise_for_status()
                config = (await response.json())["config"]
        except TimeoutError:
            raise PlaygroundTimeout(
                "the Playground did not answer /_internal/v1/config within "
                f"{self._startup_timeout:.0f} s "
                f"(is the bot at {self.bot_endpoint} up?)\n{self.output_tail()}"
            ) from None
        user = config["currentUser"]
        self.identity = ChatIdentity(
            conversation_id=config["personalChat"]["id"],
            user_id=user["id"],
            user_name=user.get("name", ""),
            user_aad_object_id=user.get("aadObjectId", ""),
            bot_id=config["bot"]["id"],
            tenant_id=config["tenantId"],
        )
        await self._wait_for(
            lambda: self._bot_reachable is not None, max(deadline - loop.time(), 1.0)
        )
        if not self._bot_reachable:
            raise PlaygroundError(
                f"the Playground could not reach the bot at {self.bot_endpoint}\n"
                f"{self.output_tail()}"
            )

    async def _stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks.clear()
        if self._session is not None:
            await self._session.close()
            self._session = None
        await self._terminate_process()
        if self._workdir is not None:
            shutil.rmtree(self._workdir, ignore_errors=True)
            self._workdir = None

    async def _terminate_process(self) -> None:
        process, self._process = self._process, None
        if process is None or process.returncode is not None:
            return
        process.terminate()
        try:
            await asyncio.wait_for(process.wait(), 10)
        except TimeoutError:
            process.kill()
            await process.wait()

    # -------------------------------------------------------------- events

    async def _read_socket(
        self, socket_: aiohttp.ClientWebSocketResponse, handle: Callable[[dict[str, Any]], None]
    ) -> None:
        async for message in socket_:
            if message.type == aiohttp.WSMsgType.TEXT:
                event = json.loads(message.data)
                async with self._changed:
                    handle(event)
                    self._changed.notify_all()
            elif message.type in (aiohttp.WSMsgType.ERROR, aiohttp.WSMsgType.CLOSED):
                break
        await self._mark_gone("a Playground WebSocket closed")

    async def _mark_gone(self, reason: str) -> None:
        async with self._changed:
            self._gone = self._gone or reason
            self._changed.notify_all()

    def _on_conversation_event(self, event: dict[str, Any]) -> None:
        if event.get("action") not in ("createMessage", "updateMessage"):
            return  # typing indicators
        message = event.get("message", {})
        message_id = str(message.get("messageId"))
        self._seen[message_id] += 1
        self._messages.append(
            {
                "type": "message",
                "action": event["action"],
                "id": message_id,
                "conversation_id": event.get("actionConversationId"),
                "from": message.get("from", {}),
                "timestamp": message.get("timestamp"),
                "text": message.get("text") or "",
                "textFormat": message.get("textFormat"),
                "attachments": message.get("attachments") or [],
                "attachmentLayout": message.get("attachmentLayout"),
                "suggestedActions": message.get("suggestedActions"),
            }
        )

    def _on_log_event(self, event: dict[str, Any]) -> None:
        item = event.get("log", {})
        if item.get("type") == "text":
            text = str(item.get("displayText", ""))
            if text == _CONNECTED:
                self._bot_reachable = True
            if item.get("level") in ("warning", "error"):
                self.warnings.append(text)
                if text.startswith(_CANNOT_CONNECT):
                    if self._bot_reachable is None:
                        self._bot_reachable = False  # the start-up probe failed
                    elif self._answered < self._dispatched:
                        # logged instead of an exchange when the bot refuses the connection
                        self._answered += 1
                        self._turn_failures.append(
                            f"the Playground could not reach the bot: {text}"
                        )
            return
        if item.get("type") != "bot":
            return
        response = item.get("response") or {}
        status = response.get("statusCode")
        request = (item.get("request") or {}).get("body") or {}
        if item.get("from") == _PLAYGROUND and item.get("to") == _BOT_APP:
            self._answered += 1
            if not isinstance(status, int) or status >= 300:
                described = request.get("text") or request.get("value") or request.get("type")
                self._turn_failures.append(
                    f"the bot answered HTTP {status} to the {item.get('activityName')} activity "
                    f"({described!r}): {str(response.get('body'))[:500]}"
                )
        elif item.get("from") == _BOT_APP and item.get("activityName") == "message":
            if isinstance(status, int) and status < 300 and item.get("messageId"):
                self._posted[str(item["messageId"])] += 1
            else:
                self.warnings.append(
                    f"the Playground refused a bot message ({status}): {response.get('body')}"
                )

    async def _wait_for(self, predicate: Callable[[], bool], timeout: float) -> None:
        async with self._changed:
            try:
                await asyncio.wait_for(
                    self._changed.wait_for(lambda: predicate() or self._gone is not None), timeout
                )
            except TimeoutError:
                raise PlaygroundTimeout(f"timed out after {timeout:.1f} s") from None
            if not predicate() and self._gone is not None:
                raise PlaygroundError(f"{self._gone}\n{self.output_tail()}")

    def output_tail(self, lines: int = 30) -> str:
        """The Playground's last lines of output and of its log file, for failure messages."""
        text = "Playground output:\n" + "\n".join(list(self._output)[-lines:])
        if self._workdir is not None:
            with contextlib.suppress(OSError):
                log = (self._workdir / "playground.log").read_text(
                    encoding="utf-8", errors="replace"
                )
                text += "\nPlayground log file:\n" + "\n".join(log.splitlines()[-lines:])
        return text

    # -------------------------------------------------------------- the user's actions

    async def _post(self, path: str, payload: dict[str, Any]) -> Any:
        if self._session is None or self._gone is not None:
            raise PlaygroundError(self._gone or "the Playground is not running")
        async with self._session.post(f"{self.url}{path}", json=payload) as response:
            body = await response.text()
            if response.status != 200:
                raise PlaygroundError(f"POST {path} -> HTTP {response.status}: {body[:500]}")
            return json.loads(body) if body else None

    async def _dispatch(self, count: int, path: str, payload: dict[str, Any]) -> Any:
        async with self._changed:
            self._dispatched += count
        try:
            return await self._post(path, payload)
        except BaseException:
            async with self._changed:
                self._dispatched -= count
            raise

    async def install(self) -> None:
        """Install the app in the personal chat: the bot receives installationUpdate (add) and
        conversationUpdate (membersAdded), in either order."""
        await self._dispatch(2, f"/_debug/conversation/{self.conversation_id}/installation", {})

    async def send_text(self, text: str) -> str:
        """The user types ``text`` in the personal chat; returns the Playground's message id."""
        body = await self._dispatch(
            1,
            f"/_conversation/v1/conversations/{self.conversation_id}/messages",
            {"from": {"id": self.user_id}, "text": text, "textFormat": "plain"},
        )
        return str(body["messageId"])

    async def submit_card(self, data: dict[str, Any], *, reply_to_id: str | None = None) -> None:
        """The user presses an Action.Submit button. ``data`` becomes the activity's ``value``: give
        the action's ``data`` merged with the inputs' values, as Teams does. The card is the bot's
        latest Adaptive Card message unless ``reply_to_id`` names another one."""
        if reply_to_id is None:
            with_cards = [m for m in self._messages if adaptive_cards([m])]
            if not with_cards:
                raise PlaygroundError("submit_card: the bot has not sent an Adaptive Card yet")
            reply_to_id = with_cards[-1]["id"]
        await self._dispatch(
            1,
            "/_conversation/v1/submit",
            {
                "conversation": {"id": self.conversation_id},
                "from": {"id": self.user_id},
                "replyToId": reply_to_id,
                "value": data,
            },
        )

    async def replies(self, timeout: float = 15.0, *, at_least: int = 0) -> list[dict[str, Any]]:
        """Bot messages received since the previous call, after the bot finished every turn sent so
        far (and, with ``at_least``, once at least that many new messages are there).

        Each is a dict with ``id``, ``action`` (createMessage/updateMessage), ``text``,
        ``textFormat``, ``attachments`` ([{contentType, content}]), ``attachmentLayout``,
        ``suggestedActions``, ``from`` and ``timestamp``. Raises PlaygroundError if the bot failed a
        turn (HTTP status >= 300, or unreachable) and PlaygroundTimeout after ``timeout`` seconds.
        """

        def settled() -> bool:
            if self._turn_failures:
                return True
            if self._answered < self._dispatched:
                return False
            if any(self._seen[mid] < count for mid, count in self._posted.items()):
                return False
            return len(self._messages) - self._returned >= at_least

        try:
            await self._wait_for(settled, timeout)
        except PlaygroundTimeout:
            raise PlaygroundTimeout(
                f"waited {timeout:.1f} s for the bot: {self._answered} of {self._dispatched} "
                "activities "
                f"answered, {len(self._messages) - self._returned} new message(s), wanted at least "
                f"{at_least}; warnings: {self.warnings[-5:]}\n{self.output_tail(15)}"
            ) from None
        async with self._changed:
            if self._turn_failures:
                failures, self._turn_failures = self._turn_failures, []
                raise PlaygroundError("; ".join(failures))
            new = self._messages[self._returned :]
            self._returned = len(self._messages)
        return new
