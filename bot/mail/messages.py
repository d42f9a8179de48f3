"""Every Dutch sentence the mail channel adds to what the domain says
(``dialogen.conversation.messages``): subjects, how to answer by mail, confirmations, notices and
the unsubscribe page.

B1 level, formal "u". The tone follows the invitation mail of 18 September 2024.
"""

from __future__ import annotations

from collections.abc import Sequence

GREETING = "Geachte heer, mevrouw,"
CLOSING = "Met vriendelijke groet,"

# ---------------------------------------------------------------- subjects


def subject_invitation(title: str) -> str:
    return f"Uitnodiging: {title}"


def subject_step_prompt(step: str) -> str:
    return f"Stap {step} is begonnen: denkt u mee?"


def subject_nudge(step: str) -> str:
    return f"Herinnering: stap {step} sluit binnenkort"


def subject_results(step: str) -> str:
    return "De uitkomsten van de dialoog"


def subject_thanks(step: str) -> str:
    return f"Dank u wel voor uw bijdrage aan stap {step}"


def subject_receipt(step: str) -> str:
    return f"Ontvangen: uw antwoorden voor stap {step}"


def subject_closed(step: str) -> str:
    return f"Stap {step} is gesloten"


def subject_reply(title: str) -> str:
    return f"Uw bericht aan de {title}"


def with_reference(subject: str, token: str | None) -> str:
    return f"{subject} [ref:{token}]" if token else subject


# ---------------------------------------------------------------- the questions in a mail

HOW_TO_ANSWER = (
    "U kunt antwoorden door deze e-mail te beantwoorden. Zet het nummer van de vraag voor "
    "uw antwoord, bijvoorbeeld '1. Mijn antwoord' of '3. A, C'. U hoeft niet alle vragen "
    "in één keer te beantwoorden. Binnen een paar minuten krijgt u een bevestiging."
)
ALREADY_ANSWERED = "al beantwoord"
CHANGE_ANSWER = (
    "Wilt u een antwoord veranderen? Stuur dan het nummer van de vraag met uw nieuwe "
    "antwoord. Dat kan tot de stap sluit."
)
YES_NO_BY_MAIL = "Beantwoord deze e-mail met 'ja' of 'nee'."
CHOOSE_BY_MAIL = "Beantwoord deze e-mail met de letter van uw keuze."
TYPE_BY_MAIL = "Beantwoord deze e-mail met uw antwoord."


def questions_heading(step: str, closes: str | None) -> str:
    """``closes`` is left out when the mail already said it (the step prompt does)."""
    if closes is None:
        return f"De vragen van stap {step}:"
    return f"De vragen van stap {step} (open tot {closes}):"


def still_open_heading(count: int) -> str:
    return "Deze vraag staat nog open:" if count == 1 else f"Deze {count} vragen staan nog open:"


# ---------------------------------------------------------------- confirmations


def receipt_intro(step: str) -> str:
    return f"Dank u wel. Wij hebben uw e-mail voor stap {step} ontvangen."


RECORDED_HEADING = "Dit hebben wij opgeslagen:"
PROBLEMS_HEADING = "Dit hebben wij niet begrepen. Wilt u dit nog eens sturen?"
NOTHING_RECORDED = "Wij hebben uit deze e-mail geen antwoorden kunnen opslaan."
UNPLACED_IGNORED = (
    "Tekst zonder vraagnummer, bijvoorbeeld boven uw eerste antwoord, hebben wij niet "
    "als antwoord opgeslagen."
)
GENERAL_PROBLEM = "Algemeen"


def problem_line(number: int, hint: str) -> str:
    return f"Vraag {number}: {hint}" if number else f"{GENERAL_PROBLEM}: {hint}"


def receipt_complete(step: str, closes: str) -> str:
    return (
        f"U heeft alle vragen van stap {step} beantwoord. Dank u wel voor uw bijdrage! "
        f"Tot de stap sluit op {closes} kunt u een antwoord nog veranderen."
    )


def passed_over(numbers: Sequence[int]) -> str:
    listed = numbers_text(numbers)
    return (
        f"{'Vraag' if len(numbers) == 1 else 'De vragen'} {listed} "
        f"{'is' if len(numbers) == 1 else 'zijn'} niet verplicht en heeft u opengelaten. "
        "Die kunt u tot de stap sluit nog beantwoorden."
    )


def receipt_closed(step: str, closed: str) -> str:
    return (
        f"Stap {step} is gesloten sinds {closed}. Daarom hebben wij de antwoorden in uw e-mail "
        "niet meer opgeslagen. Uw eerdere antwoorden blijven bewaard. U krijgt bericht zodra er "
        "een nieuwe stap begint."
    )


def numbers_text(numbers: Sequence[int]) -> str:
    shown = [str(n) for n in numbers]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + f" en {shown[-1]}"


# ---------------------------------------------------------------- notes about the received mail


def note_attachments(count: int) -> str:
    what = "een bijlage" if count == 1 else f"{count} bijlagen"
    return (
        f"Uw e-mail had {what}. Bijlagen lezen wij niet. Zet uw antwoorden in de tekst van de "
        "e-mail zelf."
    )


NOTE_TOO_LARGE = (
    "Uw e-mail was erg groot. Wij hebben alleen het begin gelezen. Kijk hieronder of uw "
    "antwoorden goed zijn overgekomen."
)


# ---------------------------------------------------------------- a stranger (not a participant)


def notice_stranger(title: str, contact: str | None) -> str:
    text = (
        f"Dank u wel voor uw e-mail aan de {title}. Wij kunnen uw e-mailadres niet vinden bij de "
        "genodigden. Daarom hebben wij niets opgeslagen. Bent u uitgenodigd? Beantwoord dan de "
        "uitnodiging vanaf het adres waarop u die kreeg."
    )
    return text + (f" Heeft u vragen? Stuur dan een e-mail naar {contact}." if contact else "")


# ---------------------------------------------------------------- footer and unsubscribe


def footer(title: str, contact: str | None) -> str:
    text = (
        f"U krijgt deze e-mail omdat u bent uitgenodigd voor de {title}. Uw antwoorden zijn "
        "anoniem: andere deelnemers zien niet dat ze van u komen."
    )
    return text + (f" Heeft u vragen? Stuur dan een e-mail naar {contact}." if contact else "")


UNSUBSCRIBE_LINE = "Wilt u geen e-mails meer over de dialoog? Afmelden:"
UNSUBSCRIBE_LINK = "Afmelden"
UNSUBSCRIBE_PAGE_TITLE = "Afmelden voor de dialoog"
UNSUBSCRIBE_QUESTION = (
    "Wilt u geen e-mails en berichten meer krijgen over de dialoog? Klik dan op de "
    "knop. Uw antwoorden blijven anoniem bewaard."
)
UNSUBSCRIBE_BUTTON = "Ja, meld mij af"
UNSUBSCRIBED = (
    "U bent afgemeld. U krijgt geen berichten meer over de dialoog. Wilt u later toch weer "
    "meedoen? Stuur dan een e-mail met 'start' naar de dialoog."
)
UNSUBSCRIBE_INVALID = (
    "Deze link werkt niet (meer). Wilt u zich afmelden? Beantwoord dan een e-mail van "
    "de dialoog met het woord 'afmelden'."
)


def batch_heading(step: str, closes: str) -> str:
    return (
        f"Stap {step}: bijdragen van andere deelnemers. U ziet niet van wie ze zijn, en zij zien "
        f"niet wat u ervan vindt. U kunt reageren tot {closes}."
    )
