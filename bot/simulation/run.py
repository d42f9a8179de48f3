"""A whole dialogue, simulated through the real runtime: :func:`simulate`.

The clock (a :class:`SimulationClock` the runtime was built with) walks through the dialogue's
calendar: in Vinden the invitees are imported from a stakeholder sheet, in Verzamelen the mail
invitations are queued, and in every interactive step the participants who take part do so at
moments spread over the step's weeks (in the daytime), each in one session: in Teams turn by turn,
by mail in a reply or two (reactions to the batch the mail lists first). Who takes part, what they
answer and when are drawn from the seed; participant and contribution ids too (during the run),
so the same seed and secret give the same database.
"""

from __future__ import annotations

import logging
import random
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from unittest import mock

from bot.simulation.people import MailPerson, Person, Tally, TeamsPerson
from bot.simulation.population import personas, sheet
from dialogen.contributions.pool import PoolCache
from dialogen.dialogue.definition import Step
from dialogen.participation.step_outcome import StepOutcomes
from dialogen.store import mail_contacts

if TYPE_CHECKING:
    from bot.runtime import Runtime

log = logging.getLogger(__name__)
ACTOR = "simulatie"
CACHE_AGE = timedelta(hours=6)
DAY_STARTS, DAY_ENDS = 8, 22  # local hours in which simulated people act


class SimulationClock:
    """The clock a simulated runtime reads; :func:`simulate` moves it."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("the clock needs an aware datetime")
        self.now = start.astimezone(UTC)

    def __call__(self) -> datetime:
        return self.now

    def set(self, moment: datetime) -> None:
        self.now = max(self.now, moment.astimezone(UTC))  # never backwards

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@dataclass
class Summary:
    participants: int
    invited_by_mail: int
    took_part: dict[str, int] = field(default_factory=dict)  # per interactive step
    tally: Tally = field(default_factory=Tally)
    seconds: float = 0.0  # wall clock
    cpu_seconds: float = 0.0  # this process' CPU time (does not grow when others share the CPU)

    def lines(self) -> list[str]:
        t = self.tally
        lines = [
            f"{self.participants} genodigden, {self.invited_by_mail} per mail uitgenodigd",
            *(f"  {step}: {n} deelnemers" for step, n in self.took_part.items()),
            f"{t.events} gebeurtenissen door de deur ({t.teams_events} Teams, {t.mails} mails), "
            f"{t.reactions} reacties, {t.notes} aanvullingen",
            f"niet begrepen: {t.refused}, opgegeven: {t.gave_up}",
            f"{self.seconds:.1f} s ({self.cpu_seconds:.1f} s CPU)",
        ]
        return lines


def simulate(runtime: Runtime, *, participants: int, seed: int = 1) -> Summary:
    """Fill the runtime's database with a dialogue of ``participants`` invitees (see the module)."""
    return Simulation(runtime, participants=participants, seed=seed).run()


class Simulation:
    """The parts of a simulated dialogue, for callers that need only some (a test that lets a
    chosen few write in Verkennen and everyone react in Verrijken): :meth:`gather` (Vinden and
    Verzamelen), :meth:`take_part` (one step, by the people named), :meth:`run` (everything)."""

    def __init__(
        self,
        runtime: Runtime,
        *,
        participants: int,
        seed: int = 1,
        additions: bool = True,
        reactions: tuple[int, int] | None = None,
        react_only: bool = False,
    ) -> None:
        """``additions``: reactions now and then carry an addition; ``reactions``: how many
        reactions each Teams participant gives in a session (default: the target, some a few
        more); ``react_only``: people leave a step when it asks anything but reactions."""
        clock = runtime.clock
        if not isinstance(clock, SimulationClock):
            raise TypeError("a simulation needs a runtime built with a SimulationClock")
        self.runtime = runtime
        self.clock = clock
        self.seed = seed
        self.habits = {"additions": additions, "reactions": reactions, "react_only": react_only}
        self.people = personas(participants, seed, runtime.municipalities)
        self.summary = Summary(participants, sum(p.channel == "mail" for p in self.people))
        self.actors: dict[int, Person] = {}
        self.rng = random.Random(f"calendar:{seed}")
        _slower_caches(runtime, clock)

    def run(self) -> Summary:
        started, cpu = time.perf_counter(), time.process_time()
        with seeded_ids(self.seed):
            self.gather()
            active = {p.index for p in self.people if p.joins}
            first = True
            for step in self.runtime.dialogue.steps:
                if not step.interactive:
                    continue
                if not first:
                    active = {i for i in active if self.rng.random() < self.people[i].engagement}
                first = False
                self.take_part(step, sorted(active), dropouts=True)
        self.summary.seconds = time.perf_counter() - started
        self.summary.cpu_seconds = time.process_time() - cpu
        return self.summary

    def gather(self) -> None:
        """Vinden and Verzamelen: import the stakeholder sheet, invite by mail."""
        runtime, clock = self.runtime, self.clock
        steps = {s.key: s for s in runtime.dialogue.steps}
        vinden, verzamelen = steps.get("vinden"), steps.get("verzamelen")
        if vinden is not None:
            clock.set(vinden.opens + timedelta(days=1))
        result = runtime.roster.import_rows(sheet(self.people), actor=ACTOR)
        if result.checked.rejections:
            raise RuntimeError(f"simulated sheet rejected: {result.checked.rejections[0]}")
        if verzamelen is not None:
            clock.set(verzamelen.opens + timedelta(hours=16))  # the next morning
        runtime.invitations.invite(actor=ACTOR)
        self.actors = self._actors()

    def _actors(self) -> dict[int, Person]:
        runtime = self.runtime
        common = {
            "seed": self.seed,
            "handle": runtime.door.handle,
            "dialogue": runtime.dialogue,
            "tally": self.summary.tally,
            "advance": self.clock.advance,
            **self.habits,
        }
        actors: dict[int, Person] = {}
        with runtime.database.read() as connection:
            for persona in self.people:
                if persona.channel == "mail":
                    mail = MailPerson(persona, reach=runtime.reach, **common)
                    contact = mail_contacts.by_email(connection, persona.email)
                    mail.participant_id = contact.participant_id if contact else None
                    actors[persona.index] = mail
                else:
                    actors[persona.index] = TeamsPerson(persona, **common)  # type: ignore[arg-type]
        return actors

    def take_part(self, step: Step, indexes: Sequence[int], *, dropouts: bool = False) -> None:
        """The people with these indexes take part in ``step``, each at their own moment in
        it; with ``dropouts`` some leave halfway."""
        if not self.actors:
            self.actors = self._actors()
        self.summary.took_part[step.key] = len(indexes)
        rng = self.rng
        moments = sorted((_moment(step, rng), i) for i in indexes)
        for moment, index in moments:
            self.clock.set(moment)
            stop_after = rng.randint(1, 3) if dropouts and rng.random() < 0.08 else None
            actor = self.actors[index]
            if isinstance(actor, MailPerson) and actor.participant_id is None:
                continue  # not invited by mail after all (cannot happen with this sheet)
            actor.session(step, stop_after=stop_after)


def _slower_caches(runtime: Runtime, clock: SimulationClock) -> None:
    """The simulation is the database's only writer, and its clock runs a thousand times faster
    than a real one: the routing pool (which takes in every reaction and addition made here) and
    the Verkennen summary (of a closed step) need not be re-read every few simulated minutes."""
    runtime.door.contributions.pools = PoolCache(clock=clock, max_age=CACHE_AGE)
    runtime.door.turns.summaries = StepOutcomes(dialogue=runtime.dialogue, max_age=CACHE_AGE)


def _moment(step: Step, rng: random.Random) -> datetime:
    """A daytime moment in the first 85% of the step's weeks."""
    span = (step.closes - step.opens).total_seconds() * 0.85
    moment = (step.opens + timedelta(seconds=rng.uniform(0, span))).astimezone(step.opens.tzinfo)
    if moment.hour < DAY_STARTS:
        moment = moment.replace(hour=DAY_STARTS, minute=rng.randrange(60))
    elif moment.hour >= DAY_ENDS:
        moment = (moment + timedelta(days=1)).replace(hour=DAY_STARTS, minute=rng.randrange(60))
    return min(moment, step.closes - timedelta(hours=2))


@contextmanager
def seeded_ids(seed: int) -> Iterator[None]:
    """Random ids (participants, contributions, outbox rows) drawn from the seed while the
    simulation runs, so a rerun with the same seed and secret gives the same database."""
    rng = random.Random(f"ids:{seed}")

    def uuid4() -> uuid.UUID:
        return uuid.UUID(int=rng.getrandbits(128), version=4)

    def token_hex(nbytes: int | None = None) -> str:
        return rng.getrandbits(8 * (nbytes or 32)).to_bytes(nbytes or 32, "big").hex()

    with mock.patch("uuid.uuid4", uuid4), mock.patch("secrets.token_hex", token_hex):
        yield
