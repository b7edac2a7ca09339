"""Text encodings (issue 14): UTF-16 text as Windows Notepad saves it ("Unicode"), and
saved web pages in the charset their ``<meta>`` declares, read right or refused in one
French line; never indexed as ``ÿþP\\x00r\\x00…``."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from assistant.errors import DocumentError
from assistant.ingest.loaders import check_document, load_pages, read_markup

TEXT = "Protocole d'accueil\n\nL'usager est reçu à l'accueil, où l'écoutant note sa demande.\n"


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE)],
)
@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_utf16_with_its_byte_order_mark_is_decoded(
    tmp_path: Path, encoding: str, bom: bytes, suffix: str
) -> None:
    path = tmp_path / f"notepad{suffix}"
    path.write_bytes(bom + TEXT.encode(encoding))
    check_document(path)
    check_document(path, utf8_only=True)  # the admin's upload takes it too
    [page] = load_pages(path)
    assert "L'usager est reçu à l'accueil, où l'écoutant note sa demande." in page.text
    assert "\x00" not in page.text and "ÿþ" not in page.text


def test_utf16_without_mark_or_broken_is_refused_in_one_line(tmp_path: Path) -> None:
    bare = tmp_path / "sans-bom.txt"
    bare.write_bytes(TEXT.encode("utf-16-le"))
    with pytest.raises(DocumentError, match=r"^sans-bom\.txt : fichier binaire"):
        check_document(bare)
    cut = tmp_path / "coupe.txt"
    cut.write_bytes(codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le")[:-1])
    with pytest.raises(DocumentError) as info:
        load_pages(cut)
    assert (
        str(info.value) == "coupe.txt : encodage non pris en charge (le texte n'est pas en utf-16)"
    )


PAGE = """<!DOCTYPE html>
<html lang="fr"><head>{declaration}
<title>Accès aux soins en addictologie</title>
</head><body><main><article>
<h1>Accès aux soins en addictologie</h1>
<p>L'accès réservé aux professionnels coûte 5 € par an ; les usagers y sont reçus
gratuitement, du lundi au vendredi, à l'accueil de l'hôpital.</p>
</article></main></body></html>
"""
SENTENCE = "L'accès réservé aux professionnels coûte 5 € par an"


@pytest.mark.parametrize(
    ("declaration", "encoding"),
    [
        ('<meta charset="windows-1252">', "cp1252"),
        ("<meta charset=ISO-8859-15>", "iso8859-15"),
        (
            '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-15">',
            "iso8859-15",
        ),
        # Declared Latin-1 holds the euro sign of Windows-1252, as browsers read it.
        ('<meta charset="iso-8859-1">', "cp1252"),
    ],
)
def test_a_saved_page_is_read_in_the_charset_it_declares(
    tmp_path: Path, declaration: str, encoding: str
) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(PAGE.format(declaration=declaration).encode(encoding))
    check_document(path, utf8_only=True)  # the upload no longer asks for UTF-8
    text = " ".join(load_pages(path)[0].text.split())
    assert SENTENCE in text
    assert read_markup(path).meta["title"] == "Accès aux soins en addictologie"


def test_a_page_declared_utf8_but_saved_in_windows_1252_is_still_read(tmp_path: Path) -> None:
    path = tmp_path / "page.htm"
    path.write_bytes(PAGE.format(declaration='<meta charset="utf-8">').encode("cp1252"))
    assert SENTENCE in " ".join(load_pages(path)[0].text.split())
    with pytest.raises(DocumentError, match="pas en UTF-8"):
        check_document(path, utf8_only=True)
