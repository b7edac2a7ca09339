"""PDFs read faithfully (issue 14): furniture, page breaks, headings, hyphens, values,
ligatures, image-only pages and two-line titles, each on a small PDF generated here."""

from __future__ import annotations

from pathlib import Path

import pytest
from fpdf import FPDF

from assistant import Settings, build_assistant, cli, cli_corpus
from assistant import corpus_admin as admin
from assistant.answer.extractive import Citation, citation_for
from assistant.ingest.chunking import Chunk, chunk_document
from assistant.ingest.cleaning import clean_text
from assistant.ingest.extraction import propose
from assistant.ingest.loaders import load_pages
from assistant.ingest.page_cleaning import clean_pages
from assistant.search.retrieval import Passage
from tests.fakes import HashEmbeddings, make_pdf, write_meta

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
HEADER = "Guide pratique du réseau Addictions France"


def _pdf(path: Path, pages: list[str | None], font: Path | None = None, size: int = 11) -> Path:
    """One page per entry: its text, one line per "\\n" (long lines wrap), or None for
    an image-only page (drawings, no text layer)."""
    pdf = FPDF()
    if font is not None:
        pdf.add_font("Unicode", fname=str(font))
        pdf.set_font("Unicode", size=size)
    else:
        pdf.set_font("Helvetica", size=size)
    for text in pages:
        pdf.add_page()
        if text is None:
            for i in range(12):
                pdf.rect(10 + i * 8, 20 + i * 10, 60, 15, style="F")
        else:
            pdf.multi_cell(0, 6, text)
    pdf.output(str(path))
    return path


def _chunks(pdf: Path) -> list[Chunk]:
    return chunk_document("doc", clean_pages(load_pages(pdf)))[1]


def _page(body: str, n: int, total: int) -> str:
    return f"{HEADER}\n{body}\nPage {n} sur {total}"


def test_header_and_footer_repeated_on_every_page_are_removed(tmp_path: Path) -> None:
    pdf = _pdf(
        tmp_path / "guide.pdf",
        [
            _page("Le centre accueille les usagers sans rendez-vous.", 1, 3),
            _page("Les consultations sont gratuites et anonymes.", 2, 3),
            _page("Une permanence a lieu le mardi soir.", 3, 3),
        ],
    )
    chunks = _chunks(pdf)
    text = "\n".join(c.text for c in chunks)
    assert "Guide pratique" not in text and "sur 3" not in text and "Page" not in text
    assert [c.text.strip() for c in chunks] == [
        "Le centre accueille les usagers sans rendez-vous.",
        "Les consultations sont gratuites et anonymes.",
        "Une permanence a lieu le mardi soir.",
    ]
    assert [c.page for c in chunks] == [1, 2, 3]


def test_numbered_lines_that_are_text_are_kept(tmp_path: Path) -> None:
    # Articles open every page, and the printed numbering starts at 5: only the page
    # numbers go.
    pdf = _pdf(
        tmp_path / "code.pdf",
        [
            f"Article {n}\nLe directeur tient le registre numéro {n}.\n- {page + 4} -"
            for page, n in ((1, 3), (2, 7), (3, 9))
        ],
    )
    assert [c.section for c in _chunks(pdf)] == ["Article 3", "Article 7", "Article 9"]
    assert [c.text.strip() for c in _chunks(pdf)] == [
        "Le directeur tient le registre numéro 3.",
        "Le directeur tient le registre numéro 7.",
        "Le directeur tient le registre numéro 9.",
    ]


def test_a_line_that_repeats_on_one_page_only_is_kept(tmp_path: Path) -> None:
    pdf = _pdf(
        tmp_path / "note.pdf",
        ["Horaires d'ouverture\nLe lundi de 9 h à 12 h.", "Tarifs\nLes soins sont gratuits."],
    )
    text = "\n".join(c.text for c in _chunks(pdf))
    assert "Le lundi de 9 h à 12 h." in text and "Les soins sont gratuits." in text


def test_sentence_across_a_page_break_is_joined_and_cited_with_both_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf = _pdf(
        tmp_path / "circulaire.pdf",
        [
            _page("Le service est fermé le dimanche.\nLes usagers orientés par un médecin", 1, 2),
            _page(
                "sont reçus dans la semaine par un infirmier. Un rendez-vous est fixé.\n"
                "La suite du texte.",
                2,
                2,
            ),
        ],
    )
    chunks = _chunks(pdf)
    [joined] = [c for c in chunks if "orientés par un médecin" in c.text]
    assert (
        "Les usagers orientés par un médecin sont reçus dans la semaine par un infirmier."
        in joined.text
    )
    assert (joined.page, joined.page_end) == (1, 2)
    assert all("sont reçus" not in c.text for c in chunks if c is not joined)
    [after] = [c for c in chunks if "La suite du texte." in c.text]
    assert (after.page, after.page_end) == (2, None)
    # Only the end of the cut sentence moves: the next one stays on page 2.
    assert "Un rendez-vous est fixé." in after.text and "rendez-vous" not in joined.text
    # The citation shows the range, from what the index stores.
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    pdf.rename(corpus / "circulaire.pdf")
    write_meta(corpus / "circulaire.pdf", title="Circulaire", type="circulaire")
    a = build_assistant(
        Settings(corpus_dir=corpus, index_dir=tmp_path / "index"),
        embeddings=HashEmbeddings(size=32),
    )
    a.sync()
    [stored] = [c for c in a.store.all_chunks() if "orientés" in c.text]
    assert stored.metadata["page_end"] == 2
    cite = citation_for(1, Passage(stored.chunk_id, stored.text, stored.metadata, 1.0), [])
    assert "p. 1–2" in cite.label()
    monkeypatch.setattr(cli_corpus, "make_assistant", lambda ctx, **kw: a)
    assert cli.main(["corpus", "show", "circulaire"]) == 0
    shown = capsys.readouterr().out.splitlines()
    assert any(ln.strip().startswith("[p. 1–2]") and "orientés" in ln for ln in shown)


def test_citation_of_an_index_without_page_end_shows_one_page() -> None:
    # Indexes written before page ranges have no "page_end": one page, as before.
    meta: dict[str, str | int | float | bool] = {"doc_id": "d", "title": "T", "page": 3}
    cite = citation_for(1, Passage("d:1", "Texte.", meta, 1.0), [])
    assert cite.page_end is None and "p. 3," not in cite.label() and "p. 3" in cite.label()
    labelled = Citation(1, "d", "T", "guide", None, 4, "", "x", page_label="iv", page_end=5)
    labelled.page_end_label = "v"
    assert "p. iv–v" in labelled.label()


def test_heading_glued_to_the_next_sentence_becomes_the_section(tmp_path: Path) -> None:
    pdf = _pdf(
        tmp_path / "fiche.pdf",
        [
            "Présentation\nLe centre est ouvert à tous les publics.\nContacts\n"
            "La ligne d'écoute est ouverte du lundi au vendredi de 9 h à 18 h."
        ],
    )
    chunks = _chunks(pdf)
    [contact] = [c for c in chunks if "ligne d'écoute" in c.text]
    assert contact.section == "Contacts"
    assert contact.text.startswith("La ligne d'écoute est ouverte")
    [first] = [c for c in chunks if "ouvert à tous" in c.text]
    assert first.section == "Présentation" and "Contacts" not in first.text


def test_hyphen_kept_in_compounds_and_dropped_in_word_breaks(tmp_path: Path) -> None:
    pdf = _pdf(
        tmp_path / "rapport.pdf",
        [
            "Les établissements médico-\nsociaux et les équipes socio-\néducatives "
            "assurent l'accompa-\ngnement psycho-\nlogique des usagers, dans la confi-\n"
            "dentialité."
        ],
    )
    text = " ".join(c.text for c in _chunks(pdf))
    assert "médico-sociaux" in text and "socio-éducatives" in text
    assert "accompagnement psychologique" in text and "confidentialité" in text
    assert "médicosociaux" not in text


def test_hyphen_rule_follows_the_document_itself() -> None:
    # The document writes "auto-support" elsewhere: the cut word keeps its hyphen.
    assert "auto-support" in clean_text("Les groupes d'auto-\nsupport.\nL'auto-support aide.")
    # A capitalised second part is a compound (place names).
    assert "Seine-Saint-Denis" in clean_text("En Seine-\nSaint-Denis.")


def test_a_value_alone_on_its_line_is_kept(tmp_path: Path) -> None:
    # The value is at the bottom of page 1, where the page numbers are.
    pdf = _pdf(
        tmp_path / "arrete.pdf",
        [
            "Le centre est autorisé pour l'accueil de jour.\nNombre de places autorisées :\n12\n1",
            "La durée de l'autorisation est de quinze ans.\n2",
        ],
    )
    chunks = _chunks(pdf)
    [value] = [c for c in chunks if "Nombre de places" in c.text]
    assert "Nombre de places autorisées :\n12" in value.text
    assert [c.text.strip() for c in chunks] == [  # the page numbers 1 and 2 are gone
        "Le centre est autorisé pour l'accueil de jour.\nNombre de places autorisées :\n12",
        "La durée de l'autorisation est de quinze ans.",
    ]


def test_a_value_after_a_label_survives_in_text_files() -> None:
    assert "autorisées :\n12" in clean_text("Nombre de places autorisées :\n12\n")
    assert clean_text("Premier paragraphe.\n\n12\n\nSecond.") == "Premier paragraphe.\n\nSecond.\n"


@pytest.mark.skipif(not DEJAVU.exists(), reason="police DejaVu absente (ligatures)")
def test_ligatures_are_normalised(tmp_path: Path) -> None:
    pdf = _pdf(
        tmp_path / "charte.pdf",
        ["La con\ufb01dentialité est garantie « sans délai » ; e\ufb00ectifs, \ufb02ux."],
        font=DEJAVU,
    )
    assert "\ufb01" in load_pages(pdf)[0].text  # the PDF really holds the ligature
    [chunk] = _chunks(pdf)
    assert "La confidentialité est garantie « sans délai » ; effectifs, flux." in chunk.text


def test_ligature_normalisation_leaves_other_characters_alone() -> None:
    text = clean_text("« su\ufb03t » ½ dose, 2² m, n° 3 …")
    assert text == "« suffit » ½ dose, 2² m, n° 3 …\n"


def test_pdf_with_image_only_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    pdf = _pdf(
        corpus / "scan-partiel.pdf", ["La charte d'accueil est signée par l'usager.", None, None]
    )
    write_meta(pdf, title="Charte d'accueil", type="guide")
    assert [p.number for p in load_pages(pdf)] == [1, 2, 3]
    a = build_assistant(
        Settings(corpus_dir=corpus, index_dir=tmp_path / "index"),
        embeddings=HashEmbeddings(size=32),
    )
    report = a.sync()
    assert report.added == ["scan-partiel"]
    [warning] = report.warnings
    assert warning.startswith("scan-partiel.pdf : les pages 2, 3 (sur 3) n'ont pas de texte")
    [row] = admin.status_rows(a)
    assert row.pages == 3 and row.blank_pages == "2, 3"
    monkeypatch.setattr(cli_corpus, "make_assistant", lambda ctx, **kw: a)
    assert cli.main(["corpus", "list"]) == 0
    line = next(ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("scan-partiel"))
    assert "3 (sans texte : 2, 3)" in line


def test_title_on_two_lines_is_proposed_whole(tmp_path: Path) -> None:
    pdf = _pdf(
        tmp_path / "note.pdf",
        [
            "Note de service du réseau Addictions France relative à l'organisation des "
            "permanences de l'accueil de jour\nLe 3 mars 2024.\nLes permanences sont assurées."
        ],
        size=14,
    )
    text = load_pages(pdf)[0].text
    assert text.count("\n") >= 2  # the title wraps on two lines
    fields = propose(text).fields
    assert fields["title"] == (
        "Note de service du réseau Addictions France relative à l'organisation des "
        "permanences de l'accueil de jour"
    )
    assert fields["date"] == "2024-03-03"
    spaced = propose(
        "Note  de  service  du  réseau  sur  les  permanences  de\nl'accueil  de  jour\n"
    )
    assert (
        spaced.fields["title"]
        == "Note de service du réseau sur les permanences de l'accueil de jour"
    )


ISSUERS = [
    (
        "Note de service du réseau RIAHN relative aux permanences de\nl'équipe de liaison\n"
        "Rouen, le 3 mars 2024.\nLes permanences sont assurées.",
        "Réseau RIAHN",
    ),
    (
        "Le préfet de la Seine-Maritime\nà\nMesdames et messieurs les maires\n"
        "Objet : fêtes et rassemblements.\nLes organisateurs déclarent l'événement.",
        "Préfet de la Seine-Maritime",
    ),
    (
        "Direction générale de la santé\nSous-direction de la santé des populations\n"
        "Instruction relative aux consultations jeunes consommateurs\nTexte.",
        "Direction générale de la santé",
    ),
    ("MILDECA\nPlan national de mobilisation contre les addictions\nTexte.", "MILDECA"),
    (
        "ARS Normandie\nAppel à projets : centres de soins en addictologie\n"
        "Caen, le 4 avril 2024\nTexte.",
        "ARS Normandie",
    ),
    (
        "Instruction n° DGS/SP3/2022/114 du 19 avril 2022 relative aux CSAPA\nTexte.",
        "DGS",
    ),
    (
        "Agence régionale de santé de Normandie\nNote d'information sur les CAARUD\nTexte.",
        "Agence régionale de santé de Normandie",
    ),
]


@pytest.mark.parametrize(("text", "issuer"), ISSUERS)
def test_issuer_named_in_the_title_or_letterhead_is_proposed(
    tmp_path: Path, text: str, issuer: str
) -> None:
    pdf = _pdf(tmp_path / "circulaire.pdf", [text], size=14)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    draft = admin.prepare_add(pdf, {}, corpus)
    assert draft.meta["issuer"] == issuer


def test_an_issuer_in_the_body_or_a_common_noun_is_not_proposed() -> None:
    for text in (
        "Guide de l'accueil\nLe centre reçoit les usagers. Le préfet de la Manche l'a visité.",
        "Accueil des jeunes\nLes CSAPA reçoivent les jeunes et leur famille.",
        "Fiche pratique\nSaisir l'agence régionale de santé en cas de doute.",
    ):
        assert "issuer" not in propose(text).fields, text
    # Several named in the letterhead: all of them, in order.
    both = propose("Direction générale de la santé — MILDECA\nTexte de la note.")
    assert both.fields["issuer"] == "Direction générale de la santé, MILDECA"
    # A header block's own issuer wins; none is guessed when it gives none.
    header = propose("title: Note\ntype: note\nissuer: DGOS\n\nMILDECA\nTexte.")
    assert header.fields["issuer"] == "DGOS"


def test_text_pdf_still_reads_as_before(tmp_path: Path) -> None:
    pages = load_pages(make_pdf(tmp_path / "p.pdf", ["Premiere page.", "Deuxieme page."]))
    assert [c.text.strip() for c in chunk_document("p", clean_pages(pages))[1]] == [
        "Premiere page.",
        "Deuxieme page.",
    ]
