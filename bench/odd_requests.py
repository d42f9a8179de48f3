"""Odd and hostile requests at ``POST /api/messages``: how many 5xx answers, how many tracebacks.

    .venv/bin/python -m bench.odd_requests [--requests 2000] [--seed 7] [--database-url URL]
        [--auth]

The real app (``bot.app.create_app``) in this process, in local mode (or with ``--auth``: an app
id, the local token issuer, and a valid token on every request), its replies going to a local
Bot Connector stub. Each request is a real-shaped Teams activity (a message, a card submit, an
install) with one thing made odd — a field of the wrong type, too long, with NUL or a lone
surrogate, ``channelData.tenant`` as a string — or a body that is not an activity at all (not
JSON, 200 KB of ``[[[[``, a bogus charset, the wrong content type, a JSON array). Seeded: the same
requests every run. Printed: answers by status, the 5xx count, and how many log records carried a
traceback (bad input should give one warning line; tracebacks are for bugs). Default database:
a fresh SQLite file; ``--database-url postgresql`` makes a fresh PostgreSQL database.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import json
import logging
import os
import random
import tempfile
from collections import Counter
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient, TestServer

from tests.support import activities as act
from tests.support.connector import ConnectorStub
from tests.support.databases import fresh_postgres_database

APP_ID = "5f0c7e2a-5b8e-4c1e-9f3e-2d6a0b1c9e77"
PASSWORD = "stub-client-secret-0f9e8d7c6b5a4"
ODD_VALUES: tuple[Any, ...] = (
    None,
    5,
    -1.5,
    True,
    [],
    {},
    [1, "a", None],
    {"id": 5},
    "",
    "\x00",
    "a\x00b",
    "\ud800",
    "x\udfffy",
    "é" * 300,
    "n" * 5000,
    "<at>Dialoogbot</at>",
    "😀" * 100,
)
FIELDS: tuple[tuple[str, ...], ...] = (
    ("type",),
    ("id",),
    ("text",),
    ("textFormat",),
    ("value",),
    ("action",),
    ("serviceUrl",),
    ("channelId",),
    ("from",),
    ("from", "id"),
    ("from", "name"),
    ("from", "aadObjectId"),
    ("conversation",),
    ("conversation", "id"),
    ("conversation", "tenantId"),
    ("recipient",),
    ("recipient", "id"),
    ("channelData",),
    ("channelData", "tenant"),
    ("channelData", "tenant", "id"),
    ("membersAdded",),
    ("attachments",),
    ("entities",),
    ("timestamp",),
    ("locale",),
    ("replyToId",),
)


class Tracebacks(logging.Handler):
    """Counts log records that carry a traceback, and keeps their first lines."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.count = 0
        self.kinds: Counter[str] = Counter()
        self.examples: dict[str, str] = {}

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.exc_info[0] is not None:
            self.count += 1
            kind = f"{record.name}: {record.exc_info[0].__name__}"
            self.kinds[kind] += 1
            if kind not in self.examples:
                trace = logging.Formatter().formatException(record.exc_info).splitlines()
                self.examples[kind] = " | ".join(trace[-4:])


def odd_request(rng: random.Random, service_url: str, number: int) -> tuple[bytes, dict[str, str]]:
    user = f"odd{number % 150}"
    base = rng.choice(
        (
            lambda: act.message(service_url, user, "Samenwerken is lastig"),
            lambda: act.card_submit(service_url, user, {"dialoog": "consent", "value": "ja"}),
            lambda: act.installation_update(service_url, user),
            lambda: act.conversation_update(service_url, user),
        )
    )()
    headers = {"Content-Type": "application/json"}
    shape = rng.random()
    if shape < 0.12:  # not an activity body at all
        return _odd_body(rng, headers)
    activity = copy.deepcopy(base)
    for _ in range(rng.choice((1, 1, 2, 3))):
        _set(activity, rng.choice(FIELDS), rng.choice(ODD_VALUES))
    return json.dumps(activity).encode(), headers


def _odd_body(rng: random.Random, headers: dict[str, str]) -> tuple[bytes, dict[str, str]]:
    kind = rng.randrange(9)
    if kind == 0:
        return b"{not json", headers
    if kind == 1:
        return b"[" * 200_000, headers
    if kind == 2:
        return b'{"type": "message"}', {"Content-Type": "application/json; charset=bogus-42"}
    if kind == 3:
        return b'{"type": "message"}', {"Content-Type": "text/plain"}
    if kind == 4:
        return b"", headers
    if kind == 5:
        return b'["message"]', headers
    if kind == 6:
        return b'"message"', headers
    if kind == 7:
        return b'{"type": "message", "text": "\xff\xfe"}', headers
    return json.dumps({"type": "message", "a": [[[[[[[[[[]]]]]]]]]] * 3}).encode(), headers


def _set(document: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    target: Any = document
    for key in path[:-1]:
        if not isinstance(target.get(key), dict):
            target[key] = {}
        target = target[key]
    target[path[-1]] = copy.deepcopy(value)


async def run(args: argparse.Namespace, database_url: str, folder: Path) -> None:
    from bot.app import create_app
    from bot.runtime import build_runtime
    from bot.settings import Settings

    traces = Tracebacks()
    logging.getLogger().addHandler(traces)
    logging.getLogger().setLevel(logging.INFO)
    for handler in logging.getLogger().handlers:
        if handler is not traces:
            handler.setLevel(logging.CRITICAL + 1)  # count, do not print
    connector = await ConnectorStub().start()
    values: dict[str, Any] = {
        "database_url": database_url,
        "demo_calendar": True,
        "pseudonym_secret": "6f3c9a1e0b7d4c2a8e5f1b3d7a9c0e2f4b6d8a1c3e5f7b9d",
        "pseudonym_secret_file": folder / "secret",
        "mail_transport": "none",
        "outbox_enabled": False,
        "scheduler_enabled": False,
    }
    issuer = None
    if args.auth:
        import msal.authority

        from tests.support.token_issuer import TokenIssuer

        issuer = TokenIssuer(client_secret=PASSWORD, folder=folder / "tls").start()
        # the replies get their token from the issuer's Entra stand-in (as tests/bot do)
        os.environ["REQUESTS_CA_BUNDLE"] = str(issuer.ca_file)
        msal.authority.WELL_KNOWN_AUTHORITY_HOSTS = msal.authority.WELL_KNOWN_AUTHORITY_HOSTS | {
            "127.0.0.1"
        }
        values.update(
            app_id=APP_ID,
            app_password=PASSWORD,
            app_tenant_id=act.TENANT,
            openid_metadata_url=issuer.metadata_url,
            login_url=issuer.login_url(act.TENANT),
        )
    client = TestClient(TestServer(create_app(build_runtime(Settings(**values)))))
    await client.start_server()
    rng = random.Random(args.seed)
    statuses: Counter[int] = Counter()
    try:
        for number in range(args.requests):
            body, headers = odd_request(rng, connector.url, number)
            if issuer is not None:
                headers["Authorization"] = issuer.bearer(app_id=APP_ID, service_url=connector.url)
            response = await client.post("/api/messages", data=body, headers=headers)
            await response.read()
            statuses[response.status] += 1
    finally:
        await client.close()
        await connector.close()
        if issuer is not None:
            issuer.close()
    print(f"requests: {args.requests} ({'with tokens' if args.auth else 'local mode'})")
    print("answers: " + ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items())))
    print(f"5xx answers: {sum(n for s, n in statuses.items() if s >= 500)}")
    print(f"tracebacks in the log: {traces.count}")
    for kind, count in traces.kinds.most_common(8):
        print(f"  {count:4d}  {kind}")
        if args.verbose:
            print(f"        {traces.examples[kind][:600]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database-url", default="sqlite")
    parser.add_argument("--auth", action="store_true")
    parser.add_argument("--verbose", action="store_true", help="the end of one traceback per kind")
    args = parser.parse_args()
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="odd-")))
        url = args.database_url
        if url == "sqlite":
            url = f"sqlite:///{folder / 'odd.db'}"
        elif url == "postgresql":
            url = stack.enter_context(fresh_postgres_database())
        asyncio.run(run(args, url, folder))


if __name__ == "__main__":
    main()
