"""The Teams channel of one process, built once: one CloudAdapter (with the credentials reused
across turns) serves the inbound endpoint and the outbox's proactive deliveries alike."""

from __future__ import annotations

from dataclasses import dataclass

from botbuilder.integration.aiohttp import CloudAdapter

from bot.settings import Settings
from bot.teams.auth import bot_framework_authentication
from bot.teams.channel import Handle, TeamsChannel
from bot.teams.members import TeamsMembers
from bot.teams.proactive import TeamsProactiveTransport
from dialogen.contracts import Clock
from dialogen.participation.reach import Reach
from dialogen.reporting.offers import ReportOffers
from dialogen.stakeholders.roster import Roster


@dataclass(frozen=True)
class TeamsRuntime:
    adapter: CloudAdapter
    channel: TeamsChannel
    delivery: TeamsProactiveTransport


def build_teams(
    settings: Settings,
    *,
    handle: Handle,
    roster: Roster,
    reach: Reach,
    clock: Clock,
    offers: ReportOffers,
) -> TeamsRuntime:
    adapter = CloudAdapter(bot_framework_authentication(settings))
    adapter.on_turn_error = TeamsChannel.on_error
    channel = TeamsChannel(
        handle, members=TeamsMembers(roster), app_id=settings.app_id, offers=offers
    )
    delivery = TeamsProactiveTransport(
        adapter=adapter, reach=reach, app_id=settings.app_id, clock=clock
    )
    return TeamsRuntime(adapter, channel, delivery)
