"""The same question on the same index gets the same answer in every process. Python
salts string hashes per process (PYTHONHASHSEED), so a choice that depends on the
iteration order of a set of terms changes from one run to the next: « Combien coûte
l'amende forfaitaire minorée … ? » got the 200 € sentence before the 150 € one in half
the runs (two key terms of equal IDF, one picked from a set)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CORPUS

QUESTIONS = [
    "Combien coûte l'amende forfaitaire minorée pour usage de stupéfiants ?",
    "Ai-je le droit de partager des informations sur un patient avec les autres "
    "professionnels du réseau ?",
]


def _ask(index: Path, question: str, hash_seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed, "OMP_WAIT_POLICY": "passive"}
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "assistant",
            "--corpus",
            str(CORPUS),
            "--index",
            str(index),
            "ask",
            question,
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return run.stdout


@pytest.mark.parametrize("question", QUESTIONS)
def test_the_answer_does_not_depend_on_the_hash_seed(seed_index: Path, question: str) -> None:
    answers = {seed: _ask(seed_index, question, seed) for seed in ("1", "2", "3", "4")}
    assert answers["1"].strip()
    assert len(set(answers.values())) == 1, answers
