"""Teams single sign-on benchmark: time to validate the SSO token the dashboard's Teams tab posts
(``bot.web.entra_tokens.SsoTokens.claims``), against the tests' local Entra stand-in over HTTPS.

    .venv/bin/python -m bench.teams_sso                 # 500 tokens
    .venv/bin/python -m bench.teams_sso --tokens 2000

The first validation fetches the tenant's OpenID metadata and JWKS; the rest use the kept keys
(RS256 signature and claim checks only). Prints the first validation's wall time, p50/p95/max
wall time per cached validation in milliseconds, total CPU time (time.process_time) and the
load average when it ran.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.web.entra_tokens import SsoTokens, TenantKeys, https_json  # noqa: E402
from tests.support.entra_stub import EntraStub, EntraUser  # noqa: E402
from tests.support.tls import make_certificates  # noqa: E402

TENANT = "0b6a4f6e-8d4f-4c2a-9a51-3c1f4f0b2d7e"
CLIENT_ID = "4a1e6b2c-3d5f-4e7a-8b9c-0d1e2f3a4b5c"


async def run(count: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        stub = EntraStub(
            certificates=make_certificates(Path(folder)),
            tenant=TENANT,
            client_id=CLIENT_ID,
            client_secret="bench-secret-value",
        )
        await stub.start()
        try:
            tokens = SsoTokens(
                tenant=TENANT,
                client_id=CLIENT_ID,
                resource=None,
                keys=TenantKeys(
                    f"{stub.origin}/{TENANT}/v2.0/.well-known/openid-configuration",
                    https_json(stub.certificates.ca_file),
                ),
            )
            users = [
                EntraUser(f"a0c4d2e1-0000-4000-8000-{n:012d}", f"b{n}@gemeente.example", "B")
                for n in range(count + 1)
            ]
            signed = [stub.sso_token(user) for user in users]
            cpu = time.process_time()
            start = time.perf_counter()
            await tokens.claims(signed[0])
            first = (time.perf_counter() - start) * 1000
            times = []
            for token in signed[1:]:
                start = time.perf_counter()
                await tokens.claims(token)
                times.append((time.perf_counter() - start) * 1000)
            cpu = time.process_time() - cpu
        finally:
            await stub.close()
    times.sort()
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    print(f"first validation (fetches metadata + JWKS): {first:.1f} ms wall")
    print(
        f"{len(times)} cached validations: p50 {statistics.median(times):.2f} ms, "
        f"p95 {p95:.2f} ms, max {times[-1]:.2f} ms wall; "
        f"CPU {cpu * 1000:.0f} ms in all ({cpu * 1000 / (len(times) + 1):.2f} ms a token)"
    )
    print("load average: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tokens", type=int, default=500)
    asyncio.run(run(parser.parse_args().tokens))


if __name__ == "__main__":
    main()
