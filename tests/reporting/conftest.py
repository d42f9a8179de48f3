"""A small dialogue with answers in every step (tests/support/report_world.py) and the report desk
on it, as the runtime builds it."""

from __future__ import annotations

from datetime import datetime

import pytest

from dialogen.reporting.review import ReportDesk
from tests.conftest import AMS, SEALING
from tests.support.clock import FakeClock

DECEMBER = datetime(2024, 12, 5, 10, 0, tzinfo=AMS)  # Voortzetten is open


def make_desk(database, dialogue, registry, clock) -> ReportDesk:
    return ReportDesk(
        database=database,
        dialogue=dialogue,
        municipalities=registry,
        progress_cipher=SEALING.progress,
        clock=clock,
    )


@pytest.fixture
def december() -> FakeClock:
    return FakeClock(DECEMBER)
