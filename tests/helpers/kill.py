"""Run ``assistant index`` in a child process stopped at a marker, then SIGKILL it there
(see interrupted_index.py for the markers)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def kill_index_at(mode: str, corpus: Path, index: Path) -> None:
    """Index ``corpus`` into ``index`` until the ``mode`` point ("swap" or "batch"),
    then kill the process with SIGKILL: no cleanup runs, as in a crash."""
    env = {
        **os.environ,
        "ASSISTANT_CORPUS_DIR": str(corpus),
        "ASSISTANT_INDEX_DIR": str(index),
        "PYTHONPATH": str(REPO),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.helpers.interrupted_index", mode],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == mode.upper()
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
