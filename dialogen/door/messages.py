"""Dutch text the door says when it handles a mail but stores nothing, and why (B1, formal "u").
The mail channel's own words (subjects, how to answer by mail, footers) are in
``bot.mail.messages``."""

from __future__ import annotations


def notice_wrong_sender(step: str | None) -> str:
    about = f"op de vragen van stap {step}" if step else "op onze e-mail"
    return (
        f"Wij kregen een antwoord {about} vanaf een ander e-mailadres dan het adres waarop wij u "
        "hebben uitgenodigd. Om uw antwoorden te beschermen, hebben wij dat antwoord niet "
        "opgeslagen. Was u dat zelf? Beantwoord dan deze e-mail vanaf dit adres. Wist u hier niets "
        "van? Dan hoeft u niets te doen."
    )


NOTICE_NO_REFERENCE = (
    "Wij konden uw e-mail niet koppelen aan een e-mail van de dialoog. Daarom hebben "
    "wij niets opgeslagen. Wilt u antwoorden? Beantwoord dan de e-mail met de vragen, "
    "of deze e-mail."
)
NOTICE_EMPTY = (
    "Wij vonden geen nieuw antwoord in uw e-mail. Daarom hebben wij niets opgeslagen. Typ uw "
    "antwoorden in de e-mail zelf, met het nummer van de vraag ervoor. Dat mag boven de vragen "
    "of onder elke vraag. Een bijlage lezen wij niet."
)
