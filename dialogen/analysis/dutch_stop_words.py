"""Dutch stop words: words that say nothing about a theme, written for this project.

Function words (articles, pronouns, prepositions, conjunctions), the forms of auxiliary and very
common verbs, and adverbs and adjectives that colour a sentence without naming a subject ("echt",
"heel", "belangrijk"). Both written forms and lemmas are listed, because a word is checked as
written and as its lemma (`dutch_text.is_stop_word`).
"""

from __future__ import annotations

_FUNCTION_WORDS = """
de het een der den des
ik je jij u hij zij ze wij we jullie men mij me mijn mijne jou jouw uw hem haar hen hun zich
zichzelf ons onze elkaar iemand niemand iets niets alles allen iedereen ieder iedere elk elke
die dat deze dit wie wat welk welke waar waarom wanneer hoe hoeveel zo zulke zulk zo'n
er hier daar daarin daarop daarmee daarvan daarvoor daarbij daarover daarna daardoor daarnaast
erin erop ermee ervan ervoor erbij erover eruit erdoor eraan waarin waarop waarmee waarvan
waarvoor waarbij waarover waardoor hierin hierop hiermee hiervan hiervoor hierbij hierover
en of maar want dus noch omdat doordat zodat terwijl als toen wanneer indien tenzij hoewel
ofwel zowel alsof dan nadat voordat totdat sinds zodra mits
aan achter bij binnen boven buiten door in langs met na naar naast om onder op over per sinds
te tegen tot tussen uit van via voor vanaf vanuit zonder rond rondom richting namens volgens
dankzij wegens
niet geen wel ook nog al toch maar even steeds altijd nooit soms vaak telkens weer meer
minder meest minst veel weinig zeer heel erg best vrij zeker echt eigenlijk gewoon juist
vooral alleen slechts pas reeds nu toen straks later eerder eerst daarna verder bovendien
daarom echter immers namelijk wellicht misschien waarschijnlijk natuurlijk uiteraard inderdaad
helemaal bijna nauwelijks ongeveer ruim genoeg zelfs ofwel hoor ja nee jawel oké ok
zelf eens elders ergens nergens overal samen apart ieders anders
wat welke zoveel zoals zolang zover tevens alsnog enigszins
één twee drie vier vijf zes zeven acht negen tien eerste tweede derde
"""

_VERB_FORMS = """
zijn ben bent is was waren geweest wees
hebben heb hebt heeft had hadden gehad
worden word wordt werd werden geworden
kunnen kan kun kunt kon konden gekund
moeten moet moest moesten gemoeten
zullen zal zult zou zouden
willen wil wilt wilde wilden wou gewild
mogen mag mocht mochten gemogen
gaan ga gaat ging gingen gegaan
komen kom komt kwam kwamen gekomen
doen doe doet deed deden gedaan
laten laat liet lieten gelaten
maken maak maakt maakte maakten gemaakt
krijgen krijg krijgt kreeg kregen gekregen
zien zie ziet zag zagen gezien
geven geef geeft gaf gaven gegeven
staan sta staat stond stonden gestaan
blijven blijf blijft bleef bleven gebleven
liggen ligt lag lagen gelegen
zitten zit zat zaten gezeten
houden houd houdt hield hielden gehouden
vinden vind vindt vond vonden gevonden
denken denk denkt dacht dachten gedacht
weten weet wist wisten geweten
zeggen zeg zegt zei zeiden gezegd
lijken lijkt leek leken geleken
betekenen betekent betekende
hoeven hoeft hoefde
"""

_PLAIN_WORDS = """
goed beter best slecht groot grote groter klein kleine kleiner belangrijk belangrijke belangrijker
nodig mogelijk mogelijke duidelijk duidelijke lastig lastige moeilijk moeilijke makkelijk
vaak graag nieuw nieuwe ander andere verschillende diverse allerlei bepaalde bepaald
zaak zaken ding dingen manier keer kant vraag vragen punt punten deel gevolg geval gevallen
jaar jaren tijd moment beetje heleboel paar aantal
"""

STOP_WORDS: frozenset[str] = frozenset(
    word for block in (_FUNCTION_WORDS, _VERB_FORMS, _PLAIN_WORDS) for word in block.split()
)
