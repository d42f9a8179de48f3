"""Dutch text that only the Teams channel says (the domain's text is in
``dialogen.conversation.messages``)."""

ATTACHMENTS_NOT_READ = (
    "Ik kan alleen tekst lezen, geen bestanden of afbeeldingen. Wilt u uw antwoord typen?"
)
CARD_WITHOUT_CHOICE = "U heeft nog niets gekozen. Kies een antwoord en klik dan op 'Versturen'."
SOMETHING_WENT_WRONG = (
    "Sorry, er ging bij ons iets mis. Uw eerdere antwoorden zijn bewaard. "
    "Probeert u het over een paar minuten nog eens?"
)
SEND = "Versturen"
EARLIER_ANSWER = "Uw eerdere antwoord"
CHOOSE_PLACEHOLDER = "Maak een keuze"


def place_label(place: int) -> str:
    """The label above one place of a ranking card: "1e keuze"."""
    return f"{place}e keuze"


def points_rule(total: int) -> str:
    """Above the fields of a points card: the card cannot add up, so the rule is stated."""
    return (
        f"Samen precies {total} punten. De kaart telt de punten niet voor u op. Klopt het "
        "totaal niet? Dan hoort u dat na het versturen."
    )
