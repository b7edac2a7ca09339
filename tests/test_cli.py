import json
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.cli import main

SECRET = (
    "Ai-je le droit de partager des informations sur un patient avec les autres "
    "professionnels du réseau ?"
)


@pytest.fixture
def env(indexed, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    corpus, index = indexed
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(corpus))
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(index))
    return corpus, index


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_ask_json(env, capsys) -> None:
    code, out, _ = run(capsys, "ask", SECRET, "--format", "json", "--top-k", "5")
    assert code == 0
    d = json.loads(out)
    assert d["abstained"] is False and len(d["passages"]) == 5
    # The rule itself: sharing for continuity of care, unless the patient objects.
    assert "continuité des soins" in d["answer"] and d["citations"]


def test_ask_text_and_abstention(env, capsys) -> None:
    code, out, _ = run(capsys, "ask", "Quelle est la posologie maximale de la méthadone ?")
    assert code == 0 and out.startswith("Je n'ai pas trouvé de réponse")


def test_ask_type_filter(env, capsys) -> None:
    code, out, _ = run(capsys, "ask", SECRET, "--type", "article", "--format", "json")
    assert code == 0
    assert {p["doc_id"] for p in json.loads(out)["passages"]} == {
        "coordination-toxicomanie-anderlecht"
    }


def test_index_summary_and_flags_override_env(env, small_corpus, tmp_path, capsys) -> None:
    code, out, _ = run(
        capsys, "--corpus", str(small_corpus), "--index", str(tmp_path / "autre"), "index"
    )
    assert code == 0 and out.startswith("3 ajouté(s)")
    assert "  ajoutés : dgs-instruction-usagers-crack-2022, " in out
    code, out, _ = run(capsys, "index")  # the environment's corpus and index: up to date
    assert code == 0 and out.startswith("0 ajouté(s)") and " 0 passage(s) vectorisé" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ask", "   "], "la question est vide"),
        (["ask", "x" * 2001], "trop longue"),
        (["ask", "Qu\x07est-ce qu\x1bun CSAPA ?"], "caractère de contrôle (U+0007)"),
        (["ask", "crédits", "--type", "roman"], "type de document inconnu"),
        (["ask", "crédits", "--from", "2020-02-30"], "date invalide"),
        (["--corpus", "/nonexistent/corpus", "index"], "dossier du corpus introuvable"),
        (["ask", "-"], "--format jsonl"),
    ],
)
def test_bad_input_one_line_error_nonzero_exit(env, capsys, args, message) -> None:
    code, out, err = run(capsys, *args)
    assert code != 0 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and lines[0].startswith("erreur :")


def test_jsonl_batch_from_stdin(env) -> None:
    questions = f"{SECRET}\n\n{'y' * 2500}\nComment déclarer mes impôts ?\n"
    proc = subprocess.run(
        [sys.executable, "-m", "assistant", "ask", "-", "--format", "jsonl"],
        input=questions,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(rows) == 3
    assert rows[0]["abstained"] is False and rows[0]["citations"]
    assert "trop longue" in rows[1]["error"]
    assert rows[2]["abstained"] is True
    assert proc.returncode == 1  # one line failed


def test_ask_indexes_an_empty_index_first(tmp_path, small_corpus, monkeypatch, capsys) -> None:
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(small_corpus))
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(tmp_path / "neuf"))
    code, out, err = run(capsys, "ask", "Qu'est-ce que l'intervision ?")
    assert code == 0 and "Index vide" in err and "Sources :" in out


def test_index_reports_bad_documents_and_exits_nonzero(env, capsys) -> None:
    corpus, _ = env
    (corpus / "casse.pdf").write_bytes(b"%PDF-1.7 tronque")
    (corpus / "casse.meta.toml").write_text('title = "T"\ntype = "guide"\n', "utf-8")
    (corpus / "vide.txt").write_text("", "utf-8")
    (corpus / "vide.meta.toml").write_text('title = "V"\ntype = "guide"\n', "utf-8")
    code, out, err = run(capsys, "index")
    assert code == 1 and "2 ignoré(s)" in out and "0 passage(s) vectorisé(s)" in out
    lines = err.strip().splitlines()
    assert sorted(line.split(" : ")[0] for line in lines) == ["ignoré", "ignoré"]
    assert any("casse.pdf" in line and "corrompu" in line for line in lines)
    assert any("vide.txt" in line and "vide" in line for line in lines)


def test_corpus_commands(small_corpus, tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(small_corpus))
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(tmp_path / "idx"))
    src = tmp_path / "fiche.txt"
    src.write_text(
        "title: Fiche CJC\ntype: fiche\ndate: 2023-05-02\n\nLes consultations "
        "jeunes consommateurs accueillent les jeunes et leur famille.\n",
        "utf-8",
    )
    code, out, err = run(capsys, "corpus", "add", str(src))  # no terminal, no --yes
    assert code == 2 and "--yes" in err and not (small_corpus / "fiche.txt").exists()
    code, out, _ = run(capsys, "corpus", "add", str(src), "--issuer", "ARS", "--yes")
    assert code == 0 and "fiche.txt → fiche" in out and "issuer = ARS" in out
    assert out.strip().splitlines()[-1].startswith("4 ajouté(s)")
    code, out, _ = run(capsys, "corpus", "list")
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["id", "titre", "type"] and len(lines) == 5
    assert any(line.startswith("fiche ") and line.split()[-2:] == ["oui", "oui"] for line in lines)
    code, out, _ = run(capsys, "corpus", "show", "fiche")
    assert code == 0 and "type : fiche" in out and "Passages (1)" in out
    code, _, err = run(capsys, "corpus", "add", str(src), "--type", "roman", "--yes")
    assert code == 2 and "type de document inconnu" in err
    code, out, _ = run(capsys, "corpus", "remove", "fiche")
    assert code == 0 and "1 supprimé(s)" in out
    code, _, err = run(capsys, "corpus", "show", "fiche")
    assert code == 2 and err.strip() == "erreur : aucun document « fiche » dans le corpus"


@pytest.mark.parametrize("backend", ["openai", "ollama"])
def test_ask_llm_streams_a_checked_answer(env, capsys, monkeypatch, httpserver, backend) -> None:
    from tests import llm_servers

    supported = (
        "Sauf opposition du patient, des professionnels de santé peuvent échanger des "
        "informations relatives à une même personne prise en charge"
    )

    def reply(body: dict[str, object]) -> str:
        # Cite whichever numbered source holds the passage.
        prompt = str(body["messages"][-1]["content"])  # type: ignore[index]
        blocks = prompt.split("<source n=")[1:]
        n = next(
            i
            for i, b in enumerate(blocks, 1)
            if "sauf opposition du patient" in " ".join(b.split())
        )
        return f"{supported} [{n}]."

    llm_servers.serve(httpserver, backend, llm_servers.HANDLERS[backend](reply, []))
    monkeypatch.setenv("ASSISTANT_LLM_MODEL", "modele-test")
    monkeypatch.setenv("ASSISTANT_LLM_BASE_URL", llm_servers.base_url(httpserver, backend))
    code, out, _ = run(capsys, "ask", "--llm", backend, SECRET)
    assert code == 0
    assert out.startswith(supported + " [1].")
    assert "Sources :" in out and "[1] Bulletin du réseau addictions de Haute-Normandie" in out
    code, out, _ = run(capsys, "ask", "--llm", backend, SECRET, "--format", "json")
    d = json.loads(out)
    assert d["generation"] == {"status": "ok", "notice": ""}
    assert d["answer"] == supported + " [1]."


def test_ask_llm_down_falls_back_with_one_line(env, capsys, monkeypatch, httpserver) -> None:
    from tests import llm_servers

    llm_servers.serve(httpserver, "openai", llm_servers.failing(500))
    monkeypatch.setenv("ASSISTANT_LLM_MODEL", "modele-test")
    monkeypatch.setenv("ASSISTANT_LLM_BASE_URL", llm_servers.base_url(httpserver, "openai"))
    code, out, _ = run(capsys, "ask", "--llm", "openai", SECRET)
    assert code == 0
    assert out.startswith("ℹ Le générateur de réponses est indisponible")
    assert "Sources :" in out


def test_ask_llm_unknown_backend_is_one_line(env, capsys) -> None:
    code, _, err = run(capsys, "ask", "--llm", "gpt-magique", SECRET)
    assert code == 2 and err.strip() == (
        "erreur : LLM inconnu « gpt-magique » (choix : none, ollama, openai, llamacpp)"
    )


def test_ask_masks_patient_data(env, capsys) -> None:
    code, out, _ = run(
        capsys, "ask", "Patient au 06 12 34 56 78 : partage possible ?", "--format", "json"
    )
    assert code == 0 and "06 12 34 56 78" not in out
    d = json.loads(out)
    assert d["question"] == "Patient au [téléphone masqué] : partage possible ?"
    assert d["masked"] == ["numéro de téléphone"]
