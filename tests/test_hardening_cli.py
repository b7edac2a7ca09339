"""Issue 16, command line: a usage error is one line in French and a non-zero exit, never
a Python traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.cli_common import confirm


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


# What click and typer write in English when nobody translates them.
ENGLISH = (
    "Usage",
    "Show this message",
    "Commands",
    "[required]",
    "[default",
    "<str>",
    "<path>",
    "<bool>",
    "<int",
    "COMMAND [ARGS]",
    "Error",
    "Missing",
    "No such",
    "Got unexpected",
)
HELPS = [
    ["--help"],
    [],
    ["ask", "--help"],
    ["corpus"],
    ["corpus", "add", "--help"],
    ["index", "--help"],
    ["-h"],
    ["ask", "-h"],
]


@pytest.mark.parametrize("args", HELPS)
def test_help_is_french(capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    code = main(args)
    out, err = capsys.readouterr()
    text = out + err
    assert code in (0, 2) and "Utilisation : assistant" in text, text
    assert "Affiche cette aide et quitte." in text
    assert [w for w in ENGLISH if w in text] == [], text


def test_help_is_french_without_rich_too() -> None:
    # Typer's plain formatter (TYPER_USE_RICH=0, or rich absent) has its own titles.
    proc = subprocess.run(
        [sys.executable, "-m", "assistant", "ask", "--help"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "TYPER_USE_RICH": "0"},
    )
    assert proc.returncode == 0 and "Utilisation : assistant ask" in proc.stdout
    assert "[obligatoire]" in proc.stdout and "[défaut : text]" in proc.stdout
    assert [w for w in ENGLISH if w in proc.stdout + proc.stderr] == [], proc.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ask"], "il manque l'argument QUESTION"),
        (["ask", "--nope", "x"], "option inconnue « --nope »"),
        (["ask", "une", "question"], "argument en trop : question"),
        (["corpus", "list", "de", "trop"], "argument en trop : de trop"),
        (["--nope"], "option inconnue « --nope »"),
    ],
)
def test_usage_errors_have_no_english(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(args) == 2
    out, err = capsys.readouterr()
    assert message in err and [w for w in ENGLISH if w in out + err] == [], err


@pytest.mark.parametrize(
    ("answers", "accepted"),
    [(["oui"], True), (["o"], True), ([""], False), (["non"], False), (["bof", "o"], True)],
)
def test_confirmation_is_asked_in_french(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    answers: list[str],
    accepted: bool,
) -> None:
    asked: list[str] = []

    def answer(prompt: str) -> str:
        asked.append(prompt)
        return answers[len(asked) - 1]

    monkeypatch.setattr("builtins.input", answer)
    assert confirm("Ajouter ?") is accepted
    assert asked[0] == "Ajouter ? [o/N] " and len(asked) == len(answers)
    if len(answers) > 1:
        assert "répondre o (oui) ou n (non)" in capsys.readouterr().err
