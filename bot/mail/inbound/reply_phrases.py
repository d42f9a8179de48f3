"""What mail clients write above a quoted or forwarded message, per language: data only.

Every string here was read from a real client localisation, not translated by us. Per language:

* ``wrote`` — attribution lines ("On {date} {time}, {who} wrote:"). ``{who}``, ``{date}`` and
  ``{time}`` stand for the sender, the date and the time; anything may stand there.
* ``separators`` — the words of an original or forwarded message separator
  ("-------- Original Message --------"), without the dashes.
* ``fields`` — the field names of a header block above a quoted message ("From: / Sent: / To: /
  Subject:"), grouped by role: ``from``, ``date`` (sent or date), ``to``, ``cc``, ``subject``.
* ``sent_from`` — the start of a "sent from my phone" signature line.

Sources (cited per language below by their locale code in each repository):

* ``TB``: Thunderbird desktop, repository thunderbird/thunderbird-l10n,
  ``<locale>/mail/chrome/messenger/messengercompose/composeMsgs.properties``
  (``mailnews.reply_header_authorwrotesingle``, ``..._ondateauthorwrote``,
  ``..._authorwroteondate``, ``mailnews.reply_header_originalmessage``,
  ``mailnews.forward_header_originalmessage``) and
  ``<locale>/mail/chrome/messenger/mime.properties`` (1000 Subject, 1007 Date, 1009 From,
  1012 To, 1013 CC, 1041 original message).
* ``K9``: Thunderbird for Android (K-9 Mail), repository thunderbird/thunderbird-android,
  ``legacy/ui/legacy/src/main/res/values-<locale>/strings.xml``
  (``message_compose_reply_header_fmt``, ``..._fmt_with_date``,
  ``message_compose_quote_header_separator``, ``..._from``, ``..._send_date``, ``..._to``,
  ``..._cc``, ``..._subject``). Its quote header copies Outlook's.
* ``MPR``: mail-parser-reply (alfonsrv/mail-parser-reply, ``mailparser_reply/constants.py``):
  Outlook header words and phone signatures collected from real mails (en, cs, da, de, es, fr,
  it, nl, pl, sv).
* ``RWH``: ReplyWithHeader (jeevatkm/ReplyWithHeaderMozilla, ``content/rwh-i18n.js``), which
  reproduces Outlook's header block: "Envoyé :", "Message d'origine", "Ursprüngliche Nachricht".
* ``SEEN``: kept from the earlier Dutch/English extractor, written after real Apple Mail, Outlook
  and Gmail replies in ``tests/bot/mail_fixtures`` (Apple's "het volgende geschreven", Outlook's
  "-----Oorspronkelijk bericht-----", Gmail's "Doorgestuurd bericht").

No public localisation of a mail client in Maltese (mt) was found; Maltese officials' clients
mostly run in English, which is covered.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Language", "LANGUAGES", "DEVICES"]


@dataclass(frozen=True)
class Language:
    sources: str
    wrote: tuple[str, ...] = ()
    separators: tuple[str, ...] = ()
    fields: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sent_from: tuple[str, ...] = ()


def _fields(from_: str, date: str, to: str, cc: str, subject: str) -> dict[str, tuple[str, ...]]:
    """Field names by role; several names for one role are separated by ``|``."""
    roles = {"from": from_, "date": date, "to": to, "cc": cc, "subject": subject}
    return {role: tuple(names.split("|")) for role, names in roles.items()}


LANGUAGES: dict[str, Language] = {
    "bg": Language(
        "TB bg; K9 bg",
        (
            "{who} написа:",
            "На {date} в {time}, {who} написа:",
            "{who} написа на {date} в {time}:",
            "На {date}, {who} написа:",
        ),
        ("Оригинално писмо", "Препратено писмо"),
        _fields("От", "Дата|Изпрати до", "До", "CC|Копие", "Тема"),
    ),
    "cs": Language(
        "TB cs; K9 cs; MPR cs",
        (
            "{who} napsal(a):",
            "Dne {date} v {time} {who} napsal(a):",
            "{who} napsal(a) dne {date} v {time}:",
            "{date}, {who} napsal:",
        ),
        ("Původní zpráva", "Přeposlaná zpráva"),
        _fields("Od|Odesílatel", "Datum|Odesláno", "Komu", "Kopie", "Předmět"),
        ("Odesláno z mého",),
    ),
    "da": Language(
        "TB da; K9 da; MPR da",
        (
            "{who} skrev:",
            "Den {date} kl. {time} skrev {who}:",
            "{who} skrev den {date} kl. {time}:",
            "Den {date}, {who} skrev:",
        ),
        (
            "Oprindelig meddelelse",
            "Videresendt meddelelse",
            "Original meddelelse",
            "Original besked",
        ),
        _fields("Fra", "Dato|Sendt", "Til", "Kopi til (CC)|Kopi|Cc", "Emne"),
        ("Sendt fra min", "Sendt fra Outlook", "Hent Outlook til"),
    ),
    "de": Language(
        "TB de; K9 de; MPR de; RWH de",
        (
            "{who} schrieb:",
            "Am {date} um {time} schrieb {who}:",
            "{who} schrieb am {date} um {time}:",
            "Am {date} schrieb {who}:",
        ),
        ("Original-Nachricht", "Weitergeleitete Nachricht", "Ursprüngliche Nachricht"),
        _fields("Von", "Datum|Gesendet", "An", "Kopie (CC)|CC", "Betreff"),
        ("Gesendet von",),
    ),
    "el": Language(
        "TB el; K9 el",
        (
            "Ο/Η {who} έγραψε:",
            "Στις {date} {time}, ο/η {who} έγραψε:",
            "Ο/Η {who} έγραψε στις {date} {time}:",
        ),
        ("Αρχικό μήνυμα", "Προωθημένο μήνυμα", "Πρωτότυπο μήνυμα"),
        _fields("Από", "Ημερομηνία|Αποστολή", "Προς", "Κοιν.|Κοιν", "Θέμα"),
    ),
    "en": Language(
        "TB en-GB; K9 (values); MPR en; RWH en; SEEN",
        ("{who} wrote:", "On {date} {time}, {who} wrote:", "{who} wrote on {date} {time}:"),
        ("Original Message", "Forwarded Message", "Forwarded message", "Begin forwarded message"),
        _fields("From", "Date|Sent", "To", "CC", "Subject"),
        ("Sent from my", "Get Outlook for"),
    ),
    "es": Language(
        "TB es-ES; K9 es; MPR es",
        (
            "{who} escribió:",
            "El {date} a las {time}, {who} escribió:",
            "{who} escribió el {date} a las {time}:",
            "El {date}, {who} escribió:",
        ),
        ("Mensaje original", "Mensaje reenviado", "correo original"),
        _fields("De", "Fecha|Enviado", "Para", "CC", "Asunto"),
        ("Enviado desde mi",),
    ),
    "et": Language(
        "TB et; K9 et",
        ("{who} kirjutas:", "{date} {time} {who} kirjutas:", "{who} kirjutas {date} {time}:"),
        ("Algne kiri", "Edastatud kiri"),
        _fields("Saatja|Kellelt", "Kuupäev|Saadetud", "Saaja|Kellele", "Koopia", "Teema"),
    ),
    "fi": Language(
        "TB fi; K9 fi",
        ("{who} kirjoitti:", "{who} kirjoitti {date} klo {time}:", "{date} {who} kirjoitti:"),
        ("Alkuperäinen viesti", "Välitetty viesti"),
        _fields("Lähettäjä", "Päiväys|Lähetetty", "Vastaanottaja", "CC|Kopio", "Aihe"),
    ),
    "fr": Language(
        "TB fr; K9 fr; MPR fr; RWH fr",
        (
            "{who} a écrit :",
            "Le {date} à {time}, {who} a écrit :",
            "{who} a écrit le {date} à {time} :",
            "Le {date}, {who} a écrit :",
        ),
        ("Message original", "Message transféré", "Courriel initial", "Message d'origine"),
        _fields("De", "Date|Envoyé", "Pour|À", "Copie à|Cc", "Sujet|Objet"),
        ("Envoyé depuis",),
    ),
    "fy": Language(
        "TB fy-NL; K9 fy",
        (
            "{who} skreau:",
            "Op {date} om {time}, skreau {who}:",
            "{who} skreau op {date} om {time}:",
            "{who} skreau op {date}:",
        ),
        ("Oarspronklik berjocht", "Trochstjoerd berjocht", "Orizjineel berjocht"),
        _fields("Fan", "Datum|Ferstjoerd", "Oan", "CC", "Underwerp"),
    ),
    "ga": Language(
        "TB ga-IE; K9 ga",
        ("Scríobh {who}:", "Ar {date} {time}, scríobh {who}:", "Scríobh {who} ar {date} {time}:"),
        ("Teachtaireacht Bhunaidh", "Teachtaireacht Ar Aghaidh", "Bunteachtaireacht"),
        _fields("Ó", "Dáta|Seolta", "Chuig", "Cc", "Ábhar"),
    ),
    "hr": Language(
        "TB hr; K9 hr",
        (
            "{who} piše:",
            "{date} u {time}, {who} piše:",
            "{who} napisao je {date} u {time}:",
            "{who} je napisao:",
        ),
        ("Izvorna poruka", "Proslijeđena poruka", "Originalna Poruka"),
        _fields("Šalje|Od", "Datum|Poslano", "Prima|Za", "CC", "Naslov"),
    ),
    "hu": Language(
        "TB hu; K9 hu",
        (
            "{who} írta:",
            "{date} {time} keltezéssel, {who} írta:",
            "{who} írta {date} {time} dátummal:",
            "Ekkor: {date}, {who} írta:",
        ),
        ("Eredeti üzenet", "Továbbított üzenet"),
        _fields("Feladó", "Dátum|Elküldve", "Címzett", "CC|Másolat", "Tárgy"),
    ),
    "it": Language(
        "TB it; K9 it; MPR it",
        (
            "{who} ha scritto:",
            "Il {date} {time}, {who} ha scritto:",
            "{who} ha scritto il {date} alle {time}:",
        ),
        ("Messaggio originale", "Messaggio Inoltrato"),
        _fields("Mittente|Da", "Data|Inviato il|Inviato", "A", "CC", "Oggetto"),
        ("Inviato da",),
    ),
    "lt": Language(
        "TB lt; K9 lt",
        (
            "{who} rašė:",
            "{date} {time}, {who} rašė:",
            "{who} rašė {date} {time}:",
            "{date}, {who} parašė:",
        ),
        (
            "Originalus laiškas",
            "Persiųstas laiškas",
            "Originalaus laiško tekstas",
            "Originalus tekstas",
        ),
        _fields("Kas|Nuo", "Data|Išsiųsta", "Kam", "Kopija|Cc", "Tema"),
    ),
    "lv": Language(
        "TB lv; K9 lv",
        ("{who} rakstīja:", "{date} {time} {who} rakstīja:", "Datumā {date}, {who} rakstīja:"),
        ("Sākotnējā vēstule", "Pārsūtītā vēstule", "Sākotnējā ziņa"),
        _fields("No|Kas", "Datums|Nosūtīts", "Uz|Kam", "Kopija|Cc", "Temats"),
    ),
    "nb": Language(
        "TB nb-NO; K9 nb",
        ("skrev {who}:", "Den {date} {time}, skrev {who}:", "{who} skrev den {date} {time}:"),
        ("Opprinnelig melding", "Videresendt melding", "Original Melding"),
        _fields("Fra", "Dato|Sendt", "Til", "CC|Kopi", "Emne"),
    ),
    "nl": Language(
        "TB nl; K9 nl; MPR nl; SEEN",
        (
            "{who} schreef:",
            "Op {date} om {time} schreef {who}:",
            "{who} schreef op {date} om {time}:",
            "{who} schreef op {date}:",
            "Op {date} schreef {who}:",
            "Op {date} om {time} heeft {who} het volgende geschreven:",
            "Op {date} heeft {who} het volgende geschreven:",
        ),
        (
            "Oorspronkelijk bericht",
            "Doorgestuurd bericht",
            "Origineel bericht",
            "Begin doorgestuurd bericht",
        ),
        _fields("Van", "Datum|Verzonden", "Aan", "CC", "Onderwerp"),
        ("Verzonden vanaf mijn",),
    ),
    "nn": Language(
        "TB nn-NO; K9 nn",
        ("{who} skreiv:", "Den {date} {time}, skreiv {who}:", "{who} skreiv den {date} {time}:"),
        ("Opphavleg melding", "Vidaresend melding"),
        _fields("Frå", "Dato|Sendt", "Til", "CC|Kopi", "Emne"),
    ),
    "pl": Language(
        "TB pl; K9 pl; MPR pl",
        (
            "{who} pisze:",
            "W dniu {date} o {time}, {who} pisze:",
            "{who} napisał/a:",
            "Dnia {date}, {who} napisał/a:",
            "Dnia {date} {who} napisał(a):",
        ),
        ("Treść oryginalnej wiadomości", "Treść przekazanej wiadomości", "Wiadomość oryginalna"),
        _fields("Nadawca|Od", "Data|Wysłane|Wysłano", "Adresat|Do", "Kopia|DW", "Temat"),
        ("Wysłano z",),
    ),
    "pt": Language(
        "TB pt-PT; K9 pt-rPT",
        (
            "{who} escreveu:",
            "Às {time} de {date}, {who} escreveu:",
            "{who} escreveu às {time} de {date}:",
            "A {date}, {who} escreveu:",
        ),
        ("Mensagem original", "Mensagem reencaminhada"),
        _fields("De", "Data|Enviado", "Para", "CC", "Assunto"),
    ),
    "ro": Language(
        "TB ro; K9 ro",
        (
            "{who} a scris:",
            "La {date} {time}, {who} a scris:",
            "{who} a scris la {date} {time}:",
            "În {date}, {who} a scris:",
        ),
        ("Mesajul original", "Mesaj redirecționat", "Mesaj Original"),
        _fields("De la", "Dată|Trimis", "Către|La", "CC", "Subiect"),
    ),
    "ru": Language(
        "TB ru; K9 ru",
        ("{who} пишет:", "{date} {time}, {who} пишет:", "{who} пишет {date} {time}:"),
        ("Исходное сообщение", "Перенаправленное сообщение"),
        _fields("От", "Дата|Отправлено", "Кому", "Копия", "Тема"),
    ),
    "sk": Language(
        "TB sk; K9 sk",
        (
            "{who} napísal(a):",
            "Dňa {date} o {time} {who} napísal(a):",
            "{who} napísal(a) dňa {date} o {time}:",
            "Používateľ {who} napísal:",
            "Dňa {date} používateľ {who} napísal:",
        ),
        ("Pôvodná správa", "Preposlaná správa"),
        _fields("Od", "Dátum|Odoslané", "Pre|Komu", "Kópia", "Predmet"),
    ),
    "sl": Language(
        "TB sl; K9 sl",
        (
            "{who} je napisal(a):",
            "{who} je {date} ob {time} napisal:",
            "{who} sporoča:",
            "Dne {date}, {who} sporoča:",
        ),
        ("Izvirno sporočilo", "Posredovano sporočilo"),
        _fields("Od", "Datum|Poslano", "Za", "Kp", "Zadeva"),
    ),
    "sv": Language(
        "TB sv-SE; K9 sv; MPR sv",
        (
            "{who} skrev:",
            "Den {date} kl. {time}, skrev {who}:",
            "{who} skrev den {date} kl. {time}:",
            "Den {date}, {who} skrev:",
        ),
        ("Ursprungligt meddelande", "Vidarebefordrat meddelande", "Originalmeddelande"),
        _fields("Från", "Datum|Skickat", "Till", "Kopia", "Ämne"),
        ("Skickat från min",),
    ),
    "uk": Language(
        "TB uk; K9 uk",
        ("{who} написав:", "{who} пише:", "{who} пише {date} {time}:", "{date}, {who} пише:"),
        ("Початкове повідомлення", "Переслане повідомлення", "Оригінальне Повідомлення"),
        _fields("Від", "Дата|Надіслано", "Кому", "CC|Копія", "Тема"),
    ),
}

#: Devices and mail apps named in "sent from my phone" lines in any language ("Envoyé de mon
#: iPhone", "Отправлено с iPhone", "Get Outlook for Android"): the name is the same everywhere.
DEVICES = (
    "iPhone",
    "iPad",
    "iPod",
    "Apple Watch",
    "Android",
    "Samsung",
    "Galaxy",
    "BlackBerry",
    "Huawei",
    "Xiaomi",
    "Redmi",
    "OnePlus",
    "Fairphone",
    "Nokia",
    "Motorola",
    "Outlook",
    "Gmail",
    "Yahoo Mail",
    "Proton Mail",
    "Mail for Windows",
    "iOS",
    "K-9 Mail",
    "FairEmail",
    "Thunderbird",
)
