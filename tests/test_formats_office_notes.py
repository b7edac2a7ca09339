"""Word and OpenDocument notes and text boxes (issue 14): a footnote's reference and a
text box's text are read, once each, where they can be cited; nothing else moves."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
from odf import text as odf_text
from odf.opendocument import OpenDocumentText

from assistant.ingest.loaders import load_pages

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
BOX_TEXT = "Numéro vert : 0 800 23 13 13, gratuit et anonyme."
# A text box as Word writes it: a drawing (wps) and, for older readers, a VML copy.
TEXT_BOX = f"""<w:r {W}
 xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"
 xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
 xmlns:v="urn:schemas-microsoft-com:vml"><mc:AlternateContent>
<mc:Choice Requires="wps"><w:drawing><wps:wsp><wps:txbx><w:txbxContent>
<w:p><w:r><w:t>{BOX_TEXT}</w:t></w:r></w:p></w:txbxContent></wps:txbx></wps:wsp></w:drawing>
</mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>
<w:p><w:r><w:t>{BOX_TEXT}</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict>
</mc:Fallback></mc:AlternateContent></w:r>"""
FOOTNOTES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:footnotes {W}>
<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>
</w:r></w:p></w:footnote>
<w:footnote w:id="1"><w:p><w:r><w:t>Instruction n° DGS/SP3/2022/114 du 19 avril 2022.</w:t>
</w:r></w:p></w:footnote>
<w:footnote w:id="2"><w:p><w:r><w:t>Article L. 3411-8 du code de la santé publique.</w:t>
</w:r></w:p></w:footnote>
</w:footnotes>"""
REF = f'<w:r {W}><w:footnoteReference w:id="1"/></w:r>'


def make_docx_with_notes(path: Path) -> Path:
    d = docx.Document()
    d.add_heading("Réduction des risques", 1)
    p = d.add_paragraph("Les CAARUD distribuent du matériel stérile.")
    d.add_paragraph("Une ligne d'écoute complète le dispositif.")
    d.save(str(path))
    # python-docx writes neither notes nor text boxes: add them as Word does.
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    body = parts["word/document.xml"].decode()
    anchor = "<w:t>Les CAARUD distribuent du matériel stérile.</w:t></w:r>"
    assert anchor in body and p.text
    body = body.replace(anchor, anchor + REF + TEXT_BOX, 1)
    parts["word/document.xml"] = body.encode()
    parts["word/footnotes.xml"] = FOOTNOTES.encode()
    rels = (
        parts["word/_rels/document.xml.rels"]
        .decode()
        .replace(
            "</Relationships>",
            '<Relationship Id="rIdNotes" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/footnotes" Target="footnotes.xml"/></Relationships>',
        )
    )
    parts["word/_rels/document.xml.rels"] = rels.encode()
    types = (
        parts["[Content_Types].xml"]
        .decode()
        .replace(
            "</Types>",
            '<Override PartName="/word/footnotes.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>',
        )
    )
    parts["[Content_Types].xml"] = types.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def test_word_footnotes_come_last_numbered_and_text_boxes_are_read_once(
    tmp_path: Path,
) -> None:
    [page] = load_pages(make_docx_with_notes(tmp_path / "rdr.docx"))
    text = page.text
    assert text.count(BOX_TEXT) == 1
    assert text.index("matériel stérile.") < text.index(BOX_TEXT) < text.index("ligne d'écoute")
    notes = text[text.index("# Notes") :]
    assert "Note 1 : Instruction n° DGS/SP3/2022/114 du 19 avril 2022." in notes
    assert "Note 2 : Article L. 3411-8 du code de la santé publique." in notes
    # The note is not glued into the running text.
    assert "stérile.Instruction" not in text and text.count("DGS/SP3") == 1


def test_opendocument_footnotes_come_last_with_their_printed_number(tmp_path: Path) -> None:
    doc = OpenDocumentText()
    p = odf_text.P(text="Le dispositif est financé par l'assurance maladie.")
    note = odf_text.Note(id="ftn1", noteclass="footnote")
    note.addElement(odf_text.NoteCitation(text="1"))
    body = odf_text.NoteBody()
    body.addElement(odf_text.P(text="Loi n° 2004-806 du 9 août 2004."))
    note.addElement(body)
    p.addElement(note)
    doc.text.addElement(p)
    doc.text.addElement(odf_text.P(text="Il est évalué chaque année."))
    doc.save(str(tmp_path / "financement.odt"))
    [page] = load_pages(tmp_path / "financement.odt")
    text = page.text
    assert "assurance maladie.\n\nIl est évalué" in text  # no note in the sentence
    assert text.rstrip().endswith("# Notes\n\nNote 1 : Loi n° 2004-806 du 9 août 2004.")
