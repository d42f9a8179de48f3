"""The composition root: everything one process needs, built once from :class:`Settings`.

``build_runtime(settings)`` opens and migrates the database, loads the dialogue (with the demo
calendar when asked), reads the pseudonym secret once, and wires the domain (the door, facilitation,
the roster, reach, the audit trail), planning's broadcasts, the Teams channel (one CloudAdapter for
the endpoint and the proactive messages) and — when configured — the mail channel. ``dialoog
serve`` hands the runtime to :func:`bot.app.create_app`, every other ``dialoog`` verb uses it
directly, and tests build one the same way. Nothing is built anywhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

from bot.mail.reply_token import TokenKeys
from bot.mail.runtime import MailChannel, build_mail_channel, token_keys
from bot.settings import Settings
from bot.teams.runtime import TeamsRuntime, build_teams
from dialogen.contracts import Broadcasting, Clock
from dialogen.dialogue.definition import Dialogue, demo_shift
from dialogen.dialogue.loader import default_dialogue_path, load_dialogue
from dialogen.door.door import Door
from dialogen.facilitation.actions import Facilitation
from dialogen.facilitation.audit import AuditTrail
from dialogen.facilitation.dashboard import DashboardFigures
from dialogen.facilitation.mail_invitations import MailInvitations
from dialogen.facilitation.moderation import ModerationDesk
from dialogen.facilitation.representation_watch import RepresentationWatch
from dialogen.facilitation.signins import SignIns
from dialogen.participation.reach import Reach
from dialogen.privacy.payload_cipher import PayloadCipher, Sealing
from dialogen.privacy.pseudonyms import Pseudonyms
from dialogen.privacy.released_segments import SegmentReleases
from dialogen.privacy.subject_rights import SubjectRights, address_digest
from dialogen.reporting.offers import ReportOffers
from dialogen.reporting.review import ReportDesk
from dialogen.stakeholders.municipalities import MunicipalityRegistry
from dialogen.stakeholders.roster import Roster
from dialogen.store.database import Database
from dialogen.store.mail_poll import MailboxLease, MailPollState
from planning.broadcasts import Broadcasts
from planning.results import ResultsMessages


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Runtime:
    settings: Settings
    clock: Clock
    database: Database
    dialogue: Dialogue
    municipalities: MunicipalityRegistry
    pseudonyms: Pseudonyms
    sealing: Sealing  # keys derived from the pseudonym secret: queued payloads, progress, mail
    audit: AuditTrail
    roster: Roster
    reach: Reach
    broadcasts: Broadcasts
    facilitation: Facilitation
    door: Door
    invitations: MailInvitations
    privacy: SubjectRights  # export, erase and purge personal data (operators)
    mail_keys: TokenKeys  # reply and unsubscribe tokens (the one-click link works without mail)
    teams: TeamsRuntime
    mail: MailChannel | None  # None: DIALOOG_MAIL_TRANSPORT=none
    dashboard: DashboardFigures  # what the facilitator dashboard shows (bot/web)
    signins: SignIns  # who is signed in to it

    def close(self) -> None:
        self.database.dispose()

    def reports(self) -> ReportDesk:
        """The report desk (Voortzetten): makes, records and approves reports."""
        return ReportDesk(
            database=self.database,
            dialogue=self.dialogue,
            municipalities=self.municipalities,
            progress_cipher=self.sealing.progress,
            clock=self.clock,
        )

    def results(self) -> ResultsMessages:
        """The results message to every participant (after the report is approved)."""
        return ResultsMessages(
            database=self.database,
            reports=self.reports(),
            clock=self.clock,
            pseudonyms=self.pseudonyms,
            sealing=self.sealing,
        )


def load_configured_dialogue(settings: Settings, clock: Clock) -> Dialogue:
    dialogue = load_dialogue(settings.dialogue_file or default_dialogue_path())
    if settings.use_demo_calendar:
        today = clock().astimezone(dialogue.zone).date()
        dialogue = dialogue.shifted(demo_shift(dialogue, today))
    return dialogue


def build_runtime(
    settings: Settings,
    *,
    clock: Clock = system_clock,
    database: Database | None = None,
    dialogue: Dialogue | None = None,
    municipalities: MunicipalityRegistry | None = None,
    broadcasting: Broadcasting | None = None,
    mail_read_workers: int | None = None,
) -> Runtime:
    """Everything from ``settings``. The keyword arguments replace one part (tests: an injected
    clock, a database they prepared, a stand-in for broadcasting); ``mail_read_workers`` overrides
    ``DIALOOG_MAIL_READ_WORKERS`` (a one-off ``dialoog mail poll`` reads in its own process)."""
    if database is None:
        database = Database(settings.database_url)
        database.migrate()
    dialogue = dialogue or load_configured_dialogue(settings, clock)
    municipalities = municipalities or MunicipalityRegistry.load(
        networks_path=settings.networks_file
    )
    pseudonyms = Pseudonyms(settings.pseudonym_key())
    sealing = Sealing.derived_from(pseudonyms)
    audit = AuditTrail(database=database, clock=clock)
    releases = SegmentReleases(municipalities=municipalities)  # k-safe segments on answers
    roster = Roster(
        database=database,
        municipalities=municipalities,
        clock=clock,
        releases=releases,
        address_digest=partial(address_digest, pseudonyms),  # erased people stay erased
    )
    broadcasts = Broadcasts(
        database=database,
        dialogue=dialogue,
        clock=clock,
        pseudonyms=pseudonyms,
        sealing=sealing,
        municipalities=municipalities,
    )
    reports = ReportDesk(
        database=database,
        dialogue=dialogue,
        municipalities=municipalities,
        progress_cipher=sealing.progress,
        clock=clock,
    )
    facilitation = Facilitation(
        reports=reports,
        results=ResultsMessages(
            database=database,
            reports=reports,
            clock=clock,
            pseudonyms=pseudonyms,
            sealing=sealing,
        ),
        database=database,
        dialogue=dialogue,
        municipalities=municipalities,
        facilitators=settings.facilitators,
        clock=clock,
        progress=sealing.progress,
        broadcasts=broadcasting or broadcasts,
        moderation=ModerationDesk(
            database=database,
            dialogue=dialogue,
            clock=clock,
            pseudonyms=pseudonyms,
            sealing=sealing,
        ),
    )
    facilitation.representation = RepresentationWatch(
        database=database,
        dialogue=dialogue,
        municipalities=municipalities,
        clock=clock,
        sealing=sealing,
        facilitators=settings.facilitators,
    )
    door = Door(
        database=database,
        dialogue=dialogue,
        municipalities=municipalities,
        pseudonyms=pseudonyms,
        clock=clock,
        facilitation=facilitation,
        mail_replies_per_hour=settings.mail_replies_per_hour,
        sealing=sealing,
        releases=releases,
    )
    reach = Reach(
        database=database, dialogue=dialogue, pseudonyms=pseudonyms, turns=door.turns, clock=clock
    )
    keys = token_keys(settings, pseudonyms)
    mail = None
    if settings.mail_transport != "none":
        mail = build_mail_channel(
            settings,
            handle=door.handle,
            reach=reach,
            dialogue=dialogue,
            keys=keys,
            clock=clock,
            ping=database.ping,
            cipher=sealing.mail,
            read_workers=mail_read_workers,
            **_shared_polling(settings, database),
        )
    return Runtime(
        settings=settings,
        clock=clock,
        database=database,
        dialogue=dialogue,
        municipalities=municipalities,
        pseudonyms=pseudonyms,
        sealing=sealing,
        audit=audit,
        roster=roster,
        reach=reach,
        broadcasts=broadcasts,
        facilitation=facilitation,
        door=door,
        invitations=MailInvitations(
            database=database,
            turns=door.turns,
            clock=clock,
            try_out=settings.use_demo_calendar,  # trying it on a Sunday is not held back
        ),
        privacy=SubjectRights(
            database=database,
            dialogue=dialogue,
            municipalities=municipalities,
            pseudonyms=pseudonyms,
            sealing=sealing,
            releases=releases,
            clock=clock,
            purge_after=timedelta(days=settings.purge_after_days),
        ),
        mail_keys=keys,
        teams=build_teams(
            settings,
            handle=door.handle,
            roster=roster,
            reach=reach,
            clock=clock,
            offers=ReportOffers(database=database, cipher=sealing.report_offers, clock=clock),
        ),
        mail=mail,
        dashboard=DashboardFigures(
            database=database,
            dialogue=dialogue,
            municipalities=municipalities,
            progress=sealing.progress,
            clock=clock,
            broadcasts=broadcasting or broadcasts,
        ),
        signins=SignIns(
            database=database,
            clock=clock,
            cipher=PayloadCipher.derived_from(pseudonyms, b"dashboard sign-in"),
            idle=timedelta(minutes=settings.dashboard_idle_minutes),
            longest=timedelta(hours=settings.dashboard_session_hours),
        ),
    )


def _shared_polling(settings: Settings, database: Database) -> dict[str, Any]:
    """On PostgreSQL (several replicas): one replica at a time polls the mailbox, under a lease
    in the database, and the transport's place in the mailbox is kept there too."""
    if database.is_sqlite or not settings.mail_address:
        return {}
    seconds = max(60.0, 3 * settings.mail_poll_interval)  # missed renewals before a takeover
    return {
        "lease": MailboxLease(database, settings.mail_address, seconds=seconds),
        "poll_state": MailPollState(database, settings.mail_address),
    }
