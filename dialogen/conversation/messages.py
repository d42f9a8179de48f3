"""Every Dutch sentence the domain says to a participant, in one place for review and translation.

B1 level, formal "u". Channels add only their own words (e.g. "klik op een knop").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

_DAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
_MONTHS = (
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
)


def when(moment: datetime, zone: ZoneInfo) -> str:
    """``maandag 7 oktober 2024 om 23:59`` in the dialogue's time zone."""
    local = moment.astimezone(zone)
    return f"{day(moment, zone)} {local.year} om {local:%H:%M}"


def date_words(moment: datetime, zone: ZoneInfo) -> str:
    """``18 september``: a date in running text."""
    local = moment.astimezone(zone)
    return f"{local.day} {_MONTHS[local.month - 1]}"


def day(moment: datetime, zone: ZoneInfo) -> str:
    local = moment.astimezone(zone)
    return f"{_DAYS[local.weekday()]} {local.day} {_MONTHS[local.month - 1]}"


# ---------------------------------------------------------------- welcome and profile

CONSENT_QUESTION = "Wilt u meedoen aan de dialoog?"
CONSENT_YES = "Ja, ik doe mee"
CONSENT_NO = "Nee, nu niet"
DECLINED = "Jammer, maar u bent natuurlijk vrij. Wilt u later toch meedoen? Typ dan 'start'."
NOT_STARTED = "U doet nog niet mee aan de dialoog."
ROLE_QUESTION = "Wat is uw rol?"
MUNICIPALITY_QUESTION = "Bij welke gemeente bent u betrokken? Typ de naam van de gemeente."
MUNICIPALITY_QUESTION_OPTIONAL = (
    "Bij welke gemeente bent u vooral betrokken? Typ de naam van de gemeente, of typ 'geen'."
)
MUNICIPALITY_OTHER = "Een andere gemeente"
MUNICIPALITY_NOT_FOUND = (
    "Die gemeente kan ik niet vinden. Controleert u de spelling? "
    "Typ bijvoorbeeld 'Utrecht' of 'Den Haag'."
)
MUNICIPALITY_PICK = "Bedoelt u een van deze gemeenten?"
PROFILE_YES = "Ja, dat klopt"
PROFILE_NO = "Nee, dat wil ik aanpassen"
ROLE_NOT_UNDERSTOOD = (
    "Dat heb ik niet begrepen. Kies een rol uit de lijst. U kunt ook het nummer typen."
)


def role_did_you_mean(label: str) -> str:
    return (
        f"Dat heb ik niet begrepen. Bedoelt u '{label}'? Typ dan '{label.lower()}', "
        "of kies een rol uit de lijst. U kunt ook het nummer typen."
    )


YES_NO_NOT_UNDERSTOOD = "Dat heb ik niet begrepen. Antwoordt u met 'ja' of 'nee'?"


def welcome(title: str, introduction: str, privacy: str) -> str:
    return f"**{title}**\n\n{introduction.strip()}\n\n**Uw privacy**\n\n{privacy.strip()}"


def profile_check(role: str, municipality: str | None) -> str:
    where = f" bij de gemeente {municipality}" if municipality else ""
    return f"Wij hebben u uitgenodigd als {role.lower()}{where}. Klopt dat?"


def with_province(municipality: str, province: str | None) -> str:
    """``Utrecht (Utrecht)``, but ``Bergen (NH.), Noord-Holland``: never two brackets in a row."""
    if not province:
        return municipality
    return f"{municipality}, {province}" if "(" in municipality else f"{municipality} ({province})"


def profile_saved(role: str, municipality: str | None, province: str | None) -> str:
    if municipality:
        place = with_province(municipality, province)
        return f"Dank u wel. Genoteerd: {role.lower()}, gemeente {place}."
    return f"Dank u wel. Genoteerd: {role.lower()}."


# ---------------------------------------------------------------- steps and questions


def step_intro(name: str, purpose: str, intro: str | None, closes: str, count: int) -> str:
    lines = [f"**Stap {name}**", purpose.strip()]
    if intro:
        lines.append(intro.strip())
    lines.append(
        f"Deze stap heeft {count} vragen en staat open tot {closes}. "
        "U kunt altijd stoppen en later verdergaan waar u was."
    )
    return "\n\n".join(lines)


def progress(number: int, total: int) -> str:
    return f"Vraag {number} van {total}"


HINT_OPEN = "Typ uw antwoord."
HINT_OPTIONAL = "Deze vraag is niet verplicht. Typ 'overslaan' om door te gaan."


def hint_single(count: int) -> str:
    return f"Kies één antwoord. U kunt ook het nummer typen (1 tot en met {count})."


def hint_multiple(count: int, picks: int) -> str:
    return (
        f"Kies maximaal {picks}. U kunt ook de nummers typen, bijvoorbeeld '1, 3'."
        if picks < count
        else "Kies een of meer antwoorden. U kunt ook de nummers typen, bijvoorbeeld '1, 3'."
    )


def hint_scale(low: int, high: int, low_label: str | None, high_label: str | None) -> str:
    ends = f" ({low} = {low_label}, {high} = {high_label})" if low_label and high_label else ""
    return f"Kies een cijfer van {low} tot en met {high}{ends}."


def answer_too_short(minimum: int) -> str:
    return f"Uw antwoord is wat kort. Wilt u iets meer schrijven? Minimaal {minimum} tekens."


def answer_too_long(length: int, maximum: int) -> str:
    return (
        f"Uw antwoord is te lang: {length:,} tekens. Het maximum is {maximum:,} tekens. "
        "Wilt u het korter maken?"
    ).replace(",", ".")


def choice_not_understood(count: int, *, multiple: bool = False) -> str:
    if multiple:
        return (
            f"Dat heb ik niet begrepen. Kies uit de lijst of typ de nummers, "
            f"bijvoorbeeld '1, 3' (1 tot en met {count})."
        )
    return (
        "Dat heb ik niet begrepen. Kies een antwoord uit de lijst of typ een nummer "
        f"van 1 tot en met {count}."
    )


def too_many_picks(picks: int) -> str:
    return f"U kunt maximaal {picks} antwoorden kiezen. Wilt u er minder kiezen?"


def scale_not_understood(low: int, high: int) -> str:
    return f"Dat heb ik niet begrepen. Typ een cijfer van {low} tot en met {high}."


def scale_value(value: object, low: int, high: int) -> str:
    """A stored scale answer read back in a chat."""
    return f"{value} (van {low} tot {high})"


def scale_value_in_full(value: object, low: int, high: int) -> str:
    """A stored scale answer in a mail receipt."""
    return f"{value} (van {low} tot en met {high})"


ANSWER_SAVED = "Dank u, uw antwoord is opgeslagen."
SKIP_REQUIRED = "Deze vraag is verplicht, dus overslaan kan niet. Typ uw antwoord."
SKIPPED = "U heeft deze vraag overgeslagen."
OTHER_HINT = "Typ het in een paar woorden. Wilt u dat niet? Typ dan 'overslaan'."


def other_by_mail(line: str, letter: str) -> str:
    return f"{line} (zet dan achter de letter wat u bedoelt, bijvoorbeeld '{letter}: ...')"


def other_what(label: str) -> str:
    return f"U koos '{label}'. Wat bedoelt u daarmee?"


SKIP_KEEPS_ANSWER = (
    "U had deze vraag al beantwoord. Uw antwoord blijft bewaard. Wilt u het veranderen? "
    "Typ 'terug' en geef een nieuw antwoord."
)
BACK_AT_FIRST = "Dit is de eerste vraag van deze stap."
NOTHING_TO_SKIP = "Er staat nu geen vraag open die u kunt overslaan."
NOTHING_TO_GO_BACK_TO = "Er is nu geen vorige vraag om naar terug te gaan."
STALE_SUBMIT = (
    "Die vraag is al beantwoord of is niet meer aan de beurt. Dit is de vraag waar u nu bent:"
)


def step_complete(name: str, next_name: str | None, next_opens: str | None) -> str:
    text = f"Dank u wel! U heeft alle vragen van stap {name} beantwoord."
    text += " Tot de stap sluit, kunt u uw antwoorden nog aanpassen met 'terug'."
    if next_name and next_opens:
        text += f"\n\nDe volgende stap, {next_name}, begint op {next_opens}. U krijgt dan bericht."
    return text


def step_closed(name: str, closed: str) -> str:
    return (
        f"Stap {name} is gesloten sinds {closed}. Uw antwoorden zijn bewaard, "
        "maar u kunt ze niet meer aanpassen."
    )


def nothing_open(next_name: str | None, next_opens: str | None) -> str:
    if next_name and next_opens:
        return (
            f"Er staat nu geen stap open. De volgende stap, {next_name}, begint op {next_opens}. "
            "U krijgt dan bericht."
        )
    return "Er staat nu geen stap open. De dialoog is afgerond. Dank u wel voor uw bijdrage!"


# ---------------------------------------------------------------- commands


def help_text(commands: list[tuple[str, str]]) -> str:
    lines = ["U kunt deze woorden typen:"]
    lines += [f"- **{word}**: {meaning}" for word, meaning in commands]
    return "\n".join(lines)


HELP_COMMANDS: list[tuple[str, str]] = [
    ("status", "waar u bent en tot wanneer de stap openstaat"),
    ("terug", "terug naar de vorige vraag"),
    ("overslaan", "een vraag overslaan die niet verplicht is"),
    ("mijn antwoorden", "uw antwoorden bekijken"),
    ("pauze", "even stoppen; typ later 'verder'"),
    ("afmelden", "niet meer meedoen"),
    ("mijn gegevens", "zien wat wij over u bewaren"),
    ("gegevens wijzigen", "uw rol, gemeente, naam of berichtenkanaal aanpassen"),
    ("verwijder mij", "uw gegevens laten wissen"),
    ("help", "deze uitleg"),
]


def status(
    step: str, closes: str, answered: int, skipped: int, total: int, next_line: str | None
) -> str:
    passed = f" en {skipped} overgeslagen" if skipped else ""
    if answered + skipped >= total:
        text = (
            f"U bent bij stap {step}. U heeft deze stap af: {answered} van de {total} vragen "
            f"beantwoord{passed}. Tot {closes} kunt u uw antwoorden nog aanpassen."
        )
    else:
        text = (
            f"U bent bij stap {step}. Deze stap staat open tot {closes}. "
            f"U heeft {answered} van de {total} vragen beantwoord{passed}."
        )
    if next_line:
        text += f"\n\n{next_line}"
    return text


def next_step_line(name: str, opens: str) -> str:
    return f"De volgende stap, {name}, begint op {opens}."


NO_ANSWERS = "U heeft nog geen antwoorden gegeven."
MY_ANSWERS_HEADER = "Dit zijn uw antwoorden. Anderen zien ze zonder uw naam."
PAUSED = "Prima, we pauzeren. Typ 'verder' als u verder wilt gaan. Uw antwoorden zijn bewaard."
NOT_PAUSABLE = "Er staat nu geen vraag open, dus pauzeren is niet nodig."
RESUMED = "Welkom terug. We gaan verder waar u was."
STOP_QUESTION = (
    "Weet u zeker dat u zich wilt afmelden? U krijgt dan geen berichten meer over de dialoog. "
    "Uw antwoorden blijven anoniem bewaard."
)
STOP_YES = "Ja, afmelden"
STOP_NO = "Nee, ik doe mee"
OPTED_OUT = (
    "U bent afgemeld. U krijgt geen berichten meer. Wilt u later toch weer meedoen? "
    "Typ dan 'start'."
)
STILL_OPTED_OUT = "U bent afgemeld voor de dialoog. Wilt u weer meedoen? Typ dan 'start'."
STOP_CANCELLED = "Fijn dat u blijft meedoen."
WELCOME_BACK = "Welkom terug bij de dialoog."
NOT_UNDERSTOOD_IDLE = "Ik begrijp uw bericht niet. Typ 'help' voor de woorden die u kunt gebruiken."
EMPTY_MESSAGE = "Ik heb geen tekst ontvangen. Typ uw antwoord, of typ 'help'."
NOT_NOW = "Dat kan op dit moment niet. Typ 'help' voor de woorden die u kunt gebruiken."


def message_too_long(length: int, maximum: int) -> str:
    return (
        f"Uw bericht is te lang: {length:,} tekens. Ik kan maximaal {maximum:,} tekens lezen. "
        "Wilt u het korter maken?"
    ).replace(",", ".")


# ---------------------------------------------------------------- proactive messages (planning)

BEGIN_LABEL = "Begin"
RESUME_LABEL = "Verder"
BEGIN_HINT = "Klik op 'Begin' of typ 'begin'."
RESUME_HINT = "Klik op 'Verder' of typ 'verder'. U gaat verder waar u was gebleven."


def today_at(moment: datetime, zone: ZoneInfo) -> str:
    return f"vandaag om {moment.astimezone(zone):%H:%M}"


def questions_count(count: int) -> str:
    return "1 vraag" if count == 1 else f"{count} vragen"


def step_opened(name: str, purpose: str, closes: str, count: int) -> str:
    return (
        f"Stap {name} is begonnen. {purpose.strip()}\n\n"
        f"Deze stap heeft {questions_count(count)} en staat open tot {closes}. "
        "Het kost u maar een paar minuten."
    )


def nudge_not_started(name: str, closes: str, count: int) -> str:
    return (
        f"Stap {name} sluit {closes}. U heeft nog niet meegedaan. "
        f"Het zijn {questions_count(count)}; het kost u maar een paar minuten. Uw mening telt mee!"
    )


def nudge_in_progress(name: str, closes: str, remaining: int) -> str:
    return (
        f"Stap {name} sluit {closes}. U bent al begonnen: u heeft nog "
        f"{questions_count(remaining)} te gaan."
    )


def step_thanks(name: str, completed: bool, next_name: str | None, next_opens: str | None) -> str:
    done = "al uw antwoorden" if completed else "uw antwoorden"
    text = f"Stap {name} is gesloten. Dank u wel voor {done}! Wij verwerken ze anoniem."
    if next_name and next_opens:
        return (
            text
            + f"\n\nDe volgende stap, {next_name}, begint op {next_opens}. U krijgt dan bericht."
        )
    return text + "\n\nU hoort van ons wat er met de uitkomsten van de dialoog gebeurt."


# ---------------------------------------------------------------- a whole step at once (mail)

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def letters(count: int) -> str:
    """``A, B of C``; ``A tot en met H`` for long lists."""
    shown = list(LETTERS[:count])
    if count > 4:
        return f"{shown[0]} tot en met {shown[-1]}"
    return ", ".join(shown[:-1]) + f" of {shown[-1]}" if count > 1 else shown[0]


def lettered(labels: Sequence[str]) -> tuple[str, ...]:
    """``A. label`` per label, as choices are listed where answers come in at once."""
    return tuple(f"{LETTERS[i]}. {label}" for i, label in enumerate(labels))


def hint_letter_single(count: int) -> str:
    return f"Kies één letter: {letters(count)}."


def hint_letter_multiple(count: int, picks: int) -> str:
    if picks < count:
        return f"Kies maximaal {picks} letters uit {letters(count)}, bijvoorbeeld 'A, C'."
    return f"Kies een of meer letters uit {letters(count)}, bijvoorbeeld 'A, C'."


HINT_OPTIONAL_MAIL = "Niet verplicht."
SKIPPED_VALUE = "overgeslagen"
SKIP_REQUIRED_MAIL = "Deze vraag is verplicht, dus overslaan kan niet."
ANSWERS_NOT_NUMBERED = (
    "Wij weten niet bij welke vraag uw tekst hoort. Zet het nummer van de vraag "
    "voor uw antwoord, bijvoorbeeld '1. Mijn antwoord'."
)


def join_by_answering(step: str, role: str, municipality: str | None) -> str:
    """The invitation by mail that can be answered at once (B1: one thing per sentence)."""
    where = f" bij de gemeente {municipality}" if municipality else ""
    return (
        f"**Doet u mee?** Beantwoord dan de vragen van stap {step} hieronder. "
        "Met uw antwoorden zegt u ja tegen meedoen.\n\n"
        f"Wij hebben u uitgenodigd als {role.lower()}{where}. Klopt dat niet? Stuur dan na uw "
        "antwoorden een e-mail met 'gegevens wijzigen'.\n\n"
        "Wilt u niet meedoen? Antwoord dan alleen met 'nee'."
    )


JOINED_BY_ANSWERING = "Fijn dat u meedoet aan de dialoog."

ANSWERS_BEFORE_CONSENT = (
    "U heeft nog niet laten weten dat u wilt meedoen. Daarom hebben wij uw "
    "antwoorden niet opgeslagen."
)
ANSWERS_BEFORE_PROFILE = (
    "Wij hebben eerst nog een paar gegevens van u nodig. Daarna kunt u de vragen "
    "beantwoorden. Uw antwoorden hebben wij nog niet opgeslagen."
)
ANSWERS_UNKNOWN_STEP = "Bij deze stap horen geen vragen. Wij hebben niets opgeslagen."
OPTED_OUT_ONE_CLICK = (
    "U bent afgemeld. U krijgt geen berichten meer over de dialoog. Uw antwoorden "
    "blijven anoniem bewaard. Wilt u later toch weer meedoen? Stuur dan 'start'."
)


def step_not_open_yet(name: str, opens: str) -> str:
    return (
        f"Stap {name} begint pas op {opens}. Daarom hebben wij uw antwoorden niet opgeslagen. "
        "U krijgt bericht zodra de stap begint."
    )


# ---------------------------------------------------------------- reacting to contributions

REACTION_AGREE = "Eens"
REACTION_DISAGREE = "Oneens"
REACTION_PASS = "Pas"
REACTION_REPORT = "Melden"
REACTION_NOTE = "Wilt u iets toevoegen? Dat is niet verplicht."
REACTION_HINT = (
    "Kies eens, oneens of pas. Wilt u iets toevoegen? Typ dan bijvoorbeeld 'oneens: omdat …'. "
    "Past deze bijdrage niet in de dialoog? Typ 'melden'. Typ 'klaar' om te stoppen."
)
REACTION_NOT_UNDERSTOOD = (
    "Dat heb ik niet begrepen. Antwoordt u met eens, oneens of pas. Wilt u iets toevoegen? Typ "
    "dan bijvoorbeeld 'eens: omdat …'."
)
REACTION_NOTE_EMPTY = (
    "Uw toevoeging bevat geen woorden. Typ een korte zin, of antwoord alleen met eens, oneens "
    "of pas."
)
REACTION_REPORTED = "Dank u. Een begeleider kijkt naar deze bijdrage. U ziet hem niet meer."
REACTION_NONE_LEFT = (
    "Er zijn op dit moment geen bijdragen meer waarop u kunt reageren. Dank u wel voor uw reacties."
)
REACTION_STOPPED = "Goed, u stopt met reageren. U kunt later altijd verder gaan."
REACTION_STALE = "Die bijdrage heeft u al gehad. Hier is de bijdrage die nu aan de beurt is."
REACTION_GONE = (
    "De bijdrage die u zag, is inmiddels verborgen. Uw reactie daarop hebben wij niet bewaard. "
    "Hier is een andere bijdrage."
)


def reaction_note_too_long(length: int, maximum: int) -> str:
    return (
        f"Uw toevoeging is te lang: {length:,} tekens. Het maximum is {maximum:,}. Maak het korter."
    ).replace(",", ".")


def reaction_progress(given: int, target: int) -> str:
    if given >= target:
        return f"U reageerde op {given} bijdragen. Het doel van {target} is gehaald."
    return f"Reactie {given + 1} van {target}"


def reaction_target_reached(target: int) -> str:
    return (
        f"Dank u! U heeft op {target} bijdragen gereageerd. Dat was het doel. Wilt u doorgaan? "
        "Dan volgt hieronder de volgende bijdrage. Typ 'klaar' om te stoppen."
    )


def reactions_given(count: int) -> str:
    return "geen reacties" if count == 0 else f"{count} reactie{'s' if count != 1 else ''} gegeven"


REACTION_MAIL_HOW = (
    "Reageer per bijdrage met het nummer en eens, oneens of pas. Bijvoorbeeld: '1 eens', "
    "'2 oneens: omdat …', '3 pas'. Wilt u een bijdrage melden omdat hij niet in de dialoog past? "
    "Schrijf dan '4 melden'. U hoeft niet op alles te reageren."
)


def reaction_mail_not_understood(number: int) -> str:
    return f"Bij bijdrage {number}: schrijf eens, oneens, pas of melden."


def reaction_mail_unknown_number(number: int, count: int) -> str:
    return f"Er is geen bijdrage {number}: kies een nummer van 1 tot en met {count}."


def outcome_intro(step: str) -> str:
    return f"**Wat stap {step} opleverde**"


def outcome_line(topic: str, top: list[tuple[str, int]], respondents: int) -> str:
    chosen = "; ".join(f"{label} ({share}%)" for label, share in top)
    return f"- {topic}\n  Het vaakst gekozen door de {respondents} deelnemers: {chosen}."


def contribution_hidden(excerpt: str, reason: str) -> str:
    why = (
        "Meerdere deelnemers hebben de bijdrage gemeld. Een begeleider kijkt ernaar."
        if reason == "meldingen"
        else f"De reden: {reason}"
    )
    return (
        "Een van uw bijdragen aan de dialoog is verborgen. Andere deelnemers zien hem nu niet. "
        f"Het gaat om: \u201c{excerpt}\u201d. {why} Heeft u een vraag? Antwoord dan op dit bericht."
    )


REACTION_MAIL_NUMBER_MISSING = (
    "Zet het nummer van de bijdrage voor uw reactie, bijvoorbeeld '2 oneens'."
)
REACTION_MAIL_NOTHING = (
    "Wij vonden in uw e-mail geen reacties. Schrijf per bijdrage het nummer en eens, oneens of "
    "pas, bijvoorbeeld '1 eens'."
)


def reaction_mail_twice(number: int) -> str:
    return f"Op bijdrage {number} reageerde u twee keer. Wij hebben de eerste reactie bewaard."


def reaction_mail_gone(number: int) -> str:
    return f"Bijdrage {number} is inmiddels verborgen. Uw reactie daarop hebben wij niet bewaard."


def batch_receipt_intro(step: str) -> str:
    return f"Dank u wel voor uw reacties in stap {step}."


REACTION_SHOWN_REPORTED = "gemeld"


def reactions_status(given: int, target: int) -> str:
    if given >= target:
        return f"U reageerde op {given} bijdragen van anderen; het doel van {target} is gehaald."
    return f"U reageerde op {given} van de {target} bijdragen die wij u vragen."


def nudge_reactions(given: int, target: int) -> str:
    return f"U reageerde op {given} van de {target} bijdragen van andere deelnemers."


# ---------------------------------------------------------------- the participant's own data

CHANGE_QUESTION = "Wat wilt u aanpassen?"
CHANGE_ROLE = "Mijn rol en gemeente"
CHANGE_NAME = "Mijn naam"
CHANGE_CHANNEL = "Hoe ik berichten krijg (Teams of e-mail)"
CHANGE_NOTHING = "Niets, toch niet"
CHANGE_NOT_UNDERSTOOD = "Dat heb ik niet begrepen. Kies wat u wilt aanpassen, of typ het nummer."
NOTHING_CHANGED = "Prima, er is niets veranderd."
NAME_REMOVED = "Dank u wel. Wij bewaren geen naam meer van u."
NAME_NOT_UNDERSTOOD = (
    "Dat lijkt geen naam. Typ uw naam, bijvoorbeeld 'Anna de Vries'. Typ 'geen' als wij geen "
    "naam van u mogen bewaren."
)
CHANNEL_QUESTION = "Hoe wilt u berichten over de dialoog krijgen?"
CHANNEL_TEAMS = "In Teams"
CHANNEL_MAIL = "Per e-mail"
CHANNEL_NOT_UNDERSTOOD = "Dat heb ik niet begrepen. Kies 'In Teams' of 'Per e-mail'."
CHANNEL_SAVED_TEAMS = (
    "Dank u wel. U krijgt onze berichten voortaan in Teams. Kunnen wij u daar (nog) niet "
    "bereiken? Dan sturen wij ze per e-mail."
)
CHANNEL_SAVED_MAIL = "Dank u wel. U krijgt onze berichten voortaan per e-mail."
NO_EMAIL_FOR_MAIL = (
    "Wij hebben geen e-mailadres van u, dus wij kunnen u geen e-mail sturen. U krijgt onze "
    "berichten daarom in Teams."
)
ERASE_QUESTION = (
    "Weet u zeker dat wij uw gegevens moeten wissen? Wij wissen dan uw naam, e-mailadres, rol, "
    "gemeente en alles wat wij verder over u bewaren. U krijgt geen berichten meer over de "
    "dialoog.\n\nUw antwoorden blijven bewaard, zonder uw naam. Daarna kan niemand ze nog aan u "
    "koppelen, ook wij niet. Wilt u dat wij ook uw antwoorden wissen? Typ dan 'verwijder mij en "
    "mijn antwoorden'."
)
ERASE_ALL_QUESTION = (
    "Weet u zeker dat wij uw gegevens én uw antwoorden moeten wissen? Wij wissen dan uw naam, "
    "e-mailadres, rol, gemeente, alles wat wij verder over u bewaren en al uw antwoorden. U "
    "krijgt geen berichten meer over de dialoog. Dit kunt u niet ongedaan maken."
)
ERASE_YES = "Ja, wis het"
ERASE_NO = "Nee, niet wissen"
ERASED = (
    "Uw gegevens zijn gewist. Wij weten niet meer wie u bent en sturen u geen berichten meer. "
    "Uw antwoorden blijven bewaard zonder uw naam en tellen mee in de uitkomsten. Niemand kan ze "
    "nog aan u koppelen. Wilt u later toch weer meedoen? Stuur ons dan een bericht. U begint dan "
    "opnieuw."
)
ERASED_ALL = (
    "Uw gegevens en uw antwoorden zijn gewist. Wij weten niet meer wie u bent en sturen u geen "
    "berichten meer. Wilt u later toch weer meedoen? Stuur ons dan een bericht. U begint dan "
    "opnieuw."
)
ERASE_CANCELLED = "Prima, wij wissen niets."


def name_question(current: str | None) -> str:
    now = f"Nu staat u bij ons als {current}. " if current else ""
    return f"{now}Hoe mogen wij u noemen? Typ uw naam, of typ 'geen' als wij geen naam bewaren."


def name_saved(name: str) -> str:
    return f"Dank u wel. Wij noemen u voortaan {name}."


@dataclass(frozen=True)
class StoredAboutYou:
    """What 'mijn gegevens' shows: the identity side, as the participant reads it."""

    name: str | None
    email: str | None
    in_teams: bool
    role: str  # as shown ("Raadslid")
    municipality: str | None
    province: str | None
    networks: tuple[str, ...]
    channel: str  # "teams" or "mail"
    consent: bool
    opted_out: bool
    released_role: str  # the segment the answers carry, as shown
    released_province: str
    released_networks: str


def stored_about_you(data: StoredAboutYou, *, k: int) -> str:
    def yes(flag: bool) -> str:
        return "ja" if flag else "nee"

    lines = [
        "**Dit bewaren wij over u**",
        f"- Naam: {data.name or 'niet bekend'}",
        f"- E-mailadres: {data.email or 'niet bekend'}",
        f"- Bekend in Teams: {yes(data.in_teams)}",
        f"- Rol: {data.role}",
        f"- Gemeente: {data.municipality or 'geen'}",
        f"- Provincie: {data.province or 'niet bekend'}",
        f"- Netwerken: {', '.join(data.networks) if data.networks else 'geen'}",
        f"- Berichten krijgt u: {'per e-mail' if data.channel == 'mail' else 'in Teams'}",
        f"- Meedoen: {yes(data.consent)}",
        f"- Afgemeld: {yes(data.opted_out)}",
        "",
        "**Uw antwoorden**",
        "Uw antwoorden staan niet bij deze gegevens. Wij bewaren ze zonder uw naam, "
        "e-mailadres en gemeente. Alleen de dialoogbot kan ze met een geheime sleutel bij u "
        "terugvinden. Zo kunt u ze zelf bekijken met 'mijn antwoorden'. Anderen zien nooit dat "
        "ze van u komen.",
        f"Bij uw antwoorden staat alleen: rol {data.released_role}; provincie "
        f"{data.released_province}; netwerken {data.released_networks}. Die combinatie hoort bij "
        f"minstens {k} genodigden.",
        "",
        "Wilt u iets aanpassen? Typ 'gegevens wijzigen'. Wilt u dat wij uw gegevens wissen? "
        "Typ 'verwijder mij'.",
    ]
    return "\n".join(lines)


NOT_SHOWN = "niet getoond"
NO_NETWORKS = "geen of niet getoond"


def region(name: str) -> str:
    return f"{name} (regio)"


def role_group(name: str) -> str:
    return f"{name} (rolgroep)"


# ---------------------------------------------------------------- priorities (ranking, points, top)

OPTIONS_NOT_READY = (
    "De keuzes voor deze vraag zijn nog niet klaar. Probeert u het later nog eens; "
    "uw eerdere antwoorden zijn bewaard."
)
OPTION_GONE = (
    "Een van uw keuzes staat niet meer in de lijst. De lijst is intussen aangepast, bijvoorbeeld "
    "omdat twee thema's zijn samengevoegd. Kiest u opnieuw uit de lijst van nu?"
)


def ordinal(place: int) -> str:
    """``1e``, ``2e``: a place in a ranking as Dutch writes it."""
    return f"{place}e"


def how_many(most: int, need: int) -> str:
    """``3``, ``hoogstens 3`` or ``minstens 2 en hoogstens 3``: how many a participant picks."""
    if need >= most:
        return str(most)
    return f"hoogstens {most}" if need <= 1 else f"minstens {need} en hoogstens {most}"


def hint_ranking(ranks: int, need: int, example: str) -> str:
    return (
        f"Kies er {how_many(ranks, need)} en zet ze op volgorde: de belangrijkste eerst. "
        f"Typ bijvoorbeeld '{example}'."
    )


def hint_letter_ranking(ranks: int, need: int, example: str) -> str:
    return (
        f"Schrijf {how_many(ranks, need)} letters op één regel, de belangrijkste eerst, "
        f"bijvoorbeeld '{example}'."
    )


def ranking_not_understood(example: str) -> str:
    return (
        "Dat heb ik niet begrepen. Zet de letters op volgorde, de belangrijkste eerst, "
        f"bijvoorbeeld '{example}'."
    )


def not_in_list(ref: str) -> str:
    shown = ref if len(ref) <= 40 else ref[:39].rstrip() + "…"
    return f"'{shown}' staat niet in de lijst. Kies uit de lijst hieronder."


def chosen_twice(label: str) -> str:
    return f"U koos '{label}' twee keer. Kies elk antwoord maar één keer."


def place_twice(place: int) -> str:
    return f"U gaf de {ordinal(place)} plaats twee keer. Geef elke plaats één keuze."


def place_empty(place: int) -> str:
    return (
        f"De {ordinal(place)} keuze is leeg. Vul de keuzes op volgorde in, zonder een plaats "
        "over te slaan."
    )


def picked_count(given: int, most: int, need: int) -> str:
    return f"U koos er {given}. Kies er {how_many(most, need)}."


def ranked(labels: Sequence[str]) -> str:
    """A stored ranking read back: ``1. …; 2. …``."""
    return "; ".join(f"{place}. {label}" for place, label in enumerate(labels, start=1))


def ranked_in_full(lines: Sequence[str]) -> str:
    """A stored ranking in a mail receipt, each line a lettered choice."""
    return "; ".join(f"{ordinal(place)} keuze: {line}" for place, line in enumerate(lines, start=1))


def hint_top(most: int, need: int, count: int) -> str:
    if need <= 1 and most >= count:
        return "Kies een of meer antwoorden. U kunt ook de nummers typen, bijvoorbeeld '1, 3'."
    return f"Kies er {how_many(most, need)}. U kunt ook de nummers typen, bijvoorbeeld '1, 3'."


def hint_letter_top(most: int, need: int, count: int) -> str:
    return f"Kies {how_many(most, need)} letters uit {letters(count)}, bijvoorbeeld 'A, C'."


def hint_points(points: int, example: str) -> str:
    return (
        f"Verdeel {points} punten: meer punten voor wat u belangrijker vindt, samen precies "
        f"{points}. Typ per keuze de letter en het aantal, bijvoorbeeld '{example}'."
    )


def hint_letter_points(points: int, example: str) -> str:
    return (
        f"Schrijf per letter het aantal punten, samen precies {points}, bijvoorbeeld '{example}'."
    )


def points_not_understood(example: str) -> str:
    return (
        "Dat heb ik niet begrepen. Schrijf per keuze de letter en het aantal punten, "
        f"bijvoorbeeld '{example}'."
    )


POINTS_NOT_WHOLE = "Punten zijn hele getallen: 0, 1, 2 enzovoort. Er kan geen min voor staan."


def points_twice(label: str) -> str:
    return f"U gaf '{label}' twee keer punten. Noem elke keuze één keer."


def points_total_wrong(total: int, points: int) -> str:
    if total == 0:
        return f"U heeft nog geen punten verdeeld. Verdeel precies {points} punten."
    unit = "punt" if total == 1 else "punten"
    return (
        f"Samen zijn dat {total} {unit}. Het moeten er precies {points} zijn. "
        "Wilt u de punten aanpassen?"
    )


def points_given(points: int) -> str:
    return "1 punt" if points == 1 else f"{points} punten"
