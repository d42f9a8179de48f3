"""Facilitator actions: participation figures, broadcasts and nudges with preview and
confirmation, and what is planned — each checked against the list of facilitators and written to
the audit log (who, what, when, how many).

Channels translate text and button clicks into :class:`Command` values (see
``dialogen.facilitation.commands``) and render the replies; broadcasting itself is done by
``planning`` behind the :class:`Broadcasting` protocol.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from dialogen.contracts import Broadcasting, Clock, SegmentLookup
from dialogen.conversation import messages as msg
from dialogen.conversation.replies import Reply, Say
from dialogen.dialogue.definition import Dialogue, Step
from dialogen.facilitation import messages as fmsg
from dialogen.facilitation import theme_messages as tmsg
from dialogen.facilitation.audit import AuditTrail
from dialogen.facilitation.commands import (
    Command,
    Moderate,
    ModerationAction,
    Planning,
    Preview,
    ReportCommand,
    Results,
    Stand,
    parse_command,
    resolve_step,
)
from dialogen.facilitation.follow_up import FollowUps
from dialogen.facilitation.moderation import ModerationDesk, ModerationQueue, queue_text
from dialogen.facilitation.priority_results import PriorityResults
from dialogen.facilitation.representation_watch import RepresentationWatch
from dialogen.facilitation.theme_commands import (
    FollowUpCommand,
    PrioritiesCommand,
    RepresentationCommand,
    ThemeCommand,
)
from dialogen.facilitation.theme_desk import (
    PrioritiesView,
    run_priorities,
    run_theme_command,
)
from dialogen.facilitation.themes import ThemeCuration, ThemeView, view_text
from dialogen.participation.figures import ParticipationReport, measure
from dialogen.participation.figures_text import render_text
from dialogen.privacy.payload_cipher import PayloadCipher
from dialogen.reporting import messages as rmsg
from dialogen.reporting.results import ResultsSending
from dialogen.reporting.review import MadeReport, ReportDesk
from dialogen.store import audit
from dialogen.store import facilitator_requests as requests
from dialogen.store import participation_queries as queries
from dialogen.store.database import Database

log = logging.getLogger(__name__)

CONFIRM_MINUTES = 15
_ACTION = {"step_prompt": "broadcast", "nudge": "nudge", "results": "results"}
_WORD = {"step_prompt": "verstuur", "nudge": "herinner"}
_MODERATION_PREFIX = "moderation:"
_COMMAND_ACTION = "command"  # a typed command the dashboard confirms first


def _confirmable(command: Command | None) -> bool:
    """The typed commands the dashboard carries out after a confirmation of its own."""
    return isinstance(command, ThemeCommand) or (
        isinstance(command, ReportCommand) and command.approve is not None
    )


def _digest(text: str) -> str:
    """What a confirmation of a typed command is bound to (the column holds 20 characters)."""
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()[
        :20
    ]  # a confirmation the dashboard asks before moderating


@dataclass(frozen=True)
class Facilitator:
    """Who asks, as the channel knows them. ``actor`` is what the audit log records."""

    aad_object_id: str | None = None
    email: str | None = None
    channel: str = "teams"
    user_id: str | None = None  # the channel's own id, recorded only when nothing better is known

    @property
    def actor(self) -> str:
        return self.aad_object_id or self.email or self.user_id or "onbekend"


@dataclass(frozen=True)
class ConfirmationRequest:
    """A broadcast preview: the exact messages, who gets them, and a token for the two buttons."""

    title: str
    preview: tuple[Reply, ...]
    summary: str
    hint: str
    token: str
    step_key: str = ""
    kind: str = ""  # "step_prompt", "nudge" or "results"
    example: tuple[Reply, ...] = ()  # the results message as a contributor reads it (made up)


@dataclass(frozen=True)
class ParticipationView:
    report: ParticipationReport


@dataclass(frozen=True)
class ReportReady:
    """A report made for a facilitator: a channel that can carry files sends it as one."""

    made: MadeReport

    @property
    def summary(self) -> str:
        code = self.made.code
        return rmsg.approved_made(code) if self.made.approved else rmsg.draft_made(code)


FacilitatorReply = (
    Say
    | ConfirmationRequest
    | ParticipationView
    | ModerationQueue
    | ThemeView
    | PrioritiesView
    | ReportReady
)


def as_plain_replies(replies: Sequence[Reply | FacilitatorReply]) -> tuple[Reply, ...]:
    """Replies a channel without cards or buttons can carry (mail): facilitator views as text;
    a broadcast preview is shown, but cannot be confirmed there."""
    plain: list[Reply] = []
    for reply in replies:
        if isinstance(reply, ParticipationView):
            plain.append(Say(render_text(reply.report)))
        elif isinstance(reply, ConfirmationRequest):
            plain += [Say(f"**{reply.title}**"), *reply.preview, Say(reply.summary)]
            plain.append(Say(fmsg.CONFIRM_ONLY_IN_CHAT))
        elif isinstance(reply, ModerationQueue):
            plain.append(Say(queue_text(reply)))
        elif isinstance(reply, ThemeView):
            plain.append(Say(view_text(reply)))
        elif isinstance(reply, PrioritiesView):
            plain.append(Say(reply.text))
        elif isinstance(reply, ReportReady):
            plain.append(Say(f"{rmsg.REPORT_NOT_HERE} {reply.summary}"))
        else:
            plain.append(reply)
    return tuple(plain)


class Facilitation:
    def __init__(
        self,
        *,
        database: Database,
        dialogue: Dialogue,
        municipalities: SegmentLookup,
        facilitators: Iterable[str],
        clock: Clock,
        progress: PayloadCipher,
        broadcasts: Broadcasting | None = None,
        moderation: ModerationDesk | None = None,
        reports: ReportDesk | None = None,
        results: ResultsSending | None = None,
        confirm_minutes: int = CONFIRM_MINUTES,
    ) -> None:
        self.moderation = moderation
        self.themes = ThemeCuration(database=database, dialogue=dialogue, clock=clock)
        self.priorities = PriorityResults(database=database, dialogue=dialogue, clock=clock)
        self.representation: RepresentationWatch | None = None  # the runtime sets it
        self.follow_ups = FollowUps(database=database, dialogue=dialogue, clock=clock)
        self.reports, self.results = reports, results
        self.database = database
        self._progress = progress  # opens the sealed progress (completed steps)
        self.dialogue = dialogue
        self.municipalities = municipalities
        self.broadcasts = broadcasts
        self.clock = clock
        self.audit_trail = AuditTrail(database=database, clock=clock)
        self.confirm_minutes = confirm_minutes
        listed = {f.strip().lower() for f in facilitators if f and f.strip()}
        self._emails = {f for f in listed if "@" in f}
        self._object_ids = listed - self._emails

    # ------------------------------------------------------------ who may

    def is_facilitator(self, who: Facilitator) -> bool:
        if who.aad_object_id and who.aad_object_id.lower() in self._object_ids:
            return True
        return bool(who.email and who.email.lower() in self._emails)

    def refuse(self, who: Facilitator, attempted: str) -> tuple[FacilitatorReply, ...]:
        log.warning("facilitator command refused channel=%s command=%s", who.channel, attempted)
        self._audit(who.actor, "refused", target=attempted, details={"channel": who.channel})
        return (Say(fmsg.REFUSED),)

    # ------------------------------------------------------------ commands

    def run(self, who: Facilitator, command: Command) -> tuple[FacilitatorReply, ...]:
        if not self.is_facilitator(who):
            return self.refuse(who, command.word)
        if isinstance(command, Stand):
            step = resolve_step(self.dialogue, command.step) if command.step else None
            if command.step and step is None:
                return (self._unknown_step(command.step),)
            return (
                ParticipationView(
                    self.participation(actor=who.actor, step_key=step.key if step else None)
                ),
            )
        if isinstance(command, Planning):
            return (self._planning(who),)
        if isinstance(command, Moderate | ModerationAction):
            return self._moderate(who, command)
        if isinstance(command, ThemeCommand):
            return run_theme_command(self.themes, who.actor, command)
        if isinstance(command, PrioritiesCommand):
            return run_priorities(self.priorities, who.actor, command)
        if isinstance(command, RepresentationCommand):
            return (self._representation(who, command),)
        if isinstance(command, FollowUpCommand):
            return (self._follow_up(who, command),)
        if isinstance(command, ReportCommand):
            return (self._report(who, command),)
        if isinstance(command, Results):
            return (self._results_preview(who),)
        if isinstance(command, Preview):
            if not command.step:
                return (Say(fmsg.usage(command.word)),)
            step = resolve_step(self.dialogue, command.step)
            if step is None:
                return (self._unknown_step(command.step),)
            return (self._preview(who, command.kind, step, command.group),)
        raise TypeError(f"unknown facilitator command {command!r}")

    def _follow_up(self, who: Facilitator, command: FollowUpCommand) -> Say:
        if command.action == "wijzig":
            found = self.follow_ups.edit(actor=who.actor, number=command.number, text=command.text)
        elif command.action == "bevestig":
            found = self.follow_ups.confirm(actor=who.actor)
        else:
            found = self.follow_ups.preview(actor=who.actor)
        if isinstance(found, str):
            return Say(found)
        return Say(found.text + ("\n\n" + tmsg.FOLLOW_UP_CONFIRMED if found.confirmed else ""))

    def _representation(self, who: Facilitator, command: RepresentationCommand) -> Say:
        if self.representation is None:
            return Say(fmsg.BROADCASTS_UNAVAILABLE)
        step = resolve_step(self.dialogue, command.step) if command.step else None
        if command.step and step is None:
            return self._unknown_step(command.step)
        return Say(self.representation.report(actor=who.actor, step=step))

    def participation(self, *, actor: str, step_key: str | None = None) -> ParticipationReport:
        """The participation report (no facilitator check: the CLI is for operators)."""
        now = self.clock()
        with self.database.unit_of_work() as session:
            people = queries.people(
                session, municipalities=self.municipalities, cipher=self._progress
            )
            starts = queries.starts(session, dialogue_key=self.dialogue.key)
            audit.record(
                session,
                at=now,
                actor=actor,
                action="stats",
                target=step_key,
                count=sum(p.invited for p in people),
            )
        return measure(self.dialogue, now, people, starts, step_key=step_key)

    def _planning(self, who: Facilitator) -> Say:
        if self.broadcasts is None:
            self._audit(who.actor, "planning", details={"unavailable": True})
            return Say(fmsg.BROADCASTS_UNAVAILABLE)
        items = sorted(self.broadcasts.upcoming(), key=lambda item: item.when)
        self._audit(who.actor, "planning", count=len(items))
        if not items:
            return Say(fmsg.NOTHING_PLANNED)
        lines = [
            fmsg.planned_item(msg.when(item.when, self.dialogue.zone), item.what) for item in items
        ]
        return Say("\n".join([fmsg.PLANNING_HEADER, *lines]))

    def _preview(
        self, who: Facilitator, kind: str, step: Step, group: str | None = None
    ) -> FacilitatorReply:
        action = f"{_ACTION[kind]}_preview"
        if self.broadcasts is None:
            self._audit(who.actor, action, target=step.key, details={"unavailable": True})
            return Say(fmsg.BROADCASTS_UNAVAILABLE)
        if kind == "nudge" and group is not None:
            preview = self.broadcasts.preview_nudge(step.key, group=group)
        elif kind == "nudge":
            preview = self.broadcasts.preview_nudge(step.key)
        else:
            preview = self.broadcasts.preview_step_prompt(step.key)
        total = sum(preview.recipients.values())
        problem = preview.problem or (None if total else fmsg.NOBODY_DUE)
        if problem:
            self._audit(who.actor, action, target=step.key, details={"problem": True})
            return Say(fmsg.nothing_to_send(problem))
        now = self.clock()
        with self.database.unit_of_work() as session:
            token = requests.create(
                session, actor=who.actor, action=kind, step_key=step.key, now=now, group=group
            )
            audit.record(
                session,
                at=now,
                actor=who.actor,
                action=action,
                target=step.key,
                count=total,
                details={"recipients": dict(preview.recipients)}
                | ({"group": group} if group else {}),
            )
        return ConfirmationRequest(
            title=fmsg.preview_title(kind, step.name),
            preview=tuple(preview.replies),
            summary=fmsg.recipients(
                preview.recipients.get("teams", 0), preview.recipients.get("mail", 0)
            ),
            hint=fmsg.confirm_hint(self.confirm_minutes),
            token=token,
            step_key=step.key,
            kind=kind,
        )

    def _report(self, who: Facilitator, command: ReportCommand) -> FacilitatorReply:
        if self.reports is None:
            return Say(fmsg.BROADCASTS_UNAVAILABLE)
        if command.approve:
            return Say(self.reports.approve(actor=who.actor, code=command.approve))
        return ReportReady(self.reports.make(actor=who.actor))

    def _results_preview(self, who: Facilitator) -> FacilitatorReply:
        if self.results is None:
            return Say(fmsg.BROADCASTS_UNAVAILABLE)
        preview = self.results.preview(actor=who.actor)
        if preview.problem:
            return Say(fmsg.nothing_to_send(preview.problem))
        with self.database.unit_of_work() as session:
            token = requests.create(
                session, actor=who.actor, action="results", step_key="voortzetten", now=self.clock()
            )
        return ConfirmationRequest(
            title=rmsg.RESULTS_PREVIEW_TITLE,
            preview=preview.replies,
            summary=fmsg.recipients(
                preview.recipients.get("teams", 0), preview.recipients.get("mail", 0)
            )
            + " "
            + rmsg.results_authors(preview.authors),
            hint=fmsg.confirm_hint(self.confirm_minutes),
            token=token,
            kind="results",
            example=preview.contributor,
        )

    def _moderate(
        self, who: Facilitator, command: Moderate | ModerationAction
    ) -> tuple[FacilitatorReply, ...]:
        if self.moderation is None:
            return (Say(fmsg.BROADCASTS_UNAVAILABLE),)
        if isinstance(command, Moderate):
            queue = self.moderation.queue(actor=who.actor)
            return (queue if queue.items else Say(fmsg.MODERATION_EMPTY),)
        result = self.moderation.act(
            actor=who.actor, action=command.action, code=command.code, text=command.text
        )
        return (Say(result.text),)

    # ------------------------------------------------------------ Bevestigen / Annuleren

    def decide(
        self, who: Facilitator, token: str, *, confirm: bool
    ) -> tuple[FacilitatorReply, ...]:
        if not self.is_facilitator(who):
            return self.refuse(who, "bevestigen" if confirm else "annuleren")
        now = self.clock()
        with self.database.unit_of_work() as session:
            row = requests.lock(session, token) if token else None
            problem = self._stale(row, who, now, kinds=tuple(_ACTION))
            if problem is not None:
                audit.record(
                    session,
                    at=now,
                    actor=who.actor,
                    action="confirm_refused",
                    target=row.step_key if row else None,
                    details={"reason": problem},
                )
                return (Say(self._stale_reply(problem, row.action if row else "step_prompt")),)
            assert row is not None
            kind, step_key, group = row.action, row.step_key, row.group_name
            requests.decide(session, row, decision="confirmed" if confirm else "cancelled", now=now)
            if not confirm:
                audit.record(
                    session,
                    at=now,
                    actor=who.actor,
                    action=f"{_ACTION[kind]}_cancelled",
                    target=step_key,
                )
        if not confirm:
            return (Say(fmsg.CANCELLED),)
        return (self._send(who, kind, step_key, group),)

    def _stale(
        self,
        row: requests.FacilitatorRequestRow | None,
        who: Facilitator,
        now: datetime,
        *,
        kinds: tuple[str, ...],
    ) -> str | None:
        if row is None or row.actor != who.actor or row.action not in kinds:
            return "unknown"
        if row.decision is not None:
            return "decided"
        created = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=UTC)
        if now - created > timedelta(minutes=self.confirm_minutes):
            return "expired"
        return None

    def _stale_reply(self, problem: str, kind: str) -> str:
        if kind == "moderation":
            return fmsg.MODERATION_STALE
        if problem == "decided":
            return fmsg.ALREADY_DECIDED
        if problem == "expired":
            return fmsg.expired(self.confirm_minutes, _WORD.get(kind, "verstuur"))
        return fmsg.UNKNOWN_CONFIRMATION

    def _send(self, who: Facilitator, kind: str, step_key: str, group: str | None = None) -> Say:
        if kind == "results":
            return self._send_results(who)
        step = self.dialogue.step(step_key)
        action = f"{_ACTION[kind]}_confirmed"
        if self.broadcasts is None or step is None:
            self._audit(who.actor, action, target=step_key, details={"unavailable": True})
            return Say(fmsg.BROADCASTS_UNAVAILABLE)
        try:
            if kind == "nudge" and group is not None:
                count = self.broadcasts.send_nudge(step_key, actor=who.actor, group=group)
            elif kind == "nudge":
                count = self.broadcasts.send_nudge(step_key, actor=who.actor)
            else:
                count = self.broadcasts.send_step_prompt(step_key, actor=who.actor)
        except Exception as error:  # noqa: BLE001 - the facilitator gets a neutral answer, the log the type
            log.error(
                "facilitator %s failed step=%s error=%s",
                _ACTION[kind],
                step_key,
                type(error).__name__,
            )
            self._audit(
                who.actor, action, target=step_key, details={"failed": type(error).__name__}
            )
            return Say(fmsg.SEND_FAILED)
        self._audit(who.actor, action, target=step_key, count=count)
        log.info("facilitator %s confirmed step=%s count=%d", _ACTION[kind], step_key, count)
        if count:
            return Say(fmsg.sent(kind, step.name, count))
        # Things changed since the preview (the step closed, someone else sent it): say what.
        if kind == "nudge" and group is not None:
            again = self.broadcasts.preview_nudge(step_key, group=group)
        elif kind == "nudge":
            again = self.broadcasts.preview_nudge(step_key)
        else:
            again = self.broadcasts.preview_step_prompt(step_key)
        return Say(fmsg.nothing_to_send(again.problem or fmsg.NOBODY_DUE))

    # ------------------------------------------------------------ moderation, confirmed

    def ask_moderation(self, who: Facilitator, action: ModerationAction) -> str | None:
        """A token to confirm ``action`` with (the dashboard asks before it acts); None when
        ``who`` may not moderate (refused and audited)."""
        if not self.is_facilitator(who):
            self.refuse(who, action.word)
            return None
        with self.database.unit_of_work() as session:
            return requests.create(
                session,
                actor=who.actor,
                action=_MODERATION_PREFIX + action.action,
                step_key=action.code[:20],
                now=self.clock(),
            )

    def decide_moderation(
        self, who: Facilitator, token: str, action: ModerationAction, *, confirm: bool
    ) -> tuple[FacilitatorReply, ...]:
        """Carry out (or cancel) the moderation ``token`` was asked for, once: a token of
        another action or contribution, someone else's, old or used, does nothing."""
        if not self.is_facilitator(who):
            return self.refuse(who, action.word)
        now = self.clock()
        with self.database.unit_of_work() as session:
            row = requests.lock(session, token) if token else None
            problem = self._stale(row, who, now, kinds=(_MODERATION_PREFIX + action.action,))
            if problem is None and row is not None and row.step_key != action.code[:20]:
                problem = "unknown"
            if problem is not None:
                audit.record(
                    session,
                    at=now,
                    actor=who.actor,
                    action="confirm_refused",
                    target=action.code[:20],
                    details={"reason": problem, "moderation": action.action},
                )
                return (Say(self._stale_reply(problem, "moderation")),)
            assert row is not None
            requests.decide(session, row, decision="confirmed" if confirm else "cancelled", now=now)
        if not confirm:
            return (Say(fmsg.MODERATION_CANCELLED),)
        return self._moderate(who, action)

    # ------------------------------------------------------------ typed commands, confirmed

    def ask_command(self, who: Facilitator, text: str) -> str | None:
        """A token to confirm a typed command with (the dashboard asks before it acts): theme
        curation, or approving a report. None for any other text, or when ``who`` may not
        (refused and audited)."""
        if not _confirmable(parse_command(text)):
            return None
        if not self.is_facilitator(who):
            self.refuse(who, text.split()[0] if text.split() else "opdracht")
            return None
        with self.database.unit_of_work() as session:
            return requests.create(
                session,
                actor=who.actor,
                action=_COMMAND_ACTION,
                step_key=_digest(text),
                now=self.clock(),
            )

    def decide_command(
        self, who: Facilitator, token: str, text: str, *, confirm: bool
    ) -> tuple[FacilitatorReply, ...]:
        """Carry out (or cancel) the typed command ``token`` was asked for, once: a token for
        another command, someone else's, old or used, does nothing."""
        command = parse_command(text)
        if not self.is_facilitator(who):
            return self.refuse(who, command.word if command else "opdracht")
        now = self.clock()
        with self.database.unit_of_work() as session:
            row = requests.lock(session, token) if token else None
            problem = self._stale(row, who, now, kinds=(_COMMAND_ACTION,))
            if problem is None and (
                row is None or row.step_key != _digest(text) or not _confirmable(command)
            ):
                problem = "unknown"
            if problem is not None:
                audit.record(
                    session,
                    at=now,
                    actor=who.actor,
                    action="confirm_refused",
                    target=command.word[:100] if command else None,
                    details={"reason": problem},
                )
                return (Say(fmsg.COMMAND_STALE),)
            assert row is not None
            requests.decide(session, row, decision="confirmed" if confirm else "cancelled", now=now)
        if not confirm or command is None:
            return (Say(fmsg.MODERATION_CANCELLED),)
        return self.run(who, command)

    def _send_results(self, who: Facilitator) -> Say:
        if self.results is None:
            return Say(fmsg.BROADCASTS_UNAVAILABLE)
        count = self.results.send(actor=who.actor)  # audits itself
        if count:
            return Say(rmsg.results_queued(count))
        preview = self.results.preview(actor=who.actor)
        return Say(fmsg.nothing_to_send(preview.problem or fmsg.NOBODY_DUE))

    # ------------------------------------------------------------ helpers

    def _unknown_step(self, text: str) -> Say:
        return Say(fmsg.unknown_step(text, [s.key for s in self.dialogue.steps]))

    def _audit(self, actor: str, action: str, **what: Any) -> None:
        self.audit_trail.record(actor=actor, action=action, **what)
