"""Word (.docx) and OpenDocument (.odt) files: headings as sections, tables row by row,
title and date from the file's properties, and the server-side checks (corrupt files,
wrong kind of zip, zip bombs). Every file is generated here (python-docx, odfpy)."""

from __future__ import annotations

import datetime as dt
import os
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from odf import dc
from odf import meta as odf_meta
from odf import table as odf_table
from odf import text as odf_text
from odf.opendocument import OpenDocumentText
from odf.style import Style

from assistant import Assistant, DocumentError, InputError
from assistant import corpus_admin as admin
from assistant.ingest.chunking import CleanPage, chunk_document
from assistant.ingest.cleaning import clean_text
from assistant.ingest.loaders import SUPPORTED_SUFFIXES, check_document, load_pages
from tests.fakes import write_meta

MakeAssistant = Callable[..., Assistant]

ROWS = [
    ["Structure", "Jour de permanence", "Places"],
    ["CSAPA Nord", "lundi", "12"],
    ["CAARUD Sud", "jeudi", "8"],
    ["CSAPA Est", "mardi", "15"],
]


def make_docx(path: Path, title: str | None = None, created: dt.datetime | None = None) -> Path:
    """A Word note: a title, two levels of headings, a list, a table with a header row."""
    d = docx.Document()
    d.core_properties.title = title or ""
    if created is not None:
        d.core_properties.created = created
    # Page furniture: a running header is not part of the text.
    d.sections[0].header.paragraphs[0].text = "ARS Bretagne - document interne"
    d.add_paragraph("Note de service", style="Title")
    d.add_heading("Horaires des permanences", 1)
    d.add_paragraph(
        "Les permanences d'accueil sans rendez-vous ont lieu chaque semaine dans les "
        "structures du réseau, selon le tableau ci-dessous."
    )
    table = d.add_table(rows=len(ROWS), cols=len(ROWS[0]))
    for i, row in enumerate(ROWS):
        for j, value in enumerate(row):
            table.cell(i, j).text = value
    d.add_heading("Contacts", 2)
    d.add_paragraph("La ligne d'écoute du réseau répond du lundi au vendredi, de 9 h à 17 h.")
    d.add_paragraph("un appel est rappelé dans la journée", style="List Bullet")
    d.save(str(path))
    return path


def make_odt(path: Path, title: str | None = None, created: str | None = None) -> Path:
    """A LibreOffice circular: a title paragraph, ``text:h`` headings, a table, a list."""
    doc = OpenDocumentText()
    if title:
        doc.meta.addElement(dc.Title(text=title))
    if created:
        doc.meta.addElement(odf_meta.CreationDate(text=created))
    title_style = Style(name="Title", family="paragraph")
    doc.styles.addElement(title_style)
    doc.text.addElement(odf_text.P(stylename=title_style, text="Circulaire régionale"))
    doc.text.addElement(odf_text.H(outlinelevel=1, text="Objet de la circulaire"))
    doc.text.addElement(
        odf_text.P(text="Cette circulaire précise les modalités d'orientation vers les CSAPA.")
    )
    doc.text.addElement(odf_text.H(outlinelevel=2, text="Capacités d'hébergement"))
    table = odf_table.Table(name="Capacites")
    table.addElement(odf_table.TableColumn(numbercolumnsrepeated=3))
    for row in [
        ["Établissement", "Lits", "Public accueilli"],
        ["Centre thérapeutique résidentiel de Lorient", "24", "adultes après un sevrage"],
        ["Appartements de coordination thérapeutique", "6", "personnes sans logement"],
    ]:
        tr = odf_table.TableRow()
        for value in row:
            cell = odf_table.TableCell()
            cell.addElement(odf_text.P(text=value))
            tr.addElement(cell)
        table.addElement(tr)
    doc.text.addElement(table)
    items = odf_text.List()
    item = odf_text.ListItem()
    item.addElement(odf_text.P(text="joindre la fiche de liaison"))
    items.addElement(item)
    doc.text.addElement(items)
    doc.save(str(path))
    return path


def chunks_of(path: Path) -> list[tuple[str, str]]:
    """(section, text) of each chunk, through the real loader, cleaner and chunker."""
    pages = [CleanPage(clean_text(p.text), p.number, p.label) for p in load_pages(path)]
    _, chunks = chunk_document(path.stem, pages)
    return [(c.section, c.text) for c in chunks]


def refusal(path: Path, max_bytes: int | None = None) -> str:
    with pytest.raises(DocumentError) as info:
        check_document(path, max_bytes)
    message = str(info.value)
    assert "\n" not in message and message.startswith(path.name)
    return message


def add_part(path: Path, name: str, size: int) -> None:
    """Append a part of ``size`` zero bytes (it deflates to about size / 1000)."""
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr(name, b"\0" * size)


def test_formats_are_supported() -> None:
    assert {".docx", ".odt"} <= set(SUPPORTED_SUFFIXES)


def test_docx_headings_become_sections_and_rows_keep_their_header(tmp_path: Path) -> None:
    chunks = chunks_of(make_docx(tmp_path / "note.docx"))
    sections = {section for section, _ in chunks}
    assert "Horaires des permanences" in sections
    assert any(s.endswith("Contacts") for s in sections)
    body = "\n".join(text for _, text in chunks)
    assert "Structure : CAARUD Sud ; Jour de permanence : jeudi ; Places : 8." in body
    # No heading is glued to a sentence, and the list item keeps its marker.
    assert "Contacts La ligne" not in body and "- un appel est rappelé" in body
    assert "document interne" not in body
    contacts = next(text for section, text in chunks if section.endswith("Contacts"))
    assert contacts.startswith("La ligne d'écoute")


def test_odt_headings_become_sections_and_rows_keep_their_header(tmp_path: Path) -> None:
    chunks = chunks_of(make_odt(tmp_path / "circulaire.odt"))
    sections = {section for section, _ in chunks}
    assert any(s.endswith("Objet de la circulaire") for s in sections)
    assert any(s.endswith("Capacités d'hébergement") for s in sections)
    body = "\n".join(text for _, text in chunks)
    row = (
        "Établissement : Centre thérapeutique résidentiel de Lorient ; Lits : 24 ; "
        "Public accueilli : adultes après un sevrage."
    )
    assert row in body
    assert "Circulaire régionale" not in body  # the title paragraph is a heading
    assert "- joindre la fiche de liaison" in body


def test_title_and_date_are_proposed_from_the_file_properties(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    word = make_docx(
        tmp_path / "note.docx",
        title="Note de service  sur les permanences",
        created=dt.datetime(2024, 3, 5, 10, 0, tzinfo=dt.UTC),
    )
    writer = make_odt(tmp_path / "circ.odt", title="Circulaire ODT", created="2023-11-02T09:00:00")
    draft = admin.prepare_add(word, {"type": "note"}, corpus)
    assert draft.meta["title"] == "Note de service sur les permanences"
    assert draft.meta["date"] == "2024-03-05"
    draft = admin.prepare_add(writer, {"type": "circulaire"}, corpus)
    assert draft.meta["title"] == "Circulaire ODT"
    assert draft.meta["date"] == "2023-11-02"
    # Added, the file is copied as is (never rewritten as text).
    entry = admin.commit_add(draft, corpus)
    assert entry.path.read_bytes() == writer.read_bytes()


def test_without_properties_the_title_comes_from_the_text(tmp_path: Path) -> None:
    (tmp_path / "corpus").mkdir()
    draft = admin.prepare_add(make_docx(tmp_path / "n.docx"), {}, tmp_path / "corpus")
    assert draft.meta["title"] == "Note de service"


def test_corrupt_or_wrong_files_are_refused_in_french(tmp_path: Path) -> None:
    noise = tmp_path / "bruit.docx"
    noise.write_bytes(os.urandom(4096))
    assert "n'est pas un fichier Word (.docx) valide" in refusal(noise)
    cut = tmp_path / "tronque.odt"
    cut.write_bytes(make_odt(tmp_path / "ok.odt").read_bytes()[:600])
    assert "OpenDocument (.odt)" in refusal(cut)
    # A spreadsheet renamed .odt, a Word file renamed .odt, an .odt renamed .docx.
    sheet = tmp_path / "tableur.odt"
    with zipfile.ZipFile(sheet, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<x/>")
    assert "type MIME" in refusal(sheet)
    renamed = tmp_path / "word.odt"
    renamed.write_bytes(make_docx(tmp_path / "w.docx").read_bytes())
    assert "n'est pas un fichier OpenDocument (.odt) valide" in refusal(renamed)
    other = tmp_path / "writer.docx"
    other.write_bytes((tmp_path / "ok.odt").read_bytes())
    assert "document Word absent" in refusal(other)
    # A valid zip whose main part is not XML: refused when read.
    garbled = make_docx(tmp_path / "garbled.docx")
    with zipfile.ZipFile(garbled, "a") as z, pytest.warns(UserWarning):
        z.writestr("word/document.xml", b"<w:document")  # the later copy is the one read
    with pytest.raises(DocumentError, match="corrompu ou illisible"):
        load_pages(garbled)


def test_the_admin_upload_applies_the_same_checks(tmp_path: Path) -> None:
    from ui.admin import check_upload

    good = make_docx(tmp_path / "note.docx")
    cap = good.stat().st_size + 10_000
    check_upload(good, cap)
    check_upload(make_odt(tmp_path / "circ.odt"), cap)
    noise = tmp_path / "bruit.odt"
    noise.write_bytes(os.urandom(4096))
    with pytest.raises(InputError, match="n'est pas un fichier OpenDocument"):
        check_upload(noise, cap)
    add_part(good, "word/media/zeros.bin", 25 * cap)
    with pytest.raises(InputError, match="bombe de décompression"):
        check_upload(good, cap)


def test_zip_bomb_is_refused_before_parsing(tmp_path: Path) -> None:
    bomb = make_docx(tmp_path / "bombe.docx")
    cap = bomb.stat().st_size + 10_000
    add_part(bomb, "word/media/zeros.bin", 25 * cap)  # a few kilobytes on disk
    assert bomb.stat().st_size <= cap
    message = refusal(bomb, max_bytes=cap)
    assert "bombe de décompression" in message
    odt_bomb = make_odt(tmp_path / "bombe.odt")
    add_part(odt_bomb, "Pictures/zeros.bin", 25 * cap)
    assert "bombe de décompression" in refusal(odt_bomb, max_bytes=cap)
    # Under the cap, the same file is accepted.
    check_document(make_docx(tmp_path / "sain.docx"), max_bytes=cap)


def test_rows_are_cited_and_bad_files_skipped_at_indexing(
    tmp_path: Path, e5: object, make_assistant: MakeAssistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSISTANT_MAX_UPLOAD_BYTES", "200000")
    corpus = tmp_path / "c"
    corpus.mkdir()
    write_meta(make_docx(corpus / "permanences.docx"), type="note", date="2024-03-05")
    write_meta(make_odt(corpus / "circulaire.odt"), type="circulaire", date="2023-11-02")
    noise = corpus / "bruit.docx"
    noise.write_bytes(os.urandom(2048))
    write_meta(noise)
    bomb = make_odt(corpus / "bombe.odt")
    add_part(bomb, "Pictures/zeros.bin", 5_000_000)
    write_meta(bomb)

    a = make_assistant(corpus, e5)
    report = a.sync()
    assert sorted(report.added) == ["circulaire", "permanences"]
    skipped = dict(report.skipped)
    assert set(skipped) == {"bruit.docx", "bombe.odt"}
    assert "bombe de décompression" in skipped["bombe.odt"]

    answer = a.ask("Quel jour a lieu la permanence du CAARUD Sud ?")
    assert not answer.abstained
    first = answer.citations[0]
    assert first.doc_id == "permanences"
    assert "CAARUD Sud ; Jour de permanence : jeudi" in first.text
    assert "CAARUD Sud" in answer.answer and "jeudi" in answer.answer
    assert "CSAPA Nord" not in answer.answer  # the row, not the whole table

    answer = a.ask("Quel public accueille le centre thérapeutique résidentiel de Lorient ?")
    assert not answer.abstained
    assert answer.citations[0].doc_id == "circulaire"
    assert "Lorient ; Lits : 24 ; Public accueilli : adultes après un sevrage" in answer.answer
    assert "Appartements" not in answer.answer
