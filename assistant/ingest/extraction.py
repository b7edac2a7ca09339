"""Propose a document's metadata from its text: a header block ("title: …"), or the
title line, the date and the administrative reference found in the first page, and the
issuer that the title or the letterhead names ("Le préfet de la Seine-Maritime",
"Note de service du réseau RIAHN", "Direction générale de la santé", "ARS Normandie")."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from .cleaning import OPEN_ENDINGS

# The months in French, in order (« janvier » is month 1): the one list of their names.
FRENCH_MONTHS: tuple[str, ...] = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
_MONTHS = {m: i for i, m in enumerate(FRENCH_MONTHS, 1)}
_MONTHS.update({"fevrier": 2, "aout": 8, "decembre": 12})
_DATE_FR = re.compile(r"\b(1er|[0-3]?\d)\s+(" + "|".join(_MONTHS) + r")\s+((?:19|20)\d\d)\b", re.I)
_DATE_ISO = re.compile(r"\b((?:19|20)\d\d)-(\d\d)-(\d\d)\b")
_DATE_NUM = re.compile(r"\b([0-3]?\d)\s*[-/.]\s*([01]?\d)\s*[-/.]\s*((?:19|20)\d\d)\b")
# « Version de mars 2023 », « Mars 2023 », « mise à jour : juin 2021 »: a month without
# its day, as title pages and guides are dated.
_MONTH_YEAR = re.compile(r"\b(" + "|".join(_MONTHS) + r")\s+((?:19|20)\d\d)\b", re.I)
# References of French administrative texts: DGS/SP3/2022/114, NM/DR/00-04/609,
# n° 99.648, NOR: SSAP2212345J.
_REFERENCES = (
    re.compile(r"\b[A-Z]{2,}(?:/[A-Z0-9]{1,10}){1,5}/\d{2,4}(?:[-/]\d{1,4})*\b"),
    re.compile(r"\bn°\s*\d{2,4}[.-]\d{2,5}\b", re.I),
    re.compile(r"\bNOR\s*:?\s*[A-Z]{4}\d{7}[A-Z]\b"),
)
_HEADER_LINE = re.compile(
    r"^(title|titre|source|date|type|issuer|émetteur|reference|référence)\s*:\s*(.*)$", re.I
)
_HEADER_KEYS = {
    "titre": "title",
    "émetteur": "issuer",
    "référence": "reference",
}
_REPEALED = re.compile(r"\babrog(?:é|e|ation)", re.I)

# Issuers of the texts of the field. A proper name: capitalised words, with hyphens and
# the small words between them ("Seine-Maritime", "Provence-Alpes-Côte d'Azur").
_CAP = r"[A-ZÀ-ÖØ-Þ][\w'’-]*"
_NAME = rf"{_CAP}(?:[ -](?:(?:de|du|des|d'|d’|la|et|sur|en)[ ]?)?{_CAP})*"
_OF = r"(?:de la |de l'|de l’|du |des |de |d'|d’)"
_ISSUERS: tuple[re.Pattern[str], ...] = (
    # A state body named in full.
    re.compile(
        r"\b(?:Direction générale de la santé|Direction générale de l[’']offre de soins"
        r"|Direction générale de la cohésion sociale"
        r"|Direction de l[’']hospitalisation et de l[’']organisation des soins"
        r"|Mission interministérielle de lutte contre les drogues et les conduites addictives"
        r"|Mission interministérielle de lutte contre la drogue et la toxicomanie"
        r"|Haute Autorité de santé|Santé publique France|Institut national du cancer"
        r"|Observatoire français des drogues et des (?:tendances addictives|toxicomanies)"
        r"|Fédération Addiction|Assurance maladie|Premier ministre)\b",
        re.I,
    ),
    # Their acronyms, in capitals only (DGS also opens references: DGS/SP3/2022/114).
    re.compile(r"\b(?:MILDECA|MILDT|DGS|DGOS|DGCS|DHOS|OFDT|INCa|CNAM|HAS)\b"),
    # A regional health agency: "ARS Normandie", "Agence régionale de santé de Normandie".
    re.compile(rf"\b(?:ARS|Agence régionale de santé)(?: {_OF}?| d[’']){_NAME}"),
    # A prefect or a prefecture: "Le préfet de la Seine-Maritime", "Préfecture du Nord",
    # "La préfète de la région Normandie".
    re.compile(
        rf"\b(?:[Pp]réf(?:et|ète|ecture)){_OF.replace('(?:', '(?: ', 1)}"
        rf"(?:(?:région|département|zone de défense(?: et de sécurité)?) {_OF}?)?{_NAME}"
    ),
    # A ministry: up to the end of its name.
    re.compile(r"\bMinist[èe]re (?:de la |de l[’']|des |du |chargé )[^\n,.;:()—–]{3,70}", re.I),
    # A network, an association, a federation, a hospital named by its proper name or
    # acronym: "du réseau RIAHN", "Association Addictions France".
    re.compile(
        rf"\b(?:[Rr]éseau|[Aa]ssociation|[Ff]édération|[Cc]entre hospitalier"
        rf"(?: universitaire)?|CSAPA|CAARUD|CHU) (?:{_OF})?{_NAME}"
    ),
)
# How far the letterhead goes: the first lines of the first page.
_LETTERHEAD_LINES = 15


@dataclass
class Proposal:
    """Metadata read from a document, and the body without its header block."""

    fields: dict[str, str] = field(default_factory=dict)
    body: str | None = None  # set when a header block was removed
    notes: list[str] = field(default_factory=list)


def parse_date(text: str) -> dt.date | None:
    """The first valid date of the text (ISO, "4 novembre 2009", "6 - 5 - 2000", and a
    month alone, "mars 2023", as the first of that month: see ``find_date``)."""
    found = find_date(text)
    return found[0] if found else None


def find_date(text: str) -> tuple[dt.date, str | None] | None:
    """The first valid date of the text and, when the text names only its month
    ("Version de mars 2023"), that month as written ("mars 2023", else None).

    A sidecar's date is a full ``AAAA-MM-JJ`` (``corpus.DocMeta.date``): a month alone
    is proposed as its first day, and the month as written goes to ``date_note`` so
    that the maintainer sees the day was not given. None when the text has no date.
    """
    found: list[tuple[int, dt.date, str | None]] = []
    full: list[tuple[int, int]] = []  # spans of full dates: their month is no month alone
    for m in _DATE_ISO.finditer(text):
        with contextlib.suppress(ValueError):
            found.append((m.start(), dt.date(int(m[1]), int(m[2]), int(m[3])), None))
    for m in _DATE_FR.finditer(text):
        full.append(m.span())
        day = 1 if m[1].lower() == "1er" else int(m[1])
        with contextlib.suppress(ValueError):
            found.append((m.start(), dt.date(int(m[3]), _MONTHS[m[2].lower()], day), None))
    for m in _DATE_NUM.finditer(text):
        with contextlib.suppress(ValueError):
            found.append((m.start(), dt.date(int(m[3]), int(m[2]), int(m[1])), None))
    for m in _MONTH_YEAR.finditer(text):
        if not any(s <= m.start() < e for s, e in full):
            written = " ".join(m.group(0).lower().split())
            found.append((m.start(), dt.date(int(m[2]), _MONTHS[m[1].lower()], 1), written))
    if not found:
        return None
    _, date, month = min(found, key=lambda t: t[0])
    return date, month


def find_reference(text: str) -> str | None:
    for rx in _REFERENCES:
        m = rx.search(text)
        if m:
            return m.group(0).strip()
    return None


def propose(text: str, declared: Mapping[str, str] | None = None) -> Proposal:
    """What can be read of the metadata; the maintainer confirms or corrects it.

    ``declared`` is what the file's markup says of itself (a Markdown front matter, an
    HTML page's metadata: ``markup.Converted.meta``): its title and date win over those
    guessed from the text; its description and tags go to ``notes``; its type, or a tag,
    is proposed as the type when it names a known one.
    """
    prop = _propose_from_text(text)
    if declared:
        _apply_declared(prop, declared)
    if "type" not in prop.fields and (kind := type_from_title(prop.fields.get("title", ""))):
        prop.fields["type"] = kind
    return prop


# The opening words of a title that name its type ("Instruction du 3 mars 2022…",
# "Guide pratique…", "Arrêté du…"), accents aside. "Article" is not among them: a title
# "Article L3411-1" is a provision of a code, not an article.
_TITLE_TYPES = {
    "lettre de mission": "lettre_de_mission",
    "note": "note",
    "circulaire": "circulaire",
    "instruction": "instruction",
    "bulletin": "bulletin",
    "guide": "guide",
    "fiche": "fiche",
    "rapport": "rapport",
    "loi": "loi",
    "code": "code",
    "decret": "decret",
    "arrete": "arrete",
}


def type_from_title(title: str) -> str | None:
    """The type (a key of ``corpus.DOC_TYPES``) that the title's opening word names
    ("Instruction du 3 mars 2022…" → "instruction", "Guide pratique…" → "guide"), else
    None."""
    from .corpus import DOC_TYPES

    words = _fold(title).split()
    for size in (3, 1):
        kind = _TITLE_TYPES.get(" ".join(words[:size]))
        if kind in DOC_TYPES:
            return kind
    return None


def _fold(text: str) -> str:
    """Lower case, without accents, words only ("Arrêté n°12" → "arrete n 12")."""
    bare = unicodedata.normalize("NFKD", text.lower())
    bare = "".join(c for c in bare if not unicodedata.combining(c))
    return " ".join(re.findall(r"\w+", bare))


def _apply_declared(prop: Proposal, declared: Mapping[str, str]) -> None:
    from .corpus import DOC_TYPES

    if declared.get("title"):
        prop.fields["title"] = declared["title"][:200]
    declared_date = find_date(declared.get("date", ""))
    if declared_date:
        prop.fields["date"] = declared_date[0].isoformat()
        prop.fields.pop("date_note", None)
        _note_month(prop, declared_date[1])
    notes = [
        f"{label} : {declared[key]}"
        for key, label in (("description", "Description"), ("tags", "Mots-clés"))
        if declared.get(key)
    ]
    if notes and "notes" not in prop.fields:
        prop.fields["notes"] = "\n".join(notes)
    if "type" not in prop.fields:
        labels = {label.lower(): slug for slug, label in DOC_TYPES.items()}
        candidates = [declared.get("type", ""), *declared.get("tags", "").split(",")]
        for candidate in (c.strip().lower() for c in candidates):
            slug = candidate if candidate in DOC_TYPES else labels.get(candidate)
            if slug:
                prop.fields["type"] = slug
                break
    if _REPEALED.search(prop.fields.get("title", "")) and "status" not in prop.fields:
        prop.fields["status"] = "abroge"
        prop.notes.append("le titre indique un texte abrogé")


def _propose_from_text(text: str) -> Proposal:
    lines = text.splitlines()
    header: dict[str, str] = {}
    i = 0
    while i < len(lines) and (m := _HEADER_LINE.match(lines[i].strip())):
        key = m.group(1).lower()
        header[_HEADER_KEYS.get(key, key)] = m.group(2).strip()
        i += 1
    prop = Proposal()
    if len(header) >= 2 and "title" in header:
        prop.body = "\n".join(lines[i:]).lstrip("\n")
        for key in ("title", "type", "issuer", "reference", "source"):
            if header.get(key):
                prop.fields[key] = header[key]
        raw_date = header.get("date", "")
        date = parse_date(raw_date)
        if date:
            prop.fields["date"] = date.isoformat()
            if raw_date.strip() != date.isoformat():
                prop.fields["date_note"] = raw_date
        elif raw_date:
            prop.fields["date_note"] = raw_date
        head = prop.body[:3000]
    else:
        head = text[:3000]
        title = _title(lines)
        if title:
            prop.fields["title"] = title[:200]
        if issuer := find_issuer(title, lines):
            prop.fields["issuer"] = issuer
        found = find_date(head)
        if found:
            prop.fields["date"] = found[0].isoformat()
            _note_month(prop, found[1])
    # References often close a text ("Instruction N° … du 19 avril 2022"): look everywhere.
    if "reference" not in prop.fields and (ref := find_reference(prop.body or text)):
        prop.fields["reference"] = ref
    if _REPEALED.search(prop.fields.get("title", "")):
        prop.fields["status"] = "abroge"
        prop.notes.append("le titre indique un texte abrogé")
    return prop


def _note_month(prop: Proposal, month: str | None) -> None:
    """Say, beside a date read from a month alone, that its day is the first by default."""
    if month:
        prop.fields["date_note"] = month
        prop.notes.append(f"date lue : {month}, sans le jour : le 1er du mois est proposé")


def find_issuer(title: str, lines: list[str]) -> str | None:
    """The issuer named in the title (anywhere in it) or on a line of the letterhead
    (the first ``_LETTERHEAD_LINES`` non-empty lines: anywhere on a short line of at most
    100 characters that is not a sentence, else at the line's start only), as written,
    its first letter capitalised and a leading article dropped ("Le préfet de la
    Seine-Maritime" → "Préfet de la Seine-Maritime"); several are joined by ", " (at
    most 3). None when none is named.
    """
    found: list[str] = []

    def collect(text: str, at_start: bool) -> None:
        hits = []
        for rx in _ISSUERS:
            for m in rx.finditer(text):
                before = text[: m.start()].strip()
                if at_start and before not in ("", "Le", "La", "L'", "L’", "Les"):
                    continue
                hits.append((m.start(), m.group(0)))
        for _, hit in sorted(hits):
            name = " ".join(hit.split()).rstrip(" -'’")
            name = name[0].upper() + name[1:]
            if not any(name == f or name in f for f in found):
                found.append(name)

    collect(" ".join(title.split()), at_start=False)
    head = [" ".join(ln.split()) for ln in lines if ln.strip()][:_LETTERHEAD_LINES]
    for line in head:
        # A letterhead line is short and no sentence; elsewhere only a line's opening.
        collect(line, at_start=len(line) > 100 or line.endswith((".", "!", "?", ";")))
    return ", ".join(found[:3]) or None


def _title(lines: list[str]) -> str:
    """The first line longer than 8 characters that is not repeated furniture (see
    ``_repeated_lines``), with the lines that continue it (up to
    3, with no blank line between: the line ends open, "… permanences de", see
    ``cleaning.OPEN_ENDINGS``, or the next one starts in lower case), spaces squashed
    ("Note  de  service", as some PDFs give justified text, becomes "Note de service").
    "" when there is none."""
    repeated = _repeated_lines(lines)
    first = next(
        (
            i
            for i, ln in enumerate(lines)
            if len(ln.strip().lstrip("#").strip()) > 8 and not _is_repeated(ln, repeated)
        ),
        None,
    )
    if first is None:
        return ""
    title = " ".join(lines[first].strip().lstrip("#").split())
    for line in lines[first + 1 : first + 4]:
        nxt = " ".join(line.split())
        if not nxt or title.endswith((".", "!", "?", ":", ";")):
            break
        open_end = title.split()[-1].lower() in OPEN_ENDINGS or title.endswith(("'", "’", "-"))
        # « mise à jour : juin 2021 » under a complete title dates it; it does not go on.
        if open_end or (nxt[0].islower() and find_date(nxt) is None):
            title = f"{title} {nxt}" if not title.endswith(("'", "’")) else f"{title}{nxt}"
        else:
            break
    return title


# A page number in a running title or footer: "Guide – page 2", "p. 3", "3/12".
_PAGE_MARK = re.compile(r"\b(?:page|p\.)\s*\d+|\b\d+\s*/\s*\d+\b", re.I)


def _line_key(line: str, *, numbered: bool) -> str:
    key = " ".join(line.lower().split()).lstrip("# ")
    return key if numbered else re.sub(r"\d+", "#", key)


def _repeated_lines(lines: list[str]) -> Counter[str]:
    """How often each line of the text occurs whole (case and spacing aside): a line
    repeated on the pages of a PDF (a running header or footer) is not its title. The
    text has the pages one after another; a line with a page number ("Guide – page 2")
    counts with its number aside."""
    counts: Counter[str] = Counter()
    for line in lines:
        if not line.strip():
            continue
        counts[_line_key(line, numbered=True)] += 1
        if _PAGE_MARK.search(line):
            counts["\0" + _line_key(line, numbered=False)] += 1
    return counts


def _is_repeated(line: str, counts: Counter[str]) -> bool:
    return (
        counts[_line_key(line, numbered=True)] >= 2
        or counts["\0" + _line_key(line, numbered=False)] >= 2
    )
