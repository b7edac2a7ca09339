"""What the commands share: the settings the global options give, the assistant built from
them (indexing an empty index first), progress lines on stderr, ``err``."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from .search.indexing import IndexProgress, SyncReport
    from .service import Assistant
    from .settings import Settings


def settings_of(ctx: typer.Context) -> Settings:
    from .settings import Settings

    obj = ctx.find_root().obj
    assert isinstance(obj, Settings)
    return obj


def make_assistant(
    ctx: typer.Context, *, corpus_missing_ok: bool = False, **overrides: Any
) -> Assistant:
    """The assistant of the global options, once they are checked (``check_settings``)."""
    from .service import build_assistant

    s = settings_of(ctx)
    if overrides:
        s = s.model_copy(update=overrides)
    check_settings(s, corpus_missing_ok=corpus_missing_ok)
    return build_assistant(s)


def check_settings(s: Settings, *, corpus_missing_ok: bool = False) -> None:
    """Refuse, in one line and before anything is loaded or indexed, a corpus folder that
    does not exist (``corpus_missing_ok``: ``corpus add`` creates it) or is a file, an
    index that is a file or whose folder does not exist, and an embedder that cannot
    load."""
    from .errors import CorpusError, IndexError_
    from .search.embeddings import check_embedder

    corpus = s.corpus_dir
    if not corpus.exists():
        if not corpus_missing_ok:
            raise CorpusError(f"dossier du corpus introuvable : {corpus}")
    elif not corpus.is_dir():
        raise CorpusError(f"le corpus n'est pas un dossier : {corpus}")
    # A local index is created where it is missing, but inside a folder that exists: a
    # mistyped --index (« /tmp/idnex/x ») is refused rather than indexed for minutes.
    index = s.index_dir
    if not s.chroma_url:
        if index.exists() and not index.is_dir():
            raise IndexError_(f"l'index n'est pas un dossier : {index}")
        if not index.exists() and not index.resolve().parent.is_dir():
            raise IndexError_(f"dossier de l'index introuvable : {index.resolve().parent}")
    check_embedder(s.embedder)


def auto_index(assistant: Assistant) -> None:
    if assistant.store.count() == 0:
        err("Index vide : indexation du corpus…")
        report = sync_with_progress(assistant)
        err(report.summary())


PROGRESS_EVERY_S = 5.0


PROGRESS_QUIET_S = 2.0


class ProgressLines:
    """Progress as plain lines on stderr, for an output that is not a terminal (a log, a
    pipe, a service): nothing for a sync shorter than ``quiet_s`` seconds, then a first
    line, one at most every ``every_s`` seconds, and one when the documents are done.
    « indexation : 12/41 documents, 640 passages, reste ≈ 2 min »"""

    def __init__(self, every_s: float = PROGRESS_EVERY_S, quiet_s: float = PROGRESS_QUIET_S):
        self.every_s = every_s
        self.quiet_s = quiet_s
        self.last: float | None = None  # when the last line was printed

    def __call__(self, p: IndexProgress) -> None:
        from time import monotonic

        if p.elapsed < self.quiet_s or (p.docs_done == p.docs_total and not p.finishing):
            return  # too soon to be worth a line; or the line of the end follows
        now = monotonic()
        if self.last is None or p.finishing or now - self.last >= self.every_s:
            self.last = now
            err(p.line())


def sync_with_progress(assistant: Assistant) -> SyncReport:
    """Sync, showing progress: a bar on a terminal, plain lines otherwise."""
    if sys.stderr.isatty():
        return assistant.sync(progress=True)
    return assistant.sync(on_progress=ProgressLines())


def err(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def confirm(question: str) -> bool:
    """Ask ``question`` on the terminal, « [o/N] »: True for « o » or « oui » (« y »,
    « yes » too), False for « n », « non » or nothing (and at the end of input); asks
    again otherwise. Click's own confirm answers in English (« [y/N] », « Error: invalid
    input »)."""
    while True:
        try:
            answer = input(f"{question} [o/N] ").strip().lower()
        except EOFError:
            return False
        if answer in ("o", "oui", "y", "yes"):
            return True
        if answer in ("", "n", "non", "no"):
            return False
        err("répondre o (oui) ou n (non)")
