"""Derived files written so that a crash never leaves half of them."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path


def replace_dir(directory: Path, write: Callable[[Path], None]) -> None:
    """Fill a fresh temp folder with ``write(tmp)``, then swap it in for ``directory``.

    Between the two renames a reader finds no folder and rebuilds (the lexical and dense
    copies are derived from Chroma), never a mix of old and new files.
    """
    tmp = directory.with_name(directory.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    write(tmp)
    old = directory.with_name(directory.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if directory.exists():
        directory.rename(old)
    tmp.rename(directory)
    shutil.rmtree(old, ignore_errors=True)
