"""Issue 16, command line: a usage error is one line in French and a non-zero exit, never
a Python traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from assistant.cli import main


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ask", "--bogus", "x"], "option inconnue « --bogus » (aide : assistant ask --help)"),
        (["ask", "x", "--top-k", "0"], "valeur « 0 » invalide pour l'option --top-k"),
        (["ask", "x", "--top-k", "abc"], "un entier de 1 à 100"),
        (["ask", "x", "--top-k"], "l'option --top-k attend une valeur"),
        (["ask", "x", "--format", "xml"], "valeurs admises : text, json, jsonl"),
        (["ask"], "il manque l'argument QUESTION"),
        (["ask", "deux", "mots"], "argument en trop : mots"),
        (["bogus"], "commande inconnue « bogus »"),
        (["ask", "x", "--tpo-k", "3"], "vouliez-vous dire"),
        (["corpus", "add", "-x.txt", "--yes"], "pour un fichier nommé « -x.txt », écrire ./-x.txt"),
    ],
)
def test_usage_errors_are_one_french_line(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code = main(args)
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("erreur : ") and message in lines[0], err


def test_file_name_with_a_dash_after_double_dash(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    code = main(["corpus", "add", "--yes", "--", "-absent.txt"])
    _, err = capsys.readouterr()
    assert code == 2 and err.strip() == "erreur : fichier introuvable : -absent.txt"


def test_installed_command_prints_no_traceback() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "assistant", "ask", "x", "--top-k", "0"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.strip().splitlines() == [
        "erreur : valeur « 0 » invalide pour l'option --top-k : un entier de 1 à 100"
    ]
