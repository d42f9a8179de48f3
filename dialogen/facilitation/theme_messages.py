"""Dutch text for facilitators about themes, priorities, Verdiepen and representation (B1,
formal "u"). Apart from ``dialogen.facilitation.messages`` so each part can be reviewed alone."""

from __future__ import annotations

from collections.abc import Sequence

# ---------------------------------------------------------------- themes

THEMES_TITLE = "Thema's"
NO_THEMES = (
    "Er zijn nog geen thema's berekend. Typ 'thema's bereken' om ze te berekenen uit de "
    "bijdragen van Verkennen en Verrijken."
)
NO_CONTRIBUTIONS = "Er zijn nog te weinig zichtbare bijdragen om thema's in te vinden."
OVERIG = "Overig"
THEMES_HELP = (
    "Wat u kunt typen:\n"
    "- thema's bereken — opnieuw berekenen (uw besluiten blijven staan)\n"
    "- thema hernoem <nr> <naam>\n"
    "- thema voeg <nr> bij <nr> — samenvoegen\n"
    "- thema splits <nr> <codes> <naam> — deze bijdragen worden een nieuw thema\n"
    "- thema verplaats <code> <nr> — een bijdrage naar een ander thema\n"
    "- thema volgorde <nr> <nr> ... — de volgorde\n"
    "- thema schrap <nr> — niet aanbieden\n"
    "- thema's publiceer — de lijst vastzetten voor Voorkeuren"
)


def themes_locked(step: str) -> str:
    return (
        f"De thema's kunnen niet meer worden aangepast: de stap {step} is al begonnen. "
        "Deelnemers kiezen nu uit de gepubliceerde lijst."
    )


def unknown_theme(reference: str, count: int) -> str:
    return (
        f"Thema '{reference}' bestaat niet. Gebruik een nummer van 1 tot en met {count} "
        "(typ 'thema's' voor de lijst)."
    )


def unknown_contribution(code: str) -> str:
    return f"Er is geen bijdrage met code '{code}' in de thema's. Typ 'thema's' voor de codes."


def ambiguous_contribution(code: str) -> str:
    return f"De code '{code}' past bij meer dan één bijdrage. Typ een langere code."


LABEL_INVALID = "Geef een naam van 1 tot 200 tekens."
MERGE_SAME = "Een thema kan niet met zichzelf worden samengevoegd."
SPLIT_ALL = (
    "U splitst alle bijdragen van dit thema af. Wilt u alleen de naam wijzigen? "
    "Typ dan 'thema hernoem <nr> <naam>'."
)
ORDER_REPEATS = "Noem elk thema maar één keer in de volgorde."
TOO_FEW_TO_PUBLISH = "Er zijn minstens twee thema's nodig om te publiceren."


def too_many_to_publish(count: int, most: int) -> str:
    return f"Er zijn {count} thema's; Voorkeuren kan er hoogstens {most} aanbieden. Voeg er samen."


def renamed(old: str, new: str) -> str:
    return f"Thema '{old}' heet nu '{new}'."


def merged(source: str, target: str) -> str:
    return f"Thema '{source}' is samengevoegd met '{target}'."


def split(count: int, label: str) -> str:
    return f"{count} bijdrage(n) vormen nu het nieuwe thema '{label}'."


def moved(code: str, label: str) -> str:
    return f"Bijdrage {code} staat nu bij '{label}'."


ORDERED = "De volgorde is aangepast."


def dropped(label: str) -> str:
    return f"Thema '{label}' wordt niet aangeboden; de bijdragen staan nu bij Overig."


def computed(themes: int, contributions: int, kept: int, skipped: int) -> str:
    text = f"{themes} thema's berekend uit {contributions} bijdragen."
    if kept:
        text += f" {kept} besluit(en) van begeleiders toegepast."
    if skipped:
        text += f" {skipped} besluit(en) passen niet meer (thema of bijdrage bestaat niet meer)."
    return text


def published(count: int) -> str:
    return f"{count} thema's gepubliceerd. Deelnemers kiezen hieruit in Voorkeuren."


def theme_line(number: int, label: str, members: int, k: int = 5) -> str:
    """A theme's size is a number of contributions, so of at most that many people: under k it
    reads "< k" like every other figure."""
    size = str(members) if members >= k else f"< {k}"
    return f"{number}. {label} ({size} bijdragen)"


def not_published_yet() -> str:
    return "Nog niet gepubliceerd: typ 'thema's publiceer' als de lijst klaar is."


def published_at(when: str) -> str:
    return f"Gepubliceerd op {when}."


# ---------------------------------------------------------------- priorities

PRIORITIES_TITLE = "Prioriteiten (Voorkeuren)"
NO_PRIORITY_QUESTION = "De dialoog heeft geen vraag naar prioriteiten (ranking, punten of top)."
NO_PRIORITY_ANSWERS = "Er zijn nog geen antwoorden op de prioriteitenvraag."
BROAD = "breed gedragen"
DIVIDED = "verdeeld"


def priorities_everyone(respondents: str) -> str:
    return f"Iedereen ({respondents} deelnemers)"


def priorities_group(dimension: str, group: str, respondents: str) -> str:
    return f"{dimension} {group} ({respondents} deelnemers)"


def small_groups_note(k: int) -> str:
    return (
        f"Groepen met minder dan {k} deelnemers staan er niet in; aantallen onder {k} staan "
        f"als '< {k}'. Tussen haakjes: 90%-interval."
    )


# ---------------------------------------------------------------- representation

REPRESENTATION_TITLE = "Vertegenwoordiging"


def representation_score(step: str, dimension: str, score: str) -> str:
    return f"{step} — {dimension}: score {score} (laagste respons ÷ hoogste respons)"


def behind(groups: Sequence[str]) -> str:
    return "Loopt het meest achter: " + ", ".join(groups) if groups else ""


def alert(step: str, groups: Sequence[str], threshold: int) -> str:
    return (
        f"Let op: in {step} reageert minder dan {threshold}% van "
        + ", ".join(groups)
        + ". Typ 'herinner "
        + step.lower()
        + " --groep <groep>' om hen gericht te herinneren."
    )


def no_group_match(text: str, known: Sequence[str]) -> str:
    return f"Geen groep heet '{text}'. Kies uit: {', '.join(known)}."


# ---------------------------------------------------------------- Verdiepen

NO_FOLLOW_UP = "De dialoog genereert geen vervolgvragen voor Verdiepen."
FOLLOW_UP_TITLE = "Vervolgvragen voor Verdiepen (concept)"
FOLLOW_UP_CONFIRMED = "De vervolgvragen zijn vastgesteld. Ze worden gesteld als Verdiepen opent."
FOLLOW_UP_NOT_READY = "Er zijn nog geen prioriteiten om vervolgvragen uit te maken."


def follow_up_locked(step: str) -> str:
    return f"De vervolgvragen kunnen niet meer worden aangepast: de stap {step} is al begonnen."


def follow_up_unknown(number: str, count: int) -> str:
    return f"Vraag '{number}' bestaat niet; kies een nummer van 1 tot en met {count}."
