"""Every Dutch sentence of the report, the exports and the results message (B1, formal "u")."""

from __future__ import annotations

from datetime import date

from dialogen.privacy.anonymity import K_ANONYMITY

MONTHS = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]

REPORT_SUBTITLE = "Rapport van de verenigingsdialoog in zeven stappen"
DRAFT = "Concept — nog niet vastgesteld"
APPROVED = "Vastgesteld"
INTRODUCTION = (
    "Dit rapport laat per stap zien wat er gebeurde en wat de deelnemers antwoordden.",
    "Alle antwoorden zijn anoniem. Een groep van minder dan {k} personen tonen we nooit: daar "
    "staat '< {k}'. Soms verbergen we ook een tweede getal, zodat u het eerste niet kunt "
    "uitrekenen. Citaten zijn bijdragen zoals andere deelnemers ze lazen: letterlijk, met namen, "
    "e-mailadressen en telefoonnummers onleesbaar gemaakt.",
)
NO_ANSWERS_YET = "Er zijn nog geen antwoorden. Dit rapport toont alleen de uitnodigingen."
NOTHING_IN_STEP = "In deze stap zijn (nog) geen antwoorden gegeven."
TOO_FEW = "Te weinig antwoorden om iets te tonen (minder dan {k})."

HAPPENED = "Wat er gebeurde"
OVER_TIME = "Verloop in de tijd"
NO_DAYS = (
    "Antwoorden bewaren we zonder de dag waarop ze werden gegeven (alleen de stap), zodat niemand "
    "ze aan een moment kan koppelen. Een verloop per week is daarom niet te tonen."
)
REPRESENTATION = "Wie deden mee"
INVITED_HEADING = "Wie zijn uitgenodigd"
REACHED_HEADING = "Hoe we de genodigden bereiken"
THEMES = "Thema's en citaten"
REACTIONS = "Reacties op bijdragen"
AGREED = "Breed gedragen"
DIVIDED = "Verdeeld"
DIFFERENCES = "Verschillen tussen groepen"
RANKING = "Volgorde van de aandachtspunten"
GROUP_TOPS = "De eerste drie per groep"
GROUP_TOPS_NOTE = (
    "Per groep staan de drie aandachtspunten die die groep het hoogst zette, met hun plaats in "
    "de volgorde van iedereen: '2 · 1 · 3' betekent dat die groep het tweede aandachtspunt van "
    "iedereen op de eerste plaats zette."
)
ROUTE_MAP = "Routekaart"
NEXT = "Wat nu"

COLUMN_GROUP = "Groep"
COLUMN_INVITED = "Uitgenodigd"
COLUMN_STARTED = "Begonnen"
COLUMN_COMPLETED = "Afgerond"
COLUMN_RESPONDED = "Deden mee"
COLUMN_RATE = "Respons"
COLUMN_WEEK = "Week"
COLUMN_NEW = "Nieuwe deelnemers"
COLUMN_FIGURE = "Aantal"
COLUMN_SHARE = "Aandeel"
COLUMN_STATEMENT = "Bijdrage"
COLUMN_SEEN = "Gelezen door"
COLUMN_AGREE = "Eens"
COLUMN_THEME = "Aandachtspunt"
COLUMN_PLACE = "Plaats"
COLUMN_MEAN = "Gemiddelde"
COLUMN_INTERVAL = "90%-interval"
COLUMN_TOP = "Eerste drie"

UNIT_PEOPLE = "deelnemers"
UNIT_POINTS = "gemiddelde punten"
UNIT_SHARE = "aandeel dat het koos"

BY_ROLE = "Per rolgroep"
BY_PROVINCE = "Per provincie"
BY_NETWORK = "Per netwerk"

INVITED = "Uitgenodigd"
REACHED_TEAMS = "Bereikt in Teams"
REACHED_MAIL = "Bereikt per mail"
REACHED_EXPLAINED = (
    "Bereikt in Teams: de deelnemer opende de bot in Teams, of een bericht van de bot kwam aan. "
    "Bereikt per mail: een mail van de dialoog ging naar de mailserver, of de deelnemer mailde "
    "zelf, en de mail kwam niet terug als onbestelbaar. Iemand kan op beide manieren bereikt "
    "zijn. Deze aantallen gelden voor de hele dialoog, tot nu."
)
CONSENTED = "Gaven toestemming"
OPTED_OUT = "Afgemeld"
EVERYONE = "Iedereen"
UNKNOWN_GROUP = "Onbekend"


def period(opens: date, closes: date) -> str:
    return f"Van {day(opens)} tot en met {day(closes)}."


def day(when: date) -> str:
    return f"{when.day} {MONTHS[when.month - 1]} {when.year}"


def made_on(when: date, approved: bool) -> str:
    return f"{APPROVED if approved else DRAFT} · gemaakt op {day(when)}"


def started_line(started: str, invited: str, share: str) -> str:
    return f"{started} van de {invited} genodigden begonnen aan deze stap ({share})."


def completed_line(completed: str, share: str) -> str:
    return f"{completed} rondden de stap af ({share})."


def score_line(score: float | None, behind: tuple[str, ...]) -> str:
    if score is None:
        return "Er zijn te weinig zichtbare groepen voor een representatiescore."
    text = (
        f"Representatiescore: {decimal(score, 2)} (de laagste respons gedeeld door de hoogste; "
        "1 is gelijk verdeeld)."
    )
    if behind:
        text += " Het verst achter: " + ", ".join(behind) + "."
    return text


def decimal(value: float, places: int = 1) -> str:
    return f"{value:.{places}f}".replace(".", ",")


def percent(value: float) -> str:
    return f"{round(value * 100)}%"


def respondents(text: str) -> str:
    return f"Aantal deelnemers dat deze vraag beantwoordde: {text}."


def mean_line(mean: float, low: int, high: int) -> str:
    return f"Gemiddeld: {decimal(mean)} op een schaal van {low} tot {high}."


OPEN_NOT_SHARED = (
    "Deze antwoorden waren niet bedoeld om door anderen gelezen te worden. We tonen daarom "
    "alleen de thema's die erin terugkomen, zonder citaten."
)


FIRST_RANKED = "Waarom deelnemers hun eerste keuze het belangrijkst vinden"


def top_theme(place: int, label: str) -> str:
    return f"Verdieping op aandachtspunt {place}: {label}"


def theme_line(label: str, count: str) -> str:
    return f"{label} ({count} bijdragen)"


def theme_count(label: str, count: str) -> str:
    return f"{label} ({count} antwoorden)"


def agreed_note(share: str, seen: str) -> str:
    return f"{share} eens, gelezen door {seen}"


NO_THEMES = "Er zijn (nog) te weinig antwoorden om thema's in te vinden."
OTHER_THEMES = "Bijdragen die bij geen thema goed passen, tonen we niet apart."
NO_REACTIONS = "Er zijn (nog) te weinig reacties om iets over te zeggen."
NONE_AGREED = "Geen bijdrage werd in alle groepen door een meerderheid onderschreven."
NONE_DIVIDED = "Geen bijdrage verdeelde de groepen duidelijk."
RANKING_METHOD = (
    "Een eerste plaats telt {top} punten, een tweede {second}, en zo verder; een aandachtspunt "
    "dat iemand niet koos telt 0. Het interval geeft aan hoe zeker het gemiddelde is (90%)."
)
POINTS_METHOD = (
    "Iedere deelnemer verdeelde {points} punten. Het interval geeft aan hoe zeker het "
    "gemiddelde is (90%)."
)
NO_RANKING = "Er zijn (nog) te weinig antwoorden voor een volgorde."
ROUTE_INTRO = (
    "Wat de dialoog opleverde, op een rij: waar de deelnemers het breed over eens zijn, wat hen "
    "verdeelt en wat er nu gebeurt."
)
ROUTE_PRIORITIES = "De aandachtspunten die als eerste moeten worden opgepakt:"
NOTHING_YET = "Nog niets: daarvoor zijn (nog) te weinig antwoorden."


def headline_priority(place: int, label: str) -> str:
    return f"Aandachtspunt {place}: {label}"


def headline_agreed(text: str) -> str:
    return f"Breed gedragen: “{text}”"


def chart_alt(title: str, bars: list[tuple[str, str]]) -> str:
    parts = "; ".join(f"{label}: {text}" for label, text in bars)
    return f"Staafdiagram '{title}'. {parts}."


ALREADY_APPROVED = "Dit rapport was al vastgesteld."


def unknown_report(code: str) -> str:
    return (
        f"Er is geen rapport met de code '{code}'. Maak eerst een rapport; de code staat in het "
        "antwoord."
    )


def approved(code: str) -> str:
    return (
        f"Het rapport {code} is vastgesteld. Alleen dit rapport, met precies deze inhoud, gaat "
        "nu naar de deelnemers."
    )


def draft_made(code: str) -> str:
    return (
        f"Dit is een concept (code {code}). Keur het goed met 'rapport vaststellen {code}' "
        f"(in Teams) of 'dialoog report --approve {code}'."
    )


def approved_made(code: str) -> str:
    return f"Dit rapport (code {code}) is vastgesteld."


REPORT_CHANGED = (
    "Het rapport is niet vastgesteld, of de antwoorden zijn veranderd sinds het werd "
    "vastgesteld. Maak het rapport opnieuw en laat het vaststellen."
)

RESULTS_OPENING = "De {title} is afgerond. Dank u wel dat u meedeed! Dit zijn de uitkomsten."
RESULTS_HEADLINES = "**Wat de deelnemers het belangrijkst vinden**"
RESULTS_YOURS = "**Uw bijdragen**"
RESULTS_THANKS = "Nogmaals dank voor uw tijd en uw ideeën."
RESULTS_NOT_APPROVED = (
    "Er is nog geen vastgesteld rapport (of de antwoorden zijn veranderd sinds het werd "
    "vastgesteld). Laat het rapport eerst vaststellen."
)


def contribution_share(topic: str, share: str) -> str:
    return f"Uw bijdrage over ‘{topic}’ werd door {share} van de lezers onderschreven."


def contribution_few(topic: str, k: int) -> str:
    return (
        f"Uw bijdrage over ‘{topic}’ werd door minder dan {k} deelnemers beoordeeld; daarover "
        "noemen we geen cijfer."
    )


def results_link(link: str) -> str:
    return f"Het hele rapport leest u hier: {link}"


def results_ask(contact: str) -> str:
    return f"Wilt u het hele rapport lezen? Vraag het aan via {contact}."


def results_not_open(when: str) -> str:
    return f"De uitkomsten kunnen pas worden verstuurd als de stap Voortzetten begint ({when})."


EXAMPLE_CONTRIBUTION = "[de eerste woorden van de bijdrage]"
"""What the preview's made-up contributions say (``results.contributor_example``)."""

RESULTS_NOBODY = "Er is niemand meer om de uitkomsten naar te sturen: iedereen heeft ze al."

REPORT_NOT_HERE = "Het rapport als bestand krijgt u in de chat in Teams, of met 'dialoog report'."
REPORT_BEING_MADE = "Ik maak het rapport. Dat kan een minuut duren; u krijgt het zo in deze chat."
RESULTS_PREVIEW_TITLE = "Voorbeeld: de uitkomsten aan alle deelnemers"
REPORT_FILE_TEXT = "Hier is het rapport. {summary}"
REPORT_FILE_DECLINED = "Goed, ik stuur het rapport niet. Typ 'rapport' als u het later wilt."
REPORT_FILE_GONE = (
    "Dit rapport is niet meer beschikbaar: het is verlopen, al verstuurd of geweigerd. "
    "Typ 'rapport' om het opnieuw te maken."
)
REPORT_FILE_FAILED = (
    "Het rapport kon niet worden opgeslagen in uw OneDrive. Probeer het later nog eens."
)


def _people(count: int, k: int) -> str:
    """A number of people in a sentence: "< k" for 1 to k-1 (0 describes nobody)."""
    return f"< {k}" if 0 < count < k else str(count)


def results_authors(count: int, k: int = K_ANONYMITY) -> str:
    """How many recipients get a line about their own contributions."""
    return f"{_people(count, k)} van hen krijgen ook een regel over hun eigen bijdragen."


def results_queued(count: int, k: int = K_ANONYMITY) -> str:
    return (
        f"De uitkomsten zijn klaargezet voor {_people(count, k)} deelnemers. Ze gaan binnen de "
        "verzendtijden weg."
    )
