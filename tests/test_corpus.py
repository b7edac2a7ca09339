from pathlib import Path

import pytest

from assistant.errors import CorpusError, DocumentError
from assistant.ingest.corpus import discover, read_meta, validate_type
from tests.conftest import CORPUS
from tests.fakes import write_meta


def test_seed_corpus_has_five_documents_with_catalog_metadata() -> None:
    found = discover(CORPUS)
    assert found.problems == []
    by_id = {e.doc_id: e.meta for e in found.entries}
    assert len(by_id) == 46
    crack = by_id["dgs-instruction-usagers-crack-2022"]
    assert crack.date is not None and crack.date.isoformat() == "2022-04-19"
    assert "DGS/SP3/2022/114" in crack.reference
    assert by_id["mildt-lettre-mission-reseaux-2000"].date.isoformat() == "2000-05-06"  # type: ignore[union-attr]
    assert by_id["riahn-bulletin-travail-en-reseau"].date is None  # unknown, not invented


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ('title = "T"\ntype = "guide"\ndate = "2022-02-30"\n', "date"),
        ('title = "T"\ntype = "brochure"\n', "type"),
        ('type = "guide"\n', "title"),
        ('title = "T"\ntype = "guide"\nstatus = "perime"\n', "status"),
        ('title = "T"\ntype = "guide"\nauteur = "x"\n', "auteur"),
    ],
)
def test_bad_field_is_named_with_the_file(tmp_path: Path, body: str, field: str) -> None:
    meta = tmp_path / "doc.meta.toml"
    meta.write_text(body, encoding="utf-8")
    with pytest.raises(DocumentError) as exc:
        read_meta(meta)
    msg = str(exc.value)
    assert "doc.meta.toml" in msg and f"« {field} »" in msg and "\n" not in msg


def test_unquoted_impossible_date_is_reported(tmp_path: Path) -> None:
    meta = tmp_path / "doc.meta.toml"
    meta.write_text('title = "T"\ntype = "guide"\ndate = 2022-02-30\n', encoding="utf-8")
    with pytest.raises(DocumentError, match=r"doc\.meta\.toml"):
        read_meta(meta)


def test_discover_reports_bad_documents_and_keeps_the_others(tmp_path: Path) -> None:
    good = tmp_path / "bon.txt"
    good.write_text("Un texte.", encoding="utf-8")
    write_meta(good)
    bad = tmp_path / "mauvais.txt"
    bad.write_text("Un autre texte.", encoding="utf-8")
    write_meta(bad, date="2021-13-01")
    (tmp_path / "orphelin.txt").write_text("Sans métadonnées.", encoding="utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    found = discover(tmp_path)
    assert [e.doc_id for e in found.entries] == ["bon"]
    reasons = dict(found.problems)
    assert "date" in reasons["mauvais.txt"]
    assert "orphelin.meta.toml" in reasons["orphelin.txt"]
    assert "image.png" in reasons


def test_missing_corpus_folder(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="introuvable"):
        discover(tmp_path / "absent")


def test_validate_type_accepts_slug_and_label() -> None:
    assert validate_type("circulaire") == "circulaire"
    assert validate_type("lettre de mission") == "lettre_de_mission"
    with pytest.raises(CorpusError, match="inconnu"):
        validate_type("roman")
