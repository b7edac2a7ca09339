from pathlib import Path

import pytest

from assistant import CorpusError, DocumentError, build_assistant
from assistant import corpus_admin as admin
from assistant.ingest.extraction import parse_date, propose
from assistant.settings import Settings
from tests.fakes import make_pdf

HEADER = """title: Code de la santé publique, article L3411-6 (missions des CSAPA)
source: exemple
date: 2016-01-28
type: code

Article L3411-6

Les centres de soins assurent obligatoirement des missions de prévention.
"""


def test_proposal_from_header_and_from_free_text() -> None:
    p = propose(HEADER)
    assert p.fields["title"].startswith("Code de la santé publique, article L3411-6")
    assert (p.fields["type"], p.fields["date"]) == ("code", "2016-01-28")
    assert p.body is not None and p.body.startswith("Article L3411-6")
    free = propose("Paris, le 6 - 5 - 2000.\n\nRéf. NM/DR/00-04/609\n\nTexte…")
    assert free.fields["date"] == "2000-05-06" and free.fields["reference"] == "NM/DR/00-04/609"
    assert (
        propose("title: L6321-1 — version avant abrogation\ntype: code\n").fields["status"]
        == "abroge"
    )
    assert parse_date("Instruction N° DGS/SP3/2022/114 du 19 avril 2022") == parse_date(
        "2022-04-19"
    )


@pytest.fixture
def assistant(small_corpus: Path, tmp_path: Path, e5):
    return build_assistant(
        Settings(corpus_dir=small_corpus, index_dir=tmp_path / "idx"), embeddings=e5
    )


def test_add_list_show_remove(assistant, tmp_path: Path) -> None:
    assistant.sync()
    src = tmp_path / "L3411-6.txt"
    src.write_text(HEADER, encoding="utf-8")
    entry, report = admin.add(assistant, src, {"issuer": "Légifrance"})
    assert entry.doc_id == "l3411-6" and report.added == ["l3411-6"]
    assert entry.path.read_text("utf-8").startswith("Article L3411-6")  # header moved out
    assert entry.meta.issuer == "Légifrance" and entry.meta.date.isoformat() == "2016-01-28"  # type: ignore[union-attr]

    rows = {r.doc_id: r for r in admin.status_rows(assistant)}
    assert rows["l3411-6"].indexed and rows["l3411-6"].current and rows["l3411-6"].chunks == 1
    info = admin.show(assistant, "l3411-6")
    assert info["sections"] == ["Article L3411-6"] and len(info["chunks"]) == 1

    entry.path.write_text("Article L3411-6\n\nTexte modifié à la main.\n", "utf-8")
    assert not {r.doc_id: r for r in admin.status_rows(assistant)}["l3411-6"].current

    with pytest.raises(CorpusError, match="existe déjà"):
        admin.add(assistant, src, {})
    report = admin.remove(assistant, "l3411-6")
    assert report.removed == ["l3411-6"] and not entry.path.exists()
    assert "l3411-6" not in assistant.store.doc_hashes()
    with pytest.raises(CorpusError, match="aucun document"):
        admin.remove(assistant, "l3411-6")


def test_add_pdf_with_metadata_and_password(assistant, tmp_path: Path) -> None:
    pdf = make_pdf(
        tmp_path / "Note DGS.pdf",
        ["Note du 3 mars 2021 sur les consultations jeunes consommateurs."],
        user_password="s3cret",
    )
    corpus = assistant.settings.corpus_dir
    with pytest.raises(DocumentError, match="chiffré"):
        admin.prepare_add(pdf, {"type": "note"}, corpus)
    assert not list(corpus.glob("note-dgs*"))  # nothing written
    draft = admin.prepare_add(pdf, {"type": "note"}, corpus, password="s3cret")
    assert draft.doc_id == "note-dgs" and draft.meta["date"] == "2021-03-03"
    entry = admin.commit_add(draft, corpus)
    assert entry.path.suffix == ".pdf" and entry.meta_path.exists()


def test_missing_field_fails_before_anything_is_written(assistant, tmp_path: Path) -> None:
    src = tmp_path / "sans-type.txt"
    src.write_text("Un titre\n\nUn texte sans type connu.", "utf-8")
    draft = admin.prepare_add(src, {}, assistant.settings.corpus_dir)
    with pytest.raises(CorpusError, match="« type »"):
        admin.commit_add(draft, assistant.settings.corpus_dir)
    assert not (assistant.settings.corpus_dir / "sans-type.txt").exists()


def test_unsupported_upload_is_refused(assistant, tmp_path: Path) -> None:
    exe = tmp_path / "virus.exe"
    exe.write_bytes(b"MZ")
    with pytest.raises(CorpusError, match="format non pris en charge"):
        admin.prepare_add(exe, {}, assistant.settings.corpus_dir)
