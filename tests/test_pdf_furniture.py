"""Page furniture of PDFs (running headers, footers with page numbers) told apart from
the text: only whole lines at the top or bottom of pages are removed, a sentence the text
repeats is kept, a heading stays off the sentence after it, and the title proposed is
the document's own, not its running header; a title's opening word names its type."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

from assistant import corpus_admin as admin
from assistant.ingest.chunking import chunk_document
from assistant.ingest.cleaning import clean_text
from assistant.ingest.extraction import propose, type_from_title
from assistant.ingest.loaders import load_pages
from assistant.ingest.page_cleaning import clean_pages, strip_furniture

FONTS = Path("/usr/share/fonts/truetype/dejavu")
HEADER = "ARS Occitanie - Instruction DSP/2022/47 - Diffusion restreinte"
TITLE = "Instruction du 3 mars 2022 relative aux microstructures médicales addictions"
REPEATED = (
    "Les microstructures médicales addictions associent, autour d'un médecin, un "
    "psychologue et un travailleur social."
)
BODIES = [
    [REPEATED, "Elles interviennent en ville, au cabinet du médecin, auprès des patients."],
    [REPEATED, "Le financement est assuré par le fonds d'intervention régional."],
    ["La coordination est confiée à une structure porteuse désignée.", REPEATED],
]


class _Instruction(FPDF):
    """Every page with the running header at its top and "Page n" at its bottom."""

    def header(self) -> None:
        self.set_font("Sans", size=9)
        self.cell(0, 6, HEADER, new_x="LMARGIN", new_y="NEXT")

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("Sans", size=9)
        self.cell(0, 6, f"Page {self.page_no()}", align="C")


def _instruction(path: Path) -> Path:
    """The tester's file: a bold title on page 1, a sentence repeated on pages 1–3."""
    pdf = _Instruction()
    pdf.add_font("Sans", fname=str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("Sans", style="B", fname=str(FONTS / "DejaVuSans-Bold.ttf"))
    for n, body in enumerate(BODIES):
        pdf.add_page()
        if n == 0:
            pdf.set_font("Sans", style="B", size=14)
            pdf.multi_cell(0, 8, TITLE, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Sans", size=11)
        for paragraph in body:
            pdf.multi_cell(0, 6, paragraph, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
    pdf.output(str(path))
    return path


def test_running_header_and_numbered_footer_go_and_the_repeated_sentence_stays(
    tmp_path: Path,
) -> None:
    pdf = _instruction(tmp_path / "instruction-microstructures.pdf")
    pages = load_pages(pdf)
    assert all(HEADER in p.text and f"Page {p.number}" in p.text for p in pages)
    cleaned = clean_pages(pages)
    for page in cleaned:
        assert "ARS Occitanie" not in page.text and "Page" not in page.text
        assert REPEATED in page.text  # whole, on each of the three pages
    _, chunks = chunk_document("doc", cleaned)
    text = "\n".join(c.text for c in chunks)
    assert text.count(REPEATED) == 3
    assert "addictions psychologue" not in text


def test_the_heading_stays_a_line_of_its_own(tmp_path: Path) -> None:
    first = clean_pages(load_pages(_instruction(tmp_path / "i.pdf")))[0].text
    lines = [ln for ln in first.splitlines() if ln.strip()]
    # Wrapped on two lines by the PDF, joined, alone; set larger than the body, it is the
    # title block of the first page: a heading (the running header above it stays out).
    assert lines[0] == f"# {TITLE}"
    assert lines[1] == REPEATED


def test_only_whole_lines_at_the_edges_of_pages_are_removed() -> None:
    # The repeated sentence's first line sits among the first lines of every page (the
    # header, a heading, then it): it was dropped, cutting the sentence in two.
    start, end = REPEATED[:75], REPEATED[76:]
    texts = [
        f"{HEADER}\n{TITLE}\n{start}\n{end}\nAutre texte du début.\n1",
        f"{HEADER}\nFinancement\n{start}\n{end}\nAutre texte.\n2",
        f"{HEADER}\nCoordination\n{start}\n{end}\nTexte de fin.\n3",
    ]
    out = strip_furniture(texts, [1, 2, 3])
    for page, raw in zip(out, texts, strict=True):
        assert page.splitlines() == raw.splitlines()[1:-1]


def test_a_sentence_repeated_just_under_the_header_is_kept_when_it_runs_on() -> None:
    start, end = REPEATED[:75], REPEATED[76:]
    texts = [f"En-tête du guide\nOrganisation\n{start}\n{end}\n{n}" for n in (1, 2, 3)]
    texts[0] = f"En-tête du guide\n{start}\n{end}\nLe reste de la page.\n1"
    for page in strip_furniture(texts, [1, 2, 3]):
        assert start in page and end in page and "En-tête" not in page


def test_a_header_is_removed_above_a_sentence_run_on_from_the_page_before() -> None:
    texts = [
        "Guide des consultations jeunes\nLe centre accueille les jeunes et leurs\n1",
        "Guide des consultations jeunes\nfamilles sans rendez-vous.\n2",
        "Guide des consultations jeunes\nLes entretiens sont gratuits.\n3",
    ]
    out = strip_furniture(texts, [1, 2, 3])
    assert [p.splitlines() for p in out] == [
        ["Le centre accueille les jeunes et leurs"],
        ["familles sans rendez-vous."],
        ["Les entretiens sont gratuits."],
    ]


def test_the_title_is_not_the_running_header(tmp_path: Path) -> None:
    pages = load_pages(_instruction(tmp_path / "instruction-microstructures.pdf"))
    fields = propose("\n".join(p.text for p in pages)).fields
    assert fields["title"] == TITLE
    assert fields["type"] == "instruction"
    assert fields["date"] == "2022-03-03"
    # A running title with the page's number is furniture as well.
    numbered = "Guide régional – page 1\nLe centre ouvre le lundi.\nGuide régional – page 2\nFin."
    assert propose(numbered).fields["title"] == "Le centre ouvre le lundi."
    # A one-page text keeps its first line as title.
    assert propose("Guide régional des CSAPA\nLe texte.\n").fields["title"] == (
        "Guide régional des CSAPA"
    )


def test_the_title_opening_word_names_the_type(tmp_path: Path) -> None:
    assert type_from_title("Instruction du 3 mars 2022 relative aux microstructures") == (
        "instruction"
    )
    assert type_from_title("Arrêté du 5 mai 2021 fixant la liste") == "arrete"
    assert type_from_title("DÉCRET n° 2022-12 relatif aux CSAPA") == "decret"
    assert type_from_title("Lettre de mission du coordinateur") == "lettre_de_mission"
    assert type_from_title("Loi n° 2016-41 du 26 janvier 2016") == "loi"
    assert type_from_title("Article L3411-1") is None
    assert type_from_title("Les microstructures médicales") is None
    assert type_from_title("") is None
    # A declared type wins; a Markdown guide's heading names its type.
    assert propose("title: Guide X\ntype: fiche\n").fields["type"] == "fiche"
    guide = tmp_path / "guide-elsa.md"
    guide.write_text("# Guide des équipes de liaison\n\nLes ELSA interviennent.\n", "utf-8")
    draft = admin.prepare_add(guide, {}, tmp_path / "corpus")
    assert draft.meta["type"] == "guide"


def test_a_long_heading_is_kept_off_the_sentence_after_it() -> None:
    # An OCR'd page: a heading line, then the body starting with an article.
    raw = (
        "Le bilan annuel est publié.\n"
        "Equipes de liaison et de soins en addictologie\n"
        "Les ELSA interviennent auprès des patients hospitalisés.\n"
    )
    assert clean_text(raw, page_numbers=False).split("\n\n") == [
        "Le bilan annuel est publié.",
        "Equipes de liaison et de soins en addictologie",
        "Les ELSA interviennent auprès des patients hospitalisés.\n",
    ]
    with_acronym = raw.replace("addictologie\n", "addictologie (ELSA)\n")
    assert "(ELSA)\nLes ELSA" in clean_text(with_acronym, page_numbers=False)
    # A sentence wrapped before a proper noun is not cut.
    wrapped = "Le dispositif est porté dans la région par\nNormandie Addictions et ses amis.\n"
    assert clean_text(wrapped) == (
        "Le dispositif est porté dans la région par Normandie Addictions et ses amis.\n"
    )
