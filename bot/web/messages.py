"""Every Dutch sentence of the dashboard that is not in a template: refusals and results."""

from __future__ import annotations

REFUSALS = {
    "not_facilitator": (
        "U heeft geen toegang tot het dashboard. Het dashboard is alleen voor de begeleiders van "
        "de dialoog. Denkt u dat dit niet klopt? Neem dan contact op met de organisatie van de "
        "dialoog."
    ),
    "csrf": (
        "Deze actie is geweigerd: het formulier is verlopen of komt niet van deze pagina. Er is "
        "niets veranderd en niets verstuurd. Open de pagina opnieuw en probeer het nog eens."
    ),
    "expired": "Uw sessie is verlopen. Meld u opnieuw aan. Er is niets veranderd.",
    "signed_out": "U bent niet aangemeld. Meld u aan. Er is niets veranderd.",
    "login_failed": (
        "Aanmelden is niet gelukt. Probeer het opnieuw. Lukt het niet? Neem dan contact op met "
        "de beheerder."
    ),
    "login_stale": ("Deze aanmelding is verlopen of al gebruikt. Begin opnieuw met aanmelden."),
    "dev_login_remote": (
        "De lokale aanmelding werkt alleen op deze computer zelf. Gebruik het adres 127.0.0.1."
    ),
    "tab_needs_https": (
        "Aanmelden in Teams werkt alleen als het dashboard via https bereikbaar is. Open het "
        "dashboard in uw browser of vraag de beheerder om https in te stellen."
    ),
    "sso_refused": (
        "Aanmelden via Teams is niet gelukt: Teams gaf geen geldige aanmelding door. Open het "
        "dashboard in uw browser, of probeer het later nog eens."
    ),
    "unknown": "Deze pagina bestaat niet.",
}

DEV_LOGIN_NEEDS_NAME = "Vul uw e-mailadres of object-id in."
SESSION_EXPIRED = "Uw sessie is verlopen. Meld u opnieuw aan."
UNKNOWN_ACTION = "Deze actie ken ik niet. Er is niets veranderd."
UNKNOWN_STEP = "Deze stap ken ik niet. Er is niets verstuurd."
MODERATION_ACTIONS = {
    "goedkeuren": "Goedkeuren",
    "verbergen": "Verbergen",
    "maskeer": "Tekst maskeren",
    "toon": "Gemaskeerd deel weer tonen",
}
KINDS = {"step_prompt": "Oproep (stapbericht)", "nudge": "Herinnering", "step_closed": "Bedankje"}
REPORT_CODE_NEEDED = "Vul de code van het concept in: 8 tekens, zoals het rapport ze toont."
