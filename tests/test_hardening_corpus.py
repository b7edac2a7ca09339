"""Issue 16, corpus side: what enters the corpus and the index is checked the same way
everywhere (links out of the folder, metadata, ids, size, NUL bytes), and a bad document
is reported and skipped without losing what is indexed."""

from __future__ import annotations

import logging
import tomllib
from pathlib import Path

import pytest

from assistant import build_assistant
from assistant import corpus_admin as admin
from assistant.cli import main
from assistant.errors import CorpusError, DocumentError
from assistant.ingest.corpus import discover
from assistant.ingest.loaders import check_document, load_pages
from assistant.settings import Settings
from tests.fakes import HashEmbeddings, write_meta

TEXT = "Article 1\n\nLes consultations jeunes consommateurs accueillent les familles.\n"


@pytest.fixture
def fake(small_corpus: Path, tmp_path: Path):
    """The small corpus with a fast stand-in embedder: these tests are about plumbing."""
    return build_assistant(
        Settings(corpus_dir=small_corpus, index_dir=tmp_path / "idx"),
        embeddings=HashEmbeddings(size=16),
    )


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(code: int, err: str, *words: str) -> None:
    lines = err.strip().splitlines()
    assert code != 0 and len(lines) == 1 and lines[0].startswith("erreur :"), err
    for w in words:
        assert w in lines[0], err


# --- 3. a symbolic link out of corpus/ ----------------------------------------------------


def test_link_out_of_the_corpus_is_skipped_with_a_warning(fake, tmp_path, caplog) -> None:
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("Mot de passe du serveur : hunter2.\n", "utf-8")
    corpus = fake.settings.corpus_dir
    (corpus / "fuite.txt").symlink_to(secret)
    write_meta(corpus / "fuite.txt", title="Fuite")
    # A link inside the folder is an ordinary document.
    (tmp_path / "inside.txt").write_text(TEXT, "utf-8")
    (corpus / "dedans.txt").symlink_to(corpus / "riahn-bulletin-travail-en-reseau.txt")
    write_meta(corpus / "dedans.txt", title="Dedans")

    with caplog.at_level(logging.WARNING, logger="assistant"):
        report = fake.sync()
    assert "fuite" not in report.added and "dedans" in report.added
    assert [name for name, _ in report.skipped] == ["fuite.txt"]
    assert "lien symbolique vers l'extérieur du corpus" in report.skipped[0][1]
    assert any("fuite.txt" in r.getMessage() for r in caplog.records)
    texts = " ".join(c.text for c in fake.store.all_chunks())
    assert "hunter2" not in texts


def test_indexed_document_replaced_by_an_outside_link_is_removed(fake, tmp_path) -> None:
    corpus = fake.settings.corpus_dir
    (corpus / "note.txt").write_text(TEXT, "utf-8")
    write_meta(corpus / "note.txt", title="Note")
    assert "note" in fake.sync().added
    outside = tmp_path / "passwd"
    outside.write_text("root:x:0:0:root:/root:/bin/bash\n", "utf-8")
    (corpus / "note.txt").unlink()
    (corpus / "note.txt").symlink_to(outside)
    report = fake.sync()
    # Unlike an unreadable document, what such a link let in is not kept.
    assert report.removed == ["note"] and "note" not in fake.store.doc_hashes()


def test_sidecar_linked_out_of_the_corpus_is_refused(small_corpus, tmp_path) -> None:
    (small_corpus / "note.txt").write_text(TEXT, "utf-8")
    meta = write_meta(tmp_path / "note.txt", title="Note")
    (small_corpus / "note.meta.toml").symlink_to(meta)
    found = discover(small_corpus)
    assert "note" not in {e.doc_id for e in found.entries}
    assert {"note.txt", "note.meta.toml"} <= found.refused


# --- 4. a title with a newline; TOML written by a library --------------------------------


def test_title_with_newline_is_refused_before_anything_is_written(
    small_corpus, tmp_path, monkeypatch, capsys
) -> None:
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(small_corpus))
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(tmp_path / "idx"))
    src = tmp_path / "x.txt"
    src.write_text("title: Fiche\ntype: fiche\n\n" + TEXT, "utf-8")
    before = sorted(p.name for p in small_corpus.iterdir())
    code, _, err = run(capsys, "corpus", "add", str(src), "--title", 'T"\n[x]', "--yes")
    one_line_error(code, err, "« title »", "retour à la ligne")
    assert sorted(p.name for p in small_corpus.iterdir()) == before  # no x.txt.part


@pytest.mark.parametrize(
    "title",
    ['Guillemets " et \\ barre', "Crochets [x] = y", "Accents éàç « »", "Tab\tulation"],
)
def test_sidecar_reads_back_whatever_the_title(fake, tmp_path, title: str) -> None:
    src = tmp_path / "fiche.txt"
    src.write_text(TEXT, "utf-8")
    draft = admin.prepare_add(src, {"title": title, "type": "fiche"}, fake.settings.corpus_dir)
    entry = admin.commit_add(draft, fake.settings.corpus_dir)
    assert tomllib.loads(entry.meta_path.read_text("utf-8"))["title"] == title
    assert discover(fake.settings.corpus_dir).problems == []


def test_failed_write_leaves_no_stray_file(fake, tmp_path, monkeypatch) -> None:
    src = tmp_path / "fiche.txt"
    src.write_text(TEXT, "utf-8")
    corpus = fake.settings.corpus_dir
    before = sorted(p.name for p in corpus.iterdir())
    draft = admin.prepare_add(src, {"title": "Fiche", "type": "fiche"}, corpus)

    def boom(self: Path, target: Path) -> Path:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "replace", boom)
    with pytest.raises(CorpusError, match="écriture impossible"):
        admin.commit_add(draft, corpus)
    monkeypatch.undo()
    assert sorted(p.name for p in corpus.iterdir()) == before


def test_leftover_part_file_does_not_fail_indexing(fake) -> None:
    corpus = fake.settings.corpus_dir
    (corpus / ".x.txt.part").write_text(TEXT, "utf-8")  # a crash mid-add, hidden
    assert fake.sync().skipped == []


# --- 5. an id that is not a slug ----------------------------------------------------------


@pytest.mark.parametrize(
    "bad_id", ["../../escaped-doc", "/tmp/escaped-doc", "a/b", "Majuscules", "", "x.y", ".."]
)
def test_id_that_is_not_a_slug_is_refused(
    small_corpus, tmp_path, monkeypatch, capsys, bad_id: str
) -> None:
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(small_corpus))
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(tmp_path / "idx"))
    monkeypatch.chdir(tmp_path)
    src = tmp_path / "fiche.txt"
    src.write_text("title: Fiche\ntype: fiche\n\n" + TEXT, "utf-8")
    before = sorted(p.name for p in small_corpus.iterdir())
    code, _, err = run(capsys, "corpus", "add", str(src), "--id", bad_id, "--yes")
    one_line_error(code, err, "identifiant invalide")
    assert sorted(p.name for p in small_corpus.iterdir()) == before
    assert not list(tmp_path.glob("escaped-doc*")) and not Path("/tmp/escaped-doc.txt").exists()
    with pytest.raises(CorpusError, match="identifiant invalide"):
        admin.prepare_add(src, {}, small_corpus, doc_id=bad_id)


# --- 7. size cap, 8. NUL bytes: one check for the admin, corpus add and indexing ----------


def test_check_document_rules(tmp_path) -> None:
    cases = {
        "gros.md": (b"a" * 101, "fichier trop gros (101 octets, maximum 100)"),
        "nul.txt": (b"abc\x00def", "fichier binaire"),
        "faux.pdf": (b"<html>pas un pdf</html>", "ce n'est pas un PDF"),
        "virus.exe": (b"MZ", "format non pris en charge"),
    }
    for name, (content, message) in cases.items():
        (tmp_path / name).write_bytes(content)
        with pytest.raises(DocumentError, match=message.replace("(", r"\(").replace(")", r"\)")):
            check_document(tmp_path / name, 100)
    (tmp_path / "latin1.txt").write_bytes("Côté".encode("latin-1"))
    check_document(tmp_path / "latin1.txt", 100)  # older corpus texts: Windows-1252 is read
    with pytest.raises(DocumentError, match="pas en UTF-8"):
        check_document(tmp_path / "latin1.txt", 100, utf8_only=True)  # browser uploads


def test_size_cap_defaults_to_the_upload_setting(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("ASSISTANT_MAX_UPLOAD_BYTES", "50")
    (tmp_path / "a.md").write_text("x" * 60, "utf-8")
    with pytest.raises(DocumentError, match="trop gros"):
        load_pages(tmp_path / "a.md")


def test_corpus_add_refuses_big_and_nul_files(small_corpus, tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(small_corpus))
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(tmp_path / "idx"))
    monkeypatch.setenv("ASSISTANT_MAX_UPLOAD_BYTES", "1000")
    big = tmp_path / "gros.md"
    big.write_text("# Titre\n\n" + "Une phrase du document. " * 100, "utf-8")
    nul = tmp_path / "nul.txt"
    nul.write_bytes(b"title: T\ntype: fiche\n\nDu texte\x00 binaire.\n")
    before = sorted(p.name for p in small_corpus.iterdir())
    code, _, err = run(capsys, "corpus", "add", str(big), "--type", "fiche", "--yes")
    one_line_error(code, err, "gros.md", "fichier trop gros", "maximum 1000")
    code, _, err = run(capsys, "corpus", "add", str(nul), "--yes")
    one_line_error(code, err, "nul.txt", "fichier binaire")
    assert sorted(p.name for p in small_corpus.iterdir()) == before


def test_indexing_skips_big_and_nul_documents_and_keeps_what_is_indexed(fake, monkeypatch) -> None:
    corpus = fake.settings.corpus_dir
    (corpus / "gros.md").write_text(TEXT, "utf-8")
    write_meta(corpus / "gros.md", title="Gros")
    assert "gros" in fake.sync().added
    monkeypatch.setenv("ASSISTANT_MAX_UPLOAD_BYTES", "20000")
    (corpus / "gros.md").write_text(TEXT + "Encore une phrase longue. " * 1000, "utf-8")
    (corpus / "nul.txt").write_bytes(b"Du texte\x00 avec un octet nul.\n")
    write_meta(corpus / "nul.txt", title="Nul")
    report = fake.sync()
    skipped = dict(report.skipped)
    assert set(skipped) == {"gros.md", "nul.txt"}
    assert "fichier trop gros" in skipped["gros.md"] and "maximum 20000" in skipped["gros.md"]
    assert "fichier binaire" in skipped["nul.txt"]
    stored = fake.store.doc_hashes()
    assert "gros" in stored and "nul" not in stored  # the indexed version is kept
    assert not any("\x00" in c.text for c in fake.store.all_chunks())
