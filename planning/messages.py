"""Dutch text that planning shows facilitators and operators: why a broadcast sends nothing, what
is planned when, and the ``dialoog broadcast|nudge|schedule`` output. B1, formal "u".
(What participants read is in ``dialogen.conversation.messages``.)
"""

from __future__ import annotations

from collections.abc import Sequence

from dialogen.dialogue.timing import MORNING
from planning.calendar import MANUAL_OFFSET_PREFIX

# ---------------------------------------------------------------- why nothing would be sent


def unknown_step(key: str, keys: Sequence[str]) -> str:
    return f"Stap '{key}' bestaat niet. Kies uit: {', '.join(keys)}."


def not_interactive(name: str) -> str:
    return f"Stap {name} heeft geen vragen voor deelnemers. Er is dus niets te versturen."


def step_closed(name: str, closed: str) -> str:
    return f"Stap {name} is gesloten sinds {closed}. Er wordt niets meer voor deze stap verstuurd."


def step_not_open(name: str, opens: str) -> str:
    return f"Stap {name} begint pas op {opens}. De uitnodiging gaat dan vanzelf uit."


def no_send_moment(name: str) -> str:
    return (
        f"Voor de sluiting van stap {name} is er geen verzendmoment meer binnen de verzendtijden. "
        "Er wordt niets verstuurd."
    )


def already_queued(what: str, name: str, total: int, waiting: int) -> str:
    text = f"{what} voor stap {name} is al klaargezet voor {people(total)}"
    text += f"; {waiting} daarvan wacht(en) nog op verzending" if waiting else " en is verstuurd"
    return text + ". Er gaat niets dubbel uit."


def nudged_today(name: str) -> str:
    return (
        f"Iedereen die stap {name} nog niet heeft afgerond, krijgt vandaag al een herinnering. "
        "Er gaat niets dubbel uit."
    )


def nobody_for_prompt(name: str) -> str:
    return (
        f"Er is niemand aan wie de uitnodiging voor stap {name} nog gestuurd kan worden: "
        "wie meedoet, heeft de stap al afgerond, heeft zich afgemeld of is niet bereikbaar."
    )


def nobody_for_nudge(name: str) -> str:
    return (
        f"Er is niemand die voor stap {name} een herinnering nodig heeft: "
        "wie meedoet, heeft de stap al afgerond, heeft zich afgemeld of is niet bereikbaar."
    )


def nobody_for_thanks(name: str) -> str:
    return f"Er is niemand om te bedanken voor stap {name}: niemand die bereikbaar is, deed mee."


PROMPT = "De uitnodiging"
NUDGE = "Deze herinnering"
THANKS = "Het bedankje"


def people(count: int) -> str:
    return "1 deelnemer" if count == 1 else f"{count} deelnemers"


# ---------------------------------------------------------------- what is planned


def planned_prompt(name: str) -> str:
    return f"Uitnodiging voor stap {name} (met de knop 'Begin')"


def planned_nudge(name: str, offset: str, merged: Sequence[str]) -> str:
    text = f"Herinnering voor stap {name} ({offset_label(offset)})"
    if merged:
        text += f"; valt op dezelfde dag als: {', '.join(offset_label(m) for m in merged)}"
    return text


def planned_thanks(name: str) -> str:
    return f"Bedankje na de sluiting van stap {name}"


def offset_label(offset: str) -> str:
    if offset == MORNING:
        return "ochtend van de laatste dag"
    if offset.startswith(MANUAL_OFFSET_PREFIX):
        return "handmatig verstuurd"
    amount, unit = offset[:-1], offset[-1]
    if unit == "d":
        return f"{amount} {'dag' if amount == '1' else 'dagen'} voor de sluiting"
    return f"{amount} uur voor de sluiting"


# ---------------------------------------------------------------- the command line

CHANNEL_NAMES = {"teams": "Teams", "mail": "e-mail"}
DRY_RUN = "Proefrun: er is niets verstuurd."
NOTHING_PLANNED = "Er staat niets meer gepland."
OVERDUE = "nog niet verstuurd: gaat uit zodra de planner draait"
SCHEDULER_EMPTY = (
    "Let op: de planner van 'dialoog serve' heeft (nog) niets ingepland. Draait de bot? "
    "Bij het starten plant hij alles in."
)


def preview_heading(what: str, name: str) -> str:
    return f"{what} voor stap {name}. Dit krijgen de deelnemers:"


def recipients_line(counts: dict[str, int]) -> str:
    total = sum(counts.values())
    order = [*CHANNEL_NAMES, *sorted(set(counts) - set(CHANNEL_NAMES))]  # Teams first, then e-mail
    parts = ", ".join(f"{CHANNEL_NAMES.get(c, c)}: {counts[c]}" for c in order if c in counts)
    return f"Ontvangers: {people(total)}" + (f" ({parts})" if parts else "")


def send_from(moment: str | None) -> str:
    return (
        "Verzending: direct."
        if moment is None
        else (f"Verzending: vanaf {moment} (binnen de verzendtijden).")
    )


def queued(count: int) -> str:
    return (
        f"{count} {'bericht' if count == 1 else 'berichten'} klaargezet. "
        "De bot verstuurt ze binnen de limieten van Teams en e-mail."
    )


def nudge_varies() -> str:
    return "Hoeveel vragen er nog over zijn, staat per deelnemer in de tekst. Een voorbeeld:"


def schedule_heading(zone: str) -> str:
    return f"Gepland (tijden in {zone}):"


def scheduler_jobs(count: int) -> str:
    return (
        f"De planner van 'dialoog serve' heeft {count} {'taak' if count == 1 else 'taken'} "
        "klaarstaan."
    )


def no_such_group(text: str, known: Sequence[str]) -> str:
    return f"Geen groep heet '{text}'. Kies uit: {', '.join(known)}."


def nobody_in_group(group: str, name: str) -> str:
    return (
        f"Niemand in de groep {group} hoeft nu een herinnering voor stap {name}: "
        "iedereen heeft geantwoord, is al herinnerd of is niet bereikbaar."
    )
