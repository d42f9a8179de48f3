"""Dutch text for facilitators and operators: stakeholder import, participation figures, the
facilitator commands in Teams and their CLI twins. B1, formal "u". Kept apart from
``dialogen.conversation.messages`` (what participants read) so each can be reviewed on its own.
"""

from __future__ import annotations

from collections.abc import Sequence

from dialogen.privacy.anonymity import K_ANONYMITY

# ---------------------------------------------------------------- stakeholder import: the file

SHEET_EMPTY = "Het bestand is leeg."


def no_header(line: int) -> str:
    return (
        f"Geen kopregel gevonden (gezocht vanaf regel {line}). De eerste regel moet de kolomnamen "
        "bevatten, met in elk geval 'e-mail' en 'rol'."
    )


def missing_column(line: int, name: str) -> str:
    return f"Regel {line}: de kolom '{name}' ontbreekt."


def duplicate_column(line: int, name: str) -> str:
    return f"Regel {line}: de kolom '{name}' staat er twee keer in."


def too_many_rows(count: int, maximum: int) -> str:
    return f"Het bestand heeft {count} regels; het maximum is {maximum}. Splits het bestand op."


def unreadable_file(reason: str) -> str:
    return f"Het bestand kan niet worden gelezen: {reason}"


OLD_EXCEL = "Dit is het oude Excel-formaat (.xls). Sla het bestand op als .xlsx of als CSV."
UNKNOWN_FILE_TYPE = (
    "Onbekend bestandstype. Gebruik een CSV-bestand (.csv) of een Excel-bestand (.xlsx)."
)
NOT_TEXT = "Het bestand is geen tekst in UTF-8 of Windows-codering."

# ---------------------------------------------------------------- stakeholder import: a row

EMAIL_MISSING = "e-mailadres ontbreekt"
ROLE_MISSING = "rol ontbreekt"


def email_invalid(text: str) -> str:
    return f"e-mailadres '{text}' is ongeldig"


def name_too_long(maximum: int) -> str:
    return f"naam is langer dan {maximum} tekens"


def role_unknown(text: str, labels: Sequence[str]) -> str:
    return f"rol '{text}' is onbekend; kies uit: {', '.join(labels)}"


def role_ambiguous(text: str, labels: Sequence[str]) -> str:
    return f"rol '{text}' is niet eenduidig ({' of '.join(labels)})"


def province_unknown(text: str, provinces: Sequence[str]) -> str:
    return f"provincie '{text}' is onbekend; kies uit: {', '.join(provinces)}"


def municipality_required(role: str) -> str:
    return f"gemeente ontbreekt (verplicht voor de rol {role.lower()})"


def province_contradicts(given: str, municipality: str, actual: str) -> str:
    return f"provincie '{given}' past niet bij gemeente {municipality} (die ligt in {actual})"


def municipality_ambiguous(text: str, options: Sequence[str]) -> str:
    return f"gemeente '{text}' is niet eenduidig: bedoelt u {' of '.join(options)}?"


def municipality_unknown(text: str) -> str:
    return f"gemeente '{text}' bestaat niet in de gemeentelijke indeling van 2024"


def network_unknown(name: str, networks: Sequence[str]) -> str:
    return f"netwerk '{name}' is onbekend; kies uit: {', '.join(networks)}"


def channel_unknown(text: str) -> str:
    return f"kanaal '{text}' is onbekend; kies 'teams' of 'mail'"


def duplicate_conflict(line: int, what: str, later: str, first: str) -> str:
    return (
        f"zelfde e-mailadres als regel {line}, maar een andere {what} "
        f"('{later}' in plaats van '{first}')"
    )


# ---------------------------------------------------------------- stakeholder import: the summary


def import_summary(accepted: int, created: int, updated: int, merged: int, rejected: int) -> str:
    return (
        f"Geaccepteerd: {accepted} (nieuw: {created}, bijgewerkt: {updated}). "
        f"Samengevoegd (zelfde e-mailadres): {merged}. Afgewezen: {rejected}."
    )


def import_dry_run(accepted: int, merged: int, rejected: int) -> str:
    return (
        f"Controle zonder opslaan. Geaccepteerd: {accepted}. "
        f"Samengevoegd (zelfde e-mailadres): {merged}. Afgewezen: {rejected}."
    )


def import_skipped_erased(count: int) -> str:
    return (
        f"Niet opnieuw uitgenodigd: {count} (deze personen hebben gevraagd hun gegevens te wissen)."
    )


REJECTED_HEADER = "Afgewezen regels:"


def rejected_row(line: int, reason: str) -> str:
    return f"  regel {line}: {reason}"


def ignored_columns(names: Sequence[str]) -> str:
    return f"Genegeerde kolommen: {', '.join(names)}"


TEAMS_INSTALL_NOT_CONFIGURED = (
    "Installeren in Teams is niet ingesteld (DIALOOG_TEAMS_CATALOG_APP_ID, "
    "DIALOOG_TEAMS_INSTALL_TENANT_ID, DIALOOG_TEAMS_INSTALL_CLIENT_ID en "
    "DIALOOG_TEAMS_INSTALL_CLIENT_SECRET). Genodigden krijgen de bot te zien zodra zij hem zelf "
    "openen, of worden per e-mail bereikt."
)


def teams_install_summary(installed: int, already: int, failed: int) -> str:
    return (
        f"Geïnstalleerd in Teams: {installed}. Was al geïnstalleerd: {already}. Mislukt: {failed}."
    )


# ---------------------------------------------------------------- participation figures

STATS_TITLE = "Stand van de deelname"
STATS_STEPS = "Per stap"
COL_STEP = "Stap"
COL_GROUP = "Groep"
COL_INVITED = "Uitgenodigd"
COL_STARTED = "Begonnen"
COL_COMPLETED = "Afgerond"
BY_ROLE = "Per rolgroep"
BY_PROVINCE = "Per provincie"
BY_NETWORK = "Per netwerk"
UNKNOWN_GROUP = "onbekend"
NO_PERCENTAGE = "–"
NO_INTERACTIVE_STEPS = "Deze dialoog heeft geen stappen met vragen."


def stats_totals(invited: str, reachable: str, by_mail: str, consented: str, opted_out: str) -> str:
    return (
        f"Uitgenodigd: {invited}. Bereikbaar in Teams: {reachable}. Bereikt per mail: {by_mail}. "
        f"Doet mee: {consented}. Afgemeld: {opted_out}."
    )


def stats_groups_for(step: str) -> str:
    return f"Per groep, stap {step}"


def stats_small_groups(k: int) -> str:
    return (
        f"Groepen van minder dan {k} personen tonen we als '< {k}'. "
        "Soms is nog een getal verborgen, zodat u het kleine getal niet kunt terugrekenen."
    )


# ---------------------------------------------------------------- facilitator commands

REFUSED = (
    "Deze opdracht is alleen voor begeleiders van de dialoog. "
    "Typ 'help' als u wilt weten wat u kunt doen."
)
BROADCASTS_UNAVAILABLE = (
    "Versturen en plannen zijn op dit moment niet beschikbaar. Er is niets verstuurd."
)
CONFIRM = "Bevestigen"
CANCEL = "Annuleren"
ALREADY_DECIDED = "Over dit voorbeeld is al beslist. Er is niets (opnieuw) verstuurd."
UNKNOWN_CONFIRMATION = "Deze knop hoort niet bij een voorbeeld dat ik ken. Er is niets verstuurd."
CANCELLED = "Geannuleerd. Er is niets verstuurd."
SEND_FAILED = (
    "Het versturen is niet gelukt. Vraag een nieuw voorbeeld en probeer het opnieuw. "
    "Wat al klaarstond, wordt niet dubbel verstuurd."
)
NOTHING_PLANNED = "Er staat niets meer gepland."
NOBODY_DUE = "er is niemand die dit bericht nu nog moet krijgen."
PLANNING_HEADER = "Dit staat gepland:"


def usage(word: str) -> str:
    return f"Typ '{word}' en de naam van de stap, bijvoorbeeld '{word} verkennen'."


def unknown_step(text: str, names: Sequence[str]) -> str:
    return f"De stap '{text}' ken ik niet. Kies uit: {', '.join(names)}."


def preview_title(kind: str, step: str) -> str:
    what = "herinnering" if kind == "nudge" else "oproep"
    return f"Voorbeeld van de {what} voor stap {step}"


def people_count(count: int) -> str:
    """A number of people in a sentence: "< 5" for 1 to 4 (0 describes nobody)."""
    return f"< {K_ANONYMITY}" if 0 < count < K_ANONYMITY else str(count)


def participants(count: int) -> str:
    """A number of participants in a sentence, "< 5" for 1 to 4."""
    return f"{people_count(count)} deelnemers"


def recipients(teams: int, mail: int) -> str:
    return (
        f"Dit bericht gaat naar {participants(teams)} in Teams en {people_count(mail)} per e-mail."
    )


def confirm_hint(minutes: int) -> str:
    return f"Klik op '{CONFIRM}' om te versturen. Dit voorbeeld is {minutes} minuten geldig."


def nothing_to_send(problem: str) -> str:
    reason = problem[:1].upper() + problem[1:]  # a sentence of its own, never after a colon
    return f"Er wordt niets verstuurd. {reason}"


def expired(minutes: int, word: str) -> str:
    return (
        f"Dit voorbeeld is ouder dan {minutes} minuten en niet meer geldig. Er is niets verstuurd. "
        f"Typ opnieuw '{word} <stap>' voor een nieuw voorbeeld."
    )


def sent(kind: str, step: str, count: int) -> str:
    what = "De herinnering" if kind == "nudge" else "De oproep"
    return (
        f"Bevestigd. {what} voor stap {step} staat klaar voor {participants(count)} "
        "en gaat de komende minuten de deur uit."
    )


def planned_item(when: str, what: str) -> str:
    return f"- {when}: {what}"


PROCESSING = "Een moment, ik verwerk uw keuze. U krijgt zo bericht."
CONFIRMATION_FAILED = (
    "Sorry, het klaarzetten is niet gelukt. Er is niets dubbel verstuurd. "
    "Probeert u het over een paar minuten opnieuw met een nieuw voorbeeld?"
)


CONFIRM_ONLY_IN_CHAT = (
    "Berichten versturen kan alleen in Teams of met de opdrachtregel. Deze e-mail verstuurt niets."
)


# ---------------------------------------------------------------- moderation

MODERATION_TITLE = "Moderatie"
MODERATION_EMPTY = "Er wacht niets op moderatie. Alle bijdragen zijn in orde."
MODERATION_REASON_NEEDED = (
    "Geef een reden op, bijvoorbeeld 'verbergen 1a2b3c4d persoonlijke aanval'. De schrijver krijgt "
    "die reden te zien."
)
MODERATION_APPROVE = "Goedkeuren"
MODERATION_HIDE = "Verbergen"
MODERATION_REASON_LABEL = "Reden (de schrijver ziet deze)"
MODERATION_MASK = "Afschermen"
MODERATION_MASK_LABEL = "Tekst om af te schermen, of het nummer van een deel om weer te tonen"
MODERATION_HOW = (
    "Typ 'goedkeuren <code>', 'verbergen <code> <reden>', 'maskeer <code> <tekst>' of "
    "'toon <code> <nummer>'."
)
MODERATION_STATES = {
    "pending": "wacht op goedkeuring",
    "visible": "zichtbaar",
    "hidden": "verborgen",
}


def moderation_count(shown: int, total: int) -> str:
    if total > shown:
        return f"{total} bijdragen wachten op u; hier ziet u de eerste {shown}."
    return f"{total} bijdrage{'n' if total != 1 else ''} wacht{'en' if total != 1 else ''} op u."


def moderation_item_heading(code: str, step: str, state: str, reports: int) -> str:
    reported = f", {reports} keer gemeld" if reports else ""
    return f"Bijdrage {code} (stap {step}, {MODERATION_STATES.get(state, state)}{reported})"


def moderation_part(number: int, category: str, original: str) -> str:
    return f"{number}. afgeschermd als {category}: \u201c{original}\u201d"


def moderation_unknown(code: str) -> str:
    return f"Ik vind geen bijdrage met code {code}. Typ 'moderatie' voor de lijst."


def moderation_ambiguous(code: str) -> str:
    return f"Meer bijdragen beginnen met {code}. Typ meer tekens van de code."


def moderation_unknown_action(action: str) -> str:
    return f"'{action}' ken ik niet. {MODERATION_HOW}"


def moderation_approved(code: str) -> str:
    return f"Bijdrage {code} is goedgekeurd. Deelnemers kunnen erop reageren."


def moderation_hidden(code: str, told: bool) -> str:
    author = (
        "De schrijver krijgt bericht, met de reden."
        if told
        else "De schrijver kon geen bericht krijgen (niet bereikbaar of afgemeld)."
    )
    return f"Bijdrage {code} is verborgen. {author}"


def moderation_text_not_found(code: str) -> str:
    return f"Die tekst staat niet in bijdrage {code}. Typ de tekst precies zoals hij erin staat."


def moderation_no_part(code: str, parts: int) -> str:
    if not parts:
        return f"In bijdrage {code} is niets afgeschermd."
    return f"Kies een nummer van 1 tot en met {parts}: de afgeschermde delen van bijdrage {code}."


def moderation_masked(code: str, text: str) -> str:
    return f"Bijdrage {code} luidt nu: \u201c{text}\u201d"


FACILITATOR_HELP = (
    "Als facilitator kunt u ook typen:\n"
    "- **stand** of **stand <stap>**: de deelname per stap, rolgroep, provincie en netwerk\n"
    "- **verstuur <stap>**: de oproep voor een stap bekijken en versturen\n"
    "- **herinner <stap>**: een herinnering bekijken en versturen aan wie de stap niet af heeft\n"
    "- **planning**: wat de bot wanneer verstuurt\n"
    "- **moderatie**: bijdragen die op een besluit wachten\n"
    "- **thema's**: de thema's uit de bijdragen bekijken, aanpassen en publiceren\n"
    "- **prioriteiten**: de uitkomst van Voorkeuren, ook per rol, provincie of netwerk\n"
    "- **vertegenwoordiging**: welke groepen achterblijven\n"
    "- **vervolgvragen**: de vragen voor Verdiepen uit de hoogste thema's bekijken en vaststellen\n"
    "- **rapport**: het rapport maken; **uitkomsten**: het bericht met de uitkomsten versturen\n"
    "Een stap noemt u met de naam of het nummer, bijvoorbeeld 'verstuur verkennen' of 'stand 3'."
)


# ------------------------------------------------------------ the dashboard's step states

STEP_OPEN = "open"
STEP_CLOSED = "gesloten"
STEP_NOT_OPEN_YET = "nog niet open"
MODERATION_CANCELLED = "Geannuleerd. Er is niets veranderd."
MODERATION_STALE = (
    "Deze bevestiging is niet (meer) geldig: al gebruikt, verlopen of niet van u. "
    "Er is niets veranderd. Kies de actie opnieuw in de moderatielijst."
)
COMMAND_STALE = (
    "Deze bevestiging is niet (meer) geldig: al gebruikt, verlopen of niet van u. "
    "Er is niets veranderd. Kies de actie opnieuw."
)
