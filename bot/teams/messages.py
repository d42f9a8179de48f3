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
