"""Dutch texts a simulated participant writes: built from templates and word pools, so that
thousands of answers differ from each other while each reads like something an official could
have written about regional cooperation.

Every text is about one :class:`Topic` (democratic legitimacy, finance, housing, ...), written
from the writer's role ("Als raadslid ...") and drawn with the caller's random generator: the same
generator state gives the same text. Now and then a text carries something the masking must hide
(a phone number, an e-mail address), as real answers do.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    key: str
    subjects: tuple[str, ...]  # what the text is about: "de gemeenschappelijke regeling jeugd"
    problems: tuple[str, ...]  # what goes wrong: "besluiten vallen buiten de raad"
    remedies: tuple[str, ...]  # what would help: "een gezamenlijke raadscommissie"


TOPICS: tuple[Topic, ...] = (
    Topic(
        "democratische-legitimiteit",
        (
            "de gemeenschappelijke regeling",
            "het algemeen bestuur van de regio",
            "de regionale samenwerking",
            "de rol van de gemeenteraad in de regio",
        ),
        (
            "besluiten worden genomen zonder dat de raad echt kan bijsturen",
            "de raad krijgt stukken pas als alles al vastligt",
            "zienswijzen van de raad worden nauwelijks meegenomen",
            "niemand weet meer wie waarvoor verantwoordelijk is",
        ),
        (
            "een regionale raadscommissie met echte bevoegdheden",
            "vroegtijdig informeren van de raad over de regionale agenda",
            "een jaarlijkse regionale raadsconferentie",
            "heldere afspraken over de zienswijzeprocedure",
        ),
    ),
    Topic(
        "financien",
        (
            "de regionale begroting",
            "de bijdrage van onze gemeente aan de regio",
            "de financiering van regionale taken",
            "de kostenverdeelsleutel",
        ),
        (
            "de kosten stijgen elk jaar zonder dat wij daar grip op hebben",
            "de begroting komt te laat om er nog iets aan te veranderen",
            "kleine gemeenten betalen naar verhouding te veel",
            "tekorten worden achteraf over de gemeenten verdeeld",
        ),
        (
            "een meerjarig financieel kader dat de raden vooraf vaststellen",
            "een eerlijke verdeelsleutel die elke vier jaar wordt herzien",
            "een gezamenlijke auditcommissie voor de regio",
            "eerder overleg tussen de financiële woordvoerders",
        ),
    ),
    Topic(
        "wonen",
        (
            "de regionale woningbouwafspraken",
            "de woondeal van onze regio",
            "de verdeling van sociale huurwoningen",
            "de huisvesting van statushouders",
        ),
        (
            "elke gemeente bouwt voor zichzelf en de regio schiet tekort",
            "de afspraken met het Rijk zijn niet haalbaar",
            "kleine kernen komen er in de regionale plannen bekaaid af",
            "de provincie en de regio zitten elkaar in de weg",
        ),
        (
            "een regionale woonagenda met afspraken per gemeente",
            "samen optrekken richting provincie en Rijk",
            "een gezamenlijke grondpositie voor betaalbare woningen",
            "jaarlijks delen hoe ver elke gemeente is met bouwen",
        ),
    ),
    Topic(
        "energietransitie",
        (
            "de regionale energiestrategie",
            "de RES-regio",
            "de aanleg van zon- en windparken",
            "de warmtetransitie",
        ),
        (
            "inwoners voelen zich niet gehoord bij de keuze voor locaties",
            "het stroomnet is vol en dat remt alle plannen",
            "de RES is van de regio, maar de raad moet het uitleggen",
            "de ambities verschillen sterk tussen de gemeenten",
        ),
        (
            "lokaal eigendom van energieprojecten",
            "een regionaal energieloket voor inwoners",
            "gezamenlijke afspraken met de netbeheerder",
            "de raden samen laten kiezen tussen de zoekgebieden",
        ),
    ),
    Topic(
        "jeugdzorg",
        (
            "de regionale inkoop van jeugdzorg",
            "de jeugdzorgregio",
            "de specialistische jeugdhulp",
            "de samenwerking met de zorgaanbieders",
        ),
        (
            "de tekorten lopen op en de raad kan weinig doen",
            "wachtlijsten worden langer terwijl de kosten stijgen",
            "de regio maakt afspraken die lokaal niet passen",
            "er is te weinig zicht op wat de zorg oplevert",
        ),
        (
            "betere sturingsinformatie per gemeente",
            "een gezamenlijke inkoop met ruimte voor lokaal maatwerk",
            "een regionaal expertiseteam voor complexe casussen",
            "vaste momenten waarop de raden samen de koers bepalen",
        ),
    ),
    Topic(
        "digitalisering",
        (
            "de regionale ICT-samenwerking",
            "de informatiebeveiliging",
            "de gezamenlijke dienstverlening aan inwoners",
            "het werken met data in de regio",
        ),
        (
            "elke gemeente koopt eigen systemen en niets sluit op elkaar aan",
            "we zijn kwetsbaar voor een cyberaanval",
            "de kennis zit bij een paar mensen die overal tegelijk moeten zijn",
            "inwoners merken dat gemeenten hun gegevens niet delen",
        ),
        (
            "één regionaal ICT-bedrijf met een heldere opdracht",
            "gezamenlijk inkopen van software",
            "een gedeelde functionaris voor informatiebeveiliging",
            "een regionale datastrategie met waarborgen voor privacy",
        ),
    ),
    Topic(
        "personeel",
        (
            "de ambtelijke capaciteit",
            "het werven van specialisten",
            "de regionale arbeidsmarkt voor ambtenaren",
            "de uitvoeringskracht van kleine gemeenten",
        ),
        (
            "we vinden geen mensen voor specialistische functies",
            "gemeenten werven elkaars medewerkers weg",
            "de werkdruk is hoog en het verloop groot",
            "kennis verdwijnt als een medewerker vertrekt",
        ),
        (
            "een regionale flexpool van specialisten",
            "samen opleiden en doorstromen tussen gemeenten",
            "gedeelde functies voor kleine gemeenten",
            "een gezamenlijk traineeprogramma",
        ),
    ),
    Topic(
        "veiligheid",
        (
            "de veiligheidsregio",
            "de aanpak van ondermijning",
            "de regionale crisisorganisatie",
            "de samenwerking met politie en brandweer",
        ),
        (
            "de veiligheidsregio voelt ver weg van onze inwoners",
            "de burgemeester draagt verantwoordelijkheid zonder zeggenschap",
            "de raad hoort pas achteraf wat er besloten is",
            "de kosten van de brandweer stijgen sneller dan de bijdrage",
        ),
        (
            "een jaarlijkse bijeenkomst van de veiligheidsregio met alle raden",
            "een regionaal informatieknooppunt tegen ondermijning",
            "duidelijke afspraken over de rol van de burgemeester",
            "oefenen met de raden bij een crisis",
        ),
    ),
    Topic(
        "bereikbaarheid",
        (
            "het regionale openbaar vervoer",
            "de regionale mobiliteitsagenda",
            "de bereikbaarheid van de kleine kernen",
            "de fietsverbindingen tussen de gemeenten",
        ),
        (
            "buslijnen verdwijnen en de regio kan daar niets tegen doen",
            "de concessie wordt ver van de gemeenten gemaakt",
            "de belangen van stad en platteland botsen",
            "plannen stoppen bij de gemeentegrens",
        ),
        (
            "een mobiliteitsplan dat de raden samen vaststellen",
            "buurtbussen met steun van de regio",
            "één aanspreekpunt voor de vervoerder",
            "samen investeren in snelfietsroutes",
        ),
    ),
)

OPENINGS: dict[str, tuple[str, ...]] = {
    "raad": (
        "Als raadslid merk ik dat",
        "In onze raad zien we dat",
        "Vanuit de raad gezien is het zo dat",
        "Wat mij als volksvertegenwoordiger opvalt is dat",
    ),
    "bestuur": (
        "Vanuit het college zie ik dat",
        "Als bestuurder ervaar ik dat",
        "In het portefeuillehoudersoverleg merk ik dat",
        "Ons college ziet dat",
    ),
    "ambtelijk": (
        "In de ambtelijke praktijk zie ik dat",
        "Vanuit de organisatie merken we dat",
        "Als ambtenaar zie ik dagelijks dat",
        "In het ambtelijk overleg blijkt steeds dat",
    ),
    "samenwerkingsverband": (
        "Vanuit het samenwerkingsverband zien wij dat",
        "Als directeur van een regionale organisatie merk ik dat",
        "In onze gemeenschappelijke regeling ervaren we dat",
    ),
    "anders": (
        "Ik merk dat",
        "Wat mij opvalt is dat",
        "Mijn ervaring is dat",
    ),
}
JUDGEMENTS = (
    "goed loopt",
    "redelijk loopt, maar beter kan",
    "stroef verloopt",
    "veel tijd kost en weinig oplevert",
    "steeds belangrijker wordt",
    "ver van de inwoner af staat",
)
LINKS_FULL = (
    "Wat helpt is {remedy}.",
    "Mijn voorstel: {remedy}.",
    "In onze regio werkt dit goed: {remedy}.",
    "Ik zou graag zien dat we kiezen voor {remedy}.",
    "Een goede ervaring bij ons is {remedy}.",
)
CLOSINGS = (
    "Daar moeten we samen werk van maken.",
    "Dat vraagt wel tijd en geduld.",
    "Ik hoop dat andere gemeenten dat herkennen.",
    "Zo houden we de inwoner in het oog.",
    "Dan weet iedereen waar hij aan toe is.",
    "Dat kost geld, maar levert meer op.",
    "De raad moet daar wel vanaf het begin bij zijn.",
    "Kleine gemeenten hebben daar het meeste aan.",
)
EXAMPLES = (
    "Vorig jaar nog",
    "Bij de laatste begroting",
    "Afgelopen voorjaar",
    "Bij het laatste grote besluit",
    "Onlangs",
)
NOTE_STARTS = (
    "",
    "Klopt, ",
    "Goed punt, ",
    "Deels: ",
    "Let op: ",
    "Aanvulling: ",
    "Eerlijk gezegd: ",
)
NOTES = (
    "maar dat geldt niet voor elke gemeente",
    "dat zie ik in onze regio ook",
    "alleen is {remedy} dan nodig",
    "de raad moet daar wel eerder bij zijn",
    "het hangt erg af van de grootte van de gemeente",
    "daar gaat het juist mis bij {subject}",
    "dat herken ik niet in onze regio",
    "de kosten worden dan vergeten",
)
CONTACTS = (
    " Neem gerust contact op via 06-{a:04d}{b:04d}.",
    " Meer weten? Mail naar beleid{a}@voorbeeldgemeente.nl.",
    " Bel mij gerust op 030 {a:03d} {b:04d}.",
)
VNG = (
    "Ik verwacht van de VNG dat zij {remedy} ondersteunt.",
    "De VNG kan goede voorbeelden van {subject} verzamelen en delen.",
    "Help ons met kennis over {subject} en met een handreiking voor raadsleden.",
    "Zorg dat het Rijk rekening houdt met de praktijk van {subject}.",
)
OWN_MUNICIPALITY = (
    "Wij kunnen als gemeente zelf beginnen met {remedy}.",
    "Onze gemeente kan haar kennis over {subject} delen met de buurgemeenten.",
    "Wij willen de raad eerder betrekken bij {subject}.",
    "Wij kunnen tijd en mensen vrijmaken voor {remedy}.",
)
TROUBLE = (
    "Het probleem",
    "Wat er misgaat",
    "Waar het knelt",
    "Het gevolg",
    "Wat mij zorgen baart",
)
APPROACH = (
    "Er is vooral nodig: {remedy}. Nu is het zo: {problem}.",
    "Het begint met {remedy}, maar ook met vertrouwen tussen de gemeenten.",
    "Zonder {remedy} blijft het probleem bestaan: {problem}.",
    "Wat nodig is: {remedy}, en een bestuur dat de raad serieus neemt bij {subject}.",
)


class Writer:
    """Texts for one participant: their role group and topics of interest colour what they write."""

    def __init__(self, rng: random.Random, role_group: str, topics: tuple[Topic, ...]) -> None:
        self.rng = rng
        self.role_group = role_group
        self.topics = topics

    def topic(self) -> Topic:
        """Mostly one of the participant's own topics, now and then another."""
        if self.rng.random() < 0.8:
            return self.rng.choice(self.topics)
        return self.rng.choice(TOPICS)

    def _pick(self, topic: Topic) -> dict[str, str]:
        problem = self.rng.choice(topic.problems)
        return {
            "subject": self.rng.choice(topic.subjects),
            "problem": problem,
            "remedy": self.rng.choice(topic.remedies),
        }

    def _contact(self) -> str:
        if self.rng.random() >= 0.03:
            return ""
        template = self.rng.choice(CONTACTS)
        return template.format(a=self.rng.randrange(1000, 9999), b=self.rng.randrange(1000, 9999))

    def picture(self) -> str:
        """Verkennen 'beeld': how regional cooperation looks from where they sit."""
        topic = self.topic()
        words = self._pick(topic)
        opening = self.rng.choice(OPENINGS.get(self.role_group, OPENINGS["anders"]))
        first = f"{opening} {words['subject']} {self.rng.choice(JUDGEMENTS)}."
        second = f"{self.rng.choice(TROUBLE)}: {words['problem']}."
        if self.rng.random() < 0.4:
            second += f" {self.rng.choice(EXAMPLES)} bleek dat weer."
        elif self.rng.random() < 0.5:
            second += " " + self.rng.choice(CLOSINGS)
        return first + " " + second + self._contact()

    def remedy(self) -> str:
        """Verkennen 'oplossing' and Verrijken 'aanvulling': what works or would help."""
        topic = self.topic()
        words = self._pick(topic)
        text = self.rng.choice(LINKS_FULL).format(**words)
        text += f" Het gaat om {words['subject']}. {self.rng.choice(TROUBLE)}: {words['problem']}."
        if self.rng.random() < 0.6:
            text += " " + self.rng.choice(CLOSINGS)
        return text[0].upper() + text[1:] + self._contact()

    def example(self) -> str:
        topic = self.topic()
        words = self._pick(topic)
        return f"{self.rng.choice(EXAMPLES)} bij {words['subject']}: {words['problem']}."

    def expectation(self) -> str:
        words = self._pick(self.topic())
        return self.rng.choice(VNG).format(**words)

    def note(self) -> str:
        """A short addition to a reaction."""
        words = self._pick(self.topic())
        return self.rng.choice(NOTE_STARTS) + self.rng.choice(NOTES).format(**words)

    def approach(self) -> str:
        words = self._pick(self.topic())
        return self.rng.choice(APPROACH).format(**words)

    def own_part(self) -> str:
        words = self._pick(self.topic())
        return self.rng.choice(OWN_MUNICIPALITY).format(**words)


def topics_in(text: str) -> frozenset[str]:
    """The topics whose words a text uses (a participant's view of a contribution)."""
    lowered = text.lower()
    return frozenset(
        topic.key
        for topic in TOPICS
        if any(part.lower() in lowered for part in (*topic.subjects, *topic.remedies))
    )
