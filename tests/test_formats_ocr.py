"""Scanned PDFs (issue 14): a page without text but with an image is read by OCR
(Tesseract, French), flagged from the page to the citation, and listed by `corpus list`;
without Tesseract the assistant still runs and says what scans need.

The scans are generated here: French text rendered to an image with PIL and a system
font, saved as a JPEG, wrapped in a PDF (``evals.ocr_bench``). Tests that read a scan
need Tesseract, a system package (Debian ``tesseract-ocr`` and ``tesseract-ocr-fra``),
and are skipped, with that reason, where it is absent."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from fpdf import FPDF
from PIL import Image

from assistant import Settings, build_assistant, cli, cli_corpus
from assistant import corpus_admin as admin
from assistant.answer.extractive import Citation, citation_for
from assistant.errors import DocumentError
from assistant.ingest import loaders, ocr
from assistant.ingest.chunking import chunk_document
from assistant.ingest.loaders import load_pages
from assistant.ingest.page_cleaning import clean_pages
from assistant.search.retrieval import Passage
from evals.ocr_bench import cer, font_path, render_page
from tests.fakes import HashEmbeddings, write_meta
from ui.conversations import citation_from, citation_record
from ui.render import citation_card

FONT = font_path()
TESSERACT = ocr.TesseractEngine()
# CI sets ASSISTANT_REQUIRE_OCR=1 (.ci/run installs Tesseract): there, absence fails.
needs_tesseract = pytest.mark.skipif(
    (FONT is None or not TESSERACT.available()) and os.environ.get("ASSISTANT_REQUIRE_OCR") != "1",
    reason="Tesseract absent (paquets Debian tesseract-ocr et tesseract-ocr-fra) "
    "ou aucune police TrueType système",
)

CIRCULAR = (
    "Note de service du réseau RIAHN\n"
    "Rouen, le 12 mars 2024\n"
    "À compter du 1er avril 2024, l'équipe de liaison assure une permanence "
    "téléphonique du lundi au vendredi, de 9 h à 17 h.\n"
    "Les établissements médico-sociaux sollicitent l'équipe pour un avis ou une "
    "orientation vers un centre de soins."
)
TYPED = "La charte d'accueil est signée par l'usager dès le premier entretien."


def _jpeg(image: Image.Image) -> io.BytesIO:
    buf = io.BytesIO()
    image.convert("L").save(buf, format="JPEG", quality=85)
    buf.seek(0)
    return buf


def mixed_pdf(path: Path, pages: list[str | Image.Image | None]) -> Path:
    """One page per entry: typed text (a text layer), a scanned image filling the page,
    or None for drawings only (no text, no image)."""
    pdf = FPDF(unit="mm", format="A4")
    pdf.set_font("Helvetica", size=11)
    for page in pages:
        pdf.add_page()
        if isinstance(page, str):
            pdf.multi_cell(0, 6, page)
        elif page is None:
            for i in range(12):
                pdf.rect(10 + i * 8, 20 + i * 10, 60, 15, style="F")
        else:
            pdf.image(_jpeg(page), x=0, y=0, w=210, h=297)
    pdf.output(str(path))
    return path


def scan(text: str = CIRCULAR, angle: float = 0.0, points: float = 11) -> Image.Image:
    assert FONT is not None
    return render_page(text, FONT, points=points, dpi=200, angle=angle)


class Recording:
    """An engine that records what it is given and reads a fixed text."""

    name = "enregistreur"

    def __init__(self, text: str = "Texte lu.") -> None:
        self.text = text
        self.sizes: list[tuple[int, int]] = []

    def read(self, image: Image.Image) -> str:
        self.sizes.append(image.size)
        return self.text


def test_a_scanned_page_goes_to_the_engine_and_is_flagged(tmp_path: Path) -> None:
    blank = Image.new("L", (1240, 1754), 255)  # a 150 dpi A4 page
    pdf = mixed_pdf(tmp_path / "m.pdf", [TYPED, blank, None])
    engine = Recording("Les pages\nscannées sont lues.")
    pages = load_pages(pdf, ocr=engine)
    assert [p.ocr for p in pages] == [False, True, False]
    assert pages[1].text == "Les pages\nscannées sont lues."
    # Upscaled towards 300 dpi, greyscale.
    [(w, h)] = engine.sizes
    assert w == 2480 and h == 3508
    cleaned = clean_pages(pages)
    assert [p.ocr for p in cleaned] == [False, True, False]
    _, chunks = chunk_document("m", cleaned)
    assert [(c.page, c.ocr) for c in chunks] == [(1, False), (2, True)]


def test_typed_pages_and_small_images_never_start_the_engine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom() -> None:
        raise AssertionError("moteur OCR cherché sans raison")

    monkeypatch.setattr(ocr, "default_engine", boom)
    assert load_pages(mixed_pdf(tmp_path / "t.pdf", [TYPED]))[0].ocr is False
    logo = mixed_pdf(tmp_path / "logo.pdf", [TYPED, None])
    assert [p.text.strip() != "" for p in load_pages(logo)] == [True, False]
    engine = Recording()
    small = FPDF()
    small.add_page()
    small.image(_jpeg(Image.new("L", (200, 120), 0)), x=10, y=10, w=30)
    small.output(str(tmp_path / "tampon.pdf"))
    with pytest.raises(DocumentError, match="pas de couche texte"):
        load_pages(tmp_path / "tampon.pdf", ocr=engine)
    assert engine.sizes == []  # a stamp or a logo is no scanned page


def test_without_tesseract_a_scan_is_refused_with_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSISTANT_OCR", "off")
    pdf = mixed_pdf(tmp_path / "scan.pdf", [Image.new("L", (1240, 1754), 255)])
    with pytest.raises(DocumentError) as info:
        load_pages(pdf)
    message = str(info.value)
    assert "\n" not in message and message.startswith("scan.pdf : pas de couche texte")
    assert "tesseract-ocr-fra" in message
    assert admin.ocr_hint() == ocr.MISSING_MESSAGE
    # A missing program is no engine, and says so without raising.
    assert ocr.TesseractEngine(binary="tesseract-absent").available() is False


def test_the_ocr_budget_leaves_the_pages_past_it_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loaders, "OCR_BUDGET_S", -1.0)
    page = Image.new("L", (1240, 1754), 255)
    pages = load_pages(mixed_pdf(tmp_path / "long.pdf", [TYPED, page, page]), ocr=Recording())
    assert [p.ocr for p in pages] == [False, False, False]


def test_a_citation_of_a_scanned_page_says_it_was_read_automatically() -> None:
    meta: dict[str, str | int | float | bool] = {
        "doc_id": "d",
        "title": "Note RIAHN",
        "type": "note",
        "date": "2024-03-12",
        "page": 1,
        "ocr": True,
    }
    c = citation_for(1, Passage("d:1", "Texte.", meta, 1.0), ["Texte."])
    assert c.ocr is True
    assert c.label() == "Note RIAHN — note, 2024-03-12, p. 1, texte reconnu automatiquement"
    # Indexes written before the flag: no mention.
    assert "reconnu" not in Citation(1, "d", "T", "note", None, 1, "", "x").label()
    # The JSON contract, the chat's source card and a conversation kept in the browser
    # say it too.
    assert c.to_dict()["ocr"] is True
    assert "texte reconnu automatiquement" in citation_card(c, 1)
    restored = citation_from(citation_record(c))
    assert restored is not None and restored.ocr


@needs_tesseract
@pytest.mark.parametrize(("angle", "points"), [(0.0, 11), (1.5, 10), (0.0, 8)])
def test_tesseract_reads_french_scans_with_their_accents(
    tmp_path: Path, angle: float, points: float
) -> None:
    pdf = mixed_pdf(tmp_path / "scan.pdf", [scan(angle=angle, points=points)])
    [page] = load_pages(pdf, ocr=TESSERACT)
    assert page.ocr and page.number == 1
    assert cer(CIRCULAR, page.text) < 0.03, page.text
    text = " ".join(page.text.split())
    # ("1er" may come out as "ler": a classic confusion, within the error rate.)
    for words in ("Note de service du réseau RIAHN", "médico-sociaux", "téléphonique du lundi"):
        assert words in text


@needs_tesseract
def test_corpus_list_counts_pages_and_flags_ocr_and_image_only_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    pdf = mixed_pdf(corpus / "scan-partiel.pdf", [TYPED, scan(), None])
    write_meta(pdf, title="Charte et note", type="note")
    a = build_assistant(
        Settings(corpus_dir=corpus, index_dir=tmp_path / "index"),
        embeddings=HashEmbeddings(size=32),
    )
    report = a.sync()
    assert report.added == ["scan-partiel"]
    [warning] = report.warnings
    assert warning.startswith("scan-partiel.pdf : la page 3 (sur 3) n'a pas de texte")
    [row] = admin.status_rows(a)
    assert (row.pages, row.blank_pages, row.ocr_pages) == (3, "3", "2")
    metas = list(a.store.metadatas())
    assert {int(m["page"]) for m in metas if m["ocr"]} == {2}
    assert {int(m["page"]) for m in metas if not m["ocr"]} == {1}
    monkeypatch.setattr(cli_corpus, "make_assistant", lambda ctx, **kw: a)
    assert cli.main(["corpus", "list"]) == 0
    line = next(ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("scan-partiel"))
    assert "3 (sans texte : 3) (OCR : 2)" in line
