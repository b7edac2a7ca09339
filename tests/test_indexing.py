from collections.abc import Callable
from pathlib import Path

import pytest

from assistant import Assistant, CorpusError
from tests.fakes import CountingEmbeddings, FailingEmbeddings, make_pdf, write_meta

MakeAssistant = Callable[..., Assistant]


def test_indexing_twice_changes_nothing(seed_index: Path, e5, tmp_path: Path):
    from assistant import Settings, build_assistant
    from tests.conftest import CORPUS

    counting = CountingEmbeddings(e5)
    a = build_assistant(Settings(corpus_dir=CORPUS, index_dir=seed_index), embeddings=counting)
    ids = sorted(a.store.ids())
    n_docs = len(a.store.doc_hashes())
    assert n_docs >= 40 and len(ids) > 200
    again = a.sync()
    assert len(again.unchanged) == n_docs and not again.changed and again.chunks_embedded == 0
    assert sorted(a.store.ids()) == ids and a.store.count() == len(ids)
    assert counting.documents == []  # nothing re-embedded


def test_editing_one_document_reembeds_only_it(indexed, e5, make_assistant: MakeAssistant):
    corpus_copy, _ = indexed
    counting = CountingEmbeddings(e5)
    a = make_assistant(corpus_copy, counting)
    before = {c.chunk_id: c.metadata["doc_id"] for c in a.store.all_chunks()}
    counting.documents.clear()

    doc = corpus_copy / "dgs-instruction-usagers-crack-2022.txt"
    doc.write_text(
        doc.read_text(encoding="utf-8") + "\n\nUn paragraphe ajouté par un mainteneur.\n",
        encoding="utf-8",
    )
    report = a.sync()
    assert report.updated == ["dgs-instruction-usagers-crack-2022"]
    assert not report.added and not report.removed
    crack_chunks = [c for c in a.store.all_chunks() if c.metadata["doc_id"] == doc.stem]
    n_units = len(a.store.unit_ids_of(doc.stem))
    # Only that document's chunks and answer units were embedded.
    assert len(counting.documents) == len(crack_chunks) + n_units
    title = "Des parcours de soin adaptés pour éloigner les usagers de crack"
    body = " ".join(c.text for c in crack_chunks)
    assert all(t.startswith(title) or t in body for t in counting.documents)
    after = {c.chunk_id: c.metadata["doc_id"] for c in a.store.all_chunks()}
    # Other documents' chunks are untouched; the edited one has no leftover chunk.
    assert {k for k, v in before.items() if v != doc.stem} == {
        k for k, v in after.items() if v != doc.stem
    }
    assert (
        len(
            {
                c.metadata["content_hash"]
                for c in a.store.all_chunks()
                if c.metadata["doc_id"] == doc.stem
            }
        )
        == 1
    )
    hit = a.ask("Quel paragraphe a été ajouté par un mainteneur ?").passages[0]
    assert hit.doc_id == doc.stem and "mainteneur" in hit.text


def test_removed_document_is_deleted(indexed, e5, make_assistant: MakeAssistant):
    corpus_copy, _ = indexed
    a = make_assistant(corpus_copy, e5)
    (corpus_copy / "coordination-toxicomanie-anderlecht.txt").unlink()
    (corpus_copy / "coordination-toxicomanie-anderlecht.meta.toml").unlink()
    report = a.sync()
    assert report.removed == ["coordination-toxicomanie-anderlecht"]
    assert "coordination-toxicomanie-anderlecht" not in a.store.doc_hashes()
    assert all(not cid.startswith("coordination") for cid in a.lexical.ids)


def test_bad_documents_are_skipped_and_the_others_indexed(
    tmp_path: Path, e5, make_assistant: MakeAssistant
):
    corpus = tmp_path / "c"
    corpus.mkdir()
    good = corpus / "guide.txt"
    good.write_text("Le secret partagé permet l'échange d'informations entre soignants.", "utf-8")
    write_meta(good)
    pdf = make_pdf(corpus / "note.pdf", ["Une note sur les reseaux de sante en addictologie."])
    write_meta(pdf, type="note", date="2021-03-04")
    broken = corpus / "casse.pdf"
    broken.write_bytes(pdf.read_bytes()[:150])
    write_meta(broken)
    locked = make_pdf(corpus / "verrou.pdf", ["Secret."], user_password="x")
    write_meta(locked)
    (corpus / "vide.txt").write_text("\n", "utf-8")
    write_meta(corpus / "vide.txt")
    (corpus / "datefausse.txt").write_text("Texte.", "utf-8")
    write_meta(corpus / "datefausse.txt", date="2020-02-31")

    a = make_assistant(corpus, e5)
    report = a.sync()
    assert sorted(report.added) == ["guide", "note"]
    skipped = dict(report.skipped)
    assert set(skipped) == {"casse.pdf", "verrou.pdf", "vide.txt", "datefausse.txt"}
    assert "chiffré" in skipped["verrou.pdf"] and "date" in skipped["datefausse.txt"]
    note = next(c for c in a.store.all_chunks() if c.metadata["doc_id"] == "note")
    assert note.metadata["page"] == 1 and note.metadata["date"] == "2021-03-04"


def test_a_document_that_turns_bad_keeps_its_indexed_version(
    indexed, e5, make_assistant: MakeAssistant
):
    corpus_copy, _ = indexed
    a = make_assistant(corpus_copy, e5)
    n = a.store.count()
    meta = corpus_copy / "riahn-bulletin-travail-en-reseau.meta.toml"
    meta.write_text(meta.read_text("utf-8") + 'date = "2009-02-30"\n', "utf-8")
    doc = corpus_copy / "coordination-toxicomanie-anderlecht.txt"
    doc.write_text("   \n", "utf-8")
    report = a.sync()
    assert {name for name, _ in report.skipped} == {
        "riahn-bulletin-travail-en-reseau.txt",
        "coordination-toxicomanie-anderlecht.txt",
    }
    assert not report.removed and a.store.count() == n


def test_empty_or_missing_corpus_keeps_the_index(indexed, e5, make_assistant: MakeAssistant):
    corpus_copy, _ = indexed
    a = make_assistant(corpus_copy, e5)
    n = a.store.count()
    for f in corpus_copy.iterdir():
        f.unlink()
    with pytest.raises(CorpusError, match="conservé"):
        a.sync()
    corpus_copy.rmdir()
    with pytest.raises(CorpusError, match="introuvable"):
        a.sync()
    assert a.store.count() == n


def test_crash_mid_swap_keeps_old_version_and_next_sync_completes(
    indexed, e5, make_assistant: MakeAssistant
):
    corpus_copy, _ = indexed
    a = make_assistant(corpus_copy, e5)
    doc = corpus_copy / "mildt-note-chefs-de-projet-orientations-2010.txt"
    old_ids = set(a.store.chunk_ids_of(doc.stem))
    doc.write_text(doc.read_text("utf-8").replace("growshops", "jardineries"), "utf-8")

    crashing = FailingEmbeddings(e5, fail_when=lambda texts: True)
    broken = make_assistant(corpus_copy, crashing)
    with pytest.raises(RuntimeError):
        broken.sync()
    assert set(a.store.chunk_ids_of(doc.stem)) == old_ids  # old version still searchable

    report = a.sync()
    assert report.updated == [doc.stem]
    new = a.store.all_chunks()
    assert any("jardineries" in c.text for c in new)
    assert not any("growshops" in c.text for c in new)
    assert len({c.metadata["content_hash"] for c in new if c.metadata["doc_id"] == doc.stem}) == 1


# --- per-document records (issue 12, item 4) ---------------------------------------------


def _synthetic_corpus(root: Path, n: int) -> Path:
    corpus = root / "corpus"
    corpus.mkdir()
    for i in range(n):
        doc = corpus / f"doc-{i:03d}.txt"
        doc.write_text(
            f"Le réseau numéro {i} coordonne les soins en addictologie.\n\n"
            f"Il réunit des professionnels de santé et du secteur social ({i}).\n",
            encoding="utf-8",
        )
        write_meta(doc, title=f"Document {i}")
    return corpus


def test_no_change_sync_reads_one_record_per_document(
    tmp_path: Path, make_assistant: MakeAssistant
) -> None:
    from tests.fakes import HashEmbeddings

    corpus = _synthetic_corpus(tmp_path, 6)
    a = make_assistant(corpus, HashEmbeddings(size=16))
    assert len(a.sync().added) == 6
    assert a.store.docs.count() == 6

    def no_scan() -> None:
        raise AssertionError("the metadata of every chunk was read")

    a.store.metadatas = no_scan  # type: ignore[method-assign,assignment]
    again = a.sync()
    assert len(again.unchanged) == 6 and not again.changed


def test_index_without_records_is_synced_and_gets_them(
    tmp_path: Path, make_assistant: MakeAssistant
) -> None:
    """An index written before the records (or after a crash) is read from its chunks,
    nothing is re-embedded, and the records are written for the next sync."""
    from tests.fakes import HashEmbeddings

    corpus = _synthetic_corpus(tmp_path, 4)
    counting = CountingEmbeddings(HashEmbeddings(size=16))
    a = make_assistant(corpus, counting)
    a.sync()
    a.store.docs.delete(ids=a.store.docs.get(include=[])["ids"])  # as before the records
    counting.documents.clear()
    report = a.sync()
    assert len(report.unchanged) == 4 and counting.documents == []
    assert a.store.docs.count() == 4
    hashes = a.store.doc_hashes()
    assert a.store._scan_doc_hashes(a.store._doc_records()) == hashes


def test_records_follow_edits_and_removals(tmp_path: Path, make_assistant: MakeAssistant) -> None:
    from tests.fakes import HashEmbeddings

    corpus = _synthetic_corpus(tmp_path, 3)
    a = make_assistant(corpus, HashEmbeddings(size=16))
    a.sync()
    (corpus / "doc-000.txt").write_text("Un autre texte sur la réduction des risques.\n", "utf-8")
    (corpus / "doc-001.txt").unlink()
    (corpus / "doc-001.meta.toml").unlink()
    report = a.sync()
    assert report.updated == ["doc-000"] and report.removed == ["doc-001"]
    assert sorted(a.store._doc_records()) == ["doc-000", "doc-002"]
    # A removal made without the records (chunks deleted directly) is noticed too.
    a.store.delete(a.store.chunk_ids_of("doc-002"))
    assert "doc-002" not in a.store.doc_hashes()
    assert sorted(a.store._doc_records()) == ["doc-000"]


def test_an_index_changed_elsewhere_is_noticed(
    tmp_path: Path, make_assistant: MakeAssistant
) -> None:
    """What a replica sharing the Chroma store checks before trusting its lexical index."""
    from tests.fakes import HashEmbeddings

    corpus = _synthetic_corpus(tmp_path, 2)
    a = make_assistant(corpus, HashEmbeddings(size=16))
    a.sync()
    lexical = a.indexer.refresh_lexical()
    assert a.indexer.is_current(lexical)
    # A change of metadata alone keeps the chunk ids but writes the document's record.
    (h, n, done) = a.store._doc_records()["doc-000"]
    a.store.record_docs([("doc-000", "autre" + h, n, done)])
    assert not a.indexer.is_current(lexical)
    lexical = a.indexer.refresh_lexical()
    assert a.indexer.is_current(lexical)
    a.store.forget_docs(["doc-000"])
    assert not a.indexer.is_current(lexical)
    lexical = a.indexer.refresh_lexical()
    a.store.delete(a.store.chunk_ids_of("doc-001"))
    assert not a.indexer.is_current(lexical)


def _settle() -> None:
    """Let the clock of the file system move past the last write (a tick is ≤ 10 ms)."""
    import time

    time.sleep(0.05)


def test_discovery_reuses_unchanged_documents_and_sees_every_edit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Within a process, a document whose files have the same stamp (inode, size,
    mtime_ns, ctime_ns) is not read again; any edit, of the same size too, is seen."""
    import os

    from assistant.ingest import corpus as corpus_mod
    from assistant.ingest.corpus import DiscoveryCache, discover

    corpus = _synthetic_corpus(tmp_path, 3)
    reads: list[str] = []
    real_read = corpus_mod.read_meta

    def read_meta(path: Path) -> object:
        reads.append(path.name)
        return real_read(path)

    monkeypatch.setattr(corpus_mod, "read_meta", read_meta)
    cache = DiscoveryCache(racy_s=0)
    _settle()
    first = discover(corpus, cache=cache)
    hashes = {e.doc_id: e.content_hash("v") for e in first.entries}
    assert len(reads) == 3 and len(cache) == 3
    reads.clear()
    again = discover(corpus, cache=cache)
    assert reads == [] and {e.doc_id: e.content_hash("v") for e in again.entries} == hashes
    assert [e.meta for e in again.entries] == [e.meta for e in first.entries]

    # Same size, content and sidecar; and a sidecar whose mtime is set back.
    doc0 = corpus / "doc-000.txt"
    doc0.write_text(doc0.read_text("utf-8").replace("réseau", "RÉSEAU"), "utf-8")
    meta1 = corpus / "doc-001.meta.toml"
    st = meta1.stat()
    meta1.write_text(meta1.read_text("utf-8").replace("Document 1", "Document 9"), "utf-8")
    os.utime(meta1, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert meta1.stat().st_size == st.st_size
    _settle()
    edited = {e.doc_id: e for e in discover(corpus, cache=cache).entries}
    assert sorted(reads) == ["doc-000.meta.toml", "doc-001.meta.toml"]
    assert edited["doc-000"].content_hash("v") != hashes["doc-000"]
    assert edited["doc-001"].meta.title == "Document 9"
    assert edited["doc-002"].content_hash("v") == hashes["doc-002"]
    # A document gone leaves the cache.
    (corpus / "doc-002.txt").unlink()
    assert [e.doc_id for e in discover(corpus, cache=cache).entries] == ["doc-000", "doc-001"]
    assert len(cache) == 2


def test_a_file_changed_just_before_discovery_is_not_trusted(tmp_path: Path) -> None:
    """Two writes within one tick of the file system's clock can leave the same stamp: a
    file changed less than ``racy_s`` before it was read is read again next time."""
    import os

    from assistant.ingest.corpus import DiscoveryCache, discover

    corpus = _synthetic_corpus(tmp_path, 1)
    meta = corpus / "doc-000.meta.toml"
    cache = DiscoveryCache(racy_s=2)  # the files were just written
    assert discover(corpus, cache=cache).entries[0].meta.title == "Document 0"
    assert len(cache) == 0
    st = meta.stat()
    meta.write_text(meta.read_text("utf-8").replace("Document 0", "Document 7"), "utf-8")
    os.utime(meta, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert discover(corpus, cache=cache).entries[0].meta.title == "Document 7"


def test_a_sync_with_the_discovery_cache_sees_a_same_size_metadata_edit(
    tmp_path: Path, make_assistant: MakeAssistant
) -> None:
    from assistant.ingest.corpus import DiscoveryCache
    from tests.fakes import HashEmbeddings

    corpus = _synthetic_corpus(tmp_path, 3)
    a = make_assistant(corpus, HashEmbeddings(size=16))
    a.indexer.discovery_cache = DiscoveryCache(racy_s=0)
    _settle()
    assert len(a.sync().added) == 3
    assert len(a.indexer.discovery_cache) == 3
    assert len(a.sync().unchanged) == 3
    meta = corpus / "doc-001.meta.toml"
    meta.write_text(meta.read_text("utf-8").replace("guide", "fiche"), "utf-8")
    _settle()
    report = a.sync()
    assert report.updated == ["doc-001"] and len(report.unchanged) == 2
    passages, _ = a.search("réseau numéro 1", mode="bm25")
    assert {p.metadata["type"] for p in passages if p.doc_id == "doc-001"} == {"fiche"}


def test_the_racy_window_follows_the_file_system_clock() -> None:
    """Times with sub-second digits (ext4…): 0.1 s; whole seconds (FAT, HFS+…): 2 s."""
    from assistant.ingest.corpus import DiscoveryCache

    def stamp(t: int) -> tuple[int, int, int, int, int]:
        return (1, 2, 3, t, t)

    s = 10**9
    fine, coarse = stamp(100 * s + 123_456_789), stamp(100 * s)
    cache = DiscoveryCache()
    assert cache._settled((fine, fine), 100 * s + 300_000_000)
    assert not cache._settled((fine, fine), 100 * s + 150_000_000)
    assert not cache._settled((coarse, fine), 101 * s)
    assert cache._settled((coarse, fine), 103 * s)
