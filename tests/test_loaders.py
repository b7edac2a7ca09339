from pathlib import Path

import pytest

from assistant.errors import DocumentError
from assistant.ingest.loaders import load_pages
from tests.fakes import make_image_only_pdf, make_pdf


def test_text_and_markdown(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Bonjour le réseau.", encoding="utf-8")
    (tmp_path / "b.md").write_bytes("# Titre\n\nCafé crème.".encode("cp1252"))
    assert load_pages(tmp_path / "a.txt")[0].text == "Bonjour le réseau."
    page = load_pages(tmp_path / "b.md")[0]
    assert "Café" in page.text and page.number is None


def test_pdf_pages_and_labels(tmp_path: Path) -> None:
    pdf = make_pdf(
        tmp_path / "c.pdf",
        ["Premiere page sur le secret partage.", "Deuxieme page sur les reseaux."],
        labels=("r", 4),
    )
    pages = load_pages(pdf)
    assert [p.number for p in pages] == [1, 2]
    assert [p.label for p in pages] == ["iv", "v"]
    assert "secret partage" in pages[0].text and "reseaux" in pages[1].text


def test_pdf_without_labels_has_no_label(tmp_path: Path) -> None:
    pages = load_pages(make_pdf(tmp_path / "d.pdf", ["Une page."]))
    assert pages[0].label is None


def test_encrypted_pdf(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "e.pdf", ["Texte confidentiel."], user_password="secret")
    with pytest.raises(DocumentError, match="chiffré"):
        load_pages(pdf)
    assert "confidentiel" in load_pages(pdf, password="secret")[0].text


def test_corrupt_pdf(tmp_path: Path) -> None:
    good = make_pdf(tmp_path / "f.pdf", ["Du texte."])
    bad = tmp_path / "tronque.pdf"
    bad.write_bytes(good.read_bytes()[:200])
    with pytest.raises(DocumentError, match=r"tronque\.pdf"):
        load_pages(bad)
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"ceci n'est pas un pdf")
    with pytest.raises(DocumentError, match="corrompu"):
        load_pages(junk)


def test_scan_without_text_layer(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="pas de couche texte"):
        load_pages(make_image_only_pdf(tmp_path / "scan.pdf"))


def test_empty_document(tmp_path: Path) -> None:
    (tmp_path / "vide.txt").write_text("  \n\n ", encoding="utf-8")
    with pytest.raises(DocumentError, match="vide"):
        load_pages(tmp_path / "vide.txt")
