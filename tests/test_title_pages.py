"""Title pages and headings (tester's findings): the title block of a PDF's first page
(title, issuer, date, reference, in large type) is a heading, not a sentence; a month
alone dates a document; a heading that OCR glued to the sentence after it is split off.
Each PDF is generated here and read by pypdf."""

from __future__ import annotations

from pathlib import Path

import pytest
from fpdf import FPDF
from PIL import Image

from assistant import corpus_admin as admin
from assistant.ingest import ocr, sentences
from assistant.ingest.chunking import Chunk, chunk_document
from assistant.ingest.extraction import propose
from assistant.ingest.loaders import load_pages
from assistant.ingest.page_cleaning import clean_pages

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
BODY = (
    "Les réseaux permettent de coordonner les soins autour de la personne. Ils "
    "associent les professionnels de ville et de l'hôpital."
)


def _pdf(path: Path, blocks: list[tuple[int, str]], pages: int = 1) -> Path:
    """A PDF whose first page has the ``blocks`` (type size, text), one after another,
    and whose next pages have a sentence each."""
    pdf = FPDF()
    pdf.add_font("Sans", fname=str(FONT))
    pdf.add_page()
    for size, text in blocks:
        pdf.set_font("Sans", size=size)
        pdf.multi_cell(0, size * 0.6, text, new_x="LMARGIN", new_y="NEXT")
    for n in range(2, pages + 1):
        pdf.add_page()
        pdf.set_font("Sans", size=11)
        pdf.multi_cell(0, 6, f"La page {n} décrit une autre mission du réseau de santé.")
    pdf.output(str(path))
    return path


def _chunks(pdf: Path) -> list[Chunk]:
    return chunk_document("doc", clean_pages(load_pages(pdf)))[1]


def _units(chunks: list[Chunk]) -> list[str]:
    out = []
    for c in chunks:
        for s, e in sentences.answer_units(c.text):
            out.append(c.text[sentences.strip_furniture(c.text, s, e) : e])
    return out


TITLE_PAGES = [
    (
        [
            (22, "Guide des réseaux de santé"),
            (14, "Fédération Addiction"),
            (12, "Version de mars 2023"),
            (12, "Réf. : FA/2023/01"),
        ],
        BODY,
    ),
    (
        [
            (22, "RÉSEAUX DE SANTÉ EN ADDICTOLOGIE"),
            (14, "Direction générale de la santé"),
            (12, "Mars 2023"),
        ],
        BODY,
    ),
    (
        [
            (20, "Prise en charge des usagers"),
            (20, "de drogues en CSAPA"),
            (12, "mise à jour : juin 2021"),
        ],
        "Le CSAPA accueille toute personne en difficulté avec sa consommation. Les "
        "consultations sont gratuites et anonymes pour tous les usagers.",
    ),
    (
        [
            (10, "MINISTÈRE DES SOLIDARITÉS ET DE LA SANTÉ"),
            (10, "Direction générale de la santé"),
            (16, "INSTRUCTION N° DGS/SP3/2022/114 du 19 avril 2022 relative aux consultations"),
        ],
        "Le présent texte précise les missions des consultations jeunes consommateurs. Il "
        "s'adresse aux directeurs des agences régionales de santé.",
    ),
    (
        [
            (
                20,
                "Référentiel national des actions de réduction des risques en direction "
                "des usagers de drogues",
            ),
            (12, "Santé publique France"),
            (12, "Rouen, le 3 mars 2024."),
        ],
        "Face à la diffusion des usages, les CAARUD assurent l'accueil des usagers. CSAPA "
        "et CAARUD travaillent ensemble au quotidien.",
    ),
]


@pytest.mark.parametrize(("block", "body"), TITLE_PAGES)
def test_the_title_block_is_a_heading_not_a_sentence(
    tmp_path: Path, block: list[tuple[int, str]], body: str
) -> None:
    pdf = _pdf(tmp_path / "guide.pdf", [*block, (11, body)], pages=2)
    pages = load_pages(pdf)
    assert pages[0].title_lines >= len(block)  # the title may wrap
    chunks = _chunks(pdf)
    first = chunks[0]
    # The section of the body is the whole title block, each line in it once.
    for _, line in block:
        assert " ".join(line.split()) in first.section.replace(" — ", "\n").replace("\n", " ")
        assert all(line not in c.text for c in chunks)
    assert first.text.startswith(body.split(".")[0])
    units = _units(chunks)
    assert units[0] == body.split(". ")[0] + "."
    assert not any(line in u for u in units for _, line in block)


def test_without_larger_type_nothing_is_taken_for_a_title_block(tmp_path: Path) -> None:
    pdf = _pdf(
        tmp_path / "note.pdf",
        [(11, "Présentation"), (11, "Le centre est ouvert à tous les publics sans rendez-vous.")],
    )
    assert load_pages(pdf)[0].title_lines == 0
    [chunk] = _chunks(pdf)
    assert chunk.section == "Présentation"


def test_a_large_heading_after_the_date_is_the_body_s_first_section(tmp_path: Path) -> None:
    pdf = _pdf(
        tmp_path / "guide.pdf",
        [(22, "Guide de l'accueil"), (11, "Mars 2023"), (14, "Présentation"), (11, BODY)],
    )
    [chunk] = _chunks(pdf)
    assert chunk.section == "Guide de l'accueil — Mars 2023 > Présentation"


def test_a_one_page_notice_in_large_type_keeps_its_text(tmp_path: Path) -> None:
    pdf = _pdf(tmp_path / "affiche.pdf", [(24, "Rapport d'activité"), (18, "CSAPA de Rouen")])
    text = "\n".join(c.text for c in _chunks(pdf))
    assert "Rapport d'activité" in text and "CSAPA de Rouen" in text


MONTHS = [
    ("Guide des réseaux\nVersion de mars 2023\nTexte.", "2023-03-01", "mars 2023"),
    ("Guide des réseaux\nMars 2023\nTexte.", "2023-03-01", "mars 2023"),
    ("Guide des réseaux\nmise à jour : juin 2021\nTexte.", "2021-06-01", "juin 2021"),
    ("Rapport annuel\nÉdition de DÉCEMBRE 2019\nTexte.", "2019-12-01", "décembre 2019"),
    ("Note de service\nRouen, le 4 novembre 2009\nEn mars 2010, le réseau…", "2009-11-04", None),
    ("title: Guide\ndate: février 2022\n\nTexte.", "2022-02-01", "février 2022"),
]


@pytest.mark.parametrize(("text", "date", "note"), MONTHS)
def test_a_month_alone_is_proposed_as_the_first_of_the_month(
    text: str, date: str, note: str | None
) -> None:
    fields = propose(text).fields
    assert fields["date"] == date
    assert fields.get("date_note") == note


def test_a_month_alone_on_a_pdf_title_page_is_proposed_and_valid(tmp_path: Path) -> None:
    pdf = _pdf(
        tmp_path / "guide.pdf",
        [(22, "Prise en charge des usagers"), (12, "mise à jour : juin 2021"), (11, BODY)],
    )
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    draft = admin.prepare_add(pdf, {}, corpus)
    assert draft.meta["title"] == "Prise en charge des usagers"
    assert (draft.meta["date"], draft.meta["date_note"]) == ("2021-06-01", "juin 2021")
    assert any("juin 2021" in n for n in draft.proposal.notes)
    meta = admin.validate({**draft.meta, "type": "guide"}, pdf.name)
    assert meta.date is not None and meta.date.isoformat() == "2021-06-01"


GLUED = [
    ("RÉSEAUX DE SANTÉ EN ADDICTOLOGIE", "Les réseaux permettent de coordonner les soins."),
    (
        "ACCÈS À LA SANTÉ DES PERSONNES EN SITUATION DE PRÉCARITÉ ET D'EXCLUSION",
        "Face à la demande, les équipes vont vers les personnes.",
    ),
    ("L'ACCUEIL DES USAGERS", "L'accueil est inconditionnel et gratuit pour tous."),
    ("CSAPA ET CAARUD", "Les centres assurent une mission de réduction des risques."),
    (
        "Les Équipes De Liaison Et De Soins En Addictologie Dans Les Établissements",
        "Elles interviennent auprès des patients hospitalisés.",
    ),
    (
        "Réseaux de Santé en Addictologie : Organisation Territoriale des Parcours",
        "Les réseaux permettent de coordonner les soins.",
    ),
]
NOT_GLUED = [
    "CSAPA et CAARUD assurent une mission de réduction des risques auprès des usagers.",
    "La MILDT coordonne l'action du gouvernement en matière de drogues.",
    "MILDT a créé une commission nationale en 2000.",
    "ANPAA Normandie accueille les usagers dans ses centres.",
    "La Coordination a vu le jour en 1996 à Anderlecht.",
    "Le centre de Rouen accueille les usagers orientés par La Poste et les mairies.",
]


@pytest.mark.parametrize(("heading", "sentence"), GLUED)
def test_a_glued_heading_of_any_length_is_split_off(heading: str, sentence: str) -> None:
    line = f"{heading} {sentence}"
    assert line[: sentences.glued_heading(line)] == heading
    assert line[sentences.strip_furniture(line, 0, len(line)) :] == sentence
    assert ocr.tidy(line) == f"{heading}\n{sentence}"


@pytest.mark.parametrize("line", NOT_GLUED)
def test_a_sentence_opening_with_an_acronym_is_not_split(line: str) -> None:
    assert sentences.glued_heading(line) is None
    assert sentences.strip_furniture(line, 0, len(line)) == 0
    assert ocr.tidy(line) == line


class _Reads:
    """An OCR engine that reads a fixed text (what Tesseract gives of a scan)."""

    name = "fixe"

    def __init__(self, text: str) -> None:
        self.text = text

    def read(self, image: Image.Image) -> str:
        return self.text


@pytest.mark.parametrize(("heading", "sentence"), GLUED[:2] + GLUED[4:5])
def test_an_ocr_heading_glued_to_the_body_is_split_off(
    tmp_path: Path, heading: str, sentence: str
) -> None:
    pdf = FPDF()
    pdf.add_page()
    scan = Image.new("L", (1654, 2339), 255)
    pdf.image(scan, x=0, y=0, w=210, h=297)
    pdf.output(str(tmp_path / "scan.pdf"))
    more = "CSAPA et CAARUD assurent une mission de réduction des risques."
    pages = load_pages(tmp_path / "scan.pdf", ocr=_Reads(f"{heading} {sentence}\n{more}"))
    assert pages[0].ocr
    chunks = chunk_document("doc", clean_pages(pages))[1]
    assert _units(chunks)[:2] == [sentence, more]
    if heading.isupper():  # in capitals: the section of what follows
        [chunk] = chunks
        assert chunk.section == heading and chunk.text.startswith(sentence)
